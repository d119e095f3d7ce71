package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.smplr.core.KinematicTree;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VoxelTargetsTest {
    private static final VoxelGrid GRID = new VoxelGrid(8, 4, 45);

    private static float[] randomPoints(long seed) {
        Random rnd = new Random(seed);
        float[] p = new float[123];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (rnd.nextDouble() * 2.0 - 1.0);
        }
        return p;
    }

    @Test
    void fill_points_matchFloat64GaussianDensity() {
        float[] points = randomPoints(1);
        float[] t = new float[GRID.values()];
        VoxelTargets.fill(GRID, points, t, 0);
        for (int p = 0; p < 41; p += 4) {
            double vx = (points[3 * p] / 2.5 + 0.5) * 8;
            double vy = (points[3 * p + 1] / 2.5 + 0.5) * 8;
            double vz = (points[3 * p + 2] / 2.5 + 0.5) * 4;
            for (int d = 0; d < 4; d++) {
                for (int i = 0; i < 8; i++) {
                    for (int j = 0; j < 8; j++) {
                        double r2 = (j - vx) * (j - vx) + (i - vy) * (i - vy) + (d - vz) * (d - vz);
                        double expected = Math.pow(2 * Math.PI, -1.5) * Math.exp(-r2 / 2);
                        int k = ((d * 45 + p) * 8 + i) * 8 + j;
                        assertThat((double) t[k]).isCloseTo(expected, within(3e-5 * Math.max(expected, 1e-3)));
                    }
                }
            }
        }
    }

    @Test
    void fill_limbs_matchFloat64Reference() {
        float[] points = randomPoints(2);
        float[] t = new float[2 + GRID.values()];
        VoxelTargets.fill(GRID, points, t, 2);
        KinematicTree tree = KinematicTree.smplr();
        int[][] limbs = {{17, 19, 21, 23}, {16, 18, 20, 22}, {5, 8, 11}, {4, 7, 10}};
        for (int l = 0; l < 4; l++) {
            double[][] maps = new double[limbs[l].length][];
            for (int b = 0; b < limbs[l].length; b++) {
                int node = limbs[l][b];
                maps[b] = boneReference(voxel(points, tree.parent(node)), voxel(points, node));
            }
            for (int d = 0; d < 4; d++) {
                for (int i = 0; i < 8; i++) {
                    for (int j = 0; j < 8; j++) {
                        double expected = 0;
                        for (double[] m : maps) {
                            expected = Math.max(expected, m[(d * 8 + i) * 8 + j]);
                        }
                        int k = 2 + ((d * 45 + 41 + l) * 8 + i) * 8 + j;
                        assertThat((double) t[k]).isCloseTo(expected, within(3e-5 * expected));
                    }
                }
            }
        }
    }

    /** Voxel coordinates of a 42-tree node; node 0 is the root at the origin. */
    private static double[] voxel(float[] points, int node) {
        double[] m = node == 0 ? new double[3] : new double[] {points[3 * node - 3], points[3 * node - 2],
            points[3 * node - 1]};
        return new double[] {(m[0] / 2.5 + 0.5) * 8, (m[1] / 2.5 + 0.5) * 8, (m[2] / 2.5 + 0.5) * 4};
    }

    /** softmax over cells of 1/(δ² + 1), δ = distance to the segment a–b, by parametric minimisation. */
    private static double[] boneReference(double[] a, double[] b) {
        double[] z = new double[4 * 64];
        double sum = 0;
        for (int d = 0; d < 4; d++) {
            for (int i = 0; i < 8; i++) {
                for (int j = 0; j < 8; j++) {
                    double best = Double.MAX_VALUE;
                    // dense search over the segment, then refined: independent of the projection formula
                    for (int s = 0; s <= 2000; s++) {
                        double u = s / 2000.0;
                        double dx = j - (a[0] + u * (b[0] - a[0]));
                        double dy = i - (a[1] + u * (b[1] - a[1]));
                        double dz = d - (a[2] + u * (b[2] - a[2]));
                        best = Math.min(best, dx * dx + dy * dy + dz * dz);
                    }
                    double e = Math.exp(1 / (best + 1));
                    z[(d * 8 + i) * 8 + j] = e;
                    sum += e;
                }
            }
        }
        for (int k = 0; k < z.length; k++) {
            z[k] /= sum;
        }
        return z;
    }
}
