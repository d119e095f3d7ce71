package dev.smplr.smpl;

import dev.smplr.core.Gender;
import dev.smplr.core.Rotations;
import dev.smplr.core.SmplJoint;
import dev.smplr.core.SmplrFeatures;
import dev.smplr.core.SmplrPoints;
import dev.smplr.core.internal.Checks;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * A seeded, streaming, mocap-like training set (SPEC.md 15.9): sample {@code i} draws a body from a
 * {@link PoseSampler}, poses the gender's {@link SmplModel} (the 41 points only, no mesh), optionally corrupts
 * the points with a {@link NoiseModel}, and computes N, B, the 24 rotation matrices and the betas.
 *
 * <p>Nothing is held: samples are made on demand. Sample {@code i} depends only on the seed and {@code i} (its
 * generator is a {@link SplittableRandom} seeded from both), so batches can be made in any order or in parallel
 * and always hold the same values. Points are in the body model's frame (SPEC.md 15.1); the anatomical
 * sampler's random global orientation already covers every view, and {@link Builder#randomOrientation(boolean)}
 * adds one for samplers that lack it. Thread-safe.
 *
 * <pre>{@code
 * TrainingSet set = TrainingSet.builder().seed(7).noise(NoiseModel.release()).build();
 * float[] points = new float[256 * 123], n = new float[256 * 123], b = new float[256 * 41];
 * set.fill(0, 256, points, n, b, null, null);
 * }</pre>
 */
public final class TrainingSet {
    private final Function<Gender, SmplModel> models;
    private final PoseSampler sampler;
    private final NoiseModel noise;
    private final long seed;
    private final int betaCount;
    private final boolean randomOrientation;
    private final Map<Gender, SmplModel> modelCache = new EnumMap<>(Gender.class);
    private final Map<Gender, float[]> templateCache = new EnumMap<>(Gender.class);

    private TrainingSet(Builder b) {
        this.models = b.models;
        this.sampler = b.sampler;
        this.noise = b.noise;
        this.seed = b.seed;
        this.betaCount = b.betaCount;
        this.randomOrientation = b.randomOrientation;
    }

    /** @return a builder: demo bodies, {@link PoseSampler#anatomical()}, seed 0, no noise, 10 betas */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the number of betas in each sample */
    public int betaCount() {
        return betaCount;
    }

