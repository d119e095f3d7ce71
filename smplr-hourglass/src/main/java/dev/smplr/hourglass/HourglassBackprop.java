package dev.smplr.hourglass;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The fast training step of the hourglass graph of {@link HourglassNetwork}: the same maths as DL4J's
 * {@code ComputationGraph.fit(MultiDataSet)} with every stack's head supervised by the same targets, computed on
 * {@link NhwcTensor}s with the GEMM convolutions of {@link NhwcKernels} and their backward passes in
 * {@link NhwcGradKernels}, then applied through the graph's own updater.
 *
 * <p>One step ({@link #step}):
 * <ol>
 *   <li>Reads every parameter from the graph (the single source of truth: nothing is cached between steps).</li>
 *   <li>Forward in training mode: batch norm with the batch's mean and biased variance,
 *       {@code y = γ·(x − mean)/sqrt(var + ε) + β}; dropout keeps a value with probability {@code keep = 1 − rate}
 *       and scales it by 1/keep (a mask from {@link Masks}); the configured loss on every head
 *       ({@link SoftmaxVolumeLoss#scoreAndGradientNhwc}, {@link SigmoidVolumeLoss#scoreAndGradient}) on the heads'
 *       NHWC outputs.</li>
 *   <li>Backward through every layer; the gradients, summed over the batch as DL4J's layers leave them, are
 *       written into the graph's flattened gradient view in its layout (per layer {@code W} as (cout, cin, k, k);
 *       {@code gamma}, {@code beta}). The batch norms' running statistics get DL4J's "gradient", the update its
 *       no-op updater subtracts: {@code mean − batchMean} times {@code 1 − decay}, and
 *       {@code log10(σ_old/σ_new)} with {@code σ_old² = 10^(2·log10stdev)},
 *       {@code σ_new² = decay·σ_old² + (1 − decay)·batchVar}.</li>
 *   <li>The graph's {@code ComputationGraphUpdater} (Adam with its schedule, state and iteration count) turns the
 *       gradient view into the update, which is subtracted from the parameters, and the iteration count grows by
 *       one, as {@code StochasticGradientDescent.optimize} does.</li>
 * </ol>
 * Not thread-safe; one engine per graph. Tensors are kept between steps of the same batch size.
 */
final class HourglassBackprop {
    /** Where dropout masks come from; the default draws them from a seeded generator. */
    interface Masks {
        /**
         * Fills the mask of stack s's dropout layer for one step.
         *
         * @param stack the stack
         * @param iteration the graph's iteration count of the step
         * @param keep the keep probability
         * @param n batch size
         * @param r rows and columns of the map
         * @param c channels
         * @param mask (n, r, r, c) NHWC: 1/keep where kept, 0 where dropped; modified
         */
        void fill(int stack, int iteration, double keep, int n, int r, int c, float[] mask);
    }

    /** A convolution's parameter, gradient view and this step's weights and weight gradient. */
    private static final class Conv {
        final String name;
        final int k;
        final int cin;
        final int cout;
        ConvWeights w;
        /** The weights in and dW out in YXIO, k·k·cin·cout floats: one array per conv, as they run in parallel. */
        final float[] yxio;
        /** (k·k·cin × cout) YXIO, c-order, this step's dW. */
        final INDArray dW;
        final INDArray[] dWTaps;

        Conv(ComputationGraph graph, String name) {
            this.name = name;
            long[] s = HourglassNetwork.param(graph, name, "W").shape();
            cout = Math.toIntExact(s[0]);
            cin = Math.toIntExact(s[1]);
            k = Math.toIntExact(s[2]);
            yxio = new float[k * k * cin * cout];
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                dW = Nd4j.create(DataType.FLOAT, (long) k * k * cin, cout);
                dWTaps = new INDArray[k * k];
                for (int t = 0; t < k * k; t++) {
                    dWTaps[t] = dW.get(NDArrayIndex.interval((long) t * cin, (long) (t + 1) * cin),
                            NDArrayIndex.all());
                }
            }
        }
    }

    /** A batch norm's parameters and this step's batch statistics and gradients. */
    private static final class Bn {
        final String name;
        final int c;
        float[] gamma;
        float[] beta;
        float[] runningMean;
        float[] runningLog10Std;
        final double[] mean;
        final double[] var;
        final float[] meanF;
        final float[] invStd;
        final float[] scale;
        final float[] shift;
        final double[] dGamma;
        final double[] dBeta;

        Bn(ComputationGraph graph, String name) {
            this.name = name;
            c = Math.toIntExact(HourglassNetwork.param(graph, name, "gamma").length());
            mean = new double[c];
            var = new double[c];
            meanF = new float[c];
            invStd = new float[c];
            scale = new float[c];
            shift = new float[c];
            dGamma = new double[c];
            dBeta = new double[c];
        }
    }

    /** A pre-activation bottleneck and the tensors its backward pass needs. */
    private static final class Residual {
        final Bn bn1;
        final Conv conv1;
        final Bn bn2;
        final Conv conv2;
        final Bn bn3;
        final Conv conv3;
        final Conv skip;
        NhwcTensor x;
        NhwcTensor a1;
        NhwcTensor b;
        NhwcTensor a2;
        NhwcTensor g;
        NhwcTensor a3;
        NhwcTensor out;

        Residual(Bn bn1, Conv conv1, Bn bn2, Conv conv2, Bn bn3, Conv conv3, Conv skip) {
            this.bn1 = bn1;
            this.conv1 = conv1;
            this.bn2 = bn2;
            this.conv2 = conv2;
            this.bn3 = bn3;
            this.conv3 = conv3;
            this.skip = skip;
        }
    }

    /** One hourglass level; {@code inner} is the next one, or null at the innermost (then low2). */
    private static final class Level {
        final Residual up1;
        final Residual low1;
        final Level inner;
        final Residual low2;
        final Residual low3;
        NhwcTensor x;
        NhwcTensor pooled;

        Level(Residual up1, Residual low1, Level inner, Residual low2, Residual low3) {
            this.up1 = up1;
            this.low1 = low1;
            this.inner = inner;
            this.low2 = low2;
            this.low3 = low3;
        }
    }

    /** One stack; llp and outp only for intermediate stacks. */
    private static final class Stack {
        final Level hourglass;
        final Conv llConv;
        final Bn llBn;
        final Conv out;
        final Conv llp;
        final Conv outp;
        NhwcTensor x;
        NhwcTensor hg;
        NhwcTensor llc;
        NhwcTensor ll;
        NhwcTensor llpOut;
        NhwcTensor dropped;
        NhwcTensor head;
        NhwcTensor next;
        float[] mask;
        /** The head's output and ∂loss/∂output, both NHWC (n, cells, D·V). */
        float[] logits;
        float[] gradient;

        Stack(Level hourglass, Conv llConv, Bn llBn, Conv out, Conv llp, Conv outp) {
            this.hourglass = hourglass;
            this.llConv = llConv;
            this.llBn = llBn;
            this.out = out;
            this.llp = llp;
            this.outp = outp;
        }
    }

    /** Side of the tiles {@link #transpose} moves: 32 × 32 floats, 4 KB each way, stay in L1. */
    private static final int TILE = 32;

    private final ComputationGraph graph;
    private final HourglassConfig config;
    private final List<Conv> convs = new ArrayList<>();
    private final List<Bn> bns = new ArrayList<>();
    private final Conv stemConv;
    private final Residual stem1;
    private final Residual stem2;
    private final Residual stem3;
    private final Stack[] stacks;
    private final NhwcPool pool = new NhwcPool();
    private final Map<String, Map<String, INDArray>> views = new HashMap<>();
    private Map<String, Integer> offsets;
    private float[] flatGradient;
    private float[] flatParameters;
    private INDArray viewsOf;
    private Masks masks;
    private int batch;
    /** The step's targets in the heads' NHWC layout (n, cells, D·V). */
    private float[] nhwcTargets;
    private NhwcTensor cols;
    private NhwcTensor stemOut;
    private NhwcTensor stemPooled;

    private HourglassBackprop(ComputationGraph graph, HourglassConfig config) {
        this.graph = graph;
        this.config = config;
        HourglassNetwork.Parts<Conv, Bn, Residual, Level> parts = new HourglassNetwork.Parts<>() {
            @Override
            public Conv conv(String layer) {
                return HourglassBackprop.this.conv(layer);
            }

            @Override
            public Bn bn(String layer) {
                return HourglassBackprop.this.bn(layer);
            }

            @Override
            public Residual residual(Bn bn1, Conv conv1, Bn bn2, Conv conv2, Bn bn3, Conv conv3, Conv skip) {
                return new Residual(bn1, conv1, bn2, conv2, bn3, conv3, skip);
            }

            @Override
            public Level level(Residual up1, Residual low1, Level inner, Residual low2, Residual low3) {
                return new Level(up1, low1, inner, low2, low3);
            }
        };
        stemConv = conv("stem_conv");
        stem1 = HourglassNetwork.residual(graph, "stem_res1", parts);
        stem2 = HourglassNetwork.residual(graph, "stem_res2", parts);
        stem3 = HourglassNetwork.residual(graph, HourglassNetwork.STEM_OUTPUT, parts);
        stacks = new Stack[config.stacks()];
        for (int s = 0; s < stacks.length; s++) {
            String p = "s" + s;
            Level hg = HourglassNetwork.hourglass(graph, s, config.depth(), parts);
            Conv llConv = conv(p + "_ll_conv");
            Bn llBn = bn(p + "_ll_bn");
            Conv out = conv(HourglassNetwork.headName(s));
            boolean last = s == stacks.length - 1;
            Conv llp = last ? null : conv(HourglassNetwork.feedName(s, HourglassNetwork.FEED_FEATURES));
            Conv outp = last ? null : conv(HourglassNetwork.feedName(s, HourglassNetwork.FEED_HEAD));
            stacks[s] = new Stack(hg, llConv, llBn, out, llp, outp);
        }
        masks = seededMasks(config.seed());
    }

    /**
     * The default dropout masks: a generator seeded by (seed, iteration, stack), so that a resumed run draws the
     * masks it would have drawn. Each value is kept with probability {@code keep} and then scaled by 1/keep.
     *
     * @param seed the seed (the configuration's)
     * @return the mask source
     */
    static Masks seededMasks(long seed) {
        return (stack, iteration, keep, n, r, c, mask) -> {
            long start = seed * GOLDEN_GAMMA + iteration * 31L + stack;
            float kept = (float) (1 / keep);
            int length = n * r * r * c;
            // The values of new SplittableRandom(start).nextDouble(), drawn i-th: SplitMix64 is a counter (state
            // start + (i + 1)·γ, then mixed), so chunks of the mask can be drawn on several threads.
            NhwcRows.forRanges(length, length, (from, to) -> {
                for (int i = from; i < to; i++) {
                    double u = (mix64(start + (i + 1L) * GOLDEN_GAMMA) >>> 11) * 0x1.0p-53;
                    mask[i] = u < keep ? kept : 0f;
                }
            });
        };
    }

    /** SplitMix64's increment γ (Steele, Lea and Flood 2014), as {@link SplittableRandom}'s seeded constructor. */
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    /** SplitMix64's output mix (Stafford's variant 13). */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * An engine for a graph built by {@link HourglassNetwork#build} for {@code config}.
     *
     * @param graph the graph; its parameters, gradient view and updater are used at every step (modified there)
     * @param config the configuration it was built from
     * @return the engine
     * @throws IllegalArgumentException "layer: no layer named '…'" if the graph does not fit the configuration
     */
    static HourglassBackprop of(ComputationGraph graph, HourglassConfig config) {
        if (graph.numParams() == 0) {
            throw new IllegalArgumentException("graph: expected an initialised hourglass graph, got no parameters");
        }
        return new HourglassBackprop(graph, config);
    }

    /** Replaces the dropout masks (tests: a fixed mask that DL4J's side can use too). */
    void masks(Masks value) {
        masks = value;
    }

    private Conv conv(String name) {
        Conv c = new Conv(graph, name);
        convs.add(c);
        return c;
    }

    private Bn bn(String name) {
        Bn b = new Bn(graph, name);
        bns.add(b);
        return b;
    }

    /**
     * One training step: forward, loss, backward, gradients into the graph's gradient view, then the graph's
     * updater and the parameter update, as {@code graph.fit} on the same batch with every head's labels
     * {@code targets}.
     *
     * @param images (n, 3, S, S) NCHW, S = {@code inputSize}; not modified
     * @param targets (n, K·R·R) the graph's label layout ({@code c·R² + y·R + x} per example); not modified
     * @param n batch size
     * @return the score, as {@code graph.score()} after {@code fit}: Σ over stacks of the loss averaged over the
     *     batch
     * @throws IllegalArgumentException if an array is too short for n
     */
    double step(float[] images, float[] targets, int n) {
        double score = computeGradient(images, targets, n);
        int iteration = graph.getIterationCount();
        Gradient gradient = gradientOfGraph();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            graph.getUpdater().update(gradient, iteration, graph.getEpochCount(), n,
                    LayerWorkspaceMgr.noWorkspaces());
            INDArray params = graph.params();
            params.subi(graph.getFlattenedGradients().reshape(params.shape()));
        }
        graph.getConfiguration().setIterationCount(iteration + 1);
        graph.setScore(score);
        return score;
    }

    /**
     * Forward, loss and backward, leaving the gradients in the graph's flattened gradient view (as
     * {@code computeGradientAndScore} does, before the updater); parameters are not changed.
     *
     * @param images (n, 3, S, S) NCHW; not modified
     * @param targets (n, K·R·R) in the graph's label layout; not modified
     * @param n batch size
     * @return the score (Σ over stacks of the batch-averaged loss)
     */
    double computeGradient(float[] images, float[] targets, int n) {
        int size = config.inputSize();
        int headValues = config.headChannels() * config.outputSize() * config.outputSize();
        if (n < 1 || images.length < n * 3 * size * size || targets.length < n * headValues) {
            throw new IllegalArgumentException("images: expected n·3·" + size + "·" + size + " image values and n·"
                    + headValues + " targets for n = " + n + ", got " + images.length + " and " + targets.length);
        }
        if (graph.getFlattenedGradients() == null) {
            graph.initGradientsView();
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (n != batch) {
                pool.clear();
                batch = n;
            }
            readParameters();
            double score = forwardAndLoss(FloatBuffer.wrap(images), targets, n);
            backward(n);
            writeGradients();
            return score;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Parameters and gradients

    /**
     * Where each parameter starts in the graph's flattened parameter (and gradient) vector, {@code layer_key} →
     * offset, each stored in c-order (the parameter views' own offsets into the flattened array; the gradient view
     * has the same layout). Checked once against every parameter view, so a different layout fails loudly instead
     * of training the wrong weights.
     */
    private void layout() {
        if (offsets != null) {
            return;
        }
        INDArray flat = graph.params();
        float[] all = flat.toFloatVector();
        Map<String, Integer> found = new HashMap<>();
        int total = 0;
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
                INDArray p = e.getValue();
                int length = Math.toIntExact(p.length());
                int offset = Math.toIntExact(p.offset() - flat.offset());
                if (offset < 0 || offset + length > all.length) {
                    throw new IllegalStateException("graph: parameter " + name + "_" + e.getKey() + " at offset "
                            + offset + " is not inside the " + all.length + " flattened parameters");
                }
                INDArray read = Nd4j.create(java.util.Arrays.copyOfRange(all, offset, offset + length), p.shape(), 'c');
                if (!read.equals(p.castTo(DataType.FLOAT))) {
                    throw new IllegalStateException("graph: parameter " + name + "_" + e.getKey() + " is not the"
                            + " c-order block at offset " + offset + " of the flattened parameters");
                }
                found.put(name + "_" + e.getKey(), offset);
                total += length;
            }
        }
        long ours = 0;
        for (Conv c : convs) {
            ours += (long) c.k * c.k * c.cin * c.cout;
        }
        for (Bn b : bns) {
            ours += 4L * b.c;
        }
        if (total != all.length || ours != all.length) {
            throw new IllegalStateException("graph: expected " + all.length + " parameters, the layers hold " + total
                    + " and the engine's convolutions and batch norms " + ours);
        }
        offsets = found;
        flatGradient = new float[all.length];
        flatParameters = new float[all.length];
    }

    private int offset(String layer, String key) {
        return offsets.get(layer + "_" + key);
    }

    private void readParameters() {
        layout();
        float[] all = readFlat(graph.params(), flatParameters);
        NhwcRows.parallelFor(convs.size(), i -> {
            Conv c = convs.get(i);
            int o = offset(c.name, "W");
            // OIYX (co, ci, ky, kx) → YXIO row (ky·k + kx)·cin + ci, column co
            int k = c.k;
            float[] yxio = c.yxio;
            for (int co = 0; co < c.cout; co++) {
                for (int ci = 0; ci < c.cin; ci++) {
                    for (int t = 0; t < k * k; t++) {
                        yxio[(t * c.cin + ci) * c.cout + co] = all[o + (co * c.cin + ci) * k * k + t];
                    }
                }
            }
        });
        for (Conv c : convs) {
            if (c.w == null) {
                c.w = ConvWeights.fromOiyx(HourglassNetwork.param(graph, c.name, "W"));
            }
            // the engine's private copy, refreshed in place (its tap views see the new values)
            c.w.matrix.data().asNioFloat().put(Math.toIntExact(c.w.matrix.offset()), c.yxio, 0, c.yxio.length);
        }
        for (Bn b : bns) {
            b.gamma = slice(all, offset(b.name, "gamma"), b.c);
            b.beta = slice(all, offset(b.name, "beta"), b.c);
            b.runningMean = slice(all, offset(b.name, "mean"), b.c);
            b.runningLog10Std = slice(all, offset(b.name, "log10stdev"), b.c);
        }
    }

    /**
     * A flat float array's values into {@code into}, in bulk when it is one contiguous block (ND4J's
     * {@code toFloatVector} reads them one by one: a few per cent of a training step).
     */
    static float[] readFlat(INDArray flat, float[] into) {
        if (contiguousFloats(flat, into.length)) {
            flat.data().asNioFloat().get(Math.toIntExact(flat.offset()), into, 0, into.length);
            return into;
        }
        return flat.toFloatVector();
    }

    /** {@code values} into a flat float array, in bulk when it is one contiguous block. */
    static void writeFlat(float[] values, INDArray flat) {
        if (contiguousFloats(flat, values.length)) {
            flat.data().asNioFloat().put(Math.toIntExact(flat.offset()), values, 0, values.length);
        } else {
            flat.assign(Nd4j.create(values, flat.shape(), 'c'));
        }
    }

    private static boolean contiguousFloats(INDArray flat, int length) {
        return flat.dataType() == DataType.FLOAT && flat.length() == length && flat.ordering() == 'c'
                && (length <= 1 || flat.elementWiseStride() == 1);
    }

    private static float[] slice(float[] all, int offset, int length) {
        return java.util.Arrays.copyOfRange(all, offset, offset + length);
    }

    /** The gradient views of a layer's parameters, cached while the graph keeps its flattened gradient array. */
    private Map<String, INDArray> gradientViews(String layer) {
        INDArray flat = graph.getFlattenedGradients();
        if (flat != viewsOf) {
            views.clear();
            viewsOf = flat;
        }
        return views.computeIfAbsent(layer, l -> gradientViews(graph.getLayer(l)));
    }

    /** The gradient views of one layer's parameters, in its parameter table's order (the flattened layout). */
    private static Map<String, INDArray> gradientViews(Layer layer) {
        INDArray flat = layer.getGradientsViewArray();
        Map<String, INDArray> views = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
            INDArray p = e.getValue();
            long length = p.length();
            INDArray slice = flat.reshape(flat.length()).get(NDArrayIndex.interval(offset, offset + length));
            views.put(e.getKey(), slice.reshape(p.ordering(), p.shape()));
            offset += length;
        }
        if (offset != flat.length()) {
            throw new IllegalStateException("layer " + layer.conf().getLayer().getLayerName() + ": parameters hold "
                    + offset + " values, its gradient view " + flat.length());
        }
        return views;
    }

    /** Every parameter's gradient into one vector in the graph's layout, then into its gradient view at once. */
    private void writeGradients() {
        float[] g = flatGradient;
        for (Conv c : convs) {
            c.dW.data().asNioFloat().get(Math.toIntExact(c.dW.offset()), c.yxio, 0, c.yxio.length);
        }
        NhwcRows.parallelFor(convs.size(), i -> {
            Conv c = convs.get(i);
            int o = offset(c.name, "W");
            // YXIO (k·k·cin × cout) → OIYX (cout, cin, k, k)
            int k = c.k;
            float[] yxio = c.yxio;
            for (int co = 0; co < c.cout; co++) {
                for (int ci = 0; ci < c.cin; ci++) {
                    for (int t = 0; t < k * k; t++) {
                        g[o + (co * c.cin + ci) * k * k + t] = yxio[(t * c.cin + ci) * c.cout + co];
                    }
                }
            }
        });
        double decay = config.bnDecay();
        for (Bn b : bns) {
            int gamma = offset(b.name, "gamma");
            int beta = offset(b.name, "beta");
            int mean = offset(b.name, "mean");
            int log10Std = offset(b.name, "log10stdev");
            for (int ch = 0; ch < b.c; ch++) {
                g[gamma + ch] = (float) b.dGamma[ch];
                g[beta + ch] = (float) b.dBeta[ch];
                // running mean[t+1] = mean[t] − (1 − decay)·(mean[t] − batchMean)
                g[mean + ch] = (float) ((1 - decay) * (b.runningMean[ch] - b.mean[ch]));
                double oldVar = Math.pow(10, 2.0 * b.runningLog10Std[ch]);
                double newVar = decay * oldVar + (1 - decay) * b.var[ch];
                // log10 σ[t+1] = log10 σ[t] − log10(σ[t]/σ[t+1])
                g[log10Std + ch] = (float) (Math.log(oldVar / newVar) / (2 * Math.log(10)));
            }
        }
        writeFlat(g, graph.getFlattenedGradients());
    }

    /**
     * The gradient per parameter as {@link #computeGradient} left it, named like DL4J's {@code Gradient}:
     * {@code layer_key}.
     *
     * @return views of the graph's gradient view, in the graph's layer order
     */
    Map<String, INDArray> gradients() {
        return gradientOfGraph().gradientForVariable();
    }

    /** The graph's gradient: its flattened view plus one entry per parameter, named {@code layer_key}. */
    private Gradient gradientOfGraph() {
        Gradient g = new DefaultGradient(graph.getFlattenedGradients());
        for (Layer layer : graph.getLayers()) {
            if (layer.numParams() == 0) {
                continue;
            }
            String name = layer.conf().getLayer().getLayerName();
            for (Map.Entry<String, INDArray> e : gradientViews(name).entrySet()) {
                g.setGradientFor(name + "_" + e.getKey(), e.getValue());
            }
        }
        return g;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Forward

    private double forwardAndLoss(FloatBuffer images, float[] targets, int n) {
        int size = config.inputSize();
        int half = size / 2;
        cols = ensure(cols, n, half, half, stemConv.w.matrix.rows(), 0, false);
        stemOut = ensure(stemOut, n, half, half, stemConv.cout, 0, false);
        NhwcKernels.convIm2col(images, 0, 3, size, size, stemConv.w, 2, 2, cols, stemOut);
        NhwcTensor r1 = residualForward(stem1, stemOut);
        stemPooled = ensure(stemPooled, n, half / 2, half / 2, r1.c, 0, false);
        NhwcKernels.maxPool2(r1, stemPooled);
        NhwcTensor r2 = residualForward(stem2, stemPooled);
        NhwcTensor x = residualForward(stem3, r2);

        int r = config.outputSize();
        int k = config.headChannels();
        int f = config.features();
        double keep = 1 - config.dropout();
        int iteration = graph.getIterationCount();
        // once per step: every stack's head has the same targets, given in the graph's (b, channel, cell) layout
        int cells = r * r;
        if (nhwcTargets == null || nhwcTargets.length != n * k * cells) {
            nhwcTargets = new float[n * k * cells];
        }
        float[] nhwc = nhwcTargets;
        NhwcRows.parallelFor(n, b -> transpose(targets, b * k * cells, k, cells, nhwc));
        double score = 0;
        for (int s = 0; s < stacks.length; s++) {
            Stack st = stacks[s];
            boolean last = s == stacks.length - 1;
            st.x = x;
            st.hg = levelForward(st.hourglass, x);
            st.llc = ensure(st.llc, n, r, r, f, 0, false);
            NhwcKernels.conv1x1(st.hg, st.llConv.w, 0f, st.llc);
            st.ll = ensure(st.ll, n, r, r, f, 0, false);
            batchNormRelu(st.llBn, st.llc, st.ll);
            NhwcTensor toDrop = st.ll;
            if (!last) {
                st.llpOut = ensure(st.llpOut, n, r, r, f, 0, false);
                NhwcKernels.conv1x1(st.ll, st.llp.w, 0f, st.llpOut);
                toDrop = st.llpOut;
            }
            if (keep < 1) {
                if (st.mask == null || st.mask.length != n * r * r * f) {
                    st.mask = new float[n * r * r * f];
                }
                masks.fill(s, iteration, keep, n, r, f, st.mask);
                st.dropped = ensure(st.dropped, n, r, r, f, 0, false);
                NhwcGradKernels.multiply(toDrop, st.mask, st.dropped);
            } else {
                st.dropped = toDrop;
            }
            st.head = ensure(st.head, n, r, r, k, 0, false);
            NhwcKernels.conv1x1(last ? st.dropped : st.ll, st.out.w, 0f, st.head);
            if (!last) {
                // next = drop(llp(ll)) + outp(head) + x
                st.next = ensure(st.next, n, r, r, f, 0, false);
                NhwcKernels.add(st.dropped, x, st.next);
                NhwcKernels.conv1x1(st.head, st.outp.w, 1f, st.next);
                x = st.next;
            }
            score += headLoss(st, n) / n;
        }
        return score;
    }

    /** The loss of a head; leaves ∂loss/∂logits (NHWC) in {@code st.gradient}. */
    private double headLoss(Stack st, int n) {
        int k = config.headChannels();
        int cells = config.outputSize() * config.outputSize();
        int length = n * k * cells;
        if (st.logits == null || st.logits.length != length) {
            st.logits = new float[length];
            st.gradient = new float[length];
        }
        st.head.data.get(0, st.logits, 0, length);
        return switch (config.loss()) {
            case SOFTMAX_CROSS_ENTROPY -> SoftmaxVolumeLoss.scoreAndGradientNhwc(st.logits, nhwcTargets, n,
                    config.depthBins(), config.volumes(), cells, config.pointCount(), config.integralWeight(),
                    st.gradient);
            // per voxel: any layout
            case SIGMOID_CROSS_ENTROPY -> SigmoidVolumeLoss.scoreAndGradient(st.logits, nhwcTargets, n, k * cells,
                    st.gradient);
        };
    }

    /**
     * {@code dst[offset + c·rows + r] = src[offset + r·cols + c]}: the (rows × cols) block at {@code offset}
     * transposed, in tiles, so that neither side is walked with a stride of a whole row per element.
     */
    static void transpose(float[] src, int offset, int rows, int cols, float[] dst) {
        for (int r0 = 0; r0 < rows; r0 += TILE) {
            int r1 = Math.min(rows, r0 + TILE);
            for (int c0 = 0; c0 < cols; c0 += TILE) {
                int c1 = Math.min(cols, c0 + TILE);
                for (int r = r0; r < r1; r++) {
                    int from = offset + r * cols;
                    for (int c = c0; c < c1; c++) {
                        dst[offset + c * rows + r] = src[from + c];
                    }
                }
            }
        }
    }

    /** act = relu(γ·(x − mean)/sqrt(var + ε) + β) with the batch's statistics, remembered for backward. */
    private void batchNormRelu(Bn bn, NhwcTensor in, NhwcTensor act) {
        NhwcGradKernels.meanVariance(in, bn.mean, bn.var);
        double eps = config.bnEps();
        for (int ch = 0; ch < bn.c; ch++) {
            double invStd = 1 / Math.sqrt(bn.var[ch] + eps);
            bn.meanF[ch] = (float) bn.mean[ch];
            bn.invStd[ch] = (float) invStd;
            bn.scale[ch] = (float) (bn.gamma[ch] * invStd);
            bn.shift[ch] = (float) (bn.beta[ch] - bn.mean[ch] * bn.gamma[ch] * invStd);
        }
        NhwcKernels.scaleShift(in, bn.scale, bn.shift, true, act);
    }

    private NhwcTensor residualForward(Residual r, NhwcTensor x) {
        int n = x.n;
        int h = x.h;
        int w = x.w;
        int mid = r.conv1.cout;
        r.x = x;
        r.a1 = ensure(r.a1, n, h, w, x.c, 0, false);
        batchNormRelu(r.bn1, x, r.a1);
        r.b = ensure(r.b, n, h, w, mid, 0, false);
        NhwcKernels.conv1x1(r.a1, r.conv1.w, 0f, r.b);
        r.a2 = ensure(r.a2, n, h, w, mid, 1, true);
        batchNormRelu(r.bn2, r.b, r.a2);
        r.g = ensure(r.g, n, h, w, mid, 1, false);
        NhwcKernels.conv3x3(r.a2, r.conv2.w, r.g);
        r.a3 = ensure(r.a3, n, h, w, mid, 0, false);
        batchNormRelu(r.bn3, r.g, r.a3);
        r.out = ensure(r.out, n, h, w, r.conv3.cout, 0, false);
        if (r.skip != null) {
            NhwcKernels.conv1x1(x, r.skip.w, 0f, r.out);
        } else {
            NhwcKernels.copy(x, r.out);
        }
        NhwcKernels.conv1x1(r.a3, r.conv3.w, 1f, r.out);
        return r.out;
    }

    /** up1(x) + upsample(low3(inner(low1(pool(x))))), written over up1's output. */
    private NhwcTensor levelForward(Level lv, NhwcTensor x) {
        lv.x = x;
        NhwcTensor up1 = residualForward(lv.up1, x);
        lv.pooled = ensure(lv.pooled, x.n, x.h / 2, x.w / 2, x.c, 0, false);
        NhwcKernels.maxPool2(x, lv.pooled);
        NhwcTensor low1 = residualForward(lv.low1, lv.pooled);
        NhwcTensor low2 = lv.inner != null ? levelForward(lv.inner, low1) : residualForward(lv.low2, low1);
        NhwcTensor low3 = residualForward(lv.low3, low2);
        // up1's own backward does not need its output, so the sum may overwrite it
        NhwcKernels.addUpsampled2(up1, low3, up1);
        return up1;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Backward

    private void backward(int n) {
        int r = config.outputSize();
        int k = config.headChannels();
        int f = config.features();
        int cells = r * r;
        NhwcTensor dNext = null;
        for (int s = stacks.length - 1; s >= 0; s--) {
            Stack st = stacks[s];
            boolean last = s == stacks.length - 1;
            NhwcTensor dHead = take(n, r, r, k, 0, false, false);
            dHead.data.put(0, st.gradient, 0, n * k * cells);
            NhwcTensor dx = take(n, r, r, f, 0, false, true);
            NhwcTensor dll = take(n, r, r, f, 0, false, false);
            if (last) {
                // head = out(drop(ll))
                NhwcGradKernels.conv1x1WeightGradient(st.dropped, dHead, st.out.dW);
                NhwcGradKernels.conv1x1InputGradient(dHead, st.out.w, 0f, dll);
                if (st.dropped != st.ll) {
                    NhwcGradKernels.multiply(dll, st.mask, dll);
                }
            } else {
                // next = drop(llp(ll)) + outp(head) + x, head = out(ll)
                NhwcKernels.add(dx, dNext, dx);
                NhwcGradKernels.conv1x1WeightGradient(st.head, dNext, st.outp.dW);
                NhwcGradKernels.conv1x1InputGradient(dNext, st.outp.w, 1f, dHead);
                NhwcTensor dLlp = dNext;
                if (st.dropped != st.llpOut) {
                    dLlp = take(n, r, r, f, 0, false, false);
                    NhwcGradKernels.multiply(dNext, st.mask, dLlp);
                }
                NhwcGradKernels.conv1x1WeightGradient(st.ll, dLlp, st.llp.dW);
                NhwcGradKernels.conv1x1InputGradient(dLlp, st.llp.w, 0f, dll);
                if (dLlp != dNext) {
                    give(dLlp);
                }
                NhwcGradKernels.conv1x1WeightGradient(st.ll, dHead, st.out.dW);
                NhwcGradKernels.conv1x1InputGradient(dHead, st.out.w, 1f, dll);
                give(dNext);
            }
            give(dHead);
            NhwcTensor dllc = take(n, r, r, f, 0, false, false);
            batchNormReluBackward(st.llBn, st.llc, st.ll, dll, false, dllc);
            give(dll);
            NhwcGradKernels.conv1x1WeightGradient(st.hg, dllc, st.llConv.dW);
            NhwcTensor dhg = take(n, r, r, f, 0, false, false);
            NhwcGradKernels.conv1x1InputGradient(dllc, st.llConv.w, 0f, dhg);
            give(dllc);
            levelBackward(st.hourglass, dhg, dx);
            give(dhg);
            dNext = dx;
        }
        // stem: x = res3(res2(pool(res1(conv(image)))))
        NhwcTensor dR2 = take(n, stem2.out.h, stem2.out.w, stem2.out.c, 0, false, true);
        residualBackward(stem3, dNext, dR2);
        give(dNext);
        NhwcTensor dPooled = take(n, stemPooled.h, stemPooled.w, stemPooled.c, 0, false, true);
        residualBackward(stem2, dR2, dPooled);
        give(dR2);
        NhwcTensor dR1 = take(n, stem1.out.h, stem1.out.w, stem1.out.c, 0, false, true);
        NhwcGradKernels.maxPool2Backward(stem1.out, dPooled, dR1);
        give(dPooled);
        NhwcTensor dStem = take(n, stemOut.h, stemOut.w, stemOut.c, 0, false, true);
        residualBackward(stem1, dR1, dStem);
        give(dR1);
        NhwcGradKernels.conv1x1WeightGradient(cols, dStem, stemConv.dW);
        give(dStem);
    }

    private void batchNormReluBackward(Bn bn, NhwcTensor x, NhwcTensor act, NhwcTensor dAct, boolean accumulate,
            NhwcTensor dx) {
        NhwcGradKernels.batchNormReluBackward(x, bn.meanF, bn.invStd, bn.gamma, act, dAct, accumulate, dx,
                bn.dGamma, bn.dBeta);
    }

    /** Adds the level's input gradient into {@code dx}, given the gradient {@code dOut} at its output. */
    private void levelBackward(Level lv, NhwcTensor dOut, NhwcTensor dx) {
        int n = dOut.n;
        int h = dOut.h / 2;
        int w = dOut.w / 2;
        int c = dOut.c;
        NhwcTensor dLow3 = take(n, h, w, c, 0, false, true);
        NhwcGradKernels.upsample2Backward(dOut, dLow3);
        NhwcTensor dLow2 = take(n, h, w, c, 0, false, true);
        residualBackward(lv.low3, dLow3, dLow2);
        give(dLow3);
        NhwcTensor dLow1 = take(n, h, w, c, 0, false, true);
        if (lv.inner != null) {
            levelBackward(lv.inner, dLow2, dLow1);
        } else {
            residualBackward(lv.low2, dLow2, dLow1);
        }
        give(dLow2);
        NhwcTensor dPooled = take(n, h, w, c, 0, false, true);
        residualBackward(lv.low1, dLow1, dPooled);
        give(dLow1);
        NhwcGradKernels.maxPool2Backward(lv.x, dPooled, dx);
        give(dPooled);
        residualBackward(lv.up1, dOut, dx);
    }

    /** Adds the block's input gradient into {@code dx}, given the gradient {@code dOut} at its output. */
    private void residualBackward(Residual r, NhwcTensor dOut, NhwcTensor dx) {
        int n = dOut.n;
        int h = dOut.h;
        int w = dOut.w;
        int mid = r.conv1.cout;
        // out = conv3(a3) + (skip(x) or x)
        NhwcGradKernels.conv1x1WeightGradient(r.a3, dOut, r.conv3.dW);
        NhwcTensor da3 = take(n, h, w, mid, 0, false, false);
        NhwcGradKernels.conv1x1InputGradient(dOut, r.conv3.w, 0f, da3);
        if (r.skip != null) {
            NhwcGradKernels.conv1x1WeightGradient(r.x, dOut, r.skip.dW);
            NhwcGradKernels.conv1x1InputGradient(dOut, r.skip.w, 1f, dx);
        } else {
            NhwcKernels.add(dx, dOut, dx);
        }
        // a3 = relu(bn3(g)), g = conv2(a2) on the padded grid
        NhwcTensor dg = take(n, h, w, mid, 1, true, false);
        batchNormReluBackward(r.bn3, r.g, r.a3, da3, false, dg);
        give(da3);
        NhwcTensor da2 = take(n, h, w, mid, 1, false, false);
        NhwcGradKernels.conv3x3Backward(r.a2, r.conv2.w, dg, r.conv2.dWTaps, da2);
        give(dg);
        // a2 = relu(bn2(b)), b = conv1(a1)
        NhwcTensor db = take(n, h, w, mid, 0, false, false);
        batchNormReluBackward(r.bn2, r.b, r.a2, da2, false, db);
        give(da2);
        NhwcGradKernels.conv1x1WeightGradient(r.a1, db, r.conv1.dW);
        NhwcTensor da1 = take(n, h, w, r.x.c, 0, false, false);
        NhwcGradKernels.conv1x1InputGradient(db, r.conv1.w, 0f, da1);
        give(db);
        // a1 = relu(bn1(x))
        batchNormReluBackward(r.bn1, r.x, r.a1, da1, true, dx);
        give(da1);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Buffers

    /** The tensor {@code t} if it has this shape, else a new one (activations kept between steps). */
    private static NhwcTensor ensure(NhwcTensor t, int n, int h, int w, int c, int pad, boolean zeroBorder) {
        if (t != null && t.n == n && t.h == h && t.w == w && t.c == c && t.pad == pad
                && t.zeroBorder == (pad > 0 && zeroBorder)) {
            return t;
        }
        return NhwcTensor.allocate(n, h, w, c, pad, zeroBorder);
    }

    /** A pooled gradient tensor; zeroed when {@code zero} (accumulators) or, for zero-border ones, kept zero. */
    private NhwcTensor take(int n, int h, int w, int c, int pad, boolean zeroBorder, boolean zero) {
        NhwcTensor t = pool.take(n, h, w, c, pad, zeroBorder);
        if (zero) {
            t.array.assign(0);
        }
        return t;
    }

    private void give(NhwcTensor t) {
        pool.give(t);
    }
}
