package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class StackGrowthTest {
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
        int zeroed = StackGrowth.grow(source, 2, grown, 3);
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
        assertThat(StackGrowth.grow(source, 2, larger, 2)).isZero();
        assertThat(larger.params().equalsWithEps(source.params(), 0)).isTrue();
        assertThat(larger.output(false, image(24))[1].shape()).containsExactly(2, 2L * 45 * 6 * 6);
    }

    @Test
    void grow_otherShapesOrFewerStacks_throwNamingTheParameter() {
        ComputationGraph source = source();
        ComputationGraph wider = HourglassNetwork.build(TWO.toBuilder().features(16).build());
        assertThatThrownBy(() -> StackGrowth.grow(source, 2, wider, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter stem_conv_W").hasMessageContaining("only the stacks and the input");
        ComputationGraph deeper = HourglassNetwork.build(TWO.toBuilder().depth(2).inputSize(16).build());
        assertThatThrownBy(() -> StackGrowth.grow(source, 2, deeper, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no");
        ComputationGraph one = HourglassNetwork.build(TWO.toBuilder().stacks(1).build());
        assertThatThrownBy(() -> StackGrowth.grow(source, 2, one, 1)).hasMessageContaining("fewer than the 2");
    }
}
