package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BatchNormFoldTest {

    @Test
    void fold_withGamma_matchesBatchNormFormula() {
        float[] gamma = {0.5f, 2f, -1f};
        float[] beta = {0.1f, -0.2f, 0.3f};
        float[] mean = {1f, -2f, 0.5f};
        float[] var = {4f, 0.25f, 1f};
        double eps = 1e-3;

        BatchNormFold f = BatchNormFold.fold(gamma, beta, mean, var, eps);

        for (double x : new double[] {-3, 0, 0.7, 5}) {
            for (int c = 0; c < 3; c++) {
                double expected = gamma[c] * (x - mean[c]) / Math.sqrt(var[c] + eps) + beta[c];
                assertThat(x * f.scale[c] + f.shift[c]).as("x %s, channel %d", x, c)
                        .isCloseTo(expected, within(1e-5));
            }
        }
    }

    @Test
    void fold_offsetOnly_usesUnitGamma() {
        BatchNormFold f = BatchNormFold.fold(null, new float[] {0.5f}, new float[] {2f}, new float[] {9f}, 0);

        assertThat(f.scale[0]).isCloseTo(1f / 3, within(1e-7f));
        assertThat(f.shift[0]).isCloseTo(0.5f - 2f / 3, within(1e-7f));
    }

    @Test
    void fold_wrongLengthOrNegativeVariance_throws() {
        assertThatThrownBy(() -> BatchNormFold.fold(new float[2], null, new float[3], new float[3], 1e-5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(
                        "gamma: expected 3 values (one per channel of mean), got 2");
        assertThatThrownBy(() -> BatchNormFold.fold(null, null, new float[2], new float[] {1, -1}, 1e-5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("variance[1]: expected at least 0, got -1.0");
    }
}
