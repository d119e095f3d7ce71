package dev.smplr.smpl.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class CheckpointsTest {
    @TempDir
    Path tmp;

    private static ComputationGraph tiny() {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(0.01))
                .graphBuilder().addInputs("in").setInputTypes(InputType.feedForward(3))
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).build(), "in")
                .setOutputs("out").build());
        g.init();
        return g;
    }

    @Test
    void latest_none_isEmpty() throws IOException {
        assertThat(Checkpoints.latest(tmp.resolve("nothing"))).isEmpty();
    }

    @Test
    void save_latest_restoresParamsUpdaterAndState() throws IOException {
        ComputationGraph g = tiny();
        INDArray x = Nd4j.rand(4, 3);
        INDArray y = Nd4j.rand(4, 2);
        for (int i = 0; i < 3; i++) {
            g.fit(new INDArray[] {x}, new INDArray[] {y});
        }
        Checkpoints.save(tmp, 3, Map.of("net", g), Map.of("note", "three"));
        Checkpoints.Checkpoint cp = Checkpoints.latest(tmp).orElseThrow();
        assertThat(cp.step()).isEqualTo(3);
        assertThat(cp.state().string("note")).isEqualTo("three");
        ComputationGraph back = cp.graph("net");
        assertThat(back.params()).isEqualTo(g.params());
        assertThat(back.getUpdater().getStateViewArray()).isEqualTo(g.getUpdater().getStateViewArray());
        // the same next step from the same state: resuming continues the run
        g.fit(new INDArray[] {x}, new INDArray[] {y});
        back.fit(new INDArray[] {x}, new INDArray[] {y});
        assertThat(back.params().sub(g.params()).norm2Number().doubleValue()).isLessThan(1e-6);
    }

    @Test
    void save_keepsNewestTwo_andRemovesStrayTemporaries() throws IOException {
        ComputationGraph g = tiny();
        Files.createDirectories(tmp.resolve(".tmp-step-0000000001-123"));
        for (long s = 1; s <= 4; s++) {
            Checkpoints.save(tmp, s, Map.of("net", g), Map.of());
        }
        try (var list = Files.list(tmp)) {
            assertThat(list.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("latest",
                    "step-0000000003", "step-0000000004");
        }
        assertThat(Checkpoints.latest(tmp).orElseThrow().step()).isEqualTo(4);
    }

    @Test
    void latest_pointerToMissingCheckpoint_isClear() throws IOException {
        Files.writeString(tmp.resolve(Checkpoints.LATEST), "step-0000000009\n");
        assertThatThrownBy(() -> Checkpoints.latest(tmp)).isInstanceOf(IOException.class)
                .hasMessageContaining("step-0000000009");
    }

    @Test
    void graph_missingNetwork_namesIt() throws IOException {
        Checkpoints.save(tmp, 1, Map.of("net", tiny()), Map.of());
        assertThatThrownBy(() -> Checkpoints.latest(tmp).orElseThrow().graph("other"))
                .isInstanceOf(IOException.class).hasMessageContaining("other.zip");
    }
}
