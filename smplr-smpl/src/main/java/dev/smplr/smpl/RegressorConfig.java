package dev.smplr.smpl;

import dev.smplr.core.internal.Checks;

/**
 * The shape of one SMPLR regressor (SPEC 5): the shape regressor Ψ (B → β₁..β₁₀ and a gender score) or the pose
 * regressor Ω (N → 24 rotation matrices), the widths of its eight hidden layers, the batch-normalisation
 * constants and the weight-init seed. Both kinds share one graph; the kind fixes the input and output sizes and
 * the activation of the final layer {@code x2}.
 *
 * <p>Layers, named as in the release: trunk {@code fce1 → fce2 → fce3 → fce4 → fce41}; branch A
 * {@code fce42 → fce5 → x}; branch B {@code fce43 → x_offset}; {@code x2} on the concatenation of
 * {@code x} and {@code x_offset}.
 *
 * <p>Make one with a preset ({@link #paper(Kind)}, {@link #demo(Kind)}) or {@link #builder()}; vary one with
 * {@link #toBuilder()}:
 * <pre>{@code
 * RegressorConfig c = RegressorConfig.paper(RegressorConfig.Kind.POSE).toBuilder().fce1(512).build();
 * }</pre>
 *
 * @param kind    which regressor: {@link Kind#SHAPE} (Ψ) or {@link Kind#POSE} (Ω)
 * @param fce1    the width of fce1 (paper 1024)
 * @param fce2    the width of fce2 (paper 1024)
 * @param fce3    the width of fce3 (paper 512)
 * @param fce4    the width of fce4 (paper 512)
 * @param fce41   the width of fce41, the last trunk layer that both branches read (paper 512)
 * @param fce42   the width of fce42, the first layer of branch A (paper 256)
 * @param fce5    the width of fce5, the second layer of branch A (paper 256)
 * @param fce43   the width of fce43, the one hidden layer of branch B (paper 256)
 * @param bnDecay the batch-norm running-statistics momentum, in [0, 1) (TF's 0.99)
 * @param bnEps   the batch-norm variance epsilon, positive (TF's 1e-3)
 * @param seed    the seed of the Glorot-uniform initialisation
 */
