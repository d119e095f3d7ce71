package dev.smplr.smpl;

import dev.smplr.core.Gender;
import dev.smplr.core.RestSkeleton;
import dev.smplr.core.SmplJoint;
import dev.smplr.core.SmplrLandmark;
import java.util.SplittableRandom;

/**
 * Random but SMPL-structured models of any size, seeded, for tests and benchmarks (shared through the test-jar):
 * vertices in clusters around an SMPL-like T-pose skeleton ({@link RestSkeleton}, about 1.6 m tall, pelvis off
 * the origin), shapedirs ~ N(0, 0.01), posedirs ~ N(0, 0.001), a sparse joint regressor (each joint the mean of
 * 10 vertices of its cluster, rows summing to 1, stored dense), blend weights with 1 to 4 non-zeros per vertex
 * summing to 1 (the cluster's joint, its parent, a child, a random joint), random triangles, SMPL's parents, and
 * landmark vertices placed at the skeleton's landmarks. No real model data: SMPL files are licensed.
 */
public final class SyntheticModels {
    /** The pelvis of the synthetic bodies, off the origin like SMPL's (whose pelvis is near y = −0.22). */
    private static final float[] PELVIS = {0.003f, -0.22f, 0.028f};
    /** Vertices per joint regressor row. */
    private static final int REGRESSOR_SUPPORT = 10;

    private SyntheticModels() {
    }

    /**
     * @param vertices V, at least 24 × 10 + 18 (6890 for SMPL's size)
     * @param shapes   B, the shape components (10 for SMPL; 0 or more)
     * @param seed     the random seed; the same arguments give the same model
     * @return the model, source {@code "synthetic V=<V> B=<B> seed=<seed>"}
     */
    public static SmplModel model(int vertices, int shapes, long seed) {
        return SmplModel.of(data(vertices, shapes, seed));
    }

    /**
     * The official-layout arrays of {@link #model(int, int, long)}.
     *
     * @param vertices V, at least 24 × 10 + 18
     * @param shapes   B, 0 or more
     * @param seed     the random seed
     * @return the arrays, validated
     */
    static ModelData data(int vertices, int shapes, long seed) {
        int j24 = SmplJoint.COUNT;
        int landmarks = SmplrLandmark.COUNT;
        if (vertices < j24 * REGRESSOR_SUPPORT + landmarks) {
            throw new IllegalArgumentException("vertices: expected at least " + (j24 * REGRESSOR_SUPPORT + landmarks)
                    + ", got " + vertices);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] nodes = RestSkeleton.nodes();
        int[] parents = new int[j24];
        for (SmplJoint j : SmplJoint.values()) {
            parents[j.ordinal()] = j.parentIndex();
        }
        int[] children = new int[j24]; // one child per joint, or -1
        java.util.Arrays.fill(children, -1);
        for (int j = j24 - 1; j > 0; j--) {
            children[parents[j]] = j;
        }

        // Vertex v belongs to the cluster of joint (v mod 24); the last 18 are the landmarks.
        int v3 = 3 * vertices;
        int[] cluster = new int[vertices];
        float[] vTemplate = new float[v3];
        int firstLandmark = vertices - landmarks;
        int[] landmarkVertices = new int[landmarks];
        for (int v = 0; v < vertices; v++) {
            int node;
            double spread;
            if (v < firstLandmark) {
                cluster[v] = v % j24;
                node = cluster[v];
                spread = 0.05;
            } else {
                int l = v - firstLandmark;
                landmarkVertices[l] = v;
                cluster[v] = SmplrLandmark.values()[l].parentNode();
                node = j24 + l;
                spread = 0.002;
            }
            for (int k = 0; k < 3; k++) {
                vTemplate[3 * v + k] = (float) (nodes[3 * node + k] + PELVIS[k] + spread * rnd.nextGaussian());
            }
        }

        float[] shapeDirs = gaussians(rnd, v3 * shapes, 0.01);
        float[] poseDirs = gaussians(rnd, v3 * ModelData.POSE_FEATURES, 0.001);

        float[] jRegressor = new float[j24 * vertices];
        for (int j = 0; j < j24; j++) {
            // vertices j, j + 24, j + 48, ... are in cluster j
            for (int s = 0; s < REGRESSOR_SUPPORT; s++) {
                jRegressor[j * vertices + j + j24 * s] = 1f / REGRESSOR_SUPPORT;
            }
        }

        float[] weights = new float[vertices * j24];
        for (int v = 0; v < vertices; v++) {
            int c = cluster[v];
            int[] joints = {c, parents[c] < 0 ? c : parents[c], children[c] < 0 ? c : children[c], rnd.nextInt(j24)};
            int used = 1 + rnd.nextInt(4);
            double[] w = new double[used];
            double sum = 0;
            for (int i = 0; i < used; i++) {
                w[i] = i == 0 ? 1 + rnd.nextDouble() : rnd.nextDouble();
                sum += w[i];
            }
            for (int i = 0; i < used; i++) {
                weights[v * j24 + joints[i]] += (float) (w[i] / sum);
            }
        }

        int faceCount = 2 * vertices;
        int[] faces = new int[3 * faceCount];
        for (int f = 0; f < faceCount; f++) {
            int a = rnd.nextInt(vertices);
            int b = (a + 1 + rnd.nextInt(vertices - 1)) % vertices;
            int c;
            do {
                c = rnd.nextInt(vertices);
            } while (c == a || c == b);
            faces[3 * f] = a;
            faces[3 * f + 1] = b;
            faces[3 * f + 2] = c;
        }

        return new ModelData(Gender.NEUTRAL, vTemplate, shapeDirs, shapes, poseDirs, jRegressor, weights, faces,
                parents, landmarkVertices, "synthetic V=" + vertices + " B=" + shapes + " seed=" + seed);
    }

    private static float[] gaussians(SplittableRandom rnd, int n, double sigma) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (sigma * rnd.nextGaussian());
        }
        return a;
    }
}
