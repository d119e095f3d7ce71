package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FastHourglassTest {

    /** Small but complete: two stacks (one intermediate head), two pooling levels, skip convs in the stem. */
    private static final HourglassConfig SMALL = HourglassConfig.demo().toBuilder().stacks(2).features(16).depth(2)
            .depthBins(2).inputSize(32).build();

    private static ComputationGraph graph;
    private static FastHourglass fast;

    @BeforeAll
    static void build() {
        graph = HourglassNetwork.build(SMALL);
        randomizeBatchNorms(graph, new SplittableRandom(3));
        fast = FastHourglass.from(graph, SMALL);
    }

    /** Random γ, β and running statistics, so that folding each of them is tested. */
    static void randomizeBatchNorms(ComputationGraph g, SplittableRandom rnd) {
        for (Layer layer : g.getLayers()) {
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                set(layer, "gamma", rnd, 0.5, 1.5);
                set(layer, "beta", rnd, -0.5, 0.5);
                set(layer, "mean", rnd, -0.5, 0.5);
                if (layer.paramTable().containsKey("var")) {
                    set(layer, "var", rnd, 0.5, 2.0);
                } else {
                    set(layer, "log10stdev", rnd, -0.2, 0.2); // σ in [0.63, 1.58]
                }
            }
        }
    }

    private static void set(Layer layer, String key, SplittableRandom rnd, double lo, double hi) {
        INDArray p = layer.getParam(key);
        if (p == null) {
            throw new IllegalStateException(layer.conf().getLayer().getLayerName() + ": no " + key + " in "
                    + layer.paramTable().keySet());
        }
        float[] v = new float[(int) p.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextDouble(lo, hi);
        }
        layer.setParam(key, Nd4j.create(v, p.shape(), 'c'));
    }

    private static INDArray image(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, n, 3, SMALL.inputSize(), SMALL.inputSize());
    }

    private static double relativeError(INDArray expected, INDArray actual) {
        assertThat(actual.shape()).containsExactly(expected.shape());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        return diff / expected.amaxNumber().doubleValue();
    }

    @Test
    void outputs_randomWeightsAndStatistics_matchGraphInference() {
        INDArray x = image(3, 11);
        INDArray[] expected = graph.output(false, x.dup());
        INDArray[] actual = fast.outputs(x);

        assertThat(actual).hasSize(SMALL.stacks());
        for (int s = 0; s < expected.length; s++) {
            assertThat(expected[s].amaxNumber().doubleValue()).as("stack %d scale", s).isGreaterThan(1e-3);
            assertThat(relativeError(expected[s], actual[s])).as("stack %d", s).isLessThan(1e-3);
        }
    }

    @Test
    void lastOutput_foldedIntermediateHeads_matchesGraphLastOutput() {
        INDArray x = image(2, 12);
        INDArray[] expected = graph.output(false, x.dup());

        INDArray actual = fast.lastOutput(x);

        assertThat(relativeError(expected[expected.length - 1], actual)).isLessThan(1e-3);
    }

    @Test
    void outputs_repeatedCallsAndOtherBatchSizes_reuseWorkspacesWithoutCrosstalk() {
        INDArray a = image(2, 13);
        INDArray b = image(1, 14);
        INDArray first = fast.outputs(a)[1];
        INDArray single = fast.outputs(b)[1];
        INDArray again = fast.outputs(a)[1];

        assertThat(again.equalsWithEps(first, 0)).isTrue();
        assertThat(relativeError(graph.output(false, b.dup())[1], single)).isLessThan(1e-3);
    }

    @Test
    void convFlopsPerImage_smallConfig_matchesGraphLayerCount() {
        // Independent count: 2·|W|·(output pixels) over the graph's convolution layers, sizes from DL4J.
        Map<String, InputType> types = graph.getConfiguration().getLayerActivationTypes(
                InputType.convolutional(SMALL.inputSize(), SMALL.inputSize(), 3, CNN2DFormat.NCHW));
        double all = 0;
        double heads = 0;
        for (Layer layer : graph.getLayers()) {
            if (layer.conf().getLayer() instanceof ConvolutionLayer) {
                String name = layer.conf().getLayer().getLayerName();
                InputType.InputTypeConvolutional out = (InputType.InputTypeConvolutional) types.get(name);
                double flops = 2.0 * layer.getParam("W").length() * out.getHeight() * out.getWidth();
                all += flops;
                boolean intermediate = !name.startsWith("s" + (SMALL.stacks() - 1) + "_");
                if (intermediate && (name.endsWith("_llp") || name.endsWith("_out") || name.endsWith("_outp"))) {
                    heads += flops;
                }
            }
        }
        double r = SMALL.outputSize();
        double folded = (SMALL.stacks() - 1) * 2 * r * r * SMALL.features() * SMALL.features();

        assertThat(FastHourglass.convFlopsPerImage(SMALL, true)).isEqualTo(all);
        assertThat(FastHourglass.convFlopsPerImage(SMALL, false)).isEqualTo(all - heads + folded);
        assertThat(FastHourglass.convFlopsPerImage(HourglassConfig.paper(), true) / 1e9).isBetween(40.25, 40.27);
    }

    @Test
    void outputs_wrongImageShape_throwsNamingShapes() {
        assertThatThrownBy(() -> fast.outputs(Nd4j.zeros(DataType.FLOAT, 1, 3, 16, 32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("image: expected (N, 3, 32, 32), got [1, 3, 16, 32]");
    }
}
