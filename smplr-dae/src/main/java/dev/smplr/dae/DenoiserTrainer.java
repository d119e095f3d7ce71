package dev.smplr.dae;

import dev.smplr.core.Gender;
import dev.smplr.core.SmplrPoints;
import dev.smplr.core.internal.Checks;
import dev.smplr.smpl.NoiseModel;
import dev.smplr.smpl.PoseSampler;
import dev.smplr.smpl.SmplModel;
import dev.smplr.smpl.TrainingSet;
import dev.smplr.smpl.training.Checkpoints;
import dev.smplr.smpl.training.ReleaseSchedule;
import dev.smplr.smpl.training.TrainerArgs;
import dev.smplr.smpl.training.TrainerArgs.Kind;
import dev.smplr.smpl.training.TrainerSettings;
import dev.smplr.smpl.training.TrainingMonitor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Trains a {@link JointDenoiser} the way the release trains its DAE (SPEC.md 4 and 7), on data made on demand.
 *
 * <p><b>Data.</b> Step {@code s} uses samples {@code s·batch .. s·batch + batch − 1} of a seeded
 * {@link TrainingSet} (demo bodies and {@link PoseSampler#anatomical()} by default, a further rotation uniform
 * over SO(3) on every body): the clean 41 points are the target, the points corrupted by the {@link NoiseModel}
 * the input. The default noise is {@link NoiseModel#structured()}: the release's per-coordinate table with the
 * depth amplitudes on Z (SPEC.md 15.8: the random orientation makes every sample a possible camera frame) plus
 * displaced and dropped points, left/right swaps and limb depth flips. Because a sample depends only on the seed
 * and its index, a resumed run sees exactly the stream an uninterrupted run would.
 *
 * <p><b>Optimisation.</b> L1 loss (mean |y − ŷ| over the 123 coordinates and the batch), Adam with
 * {@link ReleaseSchedule#mlp(double)} (lr₀ 0.01, batch 256 by default). The release runs 200 epochs of 400
 * batches (80 000 steps); here the schedule's 200 epochs are spread over the requested steps
 * ({@code ceil(steps / 200)} steps per epoch), so a shorter run still anneals the rate to its floor.
 *
 * <p><b>Validation.</b> Every {@code validateEvery} steps and at the end, on {@code validationSamples} held-out
 * samples (a {@link TrainingSet} seeded with {@code ~seed}): the mean per-point Euclidean error in mm of the
 * input and of the output, under the release's noise ({@code input_mm}, {@code output_mm}) and under structured
 * corruption ({@code structured_input_mm}, {@code structured_output_mm}).
 *
 * <p><b>Lifting.</b> With {@link Builder#lifting(boolean)} the network takes 2D points (SPEC.md 4 names the 2D→3D
 * use; the release never trains it): each corrupted sample is placed at a root depth {@code d} uniform in
 * [{@value #MIN_DEPTH}, {@value #MAX_DEPTH}] m and projected with a pinhole camera, giving the input of
 * {@link JointDenoiser#imagePlane(float[], float, float, float, float)}: {@code x = X·d/(d + Z)},
 * {@code y = Y·d/(d + Z)}. The target stays the clean 3D points. Validation then reports {@code output_mm}
 * (and {@code structured_output_mm}); the input error of 2D points is not defined.
 *
 * <p><b>Files.</b> With an output directory, checkpoints (network with Adam state, step, history) go to
 * {@code out/checkpoints} every {@code checkpointEvery} steps through {@link Checkpoints}; {@code resume} continues
 * from the latest one. At the end the weights directory is written to {@code out/weights} and
 * {@code history.csv} and {@code loss-curve.png} to {@code out}.
 *
 * <pre>{@code
 * JointDenoiser d = DenoiserTrainer.builder().config(DenoiserConfig.demo()).steps(20_000).seed(1)
 *         .out(Path.of("runs/dae")).build().train();
 * }</pre>
 *
 * <p>One {@code train()} call at a time per trainer; the trainer itself holds only its settings.
 */
public final class DenoiserTrainer {
    /** The release's number of epochs, over which the learning-rate schedule runs. */
    public static final int SCHEDULE_EPOCHS = 200;
    /** The nearest root depth of lifting samples, metres. */
    public static final double MIN_DEPTH = 3.0;
    /** The farthest root depth of lifting samples, metres. */
    public static final double MAX_DEPTH = 7.0;
    /** The checkpointed network's name. */
    static final String NET = "dae";
    /** The command line's steps when {@code --steps} is not given: the shipped demo weights' (the builder's: 80 000). */
    static final long COMMAND_LINE_STEPS = 7000;
    /** The default steps between validations and between checkpoints. */
    private static final int EVERY = 1000;

    private final DenoiserConfig config;
    private final TrainerSettings settings;
    private final long steps;
    private final long seed;
    private final Path out;
    private final PrintStream log;
    private final int batchSize;
    private final double lr0;
    private final NoiseModel noise;
    private final int validationSamples;
    private final Function<Gender, SmplModel> models;
    private final PoseSampler sampler;
    private final String data;

    private DenoiserTrainer(Builder b, TrainerSettings settings) {
        this.config = b.lifting == null ? b.config : b.config.toBuilder().lifting(b.lifting).build();
        this.settings = settings;
        this.steps = settings.steps();
        this.seed = settings.seed();
        this.out = settings.out();
        this.log = settings.log();
        this.batchSize = b.batchSize;
        this.lr0 = b.lr0;
        this.noise = b.noise;
        this.validationSamples = b.validationSamples;
        this.models = b.models;
        this.sampler = b.sampler;
        this.data = b.data;
    }

    /** @return a builder: demo preset, 80 000 steps, batch 256, lr₀ 0.01, seed 0, structured noise */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A run from its main settings: {@code --preset P --steps N --seed S --out DIR [--resume] [--lifting]} as
     * arguments ({@link #run(String...)} is the full command line).
     *
     * @param preset  {@code "demo"} or {@code "paper"}
     * @param steps   the number of training steps, at least 1
     * @param seed    the seed of the data, the noise and the weight initialisation
     * @param out     the run directory (checkpoints, report, {@code weights/})
     * @param resume  continue from the latest checkpoint in {@code out/checkpoints} if there is one
     * @param lifting train a 2D→3D lifting network instead of a 3D denoiser
     * @param command the command line to record in the manifest
     * @return the trained denoiser (also saved to {@code out/weights})
     * @throws IOException if a checkpoint cannot be read or a file cannot be written
     * @throws IllegalArgumentException if the preset is unknown or a number is out of range
     */
    public static JointDenoiser trainCommand(String preset, long steps, long seed, Path out, boolean resume,
            boolean lifting, String command) throws IOException {
        return builder().config(preset(preset).toBuilder().seed(seed).build()).steps(steps).seed(seed).out(out)
                .resume(resume).lifting(lifting).command(command).build().train();
    }

    /**
     * The command line of {@link #run(String...)}, {@link #main(String[])} and {@code smplr train dae}: its options,
     * their defaults and its usage text. Its default steps and seed are the shipped demo weights' recipe, not the
     * builder's.
     *
     * @return the declaration
     */
    public static TrainerArgs commandLine() {
        Builder d = builder();
        return TrainerArgs.builder("smplr train dae")
                .runOptions("training steps (batches)", COMMAND_LINE_STEPS, "the seed of the data, the noise and the "
                        + "weights", "the run directory: checkpoints/, weights/, history.csv",
                        "continue from the latest checkpoint in DIR/checkpoints")
                .flag("--lifting", "train a 2D-to-3D lifting network instead of a 3D denoiser")
                .flag("--no-structured", "train on the release's noise only, without structured corruption")
                .option("--batch", Kind.INT, "N", "samples per step").positive()
                .defaultValue(Integer.toString(d.batchSize))
                .everyOptions(Kind.INT, EVERY, EVERY)
                .build();
    }

    /**
     * The command-line entry, {@code smplr train dae ARGS}: the options of {@link #commandLine()}
     * ({@code --preset demo|paper --steps N --seed S --out DIR [--resume] [--lifting] [--no-structured] [--batch B]
     * [--validate-every K] [--checkpoint-every K]}). The manifest records {@code smplr train dae ARGS}.
     *
     * @param args the arguments after {@code smplr train dae}
     * @return the trained denoiser (also saved to {@code DIR/weights})
     * @throws IOException as {@link #train()}
     * @throws IllegalArgumentException naming the option if an argument is bad or missing
     */
    public static JointDenoiser run(String... args) throws IOException {
        return configure(args).build().train();
    }

    /** The builder {@link #run(String...)} trains with. */
    static Builder configure(String... args) {
        TrainerArgs.Values v = commandLine().parse(args);
        Builder b = builder().runOptions(v).batchSize(v.intValue("--batch"))
                .config(preset(v.string("--preset")).toBuilder().seed(v.longValue("--seed")).build());
        v.ifFlag("--lifting", () -> b.lifting(true)).ifFlag("--no-structured", () -> b.noise(NoiseModel.release()));
        return b;
    }

    /**
     * {@link #run(String...)} from a shell.
     *
     * @param args as {@link #run(String...)}
     * @throws IOException as {@link #train()}
     */
    public static void main(String[] args) throws IOException {
        if (!commandLine().printHelpIfAsked(args, System.out)) {
            run(args);
        }
    }

    private static DenoiserConfig preset(String name) {
        Checks.notNull("preset", name);
        return switch (name) {
            case "demo" -> DenoiserConfig.demo();
            case "paper" -> DenoiserConfig.paper();
            default -> throw new IllegalArgumentException("preset: expected demo or paper, got " + name);
        };
    }

    /** @return the configuration trained (with the lifting switch applied) */
    public DenoiserConfig config() {
        return config;
    }

    /**
     * Runs (or resumes) the training.
     *
     * @return the trained denoiser, with metrics {@code input_mm}, {@code output_mm} (release noise),
     *         {@code structured_input_mm}, {@code structured_output_mm} and {@code final_loss}
     * @throws IOException if a checkpoint cannot be read or a file cannot be written
     */
    public JointDenoiser train() throws IOException {
        long started = System.nanoTime();
        Path checkpoints = out == null ? null : out.resolve("checkpoints");
        TrainingSet trainSet = TrainingSet.builder().models(models).sampler(sampler).seed(seed).noise(noise)
                .randomOrientation(true).build();
        Validation release = validation(NoiseModel.release());
        Validation structured = validation(NoiseModel.structured());
        long stepsPerEpoch = Math.max(1, (steps + SCHEDULE_EPOCHS - 1) / SCHEDULE_EPOCHS);

        ComputationGraph graph = null;
        long start = 0;
        double previousSeconds = 0;
        Optional<Checkpoints.Checkpoint> latest = settings.resume() && checkpoints != null
                ? Checkpoints.latest(checkpoints) : Optional.empty();
        TrainingMonitor monitor;
        if (latest.isPresent()) {
            Checkpoints.Checkpoint cp = latest.get();
            graph = cp.graph(NET);
            start = Math.min(cp.step(), steps);
            previousSeconds = cp.state().number("wallSeconds");
            monitor = new TrainingMonitor("dae", steps, start, lossWindow(), log);
            monitor.restore(cp.state().object("history"));
            log.println("resumed from " + cp.dir() + " at step " + start);
        } else {
            graph = DenoiserNetwork.build(config, new Adam(ReleaseSchedule.mlp(lr0)));
            monitor = new TrainingMonitor("dae", steps, 0, lossWindow(), log);
        }
        // The schedule reads the epoch counter of the configuration: set it from the step so a resumed run and
        // an uninterrupted one agree.
        graph.getConfiguration().setEpochCount((int) (start / stepsPerEpoch));

        int w = SmplrPoints.VALUES;
        float[] noisy = new float[batchSize * w];
        float[] clean = new float[batchSize * w];
        double lastLoss = Double.NaN;
        Map<String, Double> metrics = new LinkedHashMap<>();
        try (monitor) {
            for (long step = start; step < steps; step++) {
                trainSet.fillParallel(step * batchSize, batchSize, noisy, null, null, null, null, clean, null);
                float[] input = config.lifting() ? project(noisy, batchSize, depthSeed(step)) : noisy;
                graph.fit(new DataSet(Nd4j.create(input, new long[] {batchSize, config.inputSize()}, 'c'),
                        Nd4j.create(clean, new long[] {batchSize, w}, 'c')));
                lastLoss = graph.score();
                long done = step + 1;
                monitor.step(done, lastLoss);
                if (done % stepsPerEpoch == 0) {
                    graph.incrementEpochCount();
                }
                if (done % settings.validateEvery() == 0 || done == steps) {
                    metrics = validate(graph, release, structured);
                    monitor.validation(done, metrics);
                }
                if (checkpoints != null && (done % settings.checkpointEvery() == 0 || done == steps)) {
                    Map<String, Object> state = new LinkedHashMap<>();
                    state.put("wallSeconds", previousSeconds + (System.nanoTime() - started) * 1e-9);
                    state.put("history", monitor.state());
                    Checkpoints.save(checkpoints, done, Map.of(NET, graph), state);
                }
            }
        }
        if (metrics.isEmpty()) {
            metrics = validate(graph, release, structured); // resumed at the end: report anyway
        }
        metrics.put("final_loss", lastLoss);
        double wall = previousSeconds + (System.nanoTime() - started) * 1e-9;
        JointDenoiser.Training training = new JointDenoiser.Training(settings.command(), seed, steps, wall,
                describeData());
        JointDenoiser denoiser = new JointDenoiser(config, graph, seed, training, metrics);
        if (out != null) {
            monitor.writeReport(out);
            denoiser.save(out.resolve("weights"));
        }
        return denoiser;
    }

    /** Training-loss points average 100 steps, fewer for short runs so that their curve has points. */
    private int lossWindow() {
        return (int) Math.max(1, Math.min(100, steps / 100));
    }

    private String describeData() {
        return String.format(Locale.ROOT, "%s; random SO(3) orientation; noise %s; batch %d, lr0 %g, "
                + "release sigmoid schedule over %d epochs; validation: %d samples of seed ~%d", data, noise,
                batchSize, lr0, SCHEDULE_EPOCHS, validationSamples, seed);
    }

    /** The held-out samples under one noise model; the clean points are the same for every noise model. */
    private record Validation(float[] clean, float[] noisy, float[] input, int count) {
    }

    private Validation validation(NoiseModel validationNoise) {
        TrainingSet set = TrainingSet.builder().models(models).sampler(sampler).seed(~seed).noise(validationNoise)
                .randomOrientation(true).build();
        int m = validationSamples;
        float[] clean = new float[m * SmplrPoints.VALUES];
        float[] noisy = new float[m * SmplrPoints.VALUES];
        set.fillParallel(0, m, noisy, null, null, null, null, clean, null);
        float[] input = config.lifting() ? project(noisy, m, ~seed ^ 0x11F7L) : noisy;
        return new Validation(clean, noisy, input, m);
    }

    private Map<String, Double> validate(ComputationGraph graph, Validation release, Validation structured) {
        Map<String, Double> m = new LinkedHashMap<>();
        float[] a = predict(graph, release);
        if (!config.lifting()) {
            m.put("input_mm", meanError(release.noisy, release.clean));
        }
        m.put("output_mm", meanError(a, release.clean));
        float[] b = predict(graph, structured);
        if (!config.lifting()) {
            m.put("structured_input_mm", meanError(structured.noisy, structured.clean));
        }
        m.put("structured_output_mm", meanError(b, structured.clean));
        return m;
    }

    private float[] predict(ComputationGraph graph, Validation v) {
        INDArray in = Nd4j.create(v.input, new long[] {v.count, config.inputSize()}, 'c');
        return dev.smplr.core.internal.Tensors.toFloats(graph.output(false, in)[0]);
    }

    /** Mean per-point Euclidean distance in mm over all samples and points. */
    static double meanError(float[] predicted, float[] target) {
        double sum = 0;
        int n = target.length / 3;
        for (int i = 0; i < n; i++) {
            double dx = predicted[3 * i] - target[3 * i];
            double dy = predicted[3 * i + 1] - target[3 * i + 1];
            double dz = predicted[3 * i + 2] - target[3 * i + 2];
            sum += Math.sqrt(dx * dx + dy * dy + dz * dz);
        }
        return 1000 * sum / n;
    }

    private long depthSeed(long step) {
        return seed * 0x9E3779B97F4A7C15L + step;
    }

    /**
     * Lifting inputs: each sample's root is placed at a depth d uniform in [MIN_DEPTH, MAX_DEPTH] and its 41
     * root-relative camera-frame points projected, x = X·d/(d + Z), y = Y·d/(d + Z) (pixels relative to the
     * root's, divided by the focal length, times d).
     */
    static float[] project(float[] points, int count, long depthSeed) {
        SplittableRandom random = new SplittableRandom(depthSeed);
        float[] out = new float[count * 2 * SmplrPoints.COUNT];
        for (int s = 0; s < count; s++) {
            double d = MIN_DEPTH + (MAX_DEPTH - MIN_DEPTH) * random.nextDouble();
            for (int p = 0; p < SmplrPoints.COUNT; p++) {
                int i = s * SmplrPoints.VALUES + 3 * p;
                double k = d / (d + points[i + 2]);
                out[s * 2 * SmplrPoints.COUNT + 2 * p] = (float) (points[i] * k);
                out[s * 2 * SmplrPoints.COUNT + 2 * p + 1] = (float) (points[i + 1] * k);
            }
        }
        return out;
    }

    /** Configures a {@link DenoiserTrainer}; each setter checks its value at once. */
    public static final class Builder extends TrainerSettings.Builder<Builder> {
        private DenoiserConfig config = DenoiserConfig.demo();
        private Boolean lifting;
        private int batchSize = 256;
        private double lr0 = 0.01;
        private NoiseModel noise = NoiseModel.structured();
        private int validationSamples = 1000;
        private Function<Gender, SmplModel> models = SmplModel::demo;
        private PoseSampler sampler = PoseSampler.anatomical();
        private String data = "demo bodies (SmplModel.demo), PoseSampler.anatomical()";

        private Builder() {
            super(80_000, EVERY, EVERY, "DenoiserTrainer (API)", false);
        }

        /** @param value the network (default {@link DenoiserConfig#demo()}) @return this */
        public Builder config(DenoiserConfig value) {
            config = Checks.notNull("config", value);
            return this;
        }

        /** @param value train a lifting network (overrides the config's switch) @return this */
        public Builder lifting(boolean value) {
            lifting = value;
            return this;
        }

        /** @param value samples per step, at least 1 (default 256) @return this */
        public Builder batchSize(int value) {
            batchSize = Checks.positive("batchSize", value);
            return this;
        }

        /** @param value the schedule's initial learning rate, positive (default 0.01) @return this */
        public Builder lr0(double value) {
            lr0 = Checks.positiveFinite("lr0", value);
            return this;
        }

        /** @param value the training corruption (default {@link NoiseModel#structured()}) @return this */
        public Builder noise(NoiseModel value) {
            noise = Checks.notNull("noise", value);
            return this;
        }

        /** @param value held-out validation samples, at least 1 (default 1000) @return this */
        public Builder validationSamples(int value) {
            validationSamples = Checks.positive("validationSamples", value);
            return this;
        }

        /**
         * @param bodies  the body model per gender (default {@link SmplModel#demo})
         * @param poses   the pose source (default {@link PoseSampler#anatomical()})
         * @param summary a description of both for the manifest
         * @return this
         */
        public Builder data(Function<Gender, SmplModel> bodies, PoseSampler poses, String summary) {
            models = Checks.notNull("bodies", bodies);
            sampler = Checks.notNull("poses", poses);
            data = Checks.notNull("summary", summary);
            return this;
        }

        /** @param value continue from the latest checkpoint of the run directory, if any @return this */
        @Override
        public Builder resume(boolean value) {
            return super.resume(value);
        }

        /**
         * @return the trainer
         * @throws IllegalStateException if {@code resume} is set without an output directory
         */
        public DenoiserTrainer build() {
            return new DenoiserTrainer(this, settings());
        }
    }

    /** For tests: the validation metrics of a denoiser on this trainer's held-out set. */
    Map<String, Double> validate(JointDenoiser d) {
        return validate(d.graphForTest(), validation(NoiseModel.release()), validation(NoiseModel.structured()));
    }
}
