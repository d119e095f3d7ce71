package dev.smplr.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rotations against float64 references written here independently: the matrix exponential by scaling and
 * squaring of its Taylor series (not Rodrigues' formula), rotations from random unit quaternions, and the
 * nearest rotation from Horn's quaternion eigenvector method (not an SVD).
 */
class RotationsTest {
    private static final double PI = Math.PI;
    private static final float[] IDENTITY = {1, 0, 0, 0, 1, 0, 0, 0, 1};

    // -------------------------------------------------------------------------------------------------------
    // axis-angle -> matrix

    @Test
    void axisAngleToMatrix_zero_isExactIdentity() {
        float[] m = new float[9];
        Rotations.axisAngleToMatrix(new float[] {0, 0, 0}, 0, m, 0);
        assertThat(m).containsExactly(IDENTITY);
        assertThat(Rotations.axisAngleToMatrix(new float[] {0, 0, 0, 0, 0, 0}))
                .containsExactly(concat(IDENTITY, IDENTITY));
    }

    static Stream<Arguments> angles() {
        double[] angles = {1e-12, 1e-9, 1e-6, 1e-4, 9.99e-4, 1e-3, 1.01e-3, 0.1, 1, PI / 2, PI - 1e-3, PI - 1e-6,
            PI, PI + 1e-6, 4, 2 * PI, 5, 7, 20};
        return java.util.Arrays.stream(angles).mapToObj(Arguments::of);
    }

    @ParameterizedTest(name = "θ = {0}")
    @MethodSource("angles")
    void axisAngleToMatrix_angle_matchesMatrixExponential(double angle) {
        Random random = new Random(Double.hashCode(angle));
        List<double[]> axes = new ArrayList<>(List.of(new double[] {1, 0, 0}, new double[] {0, -1, 0},
                new double[] {0, 0, 1}));
        for (int i = 0; i < 5; i++) {
            axes.add(randomUnit(random));
        }
        for (double[] axis : axes) {
            float[] aa = {(float) (angle * axis[0]), (float) (angle * axis[1]), (float) (angle * axis[2])};
            float[] m = new float[9];
            Rotations.axisAngleToMatrix(aa, 0, m, 0);
            double[] expected = expRef(aa[0], aa[1], aa[2]);
            assertThat(maxAbsDiff(m, expected)).as("axis %s", java.util.Arrays.toString(axis)).isLessThan(1e-6);
            assertRotation(m, 1e-6);
        }
    }

    @Test
    void axisAngleToMatrix_tinyAngle_offDiagonalsRelativelyAccurate() {
        // At θ = 1e-12, R ≈ I + skew(a): the off-diagonal entries must keep full relative precision.
        float[] aa = {1e-12f, -2e-12f, 3e-12f};
        float[] m = new float[9];
        Rotations.axisAngleToMatrix(aa, 0, m, 0);
        double[] expected = expRef(aa[0], aa[1], aa[2]);
        for (int k = 0; k < 9; k++) {
            assertThat((double) m[k]).as("entry %d", k)
                    .isCloseTo(expected[k], within(1e-7 * Math.abs(expected[k]) + 1e-30));
        }
        assertThat(m[1]).isCloseTo(-aa[2], within(1e-18f));
        assertThat(m[0]).isEqualTo(1f);
    }

    @Test
    void axisAngleToMatrix_randomAxisAngles_orthonormalWithDetOne() {
        Random random = new Random(1);
        for (int i = 0; i < 2000; i++) {
            double[] axis = randomUnit(random);
            double angle = 25 * random.nextDouble();
            float[] aa = {(float) (angle * axis[0]), (float) (angle * axis[1]), (float) (angle * axis[2])};
            float[] m = new float[9];
            Rotations.axisAngleToMatrix(aa, 0, m, 0);
            assertRotation(m, 1e-6);
            assertThat(maxAbsDiff(m, expRef(aa[0], aa[1], aa[2]))).isLessThan(1e-6);
        }
    }

    @Test
    void axisAngleToMatrix_batched_equalsSingle() {
        Random random = new Random(2);
        int n = 24;
        float[] aa = randomFloats(random, 3 * n, 4);
        float[] single = new float[9 * n];
        for (int i = 0; i < n; i++) {
            Rotations.axisAngleToMatrix(aa, 3 * i, single, 9 * i);
        }
        assertThat(Rotations.axisAngleToMatrix(aa)).containsExactly(single);

        float[] in = new float[3 * n + 2];
        System.arraycopy(aa, 0, in, 2, 3 * n);
        float[] out = new float[9 * n + 7];
        Rotations.axisAngleToMatrix(in, 2, out, 5, n);
        assertThat(java.util.Arrays.copyOfRange(out, 5, 5 + 9 * n)).containsExactly(single);
        assertThat(java.util.Arrays.copyOfRange(out, 0, 5)).containsOnly(0f);
        assertThat(java.util.Arrays.copyOfRange(out, 5 + 9 * n, out.length)).containsOnly(0f);
    }

    @Test
    void axisAngleToMatrix_singleItemAliasedInPlace_isCorrect() {
        float[] buffer = new float[9];
        buffer[0] = 0.3f;
        buffer[1] = -0.2f;
        buffer[2] = 0.9f;
        float[] expected = new float[9];
        Rotations.axisAngleToMatrix(new float[] {0.3f, -0.2f, 0.9f}, 0, expected, 0);
        Rotations.axisAngleToMatrix(buffer, 0, buffer, 0);
        assertThat(buffer).containsExactly(expected);
    }

    // -------------------------------------------------------------------------------------------------------
    // matrix -> axis-angle

    @Test
    void matrixToAxisAngle_randomRotations_roundTrip() {
        Random random = new Random(3);
        for (int i = 0; i < 2000; i++) {
            double[] q = randomQuaternion(random);
            float[] m = toFloat(quaternionToMatrix(q));
            float[] aa = new float[3];
            Rotations.matrixToAxisAngle(m, 0, aa, 0);
            assertThat(norm(aa)).isLessThanOrEqualTo(PI + 1e-6);
            assertThat(maxAbsDiff(m, expRef(aa[0], aa[1], aa[2]))).isLessThan(1e-6);
            // The quaternion's own axis-angle: θ = 2 acos|w|, axis = sign(w) v / |v|.
            double sign = q[0] < 0 ? -1 : 1;
            double vn = Math.sqrt(q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
            double theta = 2 * Math.acos(Math.min(1, Math.abs(q[0])));
            double[] expected = {sign * theta * q[1] / vn, sign * theta * q[2] / vn, sign * theta * q[3] / vn};
            assertThat(antipodalDistance(aa, expected)).isLessThan(1e-6);
        }
    }

    @ParameterizedTest(name = "θ = π + {0}")
    @ValueSource(doubles = {-1e-3, -1e-5, -1e-6, -3e-7, -1e-7, 0, 1e-7, 1e-6, 1e-5})
    void matrixToAxisAngle_nearPi_stable(double offset) {
        Random random = new Random(4);
        List<double[]> axes = new ArrayList<>(List.of(new double[] {1, 0, 0}, new double[] {0, 1, 0},
                new double[] {0, 0, -1}, new double[] {Math.sqrt(0.5), -Math.sqrt(0.5), 0}));
        for (int i = 0; i < 20; i++) {
            axes.add(randomUnit(random));
        }
        double theta = PI + offset;
        for (double[] axis : axes) {
            double[] ref = {theta * axis[0], theta * axis[1], theta * axis[2]};
            float[] m = toFloat(expRef(ref[0], ref[1], ref[2]));
            float[] aa = new float[3];
            Rotations.matrixToAxisAngle(m, 0, aa, 0);
            assertThat(norm(aa)).isLessThanOrEqualTo(PI + 1e-6);
            assertThat(maxAbsDiff(m, expRef(aa[0], aa[1], aa[2]))).isLessThan(1e-6);
            assertThat(antipodalDistance(aa, ref)).as("axis %s", java.util.Arrays.toString(axis))
                    .isLessThan(1e-6);
        }
    }

    @ParameterizedTest(name = "θ = {0}")
    @ValueSource(doubles = {1e-12, 1e-9, 1e-6, 9e-5, 1e-4, 2e-4, 1e-3, 1e-2})
    void matrixToAxisAngle_smallAngle_relativelyAccurate(double theta) {
        Random random = new Random(5);
        for (int i = 0; i < 20; i++) {
            double[] axis = randomUnit(random);
            double[] ref = {theta * axis[0], theta * axis[1], theta * axis[2]};
            float[] m = toFloat(expRef(ref[0], ref[1], ref[2]));
            float[] aa = new float[3];
            Rotations.matrixToAxisAngle(m, 0, aa, 0);
            double err = Math.sqrt(sq(aa[0] - ref[0]) + sq(aa[1] - ref[1]) + sq(aa[2] - ref[2]));
            assertThat(err / theta).isLessThan(1e-6);
        }
    }

    @Test
    void matrixToAxisAngle_identity_isExactZero() {
        float[] aa = {7, 7, 7};
        Rotations.matrixToAxisAngle(IDENTITY.clone(), 0, aa, 0);
        assertThat(aa).containsExactly(0f, 0f, 0f);
    }

    @Test
    void matrixToAxisAngle_axisAngleRoundTrip_recoversAxisAngle() {
        Random random = new Random(6);
        int n = 500;
        float[] aa = new float[3 * n];
        for (int i = 0; i < n; i++) {
            double[] axis = randomUnit(random);
            double angle = (PI - 1e-3) * random.nextDouble();
            for (int k = 0; k < 3; k++) {
                aa[3 * i + k] = (float) (angle * axis[k]);
            }
        }
        float[] back = Rotations.matrixToAxisAngle(Rotations.axisAngleToMatrix(aa));
        for (int k = 0; k < aa.length; k++) {
            assertThat(back[k]).isCloseTo(aa[k], within(1e-6f));
        }
    }

    @Test
    void matrixToAxisAngle_batched_equalsSingle() {
        Random random = new Random(7);
        int n = 24;
        float[] m = new float[9 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(toFloat(quaternionToMatrix(randomQuaternion(random))), 0, m, 9 * i, 9);
        }
        float[] single = new float[3 * n];
        for (int i = 0; i < n; i++) {
            Rotations.matrixToAxisAngle(m, 9 * i, single, 3 * i);
        }
        assertThat(Rotations.matrixToAxisAngle(m)).containsExactly(single);
        float[] out = new float[3 * n + 1];
        Rotations.matrixToAxisAngle(m, 0, out, 1, n);
        assertThat(java.util.Arrays.copyOfRange(out, 1, out.length)).containsExactly(single);
    }

    // -------------------------------------------------------------------------------------------------------
    // projection

    @Test
    void projectToRotation_noisyRotations_matchesHornReference() {
        Random random = new Random(8);
        for (int i = 0; i < 500; i++) {
            float[] m = toFloat(quaternionToMatrix(randomQuaternion(random)));
            for (int k = 0; k < 9; k++) {
                m[k] += (float) (0.2 * random.nextDouble() - 0.1);
            }
            float[] r = new float[9];
            Rotations.projectToRotation(m, 0, r, 0);
            assertRotation(r, 1e-6);
            assertThat(maxAbsDiff(r, nearestRotationRef(toDouble(m)))).isLessThan(1e-6);
        }
    }

    @Test
    void projectToRotation_result_isNearerThanPerturbedRotations() {
        Random random = new Random(9);
        for (int i = 0; i < 50; i++) {
            float[] m = toFloat(quaternionToMatrix(randomQuaternion(random)));
            for (int k = 0; k < 9; k++) {
                m[k] += (float) (0.6 * random.nextDouble() - 0.3);
            }
            float[] r = new float[9];
            Rotations.projectToRotation(m, 0, r, 0);
            double best = frobenius(toDouble(r), toDouble(m));
            for (int j = 0; j < 20; j++) {
                double[] axis = randomUnit(random);
                double[] d = expRef(1e-2 * axis[0], 1e-2 * axis[1], 1e-2 * axis[2]);
                assertThat(frobenius(mul(toDouble(r), d), toDouble(m))).isGreaterThan(best);
            }
        }
    }

    @Test
    void projectToRotation_reflections_giveProperRotations() {
        Random random = new Random(10);
        for (int i = 0; i < 200; i++) {
            double[] rot = quaternionToMatrix(randomQuaternion(random));
            // diag(1, 1, −1) · R: orthogonal with det −1; every nearest rotation is at distance 2.
            double[] reflected = rot.clone();
            for (int c = 0; c < 3; c++) {
                reflected[6 + c] = -reflected[6 + c];
            }
            float[] m = toFloat(reflected);
            float[] r = new float[9];
            Rotations.projectToRotation(m, 0, r, 0);
            assertRotation(r, 1e-6);
            assertThat(frobenius(toDouble(r), toDouble(m))).isCloseTo(2, within(1e-5));

            // U diag(3, 2, −0.5) Vᵀ has det < 0 and distinct singular values: the nearest rotation is U Vᵀ.
            double[] u = quaternionToMatrix(randomQuaternion(random));
            double[] v = quaternionToMatrix(randomQuaternion(random));
            double[] s = {3, 0, 0, 0, 2, 0, 0, 0, -0.5};
            float[] m2 = toFloat(mul(mul(u, s), transpose(v)));
            Rotations.projectToRotation(m2, 0, r, 0);
            assertRotation(r, 1e-6);
            assertThat(maxAbsDiff(r, mul(u, transpose(v)))).isLessThan(1e-6);
            assertThat(maxAbsDiff(r, nearestRotationRef(toDouble(m2)))).isLessThan(1e-6);
        }
    }

    @Test
    void projectToRotation_exactRotation_isUnchanged() {
        Random random = new Random(11);
        for (int i = 0; i < 500; i++) {
            float[] m = toFloat(quaternionToMatrix(randomQuaternion(random)));
            float[] r = new float[9];
            Rotations.projectToRotation(m, 0, r, 0);
            assertThat(maxAbsDiff(r, toDouble(m))).isLessThan(1e-6);
        }
        float[] r = new float[9];
        Rotations.projectToRotation(IDENTITY.clone(), 0, r, 0);
        assertThat(maxAbsDiff(r, toDouble(IDENTITY))).isLessThan(1e-7);
    }

    @Test
    void projectToRotation_rankDeficient_givesARotation() {
        float[] r = new float[9];
        Rotations.projectToRotation(new float[9], 0, r, 0);
        assertRotation(r, 1e-6);
        Rotations.projectToRotation(new float[] {1, 2, 3, 2, 4, 6, -1, -2, -3}, 0, r, 0);
        assertRotation(r, 1e-6);
        Rotations.projectToRotation(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 0}, 0, r, 0);
        assertThat(maxAbsDiff(r, toDouble(IDENTITY))).isLessThan(1e-6);
    }

    /** U diag(σ) Vᵀ with det &gt; 0 over a wide range of conditioning and scale: the polar iteration's domain. */
    @Test
    void projectToRotation_positiveDeterminant_isUVt() {
        Random random = new Random(13);
        for (int i = 0; i < 500; i++) {
            double[] u = quaternionToMatrix(randomQuaternion(random));
            double[] v = quaternionToMatrix(randomQuaternion(random));
            double scale = Math.pow(10, 6 * random.nextDouble() - 3);
            double[] s = new double[9];
            for (int k = 0; k < 3; k++) { // σ from 1e-3 to 1 times the scale: det ratio down to 1e-9
                s[4 * k] = scale * Math.pow(10, -3 * random.nextDouble());
            }
            float[] m = toFloat(mul(mul(u, s), transpose(v)));
            float[] r = new float[9];
            Rotations.projectToRotation(m, 0, r, 0);
            assertRotation(r, 1e-6);
            double[] ref = nearestRotationRef(toDouble(m));
            // the polar factor's sensitivity to the float rounding of m grows as 1/(σ₂ + σ₃)
            double sens = Math.max(1, scale / (s[0] + s[4] + s[8] - Math.max(s[0], Math.max(s[4], s[8]))));
            assertThat(maxAbsDiff(r, ref)).as("matrix %d", i).isLessThan(1e-6 * sens);
        }
    }

    /** Near-rotations as a network's tanh outputs give them: the polar result equals U Vᵀ to float rounding. */
    @Test
    void projectToRotation_nearRotations_matchSvdToRounding() {
        Random random = new Random(14);
        for (int i = 0; i < 500; i++) {
            double[] u = quaternionToMatrix(randomQuaternion(random));
            double[] v = quaternionToMatrix(randomQuaternion(random));
            double[] s = {0.6 + 0.4 * random.nextDouble(), 0, 0, 0, 0.6 + 0.4 * random.nextDouble(), 0, 0, 0,
                0.6 + 0.4 * random.nextDouble()};
            float[] m = toFloat(mul(mul(u, s), transpose(v)));
            float[] r = new float[9];
            Rotations.projectToRotation(m, 0, r, 0);
            assertThat(maxAbsDiff(r, nearestRotationRef(toDouble(m)))).isLessThan(2e-7);
        }
    }

    @Test
    void projectToRotation_batchedAndInPlace_equalSingle() {
        Random random = new Random(12);
        int n = 24;
        float[] m = randomFloats(random, 9 * n, 1);
        float[] single = new float[9 * n];
        for (int i = 0; i < n; i++) {
            Rotations.projectToRotation(m, 9 * i, single, 9 * i);
        }
        assertThat(Rotations.projectToRotation(m)).containsExactly(single);
        float[] inPlace = m.clone();
        Rotations.projectToRotation(inPlace, 0, inPlace, 0, n);
        assertThat(inPlace).containsExactly(single);
    }

    // -------------------------------------------------------------------------------------------------------
    // 6D

    @Test
    void matrixToRotation6d_layout_isFirstTwoColumns() {
        float[] m = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        float[] s = new float[6];
        Rotations.matrixToRotation6d(m, 0, s, 0);
        assertThat(s).containsExactly(0, 3, 6, 1, 4, 7);
    }

    @Test
    void rotation6d_roundTrip_recoversRotation() {
        Random random = new Random(13);
        int n = 200;
        float[] m = new float[9 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(toFloat(quaternionToMatrix(randomQuaternion(random))), 0, m, 9 * i, 9);
        }
        float[] six = Rotations.matrixToRotation6d(m);
        float[] back = Rotations.rotation6dToMatrix(six);
        for (int k = 0; k < m.length; k++) {
            assertThat(back[k]).isCloseTo(m[k], within(1e-6f));
        }
        float[] six2 = new float[6 * n];
        Rotations.matrixToRotation6d(m, 0, six2, 0, n);
        assertThat(six2).containsExactly(six);
        float[] back2 = new float[9 * n];
        Rotations.rotation6dToMatrix(six, 0, back2, 0, n);
        assertThat(back2).containsExactly(back);
    }

    @Test
    void rotation6dToMatrix_arbitraryColumns_matchesGramSchmidtReference() {
        Random random = new Random(14);
        for (int i = 0; i < 500; i++) {
            float[] s = randomFloats(random, 6, 1 + 10 * random.nextDouble());
            float[] m = new float[9];
            Rotations.rotation6dToMatrix(s, 0, m, 0);
            assertRotation(m, 1e-6);
            double[] a1 = {s[0], s[1], s[2]};
            double[] a2 = {s[3], s[4], s[5]};
            double[] b1 = scale(a1, 1 / Math.sqrt(dot(a1, a1)));
            double[] p = sub(a2, scale(b1, dot(b1, a2)));
            double[] b2 = scale(p, 1 / Math.sqrt(dot(p, p)));
            double[] b3 = cross(b1, b2);
            double[] expected = {b1[0], b2[0], b3[0], b1[1], b2[1], b3[1], b1[2], b2[2], b3[2]};
            assertThat(maxAbsDiff(m, expected)).isLessThan(1e-6);
        }
    }

    @Test
    void rotation6dToMatrix_degenerate_throws() {
        float[] m = new float[9];
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Rotations.rotation6dToMatrix(new float[] {0, 0, 0, 0, 1, 0}, 0, m, 0))
                .withMessageStartingWith("sixD:").withMessageContaining("non-zero");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Rotations.rotation6dToMatrix(new float[] {1, 0, 0, 0, 0, 0}, 0, m, 0))
                .withMessageStartingWith("sixD:").withMessageContaining("non-zero");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Rotations.rotation6dToMatrix(new float[] {1, 2, 3, -2, -4, -6}, 0, m, 0))
                .withMessageStartingWith("sixD:").withMessageContaining("parallel");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Rotations.rotation6dToMatrix(new float[] {1, 0, 0, 0, 1, 0, 1, 1, 0, 2, 2, 0}))
                .withMessageStartingWith("sixDs[1]:").withMessageContaining("parallel");
        // Nearly parallel but resolvable: accepted.
        Rotations.rotation6dToMatrix(new float[] {1, 0, 0, 1, 1e-4f, 0}, 0, m, 0);
        assertThat(maxAbsDiff(m, toDouble(IDENTITY))).isLessThan(1e-6);
    }

    // -------------------------------------------------------------------------------------------------------
    // 3×3 helpers

    @Test
    void multiplyTransposeRotate_matchDoubleReference() {
        Random random = new Random(15);
        for (int i = 0; i < 200; i++) {
            float[] a = randomFloats(random, 9, 2);
            float[] b = randomFloats(random, 9, 2);
            float[] v = randomFloats(random, 3, 2);
            float[] out = new float[9];
            Rotations.multiply(a, 0, b, 0, out, 0);
            assertThat(maxAbsDiff(out, mul(toDouble(a), toDouble(b)))).isLessThan(1e-6);
            Rotations.transpose(a, 0, out, 0);
            assertThat(out).containsExactly(toFloat(transpose(toDouble(a))));
            float[] rv = new float[3];
            Rotations.rotate(a, 0, v, 0, rv, 0);
            double[] ad = toDouble(a);
            for (int r = 0; r < 3; r++) {
                double expected = ad[3 * r] * v[0] + ad[3 * r + 1] * v[1] + ad[3 * r + 2] * v[2];
                assertThat((double) rv[r]).isCloseTo(expected, within(1e-6));
            }
        }
    }

    @Test
    void multiplyTransposeRotate_aliasedOutput_sameAsSeparate() {
        Random random = new Random(16);
        float[] a = randomFloats(random, 9, 1);
        float[] b = randomFloats(random, 9, 1);
        float[] expected = new float[9];
        Rotations.multiply(a, 0, b, 0, expected, 0);
        float[] aliasA = a.clone();
        Rotations.multiply(aliasA, 0, b, 0, aliasA, 0);
        assertThat(aliasA).containsExactly(expected);
        float[] aliasB = b.clone();
        Rotations.multiply(a, 0, aliasB, 0, aliasB, 0);
        assertThat(aliasB).containsExactly(expected);

        float[] t = a.clone();
        Rotations.transpose(t, 0, t, 0);
        assertThat(t).containsExactly(toFloat(transpose(toDouble(a))));

        float[] v = {1, 2, 3};
        float[] rv = new float[3];
        Rotations.rotate(a, 0, v, 0, rv, 0);
        Rotations.rotate(a, 0, v, 0, v, 0);
        assertThat(v).containsExactly(rv);
    }

    @Test
    void multiply_offsets_readAndWriteTheRightEntries() {
        float[] buffer = new float[30];
        System.arraycopy(new float[] {0, -1, 0, 1, 0, 0, 0, 0, 1}, 0, buffer, 1, 9); // R_z(90°)
        System.arraycopy(new float[] {0, -1, 0, 1, 0, 0, 0, 0, 1}, 0, buffer, 10, 9);
        Rotations.multiply(buffer, 1, buffer, 10, buffer, 20);
        assertThat(java.util.Arrays.copyOfRange(buffer, 20, 29)).containsExactly(-1, 0, 0, 0, -1, 0, 0, 0, 1);
        assertThat(buffer[19]).isZero();
        assertThat(buffer[29]).isZero();
    }

    // -------------------------------------------------------------------------------------------------------
    // argument checks

    /** One array argument of one public method, with the call that passes it and valid values for it. */
    record Arg(String method, String name, boolean input, float[] valid, Consumer<float[]> call) {
        @Override
        public String toString() {
            return method + ": " + name;
        }
    }

    static List<Arg> args() {
        float[] aa = {0.1f, 0.2f, 0.3f};
        float[] aa2 = concat(aa, aa);
        float[] m = IDENTITY;
        float[] m2 = concat(m, m);
        float[] s6 = {1, 0, 0, 0, 1, 0};
        float[] s62 = concat(s6, s6);
        float[] v = {1, 2, 3};
        List<Arg> list = new ArrayList<>();

        list.add(new Arg("axisAngleToMatrix", "axisAngle", true, aa,
                x -> Rotations.axisAngleToMatrix(x, 0, new float[9], 0)));
        list.add(new Arg("axisAngleToMatrix", "matrix", false, new float[9],
                x -> Rotations.axisAngleToMatrix(aa.clone(), 0, x, 0)));
        list.add(new Arg("axisAngleToMatrix(count)", "axisAngles", true, aa2,
                x -> Rotations.axisAngleToMatrix(x, 0, new float[18], 0, 2)));
        list.add(new Arg("axisAngleToMatrix(count)", "matrices", false, new float[18],
                x -> Rotations.axisAngleToMatrix(aa2.clone(), 0, x, 0, 2)));
        list.add(new Arg("axisAngleToMatrix(batch)", "axisAngles", true, aa2, Rotations::axisAngleToMatrix));

        list.add(new Arg("matrixToAxisAngle", "matrix", true, m,
                x -> Rotations.matrixToAxisAngle(x, 0, new float[3], 0)));
        list.add(new Arg("matrixToAxisAngle", "axisAngle", false, new float[3],
                x -> Rotations.matrixToAxisAngle(m.clone(), 0, x, 0)));
        list.add(new Arg("matrixToAxisAngle(count)", "matrices", true, m2,
                x -> Rotations.matrixToAxisAngle(x, 0, new float[6], 0, 2)));
        list.add(new Arg("matrixToAxisAngle(count)", "axisAngles", false, new float[6],
                x -> Rotations.matrixToAxisAngle(m2.clone(), 0, x, 0, 2)));
        list.add(new Arg("matrixToAxisAngle(batch)", "matrices", true, m2, Rotations::matrixToAxisAngle));

        list.add(new Arg("projectToRotation", "matrix", true, m,
                x -> Rotations.projectToRotation(x, 0, new float[9], 0)));
        list.add(new Arg("projectToRotation", "rotation", false, new float[9],
                x -> Rotations.projectToRotation(m.clone(), 0, x, 0)));
        list.add(new Arg("projectToRotation(count)", "matrices", true, m2,
                x -> Rotations.projectToRotation(x, 0, new float[18], 0, 2)));
        list.add(new Arg("projectToRotation(count)", "rotations", false, new float[18],
                x -> Rotations.projectToRotation(m2.clone(), 0, x, 0, 2)));
        list.add(new Arg("projectToRotation(batch)", "matrices", true, m2, Rotations::projectToRotation));

        list.add(new Arg("rotation6dToMatrix", "sixD", true, s6,
                x -> Rotations.rotation6dToMatrix(x, 0, new float[9], 0)));
        list.add(new Arg("rotation6dToMatrix", "matrix", false, new float[9],
                x -> Rotations.rotation6dToMatrix(s6.clone(), 0, x, 0)));
        list.add(new Arg("rotation6dToMatrix(count)", "sixDs", true, s62,
                x -> Rotations.rotation6dToMatrix(x, 0, new float[18], 0, 2)));
        list.add(new Arg("rotation6dToMatrix(count)", "matrices", false, new float[18],
                x -> Rotations.rotation6dToMatrix(s62.clone(), 0, x, 0, 2)));
        list.add(new Arg("rotation6dToMatrix(batch)", "sixDs", true, s62, Rotations::rotation6dToMatrix));

        list.add(new Arg("matrixToRotation6d", "matrix", true, m,
                x -> Rotations.matrixToRotation6d(x, 0, new float[6], 0)));
        list.add(new Arg("matrixToRotation6d", "sixD", false, new float[6],
                x -> Rotations.matrixToRotation6d(m.clone(), 0, x, 0)));
        list.add(new Arg("matrixToRotation6d(count)", "matrices", true, m2,
                x -> Rotations.matrixToRotation6d(x, 0, new float[12], 0, 2)));
        list.add(new Arg("matrixToRotation6d(count)", "sixDs", false, new float[12],
                x -> Rotations.matrixToRotation6d(m2.clone(), 0, x, 0, 2)));
        list.add(new Arg("matrixToRotation6d(batch)", "matrices", true, m2, Rotations::matrixToRotation6d));

        list.add(new Arg("multiply", "a", true, m, x -> Rotations.multiply(x, 0, m.clone(), 0, new float[9], 0)));
        list.add(new Arg("multiply", "b", true, m, x -> Rotations.multiply(m.clone(), 0, x, 0, new float[9], 0)));
        list.add(new Arg("multiply", "out", false, new float[9],
                x -> Rotations.multiply(m.clone(), 0, m.clone(), 0, x, 0)));
        list.add(new Arg("transpose", "a", true, m, x -> Rotations.transpose(x, 0, new float[9], 0)));
        list.add(new Arg("transpose", "out", false, new float[9], x -> Rotations.transpose(m.clone(), 0, x, 0)));
        list.add(new Arg("rotate", "r", true, m, x -> Rotations.rotate(x, 0, v.clone(), 0, new float[3], 0)));
        list.add(new Arg("rotate", "v", true, v, x -> Rotations.rotate(m.clone(), 0, x, 0, new float[3], 0)));
        list.add(new Arg("rotate", "out", false, new float[3],
                x -> Rotations.rotate(m.clone(), 0, v.clone(), 0, x, 0)));
        return list;
    }

    static Stream<Arguments> inputsWithBadValues() {
        List<Arguments> list = new ArrayList<>();
        for (Arg arg : args()) {
            if (!arg.input()) {
                continue;
            }
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                for (int index : new int[] {0, arg.valid().length - 1}) {
                    list.add(Arguments.of(arg, bad, index));
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("args")
    void publicMethods_validArguments_doNotThrow(Arg arg) {
        arg.call().accept(arg.valid().clone());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("args")
    void publicMethods_tooShort_throwNamingArgument(Arg arg) {
        float[] shorter = java.util.Arrays.copyOf(arg.valid(), arg.valid().length - 1);
        assertNamed(arg, shorter);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("args")
    void publicMethods_null_throwNamingArgument(Arg arg) {
        assertNamed(arg, null);
    }

    @ParameterizedTest(name = "{0} = {1} at {2}")
    @MethodSource("inputsWithBadValues")
    void publicMethods_nonFinite_throwNamingArgument(Arg arg, float bad, int index) {
        float[] values = arg.valid().clone();
        values[index] = bad;
        assertNamed(arg, values);
    }

    private static void assertNamed(Arg arg, float[] values) {
        assertThatIllegalArgumentException().isThrownBy(() -> arg.call().accept(values))
                .withMessageMatching(Pattern.quote(arg.name()) + "[:\\[].*");
    }

    @Test
    void batchedAllocating_emptyOrWrongMultiple_throws() {
        assertThatIllegalArgumentException().isThrownBy(() -> Rotations.axisAngleToMatrix(new float[0]))
                .withMessageStartingWith("axisAngles:");
        assertThatIllegalArgumentException().isThrownBy(() -> Rotations.matrixToAxisAngle(new float[10]))
                .withMessageStartingWith("matrices:").withMessageContaining("multiple of 9");
    }

    @Test
    void offsetsAndCounts_outOfRange_throw() {
        float[] m = new float[9];
        assertThatIllegalArgumentException().isThrownBy(() -> Rotations.axisAngleToMatrix(new float[3], -1, m, 0))
                .withMessageStartingWith("axisAngleOff:");
        assertThatIllegalArgumentException().isThrownBy(() -> Rotations.axisAngleToMatrix(new float[3], 1, m, 0))
                .withMessageStartingWith("axisAngle:").withMessageContaining("offset 1");
        assertThatIllegalArgumentException().isThrownBy(() -> Rotations.axisAngleToMatrix(new float[3], 0, m, 1))
                .withMessageStartingWith("matrix:");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Rotations.axisAngleToMatrix(new float[6], 0, new float[18], 0, -1))
                .withMessageStartingWith("count:");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Rotations.axisAngleToMatrix(new float[6], 0, new float[18], 0, 3))
                .withMessageStartingWith("axisAngles:").withMessageContaining("expected 9 values");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Rotations.axisAngleToMatrix(new float[6], 0, new float[18], 0, Integer.MAX_VALUE))
                .withMessageStartingWith("axisAngles:");
        // count 0 is a no-op
        float[] untouched = {5, 5, 5, 5, 5, 5, 5, 5, 5};
        Rotations.projectToRotation(new float[0], 0, untouched, 0, 0);
        assertThat(untouched).containsOnly(5f);
    }

    @Test
    void batched_overlappingSameArray_throws() {
        float[] buffer = new float[40];
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Rotations.axisAngleToMatrix(buffer, 0, buffer, 3, 2))
                .withMessageStartingWith("axisAngles and matrices are the same array");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Rotations.projectToRotation(buffer, 0, buffer, 9, 2))
                .withMessageStartingWith("matrices and rotations are the same array");
        // Disjoint ranges of one array are fine.
        Rotations.axisAngleToMatrix(buffer, 0, buffer, 6, 2);
        assertThat(java.util.Arrays.copyOfRange(buffer, 6, 15)).containsExactly(IDENTITY);
    }

    // -------------------------------------------------------------------------------------------------------
    // float64 references and helpers

    /** exp(skew(a)) by scaling and squaring its Taylor series, summed until the terms vanish. */
    static double[] expRef(double x, double y, double z) {
        double norm = Math.sqrt(x * x + y * y + z * z);
        int squarings = 0;
        while (norm / Math.pow(2, squarings) > 0.25) {
            squarings++;
        }
        double f = Math.pow(2, -squarings);
        double[] k = {0, -z * f, y * f, z * f, 0, -x * f, -y * f, x * f, 0};
        double[] sum = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        double[] term = sum.clone();
        for (int n = 1; n < 60; n++) {
            term = mul(term, k);
            for (int i = 0; i < 9; i++) {
                term[i] /= n;
                sum[i] += term[i];
            }
            if (maxAbs(term) < 1e-25) {
                break;
            }
        }
        for (int i = 0; i < squarings; i++) {
            sum = mul(sum, sum);
        }
        return sum;
    }

    /** The homogeneous quadratic form of the rotation of quaternion (w, x, y, z); a rotation for unit q. */
    static double[] quaternionToMatrixUnnormalised(double[] q) {
        double w = q[0];
        double x = q[1];
        double y = q[2];
        double z = q[3];
        return new double[] {
            w * w + x * x - y * y - z * z, 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), w * w - x * x + y * y - z * z, 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), w * w - x * x - y * y + z * z};
    }

    static double[] quaternionToMatrix(double[] q) {
        double n = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
        return quaternionToMatrixUnnormalised(new double[] {q[0] / n, q[1] / n, q[2] / n, q[3] / n});
    }

    /** Uniformly distributed rotation: a normalised 4D Gaussian. */
    static double[] randomQuaternion(Random random) {
        double[] q = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
        double n = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
        return new double[] {q[0] / n, q[1] / n, q[2] / n, q[3] / n};
    }

    /**
     * Nearest rotation in the Frobenius norm by Horn's method: maximise tr(R(q)ᵀ M) = qᵀ N q over unit q;
     * N is found from the quadratic form by polarisation and its top eigenvector by Jacobi sweeps.
     */
    static double[] nearestRotationRef(double[] m) {
        double[][] n = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double[] plus = new double[4];
                double[] minus = new double[4];
                plus[i] += 1;
                plus[j] += 1;
                minus[i] += 1;
                minus[j] -= 1;
                n[i][j] = (traceProduct(quaternionToMatrixUnnormalised(plus), m)
                        - traceProduct(quaternionToMatrixUnnormalised(minus), m)) / 4;
            }
        }
        double[][] vectors = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < 4; p++) {
                for (int q = p + 1; q < 4; q++) {
                    off += n[p][q] * n[p][q];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < 4; p++) {
                for (int q = p + 1; q < 4; q++) {
                    if (n[p][q] == 0) {
                        continue;
                    }
                    double theta = (n[q][q] - n[p][p]) / (2 * n[p][q]);
                    double t = Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < 4; k++) {
                        double kp = n[k][p];
                        double kq = n[k][q];
                        n[k][p] = c * kp - s * kq;
                        n[k][q] = s * kp + c * kq;
                    }
                    for (int k = 0; k < 4; k++) {
                        double pk = n[p][k];
                        double qk = n[q][k];
                        n[p][k] = c * pk - s * qk;
                        n[q][k] = s * pk + c * qk;
                    }
                    for (int k = 0; k < 4; k++) {
                        double kp = vectors[k][p];
                        double kq = vectors[k][q];
                        vectors[k][p] = c * kp - s * kq;
                        vectors[k][q] = s * kp + c * kq;
                    }
                }
            }
        }
        for (int p = 0; p < 4; p++) {
            for (int q = p + 1; q < 4; q++) {
                assertThat(Math.abs(n[p][q])).as("Jacobi converged").isLessThan(1e-12);
            }
        }
        int top = 0;
        for (int k = 1; k < 4; k++) {
            if (n[k][k] > n[top][top]) {
                top = k;
            }
        }
        return quaternionToMatrix(new double[] {vectors[0][top], vectors[1][top], vectors[2][top], vectors[3][top]});
    }

    /** tr(Aᵀ B) = sum_ij A_ij B_ij. */
    static double traceProduct(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** Distance of two axis-angles as vectors, allowing the other representative θ ↦ θ − 2π of the same rotation. */
    static double antipodalDistance(float[] aa, double[] ref) {
        double n = Math.sqrt(dot(ref, ref));
        double direct = Math.sqrt(sq(aa[0] - ref[0]) + sq(aa[1] - ref[1]) + sq(aa[2] - ref[2]));
        if (n == 0) {
            return direct;
        }
        double f = (n - 2 * PI) / n;
        double other = Math.sqrt(sq(aa[0] - f * ref[0]) + sq(aa[1] - f * ref[1]) + sq(aa[2] - f * ref[2]));
        return Math.min(direct, other);
    }

    static void assertRotation(float[] m, double tolerance) {
        double[] d = toDouble(m);
        double[] rtr = mul(transpose(d), d);
        double[] eye = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        for (int i = 0; i < 9; i++) {
            assertThat(rtr[i]).as("RᵀR entry %d", i).isCloseTo(eye[i], within(tolerance));
        }
        assertThat(det(d)).as("det").isCloseTo(1, within(tolerance));
    }

    static double[] mul(double[] a, double[] b) {
        double[] c = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int col = 0; col < 3; col++) {
                double sum = 0;
                for (int k = 0; k < 3; k++) {
                    sum += a[3 * r + k] * b[3 * k + col];
                }
                c[3 * r + col] = sum;
            }
        }
        return c;
    }

    static double[] transpose(double[] a) {
        return new double[] {a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]};
    }

    static double det(double[] d) {
        return d[0] * (d[4] * d[8] - d[5] * d[7]) - d[1] * (d[3] * d[8] - d[5] * d[6])
                + d[2] * (d[3] * d[7] - d[4] * d[6]);
    }

    static double frobenius(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += sq(a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }

    static double maxAbsDiff(float[] a, double[] b) {
        assertThat(a).hasSize(b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static double maxAbs(double[] a) {
        double max = 0;
        for (double v : a) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    static double[] randomUnit(Random random) {
        double[] v = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
        return scale(v, 1 / Math.sqrt(dot(v, v)));
    }

    static float[] randomFloats(Random random, int n, double range) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (range * (2 * random.nextDouble() - 1));
        }
        return v;
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    static double[] scale(double[] a, double f) {
        return new double[] {a[0] * f, a[1] * f, a[2] * f};
    }

    static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    static double norm(float[] v) {
        return Math.sqrt((double) v[0] * v[0] + (double) v[1] * v[1] + (double) v[2] * v[2]);
    }

    static double sq(double x) {
        return x * x;
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    static float[] concat(float[] a, float[] b) {
        float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
