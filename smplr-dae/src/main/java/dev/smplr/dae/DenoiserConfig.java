package dev.smplr.dae;

import dev.smplr.core.internal.Checks;

/**
 * The shape of the denoising autoencoder (SPEC 4): the widths of its three encoder layers (the decoder mirrors
 * the first two), the two dropout keep probabilities, the batch-normalisation constants, the weight-init seed,
 * and whether it lifts 2D points to 3D.
 *
 * <p>Make one with a preset ({@link #paper()}, {@link #demo()}) or {@link #builder()}; vary one with
 * {@link #toBuilder()}:
 * <pre>{@code
 * DenoiserConfig c = DenoiserConfig.paper().toBuilder().bottleneck(256).build();
 * }</pre>
 *
 * <p>Lifting mode ({@code lifting = true}): the input is 41 2D points (82 values, x then y per point) and the
 * output 41 3D points (123 values). There is then no residual connection, since input and output live in
 * different spaces; the rest of the graph is unchanged. The released code never trains this mode (SPEC 4).
 *
 * @param width1         the width of enc1 and dec1 (paper 1024)
 * @param width2         the width of enc2 and dec2 (paper 1024)
 * @param bottleneck     the width of enc3 (paper 512)
 * @param inputKeep      the probability that an input coordinate is kept by the training-time dropout, in (0, 1]
 * @param bottleneckKeep the keep probability of the dropout after the bottleneck, in (0, 1]
 * @param bnDecay        the batch-norm running-statistics momentum, in [0, 1) (TF's 0.99)
 * @param bnEps          the batch-norm variance epsilon, positive (TF's 1e-3)
 * @param lifting        true for 2D→3D lifting (82 inputs, no residual), false for 3D denoising (123 inputs)
 * @param seed           the seed of the Xavier-uniform weight initialisation
 */
public record DenoiserConfig(int width1, int width2, int bottleneck, double inputKeep, double bottleneckKeep,
                             double bnDecay, double bnEps, boolean lifting, long seed) {

    /** The number of points the network sees and returns. */
    public static final int POINTS = 41;

    /** Validates every field; see the record description for the ranges. */
    public DenoiserConfig {
        Checks.positive("width1", width1);
        Checks.positive("width2", width2);
        Checks.positive("bottleneck", bottleneck);
        checkKeep("inputKeep", inputKeep);
        checkKeep("bottleneckKeep", bottleneckKeep);
        Checks.belowOne("bnDecay", "a momentum", bnDecay);
        Checks.positiveFinite("bnEps", bnEps);
    }

    /**
     * The configuration of the paper and the released code (SPEC 4): widths 1024/1024/512, both dropouts keep
     * 0.8, batch-norm momentum 0.99 and ε 1e-3; 3 411 579 trainable parameters.
     *
     * @return the paper preset, seed 0
     */
    public static DenoiserConfig paper() {
        return preset(1024, 1024, 512, 0.8);
    }

    /**
     * A narrower network that trains on a CPU in minutes: widths 256/256/128 and no dropout (keep 1.0), otherwise
     * as {@link #paper()}. With the release's dropout (keep 0.8 on the input and after the bottleneck) this network
     * learned little more than the identity in a CPU-sized run (4,500 steps: 24.6 mm output against 25.1 mm input
     * error); dropout's train/test variance shift ahead of batch norm costs precision a small network cannot spare.
     *
     * @return the demo preset, seed 0
     */
    public static DenoiserConfig demo() {
        return preset(256, 256, 128, 1.0);
    }

    // The one place the preset numbers live.
    private static DenoiserConfig preset(int width1, int width2, int bottleneck, double keep) {
        return new Builder().width1(width1).width2(width2).bottleneck(bottleneck)
                .inputKeep(keep).bottleneckKeep(keep).bnDecay(0.99).bnEps(1e-3).lifting(false).seed(0).build();
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
        return new Builder().width1(width1).width2(width2).bottleneck(bottleneck).inputKeep(inputKeep)
                .bottleneckKeep(bottleneckKeep).bnDecay(bnDecay).bnEps(bnEps).lifting(lifting).seed(seed);
    }

    /**
     * The values per input sample: 123 (41 × 3), or 82 (41 × 2) when lifting.
     *
     * @return the input width
     */
    public int inputSize() {
        return POINTS * (lifting ? 2 : 3);
    }

    /**
     * The values per output sample: always 123 (41 × 3).
     *
     * @return the output width
     */
    public int outputSize() {
        return POINTS * 3;
    }

    /**
     * The name of the preset this configuration equals apart from its seed and lifting switch, for manifests and
     * logs.
     *
     * @return {@code "paper"}, {@code "demo"}, or {@code "custom"}
     */
    public String presetName() {
        DenoiserConfig base = toBuilder().seed(0).lifting(false).build();
        if (base.equals(paper())) {
            return "paper";
        }
        return base.equals(demo()) ? "demo" : "custom";
    }

    private static void checkKeep(String name, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(name + ": expected a keep probability in (0, 1], got " + value);
        }
    }

    /** Builds a {@link DenoiserConfig}; every setter checks its value at once. Reusable. */
    public static final class Builder {
        private int width1;
        private int width2;
        private int bottleneck;
        private double inputKeep;
        private double bottleneckKeep;
        private double bnDecay;
        private double bnEps;
        private boolean lifting;
        private long seed;

        private Builder() {
        }

        /**
         * @param value the width of enc1 and dec1, at least 1
         * @return this builder
         */
        public Builder width1(int value) {
            width1 = Checks.positive("width1", value);
            return this;
        }

        /**
         * @param value the width of enc2 and dec2, at least 1
         * @return this builder
         */
        public Builder width2(int value) {
            width2 = Checks.positive("width2", value);
            return this;
        }

        /**
         * @param value the width of the bottleneck enc3, at least 1
         * @return this builder
         */
        public Builder bottleneck(int value) {
            bottleneck = Checks.positive("bottleneck", value);
            return this;
        }

        /**
         * @param value the input dropout keep probability, in (0, 1]
         * @return this builder
         */
        public Builder inputKeep(double value) {
            checkKeep("inputKeep", value);
            inputKeep = value;
            return this;
        }

        /**
         * @param value the bottleneck dropout keep probability, in (0, 1]
         * @return this builder
         */
        public Builder bottleneckKeep(double value) {
            checkKeep("bottleneckKeep", value);
            bottleneckKeep = value;
            return this;
        }

        /**
         * @param value the batch-norm momentum, in [0, 1)
         * @return this builder
         */
        public Builder bnDecay(double value) {
            bnDecay = Checks.belowOne("bnDecay", "a momentum", value);
            return this;
        }

        /**
         * @param value the batch-norm epsilon, positive
         * @return this builder
         */
        public Builder bnEps(double value) {
            bnEps = Checks.positiveFinite("bnEps", value);
            return this;
        }

        /**
         * @param value true for 2D→3D lifting (82 inputs, no residual)
         * @return this builder
         */
        public Builder lifting(boolean value) {
            lifting = value;
            return this;
        }

        /**
         * @param value the weight-initialisation seed
         * @return this builder
         */
        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /**
         * @return a new configuration (no cross-field rules apply: every field was checked by its setter)
         */
        public DenoiserConfig build() {
            return new DenoiserConfig(width1, width2, bottleneck, inputKeep, bottleneckKeep, bnDecay, bnEps,
                    lifting, seed);
        }
    }
}
