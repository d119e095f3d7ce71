package dev.smplr.hourglass;

import dev.smplr.core.internal.Checks;
import dev.smplr.smpl.training.Checkpoints;
import dev.smplr.smpl.training.Manifest;
import dev.smplr.smpl.training.ReleaseSchedule;
import dev.smplr.smpl.training.TrainerArgs;
import dev.smplr.smpl.training.TrainerArgs.Kind;
import dev.smplr.smpl.training.TrainerSettings;
import dev.smplr.smpl.training.TrainingMonitor;
import dev.smplr.smpl.training.WeightsDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Trains the volumetric hourglass on {@link SyntheticImageSource} crops (SPEC.md section 6, adapted):
 *
 * <ul>
 *   <li>Adam (β₁ 0.9, β₂ 0.999, ε 1e-8) with the release's schedule {@code lr(e) = lr₀ · σ(10 − e/12.5) + 1e-4}
 *       ({@link ReleaseSchedule#hourglass}). The release runs 200 epochs of growing length over a fixed data set;
 *       here the data are endless, so the run's steps are cut into {@link Builder#epochs(int) epochs} (default 200)
 *       of equal length, and the schedule sees that epoch number: the learning rate falls through its midpoint at
 *       62.5 % of the run whatever its length.</li>
 *   <li>Batches: step s (0-based) trains on samples {@code s·batch .. s·batch + batch − 1} of the source (seeded,
 *       per index), so a resumed run draws exactly the data it would have drawn. Each batch and its targets are
 *       prepared on a background thread while the step before trains. Validation uses the disjoint index range
 *       from {@link #VALIDATION_START} on, the same images every time. With the initialisation seeded too
 *       ({@link dev.smplr.smpl.training.NetworkSeeds}), a run stopped and resumed ends with the weights of one
 *       that ran through (tested; same machine and BLAS threads).</li>
 *   <li>Loss: the configuration's ({@link HourglassLoss}), on every stack, summed over the stacks (intermediate
 *       supervision).</li>
 *   <li>Engine ({@link Builder#engine(Engine)}, {@code --engine fast|dl4j}): {@link Engine#FAST} (the default)
 *       computes the step on NHWC buffers with GEMM convolutions and applies it through the graph's own DL4J updater,
 *       the same maths as {@link Engine#DL4J}'s {@code ComputationGraph.fit} (gradients equal within float rounding,
 *       tested), several times faster on CPU; checkpoints and weights are interchangeable. Only dropout masks are
 *       drawn from a different (seeded) generator.</li>
 *   <li>Validation: MPJPE over the 41 points (mm, root-relative, camera frame, no alignment; SPEC 9) of the last
 *       stack's soft-argmax on {@link Builder#validationSize(int)} held-out images, every
 *       {@link Builder#validateEvery(long)} steps and at the end.</li>
 *   <li>Output directory: {@code checkpoints/} (atomic, every {@link Builder#checkpointEvery(long)} steps; a new run
 *       on the same directory resumes from the latest), {@code history.csv} and {@code loss-curve.png}, and
 *       {@code weights/} (a weights directory: {@code network.zip} and {@code manifest.json} with the command, seed,
 *       steps, wall time and metrics), loadable with {@link HourglassEstimator#load(Path)}.</li>
 * </ul>
 *
 * <p>Command line: {@link #run(String...)} ({@code smplr train hourglass} and {@link #main} call it), its options
 * in {@link #commandLine()}.
 */
public final class HourglassTrainer {
    /** The first sample index of the validation images; training indices stay far below it. */
    public static final long VALIDATION_START = 1L << 40;
    /** The first sample index of the final evaluation images, disjoint from training and validation. */
    public static final long EVALUATION_START = VALIDATION_START + (1L << 30);
    /** The network's file name in checkpoints and weights directories. */
    static final String NETWORK = "hourglass";
    /** The file name of the weights' moving average in checkpoints ({@link Builder#averageDecay}). */
    static final String AVERAGE = "hourglass-average";
    /** The checkpoint state's count of averaged steps. */
    private static final String AVERAGED_STEPS = "averagedSteps";
    /** The command line's steps when {@code --steps} is not given: the shipped demo weights' (the builder's: 1000). */
    static final long COMMAND_LINE_STEPS = 1250;
    /** The default steps between checkpoints. */
    private static final long CHECKPOINT_EVERY = 50;

    private final HourglassConfig config;
    private final String preset;
    private final long seed;
    private final long steps;
    private final int batchSize;
    private final double learningRate;
    private final double learningRateFloor;
    private final int epochs;
    private final int validationSize;
    private final long validateEvery;
    private final long checkpointEvery;
    private final int evaluationSize;
    private final Path out;
    private final PrintStream log;
    private final String command;
    private final Engine engine;
    private final double maxYawDegrees;
    /** Curriculum stages: step bound (exclusive) → the largest |yaw| before it, degrees. */
    private final NavigableMap<Long, Double> yawStages;
    private final long stopAfter;
    private final Path initFrom;
    private final double averageDecay;

    /** How a training step is computed; both give the same maths and the same graph, checkpoints and weights. */
    public enum Engine {
        /** The hourglass's own training step on NHWC GEMMs, applied through the graph's DL4J updater (default). */
        FAST,
        /** DL4J's {@code ComputationGraph.fit}. */
        DL4J
    }

    private HourglassTrainer(Builder b, TrainerSettings settings) {
        config = b.config;
        preset = b.preset;
        seed = settings.seed();
        steps = settings.steps();
        batchSize = b.batchSize;
        learningRate = b.learningRate;
        learningRateFloor = b.learningRateFloor;
        epochs = b.epochs;
        validationSize = b.validationSize;
        validateEvery = settings.validateEvery();
        checkpointEvery = settings.checkpointEvery();
        evaluationSize = b.evaluationSize;
        out = settings.out();
        log = settings.log();
        command = settings.command();
        engine = b.engine;
        maxYawDegrees = b.maxYawDegrees;
        yawStages = Collections.unmodifiableNavigableMap(new TreeMap<>(b.yawStages));
        stopAfter = b.stopAfter;
        initFrom = b.initFrom;
        averageDecay = b.averageDecay;
    }

    /**
     * The largest |yaw| of the training views at a step: that of the first curriculum stage whose bound lies past
     * it, else {@link Builder#maxYawDegrees}.
     *
     * @param step the 0-based step being trained
     * @return degrees, 0 to 180
     */
    double maxYawAt(long step) {
        Map.Entry<Long, Double> stage = yawStages.higherEntry(step);
        return stage != null ? stage.getValue() : maxYawDegrees;
    }

    /** @return the network this trainer trains */
    HourglassConfig config() {
        return config;
    }

    /** @return the settings, one {@code name value} pair after another, for logs and tests */
    @Override
    public String toString() {
        return "HourglassTrainer[preset " + preset + ", steps " + steps + ", seed " + seed + ", batch " + batchSize
                + ", lr " + learningRate + ", lrFloor " + learningRateFloor + ", epochs " + epochs + ", validation "
                + validationSize + ", validateEvery "
                + validateEvery + ", checkpointEvery " + checkpointEvery + ", eval " + evaluationSize + ", out " + out
                + ", engine " + engine.name().toLowerCase(Locale.ROOT) + ", maxYaw " + maxYawDegrees
                + (yawStages.isEmpty() ? "" : ", yawCurriculum " + yawStages) + ", stopAfter " + stopAfter
                + (initFrom == null ? "" : ", initFrom " + initFrom)
                + (averageDecay == 0 ? "" : ", averageDecay " + averageDecay)
                + ", command " + command + "]";
    }

    /** @return a builder with the demo preset and the defaults listed on its setters */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What a run produced.
     *
     * @param weights     the final weights directory; null when the run stopped early ({@link Builder#stopAfter})
     * @param steps       steps done in total
     * @param wallSeconds wall time of all invocations of the run (resumed ones add up), seconds
     * @param valMpjpeMm  the final validation MPJPE over the 41 points, mm
     */
    public record Result(Path weights, long steps, double wallSeconds, double valMpjpeMm) {
    }

    /**
     * Trains (or resumes) and writes the weights directory.
     *
     * @return the result
     * @throws IOException if a checkpoint or the weights cannot be written or read
     */
    public Result train() throws IOException {
        long start = System.nanoTime();
        SyntheticImageSource source = SyntheticImageSource.builder().size(config.inputSize()).seed(seed).build();
        // A curriculum may narrow the training views; validation and evaluation always see the full circle.
        Map<Double, SyntheticImageSource> trainingSources = new ConcurrentHashMap<>();
        VoxelGrid grid = VoxelGrid.of(config);
        Path checkpointDir = out.resolve("checkpoints");
        long epochLength = Math.max(1, steps / epochs);

        ComputationGraph graph;
        long step = 0;
        double priorWall = 0;
        String commands = command;
        Optional<Checkpoints.Checkpoint> latest = Checkpoints.latest(checkpointDir);
        TrainingMonitor monitor;
        if (latest.isPresent()) {
            graph = latest.get().graph(NETWORK);
            step = Math.min(latest.get().step(), steps);
            monitor = new TrainingMonitor("hourglass " + preset, steps, step, 10, log);
            monitor.restore(latest.get().state().object("history"));
            // Wall time and commands add up over resumed invocations.
            if (latest.get().state().has("wallSeconds")) {
                priorWall = latest.get().state().number("wallSeconds");
            }
            if (latest.get().state().has("command")) {
                commands = latest.get().state().string("command") + TrainerArgs.RESUMED + command;
            }
            // The restored updater keeps its moments but takes this invocation's --lr, and the loss layers take this
            // configuration's loss: a resume may fine-tune.
            graph.setLearningRate(schedule());
            for (int s = 0; s < config.stacks(); s++) {
                ((LossLayer) graph.getLayer(HourglassNetwork.lossName(s)).conf().getLayer())
                        .setLossFn(HourglassNetwork.lossFunction(config));
            }
            log.printf(Locale.ROOT, "resuming from %s at step %d%n", latest.get().dir(), step);
        } else {
            graph = HourglassNetwork.build(config, new Adam(schedule()));
            monitor = new TrainingMonitor("hourglass " + preset, steps, 0, 10, log);
            if (initFrom != null) {
                HourglassEstimator.Weights trained = HourglassEstimator.read(initFrom);
                int zeroed = NetworkGrowth.grow(trained.graph(), trained.config(), graph, config);
                // Weights made elsewhere may lack the training record: then the chain starts at this run.
                Manifest training = trained.manifest().objectOrEmpty("training");
                if (training.has("wallSeconds")) {
                    priorWall = training.number("wallSeconds");
                }
                if (training.has("command")) {
                    commands = training.string("command") + TrainerArgs.STARTED_FROM + command;
                }
                Manifest metrics = trained.manifest().objectOrEmpty("metrics");
                String validation = metrics.has("valMpjpeMm")
                        ? String.format(Locale.ROOT, "%.1f mm on validation", metrics.number("valMpjpeMm"))
                        : "no validation error recorded";
                log.printf(Locale.ROOT, "starting from the weights in %s (%d stacks, %d features, %s): %d "
                        + "feed-forward parameter arrays of added stacks set to zero%n", initFrom,
                        trained.config().stacks(), trained.config().features(), validation, zeroed);
            }
        }
        log.printf(Locale.ROOT, "HourglassTrainer: %s, %d parameters, batch %d, %d steps (epoch %d steps), "
                + "lr0 %g, loss %s, seed %d, engine %s%n", config, graph.numParams(), batchSize, steps, epochLength,
                learningRate, config.loss(), seed, engine.name().toLowerCase(Locale.ROOT));
        HourglassBackprop fast = engine == Engine.FAST ? HourglassBackprop.of(graph, config) : null;
        // The moving average lives in a second graph of the same layout: validated, checkpointed and written like
        // the trained one. A run that turns it on later starts it from the current weights.
        ComputationGraph average = null;
        long averagedSteps = 0;
        if (averageDecay > 0) {
            if (latest.isPresent() && latest.get().state().has(AVERAGED_STEPS)) {
                average = latest.get().graph(AVERAGE);
                averagedSteps = (long) latest.get().state().number(AVERAGED_STEPS);
            } else {
                average = weightsOnly(graph);
            }
            log.printf(Locale.ROOT, "validating and writing the moving average of the weights (decay %g, %d steps "
                    + "averaged so far)%n", averageDecay, averagedSteps);
        }
        ComputationGraph result = average != null ? average : graph;

        float[] validationImages = new float[validationSize * 3 * config.inputSize() * config.inputSize()];
        float[] validationPoints = new float[validationSize * 123];
        source.fill(VALIDATION_START, validationSize, validationImages, validationPoints);

        int plane = 3 * config.inputSize() * config.inputSize();
        double mpjpe = Double.NaN;
        long trainStart = System.nanoTime();
        long firstStep = step;
        long stop = stopAfter < 0 ? steps : Math.min(steps, Math.max(step, stopAfter));
        try (PrefetchedBatches batches = new PrefetchedBatches(batchSize, plane, grid.values(), stop,
                (s, images, points, targets) -> {
                    trainingSources.computeIfAbsent(maxYawAt(s), d -> d < 180
                            ? source.toBuilder().maxYaw((float) Math.toRadians(d)).build() : source)
                            .fill(s * batchSize, batchSize, images, points);
                    fillTargets(grid, points, targets, batchSize);
                })) {
            while (step < stop) {
                graph.getConfiguration().setEpochCount((int) (step / epochLength));
                PrefetchedBatches.Batch batch = batches.take(step);
                float[] images = batch.images();
                float[] targets = batch.targets();
                double score;
                if (fast != null) {
                    score = fast.step(images, targets, batchSize);
                } else {
                    INDArray x = Nd4j.create(images,
                            new long[] {batchSize, 3, config.inputSize(), config.inputSize()});
                    INDArray y = Nd4j.create(targets, new long[] {batchSize, grid.values()});
                    INDArray[] labels = new INDArray[config.stacks()];
                    Arrays.fill(labels, y);
                    graph.fit(new MultiDataSet(new INDArray[] {x}, labels));
                    score = graph.score();
                }
                step++;
                if (average != null) {
                    averagedSteps++;
                    accumulate(average, graph, averageDecay, averagedSteps);
                }
                monitor.step(step, score);
                if (step % validateEvery == 0 || step == stop) {
                    mpjpe = validate(result, grid, validationImages, validationPoints);
                    Map<String, Double> metrics = new LinkedHashMap<>();
                    metrics.put("val_mpjpe_mm", mpjpe);
                    metrics.put("lr", schedule().valueAt(0, (int) (step / epochLength)));
                    metrics.put("steps_per_s", (step - firstStep) / ((System.nanoTime() - trainStart) / 1e9));
                    monitor.validation(step, metrics);
                }
                if (step % checkpointEvery == 0 || step == stop) {
                    Map<String, Object> state = new LinkedHashMap<>();
                    state.put("history", monitor.state());
                    state.put("wallSeconds", priorWall + (System.nanoTime() - start) / 1e9);
                    state.put("command", commands);
                    if (average != null) {
                        state.put(AVERAGED_STEPS, averagedSteps);
                    }
                    Checkpoints.save(checkpointDir, step, average != null
                            ? Map.of(NETWORK, graph, AVERAGE, average) : Map.of(NETWORK, graph), state);
                    monitor.writeReport(out);
                }
            }
        }
        if (step < steps) {
            monitor.close();
            log.printf(Locale.ROOT, "stopped after step %d of %d (--stop-after); run again to continue%n", step,
                    steps);
            return new Result(null, step, priorWall + (System.nanoTime() - start) / 1e9, mpjpe);
        }
        if (Double.isNaN(mpjpe)) {
            mpjpe = validate(result, grid, validationImages, validationPoints);
        }
        monitor.close();
        monitor.writeReport(out);
        double evaluation = Double.NaN;
        if (evaluationSize > 0) {
            float[] evalImages = new float[evaluationSize * plane];
            float[] evalPoints = new float[evaluationSize * 123];
            source.fill(EVALUATION_START, evaluationSize, evalImages, evalPoints);
            evaluation = validate(result, grid, evalImages, evalPoints);
            log.printf(Locale.ROOT, "evaluation: MPJPE %.1f mm over the 41 points of %d held-out images "
                    + "(indices from %d)%n", evaluation, evaluationSize, EVALUATION_START);
        }
        double invocation = (System.nanoTime() - start) / 1e9;
        double wall = priorWall + invocation;
        Path weights = out.resolve("weights");
        writeWeights(weights, result, commands, step, wall, mpjpe, evaluation);
        // The manifest's wall time adds up resumed invocations and the weights started from; say both.
        log.printf(Locale.ROOT, "done: %d steps, %.0f s in this invocation (%.0f s in all, with resumed invocations "
                + "and the weights it started from), validation MPJPE %.1f mm (%d images), weights in %s%n",
                step, invocation, wall, mpjpe, validationSize, weights);
        return new Result(weights, step, wall, mpjpe);
    }

    private void writeWeights(Path dir, ComputationGraph graph, String commands, long doneSteps, double wall,
            double mpjpe, double evaluation) throws IOException {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("command", commands);
        training.put("seed", seed);
        training.put("steps", doneSteps);
        training.put("batchSize", batchSize);
        training.put("learningRate", learningRate);
        if (learningRateFloor != ReleaseSchedule.FLOOR) {
            training.put("learningRateFloor", learningRateFloor);
        }
        training.put("engine", engine.name().toLowerCase(Locale.ROOT));
        if (averageDecay > 0) {
            training.put("averageDecay", averageDecay);
        }
        training.put("wallSeconds", Math.round(wall));
        training.put("data", "SyntheticImageSource seed " + seed + ", size " + config.inputSize()
                + ", training indices 0.." + (doneSteps * batchSize - 1) + ", validation from " + VALIDATION_START);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("valMpjpeMm", mpjpe);
        metrics.put("validationImages", validationSize);
        if (evaluationSize > 0) {
            metrics.put("evalMpjpeMm", evaluation);
            metrics.put("evalImages", evaluationSize);
            metrics.put("evalIndicesFrom", EVALUATION_START);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("preset", preset);
        fields.put("config", HourglassEstimator.describe(config));
        fields.put("training", training);
        fields.put("metrics", metrics);
        Map<String, WeightsDirectory.Content> files = new LinkedHashMap<>();
        files.put(HourglassEstimator.NETWORK_FILE, o -> ModelSerializer.writeModel(graph, o, false));
        WeightsDirectory.write(dir, HourglassEstimator.KIND, fields, files);
    }

    /**
     * The untrained network of a configuration (Adam at the schedule's start), for benchmarks and tools. Not part
     * of the stable API: the graph's layout is documented on the package-private {@code HourglassNetwork}.
     *
     * @param config the configuration
     * @return the initialised graph
     * @throws IllegalArgumentException if config is null
     */
    public static ComputationGraph network(HourglassConfig config) {
        return HourglassNetwork.build(Checks.notNull("config", config),
                new Adam(ReleaseSchedule.hourglass(2.5e-3)));
    }

    /**
     * The training targets of a batch, for benchmarks and tools (layout on {@code VoxelGrid}): n × the head's values
     * per image.
     *
     * @param config   the configuration
     * @param points41 (n, 41, 3) camera-frame root-relative points, metres. Not modified.
     * @return the targets, {@code n · config.headValues()} values
     * @throws IllegalArgumentException if an argument is null or the points are not a multiple of 123 values
     */
    public static float[] targets(HourglassConfig config, float[] points41) {
        Checks.notNull("config", config);
        int n = Checks.batch("points41", points41, 123, "n×41×3 points");
        VoxelGrid grid = VoxelGrid.of(config);
        float[] t = new float[n * grid.values()];
        fillTargets(grid, points41, t, n);
        return t;
    }

    /** Targets of a batch, in parallel over the examples. */
    static void fillTargets(VoxelGrid grid, float[] points, float[] targets, int n) {
        IntStream.range(0, n).parallel().forEach(i -> VoxelTargets.fill(grid,
                Arrays.copyOfRange(points, 123 * i, 123 * i + 123), targets, i * grid.values()));
    }

    /** The rate schedule of this run's settings. */
    private ReleaseSchedule schedule() {
        return ReleaseSchedule.hourglass(learningRate, learningRateFloor);
    }

    /**
     * One step of the weights' exponential moving average (Polyak averaging), batch-norm statistics included:
     * {@code average ← d·average + (1 − d)·weights} with {@code d = min(decay, (1 + k) / (10 + k))} at the k-th
     * averaged step, so the first steps do not drag the average back to where it started.
     */
    static void accumulate(ComputationGraph average, ComputationGraph graph, double decay, long k) {
        double d = Math.min(decay, (1.0 + k) / (10.0 + k));
        INDArray a = average.params();
        a.muli(d);
        Nd4j.getBlasWrapper().level1().axpy(a.length(), 1 - d, graph.params(), a);
    }

    /**
     * A copy of a graph's parameters (batch-norm statistics included) in a graph of the same configuration whose
     * optimiser has never run: its checkpoints then carry Adam moments of zeros, which compress to almost nothing,
     * where a {@code clone()} would copy the trained graph's (twice the parameters, incompressible).
     */
    static ComputationGraph weightsOnly(ComputationGraph graph) {
        ComputationGraph copy = new ComputationGraph(graph.getConfiguration().clone());
        copy.init(graph.params().dup(), false);
        return copy;
    }

    /** Validation MPJPE (mm) of the last stack's soft-argmax, batches of 8. */
    static double validate(ComputationGraph graph, VoxelGrid grid, float[] images, float[] points) {
        int n = points.length / 123;
        int plane = images.length / n;
        int side = (int) Math.round(Math.sqrt(plane / 3.0));
        double sum = 0;
        for (int first = 0; first < n; first += 8) {
            int m = Math.min(8, n - first);
            INDArray x = Nd4j.create(Arrays.copyOfRange(images, first * plane, (first + m) * plane),
                    new long[] {m, 3, side, side});
            INDArray[] outs = graph.output(false, x);
            float[] logits = outs[outs.length - 1].ravel().toFloatVector();
            float[] predicted = grid.softArgmax(logits, m);
            sum += HourglassEstimator.errorSumMm(predicted, 0, points, first * 123, m);
        }
        return sum / (n * 41.0);
    }

    /**
     * The command line of {@link #run(String...)}, {@link #main(String[])} and {@code smplr train hourglass}: its
     * options, their defaults and its usage text. Its default steps and seed are the shipped demo weights' recipe,
     * not the builder's.
     *
     * @return the declaration
     */
    public static TrainerArgs commandLine() {
        Builder d = builder();
        return TrainerArgs.builder("smplr train hourglass")
                .runOptions("total steps; at or below the latest checkpoint's step it only validates, evaluates and "
                        + "writes the weights", COMMAND_LINE_STEPS, "the seed of the synthetic data",
                        "the run directory: checkpoints/, weights/, history.csv",
                        "continue from the latest checkpoint in DIR/checkpoints (a run always does)")
                .option("--batch", Kind.INT, "B", "images per step").positive()
                .defaultValue(Integer.toString(d.batchSize))
                .option("--lr", Kind.DOUBLE, "LR", "the schedule's initial learning rate").positive()
                .defaultValue(Double.toString(d.learningRate))
                .option("--lr-floor", Kind.DOUBLE, "X", "the rate the schedule decays to (the release's 1e-4; lower "
                        + "anneals a fine-tuning run further)").positive()
                .defaultValue(Double.toString(d.learningRateFloor))
                .option("--loss", Kind.STRING, null, "the volume loss (default: the preset's, softmax)")
                .choices("sigmoid", "softmax")
                .option("--integral-weight", Kind.DOUBLE, "W", "the softmax loss's integral (soft-argmax L1) term, "
                        + "weight per metre; 0 for none (default: the preset's)").nonNegative()
                .option("--stacks", Kind.INT, "N", "stacked hourglasses (default: the preset's)").positive()
                .option("--features", Kind.INT, "N", "channels of the trunk, even (default: the preset's)").positive()
                .option("--input", Kind.INT, "PX", "side of the input crop, a multiple of 4·2^depth (default: the "
                        + "preset's)").positive()
                .option("--validation", Kind.INT, "N", "held-out validation images").positive()
                .defaultValue(Integer.toString(d.validationSize))
                .everyOptions(Kind.LONG, 0, CHECKPOINT_EVERY)
                .option("--eval", Kind.INT, "N", "held-out images of the final evaluation, 0 for none").nonNegative()
                .defaultValue(Integer.toString(d.evaluationSize))
                .option("--engine", Kind.STRING, null, "how a step is computed: fast (NHWC GEMMs through the graph's "
                        + "DL4J updater, same maths) or dl4j (ComputationGraph.fit)").choices("fast", "dl4j")
                .defaultValue("fast")
                .option("--max-yaw", Kind.DOUBLE, "DEG", "curriculum: the training bodies turn at most DEG degrees "
                        + "from facing the camera (validation and evaluation see all)").defaultValue("180")
                .option("--yaw-curriculum", Kind.STRING, "DEG@STEP,…", "curriculum in one run: views within ±DEG "
                        + "degrees until step STEP, stage after stage, then --max-yaw (e.g. 60@3750,100@4500,140@5250)")
                .option("--stop-after", Kind.LONG, "N", "checkpoint and stop after step N, as a killed run would")
                .nonNegative()
                .option("--init-from", Kind.STRING, "DIR", "start from a weights directory (same depth and volumes; "
                        + "as many or fewer stacks and features, any input size): added stacks first repeat its last, "
                        + "added channels start without effect")
                .option("--average-decay", Kind.DOUBLE, "D", "validate, evaluate and write the moving average of "
                        + "the weights, decaying by D a step (e.g. 0.998; default 0: the last step's weights)")
                .defaultValue("0")
                .build();
    }

    /**
     * The command-line entry, {@code smplr train hourglass ARGS}: the options of {@link #commandLine()}
     * ({@code --preset demo|paper --steps N --seed S --out DIR [--resume] [--batch B] [--lr LR] [--lr-floor X]
     * [--loss sigmoid|softmax] [--integral-weight W] [--stacks N] [--features N] [--input PX] [--validation N]
     * [--validate-every N] [--checkpoint-every N] [--eval N] [--engine fast|dl4j] [--max-yaw DEG]
     * [--yaw-curriculum DEG@STEP,…] [--stop-after N] [--init-from DIR] [--average-decay D]}). A resume takes its own {@code --lr} (the optimiser's moments
     * carry over), so a finished run can be fine-tuned with a larger {@code --steps}. With {@code --eval N} the final weights are also evaluated on N held-out images from {@link #EVALUATION_START}. Run
     * again on the same {@code --out} to resume (with or without {@code --resume}); with {@code --steps} at or below
     * the latest checkpoint's step it only validates, evaluates and writes the weights of that checkpoint. The
     * manifest records {@code smplr train hourglass ARGS}.
     *
     * @param args the arguments after {@code smplr train hourglass}
     * @return the result
     * @throws IOException if training fails to write or read its files
     * @throws IllegalArgumentException naming the option if an argument is bad or missing
     */
    public static Result run(String... args) throws IOException {
        return configure(args).build().train();
    }

    /** The builder {@link #run(String...)} trains with. */
    static Builder configure(String... args) {
        TrainerArgs.Values v = commandLine().parse(args);
        String presetName = v.string("--preset");
        HourglassConfig c = presetName.equals("paper") ? HourglassConfig.paper() : HourglassConfig.demo();
        if (v.has("--loss")) {
            boolean sigmoid = v.string("--loss").equals("sigmoid");
            // the integral term belongs to the softmax loss: the sigmoid loss drops the preset's
            c = c.toBuilder().loss(sigmoid ? HourglassLoss.SIGMOID_CROSS_ENTROPY : HourglassLoss.SOFTMAX_CROSS_ENTROPY)
                    .integralWeight(sigmoid ? 0 : c.integralWeight()).build();
        }
        if (v.has("--integral-weight")) {
            c = c.toBuilder().integralWeight(v.doubleValue("--integral-weight")).build();
        }
        StringBuilder name = new StringBuilder(presetName);
        if (v.has("--stacks")) {
            c = c.toBuilder().stacks(v.intValue("--stacks")).build();
            name.append(", ").append(c.stacks()).append(" stacks");
        }
        if (v.has("--features")) {
            c = c.toBuilder().features(v.intValue("--features")).build();
            name.append(", ").append(c.features()).append(" features");
        }
        if (v.has("--input")) {
            c = c.toBuilder().inputSize(v.intValue("--input")).build();
            name.append(", ").append(c.inputSize()).append("² input");
        }
        Builder b = builder().runOptions(v).config(name.toString(), c).batchSize(v.intValue("--batch"))
                .learningRate(v.doubleValue("--lr")).learningRateFloor(v.doubleValue("--lr-floor"))
                .validationSize(v.intValue("--validation"))
                .evaluationSize(v.intValue("--eval"))
                .engine(v.string("--engine").equals("dl4j") ? Engine.DL4J : Engine.FAST)
                .maxYawDegrees(v.doubleValue("--max-yaw"));
        v.ifLong("--stop-after", b::stopAfter);
        b.averageDecay(v.doubleValue("--average-decay"));
        if (v.has("--init-from")) {
            b.initFrom(Path.of(v.string("--init-from")));
        }
        if (v.has("--yaw-curriculum")) {
            yawCurriculum(b, v.string("--yaw-curriculum"));
        }
        return b;
    }

    /** Parses {@code DEG@STEP,DEG@STEP,…} into the builder's stages; errors name the option and the bad item. */
    private static void yawCurriculum(Builder b, String spec) {
        for (String item : spec.split(",", -1)) {
            int at = item.indexOf('@');
            try {
                if (at < 0) {
                    throw new IllegalArgumentException("no @");
                }
                b.yawStage(Long.parseLong(item.substring(at + 1).trim()),
                        Double.parseDouble(item.substring(0, at).trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--yaw-curriculum: expected DEG@STEP items separated by commas "
                        + "(e.g. 60@3750,100@4500), got '" + item + "' in '" + spec + "' (" + e.getMessage() + ")", e);
            }
        }
    }

    /**
     * {@link #run(String...)} from a shell.
     *
     * @param args as {@link #run(String...)}
     * @throws IOException if training fails to write or read its files
     */
    public static void main(String[] args) throws IOException {
        if (!commandLine().printHelpIfAsked(args, System.out)) {
            run(args);
        }
    }

    /**
     * Trains a preset with the builder's other defaults (the command line is {@link #run(String...)}).
     *
     * @param preset "demo" or "paper"
     * @param steps  steps, ≥ 1
     * @param seed   data seed
     * @param out    output directory
     * @return the result
     * @throws IOException if training fails to write or read its files
     * @throws IllegalArgumentException if the preset is unknown or a value is out of range
     */
    public static Result train(String preset, long steps, long seed, Path out) throws IOException {
        HourglassConfig c = switch (Checks.notNull("preset", preset)) {
            case "demo" -> HourglassConfig.demo();
            case "paper" -> HourglassConfig.paper();
            default -> throw new IllegalArgumentException("preset: expected demo or paper, got " + preset);
        };
        return builder().config(preset, c).steps(steps).seed(seed).out(out)
                .command("smplr train hourglass --preset " + preset + " --steps " + steps + " --seed " + seed
                        + " --out " + out).build().train();
    }

    /** Builds a {@link HourglassTrainer}; each setter checks its value at once. */
    public static final class Builder extends TrainerSettings.Builder<Builder> {
        private HourglassConfig config = HourglassConfig.demo();
        private String preset = "demo";
        private int batchSize = 8;
        private double learningRate = 2.5e-3;
        private double learningRateFloor = ReleaseSchedule.FLOOR;
        private int epochs = 200;
        private int validationSize = 64;
        private int evaluationSize;
        private Engine engine = Engine.FAST;
        private double maxYawDegrees = 180;
        private final TreeMap<Long, Double> yawStages = new TreeMap<>();
        private long stopAfter = -1;
        private Path initFrom;
        private double averageDecay;

        private Builder() {
            super(1000, 0, CHECKPOINT_EVERY, "HourglassTrainer", true);
        }

        /**
         * A curriculum step: the training bodies turn at most this far from facing the camera (validation and the
         * final evaluation still use every yaw). Front views first let the network learn which limb is left
         * before it must also tell front from back.
         *
         * @param degrees the largest |yaw| of the training views, 0 to 180 (default 180: all)
         * @return this
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxYawDegrees(double degrees) {
            maxYawDegrees = yawDegrees("maxYawDegrees", degrees);
            return this;
        }

        private static double yawDegrees(String name, double degrees) {
            if (!(degrees >= 0 && degrees <= 180)) {
                throw new IllegalArgumentException(name + ": expected 0 to 180 degrees, got " + degrees);
            }
            return degrees;
        }

        /**
         * A curriculum of views in one run: the training bodies turn at most {@code degrees} from facing the camera
         * in the steps before {@code untilStep} (and after any earlier stage's bound); after the last stage,
         * {@link #maxYawDegrees}. The shipped demo weights used 60° to step 3,750, 100° to 4,500, 140° to 5,250 (in
         * separate invocations), having trained on all views up to step 3,000.
         *
         * @param untilStep the stage ends before this step count, ≥ 1
         * @param degrees   the largest |yaw| of its views, 0 to 180
         * @return this
         * @throws IllegalArgumentException if out of range, or a stage already ends at that step
         */
        public Builder yawStage(long untilStep, double degrees) {
            Checks.positive("untilStep", untilStep);
            if (yawStages.putIfAbsent(untilStep, yawDegrees("yawStage", degrees)) != null) {
                throw new IllegalArgumentException("yawStage: a stage already ends at step " + untilStep);
            }
            return this;
        }

        /**
         * Starts a new run from trained weights instead of a random initialisation ({@link NetworkGrowth}): the same
         * depth and volumes, as many or more stacks (added stacks first repeat the last), as many or more features
         * (appended channels start where they cannot change the output), any input size. The optimiser and the
         * schedule start afresh; the manifest's command chains the source's commands (when its manifest records
         * them) and its wall time adds up. Ignored when the run resumes from its own checkpoint.
         *
         * @param weights a weights directory ({@link HourglassEstimator#load(Path)})
         * @return this
         * @throws IllegalArgumentException if null
         */
        public Builder initFrom(Path weights) {
            initFrom = Checks.notNull("initFrom", weights);
            return this;
        }

        /**
         * Keeps an exponential moving average of the weights (Polyak averaging; batch-norm statistics averaged
         * alike) and validates, evaluates and writes it instead of the last step's weights, which wander with the
         * noise of small batches. The trained weights and the optimiser are unchanged; checkpoints carry both.
         *
         * @param decay the average's decay per step, 0 (off, the default) or in (0, 1); the k-th averaged step uses
         *              {@code min(decay, (1 + k) / (10 + k))}, so 0.998 averages over about the last 500 steps once
         *              4,490 steps have been averaged, and over fewer before (about 45 steps at k = 400)
         * @return this
         * @throws IllegalArgumentException if out of range
         */
        public Builder averageDecay(double decay) {
            if (!(decay >= 0 && decay < 1)) {
                throw new IllegalArgumentException("averageDecay: expected 0 (off) or a decay in (0, 1), got " + decay);
            }
            averageDecay = decay;
            return this;
        }

        /**
         * @param value checkpoint and stop after this step, as a killed run would (no weights, no evaluation); run
         *              again, with other options if need be, to continue (default: run to the end)
         * @return this
         * @throws IllegalArgumentException if negative
         */
        public Builder stopAfter(long value) {
            stopAfter = Checks.nonNegative("stopAfter", value);
            return this;
        }

        /**
         * @param value how each step is computed (default {@link Engine#FAST})
         * @return this
         * @throws IllegalArgumentException if null
         */
        public Builder engine(Engine value) {
            engine = Checks.notNull("engine", value);
            return this;
        }

        /**
         * @param name   the preset's name for the manifest, e.g. "demo"
         * @param value  the network (default the demo preset)
         * @return this
         * @throws IllegalArgumentException if an argument is null
         */
        public Builder config(String name, HourglassConfig value) {
            preset = Checks.notNull("name", name);
            config = Checks.notNull("config", value);
            return this;
        }

        /**
         * @param value images per step, ≥ 1 (default 8; the release uses 6)
         * @return this
         * @throws IllegalArgumentException if below 1
         */
        public Builder batchSize(int value) {
            batchSize = Checks.positive("batchSize", value);
            return this;
        }

        /**
         * @param value lr₀ of the schedule, finite, &gt; 0 (default 2.5e-3; the release uses 0.01 with batch 6 over
         *              hundreds of thousands of steps, not tuned here)
         * @return this
         * @throws IllegalArgumentException if not finite and positive
         */
        public Builder learningRate(double value) {
            learningRate = Checks.positiveFinite("learningRate", value);
            return this;
        }

        /**
         * @param value the rate the schedule decays to, finite, &gt; 0 (default the release's 1e-4,
         *              {@link ReleaseSchedule#FLOOR}); a resume takes its own, like {@link #learningRate}
         * @return this
         * @throws IllegalArgumentException if not finite and positive
         */
        public Builder learningRateFloor(double value) {
            learningRateFloor = Checks.positiveFinite("learningRateFloor", value);
            return this;
        }

        /**
         * @param value schedule epochs the run is cut into, ≥ 1 (default 200, the release's)
         * @return this
         * @throws IllegalArgumentException if below 1
         */
        public Builder epochs(int value) {
            epochs = Checks.positive("epochs", value);
            return this;
        }

        /**
         * @param value held-out validation images, ≥ 1 (default 64)
         * @return this
         * @throws IllegalArgumentException if below 1
         */
        public Builder validationSize(int value) {
            validationSize = Checks.positive("validationSize", value);
            return this;
        }

        /**
         * @param value held-out images of the final evaluation, ≥ 0 (default 0: none)
         * @return this
         * @throws IllegalArgumentException if negative
         */
        public Builder evaluationSize(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("evaluationSize: expected 0 or more, got " + value);
            }
            evaluationSize = value;
            return this;
        }

        /**
         * @return the trainer
         * @throws IllegalStateException if no output directory was set
         */
        public HourglassTrainer build() {
            return new HourglassTrainer(this, settings());
        }
    }
}