    /**
     * Sample {@code index}: the same for the same seed and index, whatever was generated before.
     *
     * @param index the sample's index, 0 or more
     * @return the sample
     * @throws IllegalArgumentException if {@code index} is negative, or the sampler's body does not fit the model
     *                                  (too many betas) or has a zero-length bone
     */
    public TrainingSample sample(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index: expected 0 or more, got " + index);
        }
        float[] points = new float[SmplrPoints.VALUES];
        float[] noisy = new float[SmplrPoints.VALUES];
        float[] n = new float[SmplrFeatures.N_SIZE];
        float[] b = new float[SmplrFeatures.B_SIZE];
        float[] rotations = new float[9 * SmplJoint.COUNT];
        float[] betas = new float[betaCount];
        Gender g = generate(index, points, 0, noisy, 0, n, 0, b, 0, rotations, 0, betas, 0);
        return new TrainingSample(points, noisy, n, b, rotations, betas, g);
    }

    /**
     * @param first the first index
     * @return samples {@code first, first + 1, ...}, an infinite sequential stream made on demand
     */
    public Stream<TrainingSample> stream(long first) {
        if (first < 0) {
            throw new IllegalArgumentException("first: expected 0 or more, got " + first);
        }
        return LongStream.iterate(first, i -> i + 1).mapToObj(this::sample);
    }

    /**
     * Fills a minibatch of samples {@code first .. first + count - 1} into flat arrays, sample {@code s} of the
     * batch at {@code s * stride}. Any output may be {@code null} to skip it. Same as
     * {@link #fill(long, int, float[], float[], float[], float[], float[], float[], float[])} without the clean
     * points and gender scores.
     *
     * @param first     the first sample index, 0 or more
     * @param count     the number of samples, 0 or more
     * @param points    the noisy points (the DAE's input), count×123. Modified.
     * @param n         N of the noisy points, count×123. Modified.
     * @param b         B of the noisy points, count×41. Modified.
     * @param rotations the 24 rotation matrices, count×216. Modified.
     * @param betas     the betas, count×{@link #betaCount()}. Modified.
     * @throws IllegalArgumentException if an array is too short, or a sample is bad as in {@link #sample(long)}
     */
    public void fill(long first, int count, float[] points, float[] n, float[] b, float[] rotations,
            float[] betas) {
        fill(first, count, points, n, b, rotations, betas, null, null);
    }

    /**
     * Fills a minibatch of samples {@code first .. first + count - 1} into flat arrays, sample {@code s} of the
     * batch at {@code s * stride}, in order on the calling thread. Any output may be {@code null} to skip it.
     *
     * @param first        the first sample index, 0 or more
     * @param count        the number of samples, 0 or more
     * @param points       the noisy points (the DAE's input), count×123. Modified.
     * @param n            N of the noisy points, count×123. Modified.
     * @param b            B of the noisy points, count×41. Modified.
     * @param rotations    the 24 rotation matrices, count×216. Modified.
     * @param betas        the betas, count×{@link #betaCount()}. Modified.
     * @param cleanPoints  the clean points (the DAE's target), count×123. Modified.
     * @param genderScores Ψ's gender target per sample ({@link TrainingSample#genderScore()}), count. Modified.
     * @throws IllegalArgumentException if an array is too short, or a sample is bad as in {@link #sample(long)}
     */
    public void fill(long first, int count, float[] points, float[] n, float[] b, float[] rotations,
            float[] betas, float[] cleanPoints, float[] genderScores) {
        Outputs out = new Outputs(points, n, b, rotations, betas, cleanPoints, genderScores);
        checkBatch(first, count, out);
        for (int s = 0; s < count; s++) {
            fillOne(first, s, out);
        }
    }

    /**
     * {@link #fill(long, int, float[], float[], float[], float[], float[], float[], float[])} over the common
     * fork-join pool; the values are identical to the sequential fill's.
     *
     * @param first        the first sample index, 0 or more
     * @param count        the number of samples, 0 or more
     * @param points       the noisy points, count×123, or null. Modified.
     * @param n            N, count×123, or null. Modified.
     * @param b            B, count×41, or null. Modified.
     * @param rotations    the rotation matrices, count×216, or null. Modified.
     * @param betas        the betas, count×{@link #betaCount()}, or null. Modified.
     * @param cleanPoints  the clean points, count×123, or null. Modified.
     * @param genderScores the gender scores, count, or null. Modified.
     * @throws IllegalArgumentException as the sequential fill
     */
    public void fillParallel(long first, int count, float[] points, float[] n, float[] b, float[] rotations,
            float[] betas, float[] cleanPoints, float[] genderScores) {
        Outputs out = new Outputs(points, n, b, rotations, betas, cleanPoints, genderScores);
        checkBatch(first, count, out);
        IntStream.range(0, count).parallel().forEach(s -> fillOne(first, s, out));
    }

    /** The caller's batch arrays, any of them null. */
    private record Outputs(float[] points, float[] n, float[] b, float[] rotations, float[] betas,
            float[] cleanPoints, float[] genderScores) {
    }

    private void fillOne(long first, int s, Outputs out) {
        float[] clean = out.cleanPoints != null ? out.cleanPoints : new float[SmplrPoints.VALUES];
        float[] noisy = out.points != null ? out.points : new float[SmplrPoints.VALUES];
        Gender g = generate(first + s, clean, out.cleanPoints != null ? SmplrPoints.VALUES * s : 0,
                noisy, out.points != null ? SmplrPoints.VALUES * s : 0,
                out.n, SmplrFeatures.N_SIZE * s, out.b, SmplrFeatures.B_SIZE * s,
                out.rotations, 9 * SmplJoint.COUNT * s, out.betas, betaCount * s);
        if (out.genderScores != null) {
            out.genderScores[s] = TrainingSample.genderScore(g);
        }
    }

    private void checkBatch(long first, int count, Outputs out) {
        if (first < 0 || count < 0) {
            throw new IllegalArgumentException("first/count: expected 0 or more, got " + first + "/" + count);
        }
        checkLength("points", out.points, count, SmplrPoints.VALUES);
        checkLength("n", out.n, count, SmplrFeatures.N_SIZE);
        checkLength("b", out.b, count, SmplrFeatures.B_SIZE);
        checkLength("rotations", out.rotations, count, 9 * SmplJoint.COUNT);
        checkLength("betas", out.betas, count, betaCount);
        checkLength("cleanPoints", out.cleanPoints, count, SmplrPoints.VALUES);
        checkLength("genderScores", out.genderScores, count, 1);
    }

    private static void checkLength(String name, float[] a, int count, int stride) {
        if (a != null && a.length < (long) count * stride) {
            throw new IllegalArgumentException(name + ": expected at least " + count + "×" + stride + " = "
                    + (long) count * stride + " values, got " + a.length);
        }
    }

    /** Generates sample {@code index} into the given buffers (null ones skipped, except the two point sets). */
    private Gender generate(long index, float[] clean, int cleanOff, float[] noisy, int noisyOff, float[] n,
            int nOff, float[] b, int bOff, float[] rotations, int rotOff, float[] betas, int betasOff) {
        SplittableRandom random = new SplittableRandom(mix(seed, index));
        PoseSampler.Sample sample = sampler.sample(random);
        Gender gender = sample.gender();
        SmplModel model = model(gender);
        SmplParams params = sample.params();
        if (randomOrientation) {
            params = rotateRandomly(params, random);
        }
        float[] pts = model.smplrPoints(params);
        System.arraycopy(pts, 0, clean, cleanOff, SmplrPoints.VALUES);
        if (noise != null) {
            noise.corrupt(pts, 0, noisy, noisyOff, random.split());
        } else {
            System.arraycopy(pts, 0, noisy, noisyOff, SmplrPoints.VALUES);
        }
        if (n != null) {
            SmplrFeatures.normalizedRelativeJoints(noisy, noisyOff, n, nOff);
        }
        if (b != null) {
            SmplrFeatures.relativeDistances(noisy, noisyOff, template(gender), b, bOff);
        }
        if (rotations != null) {
            Rotations.axisAngleToMatrix(params.pose(), 0, rotations, rotOff, SmplJoint.COUNT);
        }
        if (betas != null) {
            float[] src = params.betas();
            int k = Math.min(src.length, betaCount);
            System.arraycopy(src, 0, betas, betasOff, k);
            java.util.Arrays.fill(betas, betasOff + k, betasOff + betaCount, 0f);
        }
        return gender;
    }

    /** Premultiplies the global orientation by a rotation uniform over SO(3): R_root' = R R_root. */
    private static SmplParams rotateRandomly(SmplParams params, SplittableRandom random) {
        float[] pose = params.pose().clone();
        float[] axisAngle = new float[3];
        AnatomicalPoseSampler.uniformRotation(random, axisAngle);
        float[] r = new float[9];
        float[] root = new float[9];
        float[] product = new float[9];
        Rotations.axisAngleToMatrix(axisAngle, 0, r, 0);
        Rotations.axisAngleToMatrix(pose, 0, root, 0);
        Rotations.multiply(r, 0, root, 0, product, 0);
        Rotations.matrixToAxisAngle(product, 0, pose, 0);
        return new SmplParams(pose, params.betas(), params.transl());
    }

    /**
     * The generator seed of sample {@code index}: a 64-bit finaliser (Stafford's mix 13) of both, so the
     * samples' streams start at unrelated points of SplittableRandom's sequence.
     */
    static long mix(long seed, long index) {
        long z = mix64(seed) + index * 0x9E3779B97F4A7C15L;
        return mix64(z ^ 0x5DEECE66DL);
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private SmplModel model(Gender gender) {
        synchronized (modelCache) {
            SmplModel m = modelCache.get(gender);
            if (m == null) {
                m = models.apply(gender);
                if (m == null) {
                    throw new IllegalArgumentException("models: no body model for " + gender);
                }
                modelCache.put(gender, m);
            }
            return m;
        }
    }

    private float[] template(Gender gender) {
        synchronized (templateCache) {
            float[] t = templateCache.get(gender);
            if (t == null) {
                t = SmplrFeatures.templateDistances(model(gender).smplrPoints(SmplParams.zero()));
                templateCache.put(gender, t);
            }
            return t;
        }
    }

    /**
     * @param gender a gender
     * @return the template distances {@code d*} used for B of that gender's body, 41 values, a new array
     */
    public float[] templateDistances(Gender gender) {
        Checks.notNull("gender", gender);
        return template(gender).clone();
    }

    @Override
    public String toString() {
        return "TrainingSet[seed=" + seed + ", " + sampler + ", " + (noise == null ? "no noise" : noise) + "]";
    }

    /** Configures a {@link TrainingSet}. */
    public static final class Builder {
        private Function<Gender, SmplModel> models = SmplModel::demo;
        private PoseSampler sampler = PoseSampler.anatomical();
        private NoiseModel noise;
        private long seed;
        private int betaCount = 10;
        private boolean randomOrientation;

        private Builder() {
        }

        /**
         * @param models the body model for each gender (called once per gender; default {@link SmplModel#demo})
         * @return this
         */
        public Builder models(Function<Gender, SmplModel> models) {
            this.models = Checks.notNull("models", models);
            return this;
        }

        /** @param sampler the pose source (default {@link PoseSampler#anatomical()}) @return this */
        public Builder sampler(PoseSampler sampler) {
            this.sampler = Checks.notNull("sampler", sampler);
            return this;
        }

        /** @param noise the corruption of the points, or {@code null} for clean points (default) @return this */
        public Builder noise(NoiseModel noise) {
            this.noise = noise;
            return this;
        }

        /** @param seed the seed (default 0) @return this */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param betaCount betas per sample, 0 or more (default 10); shorter sampled betas are zero-padded
         * @return this
         * @throws IllegalArgumentException if negative
         */
        public Builder betaCount(int betaCount) {
            if (betaCount < 0) {
                throw new IllegalArgumentException("betaCount: expected 0 or more, got " + betaCount);
            }
            this.betaCount = betaCount;
            return this;
        }

        /**
         * Rotates every sampled body by a rotation uniform over SO(3) (premultiplied onto its global
         * orientation, so points and the rotation target stay consistent): views from every direction for
         * samplers with a fixed orientation, such as motion files. Default off ({@link PoseSampler#anatomical()}
         * already draws the orientation over SO(3)).
         *
         * @param on whether to rotate
         * @return this
         */
        public Builder randomOrientation(boolean on) {
            this.randomOrientation = on;
            return this;
        }

        /** @return the training set */
        public TrainingSet build() {
            return new TrainingSet(this);
        }
    }
}
