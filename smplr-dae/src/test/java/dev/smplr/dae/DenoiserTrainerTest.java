package dev.smplr.dae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.smplr.smpl.training.Checkpoints;
import dev.smplr.smpl.training.ReleaseSchedule;
import dev.smplr.smpl.training.TrainerArgs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DenoiserTrainerTest {

    /**
     * Small and without dropout, so that training is deterministic and a resumed run can match exactly; a fast
     * batch-norm decay so that the running statistics settle within a short run.
     */
    private static final DenoiserConfig SMALL = DenoiserConfig.builder().width1(48).width2(48).bottleneck(24)
            .inputKeep(1).bottleneckKeep(1).bnDecay(0.9).build();

    private static DenoiserTrainer.Builder small(long steps) {
        return DenoiserTrainer.builder().config(SMALL).steps(steps).batchSize(32).lr0(0.003).seed(3)
                .validationSamples(100).log(new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8));
    }

    /** The values of one series of history.csv, in step order. */
    private static List<double[]> series(Path csv, String name) throws IOException {
        List<double[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            String[] f = line.split(",");
            if (f[0].equals(name)) {
                out.add(new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2])});
            }
        }
        return out;
    }

    @Test
    void train_tinyRun_lowersValidationError(@TempDir Path dir) throws IOException {
        JointDenoiser d = small(100).validateEvery(20).out(dir).build().train();
        List<double[]> output = series(dir.resolve("history.csv"), "output_mm");
        assertThat(output).hasSize(5);
        double first = output.get(0)[1];
        double last = output.get(output.size() - 1)[1];
        assertThat(last).isLessThan(0.5 * first);
        assertThat(d.metrics().get("output_mm")).isEqualTo(last);
        // the input error does not depend on the network: the same held-out set every time
        assertThat(series(dir.resolve("history.csv"), "input_mm")).allSatisfy(
                p -> assertThat(p[1]).isEqualTo(d.metrics().get("input_mm")));
        assertThat(d.metrics().get("structured_input_mm")).isGreaterThan(d.metrics().get("input_mm"));
        assertThat(dir.resolve("loss-curve.png")).isNotEmptyFile();
        assertThat(d.training().steps()).isEqualTo(100);
        assertThat(d.training().seed()).isEqualTo(3);
        // the schedule's 200 epochs are spread over the run: ceil(100 / 200) = 1 step per epoch
        assertThat(d.graphForTest().getEpochCount()).isEqualTo(100);
        assertThat(d.graphForTest().getLearningRate(DenoiserNetwork.OUT))
                .isCloseTo(ReleaseSchedule.mlp(0.003).valueAt(0, 100), within(1e-9));
        JointDenoiser saved = JointDenoiser.load(dir.resolve("weights"));
        float[] p = new float[123];
        for (int i = 0; i < 123; i++) {
            p[i] = (float) Math.sin(i);
        }
        assertThat(saved.denoise(p)).containsExactly(d.denoise(p));
        assertThat(saved.training()).isEqualTo(d.training());
    }

    @Test
    void train_resumeAfterKill_continuesTheSameStepCount(@TempDir Path dir) throws IOException {
        Path whole = dir.resolve("whole");
        Path killed = dir.resolve("killed");
        JointDenoiser reference = small(40).validateEvery(10).checkpointEvery(10).out(whole).build().train();

        small(40).validateEvery(10).checkpointEvery(10).out(killed).build().train();
        // simulate a kill after the checkpoint of step 30: the later checkpoint and the weights never happened
        Path cps = killed.resolve("checkpoints");
        try (var s = Files.list(cps)) {
            for (Path p : s.toList()) {
                if (p.getFileName().toString().compareTo("step-0000000030") > 0) {
                    try (var w = Files.walk(p)) {
                        w.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                    }
                }
            }
        }
        Files.writeString(cps.resolve(Checkpoints.LATEST), "step-0000000030\n");
        Files.walk(killed.resolve("weights")).sorted(java.util.Comparator.reverseOrder())
                .forEach(f -> f.toFile().delete());
        assertThat(Checkpoints.latest(cps).orElseThrow().step()).isEqualTo(30);

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        JointDenoiser resumed = small(40).validateEvery(10).checkpointEvery(10).out(killed).resume(true)
                .log(new PrintStream(log, true, StandardCharsets.UTF_8)).build().train();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("resumed", "at step 30");
        assertThat(Checkpoints.latest(cps).orElseThrow().step()).isEqualTo(40);
        assertThat(resumed.training().steps()).isEqualTo(40);
        assertThat(resumed.graphForTest().getEpochCount()).isEqualTo(reference.graphForTest().getEpochCount());
        // one continuous history: validations at 10, 20, 30 (restored) and 40 (new)
        assertThat(series(killed.resolve("history.csv"), "output_mm")).extracting(p -> p[0])
                .containsExactly(10.0, 20.0, 30.0, 40.0);
        // the resumed run trained on: its network is not the checkpoint's, and it validates as well as the
        // uninterrupted run (same data stream, same schedule; DL4J's restored Adam state does not reproduce the
        // uninterrupted run bit for bit, so the comparison is loose)
        assertThat(resumed.metrics().get("output_mm")).isNotEqualTo(series(killed.resolve("history.csv"),
                "output_mm").get(2)[1]);
        assertThat(resumed.metrics().get("output_mm")).isLessThan(1.5 * reference.metrics().get("output_mm"));
        assertThat(resumed.metrics().get("input_mm")).isEqualTo(reference.metrics().get("input_mm"));
    }

    @Test
    void project_pinholeAtRandomDepth_matchesFormula() {
        float[] pts = new float[2 * 123];
        Random r = new Random(5);
        for (int i = 0; i < pts.length; i++) {
            pts[i] = (float) (0.4 * r.nextGaussian());
        }
        float[] x = DenoiserTrainer.project(pts, 2, 11);
        assertThat(x).hasSize(2 * 82);
        for (int s = 0; s < 2; s++) {
            // recover d from the first point, then check every point against x = X·d/(d + Z)
            double k0 = x[82 * s] / pts[123 * s];
            double d = k0 * pts[123 * s + 2] / (1 - k0);
            assertThat(d).isBetween(DenoiserTrainer.MIN_DEPTH - 1e-3, DenoiserTrainer.MAX_DEPTH + 1e-3);
            for (int p = 0; p < 41; p++) {
                double k = d / (d + pts[123 * s + 3 * p + 2]);
                assertThat((double) x[82 * s + 2 * p]).isCloseTo(pts[123 * s + 3 * p] * k, within(1e-3));
                assertThat((double) x[82 * s + 2 * p + 1]).isCloseTo(pts[123 * s + 3 * p + 1] * k, within(1e-3));
            }
        }
        assertThat(DenoiserTrainer.project(pts, 2, 11)).containsExactly(x);
    }

    @Test
    void train_lifting_trainsA2dNetwork() throws IOException {
        JointDenoiser d = small(20).lifting(true).validateEvery(20).build().train();
        assertThat(d.config().lifting()).isTrue();
        assertThat(d.lift(new float[82])).hasSize(123);
        assertThat(d.metrics()).containsKeys("output_mm", "structured_output_mm").doesNotContainKey("input_mm");
    }

    @Test
    void builder_badArguments_throwNamingThem() {
        DenoiserTrainer.Builder b = DenoiserTrainer.builder();
        assertThatThrownBy(() -> b.steps(0)).hasMessageContaining("steps").hasMessageContaining("0");
        assertThatThrownBy(() -> b.batchSize(-1)).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> b.lr0(Double.NaN)).hasMessageContaining("lr0");
        assertThatThrownBy(() -> b.validationSamples(0)).hasMessageContaining("validationSamples");
        assertThatThrownBy(() -> b.validateEvery(0)).hasMessageContaining("validateEvery");
        assertThatThrownBy(() -> b.checkpointEvery(0)).hasMessageContaining("checkpointEvery");
        assertThatThrownBy(() -> b.noise(null)).hasMessageContaining("noise");
        assertThatThrownBy(() -> b.config(null)).hasMessageContaining("config");
        assertThatThrownBy(() -> DenoiserTrainer.builder().resume(true).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("out");
        assertThatThrownBy(() -> DenoiserTrainer.trainCommand("huge", 1, 0, null, false, false, "x"))
                .hasMessageContaining("preset").hasMessageContaining("huge");
        assertThatThrownBy(() -> DenoiserTrainer.main(new String[] {"--epochs", "3"}))
                .hasMessageContaining("--epochs");
        assertThatThrownBy(() -> DenoiserTrainer.main(new String[] {"--steps"}))
                .hasMessage("--steps: expected an integer > 0, got nothing");
        assertThatThrownBy(() -> DenoiserTrainer.run("--steps", "10")).hasMessageStartingWith("--out: required");
        assertThatThrownBy(() -> DenoiserTrainer.run("--out", "o", "--batch", "-4"))
                .hasMessage("--batch: expected an integer > 0, got -4");
    }

    @Test
    void commandLine_shippedManifestArguments_configureItsRecordedRun() throws IOException {
        JointDenoiser.Training training = JointDenoiser.demo().training();
        String[] words = training.command().split(" ");
        // recorded as "DenoiserTrainer ARGS" before smplr train dae took every option; the arguments are the same
        String[] args = java.util.Arrays.copyOfRange(words, 1, words.length);
        TrainerArgs.Values v = DenoiserTrainer.commandLine().parse(args);
        assertThat(v.longValue("--seed")).isEqualTo(training.seed());
        assertThat(v.longValue("--steps")).isEqualTo(training.steps());
        assertThat(v.intValue("--validate-every")).isEqualTo(500);
        DenoiserTrainer t = DenoiserTrainer.configure(args).build();
        assertThat(t.config()).isEqualTo(DenoiserConfig.demo().toBuilder().seed(training.seed()).build());
    }

    @Test
    void commandLine_defaults_areTheDemoRecipe() {
        TrainerArgs.Values v = DenoiserTrainer.commandLine().parse("--out", "o");
        assertThat(v.longValue("--steps")).isEqualTo(7000);
        assertThat(v.longValue("--seed")).isEqualTo(1);
        assertThat(v.string("--preset")).isEqualTo("demo");
        assertThat(DenoiserTrainer.configure("--out", "o", "--preset", "paper", "--lifting", "--seed", "4").build()
                .config()).isEqualTo(DenoiserConfig.paper().toBuilder().seed(4).lifting(true).build());
        assertThat(DenoiserTrainer.commandLine().usage()).startsWith("Usage: smplr train dae --out DIR [options]\n")
                .contains("  --no-structured ").contains("(default: 7000)");
    }

    @Test
    void run_tinyRun_recordsTheCommand(@TempDir Path dir) throws IOException {
        String out = dir.resolve("run").toString();
        PrintStream stdout = System.out;
        JointDenoiser d;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            d = DenoiserTrainer.run("--out", out, "--steps", "2", "--batch", "4", "--seed", "9", "--no-structured");
        } finally {
            System.setOut(stdout);
        }
        JointDenoiser loaded = JointDenoiser.load(dir.resolve("run").resolve("weights"));
        assertThat(loaded.training().command()).isEqualTo("smplr train dae --out " + out
                + " --steps 2 --batch 4 --seed 9 --no-structured");
        assertThat(loaded.training().steps()).isEqualTo(2);
        assertThat(loaded.training().seed()).isEqualTo(9);
        assertThat(loaded.training().data()).contains("batch 4");
        assertThat(d.training()).isEqualTo(loaded.training());
    }

    @Test
    void builder_defaults_matchTheRelease() {
        DenoiserTrainer t = DenoiserTrainer.builder().build();
        assertThat(t.config()).isEqualTo(DenoiserConfig.demo());
        assertThat(DenoiserTrainer.builder().lifting(true).build().config().lifting()).isTrue();
        assertThat(DenoiserTrainer.SCHEDULE_EPOCHS).isEqualTo(200);
    }
}
