package dev.smplr.dae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DenoiserConfigTest {

    @Test
    void paper_matchesSpec() {
        DenoiserConfig c = DenoiserConfig.paper();
        assertThat(c.width1()).isEqualTo(1024);
        assertThat(c.width2()).isEqualTo(1024);
        assertThat(c.bottleneck()).isEqualTo(512);
        assertThat(c.inputKeep()).isEqualTo(0.8);
        assertThat(c.bottleneckKeep()).isEqualTo(0.8);
        assertThat(c.bnDecay()).isEqualTo(0.99);
        assertThat(c.bnEps()).isEqualTo(1e-3);
        assertThat(c.lifting()).isFalse();
        assertThat(c.inputSize()).isEqualTo(123);
        assertThat(c.outputSize()).isEqualTo(123);
        assertThat(c.presetName()).isEqualTo("paper");
    }

    @Test
    void demo_isNarrowerWithoutDropoutOtherwiseAsPaper() {
        DenoiserConfig c = DenoiserConfig.demo();
        assertThat(c.width1()).isLessThan(1024);
        assertThat(c.bottleneck()).isLessThan(c.width2());
        assertThat(c.inputKeep()).isEqualTo(1.0);
        assertThat(c.bottleneckKeep()).isEqualTo(1.0);
        assertThat(c.toBuilder().width1(1024).width2(1024).bottleneck(512).inputKeep(0.8).bottleneckKeep(0.8).build())
                .isEqualTo(DenoiserConfig.paper());
        assertThat(c.presetName()).isEqualTo("demo");
    }

    @Test
    void toBuilder_roundTripsAndVaries() {
        DenoiserConfig c = DenoiserConfig.paper();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        DenoiserConfig lifting = c.toBuilder().lifting(true).seed(7).build();
        assertThat(lifting.inputSize()).isEqualTo(82);
        assertThat(lifting.outputSize()).isEqualTo(123);
        assertThat(lifting.seed()).isEqualTo(7);
        // the preset name ignores the seed and the lifting switch, not the widths
        assertThat(lifting.presetName()).isEqualTo("paper");
        assertThat(c.toBuilder().bottleneck(256).build().presetName()).isEqualTo("custom");
        assertThat(DenoiserConfig.demo().toBuilder().seed(3).build().presetName()).isEqualTo("demo");
        assertThat(DenoiserConfig.builder().build()).isEqualTo(c);
    }

    @Test
    void builder_badValues_throwNamingFieldAndValue() {
        assertThatThrownBy(() -> DenoiserConfig.builder().width1(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("width1").hasMessageContaining("0");
        assertThatThrownBy(() -> DenoiserConfig.builder().bottleneck(-3))
                .hasMessageContaining("bottleneck").hasMessageContaining("-3");
        assertThatThrownBy(() -> DenoiserConfig.builder().inputKeep(0))
                .hasMessageContaining("inputKeep").hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> DenoiserConfig.builder().bottleneckKeep(1.5))
                .hasMessageContaining("bottleneckKeep").hasMessageContaining("1.5");
        assertThatThrownBy(() -> DenoiserConfig.builder().bnDecay(1.0)).hasMessageContaining("bnDecay");
        assertThatThrownBy(() -> DenoiserConfig.builder().bnEps(Double.NaN)).hasMessageContaining("bnEps");
    }

    @Test
    void constructor_badValue_throws() {
        assertThatThrownBy(() -> new DenoiserConfig(8, 8, 4, 0.8, Double.NaN, 0.99, 1e-3, false, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bottleneckKeep");
    }
}
