package dev.smplr.core;

/**
 * The 41-point SMPLR ordering (SPEC.md 2.1): points 0..22 are SMPL joints 1..23, points 23..40 are the 18
 * {@link SmplrLandmark}s. The pelvis is the implicit origin: every point set is root-relative, in metres, as
 * a flat array of 123 floats, point {@code p} at {@code 3*p..3*p+2}.
 *
 * <p>The 42-node tree prepends the root: node {@code k} is point {@code k - 1}.
 */
public final class SmplrPoints {
    /** Points per set, 41. */
    public static final int COUNT = 41;
    /** Floats per set, 123. */
    public static final int VALUES = 3 * COUNT;
    /** Joint points (SMPL joints 1..23), 23. */
    public static final int JOINTS = SmplJoint.COUNT - 1;
    /** Landmark points, 18. */
    public static final int LANDMARKS = SmplrLandmark.COUNT;
    /** Nodes of the SMPLR tree (root + 41 points), 42. */
    public static final int NODES = COUNT + 1;

    /** The description used in argument errors. */
    static final String SHAPE = "41×3 root-relative points";

    private SmplrPoints() {
    }

    /**
     * @param point a point index, 0..40
     * @return its name: the SMPL joint name or the landmark name
     * @throws IllegalArgumentException if the index is out of range
     */
    public static String name(int point) {
        if (point < 0 || point >= COUNT) {
            throw new IllegalArgumentException("point: index " + point + " out of range [0, " + COUNT + ")");
        }
        return point < JOINTS ? SmplJoint.values()[point + 1].jointName()
                : SmplrLandmark.values()[point - JOINTS].landmarkName();
    }

    /**
     * Gathers the 41 SMPLR points from a body model's output: joints 1..23 and the landmark vertices, both made
     * relative to joint 0.
     *
     * @param joints          joints (J, 3), J ≥ 24, SMPL order. Not modified.
     * @param vertices        vertices (V, 3). Not modified.
     * @param landmarkVertices the 18 vertex ids of the landmarks on this mesh. Not modified.
     * @return the 41 root-relative points, a new array of 123 floats
     * @throws IllegalArgumentException if a length or an index is wrong
     */
    public static float[] gather(float[] joints, float[] vertices, int[] landmarkVertices) {
        dev.smplr.core.internal.Checks.notNull("joints", joints);
        dev.smplr.core.internal.Checks.notNull("vertices", vertices);
        dev.smplr.core.internal.Checks.notNull("landmarkVertices", landmarkVertices);
        if (joints.length < 3 * SmplJoint.COUNT) {
            throw new IllegalArgumentException("joints: expected at least 72 values (24×3), got " + joints.length);
        }
        if (landmarkVertices.length != LANDMARKS) {
            throw new IllegalArgumentException(
                    "landmarkVertices: expected 18 vertex ids, got " + landmarkVertices.length);
        }
        int vertexCount = vertices.length / 3;
        float rx = joints[0];
        float ry = joints[1];
        float rz = joints[2];
        float[] out = new float[VALUES];
        for (int p = 0; p < JOINTS; p++) {
            out[3 * p] = joints[3 * (p + 1)] - rx;
            out[3 * p + 1] = joints[3 * (p + 1) + 1] - ry;
            out[3 * p + 2] = joints[3 * (p + 1) + 2] - rz;
        }
        for (int l = 0; l < LANDMARKS; l++) {
            int v = landmarkVertices[l];
            if (v < 0 || v >= vertexCount) {
                throw new IllegalArgumentException("landmarkVertices[" + l + "]: vertex " + v
                        + " out of range [0, " + vertexCount + ")");
            }
            int p = JOINTS + l;
            out[3 * p] = vertices[3 * v] - rx;
            out[3 * p + 1] = vertices[3 * v + 1] - ry;
            out[3 * p + 2] = vertices[3 * v + 2] - rz;
        }
        return out;
    }
}
