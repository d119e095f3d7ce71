package dev.smplr.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void mpjpe_isTheMeanDistanceInMillimetres() {
        float[] a = {0, 0, 0, 1, 1, 1};
        float[] b = {0.003f, 0.004f, 0, 1, 1, 1.01f};
        assertThat(Metrics.mpjpe(a, b)).isCloseTo((5.0 + 10.0) / 2, within(1e-4));
        assertThat(Metrics.pointErrors(a, b)).containsExactly(new double[] {5.0, 10.0}, within(1e-4));
        assertThat(Metrics.mpjpe(a, b, new int[] {1})).isCloseTo(10.0, within(1e-4));
        assertThat(Metrics.pve(a, b)).isEqualTo(Metrics.mpjpe(a, b));
    }

    @Test
    void paMpjpe_isZeroForAScaledRotatedTranslatedCopy() {
        Random rnd = new Random(1);
        float[] target = TestData.restPoints41();
        double[] r = TestData.rodrigues64(0.4, -2.0, 1.1);
        float[] moved = new float[123];
        for (int i = 0; i < 41; i++) {
            for (int a = 0; a < 3; a++) {
                double v = 0;
                for (int b = 0; b < 3; b++) {
                    v += r[3 * a + b] * target[3 * i + b];
                }
                moved[3 * i + a] = (float) (1.7 * v + (a + 1) * 0.5);
            }
        }
        assertThat(Metrics.mpjpe(moved, target)).isGreaterThan(100);
        assertThat(Metrics.paMpjpe(moved, target)).isCloseTo(0.0, within(1e-3));
        // and a mirror image is not a similarity: Procrustes must not undo the reflection
        float[] mirrored = target.clone();
        for (int i = 0; i < 41; i++) {
            mirrored[3 * i] = -mirrored[3 * i];
        }
        assertThat(Metrics.paMpjpe(mirrored, target)).isGreaterThan(10);
        // never worse than no alignment, with noise
        float[] noisy = target.clone();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (float) (0.02 * rnd.nextGaussian());
        }
        assertThat(Metrics.paMpjpe(noisy, target)).isLessThanOrEqualTo(Metrics.mpjpe(noisy, target));
    }

    @Test
    void procrustesAlign_isOptimal_noSimilarityPerturbationImproves() {
        Random rnd = new Random(2);
        int n = 41;
        double[] x = new double[3 * n];
        double[] y = new double[3 * n];
        float[] rest = TestData.restPoints41();
        for (int i = 0; i < 3 * n; i++) {
            y[i] = rest[i];
            x[i] = rest[i] * 0.9 + 0.05 * rnd.nextGaussian() + 0.3;
        }
        double[] aligned = Metrics.procrustesAlign(x, y, n);
        double best = sse(aligned, y);
        // similarity transforms form a group: perturbing the optimum by any small one must not reduce the error
        for (int trial = 0; trial < 2000; trial++) {
            double[] r = TestData.rodrigues64(0.02 * rnd.nextGaussian(), 0.02 * rnd.nextGaussian(),
                    0.02 * rnd.nextGaussian());
            double s = 1 + 0.02 * rnd.nextGaussian();
            double[] t = {0.005 * rnd.nextGaussian(), 0.005 * rnd.nextGaussian(), 0.005 * rnd.nextGaussian()};
            double[] moved = new double[3 * n];
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < 3; a++) {
                    double v = t[a];
                    for (int b = 0; b < 3; b++) {
                        v += s * r[3 * a + b] * aligned[3 * i + b];
                    }
                    moved[3 * i + a] = v;
                }
            }
            assertThat(sse(moved, y)).as("trial %d", trial).isGreaterThanOrEqualTo(best - 1e-12);
        }
    }

    private static double sse(double[] a, double[] b) {
        double e = 0;
        for (int i = 0; i < a.length; i++) {
            e += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return e;
    }

    @Test
    void boneLengthError_isZeroUnderRotation_andMeasuresStretch() {
        float[] rest = TestData.restPoints41();
        float[] rotated = new float[123];
        double[] r = TestData.rodrigues64(1, 2, 3);
        for (int i = 0; i < 41; i++) {
            for (int a = 0; a < 3; a++) {
                double v = 0;
                for (int b = 0; b < 3; b++) {
                    v += r[3 * a + b] * rest[3 * i + b];
                }
                rotated[3 * i + a] = (float) v;
            }
        }
        assertThat(Metrics.boneLengthError(rotated, rest)).isCloseTo(0.0, within(1e-3));
        float[] stretched = rest.clone();
        for (int i = 0; i < 123; i++) {
            stretched[i] *= 2;
        }
        double meanLength = 0;
        for (float l : SmplrFeatures.templateDistances(rest)) {
            meanLength += l;
        }
        assertThat(Metrics.boneLengthError(stretched, rest)).isCloseTo(1000 * meanLength / 41, within(1e-2));
    }

    @Test
    void groupErrors_coverEveryGroup_andUseTheRightPoints() {
        float[] gt = TestData.restPoints41();
        float[] pred = gt.clone();
        pred[3 * (15 - 1) + 1] += 0.02f; // head (SMPL joint 15) 20 mm off
        Map<JointGroup, Double> errors = Metrics.groupErrors(pred, gt);
        assertThat(errors).containsOnlyKeys(JointGroup.values());
        assertThat(errors.get(JointGroup.HEAD)).isCloseTo(10.0, within(1e-3)); // mean of {neck 0, head 20}
        assertThat(errors.get(JointGroup.ALL)).isCloseTo(20.0 / 16, within(1e-3));
        assertThat(errors.get(JointGroup.KNEE)).isZero();
    }

    @Test
    void metrics_rejectBadInput() {
        assertThatThrownBy(() -> Metrics.mpjpe(new float[6], new float[9]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("target: expected 6 values (the length of predicted), got 9");
        assertThatThrownBy(() -> Metrics.mpjpe(new float[5], new float[5]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("predicted: expected a non-zero");
        assertThatThrownBy(() -> Metrics.mpjpe(new float[] {0, 0, Float.NaN}, new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("predicted[0]: NaN in z");
        assertThatThrownBy(() -> Metrics.paMpjpe(new float[6], new float[6]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 3 points");
        assertThatThrownBy(() -> Metrics.mpjpe(new float[6], new float[6], new int[] {2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 2 out of range");
        assertThatThrownBy(() -> Metrics.groupErrors(new float[123], new float[120]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("target41: expected 123");
        assertThatThrownBy(() -> Metrics.boneLengthError(KinematicTree.smpl(), new float[71], new float[72]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("predicted: expected 72 values (24×3 node positions), got 71");
        assertThatThrownBy(() -> Metrics.boneLengthError(new float[123], new float[] {Float.POSITIVE_INFINITY}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("target41");
    }
}
