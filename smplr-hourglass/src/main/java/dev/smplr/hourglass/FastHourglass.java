package dev.smplr.hourglass;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inference of the stacked hourglass (SPEC.md section 6) on CPU without DL4J's layers: the same function as the
 * {@link HourglassNetwork} graph in inference mode (batch norm with running statistics, dropout = identity),
 * computed by {@link NhwcKernels} on NHWC buffers, about 5–10× faster on the development machine
 * (BENCHMARKS.md, "Hourglass inference").
 *
 * <p>The parameters are copied from a graph once ({@link #from}); later changes to the graph are not seen.
 * Intermediate tensors come from a pool keyed by shape, so after the first call with a given batch size a
 * forward pass allocates only its result. Calls are serialised ({@code synchronized}): the pool is shared.
 *
 * <p>Two entry points: {@link #outputs} returns every stack's head like {@code graph.output(false, image)};
 * {@link #lastOutput} returns the last stack's only. The intermediate heads are linear up to the next stack's
 * input ({@code next = llp(ll) + outp(out(ll)) + x}, dropout off), so {@code lastOutput} folds each intermediate
 * stack's three 1×1 convolutions into one (F × F) matrix {@code W_llp + W_out·W_outp} and skips the K-channel
 * heads it does not return; this saves about 30 % of the paper preset's FLOPs.
 */
final class FastHourglass {

    /** Pre-activation bottleneck Residual(C): BN-ReLU-1×1-BN-ReLU-3×3-BN-ReLU-1×1 + skip. */
    private record Residual(BatchNormFold bn1, ConvWeights conv1, BatchNormFold bn2, ConvWeights conv2,
                            BatchNormFold bn3, ConvWeights conv3, ConvWeights skip) {
    }

    /** One level of an hourglass; {@code inner} is the next level, or null at the innermost (then low2). */
    private record Level(Residual up1, Residual low1, Level inner, Residual low2, Residual low3) {
    }

    /** One stack: hourglass, ll (conv-BN-ReLU), head, and for intermediate stacks llp, outp and the fold. */
    private record Stack(Level hourglass, ConvWeights llConv, BatchNormFold llBn, ConvWeights out,
                         ConvWeights llp, ConvWeights outp, ConvWeights folded) {
    }

    private final HourglassConfig config;
    private final ConvWeights stemConv;
    private final Residual stem1;
    private final Residual stem2;
    private final Residual stem3;
    private final Stack[] stacks;
    private final NhwcPool pool = new NhwcPool();

    private FastHourglass(HourglassConfig config, ConvWeights stemConv, Residual stem1, Residual stem2,
            Residual stem3, Stack[] stacks) {
        this.config = config;
        this.stemConv = stemConv;
        this.stem1 = stem1;
        this.stem2 = stem2;
        this.stem3 = stem3;
        this.stacks = stacks;
    }

    /**
     * Copies the parameters of a graph built by {@link HourglassNetwork#build(HourglassConfig)} for
     * {@code config}.
     *
     * @param graph the hourglass graph; read, not modified
     * @param config the configuration it was built from
     * @return the inference engine
     * @throws IllegalArgumentException "layer: no layer named '…'" or a parameter of the wrong shape
     */
    static FastHourglass from(ComputationGraph graph, HourglassConfig config) {
        Reader r = new Reader(graph, config.bnEps());
        Stack[] stacks = new Stack[config.stacks()];
        for (int s = 0; s < stacks.length; s++) {
            String p = "s" + s;
            Level hg = HourglassNetwork.hourglass(graph, s, config.depth(), r);
            ConvWeights llConv = r.conv(p + "_ll_conv");
            BatchNormFold llBn = r.bn(p + "_ll_bn");
            ConvWeights out = r.conv(HourglassNetwork.headName(s));
            boolean last = s == stacks.length - 1;
            ConvWeights llp = last ? null : r.conv(HourglassNetwork.feedName(s, HourglassNetwork.FEED_FEATURES));
            ConvWeights outp = last ? null : r.conv(HourglassNetwork.feedName(s, HourglassNetwork.FEED_HEAD));
            ConvWeights folded = null;
            if (!last) {
                // next = ll·W_llp + (ll·W_out)·W_outp + x = ll·(W_llp + W_out·W_outp) + x
                try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                    INDArray w = llp.matrix.dup('c');
                    Nd4j.gemm(out.matrix, outp.matrix, w, false, false, 1.0, 1.0);
                    folded = ConvWeights.fromMatrix(w);
                }
            }
            stacks[s] = new Stack(hg, llConv, llBn, out, llp, outp, folded);
        }
        return new FastHourglass(config, r.conv("stem_conv"), HourglassNetwork.residual(graph, "stem_res1", r),
                HourglassNetwork.residual(graph, "stem_res2", r),
                HourglassNetwork.residual(graph, HourglassNetwork.STEM_OUTPUT, r), stacks);
    }

    /** @return the configuration the parameters belong to */
    HourglassConfig config() {
        return config;
    }

    /**
     * Every stack's head, as the graph's outputs.
     *
     * @param image (N, 3, S, S) NCHW, S = {@code inputSize}; not modified
     * @return per stack s, (N, K·R·R) with channel c of cell (y, x) at {@code c·R² + y·R + x}, K = head channels,
     *     R = output size; new arrays
     * @throws IllegalArgumentException "image: expected (N, 3, S, S), got [...]"
     */
    synchronized INDArray[] outputs(INDArray image) {
        return forward(image, true);
    }

    /**
     * The last stack's head only, with the intermediate heads folded away (see the class description).
     *
     * @param image (N, 3, S, S) NCHW; not modified
     * @return (N, K·R·R) as in {@link #outputs}; a new array
     * @throws IllegalArgumentException "image: expected (N, 3, S, S), got [...]"
     */
    synchronized INDArray lastOutput(INDArray image) {
        INDArray[] out = forward(image, false);
        return out[out.length - 1];
    }

    /**
     * Convolution FLOPs of one image, counted analytically ({@code 2·k²·cin·cout·h·w} per convolution, output
     * size h × w): the figure behind the GFLOP/s in BENCHMARKS.md. Paper preset: 40.26 GFLOP with every head,
     * 28.18 GFLOP for {@link #lastOutput}.
     *
     * @param config the network shape; not modified
     * @param allHeads true for {@link #outputs} (the graph's work), false for {@link #lastOutput}
     * @return multiply-adds × 2 of every convolution per image
     */
    static double convFlopsPerImage(HourglassConfig config, boolean allHeads) {
        double f = config.features();
        double k = config.headChannels();
        double size = config.inputSize();
        double r = config.outputSize();
        double flops = 2 * 36 * 3 * (f / 4) * (size / 2) * (size / 2);
        flops += residualFlops(f / 4, f / 2, size / 2) + residualFlops(f / 2, f / 2, r)
                + residualFlops(f / 2, f, r);
        for (int s = 0; s < config.stacks(); s++) {
            for (int l = 0; l < config.depth(); l++) {
                double side = r / (1 << l);
                // up1 at this level, low1 and low3 at the next; the innermost level adds low2
                flops += residualFlops(f, f, side) + 2 * residualFlops(f, f, side / 2);
                if (l == config.depth() - 1) {
                    flops += residualFlops(f, f, side / 2);
                }
            }
            double cells = r * r;
            flops += 2 * cells * f * f; // ll
            if (s == config.stacks() - 1) {
                flops += 2 * cells * f * k; // out
            } else if (allHeads) {
                flops += 2 * cells * f * f + 2 * 2 * cells * f * k; // llp, out, outp
            } else {
                flops += 2 * cells * f * f; // the folded llp + out·outp
            }
        }
        return flops;
    }

    /** @return FLOPs of Residual(cin → cout) on a side × side map */
    private static double residualFlops(double cin, double cout, double side) {
        double mid = cout / 2;
        double perPixel = cin * mid + 9 * mid * mid + mid * cout + (cin != cout ? cin * cout : 0);
        return 2 * side * side * perPixel;
    }

    /** Frees every pooled tensor (they are reallocated on demand). */
    synchronized void clearWorkspaces() {
        pool.clear();
    }

    private INDArray[] forward(INDArray image, boolean allHeads) {
        int size = config.inputSize();
        long[] shape = image.shape();
        if (shape.length != 4 || shape[0] < 1 || shape[1] != 3 || shape[2] != size || shape[3] != size) {
            throw new IllegalArgumentException("image: expected (N, 3, " + size + ", " + size + "), got "
                    + Arrays.toString(shape));
        }
        int n = Math.toIntExact(shape[0]);
        INDArray[] results = new INDArray[stacks.length];
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray in = image.dataType() == DataType.FLOAT && image.ordering() == 'c'
                    && image.elementWiseStride() == 1 ? image : image.castTo(DataType.FLOAT).dup('c');
            FloatBuffer data = in.data().asNioFloat();

            // Stem: 6×6/2 conv (zero pad 2) → Residual(F/2) → max-pool → Residual(F/2) → Residual(F).
            int half = size / 2;
            NhwcTensor cols = take(n, half, half, stemConv.matrix.rows(), 0, false);
            NhwcTensor t = take(n, half, half, stemConv.cout, 0, false);
            NhwcKernels.convIm2col(data, Math.toIntExact(in.offset()), 3, size, size, stemConv, 2, 2, cols, t);
            give(cols);
            NhwcTensor r1 = residual(stem1, t);
            give(t);
            NhwcTensor pooled = take(n, half / 2, half / 2, r1.c, 0, false);
            NhwcKernels.maxPool2(r1, pooled);
            give(r1);
            NhwcTensor r2 = residual(stem2, pooled);
            give(pooled);
            NhwcTensor x = residual(stem3, r2);
            give(r2);

            for (int s = 0; s < stacks.length; s++) {
                Stack st = stacks[s];
                boolean last = s == stacks.length - 1;
                NhwcTensor hg = level(st.hourglass, x);
                NhwcTensor ll = take(n, x.h, x.w, st.llConv.cout, 0, false);
                NhwcKernels.conv1x1(hg, st.llConv, 0f, ll);
                give(hg);
                NhwcKernels.scaleShift(ll, st.llBn.scale, st.llBn.shift, true, ll);
                if (last || allHeads) {
                    NhwcTensor head = take(n, x.h, x.w, st.out.cout, 0, false);
                    NhwcKernels.conv1x1(ll, st.out, 0f, head);
                    results[s] = toNchwRows(head);
                    if (!last) {
                        // next = x + ll·W_llp + head·W_outp (dropout is the identity at inference)
                        NhwcTensor next = take(n, x.h, x.w, x.c, 0, false);
                        NhwcKernels.copy(x, next);
                        NhwcKernels.conv1x1(ll, st.llp, 1f, next);
                        NhwcKernels.conv1x1(head, st.outp, 1f, next);
                        give(x);
                        x = next;
                    }
                    give(head);
                } else {
                    NhwcTensor next = take(n, x.h, x.w, x.c, 0, false);
                    NhwcKernels.copy(x, next);
                    NhwcKernels.conv1x1(ll, st.folded, 1f, next);
                    give(x);
                    x = next;
                }
                give(ll);
            }
            give(x);
        }
        return results;
    }

    /** Level {@code lv} of an hourglass on {@code x}: up1(x) + upsample(low3(inner(low1(pool(x))))). */
    private NhwcTensor level(Level lv, NhwcTensor x) {
        NhwcTensor up1 = residual(lv.up1, x);
        NhwcTensor low = take(x.n, x.h / 2, x.w / 2, x.c, 0, false);
        NhwcKernels.maxPool2(x, low);
        NhwcTensor low1 = residual(lv.low1, low);
        give(low);
        NhwcTensor low2 = lv.inner != null ? level(lv.inner, low1) : residual(lv.low2, low1);
        give(low1);
        NhwcTensor low3 = residual(lv.low3, low2);
        give(low2);
        NhwcKernels.addUpsampled2(up1, low3, up1);
        give(low3);
        return up1;
    }

    /** Residual block on {@code x} (kept); returns a new pooled tensor. */
    private NhwcTensor residual(Residual r, NhwcTensor x) {
        int n = x.n;
        int h = x.h;
        int w = x.w;
        int mid = r.conv1.cout;
        NhwcTensor a = take(n, h, w, x.c, 0, false);
        NhwcKernels.scaleShift(x, r.bn1.scale, r.bn1.shift, true, a);
        NhwcTensor b = take(n, h, w, mid, 0, false);
        NhwcKernels.conv1x1(a, r.conv1, 0f, b);
        give(a);
        // BN2 + ReLU straight into the zero-bordered input of the 3×3.
        NhwcTensor padded = take(n, h, w, mid, 1, true);
        NhwcKernels.scaleShift(b, r.bn2.scale, r.bn2.shift, true, padded);
        NhwcTensor grid = take(n, h, w, mid, 1, false);
        NhwcKernels.conv3x3(padded, r.conv2, grid);
        give(padded);
        NhwcKernels.scaleShift(grid, r.bn3.scale, r.bn3.shift, true, b);
        give(grid);
        NhwcTensor out = take(n, h, w, r.conv3.cout, 0, false);
        if (r.skip != null) {
            NhwcKernels.conv1x1(x, r.skip, 0f, out);
        } else {
            NhwcKernels.copy(x, out);
        }
        NhwcKernels.conv1x1(b, r.conv3, 1f, out);
        give(b);
        return out;
    }

    /** @return the head (n, R, R, K) as a new (n, K·R·R) array, channel-major per image like the graph's */
    private static INDArray toNchwRows(NhwcTensor head) {
        int n = head.n;
        int cells = head.h * head.w;
        INDArray result = Nd4j.create(DataType.FLOAT, n, (long) head.c * cells);
        result.reshape('c', n, head.c, cells).assign(head.rows().reshape('c', n, cells, head.c).permute(0, 2, 1));
        return result;
    }

    private NhwcTensor take(int n, int h, int w, int c, int pad, boolean zeroBorder) {
        return pool.take(n, h, w, c, pad, zeroBorder);
    }

    private void give(NhwcTensor t) {
        pool.give(t);
    }

    /** Reads the parameters of the named layers of a graph. */
    private static final class Reader implements HourglassNetwork.Parts<ConvWeights, BatchNormFold, Residual, Level> {
        private final ComputationGraph graph;
        private final double eps;

        Reader(ComputationGraph graph, double eps) {
            this.graph = graph;
            this.eps = eps;
        }

        @Override
        public ConvWeights conv(String layer) {
            return ConvWeights.fromOiyx(HourglassNetwork.param(graph, layer, "W"));
        }

        @Override
        public BatchNormFold bn(String layer) {
            float[] gamma = vector(layer, "gamma");
            float[] beta = vector(layer, "beta");
            float[] mean = vector(layer, "mean");
            if (graph.getLayer(layer).paramTable().containsKey("var")) {
                return BatchNormFold.fold(gamma, beta, mean, vector(layer, "var"), eps);
            }
            // DL4J's default log-std storage holds σ = sqrt(var + ε) as log10(σ); ε is already inside.
            float[] log10Std = vector(layer, "log10stdev");
            float[] variance = new float[log10Std.length];
            for (int i = 0; i < variance.length; i++) {
                variance[i] = (float) Math.pow(10, 2.0 * log10Std[i]);
            }
            return BatchNormFold.fold(gamma, beta, mean, variance, 0);
        }

        private float[] vector(String layer, String key) {
            return HourglassNetwork.param(graph, layer, key).castTo(DataType.FLOAT).toFloatVector();
        }

        @Override
        public Residual residual(BatchNormFold bn1, ConvWeights conv1, BatchNormFold bn2, ConvWeights conv2,
                BatchNormFold bn3, ConvWeights conv3, ConvWeights skip) {
            return new Residual(bn1, conv1, bn2, conv2, bn3, conv3, skip);
        }

        @Override
        public Level level(Residual up1, Residual low1, Level inner, Residual low2, Residual low3) {
            return new Level(up1, low1, inner, low2, low3);
        }
    }
}
