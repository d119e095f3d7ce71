package dev.smplr.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KinematicTreeTest {

    @Test
    void smpl_hasTheSmplParents() {
        int[] expected = {-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21};
        KinematicTree t = KinematicTree.smpl();
        assertThat(t.size()).isEqualTo(24);
        assertThat(t.parents()).containsExactly(expected);
        assertThat(t.name(0)).isEqualTo("pelvis");
        assertThat(t.name(23)).isEqualTo("right_hand");
        assertThat(t.indexOf("left_collar")).isEqualTo(13);
    }

    @Test
    void smplr_hasTheProjectTree() {
        KinematicTree t = KinematicTree.smplr();
        assertThat(t.size()).isEqualTo(42);
        // SPEC.md 15.2, nodes 24..41
        int[] landmarkParents = {9, 9, 0, 0, 0, 2, 1, 2, 1, 10, 11, 22, 16, 16, 17, 17, 23, 15};
        for (int l = 0; l < 18; l++) {
            assertThat(t.parent(24 + l)).as("parent of node %d", 24 + l).isEqualTo(landmarkParents[l]);
        }
        for (int j = 0; j < 24; j++) {
            assertThat(t.parent(j)).isEqualTo(KinematicTree.smpl().parent(j));
        }
        assertThat(t.name(41)).isEqualTo("head_top");
    }

    @Test
    void of_rejectsNonTrees() {
        assertThatThrownBy(() -> KinematicTree.of(new String[] {"a", "b"}, new int[] {-1, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parents[1]");
        assertThatThrownBy(() -> KinematicTree.of(new String[] {"a", "b"}, new int[] {0, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parents[0]");
        assertThatThrownBy(() -> KinematicTree.of(new String[] {"a", "a"}, new int[] {-1, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("repeated 'a'");
        assertThatThrownBy(() -> KinematicTree.of(new String[] {"a"}, new int[] {-1, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same non-zero length");
        assertThatThrownBy(() -> KinematicTree.smpl().parent(24))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node: index 24");
    }

    @Test
    void forwardKinematics_matchesFloat64Homogeneous() {
        Random rnd = new Random(7);
        float[] rest = TestData.restJoints24();
        for (int trial = 0; trial < 50; trial++) {
            float[] pose = TestData.randomAxisAngles(rnd, 24, 2 * Math.PI);
            float[] posed = KinematicTree.smpl().forwardKinematics(rest, pose);
            double[] expected = referenceFk(KinematicTree.smpl().parents(), rest, pose);
            for (int i = 0; i < posed.length; i++) {
                assertThat((double) posed[i]).as("trial %d value %d", trial, i).isCloseTo(expected[i], within(2e-6));
            }
        }
    }

    @Test
    void forwardKinematics_keepsBoneLengths() {
        Random rnd = new Random(11);
        KinematicTree tree = KinematicTree.smplr();
        float[] rest = TestData.restNodes();
        float[] before = tree.boneLengths(rest);
        float[] posed = tree.forwardKinematics(rest, TestData.randomAxisAngles(rnd, 42, Math.PI));
        float[] after = tree.boneLengths(posed);
        for (int k = 0; k < before.length; k++) {
            assertThat(after[k]).as("bone %d", k + 1).isCloseTo(before[k], within(1e-6f));
        }
    }

    @Test
    void forwardKinematics_zeroPoseIsRest_rootStays() {
        float[] rest = TestData.restJoints24();
        // (J_k − J_p) + J_p in float: equal up to one rounding
        assertThat(KinematicTree.smpl().forwardKinematics(rest, new float[72])).containsExactly(rest, within(1e-6f));
        float[] pose = new float[72];
        pose[1] = 1.3f;
        float[] posed = KinematicTree.smpl().forwardKinematics(rest, pose);
        assertThat(new float[] {posed[0], posed[1], posed[2]}).containsExactly(rest[0], rest[1], rest[2]);
    }

    @Test
    void forwardKinematics_globalRotationAloneIsRigidAboutRoot() {
        float[] rest = TestData.restJoints24();
        float[] pose = new float[72];
        pose[0] = 0.3f;
        pose[1] = -1.1f;
        pose[2] = 0.7f;
        float[] posed = KinematicTree.smpl().forwardKinematics(rest, pose);
        double[] r = TestData.rodrigues64(0.3f, -1.1f, 0.7f);
        for (int j = 0; j < 24; j++) {
            for (int a = 0; a < 3; a++) {
                double expected = rest[a];
                for (int b = 0; b < 3; b++) {
                    expected += r[3 * a + b] * (rest[3 * j + b] - rest[b]);
                }
                assertThat((double) posed[3 * j + a]).isCloseTo(expected, within(1e-6));
            }
        }
    }

    @Test
    void forwardKinematics_matrixOverloadAgreesAndReturnsGlobals() {
        Random rnd = new Random(3);
        float[] rest = TestData.restJoints24();
        float[] pose = TestData.randomAxisAngles(rnd, 24, 1.5);
        float[] local = Rotations.axisAngleToMatrix(pose);
        float[] posed = new float[72];
        float[] global = new float[216];
        KinematicTree.smpl().forwardKinematics(rest, local, posed, global);
        assertThat(posed).containsExactly(KinematicTree.smpl().forwardKinematics(rest, pose));
        // the left ankle's global rotation is the product of the locals along its chain 0 -> 1 -> 4 -> 7
        double[] g = mul(mul(mul(r64(pose, 0), r64(pose, 1)), r64(pose, 4)), r64(pose, 7));
        for (int i = 0; i < 9; i++) {
            assertThat((double) global[9 * 7 + i]).isCloseTo(g[i], within(1e-6));
        }
    }

    @Test
    void forwardKinematics_rejectsBadInput() {
        KinematicTree t = KinematicTree.smpl();
        float[] rest = TestData.restJoints24();
        assertThatThrownBy(() -> t.forwardKinematics(rest, new float[69]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("axisAngle: expected 72 values (24×3 axis-angle), got 69");
        assertThatThrownBy(() -> t.forwardKinematics(new float[71], new float[72]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("restJoints: expected 72");
        float[] nan = new float[72];
        nan[3 * 17 + 1] = Float.NaN;
        assertThatThrownBy(() -> t.forwardKinematics(rest, nan))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("axisAngle[17]: NaN in y");
        float[] inf = rest.clone();
        inf[5] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> t.forwardKinematics(inf, new float[72]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("restJoints[1]: Infinity in z");
        assertThatThrownBy(() -> t.forwardKinematics(null, new float[72]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("restJoints: null");
        float[] out = new float[72];
        assertThatThrownBy(() -> t.forwardKinematics(rest, new float[216], rest, new float[216]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same array");
        assertThatThrownBy(() -> t.forwardKinematics(rest, new float[216], out, new float[215]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("globalRotations");
    }

    @Test
    void boneLengths_ofRestSkeletonAreTheTemplate() {
        float[] lengths = KinematicTree.smplr().boneLengths(TestData.restNodes());
        assertThat(lengths).hasSize(41);
        // left knee -> left ankle, measured by hand from the CSV
        double dx = 0.0873 - 0.0994;
        double dy = -0.8425 + 0.4516;
        double dz = -0.0565 + 0.0140;
        assertThat((double) lengths[6]).isCloseTo(Math.sqrt(dx * dx + dy * dy + dz * dz), within(1e-6));
    }

    // ---- float64 reference: 4×4 homogeneous transforms, G_j = G_parent · [R_j | J_j − J_parent] ----

    private static double[] referenceFk(int[] parents, float[] rest, float[] pose) {
        int n = parents.length;
        double[][] g = new double[n][];
        double[] out = new double[3 * n];
        for (int j = 0; j < n; j++) {
            double[] r = r64(pose, j);
            double[] t = new double[3];
            for (int a = 0; a < 3; a++) {
                t[a] = parents[j] < 0 ? rest[3 * j + a] : rest[3 * j + a] - rest[3 * parents[j] + a];
            }
            double[] local = {
                r[0], r[1], r[2], t[0],
                r[3], r[4], r[5], t[1],
                r[6], r[7], r[8], t[2],
                0, 0, 0, 1,
            };
            g[j] = parents[j] < 0 ? local : mul4(g[parents[j]], local);
            out[3 * j] = g[j][3];
            out[3 * j + 1] = g[j][7];
            out[3 * j + 2] = g[j][11];
        }
        return out;
    }

    private static double[] r64(float[] pose, int j) {
        return TestData.rodrigues64(pose[3 * j], pose[3 * j + 1], pose[3 * j + 2]);
    }

    private static double[] mul4(double[] a, double[] b) {
        double[] c = new double[16];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 4; k++) {
                    c[4 * i + j] += a[4 * i + k] * b[4 * k + j];
                }
            }
        }
        return c;
    }

    private static double[] mul(double[] a, double[] b) {
        double[] c = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    c[3 * i + j] += a[3 * i + k] * b[3 * k + j];
                }
            }
        }
        return c;
    }
}
