package dev.smplr.dae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.smplr.core.internal.Tensors;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class DenoiserNetworkTest {

    private static final DenoiserConfig TINY = DenoiserConfig.builder().width1(32).width2(32).bottleneck(16).build();

    /** Built once: the paper graph has 3.4 M parameters. */
    private static final ComputationGraph PAPER = DenoiserNetwork.build(DenoiserConfig.paper());

    /** Dense weights + biases, from the widths alone. */
    private static long dense(long in, long out) {
        return in * out + out;
    }

    @Test
    void build_paper_parameterCountMatchesSpec() {
        ComputationGraph graph = PAPER;
        long fc = dense(123, 1024) + dense(1024, 1024) + dense(1024, 512) + dense(512, 1024) + dense(1024, 1024)
                + dense(1024, 123);
        long bnUnits = 1024 + 1024 + 512 + 1024 + 1024;
        long trainable = 0;
        long running = 0;
        for (Layer layer : graph.getLayers()) {
            for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
                String key = e.getKey();
                boolean stat = key.equals("mean") || key.equals("var") || key.equals("log10stdev");
                if (stat) {
                    running += e.getValue().length();
                } else {
                    trainable += e.getValue().length();
                }
            }
        }
        assertThat(trainable).isEqualTo(fc + 2 * bnUnits).isEqualTo(3_411_579L);
        assertThat(running).isEqualTo(2 * bnUnits);
        assertThat(graph.numParams()).isEqualTo(trainable + running);
        assertThat((double) trainable).isCloseTo(3.41e6, within(0.01 * 3.41e6));
    }

    @Test
    void output_everyPreset_hasBatchBy123() {
        for (DenoiserConfig c : List.of(DenoiserConfig.paper(), DenoiserConfig.demo(),
                DenoiserConfig.demo().toBuilder().lifting(true).build())) {
            ComputationGraph graph = c.equals(DenoiserConfig.paper()) ? PAPER : DenoiserNetwork.build(c);
            INDArray x = Nd4j.rand(DataType.FLOAT, 4, c.inputSize());
            INDArray[] out = graph.output(false, x);
            assertThat(out).hasSize(1);
            assertThat(out[0].shape()).containsExactly(4, 123);
            assertThat(graph.getConfiguration().getNetworkOutputs()).containsExactly(DenoiserNetwork.OUTPUT);
        }
    }

    @Test
    void configuration_everyVertexIsUsed() {
        for (boolean lifting : new boolean[] {false, true}) {
            ComputationGraphConfiguration conf = DenoiserNetwork.configuration(
                    TINY.toBuilder().lifting(lifting).build(), new Adam(1e-3));
            Set<String> consumed = new HashSet<>(conf.getNetworkOutputs());
            conf.getVertexInputs().values().forEach(consumed::addAll);
            Set<String> all = new HashSet<>(conf.getVertices().keySet());
            all.addAll(conf.getNetworkInputs());
            assertThat(consumed).isEqualTo(all);
            // 5 blocks of 3 layers, 2 dropouts, 2 skips, out, loss, and the residual unless lifting
            assertThat(conf.getVertices()).hasSize(5 * 3 + 2 + 2 + 2 + (lifting ? 0 : 1));
            assertThat(conf.getVertexInputs().get("dec2_skip")).containsExactly("dec2_elu", "enc2_elu");
            assertThat(conf.getVertexInputs().get("dec1_skip")).containsExactly("dec1_elu", "enc1_elu");
            assertThat(conf.getVertexInputs().get(DenoiserNetwork.OUTPUT))
                    .containsExactly(lifting ? DenoiserNetwork.OUT : "residual");
        }
    }

    @Test
    void output_zeroOutLayer_returnsInput() {
        ComputationGraph graph = DenoiserNetwork.build(TINY);
        Layer out = graph.getLayer(DenoiserNetwork.OUT);
        out.setParam("W", Nd4j.zeros(DataType.FLOAT, 32, 123));
        out.setParam("b", Nd4j.zeros(DataType.FLOAT, 1, 123));
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 123).subi(0.5);
        INDArray y = graph.output(false, x)[0];
        assertThat(Tensors.toFloats(y)).containsExactly(Tensors.toFloats(x));
    }

    @Test
    void score_isMeanAbsoluteErrorOverCoordinatesAndBatch() {
        ComputationGraph graph = DenoiserNetwork.build(TINY);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 123);
        INDArray labels = Nd4j.rand(DataType.FLOAT, 5, 123);
        float[] y = Tensors.toFloats(graph.output(false, x)[0]);
        float[] t = Tensors.toFloats(labels);
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += Math.abs((double) y[i] - t[i]);
        }
        assertThat(graph.score(new DataSet(x, labels), false)).isCloseTo(sum / (5 * 123), within(1e-5));
    }

    @Test
    void fit_fixedTinyBatch_lowersLoss() {
        // Dropout off so that the training-mode score is deterministic.
        DenoiserConfig c = DenoiserConfig.demo().toBuilder().inputKeep(1).bottleneckKeep(1).seed(3).build();
        ComputationGraph graph = DenoiserNetwork.build(c, new Adam(1e-3));
        Random rng = new Random(11);
        float[] clean = new float[16 * 123];
        float[] noisy = new float[clean.length];
        for (int i = 0; i < clean.length; i++) {
            clean[i] = (float) (0.3 * rng.nextGaussian());
            noisy[i] = clean[i] + (float) (0.05 * (rng.nextDouble() - 0.5));
        }
        DataSet ds = new DataSet(Nd4j.create(noisy, new long[] {16, 123}, 'c'),
                Nd4j.create(clean, new long[] {16, 123}, 'c'));
        double before = graph.score(ds, true);
        for (int i = 0; i < 20; i++) {
            graph.fit(ds);
        }
        double after = graph.score(ds, true);
        assertThat(after).isLessThan(0.5 * before);
    }

    @Test
    void build_presetSeedZero_givesTheSameWeightsEveryTime() {
        // DL4J leaves seed 0 unseeded; NetworkSeeds passes it on as another constant
        ComputationGraph a = DenoiserNetwork.build(DenoiserConfig.demo());
        ComputationGraph b = DenoiserNetwork.build(DenoiserConfig.demo());
        assertThat(a.params().amaxNumber().doubleValue()).isPositive();
        assertThat(a.params().sub(b.params()).amaxNumber().doubleValue()).isZero();
    }
}
