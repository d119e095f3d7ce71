package dev.smplr.hourglass;

import dev.smplr.core.internal.Checks;

/**
 * The shape of the volumetric stacked hourglass (SPEC.md section 6): how many stacks, their width, the depth of
 * each hourglass, the input crop and the output volumes, the regularisation and batch-norm constants, the seed of
 * the weight initialisation and the training loss.
 *
 * <p>Output volumes: the network sees an {@code inputSize × inputSize} RGB crop and predicts, per stack, one
 * volume of {@code outputSize × outputSize × depthBins} cells ({@code outputSize = inputSize / 4}) for each of
 * the {@code pointCount} points and {@code limbVolumes} limbs, as {@code depthBins · (pointCount + limbVolumes)}
 * channels, channel {@code c = d·(pointCount + limbVolumes) + p}.
 *
 * <p>Make one with a preset ({@link #paper()}, {@link #demo()}) or {@link #builder()}; vary one with
 * {@link #toBuilder()}:
 * <pre>{@code
 * HourglassConfig c = HourglassConfig.demo().toBuilder().stacks(3).build();
 * }</pre>
 *
 * @param stacks      number of stacked hourglasses, each with its own output (intermediate supervision), ≥ 1
 *                    (paper 5)
 * @param features    channels of the hourglass trunk, even, ≥ 8 (paper 256)
 * @param depth       pooling levels inside each hourglass, ≥ 1 (paper 4: 64→32→16→8→4)
 * @param depthBins   bins of each volume along the camera's Z axis, ≥ 2 (paper 16)
 * @param inputSize   side of the square input crop, pixels; a multiple of {@code 4 · 2^depth} (paper 256)
 * @param pointCount  point volumes; 41 (the SMPLR points)
 * @param limbVolumes limb volumes after the points: 4 (right arm, left arm, right leg, left leg) or 0
 * @param dropout     dropout rate before each stack's output, in [0, 1) (paper 0.1)
 * @param bnDecay     batch-norm running-statistics momentum, in [0, 1) (TF's decay, paper 0.9)
 * @param bnEps       batch-norm variance epsilon, &gt; 0 (paper 1e-5)
 * @param seed        seed of the weight initialisation
 * @param loss        the training loss (SPEC 15.6)
 * @param integralWeight with the softmax loss, the weight λ per metre of its integral (soft-argmax L1) term
 *                    ({@link SoftmaxVolumeLoss}), finite, ≥ 0; 0 for the cross-entropy alone (paper 0); must be 0
 *                    with the sigmoid loss
 */
