package dev.smplr.smpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.smplr.core.internal.Tensors;
import dev.smplr.smpl.RegressorConfig.Kind;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class RegressorNetworkTest {

    /** Dense weights + biases, from the widths alone. */
    private static long dense(long in, long out) {
        return in * out + out;
    }

    /** SPEC 5's table written out for one kind: in → 1024 → 1024 → 512 → 512 → 512, 256/256 and 256 branches. */
    private static long paperTrainable(int in, int out) {
        long fc = dense(in, 1024) + dense(1024, 1024) + dense(1024, 512) + dense(512, 512) + dense(512, 512)
                + dense(512, 256) + dense(256, 256) + dense(256, out)
                + dense(512, 256) + dense(256, out)
                + dense(2L * out, out);
        long bnUnits = 1024 + 1024 + 512 + 512 + 512 + 256 + 256 + 256;
        return fc + 2 * bnUnits;
    }

    /** {trainable, running statistics} of a built graph. */
    private static long[] countParams(ComputationGraph graph) {
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
        return new long[] {trainable, running};
    }

    @Test
    void build_paperShape_parameterCountMatchesSpec() {
        ComputationGraph graph = RegressorNetwork.build(RegressorConfig.paper(Kind.SHAPE));
        long[] n = countParams(graph);
        assertThat(n[0]).isEqualTo(paperTrainable(41, 11)).isEqualTo(2_485_779L);
        assertThat(n[1]).isEqualTo(2L * 4352);
        assertThat(graph.numParams()).isEqualTo(n[0] + n[1]);
        assertThat((double) n[0]).isCloseTo(2.49e6, within(0.01 * 2.49e6));
    }

    @Test
    void build_paperPose_parameterCountMatchesSpec() {
        ComputationGraph graph = RegressorNetwork.build(RegressorConfig.paper(Kind.POSE));
        long[] n = countParams(graph);
        assertThat(n[0]).isEqualTo(paperTrainable(123, 216)).isEqualTo(2_768_392L);
        assertThat(n[1]).isEqualTo(2L * 4352);
        assertThat(graph.numParams()).isEqualTo(n[0] + n[1]);
        assertThat((double) n[0]).isCloseTo(2.77e6, within(0.01 * 2.77e6));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void output_demo_hasBatchByOutputSize(Kind kind) {
        RegressorConfig c = RegressorConfig.demo(kind);
        ComputationGraph graph = RegressorNetwork.build(c);
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, c.inputSize());
        INDArray[] out = graph.output(false, x);
        assertThat(out).hasSize(1);
        assertThat(out[0].shape()).containsExactly(4, kind == Kind.SHAPE ? 11 : 216);
        assertThat(graph.getConfiguration().getNetworkOutputs()).containsExactly(RegressorNetwork.OUTPUT);
    }

    @Test
    void output_pose_staysInTanhRange() {
        ComputationGraph graph = RegressorNetwork.build(RegressorConfig.demo(Kind.POSE));
        // Large inputs push x2's pre-activations far out, where a missing tanh would show.
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, 123).muli(50);
        float[] y = Tensors.toFloats(graph.output(false, x)[0]);
        for (float v : y) {
            assertThat(v).isBetween(-1f, 1f);
        }
        // Ψ is linear at the end: with its x2 weights scaled up, outputs leave [-1, 1].
        ComputationGraph shape = RegressorNetwork.build(RegressorConfig.demo(Kind.SHAPE));
        Layer x2 = shape.getLayer(RegressorNetwork.X2);
        x2.setParam("W", x2.getParam("W").mul(100));
        float[] s = Tensors.toFloats(shape.output(false, Nd4j.randn(DataType.FLOAT, 4, 41))[0]);
        float max = 0;
        for (float v : s) {
            max = Math.max(max, Math.abs(v));
        }
        assertThat(max).isGreaterThan(1f);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void configuration_everyVertexIsUsed(Kind kind) {
        ComputationGraphConfiguration conf = RegressorNetwork.configuration(RegressorConfig.demo(kind), new Adam(1e-3));
        Set<String> consumed = new HashSet<>(conf.getNetworkOutputs());
        conf.getVertexInputs().values().forEach(consumed::addAll);
        Set<String> all = new HashSet<>(conf.getVertices().keySet());
        all.addAll(conf.getNetworkInputs());
        assertThat(consumed).isEqualTo(all);
        // 8 blocks of 3 layers, x, x_offset, concat, x2, loss
        assertThat(conf.getVertices()).hasSize(8 * 3 + 5);
        assertThat(conf.getVertexInputs().get("fce42_fc")).containsExactly("fce41_elu");
        assertThat(conf.getVertexInputs().get("fce43_fc")).containsExactly("fce41_elu");
        assertThat(conf.getVertexInputs().get("x")).containsExactly("fce5_elu");
        assertThat(conf.getVertexInputs().get("x_offset")).containsExactly("fce43_elu");
        assertThat(conf.getVertexInputs().get("concat")).containsExactly("x", "x_offset");
        assertThat(conf.getVertexInputs().get(RegressorNetwork.X2)).containsExactly("concat");
        assertThat(conf.getVertexInputs().get(RegressorNetwork.OUTPUT)).containsExactly(RegressorNetwork.X2);
    }

    @Test
    void build_biases_glorotUniformAndSeeded() {
        RegressorConfig c = RegressorConfig.demo(Kind.POSE);
        ComputationGraph a = RegressorNetwork.build(c);
        float[] b = Tensors.toFloats(a.getLayer(RegressorNetwork.X2).getParam("b"));
        double bound = Math.sqrt(3.0 / 216);
        double sumSq = 0;
        for (float v : b) {
            assertThat((double) Math.abs(v)).isLessThanOrEqualTo(bound);
            sumSq += (double) v * v;
        }
        // U(-c, c) has variance c²/3; 216 samples put the estimate within ~40 % of it.
        assertThat(sumSq / b.length).isCloseTo(bound * bound / 3, within(0.4 * bound * bound / 3));
        // Our bias draw is seeded (DL4J's own weight draw is not checked here).
        float[] again = Tensors.toFloats(RegressorNetwork.build(c).getLayer(RegressorNetwork.X2).getParam("b"));
        assertThat(Arrays.equals(again, b)).isTrue();
    }

    @Test
    void score_isMeanAbsoluteErrorOverOutputsAndBatch() {
        ComputationGraph graph = RegressorNetwork.build(RegressorConfig.demo(Kind.SHAPE));
        INDArray x = Nd4j.randn(DataType.FLOAT, 5, 41);
        INDArray labels = Nd4j.randn(DataType.FLOAT, 5, 11);
        float[] y = Tensors.toFloats(graph.output(false, x)[0]);
        float[] t = Tensors.toFloats(labels);
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += Math.abs((double) y[i] - t[i]);
        }
        assertThat(graph.score(new DataSet(x, labels), false)).isCloseTo(sum / (5 * 11), within(1e-5));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void fit_fixedTinyBatch_halvesLoss(Kind kind) {
        RegressorConfig c = RegressorConfig.demo(kind).toBuilder().seed(3).build();
        ComputationGraph graph = RegressorNetwork.build(c, new Adam(1e-3));
        Random rng = new Random(11);
        int batch = 16;
        float[] in = new float[batch * c.inputSize()];
        float[] target = new float[batch * c.outputSize()];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < target.length; i++) {
            // inside tanh's range for Ω
            target[i] = (float) (1.6 * rng.nextDouble() - 0.8);
        }
        DataSet ds = new DataSet(Nd4j.create(in, new long[] {batch, c.inputSize()}, 'c'),
                Nd4j.create(target, new long[] {batch, c.outputSize()}, 'c'));
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
        ComputationGraph a = RegressorNetwork.build(RegressorConfig.demo(Kind.POSE));
        ComputationGraph b = RegressorNetwork.build(RegressorConfig.demo(Kind.POSE));
        assertThat(a.params().amaxNumber().doubleValue()).isPositive();
        assertThat(a.params().sub(b.params()).amaxNumber().doubleValue()).isZero();
    }
}
