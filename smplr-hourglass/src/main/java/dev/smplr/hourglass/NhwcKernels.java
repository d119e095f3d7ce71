package dev.smplr.hourglass;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inference kernels of the hourglass on {@link NhwcTensor}s (float32, batch-major NHWC): convolutions as ND4J
 * (OpenBLAS) sgemm calls on views of the tensors' own buffers, and the element-wise steps as plain loops, a row
 * at a time through small scratch arrays ({@link NhwcTensor#getRow}), which the JIT vectorises where it does not
 * vectorise per-element buffer access. Callers own every tensor and reuse them.
 *
 * <p>Why GEMMs: on this project's CPUs DL4J's {@code ConvolutionLayer} runs at 7–14 GFLOP/s, while the same
 * convolutions written as sgemm calls on NHWC buffers run near the sgemm ceiling (BENCHMARKS.md, "Convolutions
 * for the hourglass"). A 1×1 convolution is one product (pixels × cin)·(cin × cout); a 3×3 one with zero padding
 * 1 is nine products accumulated on the padded grid, whose input rows for tap {@code (ky, kx)} are the padded
 * pixel matrix shifted by {@code ky·(w + 2) + kx} rows (no im2col copy).
 *
 * <p>Element-wise kernels read and write interior pixels only, so borders stay as they were; an output may be
 * the same tensor as an input where the Javadoc says so.
 */
final class NhwcKernels {
    private NhwcKernels() {
    }

    /**
     * 1×1 convolution: {@code out[p, co] = sum_ci in[p, ci]·W[ci, co] + beta·out[p, co]} for every pixel p.
     *
     * @param in (n, h, w, cin), no border; not modified
     * @param weights 1×1 weights, or any weights whose matrix has {@code in.c} rows (im2col columns); not
     *     modified
     * @param beta 0 to overwrite {@code out}, 1 to accumulate into it
     * @param out (n, h, w, cout), no border; modified
     */
    static void conv1x1(NhwcTensor in, ConvWeights weights, float beta, NhwcTensor out) {
        if (in.pad != 0 || out.pad != 0) {
            throw new IllegalArgumentException("conv1x1: expected tensors without border, got in " + in.shape()
                    + ", out " + out.shape());
        }
        requirePixels("conv1x1", in, out);
        if (weights.matrix.rows() != in.c || weights.cout != out.c) {
            throw new IllegalArgumentException("conv1x1: weights (" + weights.matrix.rows() + " × " + weights.cout
                    + ") do not fit in " + in.shape() + " and out " + out.shape());
        }
        gemm(in.rows(), weights.matrix, beta, out.rows());
    }

    /**
     * 3×3 convolution, stride 1, zero padding 1, no bias:
     * {@code out[b, y, x, co] = sum_{ky, kx, ci} in[b, y + ky − 1, x + kx − 1, ci]·W[ky, kx, ci, co]}, computed as
     * nine accumulated GEMMs on the padded grid ({@link NhwcTensor#taps3x3()}, {@link NhwcTensor#gridRows()}).
     *
     * @param in (n, h, w, cin) with pad 1 and a zero border; not modified
     * @param weights 3×3 weights (cin → cout); not modified
     * @param out (n, h, w, cout) with pad 1; interior modified, border overwritten with garbage
     */
    static void conv3x3(NhwcTensor in, ConvWeights weights, NhwcTensor out) {
        if (in.pad != 1 || !in.zeroBorder || out.pad != 1 || out.zeroBorder) {
            throw new IllegalArgumentException("conv3x3: expected in with a zero border of 1 and out with a"
                    + " scratch border of 1, got in " + in.shape() + " (zero border " + in.zeroBorder + "), out "
                    + out.shape() + " (zero border " + out.zeroBorder + ")");
        }
        requirePixels("conv3x3", in, out);
        if (weights.k != 3 || weights.cin != in.c || weights.cout != out.c) {
            throw new IllegalArgumentException("conv3x3: expected 3×3 weights " + in.c + " → " + out.c + ", got "
                    + weights.k + "×" + weights.k + " " + weights.cin + " → " + weights.cout);
        }
        INDArray[] taps = in.taps3x3();
        INDArray target = out.gridRows();
        for (int t = 0; t < 9; t++) {
            gemm(taps[t], weights.taps[t], t == 0 ? 0f : 1f, target);
        }
    }

    /**
     * Strided convolution with zero padding through im2col (the stem's 6×6, stride 2, pad 2): writes the column
     * matrix, then one GEMM. Output size {@code ho = (h + 2·pad − k)/stride + 1}, likewise {@code wo}.
     *
     * <p>{@code cols[b, oy, ox, (ky·k + kx)·cin + ci] = in[b, ci, oy·stride + ky − pad, ox·stride + kx − pad]}
     * (0 outside the image), then {@code out = cols·W}.
     *
     * @param in NCHW input (n, cin, h, w) at {@code in[inOff + ((b·cin + ci)·h + y)·w + x]}; not modified
     * @param inOff offset of element 0 in {@code in}
     * @param cin input channels
     * @param h input height
     * @param w input width
     * @param weights k×k weights (cin → cout); not modified
     * @param stride stride, at least 1
     * @param pad zero padding on every side, at least 0
     * @param cols (n, ho, wo, k·k·cin), no border; modified (scratch)
     * @param out (n, ho, wo, cout), no border; modified
     */
    static void convIm2col(FloatBuffer in, int inOff, int cin, int h, int w, ConvWeights weights, int stride,
            int pad, NhwcTensor cols, NhwcTensor out) {
        int k = weights.k;
        int ho = (h + 2 * pad - k) / stride + 1;
        int wo = (w + 2 * pad - k) / stride + 1;
        if (weights.cin != cin || cols.pad != 0 || cols.h != ho || cols.w != wo || cols.c != k * k * cin) {
            throw new IllegalArgumentException("convIm2col: expected cols (n, " + ho + ", " + wo + ", " + k * k * cin
                    + ") for " + k + "×" + k + " weights " + weights.cin + " → " + weights.cout + " on " + cin
                    + " channels, got cols " + cols.shape());
        }
        if (in.limit() - inOff < (long) cols.n * cin * h * w) {
            throw new IllegalArgumentException("in: expected at least " + (long) cols.n * cin * h * w
                    + " floats from offset " + inOff + ", got " + (in.limit() - inOff));
        }
        FloatBuffer cd = cols.data;
        int kkc = k * k * cin;
        // one output row of cols (wo pixels × k·k·cin) per task, gathered in a scratch row and stored at once
        NhwcRows.forEach(cols.n, ho, cols.interiorFloats(), NhwcRows.arrays(1, wo * kkc), (b, oy, scratch) -> {
            float[] row = scratch[0];
            for (int ox = 0; ox < wo; ox++) {
                for (int ky = 0; ky < k; ky++) {
                    int y = oy * stride + ky - pad;
                    for (int kx = 0; kx < k; kx++) {
                        int x = ox * stride + kx - pad;
                        int dst = ox * kkc + (ky * k + kx) * cin;
                        boolean inside = y >= 0 && y < h && x >= 0 && x < w;
                        for (int ci = 0; ci < cin; ci++) {
                            row[dst + ci] = inside ? in.get(inOff + ((b * cin + ci) * h + y) * w + x) : 0f;
                        }
                    }
                }
            }
            cd.put(cols.offset(b, oy, 0), row, 0, row.length);
        });
        conv1x1(cols, weights, 0f, out);
    }

    /**
     * Per-channel affine map with optional ReLU (inference batch norm folded into {@code scale}, {@code shift}):
     * {@code out[p, ch] = max(0, in[p, ch]·scale[ch] + shift[ch])} (without the max when {@code relu} is false),
     * interior pixels only. {@code out} may be {@code in}.
     *
     * @param in (n, h, w, c), any border; not modified unless it is {@code out}
     * @param scale (c); not modified
     * @param shift (c); not modified
     * @param relu whether to clamp at 0
     * @param out (n, h, w, c), any border; interior modified
     */
    static void scaleShift(NhwcTensor in, float[] scale, float[] shift, boolean relu, NhwcTensor out) {
        requireSame("scaleShift", in, out);
        int c = in.c;
        if (scale.length != c || shift.length != c) {
            throw new IllegalArgumentException("scaleShift: expected scale and shift of " + c + " channels, got "
                    + scale.length + " and " + shift.length);
        }
        NhwcRows.forEach(in.n, in.h, in.interiorFloats(), NhwcRows.arrays(1, in.w * c), (b, y, scratch) -> {
            float[] row = scratch[0];
            in.getRow(b, y, row);
            for (int j = 0; j < row.length; j += c) {
                if (relu) {
                    for (int ch = 0; ch < c; ch++) {
                        row[j + ch] = Math.max(row[j + ch] * scale[ch] + shift[ch], 0f);
                    }
                } else {
                    for (int ch = 0; ch < c; ch++) {
                        row[j + ch] = row[j + ch] * scale[ch] + shift[ch];
                    }
                }
            }
            out.putRow(b, y, row);
        });
    }

    /**
     * 2×2 max pooling, stride 2 (odd sizes drop the last row or column):
     * {@code out[b, y, x, ch] = max_{dy, dx ∈ {0, 1}} in[b, 2y + dy, 2x + dx, ch]}.
     *
     * @param in (n, h, w, c), any border; not modified
     * @param out (n, h/2, w/2, c), any border; interior modified
     */
    static void maxPool2(NhwcTensor in, NhwcTensor out) {
        if (in.n != out.n || in.c != out.c || out.h != in.h / 2 || out.w != in.w / 2 || out.h < 1 || out.w < 1) {
            throw new IllegalArgumentException("maxPool2: expected out (" + in.n + ", " + in.h / 2 + ", "
                    + in.w / 2 + ", " + in.c + ") for in " + in.shape() + ", got " + out.shape());
        }
        int c = in.c;
        NhwcRows.forEach(out.n, out.h, in.interiorFloats(), new int[] {in.w * c, in.w * c, out.w * c},
                (b, y, scratch) -> {
                    float[] top = scratch[0];
                    float[] bottom = scratch[1];
                    float[] row = scratch[2];
                    in.getRow(b, 2 * y, top);
                    in.getRow(b, 2 * y + 1, bottom);
                    for (int x = 0; x < out.w; x++) {
                        int i = 2 * x * c;
                        for (int ch = 0; ch < c; ch++) {
                            row[x * c + ch] = Math.max(Math.max(top[i + ch], top[i + c + ch]),
                                    Math.max(bottom[i + ch], bottom[i + c + ch]));
                        }
                    }
                    out.putRow(b, y, row);
                });
    }

    /**
     * Nearest-neighbour ×2 upsampling: {@code out[b, y, x, ch] = in[b, y/2, x/2, ch]}.
     *
     * @param in (n, h, w, c), any border; not modified
     * @param out (n, 2h, 2w, c), any border; interior modified
     */
    static void upsample2(NhwcTensor in, NhwcTensor out) {
        requireDoubled("upsample2", in, out);
        int c = in.c;
        NhwcRows.forEach(out.n, out.h, out.interiorFloats(), new int[] {in.w * c, out.w * c}, (b, y, scratch) -> {
            float[] low = scratch[0];
            float[] row = scratch[1];
            in.getRow(b, y >> 1, low);
            for (int x = 0; x < out.w; x++) {
                System.arraycopy(low, (x >> 1) * c, row, x * c, c);
            }
            out.putRow(b, y, row);
        });
    }

    /**
     * The hourglass merge: {@code out[b, y, x, ch] = a[b, y, x, ch] + low[b, y/2, x/2, ch]}, i.e. {@code a} plus
     * the nearest ×2 upsampling of {@code low}. {@code out} may be {@code a}.
     *
     * @param a (n, 2h, 2w, c), any border; not modified unless it is {@code out}
     * @param low (n, h, w, c), any border; not modified
     * @param out (n, 2h, 2w, c), any border; interior modified
     */
    static void addUpsampled2(NhwcTensor a, NhwcTensor low, NhwcTensor out) {
        requireSame("addUpsampled2", a, out);
        requireDoubled("addUpsampled2", low, out);
        int c = a.c;
        NhwcRows.forEach(out.n, out.h, out.interiorFloats(), new int[] {low.w * c, out.w * c}, (b, y, scratch) -> {
            float[] lowRow = scratch[0];
            float[] row = scratch[1];
            a.getRow(b, y, row);
            low.getRow(b, y >> 1, lowRow);
            for (int x = 0; x < out.w; x++) {
                int l = (x >> 1) * c;
                int o = x * c;
                for (int ch = 0; ch < c; ch++) {
                    row[o + ch] += lowRow[l + ch];
                }
            }
            out.putRow(b, y, row);
        });
    }

    /**
     * Sum: {@code out = a + b}, interior pixels. {@code out} may be {@code a} or {@code b}.
     *
     * @param a (n, h, w, c), any border; not modified unless it is {@code out}
     * @param b (n, h, w, c), any border; not modified unless it is {@code out}
     * @param out (n, h, w, c), any border; interior modified
     */
    static void add(NhwcTensor a, NhwcTensor b, NhwcTensor out) {
        requireSame("add", a, out);
        requireSame("add", b, out);
        NhwcRows.forEach(a.n, a.h, a.interiorFloats(), NhwcRows.arrays(2, a.w * a.c), (n, y, scratch) -> {
            float[] rowA = scratch[0];
            float[] rowB = scratch[1];
            a.getRow(n, y, rowA);
            b.getRow(n, y, rowB);
            for (int e = 0; e < rowA.length; e++) {
                rowA[e] += rowB[e];
            }
            out.putRow(n, y, rowA);
        });
    }

    /**
     * Copy: {@code out = in}, interior pixels.
     *
     * @param in (n, h, w, c), any border; not modified
     * @param out (n, h, w, c), any border; interior modified
     */
    static void copy(NhwcTensor in, NhwcTensor out) {
        requireSame("copy", in, out);
        if (in == out) {
            return;
        }
        int rowLength = in.w * in.c;
        if (in.pad == 0 && out.pad == 0) {
            out.data.put(0, in.data, 0, in.n * in.h * rowLength);
            return;
        }
        for (int b = 0; b < in.n; b++) {
            for (int y = 0; y < in.h; y++) {
                out.data.put(out.offset(b, y, 0), in.data, in.offset(b, y, 0), rowLength);
            }
        }
    }

    /** Row-major {@code c = a·b + beta·c} through ND4J's sgemm; c must be a contiguous row block. */
    private static void gemm(INDArray a, INDArray b, float beta, INDArray c) {
        Nd4j.gemm(a, b, c, false, false, 1.0, beta);
    }

    private static void requireSame(String op, NhwcTensor a, NhwcTensor out) {
        if (!a.sameShape(out)) {
            throw new IllegalArgumentException(op + ": expected tensors of the same shape, got " + a.shape()
                    + " and " + out.shape());
        }
    }

    private static void requirePixels(String op, NhwcTensor in, NhwcTensor out) {
        if (in.n != out.n || in.h != out.h || in.w != out.w) {
            throw new IllegalArgumentException(op + ": expected in and out with the same n, h, w, got "
                    + in.shape() + " and " + out.shape());
        }
    }

    private static void requireDoubled(String op, NhwcTensor low, NhwcTensor out) {
        if (low.n != out.n || low.c != out.c || out.h != 2 * low.h || out.w != 2 * low.w) {
            throw new IllegalArgumentException(op + ": expected (" + low.n + ", " + 2 * low.h + ", " + 2 * low.w
                    + ", " + low.c + ") for the ×2 upsampling of " + low.shape() + ", got " + out.shape());
        }
    }
}
