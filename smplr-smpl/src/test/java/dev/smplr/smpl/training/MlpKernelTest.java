package dev.smplr.smpl.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smplr.smpl.RegressorConfig;
import dev.smplr.smpl.RegressorGraphs;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMAE;

class MlpKernelTest {
    /** Random batch-norm statistics and affine parameters, so that folding them is really tested. */
    private static void randomizeBatchNorm(ComputationGraph graph, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (GraphVertex v : graph.getVertices()) {
            if (!v.hasLayer() || !(v.getLayer().conf().getLayer() instanceof BatchNormalization)) {
                continue;
            }
            Layer bn = v.getLayer();
            set(bn, "gamma", rng, 0.5, 1.5);
            set(bn, "beta", rng, -0.5, 0.5);
            set(bn, "mean", rng, -0.3, 0.3);
            set(bn, "log10stdev", rng, -0.3, 0.3);
        }
    }

    private static void set(Layer layer, String param, SplittableRandom rng, double lo, double hi) {
        INDArray p = layer.getParam(param);
        float[] values = new float[(int) p.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        }
        layer.setParam(param, Nd4j.create(values, p.shape(), 'c'));
    }

    private static float[] random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }

    /** Kernel against DL4J's own inference, |k − g| ≤ 1e-5·(|g| + rms g). */
    private static void assertMatches(ComputationGraph graph, int batch) {
        MlpKernel kernel = new MlpKernel(graph);
        int in = kernel.inputSize();
        float[] x = random(batch * in, 100 + batch);
        float[] expected = graph.output(false, Nd4j.create(x, new long[] {batch, in}, 'c'))[0]
                .castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] actual = kernel.output(x, batch);
        assertThat(actual).hasSize(expected.length);
        assertThat(kernel.outputSize() * batch).isEqualTo(expected.length);
        double sq = 0;
        for (float e : expected) {
            sq += e * e;
        }
        double rms = Math.sqrt(sq / expected.length);
        assertThat(rms).isGreaterThan(1e-3);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) Math.abs(actual[i] - expected[i])).as("output %d", i)
                    .isLessThanOrEqualTo(1e-5 * (Math.abs(expected[i]) + rms));
        }
    }

    @Test
    void output_poseRegressor_matchesGraph() {
        ComputationGraph g = RegressorGraphs.demo(RegressorConfig.Kind.POSE);
        randomizeBatchNorm(g, 1);
        assertMatches(g, 1);
        assertMatches(g, 37);
        assertMatches(g, MlpKernel.PARALLEL_MIN + 7); // split over threads
    }

    // ---------------------------------------------------------------------------------------------------------
    // float64 reference of the regressor graph, written from its definition (RegressorNetwork), not the kernel

    private static double[] param(ComputationGraph g, String layer, String name) {
        return g.getLayer(layer).getParam(name).castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** x·W + b for one row, W (nIn, nOut) row-major. */
    private static double[] denseRef(ComputationGraph g, String layer, double[] x) {
        double[] w = param(g, layer, "W");
        double[] b = param(g, layer, "b");
        int n = b.length;
        double[] y = b.clone();
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < n; o++) {
                y[o] += x[i] * w[i * n + o];
            }
        }
        return y;
    }

    /** dense → batch norm on running statistics → ELU (α = 1), as DenseBlocks.block builds it. */
    private static double[] blockRef(ComputationGraph g, String name, double[] x) {
        double[] z = denseRef(g, name + "_fc", x);
        BatchNormalization conf = (BatchNormalization) g.getLayer(name + "_bn").conf().getLayer();
        double[] gamma = param(g, name + "_bn", "gamma");
        double[] beta = param(g, name + "_bn", "beta");
        double[] mean = param(g, name + "_bn", "mean");
        double[] log10std = param(g, name + "_bn", "log10stdev");
        for (int o = 0; o < z.length; o++) {
            double var = Math.pow(10, 2 * log10std[o]);
            double bn = (z[o] - mean[o]) / Math.sqrt(var + conf.getEps()) * gamma[o] + beta[o];
            z[o] = bn > 0 ? bn : Math.expm1(bn);
        }
        return z;
    }

    /** Ω/Ψ in float64: trunk fce1..fce41, branches (fce42, fce5, x) and (fce43, x_offset), concat, x2. */
    private static double[] regressorRef(ComputationGraph g, double[] x, boolean tanh) {
        double[] t = x;
        for (String name : new String[] {"fce1", "fce2", "fce3", "fce4", "fce41"}) {
            t = blockRef(g, name, t);
        }
        double[] a = denseRef(g, "x", blockRef(g, "fce5", blockRef(g, "fce42", t)));
        double[] b = denseRef(g, "x_offset", blockRef(g, "fce43", t));
        double[] both = new double[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        double[] y = denseRef(g, "x2", both);
        if (tanh) {
            for (int o = 0; o < y.length; o++) {
                y[o] = Math.tanh(y[o]);
            }
        }
        return y;
    }

    private static void assertMatchesReference(ComputationGraph g, boolean tanh, int batch, boolean zeroHalf) {
        MlpKernel kernel = new MlpKernel(g);
        int in = kernel.inputSize();
        int out = kernel.outputSize();
        float[] x = random(batch * in, 7 + batch);
        if (zeroHalf) { // as a joints-only regressor's input: whole runs of features are zero
            for (int r = 0; r < batch; r++) {
                java.util.Arrays.fill(x, r * in + in / 2, (r + 1) * in, 0f);
            }
        }
        float[] actual = kernel.output(x, batch);
        double worst = 0;
        for (int r = 0; r < batch; r++) {
            double[] row = new double[in];
            for (int i = 0; i < in; i++) {
                row[i] = x[r * in + i];
            }
            double[] expected = regressorRef(g, row, tanh);
            double sq = 0;
            for (double e : expected) {
                sq += e * e;
            }
            double rms = Math.sqrt(sq / out);
            assertThat(rms).isGreaterThan(1e-3);
            for (int o = 0; o < out; o++) {
                worst = Math.max(worst, Math.abs(actual[r * out + o] - expected[o]) / (Math.abs(expected[o]) + rms));
            }
        }
        assertThat(worst).as("worst relative error at batch %d", batch).isLessThanOrEqualTo(1e-5);
    }

    @Test
    void output_poseRegressor_matchesFloat64Reference() {
        ComputationGraph g = RegressorGraphs.demo(RegressorConfig.Kind.POSE);
        randomizeBatchNorm(g, 4);
        assertMatchesReference(g, true, 1, false);
        assertMatchesReference(g, true, 5, true);
        assertMatchesReference(g, true, MlpKernel.PARALLEL_MIN + 3, false);
    }

    @Test
    void output_shapeRegressor_matchesFloat64Reference() {
        ComputationGraph g = RegressorGraphs.demo(RegressorConfig.Kind.SHAPE);
        randomizeBatchNorm(g, 5);
        assertMatchesReference(g, false, 3, false);
        assertMatchesReference(g, false, MlpKernel.PARALLEL_MIN, true);
    }

    @Test
    void outputSequential_offsets_equalOutput() {
        MlpKernel kernel = new MlpKernel(RegressorGraphs.demo(RegressorConfig.Kind.SHAPE));
        int in = kernel.inputSize();
        int out = kernel.outputSize();
        int batch = MlpKernel.PARALLEL_MIN + 1;
        float[] x = random(batch * in, 21);
        float[] expected = kernel.output(x, batch);
        float[] shifted = new float[5 + x.length];
        System.arraycopy(x, 0, shifted, 5, x.length);
        float[] actual = new float[3 + expected.length + 2];
        kernel.outputSequential(shifted, 5, actual, 3, batch);
        assertThat(java.util.Arrays.copyOfRange(actual, 3, 3 + expected.length)).containsExactly(expected);
        assertThat(actual[0]).isZero();
        assertThat(actual[actual.length - 1]).isZero();
        assertThatThrownBy(() -> kernel.outputSequential(x, 1, new float[batch * out], 0, batch))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input");
        assertThatThrownBy(() -> kernel.outputSequential(x, 0, new float[batch * out - 1], 0, batch))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output");
        assertThatThrownBy(() -> kernel.outputSequential(x, 0, new float[0], 0, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch");
    }

    @Test
    void output_shapeRegressor_matchesGraph() {
        ComputationGraph g = RegressorGraphs.demo(RegressorConfig.Kind.SHAPE);
        randomizeBatchNorm(g, 2);
        assertMatches(g, 1);
        assertMatches(g, 37);
    }

    /** Dropout, Add, a batch norm after a tanh dense and an activation after Add: the unfused paths. */
    @Test
    void output_unfusedVertices_matchGraph() {
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT).graphBuilder()
                .addInputs("in").setInputTypes(InputType.feedForward(12));
        String a = DenseBlocks.dense(g, "a", "in", 20, Activation.TANH);
        a = DenseBlocks.dropout(g, "drop", a, 0.7);
        g.addLayer("a_bn", new BatchNormalization.Builder().eps(1e-3).build(), a);
        String b = DenseBlocks.block(g, "b", "a_bn", 20, 0.99, 1e-3);
        String sum = DenseBlocks.add(g, "sum", b, "a_bn");
        g.addLayer("sum_elu", new ActivationLayer.Builder().activation(Activation.ELU).build(), sum);
        String c = DenseBlocks.concat(g, "cat", "sum_elu", "a");
        String out = DenseBlocks.dense(g, "out", c, 7, Activation.IDENTITY);
        g.addLayer("loss", new LossLayer.Builder(new LossMAE()).activation(Activation.IDENTITY).build(), out);
        ComputationGraph graph = new ComputationGraph(g.setOutputs("loss").build());
        graph.init();
        randomizeBatchNorm(graph, 3);
        assertMatches(graph, 1);
        assertMatches(graph, 37);
    }

    @Test
    void constructor_unsupportedLayer_namesIt() {
        GraphBuilder g = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
                .addInputs("in").setInputTypes(InputType.feedForward(4));
        DenseBlocks.dense(g, "fc", "in", 5, Activation.ELU);
        g.addLayer("head", new OutputLayer.Builder(new LossMAE()).nOut(2).activation(Activation.IDENTITY).build(),
                "fc");
        ComputationGraph graph = new ComputationGraph(g.setOutputs("head").build());
        graph.init();
        assertThatThrownBy(() -> new MlpKernel(graph)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("head").hasMessageContaining("OutputLayer");
    }

    @Test
    void constructor_unsupportedActivation_namesVertex() {
        GraphBuilder g = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
                .addInputs("in").setInputTypes(InputType.feedForward(4));
        DenseBlocks.dense(g, "relu_fc", "in", 5, Activation.RELU);
        ComputationGraph graph = new ComputationGraph(g.setOutputs("relu_fc").build());
        graph.init();
        assertThatThrownBy(() -> new MlpKernel(graph)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("relu_fc");
    }

    @Test
    void output_wrongLength_isRejected() {
        MlpKernel kernel = new MlpKernel(RegressorGraphs.demo(RegressorConfig.Kind.SHAPE));
        assertThatThrownBy(() -> kernel.output(new float[40], 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input").hasMessageContaining("41");
        assertThatThrownBy(() -> kernel.output(new float[41], 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch");
    }
}
