package dev.smplr.smpl;

import dev.smplr.core.Gender;
import dev.smplr.core.JointGroup;
import dev.smplr.core.Metrics;
import dev.smplr.core.SmplJoint;
import dev.smplr.core.SmplrFeatures;
import dev.smplr.core.SmplrPoints;
import dev.smplr.core.internal.Checks;
import dev.smplr.core.internal.Tensors;
import dev.smplr.smpl.training.Checkpoints;
import dev.smplr.smpl.training.ExternalGradientLoss;
import dev.smplr.smpl.training.RegressionLoss;
import dev.smplr.smpl.training.ReleaseSchedule;
import dev.smplr.smpl.training.TrainerArgs;
import dev.smplr.smpl.training.TrainerArgs.Kind;
import dev.smplr.smpl.training.TrainerSettings;
import dev.smplr.smpl.training.TrainingMonitor;
import dev.smplr.smpl.training.WeightsDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.LossLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Trains SMPLR's regressors Ψ and Ω the way the release does (SPEC 5, 7), on a seeded {@link TrainingSet}: ground
 * truth points of sampled bodies plus the release's noise ({@link NoiseModel#release()}), in random global
 * orientations, never DAE or CNN output.
 *
 * <ol>
 *   <li><b>Ψ alone and Ω alone</b> (the release's stages 3 and 4, run side by side on the same batches: the two
 *       graphs share nothing, so this is the same as two separate stages of equal length). Ψ: B → (β, gender
 *       score) with {@code mean|y − ŷ| + 0.01·mean|ŷ|} ({@link RegressionLoss}); Ω: N → R with
 *       {@code mean|R − R̂|} over the 216 values. Adam, lr(e) = 0.01·σ(4 − e/12.5) + 1e-4 with the release's
 *       200 epochs spread over this stage's steps.</li>
 *   <li><b>Joint fine-tuning through SMPL</b> (stage 5, initialised from stage 1, a fresh Adam with lr₀ = 1e-4 and
 *       30 epochs spread over the steps): per example
 *       {@code L_R + L_β + w·(L_joints + L_landmarks)} (w = 1 in the release, {@link Builder#pointWeight}) with L_R = mean|R − R̂| (216 values), L_β = mean|β − β̂| over the
 *       11 outputs, L_joints and L_landmarks the mean absolute errors of SMPL's joints 1..23 (69 values) and 18
 *       landmarks (54 values) against the ground-truth points, SMPL being {@link SmplPointsLayer} on Ω's raw
 *       matrices and Ψ's betas, with the <em>ground-truth gender's</em> body (the points were made with it, so the
 *       loss measures only the regressors' error; at inference the regressor's own gender picks the body).</li>
 * </ol>
 *
 * <p><b>How the SMPL gradient reaches DL4J.</b> Each joint step runs both graphs forward in training mode, evaluates
 * the loss and its exact gradient dℓ/dR̂, dℓ/dβ̂ per example in Java ({@link SmplPointsLayer#backward}), and then
 * calls {@code fit} on each graph with {@link ExternalGradientLoss} in its loss layer and those gradients as
 * labels. DL4J's own fit then backpropagates them, updates the batch-norm statistics and applies Adam; the price is
 * a second forward pass per step (cheap next to the backward pass), and in exchange no DL4J internals are called.
 * Training-mode forward passes do not change the batch-norm statistics (DL4J updates them in the backward pass), so
 * both forward passes see the same network.
 *
 * <p><b>Options.</b> {@link Loss#L2} replaces every |·| by (·)² (the regulariser on Ψ's prediction stays L1);
 * "joints only" zeroes the landmark bones' N and B entries in the inputs (see {@link SmplRegressor}); the losses stay
 * the same so that the ablation changes only what the networks see.
 *
 * <p><b>Body frame</b> (default on, {@code --world-frame} turns it off): each noisy point set is rotated into its
 * body frame ({@link SmplRegressor}), and so are the clean points and Ω's root-rotation target, so that all
 * losses are taken in that frame.
 *
 * <p><b>Data.</b> Step t trains on samples [t·batch, (t+1)·batch) of the training set, so a resumed run continues the
 * same stream. B uses the neutral body's template d* for every gender (the regressor cannot know the gender before
 * Ψ has run). Validation uses the same sampler without noise (clean points, the evaluation protocol) on indices
 * from 2^40; the final evaluation on indices from 2^41.
 *
 * <p><b>Files</b> under the output directory: {@code checkpoints/} (atomic, every {@code checkpointEvery} steps;
 * {@code resume} continues from the latest), {@code regressor/} (the final weights directory, loadable with
 * {@link SmplRegressor#load(Path)}), {@code history.csv} and {@code loss-curve.png}.
 *
 * <pre>{@code
 * SmplRegressor r = RegressorTrainer.builder().preset("demo").steps(20000).seed(1).out(Path.of("runs/reg"))
 *         .build().train();
 * }</pre>
 * or from a shell: {@code smplr train regressor --preset demo --steps 20000 --seed 1 --out runs/reg [--resume]}.
 * Not thread-safe; one trainer runs one training.
 */
public final class RegressorTrainer {
    /** The per-element loss of every term. */
    public enum Loss {
        /** Mean absolute error, as the release. */
        L1,
        /** Mean squared error (an ablation). */
        L2
    }

    /** Start of the validation indices. */
    static final long VALIDATION_FIRST = 1L << 40;
    /** Start of the final-evaluation indices. */
    static final long EVALUATION_FIRST = 1L << 41;
    private static final int SHAPE_OUT = 11;
    private static final int ROT = SmplEstimate.ROTATIONS_SIZE;
    private static final int JOINT_VALUES = 3 * SmplrPoints.JOINTS;
    private static final int LANDMARK_VALUES = 3 * SmplrPoints.LANDMARKS;
    /** The default steps, of the builder and the command line. */
    private static final long STEPS = 20_000;
    /** The default steps between validations and between checkpoints. */
    private static final int EVERY = 1000;

    private final Builder b;
    private final TrainerSettings settings;

    private RegressorTrainer(Builder b, TrainerSettings settings) {
        this.b = b;
        this.settings = settings;
    }

    /** @return a builder with the demo preset and defaults described on its setters */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The command line of {@link #run(String...)}, {@link #main(String[])} and {@code smplr train regressor}: its
     * options, their defaults and its usage text.
     *
     * @return the declaration
     */
    public static TrainerArgs commandLine() {
        Builder d = builder();
        return TrainerArgs.builder("smplr train regressor")
                .runOptions("total steps: 80 % Ψ and Ω alone, then 20 % jointly through SMPL", STEPS, "the data seed",
                        "the run directory: checkpoints/, regressor/, history.csv",
                        "continue from the latest checkpoint in DIR/checkpoints")
                .option("--batch", Kind.INT, "N", "samples per step").positive()
                .defaultValue(Integer.toString(d.batchSize))
                .option("--joint-lr", Kind.DOUBLE, "X", "the joint stage's initial learning rate").positive()
                .defaultValue(Double.toString(d.jointLr0))
                .option("--joint-lr-floor", Kind.DOUBLE, "X", "the rate the joint stage's schedule decays to "
                        + "(the release's 1e-4; lower anneals a resumed run)").positive()
                .defaultValue(Double.toString(d.jointLrFloor))
                .option("--point-weight", Kind.DOUBLE, "W", "the weight of L_joints + L_landmarks in the joint stage")
                .positive().defaultValue(Double.toString(d.pointWeight))
                .option("--loss", Kind.STRING, null, "the per-element loss of every term").choices("L1", "L2")
                .defaultValue(d.loss.name())
                .option("--noise", Kind.STRING, null, "the training points' corruption: NoiseModel.release(), graded() or none")
                .choices("release", "graded", "none").defaultValue("release")
                .flag("--joints-only", "hide the 18 landmarks from the networks (an ablation)")
                .flag("--world-frame", "feed the points as given, not in the body's frame (the release's way)")
                .everyOptions(Kind.INT, EVERY, EVERY)
                .option("--eval", Kind.INT, "N", "clean samples of the final evaluation").positive()
                .defaultValue(Integer.toString(d.evaluationSamples))
                .option("--stop-after", Kind.LONG, "N", "checkpoint and stop after step N, as a killed run would "
                        + "(a later --resume continues)").nonNegative()
                .build();
    }

    /**
     * The command-line entry point, {@code smplr train regressor ARGS}: the options of {@link #commandLine()}
     * ({@code --preset demo|paper --steps N --seed S --out DIR [--resume] [--loss L1|L2] [--joints-only]
     * [--world-frame] [--batch N] [--joint-lr X] [--joint-lr-floor X] [--point-weight W] [--checkpoint-every N] [--validate-every N] [--eval N]
     * [--noise release|graded|none] [--stop-after N]}). The manifest records {@code smplr train regressor ARGS}.
     *
     * @param args the arguments after {@code smplr train regressor}
     * @return the trained regressor (also written to {@code DIR/regressor})
     * @throws IOException if reading a checkpoint or writing fails
     * @throws IllegalArgumentException naming the option if an argument is bad or missing
     */
    public static SmplRegressor run(String... args) throws IOException {
        return configure(args).build().train();
    }

    /** The builder {@link #run(String...)} trains with. */
    static Builder configure(String... args) {
        TrainerArgs.Values v = commandLine().parse(args);
        Builder b = builder().runOptions(v).preset(v.string("--preset")).batchSize(v.intValue("--batch"))
                .jointLr0(v.doubleValue("--joint-lr")).jointLrFloor(v.doubleValue("--joint-lr-floor"))
                .pointWeight(v.doubleValue("--point-weight"))
                .loss(Loss.valueOf(v.string("--loss"))).noise(noise(v.string("--noise")))
                .jointsOnly(v.flag("--joints-only")).canonicalFrame(!v.flag("--world-frame"))
                .evaluationSamples(v.intValue("--eval"));
        v.ifLong("--stop-after", b::stopAfter);
        return b;
    }

    /** {@code release}, {@code graded} or {@code none}: the training points' corruption by name. */
    static NoiseModel noise(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "release" -> NoiseModel.release();
            case "graded" -> NoiseModel.graded();
            case "none" -> NoiseModel.builder().scale(0).build();
            default -> throw new IllegalArgumentException("--noise: expected release, graded or none, got " + name);
        };
    }

    /**
     * {@link #run(String...)} from a shell.
     *
     * @param args as {@link #run(String...)}
     * @throws IOException if reading or writing fails
     */
    public static void main(String[] args) throws IOException {
        if (commandLine().printHelpIfAsked(args, System.out)) {
            return;
        }
        SmplRegressor r = run(args);
        System.out.println(r + " " + r.metrics());
    }

    /** Everything one run needs, made once. */
    private final class Run {
        final long total = settings.steps();
        final long jointSteps = settings.steps() / 5;
        final long separateSteps = total - jointSteps;
        final long epoch1 = Math.max(1, separateSteps / 200);
        final long epoch2 = Math.max(1, jointSteps / 30);
        final int p = b.loss == Loss.L1 ? 1 : 2;
        final Map<Gender, SmplModel> models = new EnumMap<>(Gender.class);
        final Map<Gender, SmplPointsLayer> layers = new EnumMap<>(Gender.class);
        final float[] template;
        final TrainingSet train;
        final TrainingSet clean;
        /** Runs Ψ's half of each step beside Ω's (the graphs are independent; DL4J is thread-safe per graph). */
        final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "regressor-trainer-psi");
            t.setDaemon(true);
            return t;
        });
        final ThreadLocal<Map<Gender, SmplPointsLayer.Tape>> tapes = ThreadLocal.withInitial(() -> new EnumMap<>(
                Gender.class));

        Run() {
            template = SmplrFeatures.templateDistances(model(Gender.NEUTRAL).smplrPoints(SmplParams.zero()));
            long seed = settings.seed();
            train = TrainingSet.builder().models(this::model).sampler(b.sampler).noise(b.noise).seed(seed)
                    .randomOrientation(true).build();
            clean = TrainingSet.builder().models(this::model).sampler(b.sampler).seed(seed).randomOrientation(true)
                    .build();
        }

        synchronized SmplModel model(Gender g) {
            return models.computeIfAbsent(g, k -> Checks.notNull("models(" + k + ")", b.models.apply(k)));
        }

        synchronized SmplPointsLayer layer(Gender g) {
            return layers.computeIfAbsent(g, k -> SmplPointsLayer.of(model(k)));
        }

        SmplPointsLayer.Tape tape(Gender g) {
            return tapes.get().computeIfAbsent(g, k -> layer(k).newTape());
        }
    }

    /** One batch: features and targets. */
    private static final class Batch {
        final int size;
        final float[] points;
        final float[] cleanPoints;
        final float[] n;
        final float[] bFeatures;
        final float[] rotations;
        final float[] betas;
        final float[] scores;

        Batch(int size) {
            this.size = size;
            points = new float[size * SmplrPoints.VALUES];
            cleanPoints = new float[size * SmplrPoints.VALUES];
            n = new float[size * SmplrFeatures.N_SIZE];
            bFeatures = new float[size * SmplrFeatures.B_SIZE];
            rotations = new float[size * ROT];
            betas = new float[size * 10];
            scores = new float[size];
        }

        /** Ψ's targets: 10 betas and the gender score per sample. */
        float[] shapeTargets() {
            float[] t = new float[size * SHAPE_OUT];
            for (int i = 0; i < size; i++) {
                System.arraycopy(betas, 10 * i, t, SHAPE_OUT * i, 10);
                t[SHAPE_OUT * i + 10] = scores[i];
            }
            return t;
        }
    }

    private void fill(Run run, TrainingSet set, long first, Batch batch) {
        set.fillParallel(first, batch.size, batch.points, null, null, batch.rotations, batch.betas,
                batch.cleanPoints, batch.scores);
        if (b.canonical) {
            float[] frame = new float[9];
            float[] root = new float[9];
            for (int i = 0; i < batch.size; i++) {
                int o = i * SmplrPoints.VALUES;
                // the frame of the noisy points, as at inference; the targets follow it
                BodyFrame.of(batch.points, o, frame, 0);
                BodyFrame.toBody(frame, 0, batch.points, o, batch.points, o);
                BodyFrame.toBody(frame, 0, batch.cleanPoints, o, batch.cleanPoints, o);
                System.arraycopy(batch.rotations, i * ROT, root, 0, 9);
                BodyFrame.toBodyMatrix(frame, 0, root, 0, batch.rotations, i * ROT);
            }
        }
        for (int i = 0; i < batch.size; i++) {
            SmplRegressor.features(batch.points, i * SmplrPoints.VALUES, run.template, b.jointsOnly, batch.n,
                    i * SmplrFeatures.N_SIZE, batch.bFeatures, i * SmplrFeatures.B_SIZE);
        }
    }

    private static Gender genderOf(float score) {
        return score > 0.5f ? Gender.MALE : score < -0.5f ? Gender.FEMALE : Gender.NEUTRAL;
    }

    /**
     * Trains (or resumes, or, with everything done, just evaluates and writes) and writes the weights directory
     * and the report.
     *
     * @return the trained regressor, SO(3) projection on
     * @throws IOException if a checkpoint cannot be read or a file cannot be written
     */
    public SmplRegressor train() throws IOException {
        Run run = new Run();
        try {
            return train(run);
        } finally {
            run.worker.shutdown();
        }
    }

    private SmplRegressor train(Run run) throws IOException {
        Path checkpoints = settings.out().resolve("checkpoints");
        long step = 0;
        double wall = 0;
        ComputationGraph shape;
        ComputationGraph pose;
        Optional<Checkpoints.Checkpoint> cp = settings.resume() ? Checkpoints.latest(checkpoints) : Optional.empty();
        TrainingMonitor monitor;
        if (cp.isPresent()) {
            step = cp.get().step();
            shape = cp.get().graph("shape");
            pose = cp.get().graph("pose");
            wall = cp.get().state().number("wallSeconds");
            monitor = new TrainingMonitor("regressor Ψ+Ω", run.total, Math.min(step, run.total), 50, settings.log());
            monitor.restore(cp.get().state().object("history"));
            settings.log().println("resumed from " + cp.get().dir() + " at step " + step);
        } else {
            shape = RegressorNetwork.build(b.shapeConfig, new Adam(ReleaseSchedule.mlp(b.lr0)), shapeLoss(run));
            pose = RegressorNetwork.build(b.poseConfig, new Adam(ReleaseSchedule.mlp(b.lr0)), poseLoss(run));
            monitor = new TrainingMonitor("regressor Ψ+Ω", run.total, 0, 50, settings.log());
        }
        long stop = b.stopAfter < 0 ? run.total : Math.min(run.total, b.stopAfter);
        Batch batch = new Batch(b.batchSize);
        boolean jointRateSet = false;
        long started = System.nanoTime();
        double wallBefore = wall;
        try (monitor) {
            while (step < stop) {
                fill(run, run.train, step * b.batchSize, batch);
                double loss;
                // a run resumed with more steps stays in the joint stage once it has reached it
                if (step < run.separateSteps && !isJoint(shape)) {
                    int epoch = (int) (step / run.epoch1);
                    shape.getConfiguration().setEpochCount(epoch);
                    pose.getConfiguration().setEpochCount(epoch);
                    INDArray bIn = Tensors.of(batch.bFeatures, batch.size, SmplrFeatures.B_SIZE);
                    INDArray nIn = Tensors.of(batch.n, batch.size, SmplrFeatures.N_SIZE);
                    ComputationGraph s = shape;
                    CompletableFuture<Void> f = CompletableFuture.runAsync(
                            () -> s.fit(new DataSet(bIn, Tensors.of(batch.shapeTargets(), batch.size, SHAPE_OUT))),
                            run.worker);
                    pose.fit(new DataSet(nIn, Tensors.of(batch.rotations, batch.size, ROT)));
                    f.join();
                    loss = shape.score() + pose.score();
                } else {
                    if (!isJoint(shape)) {
                        shape = jointGraph(shape, b.shapeConfig);
                        pose = jointGraph(pose, b.poseConfig);
                    } else if (!jointRateSet) {
                        // a resumed joint stage runs at this trainer's joint rate (Adam's moments are kept)
                        shape.setLearningRate(ReleaseSchedule.mlp(b.jointLr0, b.jointLrFloor));
                        pose.setLearningRate(ReleaseSchedule.mlp(b.jointLr0, b.jointLrFloor));
                    }
                    jointRateSet = true;
                    int epoch = (int) (Math.max(0, step - run.separateSteps) / run.epoch2);
                    shape.getConfiguration().setEpochCount(epoch);
                    pose.getConfiguration().setEpochCount(epoch);
                    loss = jointStep(run, shape, pose, batch);
                }
                step++;
                monitor.step(step, loss);
                wall = wallBefore + (System.nanoTime() - started) / 1e9;
                if (step % settings.validateEvery() == 0 || step == run.total) {
                    SmplRegressor r = regressor(run, shape, pose, Map.of());
                    monitor.validation(step, evaluate(run, r, run.clean, VALIDATION_FIRST, b.validationSamples));
                }
                if (step % settings.checkpointEvery() == 0 || step == stop) {
                    checkpoint(checkpoints, step, shape, pose, monitor, wall);
                }
            }
        }
        if (step < run.total) {
            return regressor(run, shape, pose, Map.of());
        }
        // the shipped graphs carry the stage loss, not the training-only external-gradient one
        RegressorNetwork.setLoss(shape, shapeLoss(run));
        RegressorNetwork.setLoss(pose, poseLoss(run));
        SmplRegressor r = regressor(run, shape, pose, Map.of());
        Map<String, Object> metrics = new LinkedHashMap<>();
        int m = b.evaluationSamples;
        evaluate(run, r, run.clean, EVALUATION_FIRST, m).forEach((k, v) -> metrics.put(k, v));
        evaluate(run, r.withProjection(false), run.clean, EVALUATION_FIRST, m)
                .forEach((k, v) -> metrics.put("raw_" + k, v));
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("command", settings.command());
        training.put("seed", settings.seed());
        training.put("steps", step);
        training.put("wallSeconds", Math.round(wall * 10) / 10.0);
        training.put("data", String.format(Locale.ROOT, "TrainingSet(seed %d, %s, %s, random orientation): "
                + "samples [0, %d) for training; metrics on %d clean samples from index 2^41 of the same sampler "
                + "without noise; B with the neutral body's d*", settings.seed(), b.sampler, b.noise,
                step * b.batchSize, m));
        training.put("stages", String.format(Locale.ROOT, "Ψ and Ω alone %d steps (Adam, lr 0.01·σ(4 − e/12.5) + "
                + "1e-4, %d steps per epoch), then joint through SMPL %d steps (Adam, lr₀ %g, floor %g, %d steps per "
                + "epoch); point weight %g; batch %d; loss %s%s", run.separateSteps, run.epoch1, run.jointSteps,
                b.jointLr0, b.jointLrFloor, run.epoch2, b.pointWeight, b.batchSize, b.loss, (b.jointsOnly ? "; joints only" : "") + (b.canonical ? "; body frame" : "; world frame")));
        SmplRegressor result = regressor(run, shape, pose, Map.of("training", training, "metrics", metrics));
        result.save(settings.out().resolve("regressor"));
        monitor.writeReport(settings.out());
        settings.log().println("metrics " + metrics);
        return result;
    }

    private ILossFunction shapeLoss(Run run) {
        return new RegressionLoss(run.p, 0.01);
    }

    private ILossFunction poseLoss(Run run) {
        return new RegressionLoss(run.p, 0);
    }

    private static boolean isJoint(ComputationGraph g) {
        return ((LossLayer) g.getOutputLayer(0)).layerConf().getLossFn() instanceof ExternalGradientLoss;
    }

    /** A graph for the joint stage: fresh Adam (lr₀ 1e-4), external-gradient loss, the stage-1 parameters. */
    private ComputationGraph jointGraph(ComputationGraph stage1, RegressorConfig config) {
        ComputationGraph g = RegressorNetwork.build(config, new Adam(ReleaseSchedule.mlp(b.jointLr0, b.jointLrFloor)),
                new ExternalGradientLoss());
        g.setParams(stage1.params().dup());
        return g;
    }

    /** One joint step (see the class Javadoc); returns the batch's mean loss. */
    private double jointStep(Run run, ComputationGraph shape, ComputationGraph pose, Batch batch) {
        int size = batch.size;
        INDArray bIn = Tensors.of(batch.bFeatures, size, SmplrFeatures.B_SIZE);
        INDArray nIn = Tensors.of(batch.n, size, SmplrFeatures.N_SIZE);
        CompletableFuture<float[]> shapeFuture = CompletableFuture.supplyAsync(
                () -> Tensors.toFloats(shape.output(true, bIn)[0]), run.worker);
        float[] poseOut = Tensors.toFloats(pose.output(true, nIn)[0]);
        float[] shapeOut = shapeFuture.join();
        float[] shapeTargets = batch.shapeTargets();
        float[] shapeGrad = new float[size * SHAPE_OUT];
        float[] poseGrad = new float[size * ROT];
        double[] losses = new double[size];
        IntStream.range(0, size).parallel().forEach(i -> {
            Gender g = genderOf(batch.scores[i]);
            SmplPointsLayer layer = run.layer(g);
            SmplPointsLayer.Tape tape = run.tape(g);
            float[] gRot = new float[ROT];
            float[] gShape = new float[SHAPE_OUT];
            double loss = jointLoss(layer, tape, poseOut, i * ROT, shapeOut, i * SHAPE_OUT, batch.rotations, i * ROT,
                    shapeTargets, i * SHAPE_OUT, batch.cleanPoints, i * SmplrPoints.VALUES, run.p, b.pointWeight, gRot,
                    gShape);
            System.arraycopy(gRot, 0, poseGrad, i * ROT, ROT);
            System.arraycopy(gShape, 0, shapeGrad, i * SHAPE_OUT, SHAPE_OUT);
            losses[i] = loss;
        });
        CompletableFuture<Void> f = CompletableFuture.runAsync(
                () -> shape.fit(new DataSet(bIn, Tensors.of(shapeGrad, size, SHAPE_OUT))), run.worker);
        pose.fit(new DataSet(nIn, Tensors.of(poseGrad, size, ROT)));
        f.join();
        double sum = 0;
        for (double l : losses) {
            sum += l;
        }
        return sum / size;
    }

    /**
     * One example's joint loss {@code L_R + L_β + L_joints + L_landmarks} (see the class Javadoc) and its gradient
     * with respect to Ω's 216 outputs and Ψ's 11 outputs: the L_R and L_β terms directly, the point terms through
     * {@link SmplPointsLayer#backward}.
     *
     * @param gradRot   receives dℓ/dR̂, 216 values. Modified.
     * @param gradShape receives dℓ/d(β̂, score), 11 values. Modified.
     * @return ℓ
     */
    static double jointLoss(SmplPointsLayer layer, SmplPointsLayer.Tape tape, float[] rot, int rotOff, float[] shape,
            int shapeOff, float[] targetRot, int targetRotOff, float[] targetShape, int targetShapeOff,
            float[] cleanPoints, int cleanOff, int p, double pointWeight, float[] gradRot, float[] gradShape) {
        float[] r = java.util.Arrays.copyOfRange(rot, rotOff, rotOff + ROT);
        float[] betas = java.util.Arrays.copyOfRange(shape, shapeOff, shapeOff + 10);
        float[] pts = new float[SmplrPoints.VALUES];
        layer.forward(r, betas, pts, tape);
        double loss = term(rot, rotOff, targetRot, targetRotOff, ROT, p, gradRot, 0);
        loss += term(shape, shapeOff, targetShape, targetShapeOff, SHAPE_OUT, p, gradShape, 0);
        float[] gradPoints = new float[SmplrPoints.VALUES];
        double points = term(pts, 0, cleanPoints, cleanOff, JOINT_VALUES, p, gradPoints, 0)
                + term(pts, JOINT_VALUES, cleanPoints, cleanOff + JOINT_VALUES, LANDMARK_VALUES, p, gradPoints,
                JOINT_VALUES);
        loss += pointWeight * points;
        for (int k = 0; k < gradPoints.length; k++) {
            gradPoints[k] *= (float) pointWeight;
        }
        float[] gRot = new float[ROT];
        float[] gBetas = new float[10];
        layer.backward(tape, gradPoints, gRot, gBetas);
        for (int k = 0; k < ROT; k++) {
            gradRot[k] += gRot[k];
        }
        for (int k = 0; k < 10; k++) {
            gradShape[k] += gBetas[k];
        }
        return loss;
    }

    /**
     * One loss term (1/n) Σ |ŷ − y|^p over n values; writes its gradient (1/n)·(sign or 2·difference) into
     * {@code grad} (overwriting) and returns the term.
     */
    static double term(float[] y, int yOff, float[] target, int tOff, int n, int p, float[] grad, int gOff) {
        double sum = 0;
        for (int k = 0; k < n; k++) {
            double d = y[yOff + k] - target[tOff + k];
            if (p == 1) {
                sum += Math.abs(d);
                grad[gOff + k] = (float) (Math.signum(d) / n);
            } else {
                sum += d * d;
                grad[gOff + k] = (float) (2 * d / n);
            }
        }
        return sum / n;
    }

    private SmplRegressor regressor(Run run, ComputationGraph shape, ComputationGraph pose,
            Map<String, Object> extra) {
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("preset", b.preset);
        provenance.put("body", WeightsDirectory.describe(run.model(Gender.NEUTRAL)));
        List<Object> bodies = new ArrayList<>();
        for (Gender g : Gender.values()) {
            bodies.add(WeightsDirectory.describe(run.model(g)));
        }
        provenance.put("bodies", bodies);
        provenance.put("loss", b.loss.name());
        provenance.putAll(extra);
        return new SmplRegressor(new SmplRegressor.Nets(shape, pose), b.shapeConfig, b.poseConfig, run.template,
                b.jointsOnly, b.canonical, b.neutralBand, true, provenance);
    }

    private void checkpoint(Path dir, long step, ComputationGraph shape, ComputationGraph pose,
            TrainingMonitor monitor, double wall) throws IOException {
        Map<String, ComputationGraph> nets = new LinkedHashMap<>();
        nets.put("shape", shape);
        nets.put("pose", pose);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("wallSeconds", wall);
        state.put("seed", settings.seed());
        state.put("totalSteps", settings.steps());
        state.put("history", monitor.state());
        Checkpoints.save(dir, step, nets, state);
    }

    /**
     * The validation metrics of a regressor on clean samples {@code [first, first + count)}: each estimate drives
     * the body of its estimated gender; the ground truth is the sample's body, rotations and betas. Root-relative
     * (both roots at the origin), millimetres: MPJPE over the 24 joints ({@code mpjpe24_mm}) and over the 16-joint
     * "All" set ({@code mpjpeAll_mm}), the mean per-vertex error ({@code pve_mm}), the error of the 41 SMPLR points
     * ({@code points41_mm}) and the fraction of genders right ({@code genderAccuracy}).
     */
    static Map<String, Double> evaluate(Function<Gender, SmplModel> models, SmplRegressor r, TrainingSet set,
            long first, int count) {
        float[] points = new float[count * SmplrPoints.VALUES];
        float[] rotations = new float[count * ROT];
        float[] betas = new float[count * set.betaCount()];
        float[] scores = new float[count];
        set.fillParallel(first, count, null, null, null, rotations, betas, points, scores);
        List<SmplEstimate> estimates = r.regressFlat(points, count, "validation");
        int nb = set.betaCount();
        int[] all = JointGroup.ALL.smplJoints();
        double[][] per = new double[count][];
        IntStream.range(0, count).parallel().forEach(i -> {
            SmplEstimate e = estimates.get(i);
            SmplModel predModel = models.apply(e.gender());
            SmplOutput pred = predModel.forwardRotations(e.rotations(), e.betas(), null);
            SmplModel gtModel = models.apply(genderOf(scores[i]));
            SmplOutput gt = gtModel.forwardRotations(java.util.Arrays.copyOfRange(rotations, i * ROT, (i + 1) * ROT),
                    java.util.Arrays.copyOfRange(betas, i * nb, (i + 1) * nb), null);
            float[] pj = rootRelative(pred.joints(), pred.joints());
            float[] gj = rootRelative(gt.joints(), gt.joints());
            double pve = pred.vertices().length == gt.vertices().length
                    ? Metrics.pve(rootRelative(pred.vertices(), pred.joints()), rootRelative(gt.vertices(), gt.joints()))
                    : Double.NaN;
            float[] p41 = predModel.smplrPoints(pred);
            double pts = Metrics.mpjpe(p41, java.util.Arrays.copyOfRange(points, i * SmplrPoints.VALUES,
                    (i + 1) * SmplrPoints.VALUES));
            per[i] = new double[] {Metrics.mpjpe(pj, gj), Metrics.mpjpe(pj, gj, all), pve, pts,
                e.gender() == genderOf(scores[i]) ? 1 : 0};
        });
        String[] names = {"mpjpe24_mm", "mpjpeAll_mm", "pve_mm", "points41_mm", "genderAccuracy"};
        Map<String, Double> out = new LinkedHashMap<>();
        for (int k = 0; k < names.length; k++) {
            double s = 0;
            for (double[] v : per) {
                s += v[k];
            }
            out.put(names[k], s / count);
        }
        return out;
    }

    private static Map<String, Double> evaluate(Run run, SmplRegressor r, TrainingSet set, long first, int count) {
        return evaluate(run::model, r, set, first, count);
    }

    private static float[] rootRelative(float[] points, float[] joints) {
        float[] out = points.clone();
        for (int i = 0; i < out.length; i += 3) {
            out[i] -= joints[0];
            out[i + 1] -= joints[1];
            out[i + 2] -= joints[2];
        }
        return out;
    }

    /** Configures a {@link RegressorTrainer}; setters check their values at once. */
    public static final class Builder extends TrainerSettings.Builder<Builder> {
        private String preset = "demo";
        private RegressorConfig shapeConfig = RegressorConfig.demo(RegressorConfig.Kind.SHAPE);
        private RegressorConfig poseConfig = RegressorConfig.demo(RegressorConfig.Kind.POSE);
        private int batchSize = 256;
        private double lr0 = 0.01;
        private double jointLr0 = 1e-4;
        private double jointLrFloor = ReleaseSchedule.FLOOR;
        private double pointWeight = 1;
        private Loss loss = Loss.L1;
        private boolean jointsOnly;
        private boolean canonical = true;
        private double neutralBand = 0.5;
        private int validationSamples = 256;
        private int evaluationSamples = 1000;
        private long stopAfter = -1;
        private Function<Gender, SmplModel> models = SmplModel::demo;
        private PoseSampler sampler = PoseSampler.anatomical();
        private NoiseModel noise = NoiseModel.release();

        private Builder() {
            super(STEPS, EVERY, EVERY, "RegressorTrainer (API)", true);
        }

        /**
         * @param name {@code "demo"} ({@link RegressorConfig#demo}, default) or {@code "paper"}
         * @return this
         * @throws IllegalArgumentException for another name
         */
        public Builder preset(String name) {
            switch (Checks.notNull("preset", name)) {
                case "demo" -> {
                    shapeConfig = RegressorConfig.demo(RegressorConfig.Kind.SHAPE);
                    poseConfig = RegressorConfig.demo(RegressorConfig.Kind.POSE);
                }
                case "paper" -> {
                    shapeConfig = RegressorConfig.paper(RegressorConfig.Kind.SHAPE);
                    poseConfig = RegressorConfig.paper(RegressorConfig.Kind.POSE);
                }
                default -> throw new IllegalArgumentException("preset: expected demo or paper, got " + name);
            }
            preset = name;
            return this;
        }

        /**
         * Custom network shapes (the preset name becomes "custom").
         *
         * @param shape Ψ's configuration, kind SHAPE
         * @param pose  Ω's configuration, kind POSE
         * @return this
         * @throws IllegalArgumentException if null or of the wrong kind
         */
        public Builder configs(RegressorConfig shape, RegressorConfig pose) {
            if (Checks.notNull("shape", shape).kind() != RegressorConfig.Kind.SHAPE
                    || Checks.notNull("pose", pose).kind() != RegressorConfig.Kind.POSE) {
                throw new IllegalArgumentException("shape, pose: expected kinds SHAPE and POSE, got " + shape.kind()
                        + " and " + pose.kind());
            }
            shapeConfig = shape;
            poseConfig = pose;
            preset = "custom";
            return this;
        }

        /** @param value continue from the latest checkpoint under {@code out/checkpoints}, if any @return this */
        @Override
        public Builder resume(boolean value) {
            return super.resume(value);
        }

        /** @param value samples per step, at least 1 (default 256, the release's) @return this */
        public Builder batchSize(int value) {
            batchSize = Checks.positive("batchSize", value);
            return this;
        }

        /** @param value stage-1 lr₀, positive (default 0.01) @return this */
        public Builder lr0(double value) {
            lr0 = Checks.positiveFinite("lr0", value);
            return this;
        }

        /** @param value the joint stage's lr₀, positive (default 1e-4) @return this */
        public Builder jointLr0(double value) {
            jointLr0 = Checks.positiveFinite("jointLr0", value);
            return this;
        }

        /**
         * @param value the rate the joint stage's schedule decays to, positive (default the release's 1e-4); a
         *              lower floor anneals the end of a long run
         * @return this
         */
        public Builder jointLrFloor(double value) {
            jointLrFloor = Checks.positiveFinite("jointLrFloor", value);
            return this;
        }

        /**
         * The weight w of the point terms in the joint stage, {@code L_R + L_β + w·(L_joints + L_landmarks)}. With L1
         * every term's gradient has the same size per value whatever its units, so at w = 1 (the release) the 216
         * rotation values outvote the 123 point coordinates, which are what MPJPE measures.
         *
         * @param value w, positive (default 1)
         * @return this
         */
        public Builder pointWeight(double value) {
            pointWeight = Checks.positiveFinite("pointWeight", value);
            return this;
        }

        /** @param value L1 (default) or L2 @return this */
        public Builder loss(Loss value) {
            loss = Checks.notNull("loss", value);
            return this;
        }

        /** @param value whether to hide the 18 landmarks from the networks (default false) @return this */
        public Builder jointsOnly(boolean value) {
            jointsOnly = value;
            return this;
        }

        /**
         * @param value whether the networks see the points in the body's own frame (default true; false is the
         *              release's behaviour; see {@link SmplRegressor})
         * @return this
         */
        public Builder canonicalFrame(boolean value) {
            canonical = value;
            return this;
        }

        /**
         * @param value the gender score band around 0 read as neutral, in [0, 1) (default 0.5, since the default
         *              data holds neutral bodies; 0 is the release's sign rule)
         * @return this
         */
        public Builder neutralBand(double value) {
            neutralBand = Checks.belowOne("neutralBand", "a value", value);
            return this;
        }

        /** @param value clean samples per validation, at least 1 (default 256) @return this */
        public Builder validationSamples(int value) {
            validationSamples = Checks.positive("validationSamples", value);
            return this;
        }

        /** @param value clean samples of the final evaluation, at least 1 (default 1000) @return this */
        public Builder evaluationSamples(int value) {
            evaluationSamples = Checks.positive("evaluationSamples", value);
            return this;
        }

        /**
         * Stops with a checkpoint after this many steps in all, as a run killed there would stop (a run that was
         * killed can so be recorded as commands that reproduce it); no weights are written.
         *
         * @param value the step, ≥ 0
         * @return this
         */
        public Builder stopAfter(long value) {
            stopAfter = Checks.nonNegative("stopAfter", value);
            return this;
        }

        /** @param value the body of each gender (default {@link SmplModel#demo}) @return this */
        public Builder models(Function<Gender, SmplModel> value) {
            models = Checks.notNull("models", value);
            return this;
        }

        /** @param value the pose source (default {@link PoseSampler#anatomical()}) @return this */
        public Builder sampler(PoseSampler value) {
            sampler = Checks.notNull("sampler", value);
            return this;
        }

        /** @param value the corruption of the training points (default {@link NoiseModel#release()}) @return this */
        public Builder noise(NoiseModel value) {
            noise = Checks.notNull("noise", value);
            return this;
        }

        /**
         * @return the trainer
         * @throws IllegalStateException if no output directory was set
         */
        public RegressorTrainer build() {
            return new RegressorTrainer(this, settings());
        }
    }
}
