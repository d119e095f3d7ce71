package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HourglassTrainerTest {
    /** 1 stack, 8 features, 1 level, 16×16 input → 4×4×2 volumes: seconds per run. */
    static final HourglassConfig TINY = HourglassConfig.builder().stacks(1).features(8).depth(1).depthBins(2)
            .inputSize(16).build();

    private static HourglassTrainer.Builder tiny(Path out, long steps, PrintStream log) {
        return HourglassTrainer.builder().config("tiny", TINY).steps(steps).batchSize(2).validationSize(2)
                .checkpointEvery(1).seed(3).out(out).log(log).command("test");
    }

    @Test
    void train_thenResume_continuesFromCheckpointAndWritesWeights(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        HourglassTrainer.Result first = tiny(dir, 2, log).build().train();
        assertThat(first.steps()).isEqualTo(2);
        assertThat(first.valMpjpeMm()).isFinite().isPositive();
        HourglassTrainer.Result second = tiny(dir, 3, log).evaluationSize(2).build().train();
        assertThat(second.steps()).isEqualTo(3);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("resuming from").contains("step 2");
        assertThat(dir.resolve("loss-curve.png")).exists();
        assertThat(dir.resolve("history.csv")).exists();
        assertThat(Files.readString(dir.resolve("weights/manifest.json"))).contains("\"steps\": 3")
                .contains("valMpjpeMm").contains("evalMpjpeMm").contains("\"command\": \"test ; resumed: test\"");
        HourglassEstimator estimator = HourglassEstimator.load(second.weights());
        assertThat(estimator.config()).isEqualTo(TINY);
    }

    @Test
    void builder_badValues_throw() {
        assertThatThrownBy(() -> HourglassTrainer.builder().steps(0)).hasMessageContaining("steps");
        assertThatThrownBy(() -> HourglassTrainer.builder().learningRate(Double.NaN))
                .hasMessageContaining("learningRate");
        assertThatThrownBy(() -> HourglassTrainer.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("out");
    }
}
