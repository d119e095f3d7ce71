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