public record HourglassConfig(int stacks, int features, int depth, int depthBins, int inputSize, int pointCount,
                              int limbVolumes, double dropout, double bnDecay, double bnEps, long seed,
                              HourglassLoss loss, double integralWeight) {

    /** The number of points the estimator returns. */
    public static final int POINTS = 41;
    /** The number of limb volumes of the release (SPEC 6). */
    public static final int LIMBS = 4;
    /** The demo preset's integral-term weight, per metre. */
    private static final double DEMO_INTEGRAL_WEIGHT = 10;
    /** Output cells per input pixel along each image axis: the stem's stride-2 conv and max-pool. */
    public static final int DOWNSAMPLING = 4;

    /**
     * Validates every field; see the record description for the ranges.
     *
     * @throws IllegalArgumentException naming the first field out of range, its range and its value
     */
    public HourglassConfig {
        Checks.positive("stacks", stacks);
        atLeast("features", features, 8);
        if (features % 2 != 0) {
            throw new IllegalArgumentException("features: expected an even channel count, got " + features);
        }
        Checks.positive("depth", depth);
        if (depth > 8) {
            throw new IllegalArgumentException("depth: expected at most 8 pooling levels, got " + depth);
        }
        atLeast("depthBins", depthBins, 2);
        Checks.positive("inputSize", inputSize);
        long multiple = (long) DOWNSAMPLING << depth;
        if (inputSize % multiple != 0) {
            throw new IllegalArgumentException("inputSize: expected a multiple of 4·2^depth = " + multiple
                    + " (depth " + depth + "), got " + inputSize);
        }
        if (pointCount != POINTS) {
            throw new IllegalArgumentException("pointCount: expected " + POINTS + ", got " + pointCount);
        }
        if (limbVolumes != 0 && limbVolumes != LIMBS) {
            throw new IllegalArgumentException("limbVolumes: expected 0 or " + LIMBS + ", got " + limbVolumes);
        }
        Checks.belowOne("dropout", "a rate", dropout);
        Checks.belowOne("bnDecay", "a momentum", bnDecay);
        Checks.positiveFinite("bnEps", bnEps);
        if (loss == null) {
            throw new IllegalArgumentException("loss: expected a loss kind, got null");
        }
        integralWeightChecked(integralWeight);
        if (integralWeight > 0 && loss != HourglassLoss.SOFTMAX_CROSS_ENTROPY) {
            throw new IllegalArgumentException("integralWeight: the integral term needs the softmax loss, got "
                    + integralWeight + " with " + loss);
        }
    }

    /** The range check of {@code integralWeight}, shared with {@link SoftmaxVolumeLoss}. */
    static double integralWeightChecked(double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("integralWeight: expected a finite weight ≥ 0 per metre, got "
                    + value);
        }
        return value;
    }

    /**
     * The network of the paper and the release (SPEC 6): 5 stacks, 256 features, 4 pooling levels, a 256×256 crop
     * to 64×64×16 volumes of the 41 points and 4 limbs, dropout 0.1, batch norm decay 0.9 and ε 1e-5, with the
     * default loss.
     *
     * @return the paper preset, seed 0
     */
    public static HourglassConfig paper() {
        return preset(5, 256, 4, 256);
    }

    /**
     * A CPU-sized network built by the same code: 2 stacks, 128 features, 3 pooling levels, a 128×128 crop to
     * 32×32×16 volumes (78 mm cells across the image, 156 mm in depth, over the 2.5 m cube; soft-argmax decodes
     * below the cell size); 1,502,208 parameters (the count does not depend on the crop size). Sizing, measured
     * with the fast training engine on the 2-core development machine (one OpenMP thread per run, two runs side by
     * side): a training step of batch 8, data rendering included, ran at 0.5–0.57 steps/s at this size, against
     * 0.85–1.0 with 64 features and 1.8–1.9 with 64 features at 96×96; one run alone on two BLAS threads
     * ({@code OMP_WAIT_POLICY=PASSIVE}) 0.8–0.89. The shipped weights were trained as a
     * 64-feature network, 38,000 steps at 96×96 and 7,000 at 128×128, then widened to 128 features and trained
     * 3,000 steps more, then twelve times another 3,000 with the weights' moving average
     * ({@code docs/hourglass-training.md}).
     * The 16 depth bins are the paper's.
     * Loss: the softmax cross-entropy with its integral term at weight 10 per metre, with which the shipped demo
     * weights were fine-tuned (README).
     *
     * @return the demo preset, seed 0
     */
    public static HourglassConfig demo() {
        return preset(2, 128, 3, 128).toBuilder().integralWeight(DEMO_INTEGRAL_WEIGHT).build();
    }

    // The one place the preset numbers live.
    private static HourglassConfig preset(int stacks, int features, int depth, int inputSize) {
        return new Builder().stacks(stacks).features(features).depth(depth).depthBins(16).inputSize(inputSize)
                .pointCount(POINTS).limbVolumes(LIMBS).dropout(0.1).bnDecay(0.9).bnEps(1e-5).seed(0)
                .loss(HourglassLoss.DEFAULT).build();
    }

    /** @return the side of the output volumes, cells: {@code inputSize / 4} */
    public int outputSize() {
        return inputSize / DOWNSAMPLING;
    }

    /** @return volumes per depth bin: {@code pointCount + limbVolumes} (45 in the paper) */
    public int volumes() {
        return pointCount + limbVolumes;
    }

    /** @return channels of each head: {@code depthBins · volumes()} (720 in the paper) */
    public int headChannels() {
        return depthBins * volumes();
    }

    /** @return values of one stack's output per image: {@code headChannels · outputSize²} */
    public int headValues() {
        return headChannels() * outputSize() * outputSize();
    }

    /**
     * A builder holding the {@link #paper()} values.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return paper().toBuilder();
    }

    /**
     * A builder holding this configuration's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder().stacks(stacks).features(features).depth(depth).depthBins(depthBins)
                .inputSize(inputSize).pointCount(pointCount).limbVolumes(limbVolumes).dropout(dropout)
                .bnDecay(bnDecay).bnEps(bnEps).seed(seed).loss(loss).integralWeight(integralWeight);
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + ": expected at least " + min + ", got " + value);
        }
    }

    /**
     * Builds a {@link HourglassConfig}. Each setter checks its own range at once; {@link #build()} checks the
     * rules between fields. Reusable: {@code build()} can be called again after more changes.
     */
    public static final class Builder {
        private int stacks;
        private int features;
        private int depth;
        private int depthBins;
        private int inputSize;
        private int pointCount = POINTS;
        private int limbVolumes = LIMBS;
        private double dropout;
        private double bnDecay;
        private double bnEps;
        private long seed;
        private HourglassLoss loss = HourglassLoss.DEFAULT;
        private double integralWeight;

        private Builder() {
        }

        /**
         * @param value stacks, ≥ 1
         * @return this
         * @throws IllegalArgumentException if below 1
         */
        public Builder stacks(int value) {
            stacks = Checks.positive("stacks", value);
            return this;
        }

        /**
         * @param value trunk channels, even, ≥ 8
         * @return this
         * @throws IllegalArgumentException if below 8 (evenness is checked by {@link #build()})
         */
        public Builder features(int value) {
            atLeast("features", value, 8);
            features = value;
            return this;
        }

        /**
         * @param value pooling levels per hourglass, ≥ 1
         * @return this
         * @throws IllegalArgumentException if below 1
         */
        public Builder depth(int value) {
            depth = Checks.positive("depth", value);
            return this;
        }

        /**
         * @param value depth bins, ≥ 2
         * @return this
         * @throws IllegalArgumentException if below 2
         */
        public Builder depthBins(int value) {
            atLeast("depthBins", value, 2);
            depthBins = value;
            return this;
        }

        /**
         * @param value input crop side, pixels, ≥ 1 (a multiple of {@code 4·2^depth}, checked by {@link #build()})
         * @return this
         * @throws IllegalArgumentException if below 1
         */
        public Builder inputSize(int value) {
            inputSize = Checks.positive("inputSize", value);
            return this;
        }

        /**
         * @param value point volumes (must be 41 at {@link #build()})
         * @return this
         */
        public Builder pointCount(int value) {
            pointCount = value;
            return this;
        }

        /**
         * @param value limb volumes, 0 or 4 (checked by {@link #build()})
         * @return this
         */
        public Builder limbVolumes(int value) {
            limbVolumes = value;
            return this;
        }

        /**
         * @param value dropout rate in [0, 1)
         * @return this
         * @throws IllegalArgumentException if out of range
         */
        public Builder dropout(double value) {
            dropout = Checks.belowOne("dropout", "a rate", value);
            return this;
        }

        /**
         * @param value batch-norm momentum in [0, 1)
         * @return this
         * @throws IllegalArgumentException if out of range
         */
        public Builder bnDecay(double value) {
            bnDecay = Checks.belowOne("bnDecay", "a momentum", value);
            return this;
        }

        /**
         * @param value batch-norm epsilon, finite, &gt; 0
         * @return this
         * @throws IllegalArgumentException if not finite and positive
         */
        public Builder bnEps(double value) {
            bnEps = Checks.positiveFinite("bnEps", value);
            return this;
        }

        /**
         * @param value weight-initialisation seed
         * @return this
         */
        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /**
         * @param value the training loss
         * @return this
         * @throws IllegalArgumentException if null
         */
        public Builder loss(HourglassLoss value) {
            if (value == null) {
                throw new IllegalArgumentException("loss: expected a loss kind, got null");
            }
            loss = value;
            return this;
        }

        /**
         * @param value the weight per metre of the softmax loss's integral term, finite, ≥ 0
         * @return this
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder integralWeight(double value) {
            integralWeight = integralWeightChecked(value);
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException if a rule between fields fails (see {@link HourglassConfig})
         */
        public HourglassConfig build() {
            return new HourglassConfig(stacks, features, depth, depthBins, inputSize, pointCount, limbVolumes,
                    dropout, bnDecay, bnEps, seed, loss, integralWeight);
        }
    }
}
