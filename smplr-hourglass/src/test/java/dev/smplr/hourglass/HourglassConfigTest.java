package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HourglassConfigTest {
    @Test
    void paper_values_matchSpec() {
        HourglassConfig c = HourglassConfig.paper();
        assertThat(c.stacks()).isEqualTo(5);
        assertThat(c.features()).isEqualTo(256);
        assertThat(c.depth()).isEqualTo(4);
        assertThat(c.inputSize()).isEqualTo(256);
        assertThat(c.outputSize()).isEqualTo(64);
        assertThat(c.depthBins()).isEqualTo(16);
        assertThat(c.volumes()).isEqualTo(45);
        assertThat(c.headChannels()).isEqualTo(720);
        assertThat(c.bnDecay()).isEqualTo(0.9);
        assertThat(c.bnEps()).isEqualTo(1e-5);
        assertThat(c.dropout()).isEqualTo(0.1);
    }

    @Test
    void demo_sameCodeSmallerNetwork() {
        HourglassConfig c = HourglassConfig.demo();
        assertThat(c.outputSize() * 4).isEqualTo(c.inputSize());
        assertThat(c.stacks()).isLessThan(5);
        assertThat(c.headChannels()).isEqualTo(720);
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void builder_badValues_throwNamingField() {
        assertThatThrownBy(() -> HourglassConfig.builder().stacks(0)).hasMessageContaining("stacks")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> HourglassConfig.builder().dropout(Double.NaN)).hasMessageContaining("dropout")
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> HourglassConfig.builder().bnEps(Double.NaN)).hasMessageContaining("bnEps");
        assertThatThrownBy(() -> HourglassConfig.builder().loss(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loss");
        assertThatThrownBy(() -> HourglassConfig.builder().integralWeight(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("integralWeight")
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> HourglassConfig.builder().integralWeight(-1))
                .hasMessageContaining("integralWeight").hasMessageContaining("-1");
        assertThatThrownBy(() -> HourglassConfig.builder().integralWeight(5)
                .loss(HourglassLoss.SIGMOID_CROSS_ENTROPY).build()).hasMessageContaining("integralWeight")
                .hasMessageContaining("softmax");
        assertThatThrownBy(() -> HourglassConfig.builder().inputSize(100).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inputSize")
                .hasMessageContaining("64").hasMessageContaining("100");
        assertThatThrownBy(() -> HourglassConfig.builder().features(33).build())
                .hasMessageContaining("features").hasMessageContaining("33");
        assertThatThrownBy(() -> HourglassConfig.builder().pointCount(40).build())
                .hasMessageContaining("pointCount");
        assertThatThrownBy(() -> HourglassConfig.builder().limbVolumes(3).build())
                .hasMessageContaining("limbVolumes");
    }
}
