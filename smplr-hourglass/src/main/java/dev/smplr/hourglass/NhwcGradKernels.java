package dev.smplr.hourglass;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training kernels of the hourglass on {@link NhwcTensor}s, the backward companions of {@link NhwcKernels}: batch
 * statistics, batch-norm + ReLU backward, max-pool and upsampling backward, dropout masks, and the weight and input
 * gradients of the GEMM convolutions (again sgemm calls on views of the tensors' buffers). Element-wise kernels read
 * and write interior pixels only, a row at a time through small scratch arrays ({@link NhwcTensor#getRow}).
 *
 * <p>Shapes follow {@link NhwcTensor}: (n, h, w, c), channel {@code ch} of pixel (b, y, x) at
 * {@code offset(b, y, x) + ch}; M = n·h·w is the number of pixels a batch-norm channel averages over.
 */
final class NhwcGradKernels {
    private NhwcGradKernels() {
    }

    /**
     * Batch statistics per channel over all interior pixels (each row summed in float32, the rows in float64):
     * {@code mean[ch] = (1/M) Σ_p in[p, ch]}, {@code var[ch] = (1/M) Σ_p (in[p, ch] − mean[ch])²} (biased, as
     * DL4J's {@code BatchNormalization} in training).
     *
     * @param in (n, h, w, c), any border; not modified
     * @param mean (c); modified
     * @param var (c); modified
     */
    static void meanVariance(NhwcTensor in, double[] mean, double[] var) {
        int c = in.c;
        if (mean.length != c || var.length != c) {
            throw new IllegalArgumentException("meanVariance: expected mean and var of " + c + " channels, got "
                    + mean.length + " and " + var.length);
        }
        int rows = in.n * in.h;
        // Per row in float (at most w terms per channel), one partial per row; across rows in float64, in row order.
        float[] partials = new float[rows * c];
        NhwcRows.forEach(in.n, in.h, in.interiorFloats(), NhwcRows.arrays(1, in.w * c), (b, y, scratch) -> {
            float[] row = scratch[0];
            in.getRow(b, y, row);
            int p = (b * in.h + y) * c;
            for (int j = 0; j < row.length; j += c) {
                for (int ch = 0; ch < c; ch++) {
                    partials[p + ch] += row[j + ch];
                }
            }
        });
        sumRows(partials, rows, mean);
        double m = (double) in.n * in.h * in.w;
        float[] meanF = new float[c];
        for (int ch = 0; ch < c; ch++) {
            mean[ch] /= m;
            meanF[ch] = (float) mean[ch];
        }
        // Two passes: Σ (x − mean)² does not cancel like Σ x² − M·mean².
        java.util.Arrays.fill(partials, 0f);
        NhwcRows.forEach(in.n, in.h, in.interiorFloats(), NhwcRows.arrays(1, in.w * c), (b, y, scratch) -> {
            float[] row = scratch[0];
            in.getRow(b, y, row);
            int p = (b * in.h + y) * c;
            for (int j = 0; j < row.length; j += c) {
                for (int ch = 0; ch < c; ch++) {
                    float d = row[j + ch] - meanF[ch];
                    partials[p + ch] += d * d;
                }
            }
        });
        sumRows(partials, rows, var);
        for (int ch = 0; ch < c; ch++) {
            var[ch] /= m;
        }
    }

    /**
     * Backward of {@code act = relu(γ·x̂ + β)} with {@code x̂ = (x − mean)·invStd} and batch statistics: with
     * {@code dy = dAct·[act &gt; 0]},
     * <pre>
     * dβ[ch] = Σ_p dy,   dγ[ch] = Σ_p dy·x̂,
     * dx     = γ·invStd·(dy − dβ/M − x̂·dγ/M)
     * </pre>
     * (the mean and variance depend on x; this is DL4J's formula with its Σ(x − mean) = 0 term dropped).
     *
     * @param x the batch norm's input (n, h, w, c), any border; not modified
     * @param mean (c) batch mean; not modified
     * @param invStd (c) {@code 1/sqrt(var + ε)}; not modified
     * @param gamma (c) γ; not modified
     * @param act the ReLU's output (n, h, w, c), any border; not modified
     * @param dAct gradient at {@code act}, any border; not modified
     * @param accumulate true to add into {@code dx}, false to overwrite it
     * @param dx gradient at x (n, h, w, c), any border; interior modified
     * @param dGamma (c) dγ; modified
     * @param dBeta (c) dβ; modified
     */
    static void batchNormReluBackward(NhwcTensor x, float[] mean, float[] invStd, float[] gamma, NhwcTensor act,
            NhwcTensor dAct, boolean accumulate, NhwcTensor dx, double[] dGamma, double[] dBeta) {
        requireSame("batchNormReluBackward", x, act);
        requireSame("batchNormReluBackward", x, dAct);
        requireSame("batchNormReluBackward", x, dx);
        int c = x.c;
        int rowLength = x.w * c;
        int rows = x.n * x.h;
        float[] partialGamma = new float[rows * c];
        float[] partialBeta = new float[rows * c];
        NhwcRows.forEach(x.n, x.h, x.interiorFloats(), NhwcRows.arrays(3, rowLength), (b, y, scratch) -> {
            float[] xr = scratch[0];
            float[] ar = scratch[1];
            float[] gr = scratch[2];
            x.getRow(b, y, xr);
            act.getRow(b, y, ar);
            dAct.getRow(b, y, gr);
            int p = (b * x.h + y) * c;
            for (int j = 0; j < rowLength; j += c) {
                for (int ch = 0; ch < c; ch++) {
                    float dy = reluMask(ar[j + ch]) * gr[j + ch];
                    partialBeta[p + ch] += dy;
                    partialGamma[p + ch] += dy * (xr[j + ch] - mean[ch]);
                }
            }
        });
        // across rows in float64, in row order
        java.util.Arrays.fill(dGamma, 0);
        java.util.Arrays.fill(dBeta, 0);
        for (int r = 0; r < rows; r++) {
            for (int ch = 0; ch < c; ch++) {
                dBeta[ch] += partialBeta[r * c + ch];
                dGamma[ch] += (double) partialGamma[r * c + ch] * invStd[ch];
            }
        }
        double m = (double) x.n * x.h * x.w;
        float[] k = new float[c];
        float[] meanDy = new float[c];
        float[] meanDyXhat = new float[c];
        for (int ch = 0; ch < c; ch++) {
            k[ch] = gamma[ch] * invStd[ch];
            meanDy[ch] = (float) (dBeta[ch] / m);
            meanDyXhat[ch] = (float) (dGamma[ch] / m);
        }
        NhwcRows.forEach(x.n, x.h, x.interiorFloats(), NhwcRows.arrays(4, rowLength), (b, y, scratch) -> {
            float[] xr = scratch[0];
            float[] ar = scratch[1];
            float[] gr = scratch[2];
            float[] dr = scratch[3];
            x.getRow(b, y, xr);
            act.getRow(b, y, ar);
            dAct.getRow(b, y, gr);
            if (accumulate) {
                dx.getRow(b, y, dr);
            }
            for (int j = 0; j < rowLength; j += c) {
                for (int ch = 0; ch < c; ch++) {
                    float dy = reluMask(ar[j + ch]) * gr[j + ch];
                    float xhat = (xr[j + ch] - mean[ch]) * invStd[ch];
                    float v = k[ch] * (dy - meanDy[ch] - xhat * meanDyXhat[ch]);
                    dr[j + ch] = accumulate ? dr[j + ch] + v : v;
                }
            }
            dx.putRow(b, y, dr);
        });
    }

    /**
     * {@code [a > 0]} for a ReLU output {@code a ≥ 0}, without a branch (a compare-and-branch per element keeps the
     * JIT from vectorising the loops above and mispredicts half the time): 1 for every positive normal float and
     * +∞, 0 for 0. (A subnormal positive activation would get a fraction; a ReLU output below 1.2e-38 does not
     * occur in practice.)
     */
    static float reluMask(float a) {
        return Math.min(1f, a * Float.MAX_VALUE);
    }

    /**
     * Backward of 2×2 max pooling, stride 2: each output's gradient goes to the first maximum of its window in
     * the order (0, 0), (0, 1), (1, 0), (1, 1), added to {@code dIn}.
     *
     * @param in the pooling's input (n, h, w, c), any border; not modified
     * @param dOut (n, h/2, w/2, c), any border; not modified
     * @param dIn (n, h, w, c), any border; interior modified (added to)
     */
    static void maxPool2Backward(NhwcTensor in, NhwcTensor dOut, NhwcTensor dIn) {
        requireSame("maxPool2Backward", in, dIn);
        if (dOut.n != in.n || dOut.c != in.c || dOut.h != in.h / 2 || dOut.w != in.w / 2) {
            throw new IllegalArgumentException("maxPool2Backward: expected dOut (" + in.n + ", " + in.h / 2 + ", "
                    + in.w / 2 + ", " + in.c + "), got " + dOut.shape());
        }
        int c = in.c;
        int rowIn = in.w * c;
        NhwcRows.forEach(dOut.n, dOut.h, in.interiorFloats(), new int[] {rowIn, rowIn, rowIn, rowIn, dOut.w * c},
                (b, y, scratch) -> {
                    float[] top = scratch[0];
                    float[] bottom = scratch[1];
                    float[] dTop = scratch[2];
                    float[] dBottom = scratch[3];
                    float[] g = scratch[4];
                    in.getRow(b, 2 * y, top);
                    in.getRow(b, 2 * y + 1, bottom);
                    dIn.getRow(b, 2 * y, dTop);
                    dIn.getRow(b, 2 * y + 1, dBottom);
                    dOut.getRow(b, y, g);
                    for (int x = 0; x < dOut.w; x++) {
                        int i = 2 * x * c;
                        for (int ch = 0; ch < c; ch++) {
                            float best = top[i + ch];
                            int first = 0;
                            // the first maximum in the order (0, 0), (0, 1), (1, 0), (1, 1)
                            if (top[i + c + ch] > best) {
                                best = top[i + c + ch];
                                first = 1;
                            }
                            if (bottom[i + ch] > best) {
                                best = bottom[i + ch];
                                first = 2;
                            }
                            if (bottom[i + c + ch] > best) {
                                first = 3;
                            }
                            float gradient = g[x * c + ch];
                            switch (first) {
                                case 0 -> dTop[i + ch] += gradient;
                                case 1 -> dTop[i + c + ch] += gradient;
                                case 2 -> dBottom[i + ch] += gradient;
                                default -> dBottom[i + c + ch] += gradient;
                            }
                        }
                    }
                    dIn.putRow(b, 2 * y, dTop);
                    dIn.putRow(b, 2 * y + 1, dBottom);
                });
    }

    /**
     * Backward of nearest ×2 upsampling: {@code dLow[b, y, x, ch] += Σ_{dy, dx ∈ {0, 1}} dOut[b, 2y + dy, 2x + dx,
     * ch]}.
     *
     * @param dOut (n, 2h, 2w, c), any border; not modified
     * @param dLow (n, h, w, c), any border; interior modified (added to)
     */
    static void upsample2Backward(NhwcTensor dOut, NhwcTensor dLow) {
        if (dLow.n != dOut.n || dLow.c != dOut.c || dOut.h != 2 * dLow.h || dOut.w != 2 * dLow.w) {
            throw new IllegalArgumentException("upsample2Backward: expected dOut (" + dLow.n + ", " + 2 * dLow.h
                    + ", " + 2 * dLow.w + ", " + dLow.c + ") for dLow " + dLow.shape() + ", got " + dOut.shape());
        }
        int c = dLow.c;
        NhwcRows.forEach(dLow.n, dLow.h, dOut.interiorFloats(), new int[] {dOut.w * c, dOut.w * c, dLow.w * c},
                (b, y, scratch) -> {
                    float[] top = scratch[0];
                    float[] bottom = scratch[1];
                    float[] row = scratch[2];
                    dOut.getRow(b, 2 * y, top);
                    dOut.getRow(b, 2 * y + 1, bottom);
                    dLow.getRow(b, y, row);
                    for (int x = 0; x < dLow.w; x++) {
                        int i = 2 * x * c;
                        int o = x * c;
                        for (int ch = 0; ch < c; ch++) {
                            row[o + ch] += top[i + ch] + top[i + c + ch] + bottom[i + ch] + bottom[i + c + ch];
                        }
                    }
                    dLow.putRow(b, y, row);
                });
    }

    /**
     * Element-wise product with a mask over all stored values: {@code out[i] = in[i]·mask[i]} (dropout forward, or
     * backward with {@code in} the gradient). {@code out} may be {@code in}.
     *
     * @param in (n, h, w, c) without border; not modified unless it is {@code out}
     * @param mask (n·h·w·c) kept values scaled by 1/keep, dropped ones 0; not modified
     * @param out (n, h, w, c) without border; modified
     */
    static void multiply(NhwcTensor in, float[] mask, NhwcTensor out) {
        requireSame("multiply", in, out);
        int length = in.n * in.h * in.w * in.c;
        if (in.pad != 0 || out.pad != 0 || mask.length < length) {
            throw new IllegalArgumentException("multiply: expected tensors without border and a mask of " + length
                    + " values, got " + in.shape() + ", " + out.shape() + ", mask " + mask.length);
        }
        NhwcRows.forEach(in.n, in.h, length, NhwcRows.arrays(1, in.w * in.c), (b, y, scratch) -> {
            float[] row = scratch[0];
            in.getRow(b, y, row);
            int m = (b * in.h + y) * row.length;
            for (int e = 0; e < row.length; e++) {
                row[e] *= mask[m + e];
            }
            out.putRow(b, y, row);
        });
    }

    /**
     * Weight gradient of a 1×1 convolution (or of an im2col one): {@code dW[ci, co] = Σ_p in[p, ci]·dOut[p, co]},
     * overwriting {@code dW}.
     *
     * @param in (n, h, w, cin) without border; not modified
     * @param dOut (n, h, w, cout) without border; not modified
     * @param dW (cin × cout) c-order; modified
     */
    static void conv1x1WeightGradient(NhwcTensor in, NhwcTensor dOut, INDArray dW) {
        if (in.pad != 0 || dOut.pad != 0) {
            throw new IllegalArgumentException("conv1x1WeightGradient: expected tensors without border, got "
                    + in.shape() + ", " + dOut.shape());
        }
        Nd4j.gemm(in.rows(), dOut.rows(), dW, true, false, 1.0, 0.0);
    }

    /**
     * Input gradient of a 1×1 convolution: {@code dIn[p, ci] = Σ_co dOut[p, co]·W[ci, co] + beta·dIn[p, ci]}.
     *
     * @param dOut (n, h, w, cout) without border; not modified
     * @param weights the convolution's weights (cin × cout); not modified
     * @param beta 0 to overwrite {@code dIn}, 1 to add into it
     * @param dIn (n, h, w, cin) without border; modified
     */
    static void conv1x1InputGradient(NhwcTensor dOut, ConvWeights weights, float beta, NhwcTensor dIn) {
        if (dIn.pad != 0 || dOut.pad != 0) {
            throw new IllegalArgumentException("conv1x1InputGradient: expected tensors without border, got "
                    + dOut.shape() + ", " + dIn.shape());
        }
        Nd4j.gemm(dOut.rows(), weights.matrix, dIn.rows(), false, true, 1.0, beta);
    }

    /**
     * Both gradients of the 3×3 convolution of {@link NhwcKernels#conv3x3} on the padded grid. With tap
     * {@code t = ky·3 + kx} and the grid rows r: {@code dW_t = Σ_r in[r + shift_t]ᵀ·dOut[r]} and
     * {@code dIn[r + shift_t] += dOut[r]·W_tᵀ}. {@code dOut}'s border must be zero so that the border rows of the
     * grid add nothing; {@code dIn} is cleared first and its border receives garbage.
     *
     * @param in the convolution's input (n, h, w, cin), pad 1, zero border; not modified
     * @param weights 3×3 weights (cin → cout); not modified
     * @param dOut (n, h, w, cout), pad 1, zero border; not modified
     * @param dW the nine (cin × cout) row blocks {@code dW_t} of the (9·cin × cout) YXIO weight gradient; modified
     * @param dIn (n, h, w, cin), pad 1, scratch border; modified
     */
    static void conv3x3Backward(NhwcTensor in, ConvWeights weights, NhwcTensor dOut, INDArray[] dW,
            NhwcTensor dIn) {
        if (in.pad != 1 || !in.zeroBorder || dOut.pad != 1 || !dOut.zeroBorder || dIn.pad != 1 || dIn.zeroBorder) {
            throw new IllegalArgumentException("conv3x3Backward: expected in and dOut with a zero border of 1 and"
                    + " dIn with a scratch border of 1, got " + in.shape() + " (zero " + in.zeroBorder + "), "
                    + dOut.shape() + " (zero " + dOut.zeroBorder + "), " + dIn.shape() + " (zero " + dIn.zeroBorder
                    + ")");
        }
        INDArray grid = dOut.gridRows();
        INDArray[] inTaps = in.taps3x3();
        INDArray[] dInTaps = dIn.taps3x3();
        dIn.array.assign(0);
        for (int t = 0; t < 9; t++) {
            Nd4j.gemm(inTaps[t], grid, dW[t], true, false, 1.0, 0.0);
            Nd4j.gemm(grid, weights.taps[t], dInTaps[t], false, true, 1.0, 1.0);
        }
    }

    /** {@code sum[ch] = Σ_r partials[r·c + ch]} over the rows r in order, in float64. */
    private static void sumRows(float[] partials, int rows, double[] sum) {
        int c = sum.length;
        java.util.Arrays.fill(sum, 0);
        for (int r = 0; r < rows; r++) {
            for (int ch = 0; ch < c; ch++) {
                sum[ch] += partials[r * c + ch];
            }
        }
    }

    private static void requireSame(String op, NhwcTensor a, NhwcTensor b) {
        if (!a.sameShape(b)) {
            throw new IllegalArgumentException(op + ": expected tensors of the same shape, got " + a.shape()
                    + " and " + b.shape());
        }
    }
}
