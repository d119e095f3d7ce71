package dev.smplr.hourglass;

import dev.smplr.core.KinematicTree;

/**
 * The training targets of the volumetric hourglass (SPEC.md section 6) on a {@link VoxelGrid}, for one example:
 *
 * <ul>
 *   <li>Point volume p (0..40): the isotropic 3D Gaussian probability density with σ = 1 voxel at the point's
 *       continuous voxel coordinate v, not renormalised (peak {@code (2π)^(−3/2) ≈ 0.0635}):
 *       <pre>t(i, j, d) = (2π)^(−3/2) · exp(−((j − v_x)² + (i − v_y)² + (d − v_z)²) / 2)</pre></li>
 *   <li>Limb volume l (41 + l, when the grid has limbs): for each bone b of the limb and each cell, the squared
 *       distance δ² (voxel units) from the cell to the segment parent → child, {@code z = 1/(δ² + 1)}, a softmax of
 *       z over all cells of the volume, then the maximum over the limb's bones.</li>
 * </ul>
 * Limbs, in order: right arm (bones ending at nodes 17, 19, 21, 23 of the 42-node tree), left arm (16, 18, 20,
 * 22), right leg (5, 8, 11), left leg (4, 7, 10); each bone runs from the node's parent in
 * {@link KinematicTree#smplr()} to the node, node 0 being the root (the origin) and node k ≥ 1 point k − 1.
 */
final class VoxelTargets {
    /** Bone end nodes of the limbs, in limb order. */
    static final int[][] LIMB_NODES = {{17, 19, 21, 23}, {16, 18, 20, 22}, {5, 8, 11}, {4, 7, 10}};

    private static final double GAUSS_PEAK = Math.pow(2 * Math.PI, -1.5);
    private static final int[] PARENTS = parents();

    private VoxelTargets() {
    }

    private static int[] parents() {
        KinematicTree tree = KinematicTree.smplr();
        int[] p = new int[tree.size()];
        for (int k = 0; k < p.length; k++) {
            p[k] = tree.parent(k);
        }
        return p;
    }

    /**
     * Writes the targets of one example.
     *
     * @param grid     the grid
     * @param points41 (41, 3) camera-frame root-relative points, metres. Not modified.
     * @param out      {@code grid.values()} targets from {@code outOff}, layout {@link VoxelGrid#index}. Modified
     *                 (every value is written).
     * @param outOff   index of the first value written
     */
    static void fill(VoxelGrid grid, float[] points41, float[] out, int outOff) {
        int n = HourglassConfig.POINTS;
        float[] v = new float[3 * n];
        grid.toVoxels(points41, v);
        int size = grid.size();
        int bins = grid.depthBins();
        int cells = grid.cells();
        float[] gx = new float[size];
        float[] gy = new float[size];
        float[] gz = new float[bins];
        for (int p = 0; p < n; p++) {
            // t = peak · gz[d] · gy[i] · gx[j]: the Gaussian factorises over the axes.
            gauss(v[3 * p], gx);
            gauss(v[3 * p + 1], gy);
            gauss(v[3 * p + 2], gz);
            for (int d = 0; d < bins; d++) {
                int base = outOff + grid.index(p, d, 0, 0);
                float wz = (float) (GAUSS_PEAK * gz[d]);
                for (int i = 0; i < size; i++) {
                    float wzy = wz * gy[i];
                    int row = base + i * size;
                    for (int j = 0; j < size; j++) {
                        out[row + j] = wzy * gx[j];
                    }
                }
            }
        }
        int limbs = grid.volumes() - n;
        if (limbs == 0) {
            return;
        }
        float[] limb = new float[bins * cells];
        float[] bone = new float[bins * cells];
        for (int l = 0; l < limbs; l++) {
            java.util.Arrays.fill(limb, 0f);
            for (int node : LIMB_NODES[l]) {
                boneMap(grid, node(v, grid, PARENTS[node]), node(v, grid, node), bone);
                for (int k = 0; k < limb.length; k++) {
                    limb[k] = Math.max(limb[k], bone[k]);
                }
            }
            for (int d = 0; d < bins; d++) {
                System.arraycopy(limb, d * cells, out, outOff + grid.index(n + l, d, 0, 0), cells);
            }
        }
    }

    /** {@code g[k] = exp(−(k − centre)² / 2)}. */
    private static void gauss(float centre, float[] g) {
        for (int k = 0; k < g.length; k++) {
            float t = k - centre;
            g[k] = (float) Math.exp(-0.5 * t * t);
        }
    }

    /** Voxel coordinates of a node: the root (node 0) at the grid's centre, node k at point k − 1. */
    private static float[] node(float[] v, VoxelGrid grid, int node) {
        if (node == 0) {
            return new float[] {0.5f * grid.size(), 0.5f * grid.size(), 0.5f * grid.depthBins()};
        }
        return new float[] {v[3 * (node - 1)], v[3 * (node - 1) + 1], v[3 * (node - 1) + 2]};
    }

    /**
     * One bone's map, bin-major ({@code d·size² + i·size + j}): softmax over all cells of
     * {@code z = 1/(δ² + 1)}, δ the distance from the cell (j, i, d) to the segment a–b.
     */
    private static void boneMap(VoxelGrid grid, float[] a, float[] b, float[] out) {
        int size = grid.size();
        float ex = b[0] - a[0];
        float ey = b[1] - a[1];
        float ez = b[2] - a[2];
        float len2 = ex * ex + ey * ey + ez * ez;
        double sum = 0;
        int k = 0;
        for (int d = 0; d < grid.depthBins(); d++) {
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    float px = j - a[0];
                    float py = i - a[1];
                    float pz = d - a[2];
                    // closest point a + s·e with s = clamp(p·e / |e|², 0, 1)
                    float s = len2 > 0 ? Math.max(0f, Math.min(1f, (px * ex + py * ey + pz * ez) / len2)) : 0f;
                    float dx = px - s * ex;
                    float dy = py - s * ey;
                    float dz = pz - s * ez;
                    // z ∈ (0, 1], so exp(z) needs no max shift
                    float e = (float) Math.exp(1.0 / (dx * dx + dy * dy + dz * dz + 1));
                    out[k++] = e;
                    sum += e;
                }
            }
        }
        float inv = (float) (1 / sum);
        for (int m = 0; m < out.length; m++) {
            out[m] *= inv;
        }
    }
}
