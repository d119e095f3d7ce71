package dev.smplr.smpl;

import dev.smplr.core.Gender;
import dev.smplr.core.KinematicTree;
import dev.smplr.core.SmplJoint;
import dev.smplr.core.SmplrLandmark;

/**
 * The arrays that define an SMPL-structured body model, in the official layouts (SMPL.md), float32. Every
 * source of a model (the official .pkl and .npz files, the procedural demo body) produces one, and
 * {@link SmplModel} derives its fast layouts from it. The constructor checks every shape and invariant and
 * names the official key of the array at fault, e.g. {@code weights: row 17 sums to 0.93, expected 1 within
 * 1e-3}; loaders prefix the file name.
 *
 * <p>Arrays are kept, not copied: whoever builds a {@code ModelData} hands them over.
 *
 * @param gender           the model's gender
 * @param vTemplate        {@code v_template} (V, 3): vertex v at {@code 3*v + k}
 * @param shapeDirs        {@code shapedirs} (V, 3, B): {@code (3*v + k)*B + b}
 * @param shapeCount       B, the number of shape components the model carries (the caller may use fewer)
 * @param poseDirs         {@code posedirs} (V, 3, 207): {@code (3*v + k)*207 + f}, feature
 *                         {@code f = 9*(j-1) + 3*r + c} of {@code (R_j - I)[r][c]}, j = 1..23
 * @param jRegressor       {@code J_regressor} (24, V), dense, row-major
 * @param lbsWeights       {@code weights} (V, 24): rows sum to 1
 * @param faces            {@code f} (F, 3), vertex indices, counter-clockwise seen from outside
 * @param parents          {@code kintree_table[0]} (24): -1 for the root, then SMPL's parents
 * @param landmarkVertices the 18 SMPLR landmark vertex ids on this mesh ({@link SmplrLandmark} order)
 * @param source           where the model came from, for messages and manifests (a file name, "demo body")
 */
record ModelData(Gender gender, float[] vTemplate, float[] shapeDirs, int shapeCount, float[] poseDirs,
        float[] jRegressor, float[] lbsWeights, int[] faces, int[] parents, int[] landmarkVertices,
        String source) {

    /** Pose-blend features, 23 × 9 = 207. */
    static final int POSE_FEATURES = 9 * (SmplJoint.COUNT - 1);
    /** Joints, 24. */
    static final int JOINTS = SmplJoint.COUNT;

    /** @throws IllegalArgumentException naming the key, expected and found, for any inconsistency */
    ModelData {
        if (gender == null || source == null) {
            throw new IllegalArgumentException("gender/source: null");
        }
        int v = checkedVertices(vTemplate);
        need("shapedirs", shapeDirs, (long) v * 3 * shapeCount, "(" + v + ", 3, " + shapeCount + ")");
        need("posedirs", poseDirs, (long) v * 3 * POSE_FEATURES, "(" + v + ", 3, 207)");
        need("J_regressor", jRegressor, (long) JOINTS * v, "(24, " + v + ")");
        need("weights", lbsWeights, (long) v * JOINTS, "(" + v + ", 24)");
        if (shapeCount < 0) {
            throw new IllegalArgumentException("shapedirs: negative shape count " + shapeCount);
        }
        finite("v_template", vTemplate);
        finite("shapedirs", shapeDirs);
        finite("posedirs", poseDirs);
        finite("J_regressor", jRegressor);
        finite("weights", lbsWeights);
        for (int i = 0; i < v; i++) {
            double sum = 0;
            for (int j = 0; j < JOINTS; j++) {
                sum += lbsWeights[JOINTS * i + j];
            }
            if (Math.abs(sum - 1) > 1e-3) {
                throw new IllegalArgumentException("weights: row " + i + " sums to " + sum
                        + ", expected 1 within 1e-3");
            }
        }
        if (faces == null || faces.length == 0 || faces.length % 3 != 0) {
            throw new IllegalArgumentException("f: expected (F, 3) vertex indices, got "
                    + (faces == null ? "null" : faces.length + " values"));
        }
        for (int i = 0; i < faces.length; i++) {
            if (faces[i] < 0 || faces[i] >= v) {
                throw new IllegalArgumentException("f: face " + i / 3 + " refers to vertex " + faces[i]
                        + ", expected [0, " + v + ")");
            }
        }
        if (parents == null || parents.length != JOINTS) {
            throw new IllegalArgumentException("kintree_table: expected 24 parents, got "
                    + (parents == null ? "null" : parents.length));
        }
        try {
            KinematicTree.of(names(), parents);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kintree_table: not a tree: " + e.getMessage(), e);
        }
        if (landmarkVertices == null || landmarkVertices.length != SmplrLandmark.COUNT) {
            throw new IllegalArgumentException("landmark_vertices: expected 18 vertex ids");
        }
        for (int l = 0; l < landmarkVertices.length; l++) {
            if (landmarkVertices[l] < 0 || landmarkVertices[l] >= v) {
                throw new IllegalArgumentException("landmark_vertices: landmark " + l + " is vertex "
                        + landmarkVertices[l] + ", expected [0, " + v + ")");
            }
        }
    }

    /** @return V */
    int vertexCount() {
        return vTemplate.length / 3;
    }

    private static int checkedVertices(float[] vTemplate) {
        if (vTemplate == null || vTemplate.length == 0 || vTemplate.length % 3 != 0) {
            throw new IllegalArgumentException("v_template: expected (V, 3), got "
                    + (vTemplate == null ? "null" : vTemplate.length + " values"));
        }
        return vTemplate.length / 3;
    }

    private static void need(String key, float[] a, long expected, String shape) {
        if (a == null || a.length != expected) {
            throw new IllegalArgumentException(key + ": expected " + shape + " = " + expected + " values, found "
                    + (a == null ? "none" : a.length));
        }
    }

    private static void finite(String key, float[] a) {
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(a[i])) {
                throw new IllegalArgumentException(key + ": " + a[i] + " at flat index " + i);
            }
        }
    }

    private static String[] names() {
        String[] n = new String[JOINTS];
        for (int j = 0; j < JOINTS; j++) {
            n[j] = "joint" + j;
        }
        return n;
    }
}
