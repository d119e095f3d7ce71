package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class NetworkGrowthTest {
    private static final HourglassConfig TWO = HourglassConfig.builder().stacks(2).features(8).depth(1).depthBins(2)
            .inputSize(16).seed(5).build();

    /** A trained-looking source: random weights and batch-norm statistics away from their (0, 1) start. */
    private static ComputationGraph source() {
        ComputationGraph g = HourglassNetwork.build(TWO);
        Nd4j.getRandom().setSeed(11);
        g.paramTable().forEach((name, p) -> {
            if (name.endsWith("_mean")) {
                p.assign(Nd4j.rand(DataType.FLOAT, p.shape()).subi(0.5));
            } else if (name.endsWith("_var") || name.endsWith("_log10stdev")) {
                p.assign(Nd4j.rand(DataType.FLOAT, p.shape()).muli(0.3));
            }
        });
        return g;
    }

    private static INDArray image(int size) {
        Nd4j.getRandom().setSeed(12);
        return Nd4j.rand(DataType.FLOAT, 2, 3, size, size);
    }

    @Test
    void grow_addedStacksRepeatTheLastOne_andTheEarlierOnesAreUnchanged() {
        ComputationGraph source = source();
        HourglassConfig three = TWO.toBuilder().stacks(3).build();
        ComputationGraph grown = HourglassNetwork.build(three);
        int zeroed = NetworkGrowth.grow(source, TWO, grown, three);
        assertThat(zeroed).isPositive();
        assertThat(grown.getLayer("s1_outp").getParam("W").amaxNumber().doubleValue()).isZero();

        INDArray x = image(16);
        INDArray[] before = source.output(false, x);
        INDArray[] after = grown.output(false, x);
        assertThat(after).hasSize(3);
        assertThat(after[0].equalsWithEps(before[0], 1e-5)).isTrue();
        assertThat(after[1].equalsWithEps(before[1], 1e-5)).isTrue();
        // the new last stack receives what the source's last one did, so it answers the same
        assertThat(after[2].equalsWithEps(before[1], 1e-5)).isTrue();
        assertThat(before[1].sub(before[0]).amaxNumber().doubleValue()).isGreaterThan(1e-3);
    }

    @Test
    void grow_toAnotherInputSize_copiesEveryParameter() {
        ComputationGraph source = source();
        ComputationGraph larger = HourglassNetwork.build(TWO.toBuilder().inputSize(24).build());
        assertThat(NetworkGrowth.grow(source, TWO, larger, TWO.toBuilder().inputSize(24).build())).isZero();
        assertThat(larger.params().equalsWithEps(source.params(), 0)).isTrue();
        assertThat(larger.output(false, image(24))[1].shape()).containsExactly(2, 2L * 45 * 6 * 6);
    }

    @Test
    void grow_wider_everyHeadAnswersAsBefore_andTheNewChannelsAreLive() {
        ComputationGraph source = source();
        HourglassConfig wider = TWO.toBuilder().stacks(3).features(12).build();
        ComputationGraph grown = HourglassNetwork.build(wider);
        NetworkGrowth.grow(source, TWO, grown, wider);

        INDArray x = image(16);
        INDArray[] before = source.output(false, x);
        INDArray[] after = grown.output(false, x);
        assertThat(after[0].equalsWithEps(before[0], 1e-5)).isTrue();
        assertThat(after[1].equalsWithEps(before[1], 1e-5)).isTrue();
        assertThat(after[2].equalsWithEps(before[1], 1e-5)).isTrue();
        // source rows keep their weights and get zeros from the appended inputs; appended rows are the new init
        INDArray w = grown.getLayer("s0_hg0_up1_conv2").getParam("W");
        INDArray sourceW = source.getLayer("s0_hg0_up1_conv2").getParam("W");
        assertThat(w.shape()).containsExactly(6, 6, 3, 3);
        assertThat(w.get(NDArrayIndex.interval(0, 4), NDArrayIndex.interval(0, 4), NDArrayIndex.all(),
                NDArrayIndex.all()).equalsWithEps(sourceW, 0)).isTrue();
        assertThat(w.get(NDArrayIndex.interval(0, 4), NDArrayIndex.interval(4, 6), NDArrayIndex.all(),
                NDArrayIndex.all()).amaxNumber().doubleValue()).isZero();
        assertThat(w.get(NDArrayIndex.interval(4, 6), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                .amaxNumber().doubleValue()).isPositive();
        // the appended residual channels carry signal, so the zero weights reading them get a gradient
        INDArray features = grown.feedForward(x, false).get("s0_ll");
        assertThat(features.get(NDArrayIndex.all(), NDArrayIndex.interval(8, 12)).amaxNumber().doubleValue())
                .isPositive();
    }

    @Test
    void grow_otherShapesOrFewerStacks_throwNamingTheProblem() {
        ComputationGraph source = source();
        HourglassConfig wider = TWO.toBuilder().features(12).build();
        ComputationGraph wide = HourglassNetwork.build(wider);
        assertThatThrownBy(() -> NetworkGrowth.grow(wide, wider, HourglassNetwork.build(TWO), TWO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 features, fewer than the 12");
        HourglassConfig deeper = TWO.toBuilder().depth(2).build();
        assertThatThrownBy(() -> NetworkGrowth.grow(source, TWO, HourglassNetwork.build(deeper), deeper))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("depth: 2 here, 1 in the network");
        HourglassConfig bins = TWO.toBuilder().depthBins(4).build();
        assertThatThrownBy(() -> NetworkGrowth.grow(source, TWO, HourglassNetwork.build(bins), bins))
                .hasMessageContaining("depthBins: 4 here, 2");
        // a source whose parameters do not fit its stated configuration: named, not silently cropped
        assertThatThrownBy(() -> NetworkGrowth.grow(wide, TWO, HourglassNetwork.build(TWO), TWO))
                .hasMessageContaining("parameter stem_conv_W").hasMessageContaining("only gain channels");
        HourglassConfig one = TWO.toBuilder().stacks(1).build();
        assertThatThrownBy(() -> NetworkGrowth.grow(source, TWO, HourglassNetwork.build(one), one))
                .hasMessageContaining("fewer than the 2");
    }
}
