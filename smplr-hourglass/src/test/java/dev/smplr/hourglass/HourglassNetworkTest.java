package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.HashSet;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class HourglassNetworkTest {
    /** Small enough to run in a test: 2 stacks, 16 features, 2 levels, 32×32 → 8×8×4. */
    private static final HourglassConfig TINY = HourglassConfig.builder().stacks(2).features(16).depth(2)
            .depthBins(4).inputSize(32).build();

    @Test
    void build_paperPreset_releaseParameterCountNear16_5M() {
        // Graph configuration only: the parameter arrays are created without running anything.
        ComputationGraph graph = HourglassNetwork.build(HourglassConfig.paper());
        long release = HourglassNetwork.releaseParameterCount(graph);
        // Closed form (independent of DL4J): per Residual(C) from Cin: C/2·Cin + 9·(C/2)² + C·C/2 conv weights,
        // Cin + C/2 + C/2 BN offsets, plus Cin·C for a 1x1 skip when Cin != C.
        long f = 256;
        long res = residual(f, f);
        long hourglass = 13 * res;
        long stem = 6 * 6 * 3 * 64 + residual(64, 128) + residual(128, 128) + residual(128, 256);
        long k = 720;
        long intermediate = hourglass + f * f + f + f * f + f * k + k * f;
        long last = hourglass + f * f + f + f * k;
        long expected = stem + 4 * intermediate + last;
        assertThat(release).isEqualTo(expected);
        assertThat((double) release).isCloseTo(16.5e6, org.assertj.core.data.Percentage.withPercentage(3));
        // DL4J also holds γ and the running mean/variance of every batch norm: three more per BN channel.
        long bnChannels = release - convWeights(graph);
        assertThat(graph.numParams()).isEqualTo(release + 3 * bnChannels);
        System.out.printf("paper preset: %d parameters as the release counts (conv W + BN beta), %d in DL4J%n",
                release, graph.numParams());
    }

    private static long residual(long in, long out) {
        long h = out / 2;
        long n = h * in + 9 * h * h + out * h + in + h + h;
        return in != out ? n + in * out : n;
    }

    private static long convWeights(ComputationGraph graph) {
        long n = 0;
        for (var layer : graph.getLayers()) {
            if (layer.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer) {
                n += layer.getParam("W").length();
            }
        }
        return n;
    }

    @Test
    void output_tinyConfig_oneOutputPerStackWithHeadShape() {
        ComputationGraph graph = HourglassNetwork.build(TINY);
        INDArray image = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        INDArray[] out = graph.output(false, image);
        assertThat(out).hasSize(2);
        for (INDArray o : out) {
            assertThat(o.shape()).containsExactly(2, 4L * 45 * 8 * 8);
        }
        // The loss layer's output is the head conv flattened NCHW: value c·R² + y·R + x.
        var acts = graph.feedForward(image, false);
        INDArray head = acts.get(HourglassNetwork.headName(1));
        assertThat(head.shape()).containsExactly(2, 180, 8, 8);
        assertThat(out[1].getFloat(1, (7L * 8 + 3) * 8 + 5)).isEqualTo(head.getFloat(1, 7, 3, 5));
        assertThat(out[1].getFloat(0, (179L * 8 + 7) * 8 + 0)).isEqualTo(head.getFloat(0, 179, 7, 0));
    }

    @Test
    void configuration_tinyConfig_everyVertexUsedAndNamesStable() {
        ComputationGraphConfiguration conf = HourglassNetwork.configuration(TINY,
                new org.nd4j.linalg.learning.config.Adam(1e-3));
        Set<String> consumed = new HashSet<>();
        conf.getVertexInputs().values().forEach(consumed::addAll);
        Set<String> outputs = Set.copyOf(conf.getNetworkOutputs());
        for (String name : conf.getVertices().keySet()) {
            assertThat(consumed.contains(name) || outputs.contains(name)).as(name).isTrue();
        }
        Set<String> names = conf.getVertices().keySet();
        assertThat(names).contains("stem_conv", "stem_res3", "s0_hg0", "s0_hg1_low2", "s0_hg0_up1_conv2",
                "s0_ll", "s0_llp", "s0_drop", "s0_out", "s0_outp", "s0_next", "s1_out", "s1_loss",
                "stem_res1_skip");
        assertThat(names).doesNotContain("s1_llp", "s1_next", "s0_hg2_low2");
        GraphVertex next = conf.getVertices().get("s0_next");
        assertThat(conf.getVertexInputs().get("s0_next")).containsExactly("s0_drop", "s0_outp", "stem_res3");
        assertThat(next).isNotNull();
        assertThat(conf.getVertexInputs().get("s0_out")).containsExactly("s0_ll");
        assertThat(conf.getVertexInputs().get("s1_out")).containsExactly("s1_drop");
    }

    @Test
    void param_byName_convHasNoBiasAndShape() {
        ComputationGraph graph = HourglassNetwork.build(TINY);
        assertThat(HourglassNetwork.param(graph, "stem_conv", "W").shape()).containsExactly(4, 3, 6, 6);
        assertThat(HourglassNetwork.param(graph, "s0_hg0_up1_conv2", "W").shape()).containsExactly(8, 8, 3, 3);
        assertThat(graph.getLayer("s0_out").paramTable()).containsOnlyKeys("W");
        assertThat(graph.getLayer("s0_ll_bn").paramTable()).containsOnlyKeys("gamma", "beta", "mean", "log10stdev");
    }

    @Test
    void param_batchNorm_inferenceFormulaAsDocumented() {
        ComputationGraph graph = HourglassNetwork.build(TINY);
        // Non-trivial statistics, so the check can fail; java.util.Random, so they do not depend on what else used
        // ND4J's generator before this test.
        Random random = new Random(11);
        float[] gamma = new float[16];
        float[] mean = new float[16];
        float[] logStd = new float[16];
        for (int c = 0; c < 16; c++) {
            gamma[c] = (c % 3 == 0 ? -1 : 1) * (0.5f + random.nextFloat());
            mean[c] = random.nextFloat() - 0.5f;
            logStd[c] = random.nextFloat() - 0.5f;
        }
        float[] pixels = new float[3 * 32 * 32];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        INDArray image = Nd4j.create(pixels, new long[] {1, 3, 32, 32});
        HourglassNetwork.param(graph, "s0_ll_bn", "gamma").assign(Nd4j.create(gamma));
        HourglassNetwork.param(graph, "s0_ll_bn", "mean").assign(Nd4j.create(mean));
        HourglassNetwork.param(graph, "s0_ll_bn", "log10stdev").assign(Nd4j.create(logStd));
        // β puts the first pixel of every other channel 0.5 above zero and the rest 0.5 below, so both sides of
        // the ReLU are checked whatever the convolution weights (the batch norm's input does not depend on β)
        INDArray x = graph.feedForward(image, false).get("s0_ll_conv").dup();
        float[] beta = new float[16];
        for (int c = 0; c < 16; c++) {
            double normalised = gamma[c] * (x.getDouble(0, c, 2, 3) - mean[c]) / Math.pow(10, logStd[c]);
            beta[c] = (float) (-normalised + (c % 2 == 0 ? 0.5 : -0.5));
        }
        HourglassNetwork.param(graph, "s0_ll_bn", "beta").assign(Nd4j.create(beta));
        // DL4J's ReLU layer works in place on the BN output, so compare after the ReLU: s0_ll = max(0, BN(x)).
        INDArray y = graph.feedForward(image, false).get("s0_ll");
        for (int[] at : new int[][] {{2, 3}, {0, 0}, {5, 1}, {7, 7}}) {
            for (int c = 0; c < 16; c++) {
                double sigma = Math.pow(10, logStd[c]);
                double normalised = gamma[c] * (x.getDouble(0, c, at[0], at[1]) - mean[c]) / sigma;
                double expected = normalised + beta[c];
                // float32 inside DL4J (σ from log10 in float): a tolerance relative to the terms, which reach
                // several units and may cancel
                double tolerance = 1e-4 * Math.max(1, Math.abs(normalised) + Math.abs(beta[c]));
                assertThat(y.getDouble(0, c, at[0], at[1])).isCloseTo(Math.max(0, expected),
                        org.assertj.core.data.Offset.offset(tolerance));
            }
        }
        assertThatThrownBy(() -> HourglassNetwork.param(graph, "nope", "W"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> HourglassNetwork.param(graph, "s0_out", "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'b'");
    }

    @Test
    void fit_tinyConfig_jsonRoundTripKeepsLoss() {
        for (HourglassLoss loss : HourglassLoss.values()) {
            HourglassConfig c = TINY.toBuilder().loss(loss).build();
            ComputationGraphConfiguration conf = HourglassNetwork.configuration(c,
                    new org.nd4j.linalg.learning.config.Adam(1e-3));
            ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
            assertThat(back.toJson()).isEqualTo(conf.toJson());
            assertThat(((org.deeplearning4j.nn.conf.graph.LayerVertex) back.getVertices().get("s1_loss"))
                    .getLayerConf().getLayer()).extracting("lossFn").isEqualTo(HourglassNetwork.lossFunction(c));
        }
    }
}
