package dev.smplr.dae;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The DAE's inference pass in plain Java, with the weights copied out of a trained graph: the graph's
 * {@code output(false, x)} (dropout off, batch norm on its running statistics) without DL4J's per-call cost, which
 * dominates a single sample (about 10 ms per call against well under 1 ms of arithmetic on the demo preset).
 * <pre>
 * e1 = elu(bn(x W1 + b1)), e2 = elu(bn(e1 W2 + b2)), e3 = elu(bn(e2 W3 + b3)),
 * d2 = elu(bn(e3 W4 + b4)) + e2, d1 = elu(bn(d2 W5 + b5)) + e1, y = d1 W6 + b6 (+ x unless lifting)
 * </pre>
 * Batch norm at inference is an affine map per unit, {@code bn(z) = (z − mean)/σ·γ + β = z·s + t}, folded once
 * here. DL4J stores {@code log10stdev} = log10 √var and adds ε at inference, so σ = √(10^(2·log10stdev) + ε)
 * (checked against the graph to 1e-7). Immutable and thread-safe: each call uses its own scratch.
 */
final class DenoiserKernel {
    private static final String[] BLOCKS = {"enc1", "enc2", "enc3", "dec2", "dec1"};

    /** Per dense layer (the 5 blocks, then out): W (in, out) row-major at {@code i*out + o}, and b. */
    private final float[][] weights = new float[6][];
    private final float[][] biases = new float[6][];
    private final int[] inSizes = new int[6];
    private final int[] outSizes = new int[6];
    /** Per block: the folded batch norm, z·s + t. */
    private final float[][] scales = new float[5][];
    private final float[][] shifts = new float[5][];
    private final boolean residual;

    DenoiserKernel(ComputationGraph graph, DenoiserConfig config) {
        for (int k = 0; k < 6; k++) {
            Layer fc = graph.getLayer(k < 5 ? BLOCKS[k] + "_fc" : DenoiserNetwork.OUT);
            INDArray w = fc.getParam("W").castTo(DataType.FLOAT);
            inSizes[k] = (int) w.size(0);
            outSizes[k] = (int) w.size(1);
            weights[k] = w.dup('c').data().asFloat();
            biases[k] = fc.getParam("b").castTo(DataType.FLOAT).dup('c').data().asFloat();
        }
        double eps = config.bnEps();
        for (int k = 0; k < 5; k++) {
            Layer bn = graph.getLayer(BLOCKS[k] + "_bn");
            float[] gamma = floats(bn.getParam("gamma"));
            float[] beta = floats(bn.getParam("beta"));
            float[] mean = floats(bn.getParam("mean"));
            float[] log10std = floats(bn.getParam("log10stdev"));
            scales[k] = new float[gamma.length];
            shifts[k] = new float[gamma.length];
            for (int u = 0; u < gamma.length; u++) {
                double std = Math.pow(10, log10std[u]);
                double s = gamma[u] / Math.sqrt(std * std + eps);
                scales[k][u] = (float) s;
                shifts[k][u] = (float) (beta[u] - mean[u] * s);
            }
        }
        residual = !config.lifting();
    }

    private static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /**
     * One sample.
     *
     * @param x   the input, {@code inSizes[0]} values at {@code xOff}. Not modified.
     * @param y   the output, 123 values at {@code yOff}. Modified.
     */
    void forward(float[] x, int xOff, float[] y, int yOff) {
        float[] e1 = block(0, x, xOff, null);
        float[] e2 = block(1, e1, 0, null);
        float[] e3 = block(2, e2, 0, null);
        float[] d2 = block(3, e3, 0, e2);
        float[] d1 = block(4, d2, 0, e1);
        int n = outSizes[5];
        System.arraycopy(biases[5], 0, y, yOff, n);
        dense(5, d1, 0, y, yOff);
        if (residual) {
            for (int o = 0; o < n; o++) {
                y[yOff + o] += x[xOff + o];
            }
        }
    }

    /** elu(bn(x W + b)) (+ skip), a new array. */
    private float[] block(int k, float[] x, int xOff, float[] skip) {
        int n = outSizes[k];
        float[] h = biases[k].clone();
        dense(k, x, xOff, h, 0);
        float[] s = scales[k];
        float[] t = shifts[k];
        for (int o = 0; o < n; o++) {
            float z = h[o] * s[o] + t[o];
            h[o] = z > 0 ? z : (float) Math.expm1(z); // ELU, alpha 1
        }
        if (skip != null) {
            for (int o = 0; o < n; o++) {
                h[o] += skip[o];
            }
        }
        return h;
    }

    /** out[o] += sum_i x[i] · W[i, o], row by row so that the inner loop is an axpy the JIT vectorises. */
    private void dense(int k, float[] x, int xOff, float[] out, int outOff) {
        int in = inSizes[k];
        int n = outSizes[k];
        float[] w = weights[k];
        for (int i = 0; i < in; i++) {
            float xi = x[xOff + i];
            int row = i * n;
            for (int o = 0; o < n; o++) {
                out[outOff + o] += xi * w[row + o];
            }
        }
    }
}
