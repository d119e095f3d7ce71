package dev.smplr.smpl.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class ReleaseScheduleTest {

    @Test
    void mlp_matchesSpecTable() {
        ReleaseSchedule s = ReleaseSchedule.mlp(0.01);
        assertThat(s.valueAt(0, 0)).isCloseTo(0.01 / (1 + Math.exp(-4)) + 1e-4, within(1e-12));
        assertThat(s.valueAt(0, 0)).isCloseTo(0.0099, within(5e-5));
        assertThat(s.valueAt(123, 50)).isCloseTo(0.0051, within(1e-6));
        assertThat(s.valueAt(0, 100)).isCloseTo(0.00028, within(5e-6));
        assertThat(s.valueAt(0, 199)).isCloseTo(0.0001, within(5e-6));
        assertThat(ReleaseSchedule.mlp(1e-4).valueAt(0, 0)).isCloseTo(2e-4, within(2e-6));
    }

    @Test
    void hourglass_matchesSpecTable() {
        ReleaseSchedule s = ReleaseSchedule.hourglass(0.01);
        assertThat(s.valueAt(0, 0)).isCloseTo(0.0101, within(5e-5));
        assertThat(s.valueAt(0, 125)).isCloseTo(0.0051, within(1e-6));
        assertThat(s.valueAt(0, 199)).isCloseTo(0.000125, within(5e-6));
    }

    @Test
    void floor_replacesTheRelease1e4() {
        ReleaseSchedule s = ReleaseSchedule.mlp(1e-5, 1e-5);
        assertThat(s.floor()).isEqualTo(1e-5);
        assertThat(s.valueAt(0, 0)).isCloseTo(1e-5 / (1 + Math.exp(-4)) + 1e-5, within(1e-15));
        assertThat(s.valueAt(0, 10_000)).isCloseTo(1e-5, within(1e-15));
        assertThat(s).isNotEqualTo(ReleaseSchedule.mlp(1e-5));
        assertThatThrownBy(() -> ReleaseSchedule.mlp(1e-4, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("floor");
    }

    @Test
    void configurationJson_withoutFloor_readsTheReleaseFloor() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .updater(new Adam(ReleaseSchedule.mlp(0.02, 3e-5))).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).nIn(2).nOut(1)
                        .build()).build();
        String json = conf.toJson();
        assertThat(MultiLayerConfiguration.fromJson(json)).isEqualTo(conf);
        // a graph saved before the floor existed carries no "floor" property
        String old = json.replaceAll(",\\s*\"floor\"\\s*:\\s*[0-9.Ee-]+", "");
        assertThat(old).doesNotContain("floor");
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(old);
        Adam adam = (Adam) ((org.deeplearning4j.nn.conf.layers.BaseLayer) back.getConf(0).getLayer()).getIUpdater();
        assertThat(((ReleaseSchedule) adam.getLearningRateSchedule()).floor()).isEqualTo(ReleaseSchedule.FLOOR);
    }

    @Test
    void clone_equals() {
        ReleaseSchedule s = new ReleaseSchedule(0.003, 4);
        assertThat(s.clone()).isEqualTo(s).hasSameHashCodeAs(s).isNotSameAs(s);
        assertThat(s).isNotEqualTo(new ReleaseSchedule(0.003, 10));
    }

    @Test
    void constructor_badValues_throw() {
        assertThatThrownBy(() -> ReleaseSchedule.mlp(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lr0");
        assertThatThrownBy(() -> new ReleaseSchedule(0.1, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("midpoint");
    }

    @Test
    void configurationJson_roundTripsTheSchedule() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .updater(new Adam(ReleaseSchedule.hourglass(0.02))).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).nIn(2).nOut(1)
                        .build()).build();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertThat(back).isEqualTo(conf);
        assertThat(back.toJson()).contains("ReleaseSchedule");
    }
}
