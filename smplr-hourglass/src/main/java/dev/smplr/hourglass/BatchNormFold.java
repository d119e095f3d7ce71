package dev.smplr.hourglass;

import java.util.Arrays;

/**
 * Inference batch norm folded into a per-channel affine map for {@link NhwcKernels#scaleShift}:
 * {@code y = γ·(x − μ)/sqrt(σ² + ε) + β = scale·x + shift} with {@code scale = γ/sqrt(σ² + ε)} and
 * {@code shift = β − μ·scale}, computed in float64. Without γ (the release's offset-only batch norm) γ = 1.
 * Immutable: both arrays are private copies, exposed to kernels only.
 */
final class BatchNormFold {
    final float[] scale;
    final float[] shift;

    private BatchNormFold(float[] scale, float[] shift) {
        this.scale = scale;
        this.shift = shift;
    }

    /**
     * Folds running statistics.
     *
     * @param gamma (c) scale γ, or {@code null} for none (γ = 1); not modified
     * @param beta (c) offset β, or {@code null} for none (β = 0); not modified
     * @param mean (c) running mean μ; not modified
     * @param variance (c) running variance σ² (at least 0); not modified
     * @param eps ε, at least 0
     * @return the folded map
     * @throws IllegalArgumentException "gamma: expected c values, got m" (and likewise for the others)
     */
    static BatchNormFold fold(float[] gamma, float[] beta, float[] mean, float[] variance, double eps) {
        int c = mean.length;
        check("gamma", gamma, c);
        check("beta", beta, c);
        check("variance", variance, c);
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("eps: expected at least 0, got " + eps);
        }
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int i = 0; i < c; i++) {
            if (!(variance[i] >= 0)) {
                throw new IllegalArgumentException("variance[" + i + "]: expected at least 0, got " + variance[i]);
            }
            double s = (gamma == null ? 1.0 : gamma[i]) / Math.sqrt(variance[i] + eps);
            scale[i] = (float) s;
            shift[i] = (float) ((beta == null ? 0.0 : beta[i]) - mean[i] * s);
        }
        return new BatchNormFold(scale, shift);
    }

    private static void check(String name, float[] values, int c) {
        if (values != null && values.length != c) {
            throw new IllegalArgumentException(name + ": expected " + c + " values (one per channel of mean), got "
                    + values.length);
        }
    }

    @Override
    public String toString() {
        return "BatchNormFold[" + scale.length + " channels, scale " + Arrays.toString(Arrays.copyOf(scale,
                Math.min(3, scale.length))) + "…]";
    }
}
