package dev.smplr.smpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.smplr.core.KinematicTree;
import dev.smplr.core.Rotations;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LbsTest {
    private static final int[] PARENTS = KinematicTree.smpl().parents();

    @Test
    void addRows_equalsSequentialAxpysBitForBit() {
        Random rnd = new Random(1);
        float[][] rows = new float[20][50];
        for (float[] r : rows) {
            fill(rnd, r);
        }
        float[] coeff = new float[20];
        fill(rnd, coeff);
        int[] index = {0, 3, 4, 7, 8, 11, 12, 13, 19, 2, 5}; // 11: two groups of four and three single rows
        float[] out = new float[50];
        fill(rnd, out);
        float[] expected = out.clone();
        for (int a = 0; a < index.length; a++) {
            for (int i = 5; i < 44; i++) {
                expected[i] = expected[i] + coeff[index[a]] * rows[index[a]][i];
            }
        }
        Lbs.addRows(rows, coeff, index, index.length, out, 5, 44);
        assertThat(out).containsExactly(expected);
    }

    @Test
    void poseFeatures_restJointsAreZeroAndSkipped() {
        float[] pose = new float[72];
        pose[3 * 5] = 0.5f;
        pose[3 * 23 + 2] = -1f;
        float[] rotations = Rotations.axisAngleToMatrix(pose);
        float[] features = new float[207];
        int[] active = new int[207];
        int count = Lbs.poseFeatures(rotations, features, active);
        // about x, joint 5: entries (1,1) (1,2) (2,1) (2,2) change; about z, joint 23: (0,0) (0,1) (1,0) (1,1)
        assertThat(count).isEqualTo(8);
        assertThat(active[0]).isEqualTo(9 * 4 + 4);
        assertThat(active[7]).isEqualTo(9 * 22 + 4);
        for (int f = 0; f < 207; f++) {
            int j = f / 9 + 1;
            int rc = f % 9;
            double expected = rotations[9 * j + rc] - (rc % 4 == 0 ? 1 : 0);
            assertThat((double) features[f]).isCloseTo(expected, within(1e-7));
        }
    }

    @Test
    void rigidChainAndSkin_matchDense4x4() {
        Random rnd = new Random(3);
        float[] pose = new float[72];
        for (int i = 0; i < 72; i++) {
            pose[i] = (float) rnd.nextGaussian();
        }
        float[] rotations = Rotations.axisAngleToMatrix(pose);
        double[] joints = new double[72];
        for (int i = 0; i < 72; i++) {
            joints[i] = rnd.nextGaussian() * 0.3;
        }
        double[] global = new double[288];
        double[] relative = new double[288];
        Lbs.rigidChain(rotations, joints, PARENTS, global);
        Lbs.relativeTransforms(global, joints, relative);

        double[][] g = new double[24][];
        for (int j = 0; j < 24; j++) {
            double[] local = new double[16];
            int p = PARENTS[j];
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    local[4 * r + c] = rotations[9 * j + 3 * r + c];
                }
                local[4 * r + 3] = joints[3 * j + r] - (p < 0 ? 0 : joints[3 * p + r]);
            }
            local[15] = 1;
            g[j] = p < 0 ? local : mul4(g[p], local);
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 4; c++) {
                    assertThat(global[12 * j + 4 * r + c]).isCloseTo(g[j][4 * r + c], within(1e-12));
                }
                // A_j maps the rest joint to the posed joint
                double mapped = relative[12 * j + 4 * r + 3];
                for (int c = 0; c < 3; c++) {
                    mapped += relative[12 * j + 4 * r + c] * joints[3 * j + c];
                }
                assertThat(mapped).isCloseTo(g[j][4 * r + 3], within(1e-12));
            }
        }

        // a vertex weighted 0.25 / 0.75 on joints 4 and 18
        int[] weightJoints = {4, 18};
        float[] weightValues = {0.25f, 0.75f};
        float[] xyz = {9, 9, 0.1f, -0.4f, 0.2f};
        float[] transl = {1, 2, 3};
        Lbs.skinVertex(weightJoints, weightValues, 0, 2, relative, transl, xyz, 2);
        for (int r = 0; r < 3; r++) {
            double expected = transl[r];
            for (int k = 0; k < 2; k++) {
                int j = weightJoints[k];
                double ax = relative[12 * j + 4 * r] * 0.1f + relative[12 * j + 4 * r + 1] * -0.4f
                        + relative[12 * j + 4 * r + 2] * 0.2f + relative[12 * j + 4 * r + 3];
                expected += weightValues[k] * ax;
            }
            assertThat((double) xyz[2 + r]).isCloseTo(expected, within(1e-6));
        }
        assertThat(xyz[0]).isEqualTo(9f);
    }

    private static double[] mul4(double[] a, double[] b) {
        double[] out = new double[16];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                for (int k = 0; k < 4; k++) {
                    out[4 * r + c] += a[4 * r + k] * b[4 * k + c];
                }
            }
        }
        return out;
    }

    private static void fill(Random rnd, float[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
    }
}
