package dev.smplr.core;

import dev.smplr.core.internal.Checks;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The SMPLR pipeline: image crop → {@link PointEstimator} → {@link PointDenoiser} → {@link BodyRegressor} →
 * {@link BodyRefiner} → {@link BodyModel}. Every stage is optional and may be a user's own implementation; the
 * pipeline runs the stages it was given, checks what each returns, and times them.
 *
 * <pre>{@code
 * Pipeline pipeline = Pipeline.builder()
 *         .denoiser(denoiser)
 *         .regressor(regressor)
 *         .body(bodyModel)
 *         .build();
 * PipelineResult result = pipeline.runFromPoints(points41);
 * }</pre>
 *
 * <p>A pipeline is immutable. It is safe to share between threads when its stages are (the library's own
 * stages are).
 */
public final class Pipeline {

    /** The stages, in the order they run. */
    public enum Stage {
        /** Image crop to 41 points. */
        ESTIMATE,
        /** 41 points to 41 cleaned points. */
        DENOISE,
        /** 41 points to pose and shape. */
        REGRESS,
        /** Pose and shape refined by fitting the body to the points. */
        REFINE,
        /** Pose and shape to a mesh and its 41 points. */
        BODY
    }

    private final PointEstimator estimator;
    private final PointDenoiser denoiser;
    private final BodyRegressor regressor;
    private final BodyRefiner refiner;
    private final BodyModel body;
    private final Map<Gender, BodyModel> bodiesByGender;

    private Pipeline(Builder b) {
        this.estimator = b.estimator;
        this.denoiser = b.denoiser;
        this.regressor = b.regressor;
        this.refiner = b.refiner;
        this.body = b.body;
        this.bodiesByGender = new EnumMap<>(b.bodiesByGender);
    }

    /** @return a builder with no stages */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The shipped demo pipeline: the demo hourglass estimator, denoiser, regressor and the neutral demo body,
     * each supplied by its module through {@link dev.smplr.core.spi.DemoStageProvider} (a
     * {@link java.util.ServiceLoader} service), so the modules must be on the class path: smplr-hourglass,
     * smplr-dae and smplr-smpl. The weights load on each call; keep the pipeline rather than calling this again.
     *
     * @return the pipeline of the four demo stages
     * @throws IllegalStateException if a stage has no provider on the class path (the message names the
     *                               missing modules), two providers claim one stage, or a provider returns the
     *                               wrong kind of stage
     */
    public static Pipeline demo() {
        return DemoStages.compose(java.util.ServiceLoader.load(dev.smplr.core.spi.DemoStageProvider.class,
                Pipeline.class.getClassLoader()));
    }

    /**
     * Runs every configured stage on an image crop.
     *
     * @param crop a square crop around one person. Not modified.
     * @return the points, parameters and mesh of each stage that ran, with timings
     * @throws IllegalStateException    if no estimator is configured, or no body model for the estimated gender
     * @throws IllegalArgumentException if {@code crop} is null or a stage returns malformed points
     */
    public PipelineResult run(BufferedImage crop) {
        Checks.notNull("crop", crop);
        if (estimator == null) {
            throw new IllegalStateException(
                    "no estimator configured: use runFromPoints(points41) or Pipeline.builder().estimator(..)");
        }
        Map<Stage, Duration> timings = new EnumMap<>(Stage.class);
        long t0 = System.nanoTime();
        float[] estimated = estimator.estimate(crop);
        timings.put(Stage.ESTIMATE, Duration.ofNanos(System.nanoTime() - t0));
        Checks.rows("estimator output", estimated, SmplrPoints.COUNT, 3, SmplrPoints.SHAPE);
        return afterEstimate(estimated, estimated, timings);
    }

