package dev.smplr.smpl;

/**
 * The kernels of the SMPL forward pass (linear blend skinning, smplx's {@code lbs.py}), on flat arrays. Inputs
 * first, output last, no allocation. Float32 data; the 24-joint transforms are float64 (a few hundred values).
 *
 * <p>Layouts: blend directions as rows, {@code rows[d][i]} = direction d at vertex value {@code i = 3*v + k};
 * rotations (24, 3, 3) at {@code 9*j + 3*r + c}; rest joints (24, 3); transforms (24, 3, 4) at
 * {@code 12*j + 4*r + c} (the last row of the 4×4 matrix, {@code (0, 0, 0, 1)}, is implied).
 *
 * <p>Every blend kernel adds its terms to each value in the same order (the order of the index list), whatever
 * the grouping, tiling or batching: Java evaluates {@code o + a + b + c + d} left to right and the JIT
 * vectorizes without reassociating, so all paths of {@link SmplModel} agree bit for bit.
 */
final class Lbs {
    /** Joints, 24. */
    static final int JOINTS = ModelData.JOINTS;
    /** Pose-blend features, 207. */
    static final int FEATURES = ModelData.POSE_FEATURES;

    private Lbs() {
    }

    /**
     * {@code out[i] = out[i] + sum_a coeff[index[a]] * rows[index[a]][i]} for i in {@code [from, to)}, the terms
     * added in the order of {@code index}, four rows per pass ({@link #addGroup}) then one by one.
     *
     * @param rows  blend directions, each at least {@code to} long. Not modified.
     * @param coeff coefficients, by direction. Not modified.
     * @param index the directions to add, {@code count} of them. Not modified.
     * @param count how many of {@code index} to use
     * @param out   the values added to. Modified.
     * @param from  first value
     * @param to    end of the values (exclusive)
     */
    static void addRows(float[][] rows, float[] coeff, int[] index, int count, float[] out, int from, int to) {
        int a = 0;
        for (; a + 4 <= count; a += 4) {
            addGroup(rows, coeff, index, a, out, from, to);
        }
        for (; a < count; a++) {
            addRow(rows, coeff[index[a]], index[a], out, from, to);
        }
    }

    /**
     * Four axpys in one pass: {@code out[i] = out[i] + c0 r0[i] + c1 r1[i] + c2 r2[i] + c3 r3[i]} with
     * {@code r_m = rows[index[a + m]]}, {@code c_m = coeff[index[a + m]]}. The same arithmetic as four single
     * axpys, with a quarter of the loads and stores of {@code out}; C2 vectorizes it (a dot product in float
     * would not vectorize: its order is fixed).
     *
     * @param rows  blend directions. Not modified.
     * @param coeff coefficients, by direction. Not modified.
     * @param index direction list; entries {@code a..a+3} are used. Not modified.
     * @param a     first entry of {@code index}
     * @param out   the values added to. Modified.
     * @param from  first value
     * @param to    end of the values (exclusive)
     */
    static void addGroup(float[][] rows, float[] coeff, int[] index, int a, float[] out, int from, int to) {
        float c0 = coeff[index[a]];
        float c1 = coeff[index[a + 1]];
        float c2 = coeff[index[a + 2]];
        float c3 = coeff[index[a + 3]];
        float[] r0 = rows[index[a]];
        float[] r1 = rows[index[a + 1]];
        float[] r2 = rows[index[a + 2]];
        float[] r3 = rows[index[a + 3]];
        for (int i = from; i < to; i++) {
            out[i] = out[i] + c0 * r0[i] + c1 * r1[i] + c2 * r2[i] + c3 * r3[i];
        }
    }

    /**
     * One axpy, {@code out[i] = out[i] + c * rows[d][i]}.
     *
     * @param rows blend directions. Not modified.
     * @param c    the coefficient
     * @param d    the direction
     * @param out  the values added to. Modified.
     * @param from first value
     * @param to   end of the values (exclusive)
     */
    static void addRow(float[][] rows, float c, int d, float[] out, int from, int to) {
        float[] r = rows[d];
        for (int i = from; i < to; i++) {
            out[i] = out[i] + c * r[i];
        }
    }

    /**
     * The pose feature {@code feature[9(j−1) + 3r + c] = R_j[r][c] − δ_rc}, j = 1..23, and the list of its
     * non-zero entries: a joint at rest gives exactly zero, and its passes are skipped.
     *
     * @param rotations R_j (24, 3, 3). Not modified.
     * @param features  the 207 features. Modified.
     * @param active    the indices of the non-zero features, increasing, from 0. Modified.
     * @return how many features are non-zero
     */
    static int poseFeatures(float[] rotations, float[] features, int[] active) {
        int count = 0;
        for (int f = 0; f < FEATURES; f++) {
            int rc = f % 9;
            float value = rotations[9 + f] - (rc == 0 || rc == 4 || rc == 8 ? 1f : 0f);
            features[f] = value;
            if (value != 0) {
                active[count++] = f;
            }
        }
        return count;
    }

