package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smplr.smpl.training.Json;
import dev.smplr.smpl.training.ReleaseSchedule;
import dev.smplr.smpl.training.TrainerArgs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HourglassTrainerTest {
    /** 1 stack, 8 features, 1 level, 16×16 input → 4×4×2 volumes: seconds per run. */
    static final HourglassConfig TINY = HourglassConfig.builder().stacks(1).features(8).depth(1).depthBins(2)
            .inputSize(16).integralWeight(2).build();

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
        // a resume takes its own learning rate (fine-tuning); the optimiser's moments carry over
        HourglassTrainer.Result second = tiny(dir, 3, log).evaluationSize(2).learningRate(1e-4)
                .learningRateFloor(1e-5).build().train();
        assertThat(second.steps()).isEqualTo(3);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("resuming from").contains("step 2");
        assertThat(dir.resolve("loss-curve.png")).exists();
        assertThat(dir.resolve("history.csv")).exists();
        assertThat(Files.readString(dir.resolve("weights/manifest.json"))).contains("\"steps\": 3")
                .contains("valMpjpeMm").contains("evalMpjpeMm").contains("\"command\": \"test ; resumed: test\"")
                .contains("\"learningRateFloor\": 1.0E-5");
        HourglassEstimator estimator = HourglassEstimator.load(second.weights());
        assertThat(estimator.config()).isEqualTo(TINY);
        ComputationGraph saved = ModelSerializer.restoreComputationGraph(
                second.weights().resolve("network.zip").toFile(), true);
        BaseLayer conv = (BaseLayer) saved.getLayer("stem_conv").conf().getLayer();
        assertThat(conv.getIUpdater().getLearningRate(0, 5))
                .isEqualTo(ReleaseSchedule.hourglass(1e-4, 1e-5).valueAt(0, 5));
        ComputationGraph checkpoint = ModelSerializer.restoreComputationGraph(
                dir.resolve("checkpoints/step-0000000003/hourglass.zip").toFile(), true);
        assertThat(checkpoint.getUpdater().getStateViewArray().amaxNumber().doubleValue()).isPositive();
    }

    @Test
    void averageDecay_writesTheMovingAverage_andResumesIt(@TempDir Path dir) throws Exception {
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        double decay = 0.3;
        tiny(dir, 2, quiet).averageDecay(decay).build().train();
        // resumed: the average carries on from the checkpoint's (steps averaged so far: 2)
        HourglassTrainer.Result result = tiny(dir, 4, quiet).averageDecay(decay).build().train();
        double[] before = checkpointParams(dir, 3, HourglassTrainer.AVERAGE);
        double[] weights = checkpointParams(dir, 4, HourglassTrainer.NETWORK);
        double[] average = checkpointParams(dir, 4, HourglassTrainer.AVERAGE);
        double d = Math.min(decay, 5.0 / 14);
        double differs = 0;
        for (int i = 0; i < average.length; i++) {
            assertThat(average[i]).isCloseTo(d * before[i] + (1 - d) * weights[i],
                    org.assertj.core.data.Offset.offset(1e-6 * (1 + Math.abs(weights[i]))));
            differs = Math.max(differs, Math.abs(average[i] - weights[i]));
        }
        assertThat(differs).isPositive();
        // the average carries no Adam moments of its own: a third of the trained graph's checkpoint
        assertThat(Files.size(checkpoint(dir, 4, HourglassTrainer.AVERAGE)))
                .isLessThan(Files.size(checkpoint(dir, 4, HourglassTrainer.NETWORK)) * 6 / 10);
        ComputationGraph written = ModelSerializer.restoreComputationGraph(
                result.weights().resolve("network.zip").toFile(), false);
        assertThat(written.params().toDoubleVector()).containsExactly(average);
        assertThat(Files.readString(result.weights().resolve("manifest.json"))).contains("\"averageDecay\": 0.3");
    }

    private static double[] checkpointParams(Path dir, long step, String name) throws Exception {
        return ModelSerializer.restoreComputationGraph(checkpoint(dir, step, name).toFile(), false).params()
                .toDoubleVector();
    }

    private static Path checkpoint(Path dir, long step, String name) {
        return dir.resolve(String.format("checkpoints/step-%010d/%s.zip", step, name));
    }

    @Test
    void resume_withAnotherIntegralWeight_lossLayersTakeIt(@TempDir Path dir) throws Exception {
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        tiny(dir, 1, quiet).build().train();
        HourglassConfig fineTune = TINY.toBuilder().integralWeight(7).build();
        HourglassTrainer.Result second = tiny(dir, 2, quiet).config("tiny", fineTune).build().train();
        ComputationGraph saved = ModelSerializer.restoreComputationGraph(
                second.weights().resolve("network.zip").toFile(), false);
        assertThat(((LossLayer) saved.getLayer(HourglassNetwork.lossName(0)).conf().getLayer()).getLossFn())
                .isEqualTo(HourglassNetwork.lossFunction(fineTune))
                .isNotEqualTo(HourglassNetwork.lossFunction(TINY));
        assertThat(HourglassEstimator.load(second.weights()).config()).isEqualTo(fineTune);
    }

    @Test
    void initFrom_growsATrainedNetwork_andChainsItsCommandAndWallTime(@TempDir Path dir) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        HourglassTrainer.Result trained = tiny(dir.resolve("a"), 2, quiet).build().train();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        HourglassConfig twoStacks = TINY.toBuilder().stacks(2).features(TINY.features() + 4).build();
        HourglassTrainer.Result grown = tiny(dir.resolve("b"), 1, log).config("tiny, 2 stacks", twoStacks)
                .initFrom(trained.weights()).command("grow").build().train();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("starting from the weights in")
                .contains("(1 stacks, " + TINY.features() + " features,");
        assertThat(grown.wallSeconds()).isGreaterThan(trained.wallSeconds());
        assertThat(Files.readString(grown.weights().resolve("manifest.json")))
                .contains("\"command\": \"test ; then, from its weights: grow\"");
        assertThat(HourglassEstimator.load(grown.weights()).config()).isEqualTo(twoStacks);
        assertThat(HourglassTrainer.configure("--out", "o", "--init-from", "w").build().toString())
                .contains("initFrom w");

        // weights made elsewhere, without the training record and metrics: the chain starts at the new run
        Path bare = dir.resolve("bare");
        Files.createDirectories(bare);
        Files.copy(trained.weights().resolve("network.zip"), bare.resolve("network.zip"));
        @SuppressWarnings("unchecked")
        Map<String, Object> manifest = new LinkedHashMap<>((Map<String, Object>) Json.parse(
                Files.readString(trained.weights().resolve("manifest.json"))));
        manifest.remove("training");
        manifest.remove("metrics");
        Files.writeString(bare.resolve("manifest.json"), Json.write(manifest));
        bytes.reset();
        HourglassTrainer.Result fromBare = tiny(dir.resolve("c"), 1, log).initFrom(bare).command("again").build()
                .train();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("no validation error recorded");
        assertThat(Files.readString(fromBare.weights().resolve("manifest.json")))
                .contains("\"command\": \"again\"");
    }

    @Test
    void stopAfter_checkpointsAndStops_thenARunWithOtherViewsContinues(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        HourglassTrainer.Result first = tiny(dir, 3, log).yawStage(1, 10).maxYawDegrees(30).stopAfter(2).build()
                .train();
        assertThat(first.steps()).isEqualTo(2);
        assertThat(first.weights()).isNull();
        assertThat(dir.resolve("weights")).doesNotExist();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("stopped after step 2 of 3");
        HourglassTrainer.Result second = tiny(dir, 3, log).build().train();
        assertThat(second.steps()).isEqualTo(3);
        assertThat(second.weights()).exists();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("resuming from").contains("step 2");
    }

    @Test
    void stopAndResume_endsWithTheWeightsOfAStraightRun(@TempDir Path dir) throws Exception {
        // the initialisation is seeded (also for the presets' seed 0, which DL4J would leave unseeded), and each
        // step's batch, prepared ahead on another thread, depends on the step alone: so a run cut at a checkpoint
        // and resumed trains on the same images, masks and optimiser state as one that ran through
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        HourglassTrainer.Result straight = tiny(dir.resolve("straight"), 4, quiet).build().train();
        tiny(dir.resolve("cut"), 4, quiet).stopAfter(2).build().train();
        HourglassTrainer.Result resumed = tiny(dir.resolve("cut"), 4, quiet).build().train();
        ComputationGraph a = ModelSerializer.restoreComputationGraph(
                straight.weights().resolve("network.zip").toFile(), false);
        ComputationGraph b = ModelSerializer.restoreComputationGraph(
                resumed.weights().resolve("network.zip").toFile(), false);
        assertThat(a.params().amaxNumber().doubleValue()).isPositive();
        assertThat(a.params().sub(b.params()).amaxNumber().doubleValue()).isZero();
    }

    @Test
    void builder_badValues_throw() {
        assertThatThrownBy(() -> HourglassTrainer.builder().maxYawDegrees(181)).hasMessageContaining("maxYaw");
        assertThatThrownBy(() -> HourglassTrainer.builder().stopAfter(-1)).hasMessageContaining("stopAfter");
        assertThatThrownBy(() -> HourglassTrainer.builder().steps(0)).hasMessageContaining("steps");
        assertThatThrownBy(() -> HourglassTrainer.builder().averageDecay(1)).hasMessageContaining("averageDecay");
        assertThatThrownBy(() -> HourglassTrainer.builder().averageDecay(-0.1))
                .hasMessageContaining("averageDecay");
        assertThatThrownBy(() -> HourglassTrainer.builder().learningRate(Double.NaN))
                .hasMessageContaining("learningRate");
        assertThatThrownBy(() -> HourglassTrainer.builder().learningRateFloor(0))
                .hasMessageContaining("learningRateFloor");
        assertThatThrownBy(() -> HourglassTrainer.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("out");
    }

    @Test
    void commandLine_shippedManifestCommands_parseToTheirRecordedRun() throws Exception {
        String manifest;
        try (var in = HourglassEstimator.class.getResourceAsStream("demo/manifest.json")) {
            manifest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Object> training = cast(cast(Json.parse(manifest)).get("training"));
        // resumed runs and runs started from earlier weights (--init-from) chain their commands
        List<String> commands = TrainerArgs.chainedCommands((String) training.get("command"));
        assertThat(commands).hasSizeGreaterThan(1);
        String prefix = HourglassTrainer.commandLine().program() + " ";
        for (String command : commands) {
            assertThat(command).startsWith(prefix);
            String[] args = command.substring(prefix.length()).split(" ");
            TrainerArgs.Values v = HourglassTrainer.commandLine().parse(args);
            // a run started from earlier weights may draw other images (seed 2 after seed 1)
            assertThat(v.longValue("--seed")).isBetween(1L, ((Number) training.get("seed")).longValue());
            assertThat(v.intValue("--validation")).isEqualTo(32);
            assertThat(v.longValue("--checkpoint-every")).isIn(50L, 200L, 250L);
            HourglassTrainer.configure(args).build();
        }
        // the last command made the shipped weights
        String[] last = commands.get(commands.size() - 1).substring(prefix.length()).split(" ");
        assertThat(HourglassTrainer.commandLine().parse(last).longValue("--steps"))
                .isEqualTo(((Number) training.get("steps")).longValue());
        assertThat(HourglassTrainer.commandLine().parse(last).longValue("--seed"))
                .isEqualTo(((Number) training.get("seed")).longValue());
        // and with the configuration the shipped weights record (the demo preset)
        assertThat(HourglassTrainer.configure(last).build().config()).isEqualTo(HourglassEstimator.demo().config())
                .isEqualTo(HourglassConfig.demo());
    }

    @Test
    void commandLine_defaultsAndErrors() {
        TrainerArgs.Values v = HourglassTrainer.commandLine().parse("--out", "o");
        assertThat(v.longValue("--steps")).isEqualTo(1250);
        assertThat(v.longValue("--seed")).isEqualTo(1);
        assertThat(v.intValue("--eval")).isZero();
        assertThat(v.has("--validate-every")).isFalse();
        assertThatThrownBy(() -> HourglassTrainer.run("--out", "o", "--eval", "-1"))
                .hasMessage("--eval: expected an integer >= 0, got -1");
        assertThatThrownBy(() -> HourglassTrainer.run("--out", "o", "--loss", "l2"))
                .hasMessage("--loss: expected sigmoid or softmax, got l2");
        assertThatThrownBy(() -> HourglassTrainer.run("--out", "o", "--lr", "-1"))
                .hasMessage("--lr: expected a finite number > 0, got -1");
        assertThatThrownBy(() -> HourglassTrainer.run("--steps", "3")).hasMessageStartingWith("--out: required");
        assertThat(HourglassTrainer.commandLine().usage()).startsWith("Usage: smplr train hourglass --out DIR")
                .contains("  --validation N ");
    }

    @Test
    void configure_stacksFeaturesAndInput_overrideThePreset() {
        HourglassTrainer t = HourglassTrainer.configure("--out", "o", "--features", "64", "--stacks", "3").build();
        assertThat(t.config()).isEqualTo(HourglassConfig.demo().toBuilder().features(64).stacks(3).build());
        HourglassTrainer sized = HourglassTrainer.configure("--out", "o", "--input", "128").build();
        assertThat(sized.config()).isEqualTo(HourglassConfig.demo().toBuilder().inputSize(128).build());
        assertThatThrownBy(() -> HourglassTrainer.configure("--out", "o", "--input", "100"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inputSize")
                .hasMessageContaining("100");
        assertThatThrownBy(() -> HourglassTrainer.configure("--out", "o", "--features", "63"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("features");
        assertThatThrownBy(() -> HourglassTrainer.configure("--out", "o", "--stacks", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--stacks");
    }

    @Test
    void configure_options_reachTheTrainer() {
        HourglassTrainer t = HourglassTrainer.configure("--out", "o", "--preset", "paper", "--loss", "sigmoid",
                "--steps", "40", "--validate-every", "7").build();
        assertThat(t.config()).isEqualTo(HourglassConfig.paper().toBuilder()
                .loss(HourglassLoss.SIGMOID_CROSS_ENTROPY).build());
        assertThat(t.toString()).contains("steps 40").contains("validateEvery 7").contains("seed 1")
                .contains("command smplr train hourglass --out o --preset paper --loss sigmoid --steps 40 "
                        + "--validate-every 7");
        assertThat(t.toString()).doesNotContain("averageDecay").contains("lrFloor 1.0E-4");
        assertThat(HourglassTrainer.configure("--out", "o", "--lr-floor", "2e-5").build().toString())
                .contains("lrFloor 2.0E-5");
        assertThat(HourglassTrainer.configure("--out", "o", "--average-decay", "0.998").build().toString())
                .contains("averageDecay 0.998");
        assertThatThrownBy(() -> HourglassTrainer.configure("--out", "o", "--average-decay", "1"))
                .hasMessageContaining("averageDecay");
    }

    @Test
    void configure_integralWeight_reachesTheConfig() {
        HourglassTrainer t = HourglassTrainer.configure("--out", "o", "--preset", "demo", "--integral-weight", "10",
                "--steps", "4").build();
        assertThat(t.config()).isEqualTo(HourglassConfig.demo().toBuilder().integralWeight(10).build());
        assertThatThrownBy(() -> HourglassTrainer.configure("--out", "o", "--preset", "demo", "--integral-weight",
                "-1", "--steps", "4")).hasMessageContaining("--integral-weight");
        // the sigmoid loss has no integral term: it drops the demo preset's
        assertThat(HourglassTrainer.configure("--out", "o", "--preset", "demo", "--loss", "sigmoid").build().config())
                .isEqualTo(HourglassConfig.demo().toBuilder().loss(HourglassLoss.SIGMOID_CROSS_ENTROPY)
                        .integralWeight(0).build());
    }

    @Test
    void configure_curriculumOptions_reachTheTrainer() {
        assertThat(HourglassTrainer.configure("--out", "o").build().toString()).contains("maxYaw 180.0")
                .contains("stopAfter -1");
        assertThat(HourglassTrainer.configure("--out", "o", "--max-yaw", "60", "--stop-after", "500").build()
                .toString()).contains("maxYaw 60.0").contains("stopAfter 500");
        assertThatThrownBy(() -> HourglassTrainer.configure("--out", "o", "--max-yaw", "200"))
                .hasMessageContaining("maxYaw").hasMessageContaining("200");
    }

    @Test
    void yawCurriculum_stagesApplyBeforeTheirBound_thenMaxYaw() {
        HourglassTrainer t = HourglassTrainer.configure("--out", "o", "--yaw-curriculum", "60@3750, 100@4500,140@5250",
                "--max-yaw", "170").build();
        assertThat(t.maxYawAt(0)).isEqualTo(60);
        assertThat(t.maxYawAt(3749)).isEqualTo(60);
        assertThat(t.maxYawAt(3750)).isEqualTo(100);
        assertThat(t.maxYawAt(5249)).isEqualTo(140);
        assertThat(t.maxYawAt(5250)).isEqualTo(170);
        assertThat(HourglassTrainer.configure("--out", "o").build().maxYawAt(0)).isEqualTo(180);
        assertThat(t.toString()).contains("yawCurriculum {3750=60.0, 4500=100.0, 5250=140.0}");
        assertThatThrownBy(() -> HourglassTrainer.configure("--out", "o", "--yaw-curriculum", "60@100,90"))
                .hasMessageContaining("--yaw-curriculum").hasMessageContaining("'90'");
        assertThatThrownBy(() -> HourglassTrainer.configure("--out", "o", "--yaw-curriculum", "200@100"))
                .hasMessageContaining("--yaw-curriculum").hasMessageContaining("200");
        assertThatThrownBy(() -> HourglassTrainer.configure("--out", "o", "--yaw-curriculum", "60@100,90@100"))
                .hasMessageContaining("already ends at step 100");
    }

    @Test
    void configure_engine_defaultsToFastAndParsesDl4j() {
        assertThat(HourglassTrainer.configure("--out", "o").build().toString()).contains("engine fast");
        assertThat(HourglassTrainer.configure("--out", "o", "--engine", "dl4j").build().toString())
                .contains("engine dl4j");
        assertThatThrownBy(() -> HourglassTrainer.configure("--out", "o", "--engine", "gpu"))
                .hasMessage("--engine: expected fast or dl4j, got gpu");
        assertThatThrownBy(() -> HourglassTrainer.builder().engine(null)).hasMessageContaining("engine");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }
}