    /**
     * Runs every configured stage on several crops: the estimator sees them all at once (the hourglass runs them
     * through in batches, 1.5–2× the images per second of one {@link #run} at a time), the later stages, which
     * take about a millisecond together, run per crop. Each result's {@link Stage#ESTIMATE} timing is its share of
     * the batch, the batch time divided by the number of crops.
     *
     * @param crops square crops, one person each. Not modified.
     * @return one result per crop, in order, as {@link #run} would give it
     * @throws IllegalStateException    as {@link #run}
     * @throws IllegalArgumentException if the list or a crop is null (the message names its index), or a stage
     *                                  returns malformed points or the wrong number of results
     */
    public List<PipelineResult> runAll(List<BufferedImage> crops) {
        Checks.notNull("crops", crops);
        for (int i = 0; i < crops.size(); i++) {
            Checks.notNull("crops[" + i + "]", crops.get(i));
        }
        if (estimator == null) {
            throw new IllegalStateException(
                    "no estimator configured: use runFromPoints(points41) or Pipeline.builder().estimator(..)");
        }
        List<PipelineResult> results = new ArrayList<>(crops.size());
        if (crops.isEmpty()) {
            return results;
        }
        long t0 = System.nanoTime();
        List<float[]> estimated = estimator.estimate(List.copyOf(crops));
        Duration share = Duration.ofNanos((System.nanoTime() - t0) / crops.size());
        if (estimated == null || estimated.size() != crops.size()) {
            throw new IllegalArgumentException("estimator output: expected " + crops.size() + " point sets, got "
                    + (estimated == null ? "null" : estimated.size()));
        }
        for (int i = 0; i < crops.size(); i++) {
            float[] points = estimated.get(i);
            Checks.rows("estimator output[" + i + "]", points, SmplrPoints.COUNT, 3, SmplrPoints.SHAPE);
            Map<Stage, Duration> timings = new EnumMap<>(Stage.class);
            timings.put(Stage.ESTIMATE, share);
            results.add(afterEstimate(points, points, timings));
        }
        return results;
    }

    /**
     * Runs the stages after the estimator on 41 points (for example from another detector, or motion capture).
     *
     * @param points41 41 root-relative points, metres. Not modified.
     * @return the points, parameters and mesh of each stage that ran, with timings; {@code estimated} is null
     * @throws IllegalStateException    if no body model is configured for the estimated gender
     * @throws IllegalArgumentException if {@code points41} is malformed or a stage returns malformed points
     */
    public PipelineResult runFromPoints(float[] points41) {
        Checks.rows("points41", points41, SmplrPoints.COUNT, 3, SmplrPoints.SHAPE);
        return afterEstimate(null, points41.clone(), new EnumMap<>(Stage.class));
    }

    private PipelineResult afterEstimate(float[] estimated, float[] points, Map<Stage, Duration> timings) {
        float[] denoised = null;
        if (denoiser != null) {
            long t = System.nanoTime();
            denoised = denoiser.denoise(points.clone());
            timings.put(Stage.DENOISE, Duration.ofNanos(System.nanoTime() - t));
            Checks.rows("denoiser output", denoised, SmplrPoints.COUNT, 3, SmplrPoints.SHAPE);
            points = denoised;
        }
        BodyEstimate estimate = null;
        BodyEstimate regressed = null;
        if (regressor != null) {
            long t = System.nanoTime();
            estimate = regressor.regress(points.clone());
            timings.put(Stage.REGRESS, Duration.ofNanos(System.nanoTime() - t));
            if (estimate == null) {
                throw new IllegalArgumentException("regressor output: null");
            }
            regressed = estimate;
        }
        BodyEstimate refined = null;
        if (refiner != null) {
            long t = System.nanoTime();
            refined = refiner.refine(points.clone(), estimate);
            timings.put(Stage.REFINE, Duration.ofNanos(System.nanoTime() - t));
            if (refined == null) {
                throw new IllegalArgumentException("refiner output: null");
            }
            estimate = refined;
        }
        BodyMesh mesh = null;
        float[] bodyPoints = null;
        if (estimate != null && (body != null || !bodiesByGender.isEmpty())) {
            BodyModel model = bodyFor(estimate.gender());
            long t = System.nanoTime();
            mesh = model.pose(estimate);
            bodyPoints = model.smplrPoints(mesh);
            timings.put(Stage.BODY, Duration.ofNanos(System.nanoTime() - t));
            Checks.rows("body model points", bodyPoints, SmplrPoints.COUNT, 3, SmplrPoints.SHAPE);
        }
        return new PipelineResult(estimated, denoised, regressed, refined, mesh, bodyPoints, timings);
    }

