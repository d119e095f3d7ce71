package dev.smplr.dae;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NoiseModelTest {

    @Test
    void release_matchesSpecTableSpotChecks() {
        float[] g = NoiseModel.release();
        assertThat(g).hasSize(123);
        // SPEC 4 rows: pt 1 L_hip, pt 23 R_hand, pt 24 breast L, pt 41 head top (1-based, x y z)
        assertThat(new float[] {g[0], g[1], g[2]}).containsExactly(0.0083f, 0.0069f, 0.0052f);
        assertThat(new float[] {g[66], g[67], g[68]}).containsExactly(0.0817f, 0.0325f, 0.0375f);
        assertThat(new float[] {g[69], g[70], g[71]}).containsExactly(0.0206f, 0.0146f, 0.0150f);
        assertThat(new float[] {g[120], g[121], g[122]}).containsExactly(0.0392f, 0.0216f, 0.0291f);
        for (int i = 0; i < 123; i++) {
            assertThat(g[i]).isBetween(0.004f, 0.1f);
        }
    }

    @Test
    void release_depthAxisIsNoisiestOnAverage() {
        float[] g = NoiseModel.release();
        double[] mean = new double[3];
        for (int i = 0; i < 123; i++) {
            mean[i % 3] += g[i] / 41.0;
        }
        assertThat(mean[0]).isGreaterThan(1.5 * Math.max(mean[1], mean[2]));
    }

    @Test
    void release_returnsCopies() {
        float[] a = NoiseModel.release();
        a[0] = 5;
        assertThat(NoiseModel.release()[0]).isEqualTo(0.0083f);
    }
}
