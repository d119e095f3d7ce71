package dev.smplr.smpl;

import dev.smplr.core.KinematicTree;
import dev.smplr.core.SmplJoint;
import dev.smplr.core.SmplrLandmark;
import dev.smplr.core.SmplrPoints;
import dev.smplr.core.internal.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Corruption of the 41 SMPLR points for training the denoising autoencoder and the regressors (SPEC.md 4, 15.8).
 *
 * <p><b>Per-coordinate noise.</b> Coordinate {@code j} of the 123 gets independent uniform noise
 * {@code U(-g_j, +g_j)}. The release's table (SPEC.md 4) is in its CLOTH3D world frame, whose x axis is the
 * camera's depth, y the image's right and z up; its world-to-camera rotation maps {@code (x, y, z)} to
 * {@code (y, -z, -x)}. In this project's camera frame (X right, Y down, Z depth, SPEC.md 15.1) the amplitudes are
 * therefore {@code g_cam = (g_y, g_z, g_x)} per point: the large depth amplitudes sit on Z. The same holds in
 * the model frame of a body facing the camera (X lateral, Y up, Z front = towards the camera). Signs do not
 * matter for a symmetric distribution.
 *
 * <p><b>Structured corruption</b> (beyond the release, SPEC.md 15.8), each applied at most once per call with
 * its own probability, before the per-coordinate noise, in this order:
 * <ol>
 *   <li>swap: one left/right mirror pair (a joint pair such as the knees, or a landmark pair such as the hands)
 *       trades positions;</li>
 *   <li>depth flip: one forearm (wrist, hand, hand landmark) or lower leg (ankle, foot, foot landmark) has its
 *       Z offset from the elbow or knee mirrored, {@code z' = 2 z_parent - z}, the classic monocular depth
 *       ambiguity (meaningful in the camera frame, where Z is depth);</li>
 *   <li>displace: one random point moves by a uniformly random direction times a length uniform in
 *       [{@code displaceMin}, {@code displaceMax}];</li>
 *   <li>drop: one random point is replaced by its parent's position in the 42-node tree (the origin for the
 *       root's children), the way a detector's missed point collapses onto its neighbour; finite, as the DAE
 *       input must be. The bone has zero length until the per-coordinate noise is added, so the N features of a
 *       dropped point are undefined when the noise amplitudes are zero.</li>
 * </ol>
 * {@link #release()} has no structured corruption; {@link #structured()} turns it on. Immutable, thread-safe.
 */
public final class NoiseModel {
    /** The release's g, metres, in its frame (x = depth, y = right, z = up), points 1..41 of SPEC.md 4. */
    private static final float[] RELEASE_TABLE = {
        .0083f, .0069f, .0052f, .0080f, .0071f, .0050f, .0085f, .0069f, .0053f, .0345f, .0222f, .0196f,
        .0343f, .0231f, .0191f, .0149f, .0089f, .0098f, .0535f, .0235f, .0242f, .0521f, .0223f, .0255f,
        .0167f, .0090f, .0108f, .0567f, .0243f, .0253f, .0561f, .0226f, .0247f, .0265f, .0106f, .0144f,
        .0217f, .0104f, .0122f, .0222f, .0103f, .0122f, .0305f, .0119f, .0158f, .0262f, .0164f, .0174f,
        .0270f, .0159f, .0166f, .0441f, .0258f, .0281f, .0458f, .0256f, .0272f, .0648f, .0307f, .0358f,
        .0697f, .0295f, .0334f, .0757f, .0336f, .0406f, .0817f, .0325f, .0375f, .0206f, .0146f, .0150f,
        .0216f, .0148f, .0148f, .0113f, .0114f, .0105f, .0129f, .0132f, .0087f, .0132f, .0129f, .0081f,
        .0177f, .0159f, .0144f, .0186f, .0153f, .0141f, .0161f, .0123f, .0104f, .0153f, .0116f, .0101f,
        .0596f, .0283f, .0295f, .0604f, .0263f, .0287f, .0851f, .0410f, .0486f, .0304f, .0172f, .0191f,
        .0311f, .0198f, .0218f, .0339f, .0178f, .0197f, .0337f, .0204f, .0223f, .0912f, .0416f, .0459f,
        .0392f, .0216f, .0291f,
    };

    private static final String SHAPE = "41×3 root-relative points";

    /** Left/right mirror pairs as 41-point indices, from the joint and landmark names. */
    private static final int[][] MIRROR_PAIRS = mirrorPairs();

    /** Depth-flip chains: {parent point, chain points...}, 41-point indices. */
    private static final int[][] FLIP_CHAINS = {
        {point(SmplJoint.LEFT_ELBOW), point(SmplJoint.LEFT_WRIST), point(SmplJoint.LEFT_HAND),
            SmplrLandmark.HAND_LEFT.pointIndex()},
        {point(SmplJoint.RIGHT_ELBOW), point(SmplJoint.RIGHT_WRIST), point(SmplJoint.RIGHT_HAND),
            SmplrLandmark.HAND_RIGHT.pointIndex()},
        {point(SmplJoint.LEFT_KNEE), point(SmplJoint.LEFT_ANKLE), point(SmplJoint.LEFT_FOOT),
            SmplrLandmark.FOOT_LEFT.pointIndex()},
        {point(SmplJoint.RIGHT_KNEE), point(SmplJoint.RIGHT_ANKLE), point(SmplJoint.RIGHT_FOOT),
            SmplrLandmark.FOOT_RIGHT.pointIndex()},
    };

    /** Parent of each of the 41 points as a 41-point index, -1 for the root. */
    private static final int[] PARENT_POINT = parentPoints();

    private final float[] amplitudes;
    private final double swapProbability;
    private final double depthFlipProbability;
    private final double displaceProbability;
    private final double displaceMin;
    private final double displaceMax;
    private final double dropProbability;
    private final boolean graded;

    private NoiseModel(Builder b) {
        this.amplitudes = b.amplitudes.clone();
        this.swapProbability = b.swapProbability;
        this.depthFlipProbability = b.depthFlipProbability;
        this.displaceProbability = b.displaceProbability;
        this.displaceMin = b.displaceMin;
        this.displaceMax = b.displaceMax;
        this.dropProbability = b.dropProbability;
        this.graded = b.graded;
    }

    /**
     * The release's noise at a random strength: each call draws {@code s ~ U(0, 1)} and adds
     * {@code s·g_j·U(-1, 1)}, so a model trained on it sees everything from clean to fully noisy points. A regressor
     * trained on the full release noise learns the smoothed answer for noisy input and keeps that bias on clean
     * input; graded noise keeps it accurate on clean (or denoised) points and robust on noisy ones.
     *
     * @return the graded release noise, nothing structured
     */
    public static NoiseModel graded() {
        return builder().graded(true).build();
    }

    /** @return the release's per-coordinate uniform noise, permuted to the camera frame; nothing structured */
    public static NoiseModel release() {
        return builder().build();
    }

    /**
     * @return the release's noise plus structured corruption: swap 0.05, depth flip 0.05, displace 0.10 by
     *         5..20 cm, drop 0.05
     */
    public static NoiseModel structured() {
        return builder().swapProbability(0.05).depthFlipProbability(0.05).displaceProbability(0.10)
                .displaceRange(0.05, 0.20).dropProbability(0.05).build();
    }

    /** @return a builder starting from {@link #release()} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The release's table in the camera frame: {@code g_cam[3p..3p+2] = (g_y, g_z, g_x)} of point {@code p}.
     *
     * @return 123 amplitudes, metres, a new array
     */
    public static float[] releaseAmplitudes() {
        float[] out = new float[SmplrPoints.VALUES];
        for (int p = 0; p < SmplrPoints.COUNT; p++) {
            out[3 * p] = RELEASE_TABLE[3 * p + 1];
            out[3 * p + 1] = RELEASE_TABLE[3 * p + 2];
            out[3 * p + 2] = RELEASE_TABLE[3 * p];
        }
        return out;
    }

    /** @return the left/right mirror pairs as 41-point indices ({left, right}), a new array */
    public static int[][] mirrorPairs() {
        List<int[]> pairs = new ArrayList<>();
        for (SmplJoint j : SmplJoint.values()) {
            if (j.name().startsWith("LEFT_")) {
                SmplJoint r = SmplJoint.valueOf("RIGHT_" + j.name().substring("LEFT_".length()));
                pairs.add(new int[] {point(j), point(r)});
            }
        }
        for (SmplrLandmark l : SmplrLandmark.values()) {
            if (l.name().contains("LEFT")) {
                SmplrLandmark r = SmplrLandmark.valueOf(l.name().replace("LEFT", "RIGHT"));
                pairs.add(new int[] {l.pointIndex(), r.pointIndex()});
            }
        }
        return pairs.toArray(new int[0][]);
    }

    /** @return the per-coordinate amplitudes g (123, metres), a new array */
    public float[] amplitudes() {
        return amplitudes.clone();
    }

    /**
     * Corrupts a point set: structured corruption (as configured), then {@code U(-g_j, +g_j)} per coordinate.
     *
     * @param points41 41 points (123 values), root-relative, metres. Not modified.
     * @param random   the generator. Modified (advanced).
     * @return the corrupted points, a new array
     * @throws IllegalArgumentException if {@code points41} is not 123 finite values or {@code random} is null
     */
    public float[] corrupt(float[] points41, RandomGenerator random) {
        Checks.rows("points41", points41, SmplrPoints.COUNT, 3, SHAPE);
        Checks.notNull("random", random);
        float[] out = new float[SmplrPoints.VALUES];
        corrupt(points41, 0, out, 0, random);
        return out;
    }

    /** Batch form: reads 123 values at {@code inOff}, writes 123 at {@code outOff}; no checks. */
    void corrupt(float[] in, int inOff, float[] out, int outOff, RandomGenerator random) {
        System.arraycopy(in, inOff, out, outOff, SmplrPoints.VALUES);
        if (swapProbability > 0 && random.nextDouble() < swapProbability) {
            int[] pair = MIRROR_PAIRS[random.nextInt(MIRROR_PAIRS.length)];
            for (int k = 0; k < 3; k++) {
                int a = outOff + 3 * pair[0] + k;
                int b = outOff + 3 * pair[1] + k;
                float t = out[a];
                out[a] = out[b];
                out[b] = t;
            }
        }
        if (depthFlipProbability > 0 && random.nextDouble() < depthFlipProbability) {
            int[] chain = FLIP_CHAINS[random.nextInt(FLIP_CHAINS.length)];
            float zParent = out[outOff + 3 * chain[0] + 2];
            for (int i = 1; i < chain.length; i++) {
                int z = outOff + 3 * chain[i] + 2;
                out[z] = 2 * zParent - out[z];
            }
        }
        if (displaceProbability > 0 && random.nextDouble() < displaceProbability) {
            int p = random.nextInt(SmplrPoints.COUNT);
            double x;
            double y;
            double z;
            double n;
            do {
                x = random.nextGaussian();
                y = random.nextGaussian();
                z = random.nextGaussian();
                n = Math.sqrt(x * x + y * y + z * z);
            } while (n < 1e-9);
            double len = displaceMin + (displaceMax - displaceMin) * random.nextDouble();
            out[outOff + 3 * p] += (float) (x / n * len);
            out[outOff + 3 * p + 1] += (float) (y / n * len);
            out[outOff + 3 * p + 2] += (float) (z / n * len);
        }
        if (dropProbability > 0 && random.nextDouble() < dropProbability) {
            int p = random.nextInt(SmplrPoints.COUNT);
            int parent = PARENT_POINT[p];
            for (int k = 0; k < 3; k++) {
                out[outOff + 3 * p + k] = parent < 0 ? 0f : out[outOff + 3 * parent + k];
            }
        }
        // x_j += s * g_j * U(-1, 1), s = 1 or U(0, 1) when graded
        double s = graded ? random.nextDouble() : 1;
        for (int j = 0; j < SmplrPoints.VALUES; j++) {
            if (amplitudes[j] != 0f) {
                out[outOff + j] += (float) (s * amplitudes[j] * (2 * random.nextDouble() - 1));
            }
        }
    }

    private static int point(SmplJoint joint) {
        return joint.ordinal() - 1;
    }

    private static int[] parentPoints() {
        int[] parents = KinematicTree.smplr().parents();
        int[] out = new int[SmplrPoints.COUNT];
        for (int p = 0; p < SmplrPoints.COUNT; p++) {
            out[p] = parents[p + 1] - 1;
        }
        return out;
    }

    @Override
    public String toString() {
        return "NoiseModel[max g=" + max(amplitudes) + " m" + (graded ? " × U(0, 1)" : "") + ", swap=" + swapProbability + ", depthFlip="
                + depthFlipProbability + ", displace=" + displaceProbability + " (" + displaceMin + ".."
                + displaceMax + " m), drop=" + dropProbability + "]";
    }

    private static float max(float[] a) {
        float m = 0;
        for (float v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** Configures a {@link NoiseModel}; starts from {@link NoiseModel#release()}. */
    public static final class Builder {
        private float[] amplitudes = releaseAmplitudes();
        private double swapProbability;
        private double depthFlipProbability;
        private double displaceProbability;
        private double displaceMin = 0.05;
        private double displaceMax = 0.20;
        private double dropProbability;
        private boolean graded;

        private Builder() {
        }

        /**
         * @param g 123 non-negative per-coordinate amplitudes, metres, in the frame of the points. Copied.
         * @return this
         * @throws IllegalArgumentException if the length is wrong or a value is negative or not finite
         */
        public Builder amplitudes(float[] g) {
            Checks.rows("g", g, SmplrPoints.COUNT, 3, SHAPE);
            for (int j = 0; j < g.length; j++) {
                if (g[j] < 0) {
                    throw new IllegalArgumentException("g: expected non-negative amplitudes, got " + g[j]
                            + " at " + j);
                }
            }
            this.amplitudes = g.clone();
            return this;
        }

        /**
         * Multiplies the current amplitudes; 0 turns the per-coordinate noise off.
         *
         * @param factor the factor, 0 or more
         * @return this
         * @throws IllegalArgumentException if {@code factor} is negative or not finite
         */
        public Builder scale(double factor) {
            if (!(factor >= 0) || !Double.isFinite(factor)) {
                throw new IllegalArgumentException("factor: expected a finite value >= 0, got " + factor);
            }
            for (int j = 0; j < amplitudes.length; j++) {
                amplitudes[j] = (float) (amplitudes[j] * factor);
            }
            return this;
        }

        /** @param p probability of a left/right swap, in [0, 1] @return this */
        public Builder swapProbability(double p) {
            this.swapProbability = probability("swapProbability", p);
            return this;
        }

        /** @param p probability of a limb depth flip, in [0, 1] @return this */
        public Builder depthFlipProbability(double p) {
            this.depthFlipProbability = probability("depthFlipProbability", p);
            return this;
        }

        /** @param p probability of displacing one point, in [0, 1] @return this */
        public Builder displaceProbability(double p) {
            this.displaceProbability = probability("displaceProbability", p);
            return this;
        }

        /**
         * @param min shortest displacement, metres, 0 or more
         * @param max longest displacement, metres, at least {@code min}
         * @return this
         * @throws IllegalArgumentException if the range is empty, negative or not finite
         */
        public Builder displaceRange(double min, double max) {
            if (!(min >= 0) || !(max >= min) || !Double.isFinite(max)) {
                throw new IllegalArgumentException("displaceRange: expected 0 <= min <= max, got [" + min + ", "
                        + max + "]");
            }
            this.displaceMin = min;
            this.displaceMax = max;
            return this;
        }

        /** @param p probability of dropping one point onto its parent, in [0, 1] @return this */
        public Builder dropProbability(double p) {
            this.dropProbability = probability("dropProbability", p);
            return this;
        }

        /**
         * @param on true: scale the per-coordinate noise of each call by {@code s ~ U(0, 1)} (see {@link #graded()})
         * @return this
         */
        public Builder graded(boolean on) {
            this.graded = on;
            return this;
        }

        /** @return the noise model */
        public NoiseModel build() {
            return new NoiseModel(this);
        }

        private static double probability(String name, double p) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException(name + ": expected a probability in [0, 1], got " + p);
            }
            return p;
        }

        @Override
        public String toString() {
            return "NoiseModel.Builder" + Arrays.toString(new double[] {swapProbability, depthFlipProbability,
                displaceProbability, dropProbability});
        }
    }
}
