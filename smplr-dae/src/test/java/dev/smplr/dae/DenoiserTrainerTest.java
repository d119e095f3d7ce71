package dev.smplr.dae;

import dev.smplr.smpl.training.ReleaseSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DenoiserTrainerTest {

    private static final DenoiserConfig SMALL = DenoiserConfig.builder().width1(64).width2(64).bottleneck(32).build();

    /** Points on a low-dimensional family (two latent parameters), so a small network can learn to denoise. */
    private static float[] clean(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 123];
        for (int s = 0; s < n; s++) {
            double a = r.nextDouble() - 0.5;
            double b = r.nextDouble() - 0.5;
            for (int j = 0; j < 123; j++) {
                x[s * 123 + j] = (float) (0.3 * Math.sin(0.37 * j) + 0.2 * a * Math.cos(0.11 * j) + 0.1 * b);
            }
        }
        return x;
    }

    @Test
    void train_tinyData_lowersValidationL1AndSavesLoads(@TempDir Path dir) throws IOException {
        float[] g = new float[123];
        Arrays.fill(g, 0.05f);
        DenoiserTrainer.Options o = new DenoiserTrainer.Options(0.01, 4, 32, 400, 1);
        JointDenoiser d = DenoiserTrainer.train(SMALL, o, clean(128, 2), clean(32, 3), g);
        // bestEpoch -1 would mean no epoch beat the untrained graph's validation L1
        assertThat(d.metrics().get("bestEpoch")).isGreaterThanOrEqualTo(0.0);
        assertThat(d.training()).contains("Adam", "4 epochs");
        assertThat(d.metrics().get("valL1")).isPositive().isFinite();
        // the epoch counter reached the updater, so the schedule is at epoch 4
        assertThat(d.graphForTest().getEpochCount()).isEqualTo(4);
        assertThat(d.graphForTest().getLearningRate(DenoiserNetwork.OUT))
                .isCloseTo(ReleaseSchedule.mlp(0.01).valueAt(0, 4), within(1e-9));
        d.save(dir);
        JointDenoiser back = JointDenoiser.load(dir);
        float[] p = clean(1, 9);
        assertThat(back.denoise(p)).containsExactly(d.denoise(p));
        assertThat(back.metrics()).isEqualTo(d.metrics());
    }

    @Test
    void train_badArguments_throw() {
        float[] g = new float[123];
        DenoiserTrainer.Options o = new DenoiserTrainer.Options(0.01, 1, 4, 1, 0);
        assertThatThrownBy(() -> DenoiserTrainer.train(SMALL.toBuilder().lifting(true).build(), o,
                clean(4, 0), clean(4, 0), g)).hasMessageContaining("lifting");
        assertThatThrownBy(() -> DenoiserTrainer.train(SMALL, o, new float[100], clean(4, 0), g))
                .hasMessageContaining("train");
        float[] bad = g.clone();
        bad[5] = -1;
        assertThatThrownBy(() -> DenoiserTrainer.train(SMALL, o, clean(4, 0), clean(4, 0), bad))
                .hasMessageContaining("g[5]");
        assertThatThrownBy(() -> new DenoiserTrainer.Options(0.01, 0, 4, 1, 0)).hasMessageContaining("epochs");
    }

    @Test
    void paper_matchesSpec7() {
        DenoiserTrainer.Options p = DenoiserTrainer.Options.paper();
        assertThat(p.lr0()).isEqualTo(0.01);
        assertThat(p.epochs()).isEqualTo(200);
        assertThat(p.batchSize()).isEqualTo(256);
        assertThat(p.maxBatches()).isEqualTo(400);
    }
}
