package dev.smplr.smpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.smplr.core.Gender;
import dev.smplr.core.SmplrFeatures;
import dev.smplr.smpl.training.Checkpoints;
import dev.smplr.smpl.training.Json;
import dev.smplr.smpl.training.TrainerArgs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegressorTrainerTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8);

    /** Tiny networks and batches: seconds per run. */
    private static RegressorTrainer.Builder tiny(Path out) {
        RegressorConfig shape = RegressorConfig.builder().kind(RegressorConfig.Kind.SHAPE).fce1(32).fce2(32)
                .fce3(16).fce4(16).fce41(16).fce42(16).fce5(16).fce43(16).build();
        RegressorConfig pose = shape.toBuilder().kind(RegressorConfig.Kind.POSE).build();
        return RegressorTrainer.builder().configs(shape, pose).batchSize(16).seed(5).out(out).validateEvery(1000)
                .checkpointEvery(1000).validationSamples(32).evaluationSamples(32).log(QUIET);
    }

    @Test
    void train_fewSteps_reducesValidationError(@TempDir Path dir) throws IOException {
        RegressorTrainer.Builder b = tiny(dir).steps(60);
        SmplRegressor before = b.stopAfter(0).build().train();
        TrainingSet clean = TrainingSet.builder().seed(5).randomOrientation(true).build();
        double errorBefore = RegressorTrainer.evaluate(SmplModel::demo, before, clean,
                RegressorTrainer.EVALUATION_FIRST, 32).get("mpjpe24_mm");
        SmplRegressor after = tiny(dir.resolve("run")).steps(60).build().train();
        double errorAfter = after.metrics().get("mpjpe24_mm");
        assertThat(errorAfter).isLessThan(0.8 * errorBefore);
        assertThat(after.metrics()).containsKeys("mpjpeAll_mm", "pve_mm", "raw_mpjpe24_mm", "genderAccuracy");
        // the weights directory is complete and loads to the same estimates
        SmplRegressor loaded = SmplRegressor.load(dir.resolve("run").resolve("regressor"), SmplModel.demo(Gender.MALE));
        float[] p = clean.sample(3).points();
        assertThat(loaded.regress(p)).isEqualTo(after.regress(p));
        assertThat(Files.exists(dir.resolve("run").resolve("loss-curve.png"))).isTrue();
        assertThat(Files.readString(dir.resolve("run").resolve("history.csv"))).contains("mpjpe24_mm");
        Map<String, Object> training = castMap(loaded.provenance().get("training"));
        assertThat(training).containsEntry("steps", 60L).containsKeys("command", "seed", "wallSeconds", "data");
    }

    @Test
    void train_killedAndResumed_continuesFromTheCheckpoint(@TempDir Path dir) throws IOException {
        // "kill" after 30 of 40 steps, with a checkpoint every 10
        SmplRegressor stopped = tiny(dir).steps(40).checkpointEvery(10).validateEvery(10).stopAfter(30)
                .build().train();
        Checkpoints.Checkpoint cp = Checkpoints.latest(dir.resolve("checkpoints")).orElseThrow();
        assertThat(cp.step()).isEqualTo(30);
        assertThat(Files.exists(dir.resolve("regressor"))).isFalse();
        // the checkpoint holds what the stopped trainer had
        float[] p = TrainingSet.builder().seed(9).build().sample(0).points();
        SmplRegressor fromCheckpoint = new SmplRegressor(new SmplRegressor.Nets(cp.graph("shape"), cp.graph("pose")),
                stopped.shapeConfig(), stopped.poseConfig(), stopped.templateDistances(), false, true, 0.5, true,
                Map.of());
        assertThat(fromCheckpoint.regress(p).rotations()).containsExactly(stopped.regress(p).rotations());

        SmplRegressor resumed = tiny(dir).steps(40).checkpointEvery(10).validateEvery(10).resume(true).build()
                .train();
        assertThat(Checkpoints.latest(dir.resolve("checkpoints")).orElseThrow().step()).isEqualTo(40);
        Map<String, Object> training = castMap(resumed.provenance().get("training"));
        assertThat(training).containsEntry("steps", 40L);
        // one continuous history: validations at 10, 20, 30 (first run) and 40 (resumed)
        String history = Files.readString(dir.resolve("history.csv"));
        for (int step : new int[] {10, 20, 30, 40}) {
            assertThat(history).contains("mpjpe24_mm," + step + ",");
        }
    }

    @Test
    void jointLoss_gradient_matchesCentralDifferences() {
        SmplModel body = SyntheticModels.model(400, 10, 21);
        SmplPointsLayer layer = SmplPointsLayer.of(body);
        Random rnd = new Random(4);
        float[] rot = new float[216];
        float[] targetRot = new float[216];
        for (int k = 0; k < 216; k++) {
            rot[k] = (float) (rnd.nextDouble() * 1.6 - 0.8);
            targetRot[k] = (float) (rnd.nextDouble() * 1.6 - 0.8);
        }
        float[] shape = new float[11];
        float[] targetShape = new float[11];
        for (int k = 0; k < 11; k++) {
            shape[k] = (float) rnd.nextGaussian();
            targetShape[k] = (float) rnd.nextGaussian();
        }
        float[] clean = body.smplrPoints(SmplParams.of(new float[72], new float[10], null));
        for (int k = 0; k < clean.length; k++) {
            clean[k] += (float) (0.1 * rnd.nextGaussian());
        }
        for (int p : new int[] {1, 2}) {
            float[] gRot = new float[216];
            float[] gShape = new float[11];
            SmplPointsLayer.Tape tape = layer.newTape();
            double w = p == 1 ? 1 : 7.5;
            RegressorTrainer.jointLoss(layer, tape, rot, 0, shape, 0, targetRot, 0, targetShape, 0, clean, 0, p, w,
                    gRot, gShape);
            double h = 1e-3;
            for (int k = 0; k < 216; k += 7) {
                float[] plus = rot.clone();
                float[] minus = rot.clone();
                plus[k] += (float) h;
                minus[k] -= (float) h;
                double numeric = (loss(layer, plus, shape, targetRot, targetShape, clean, p, w)
                        - loss(layer, minus, shape, targetRot, targetShape, clean, p, w)) / (2 * h);
                assertThat(gRot[k]).as("p=%d dℓ/dR[%d]", p, k).isCloseTo((float) numeric,
                        within((float) (2e-3 * Math.abs(numeric) + 2e-4)));
            }
            for (int k = 0; k < 11; k++) {
                float[] plus = shape.clone();
                float[] minus = shape.clone();
                plus[k] += (float) h;
                minus[k] -= (float) h;
                double numeric = (loss(layer, rot, plus, targetRot, targetShape, clean, p, w)
                        - loss(layer, rot, minus, targetRot, targetShape, clean, p, w)) / (2 * h);
                assertThat(gShape[k]).as("p=%d dℓ/dβ[%d]", p, k).isCloseTo((float) numeric,
                        within((float) (2e-3 * Math.abs(numeric) + 2e-4)));
            }
        }
    }

    private static double loss(SmplPointsLayer layer, float[] rot, float[] shape, float[] targetRot,
            float[] targetShape, float[] clean, int p, double w) {
        return RegressorTrainer.jointLoss(layer, layer.newTape(), rot, 0, shape, 0, targetRot, 0, targetShape, 0,
                clean, 0, p, w, new float[216], new float[11]);
    }

    @Test
    void bodyFrame_ofARotatedBody_isThatRotation() {
        float[] rest = SmplModel.demo(Gender.NEUTRAL).smplrPoints(SmplParams.zero());
        float[] frameRest = new float[9];
        BodyFrame.of(rest, 0, frameRest, 0);
        float[] r = dev.smplr.core.Rotations.axisAngleToMatrix(new float[] {0.3f, -1.2f, 2.0f});
        float[] rotated = new float[123];
        for (int q = 0; q < 41; q++) {
            dev.smplr.core.Rotations.rotate(r, 0, rest, 3 * q, rotated, 3 * q);
        }
        float[] frame = new float[9];
        BodyFrame.of(rotated, 0, frame, 0);
        float[] expected = new float[9];
        dev.smplr.core.Rotations.multiply(r, 0, frameRest, 0, expected, 0);
        assertThat(frame).containsExactly(expected, within(1e-5f));
        // in the body frame the rotated body is the rest body in its own frame
        float[] a = new float[123];
        float[] c = new float[123];
        BodyFrame.toBody(frame, 0, rotated, 0, a, 0);
        BodyFrame.toBody(frameRest, 0, rest, 0, c, 0);
        assertThat(a).containsExactly(c, within(1e-5f));
        assertThat(SmplrFeatures.normalizedRelativeJoints(a)).hasSize(123);
        assertThatThrownBy(() -> BodyFrame.of(new float[123], 0, frame, 0)).hasMessageContaining("hips");
    }

    @Test
    void run_badArguments_throwNamingTheOption() {
        assertThatThrownBy(() -> RegressorTrainer.run("--preset", "demo")).hasMessageContaining("--out");
        assertThatThrownBy(() -> RegressorTrainer.run("--bogus")).hasMessageContaining("--bogus");
        assertThatThrownBy(() -> RegressorTrainer.run("--steps", "x", "--out", "o")).hasMessageContaining("--steps")
                .hasMessageContaining("x");
        assertThatThrownBy(() -> RegressorTrainer.run("--preset", "huge", "--out", "o"))
                .hasMessageContaining("preset").hasMessageContaining("huge");
        assertThatThrownBy(() -> RegressorTrainer.run("--noise", "loud", "--out", "o"))
                .hasMessageContaining("--noise").hasMessageContaining("loud");
        assertThat(RegressorTrainer.noise("graded").toString()).contains("U(0, 1)");
        assertThat(RegressorTrainer.noise("none").amplitudes()).containsOnly(0f);
        assertThatThrownBy(() -> RegressorTrainer.builder().steps(0)).hasMessageContaining("steps");
        assertThatThrownBy(() -> RegressorTrainer.builder().batchSize(0)).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> RegressorTrainer.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("out");
    }

    @Test
    void commandLine_shippedManifestCommand_parsesToItsRecordedRun() throws IOException {
        String manifest;
        try (var in = SmplRegressor.class.getResourceAsStream("demo-regressor/manifest.json")) {
            manifest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Object> training = castMap(castMap(Json.parse(manifest)).get("training"));
        String[] commands = ((String) training.get("command")).split(" ; resumed: ");
        String prefix = RegressorTrainer.commandLine().program() + " ";
        for (String command : commands) {
            assertThat(command).startsWith(prefix);
            String[] args = command.substring(prefix.length()).split(" ");
            TrainerArgs.Values v = RegressorTrainer.commandLine().parse(args);
            assertThat(v.longValue("--seed")).isEqualTo(((Number) training.get("seed")).longValue());
            assertThat(v.intValue("--batch")).isEqualTo(128);
            assertThat(v.command()).isEqualTo(command);
            RegressorTrainer.configure(args).build();
        }
        // the last command made the shipped weights, resuming the run of the ones before
        TrainerArgs.Values last = RegressorTrainer.commandLine()
                .parse(commands[commands.length - 1].substring(prefix.length()).split(" "));
        assertThat(last.longValue("--steps")).isEqualTo(((Number) training.get("steps")).longValue());
        assertThat(last.flag("--resume")).isTrue();
    }

    @Test
    void commandLine_usage_listsEveryOptionOnce() {
        String usage = RegressorTrainer.commandLine().usage();
        assertThat(usage).startsWith("Usage: smplr train regressor --out DIR [options]\n");
        for (String option : new String[] {"--preset", "--steps", "--seed", "--out", "--resume", "--batch",
            "--joint-lr", "--loss", "--noise", "--joints-only", "--world-frame", "--checkpoint-every",
            "--validate-every", "--eval", "--joint-lr-floor", "--point-weight", "--stop-after"}) {
            assertThat(usage.lines().filter(l -> l.startsWith("  " + option + " ") || l.equals("  " + option)))
                    .as(option).hasSize(1);
        }
        assertThat(usage).contains("(default: 20000)").contains("(default: 256)");
        assertThatThrownBy(() -> RegressorTrainer.configure("--out", "x", "--stop-after", "-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--stop-after");
    }

    @Test
    void run_tinyRun_appliesTheOptionsAndRecordsTheCommand(@TempDir Path dir) throws IOException {
        String out = dir.resolve("run").toString();
        PrintStream stdout = System.out;
        SmplRegressor r;
        System.setOut(QUIET);
        try {
            r = RegressorTrainer.run("--out", out, "--steps", "2", "--batch", "4", "--eval", "4", "--seed", "3",
                    "--loss", "l2", "--noise", "none", "--joints-only", "--world-frame", "--validate-every", "1",
                    "--checkpoint-every", "1");
        } finally {
            System.setOut(stdout);
        }
        assertThat(r.jointsOnly()).isTrue();
        assertThat(r.canonicalFrame()).isFalse();
        SmplRegressor loaded = SmplRegressor.load(dir.resolve("run").resolve("regressor"));
        Map<String, Object> training = castMap(loaded.provenance().get("training"));
        assertThat(training).containsEntry("steps", 2L).containsEntry("seed", 3L).containsEntry("command",
                "smplr train regressor --out " + out + " --steps 2 --batch 4 --eval 4 --seed 3 --loss l2 --noise none "
                        + "--joints-only --world-frame --validate-every 1 --checkpoint-every 1");
        assertThat(loaded.provenance()).containsEntry("loss", "L2");
        assertThat(Checkpoints.latest(dir.resolve("run").resolve("checkpoints")).orElseThrow().step()).isEqualTo(2);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}