    private BodyModel bodyFor(Gender gender) {
        BodyModel m = gender == null ? null : bodiesByGender.get(gender);
        if (m == null) {
            m = body;
        }
        if (m == null) {
            throw new IllegalStateException("no body model for gender " + gender + ": configure body(model) or body("
                    + gender + ", model); configured: " + bodiesByGender.keySet());
        }
        return m;
    }

    @Override
    public String toString() {
        return "Pipeline[estimator=" + estimator + ", denoiser=" + denoiser + ", regressor=" + regressor
                + ", refiner=" + refiner + ", body=" + body + ", bodiesByGender=" + bodiesByGender + "]";
    }

    /**
     * Builds a {@link Pipeline}. Each stage can be set once; {@link #build()} needs at least one stage, and a
     * body model needs a regressor to feed it.
     */
    public static final class Builder {
        private PointEstimator estimator;
        private PointDenoiser denoiser;
        private BodyRegressor regressor;
        private BodyRefiner refiner;
        private BodyModel body;
        private final Map<Gender, BodyModel> bodiesByGender = new EnumMap<>(Gender.class);

        private Builder() {
        }

        /**
         * @param estimator the image stage
         * @return this builder
         * @throws IllegalArgumentException if null
         * @throws IllegalStateException    if already set
         */
        public Builder estimator(PointEstimator estimator) {
            once("estimator", this.estimator);
            this.estimator = Checks.notNull("estimator", estimator);
            return this;
        }

        /**
         * @param denoiser the denoising stage
         * @return this builder
         * @throws IllegalArgumentException if null
         * @throws IllegalStateException    if already set
         */
        public Builder denoiser(PointDenoiser denoiser) {
            once("denoiser", this.denoiser);
            this.denoiser = Checks.notNull("denoiser", denoiser);
            return this;
        }

        /**
         * @param regressor the points-to-parameters stage
         * @return this builder
         * @throws IllegalArgumentException if null
         * @throws IllegalStateException    if already set
         */
        public Builder regressor(BodyRegressor regressor) {
            once("regressor", this.regressor);
            this.regressor = Checks.notNull("regressor", regressor);
            return this;
        }

        /**
         * The refine stage: runs on the denoised points after the regressor (from its estimate) or, without a
         * regressor, from the body's rest pose.
         *
         * @param refiner the refine stage, e.g. {@code SmplFitter}
         * @return this builder
         * @throws IllegalArgumentException if null
         * @throws IllegalStateException    if already set
         */
        public Builder refiner(BodyRefiner refiner) {
            once("refiner", this.refiner);
            this.refiner = Checks.notNull("refiner", refiner);
            return this;
        }

        /**
         * The body model used for every estimate (unless one is configured for its gender).
         *
         * @param body the body model
         * @return this builder
         * @throws IllegalArgumentException if null
         * @throws IllegalStateException    if already set
         */
        public Builder body(BodyModel body) {
            once("body", this.body);
            this.body = Checks.notNull("body", body);
            return this;
        }

        /**
         * The body model for estimates of one gender, as SMPLR picks the female or male SMPL model by the sign
         * of its gender score.
         *
         * @param gender the gender it serves
         * @param body   the body model
         * @return this builder
         * @throws IllegalArgumentException if an argument is null
         * @throws IllegalStateException    if a body model is already set for that gender
         */
        public Builder body(Gender gender, BodyModel body) {
            Checks.notNull("gender", gender);
            once("body(" + gender + ")", bodiesByGender.get(gender));
            bodiesByGender.put(gender, Checks.notNull("body", body));
            return this;
        }

        /**
         * @return the pipeline
         * @throws IllegalStateException if no stage is set, or a body model is set without a regressor or refiner
         */
        public Pipeline build() {
            boolean anyBody = body != null || !bodiesByGender.isEmpty();
            if (estimator == null && denoiser == null && regressor == null && refiner == null && !anyBody) {
                throw new IllegalStateException("no stage configured: set at least one of estimator, denoiser,"
                        + " regressor, refiner, body");
            }
            if (anyBody && regressor == null && refiner == null) {
                throw new IllegalStateException("a body model needs a regressor or refiner to give it pose and shape");
            }
            return new Pipeline(this);
        }

        private static void once(String what, Object current) {
            if (current != null) {
                throw new IllegalStateException(what + " already set to " + current);
            }
        }
    }
}
