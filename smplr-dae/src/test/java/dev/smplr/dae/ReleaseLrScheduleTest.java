package dev.smplr.dae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

class ReleaseLrScheduleTest {

    @Test
    void valueAt_matchesSpecTable() {
        ReleaseLrSchedule s = new ReleaseLrSchedule(0.01);
        assertThat(s.valueAt(0, 0)).isCloseTo(0.01 / (1 + Math.exp(-4)) + 1e-4, within(1e-12));
        assertThat(s.valueAt(0, 0)).isCloseTo(0.0099, within(5e-5));
        assertThat(s.valueAt(123, 50)).isCloseTo(0.0051, within(1e-6));
        assertThat(s.valueAt(0, 100)).isCloseTo(0.00028, within(5e-6));
        assertThat(s.valueAt(0, 199)).isCloseTo(0.0001, within(5e-6));
        assertThat(new ReleaseLrSchedule(1e-4).valueAt(0, 0)).isCloseTo(2e-4, within(2e-6));
    }

    @Test
    void clone_equals() {
        ReleaseLrSchedule s = new ReleaseLrSchedule(0.003);
        assertThat(s.clone()).isEqualTo(s).hasSameHashCodeAs(s).isNotSameAs(s);
    }

    @Test
    void constructor_badRate_throws() {
        assertThatThrownBy(() -> new ReleaseLrSchedule(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lr0");
    }

    @Test
    void configurationJson_roundTripsTheSchedule() {
        DenoiserConfig c = DenoiserConfig.builder().width1(8).width2(8).bottleneck(4).build();
        ComputationGraphConfiguration conf =
                DenoiserNetwork.configuration(c, new Adam(new ReleaseLrSchedule(0.02)));
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertThat(back).isEqualTo(conf);
        assertThat(back.toJson()).contains("ReleaseLrSchedule");
    }
}