public record RegressorConfig(Kind kind, int fce1, int fce2, int fce3, int fce4, int fce41, int fce42, int fce5,
                              int fce43, double bnDecay, double bnEps, long seed) {

    /** Which of the two SMPLR regressors a configuration describes. */
    public enum Kind {
        /** Ψ: the 41 bone-length features B in, β₁..β₁₀ and the gender score out (linear). */
        SHAPE(41, 11),
        /** Ω: the 123 bone-direction features N in, 24 row-major 3×3 rotation matrices out (tanh). */
        POSE(123, 216);

        private final int inputSize;
        private final int outputSize;

        Kind(int inputSize, int outputSize) {
            this.inputSize = inputSize;
            this.outputSize = outputSize;
        }

        /**
         * The values per input sample: 41 (B) or 123 (N).
         *
         * @return the input width
         */
        public int inputSize() {
            return inputSize;
        }

        /**
         * The values per output sample: 11 (10 betas + gender score) or 216 (24 × 3 × 3).
         *
         * @return the output width
         */
        public int outputSize() {
            return outputSize;
        }
    }

    /** Validates every field; see the record description for the ranges. */
    public RegressorConfig {
        checkKind(kind);
        Checks.positive("fce1", fce1);
        Checks.positive("fce2", fce2);
        Checks.positive("fce3", fce3);
        Checks.positive("fce4", fce4);
        Checks.positive("fce41", fce41);
        Checks.positive("fce42", fce42);
        Checks.positive("fce5", fce5);
        Checks.positive("fce43", fce43);
        Checks.belowOne("bnDecay", "a momentum", bnDecay);
        Checks.positiveFinite("bnEps", bnEps);
    }

    /**
     * The configuration of the paper and the released code (SPEC 5): trunk 1024/1024/512/512/512, branches
     * 256/256 (A) and 256 (B), batch-norm momentum 0.99 and ε 1e-3; 2 485 779 trainable parameters for Ψ and
     * 2 768 392 for Ω.
     *
     * @param kind which regressor
     * @return the paper preset, seed 0
     * @throws IllegalArgumentException kind: expected SHAPE or POSE, got null
     */
    public static RegressorConfig paper(Kind kind) {
        return preset(kind, 1024, 1024, 512, 256);
    }

    /**
     * A narrower network that trains on a CPU in minutes: trunk 256/256/128/128/128, branches 64/64 (A) and 64
     * (B), otherwise as {@link #paper(Kind)}.
     *
     * @param kind which regressor
     * @return the demo preset, seed 0
     * @throws IllegalArgumentException kind: expected SHAPE or POSE, got null
     */
    public static RegressorConfig demo(Kind kind) {
        return preset(kind, 256, 256, 128, 64);
    }

    // The one place the preset numbers live: the trunk narrows once (wide → narrow), the branches share a width.
    private static RegressorConfig preset(Kind kind, int wide1, int wide2, int narrow, int branch) {
        return new Builder().kind(kind).fce1(wide1).fce2(wide2).fce3(narrow).fce4(narrow).fce41(narrow)
                .fce42(branch).fce5(branch).fce43(branch).bnDecay(0.99).bnEps(1e-3).seed(0).build();
    }

    /**
     * A builder holding the {@link #paper(Kind)} values for {@link Kind#SHAPE}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return paper(Kind.SHAPE).toBuilder();
    }

    /**
     * A builder holding this configuration's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder().kind(kind).fce1(fce1).fce2(fce2).fce3(fce3).fce4(fce4).fce41(fce41).fce42(fce42)
                .fce5(fce5).fce43(fce43).bnDecay(bnDecay).bnEps(bnEps).seed(seed);
    }

    /**
     * The values per input sample, from the kind: 41 (Ψ) or 123 (Ω).
     *
     * @return the input width
     */
    public int inputSize() {
        return kind.inputSize();
    }

    /**
     * The values per output sample, from the kind: 11 (Ψ) or 216 (Ω).
     *
     * @return the output width
     */
    public int outputSize() {
        return kind.outputSize();
    }

    /**
     * The name of the preset this configuration equals, for manifests and logs.
     *
     * @return {@code "paper"}, {@code "demo"}, or {@code "custom"}
     */
    public String presetName() {
        if (equals(paper(kind))) {
            return "paper";
        }
        return equals(demo(kind)) ? "demo" : "custom";
    }

    private static void checkKind(Kind value) {
        if (value == null) {
            throw new IllegalArgumentException("kind: expected SHAPE or POSE, got null");
        }
    }

    /** Builds a {@link RegressorConfig}; every setter checks its value at once. Reusable. */
    public static final class Builder {
        private Kind kind;
        private int fce1;
        private int fce2;
        private int fce3;
        private int fce4;
        private int fce41;
        private int fce42;
        private int fce5;
        private int fce43;
        private double bnDecay;
        private double bnEps;
        private long seed;

        private Builder() {
        }

        /**
         * @param value which regressor, not null
         * @return this builder
         */
        public Builder kind(Kind value) {
            checkKind(value);
            kind = value;
            return this;
        }

        /**
         * @param value the width of fce1, at least 1
         * @return this builder
         */
        public Builder fce1(int value) {
            fce1 = Checks.positive("fce1", value);
            return this;
        }

        /**
         * @param value the width of fce2, at least 1
         * @return this builder
         */
        public Builder fce2(int value) {
            fce2 = Checks.positive("fce2", value);
            return this;
        }

        /**
         * @param value the width of fce3, at least 1
         * @return this builder
         */
        public Builder fce3(int value) {
            fce3 = Checks.positive("fce3", value);
            return this;
        }

        /**
         * @param value the width of fce4, at least 1
         * @return this builder
         */
        public Builder fce4(int value) {
            fce4 = Checks.positive("fce4", value);
            return this;
        }

        /**
         * @param value the width of fce41, at least 1
         * @return this builder
         */
        public Builder fce41(int value) {
            fce41 = Checks.positive("fce41", value);
            return this;
        }

        /**
         * @param value the width of fce42 (branch A), at least 1
         * @return this builder
         */
        public Builder fce42(int value) {
            fce42 = Checks.positive("fce42", value);
            return this;
        }

        /**
         * @param value the width of fce5 (branch A), at least 1
         * @return this builder
         */
        public Builder fce5(int value) {
            fce5 = Checks.positive("fce5", value);
            return this;
        }

        /**
         * @param value the width of fce43 (branch B), at least 1
         * @return this builder
         */
        public Builder fce43(int value) {
            fce43 = Checks.positive("fce43", value);
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
        public RegressorConfig build() {
            return new RegressorConfig(kind, fce1, fce2, fce3, fce4, fce41, fce42, fce5, fce43, bnDecay, bnEps,
                    seed);
        }
    }
}