    /**
     * The rigid chain, float64: {@code G_0 = [R_0 | J_0]}, {@code G_j = G_parent · [R_j | J_j − J_parent]},
     * i.e. rotation {@code Rg_parent · R_j} and translation {@code Rg_parent · (J_j − J_parent) + t_parent}.
     *
     * @param rotations R_j (24, 3, 3). Not modified.
     * @param joints    rest joints J (24, 3). Not modified.
     * @param parents   parents (24), -1 first, every parent before its child. Not modified.
     * @param global    G_j (24, 3, 4). Modified.
     */
    static void rigidChain(float[] rotations, double[] joints, int[] parents, double[] global) {
        for (int r = 0; r < 3; r++) {
            global[4 * r] = rotations[3 * r];
            global[4 * r + 1] = rotations[3 * r + 1];
            global[4 * r + 2] = rotations[3 * r + 2];
            global[4 * r + 3] = joints[r];
        }
        for (int j = 1; j < JOINTS; j++) {
            int p = parents[j];
            int g = 12 * p;
            int o = 12 * j;
            int m = 9 * j;
            double dx = joints[3 * j] - joints[3 * p];
            double dy = joints[3 * j + 1] - joints[3 * p + 1];
            double dz = joints[3 * j + 2] - joints[3 * p + 2];
            double m00 = rotations[m];
            double m01 = rotations[m + 1];
            double m02 = rotations[m + 2];
            double m10 = rotations[m + 3];
            double m11 = rotations[m + 4];
            double m12 = rotations[m + 5];
            double m20 = rotations[m + 6];
            double m21 = rotations[m + 7];
            double m22 = rotations[m + 8];
            for (int r = 0; r < 3; r++) {
                double p0 = global[g + 4 * r];
                double p1 = global[g + 4 * r + 1];
                double p2 = global[g + 4 * r + 2];
                global[o + 4 * r] = p0 * m00 + p1 * m10 + p2 * m20;
                global[o + 4 * r + 1] = p0 * m01 + p1 * m11 + p2 * m21;
                global[o + 4 * r + 2] = p0 * m02 + p1 * m12 + p2 * m22;
                global[o + 4 * r + 3] = p0 * dx + p1 * dy + p2 * dz + global[g + 4 * r + 3];
            }
        }
    }

    /**
     * {@code A_j = G_j − [0 | G_j · (J_j, 0)]}: the transform of rest-pose points to posed ones,
     * {@code A_j x = Rg_j (x − J_j) + t_j}.
     *
     * @param global   G_j (24, 3, 4). Not modified.
     * @param joints   rest joints J (24, 3). Not modified.
     * @param relative A_j (24, 3, 4), not the same array as {@code global}. Modified.
     */
    static void relativeTransforms(double[] global, double[] joints, double[] relative) {
        for (int j = 0; j < JOINTS; j++) {
            double jx = joints[3 * j];
            double jy = joints[3 * j + 1];
            double jz = joints[3 * j + 2];
            for (int r = 0; r < 3; r++) {
                int row = 12 * j + 4 * r;
                relative[row] = global[row];
                relative[row + 1] = global[row + 1];
                relative[row + 2] = global[row + 2];
                relative[row + 3] = global[row + 3]
                        - (global[row] * jx + global[row + 1] * jy + global[row + 2] * jz);
            }
        }
    }

    /**
     * Skins one vertex in place: {@code x' = sum_p weightValues[p] · (A_{weightJoints[p]} · (x, 1)) + transl} over
     * the vertex's non-zero weights {@code p in [start, end)}, in float64, rounded once. This equals smplx's
     * {@code (sum_j W[v,j] A_j) · (x, 1)}; applying each transform and then weighting needs 15 multiply-adds per
     * weight instead of 12 per weight plus 12, and measured 30% faster. Sparse because real SMPL vertices have at
     * most 4 non-zero weights (of 24).
     *
     * @param weightJoints the joint of each weight. Not modified.
     * @param weightValues the weights. Not modified.
     * @param start        the vertex's first weight
     * @param end          the end of its weights (exclusive)
     * @param relative     A_j (24, 3, 4). Not modified.
     * @param transl       translation (3). Not modified.
     * @param xyz          holds {@code v_posed} of the vertex at {@code off}; receives the posed vertex. Modified.
     * @param off          offset of the vertex in {@code xyz}
     */
    static void skinVertex(int[] weightJoints, float[] weightValues, int start, int end, double[] relative,
            float[] transl, float[] xyz, int off) {
        double x = xyz[off];
        double y = xyz[off + 1];
        double z = xyz[off + 2];
        double ox = 0;
        double oy = 0;
        double oz = 0;
        for (int p = start; p < end; p++) {
            double w = weightValues[p];
            int a = 12 * weightJoints[p];
            ox += w * (relative[a] * x + relative[a + 1] * y + relative[a + 2] * z + relative[a + 3]);
            oy += w * (relative[a + 4] * x + relative[a + 5] * y + relative[a + 6] * z + relative[a + 7]);
            oz += w * (relative[a + 8] * x + relative[a + 9] * y + relative[a + 10] * z + relative[a + 11]);
        }
        xyz[off] = (float) (ox + transl[0]);
        xyz[off + 1] = (float) (oy + transl[1]);
        xyz[off + 2] = (float) (oz + transl[2]);
    }
}
