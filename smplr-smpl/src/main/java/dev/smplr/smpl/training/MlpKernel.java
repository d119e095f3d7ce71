package dev.smplr.smpl.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.ElementWiseVertex;
import org.deeplearning4j.nn.graph.vertex.impl.InputVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.graph.vertex.impl.MergeVertex;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The inference pass ({@code graph.output(false, x)}: dropout off, batch norm on its running statistics) of a
 * feed-forward DL4J graph in plain Java, with the weights copied out once: DL4J's per-op cost dominates the small
 * MLPs of SMPLR (milliseconds per call against tens of microseconds of arithmetic).
 *
 * <p>Supported vertices: the input, {@link DenseLayer} (identity, tanh or ELU activation), {@link BatchNormalization}
 * (an affine map per unit at inference), {@link ActivationLayer} (identity, tanh, ELU), {@link DropoutLayer}
 * (identity at inference), {@code ElementWiseVertex} Add, {@code MergeVertex} (concatenation along the features)
 * and a {@link LossLayer} with the identity activation; one input and one output, 2-d activations.
 *
 * <p>At construction the graph's topological order is walked once into a flat program. Batch norm is
 * {@code bn(z) = (z − mean)/σ·γ + β = z·s + t}; DL4J stores {@code log10stdev} = log10 √var (or the variance
 * itself without {@code useLogStd}) and adds ε at inference, so σ = √(10^(2·log10stdev) + ε). A dense layer with the
 * identity activation whose only consumer is a batch norm takes it in: W'[i, o] = W[i, o]·s[o], b' = b·s + t; an
 * activation layer that is the only consumer of such an op becomes its activation.
 *
 * <p>Evaluation: each dense layer is a matrix–matrix product over the batch in plain Java (weights stored as one
 * array per input row, four of them applied to every row of the batch per pass, the loop the JIT vectorises;
 * about 15–20 GMAC/s on one AVX2 core, faster here than ND4J's sgemm at these sizes, whose call alone costs
 * ≈ 0.1 ms).
 *
 * <p>Immutable and thread-safe: each call uses its own scratch. {@link #output(float[], int)} splits batches of
 * {@value #PARALLEL_MIN} rows or more into chunks of {@value #CHUNK} rows run on the common fork-join pool (rows are
 * independent at inference); {@link #outputSequential} stays on the calling thread.
 *
 * <p>Support for smplr-smpl and smplr-dae; not part of the stable API.
 */
public final class MlpKernel {
    private static final int IDENTITY = 0;
    private static final int TANH = 1;
    private static final int ELU = 2;

    private static final int DENSE = 0;
    private static final int AFFINE = 1;
    private static final int ACTIVATION = 2;
    private static final int ADD = 3;
    private static final int CONCAT = 4;

    /** Rows per chunk when a batch is split over threads. */
    static final int CHUNK = 32;
    /** The smallest batch that is split over threads. */
    static final int PARALLEL_MIN = 2 * CHUNK;

    /** One step: reads buffers {@code in}, writes buffer {@code out} of {@code width} features. */
    private static final class Op {
        final int kind;
        final int[] in;
        final int out;
        final int width;
        /** DENSE: W (nIn, width) row-major while compiling; AFFINE: the scale s. */
        float[] w;
        /** DENSE: W as one array per input row, {@code rows[i][o]}, made at the end of compiling. */
        float[][] rows;
        /** DENSE: bias; AFFINE: the shift t. */
        float[] b;
        int nIn;
        int activation = IDENTITY;
        float alpha;

        Op(int kind, int[] in, int out, int width) {
            this.kind = kind;
            this.in = in;
            this.out = out;
            this.width = width;
        }
    }

    private final Op[] program;
    private final int buffers;
    private final int inputSize;
    private final int outputSize;
    private final int outputBuffer;

    /**
     * Copies the weights out of a graph and compiles its inference pass.
     *
     * @param graph an initialised graph of the supported vertices; not retained, later changes to it are not seen
     * @throws IllegalArgumentException if {@code graph} is null, has not one input and one output, or holds an
     *                                  unsupported vertex, layer, activation or preprocessor (the message names it)
     */
    public MlpKernel(ComputationGraph graph) {
        if (graph == null) {
            throw new IllegalArgumentException("graph: expected a ComputationGraph, got null");
        }
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("graph: expected one input and one output, got inputs "
                    + conf.getNetworkInputs() + " and outputs " + conf.getNetworkOutputs());
        }
        GraphVertex[] vertices = graph.getVertices();
        String outputName = conf.getNetworkOutputs().get(0);
        // consumers per vertex (the network output counts as one), to know when an op may absorb the next
        int[] consumers = new int[vertices.length];
        for (GraphVertex v : vertices) {
            if (v.getInputVertices() != null) {
                for (VertexIndices vi : v.getInputVertices()) {
                    consumers[vi.getVertexIndex()]++;
                }
            }
            if (v.getVertexName().equals(outputName)) {
                consumers[v.getVertexIndex()]++;
            }
        }

        List<Op> ops = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        int[] bufferOf = new int[vertices.length];
        // the op that wrote a vertex's buffer, when that vertex is the op's own (fusion candidate)
        Map<Integer, Op> producer = new HashMap<>();
        int inWidth = inputWidth(conf);
        int outBuf = -1;
        for (int index : graph.topologicalSortOrder()) {
            GraphVertex v = vertices[index];
            String name = v.getVertexName();
            if (v instanceof InputVertex) {
                bufferOf[index] = widths.size();
                widths.add(inWidth);
            } else if (v instanceof LayerVertex lv) {
                if (lv.getLayerPreProcessor() != null) {
                    throw unsupported(name, "preprocessor " + lv.getLayerPreProcessor().getClass().getSimpleName());
                }
                int src = v.getInputVertices()[0].getVertexIndex();
                int inBuf = bufferOf[src];
                Layer layer = v.getLayer();
                org.deeplearning4j.nn.conf.layers.Layer lc = layer.conf().getLayer();
                Op prev = consumers[src] == 1 ? producer.get(src) : null;
                if (lc instanceof DenseLayer d) {
                    if (d.hasLayerNorm()) {
                        throw unsupported(name, "DenseLayer with layer norm");
                    }
                    float[] w = floats(layer.getParam("W"));
                    int nOut = (int) d.getNOut();
                    int nIn = w.length / nOut;
                    inWidth = settle(name, widths, inBuf, nIn);
                    Op op = new Op(DENSE, new int[] {inBuf}, widths.size(), nOut);
                    widths.add(nOut);
                    op.w = w;
                    op.nIn = nIn;
                    op.b = d.hasBias() ? floats(layer.getParam("b")) : new float[nOut];
                    setActivation(op, name, d.getActivationFn());
                    ops.add(op);
                    bufferOf[index] = op.out;
                    producer.put(index, op);
                } else if (lc instanceof BatchNormalization bn) {
                    int n = (int) bn.getNOut();
                    settle(name, widths, inBuf, n);
                    float[] s = new float[n];
                    float[] t = new float[n];
                    foldBatchNorm(layer, bn, s, t);
                    if (prev != null && prev.kind == DENSE && prev.activation == IDENTITY) {
                        for (int i = 0; i < prev.nIn; i++) {
                            for (int o = 0; o < n; o++) {
                                prev.w[i * n + o] *= s[o];
                            }
                        }
                        for (int o = 0; o < n; o++) {
                            prev.b[o] = prev.b[o] * s[o] + t[o];
                        }
                        bufferOf[index] = prev.out;
                        producer.put(index, prev);
                    } else {
                        Op op = new Op(AFFINE, new int[] {inBuf}, widths.size(), n);
                        widths.add(n);
                        op.w = s;
                        op.b = t;
                        ops.add(op);
                        bufferOf[index] = op.out;
                        producer.put(index, op);
                    }
                } else if (lc instanceof ActivationLayer a) {
                    Op op = new Op(ACTIVATION, new int[] {inBuf}, widths.size(), widths.get(inBuf));
                    setActivation(op, name, a.getActivationFn());
                    if (prev != null && (prev.kind == DENSE || prev.kind == AFFINE) && prev.activation == IDENTITY) {
                        prev.activation = op.activation;
                        prev.alpha = op.alpha;
                        bufferOf[index] = prev.out;
                        producer.put(index, prev);
                    } else if (op.activation == IDENTITY) {
                        bufferOf[index] = inBuf;
                    } else {
                        widths.add(op.width);
                        ops.add(op);
                        bufferOf[index] = op.out;
                        producer.put(index, op);
                    }
                } else if (lc instanceof DropoutLayer) {
                    bufferOf[index] = inBuf;
                } else if (lc instanceof LossLayer loss) {
                    if (!(loss.getActivationFn() instanceof ActivationIdentity)) {
                        throw unsupported(name, "LossLayer activation " + loss.getActivationFn());
                    }
                    bufferOf[index] = inBuf;
                } else {
                    throw unsupported(name, "layer " + lc.getClass().getSimpleName());
                }
            } else if (v instanceof ElementWiseVertex || v instanceof MergeVertex) {
                boolean add = v instanceof ElementWiseVertex;
                if (add) {
                    Object c = conf.getVertices().get(name);
                    if (!(c instanceof org.deeplearning4j.nn.conf.graph.ElementWiseVertex e)
                            || e.getOp() != org.deeplearning4j.nn.conf.graph.ElementWiseVertex.Op.Add) {
                        throw unsupported(name, "element-wise op other than Add");
                    }
                }
                VertexIndices[] inputs = v.getInputVertices();
                int[] in = new int[inputs.length];
                int width = 0;
                for (int k = 0; k < in.length; k++) {
                    in[k] = bufferOf[inputs[k].getVertexIndex()];
                    int w = widths.get(in[k]);
                    if (w < 0) {
                        throw unsupported(name, "input of unknown width " + inputs[k]);
                    }
                    if (add && k > 0 && w != width) {
                        throw unsupported(name, "Add of widths " + width + " and " + w);
                    }
                    width = add ? w : width + w;
                }
                Op op = new Op(add ? ADD : CONCAT, in, widths.size(), width);
                widths.add(width);
                ops.add(op);
                bufferOf[index] = op.out;
            } else {
                throw unsupported(name, "vertex " + v.getClass().getSimpleName());
            }
            if (name.equals(outputName)) {
                outBuf = bufferOf[index];
            }
        }
        for (Op op : ops) {
            if (op.kind == DENSE) {
                op.rows = new float[op.nIn][];
                for (int i = 0; i < op.nIn; i++) {
                    op.rows[i] = java.util.Arrays.copyOfRange(op.w, i * op.width, (i + 1) * op.width);
                }
                op.w = null;
            }
        }
        this.program = ops.toArray(new Op[0]);
        this.buffers = widths.size();
        this.inputSize = widths.get(0);
        if (inputSize < 0) {
            throw new IllegalArgumentException("graph: the input's width is unknown (no input type, no consumer)");
        }
        this.outputBuffer = outBuf;
        this.outputSize = widths.get(outBuf);
    }

    private static int inputWidth(ComputationGraphConfiguration conf) {
        // known once its first dense or batch-norm consumer is seen
        return -1;
    }

    /** Sets an unknown buffer width (the input's) or checks a known one. @return the width */
    private static int settle(String name, List<Integer> widths, int buf, int n) {
        int w = widths.get(buf);
        if (w < 0) {
            widths.set(buf, n);
        } else if (w != n) {
            throw new IllegalArgumentException("graph vertex " + name + ": expected " + n + " input features, got "
                    + w);
        }
        return n;
    }

    private static void foldBatchNorm(Layer layer, BatchNormalization bn, float[] s, float[] t) {
        int n = s.length;
        double eps = bn.getEps();
        float[] gamma = bn.isLockGammaBeta() ? filled(n, bn.getGamma()) : floats(layer.getParam("gamma"));
        float[] beta = bn.isLockGammaBeta() ? filled(n, bn.getBeta()) : floats(layer.getParam("beta"));
        float[] mean = floats(layer.getParam("mean"));
        float[] spread = floats(layer.getParam(bn.isUseLogStd() ? "log10stdev" : "var"));
        for (int u = 0; u < n; u++) {
            double var;
            if (bn.isUseLogStd()) {
                double std = Math.pow(10, spread[u]);
                var = std * std;
            } else {
                var = spread[u];
            }
            double scale = gamma[u] / Math.sqrt(var + eps);
            s[u] = (float) scale;
            t[u] = (float) (beta[u] - mean[u] * scale);
        }
    }

    private static float[] filled(int n, double value) {
        float[] out = new float[n];
        java.util.Arrays.fill(out, (float) value);
        return out;
    }

    private static void setActivation(Op op, String name, IActivation fn) {
        if (fn instanceof ActivationIdentity) {
            op.activation = IDENTITY;
        } else if (fn instanceof ActivationTanH) {
            op.activation = TANH;
        } else if (fn instanceof ActivationELU elu) {
            op.activation = ELU;
            op.alpha = (float) elu.getAlpha();
        } else {
            throw unsupported(name, "activation " + fn);
        }
    }

    private static IllegalArgumentException unsupported(String vertex, String what) {
        return new IllegalArgumentException("graph vertex " + vertex + ": unsupported " + what
                + " (expected dense, batch norm, activation, dropout, Add, Merge or identity loss)");
    }

    private static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** @return the number of input features per row */
    public int inputSize() {
        return inputSize;
    }

    /** @return the number of output features per row */
    public int outputSize() {
        return outputSize;
    }

    /**
     * The graph's inference output for a batch of rows; a batch of {@value #PARALLEL_MIN} rows or more is split
     * into chunks of {@value #CHUNK} rows run on the common fork-join pool.
     *
     * @param input {@code batch × inputSize()} values, row-major. Not modified.
     * @param batch the number of rows, at least 1
     * @return {@code batch × outputSize()} values, row-major, a new array
     * @throws IllegalArgumentException if {@code input} is null, {@code batch} &lt; 1, or the length is not
     *                                  {@code batch·inputSize()}
     */
    public float[] output(float[] input, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch: expected at least 1 row, got " + batch);
        }
        if (input == null || input.length != (long) batch * inputSize) {
            throw new IllegalArgumentException("input: expected " + batch + "×" + inputSize + " = "
                    + (long) batch * inputSize + " values, got " + (input == null ? "null" : input.length));
        }
        float[] out = new float[batch * outputSize];
        if (batch < PARALLEL_MIN) {
            run(input, 0, out, 0, batch);
        } else {
            int chunks = (batch + CHUNK - 1) / CHUNK;
            IntStream.range(0, chunks).parallel().forEach(c -> {
                int r0 = c * CHUNK;
                run(input, r0 * inputSize, out, r0 * outputSize, Math.min(batch, r0 + CHUNK) - r0);
            });
        }
        return out;
    }

    /**
     * The graph's inference output for a batch of rows, on the calling thread only (for callers that split a
     * batch over threads themselves). Allocates its scratch (the activations of the batch) per call.
     *
     * @param input     {@code batch × inputSize()} values, row-major, from {@code inputOff}. Not modified.
     * @param inputOff  offset of the first row in {@code input}
     * @param output    receives {@code batch × outputSize()} values, row-major, from {@code outputOff}. Modified.
     * @param outputOff offset of the first row in {@code output}
     * @param batch     the number of rows, 0 or more
     * @throws IllegalArgumentException if an array is null or too short for its offset and {@code batch}, or
     *                                  {@code batch} is negative
     */
    public void outputSequential(float[] input, int inputOff, float[] output, int outputOff, int batch) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch: expected 0 or more rows, got " + batch);
        }
        range("input", input, inputOff, batch, inputSize);
        range("output", output, outputOff, batch, outputSize);
        if (batch > 0) {
            run(input, inputOff, output, outputOff, batch);
        }
    }

    private static void range(String name, float[] a, int off, int batch, int width) {
        long need = (long) batch * width;
        if (a == null || off < 0 || off + need > a.length) {
            throw new IllegalArgumentException(name + ": expected " + batch + "×" + width + " = " + need
                    + " values from offset " + off + ", got " + (a == null ? "null" : a.length + " values"));
        }
    }

    /**
     * {@code m} rows from {@code input[inOff..]} through the program into {@code out[outOff..]}. The activations
     * are kept as one array per row: the dense kernel then indexes every array by the same loop variable, the
     * loop shape HotSpot's C2 vectorises (with two offsets into one flat array it could not rule out overlap and
     * stayed scalar, ≈ 10× slower).
     */
    private void run(float[] input, int inOff, float[] out, int outOff, int m) {
        float[][][] bufs = new float[buffers][][];
        float[][] x0 = new float[m][];
        for (int r = 0; r < m; r++) {
            x0[r] = java.util.Arrays.copyOfRange(input, inOff + r * inputSize, inOff + (r + 1) * inputSize);
        }
        bufs[0] = x0;
        for (Op op : program) {
            float[][] y = new float[m][op.width];
            switch (op.kind) {
                case DENSE -> dense(op.rows, op.b, bufs[op.in[0]], y, m);
                case AFFINE -> {
                    float[][] x = bufs[op.in[0]];
                    for (int r = 0; r < m; r++) {
                        float[] xr = x[r];
                        float[] yr = y[r];
                        for (int o = 0; o < op.width; o++) {
                            yr[o] = xr[o] * op.w[o] + op.b[o];
                        }
                    }
                }
                case ACTIVATION -> {
                    float[][] x = bufs[op.in[0]];
                    for (int r = 0; r < m; r++) {
                        System.arraycopy(x[r], 0, y[r], 0, op.width);
                    }
                }
                case ADD -> {
                    for (int r = 0; r < m; r++) {
                        float[] yr = y[r];
                        System.arraycopy(bufs[op.in[0]][r], 0, yr, 0, op.width);
                        for (int k = 1; k < op.in.length; k++) {
                            float[] xr = bufs[op.in[k]][r];
                            for (int o = 0; o < op.width; o++) {
                                yr[o] += xr[o];
                            }
                        }
                    }
                }
                default -> { // CONCAT
                    for (int r = 0; r < m; r++) {
                        int col = 0;
                        for (int k = 0; k < op.in.length; k++) {
                            float[] xr = bufs[op.in[k]][r];
                            System.arraycopy(xr, 0, y[r], col, xr.length);
                            col += xr.length;
                        }
                    }
                }
            }
            for (int r = 0; r < m; r++) {
                activate(op.activation, op.alpha, y[r]);
            }
            bufs[op.out] = y;
        }
        float[][] result = bufs[outputBuffer];
        for (int r = 0; r < m; r++) {
            System.arraycopy(result[r], 0, out, outOff + r * outputSize, outputSize);
        }
    }

    /**
     * {@code y[r] = b + Σ_i x[r][i]·w[i]} for the m rows: four weight rows at a time are applied to every row
     * (so they are read from L1 once per row of the batch, and each row of y is loaded and stored once per four
     * inputs), the sum {@code y[r][o] += x[r][i]·w[i][o] + … + x[r][i+3]·w[i+3][o]} in one loop over o.
     *
     * @param w the weights, one array per input ({@code w[i][o]}, nIn × width). Not modified.
     * @param b the bias (width). Not modified.
     * @param x the input rows (m × nIn). Not modified.
     * @param y the output rows (m × width). Modified.
     */
    private static void dense(float[][] w, float[] b, float[][] x, float[][] y, int m) {
        int in = w.length;
        int n = b.length;
        for (int r = 0; r < m; r++) {
            System.arraycopy(b, 0, y[r], 0, n);
        }
        int i = 0;
        for (; i + 3 < in; i += 4) {
            float[] w0 = w[i];
            float[] w1 = w[i + 1];
            float[] w2 = w[i + 2];
            float[] w3 = w[i + 3];
            for (int r = 0; r < m; r++) {
                float[] xr = x[r];
                float a0 = xr[i];
                float a1 = xr[i + 1];
                float a2 = xr[i + 2];
                float a3 = xr[i + 3];
                if (a0 == 0f && a1 == 0f && a2 == 0f && a3 == 0f) {
                    continue; // zeroed features (joints-only inputs) cost nothing
                }
                float[] yr = y[r];
                for (int o = 0; o < n; o++) {
                    yr[o] += a0 * w0[o] + a1 * w1[o] + a2 * w2[o] + a3 * w3[o];
                }
            }
        }
        for (; i < in; i++) {
            float[] w0 = w[i];
            for (int r = 0; r < m; r++) {
                float a0 = x[r][i];
                if (a0 == 0f) {
                    continue;
                }
                float[] yr = y[r];
                for (int o = 0; o < n; o++) {
                    yr[o] += a0 * w0[o];
                }
            }
        }
    }

    /**
     * The activation in place, in double from {@code Math.exp} (a JIT intrinsic; {@code expm1} and {@code tanh} are
     * not on Java 17 and cost 2× and 10× more). ELU: {@code α·(eˣ − 1)} for x ≤ 0, as libnd4j computes it; tanh:
     * {@code (1 − t)/(1 + t)} with {@code t = e^(−2|x|)} and x's sign. The cancellation in {@code eˣ − 1} and
     * {@code 1 − t} costs about 1e-16 absolute, far below float rounding of the result.
     */
    private static void activate(int activation, float alpha, float[] y) {
        if (activation == TANH) {
            for (int j = 0; j < y.length; j++) {
                double z = y[j];
                double t = Math.exp(-2 * Math.abs(z));
                y[j] = (float) Math.copySign((1 - t) / (1 + t), z);
            }
        } else if (activation == ELU) {
            for (int j = 0; j < y.length; j++) {
                float z = y[j];
                if (z <= 0) {
                    y[j] = (float) (alpha * (Math.exp(z) - 1));
                }
            }
        }
    }
}
