package dev.smplr.smpl.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ExternalGradientLossTest {

    @Test
    void computeGradient_identity_returnsTheLabels() {
        INDArray pre = Nd4j.rand(DataType.DOUBLE, 3, 5);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, 3, 5).subi(0.5);
        INDArray grad = new ExternalGradientLoss().computeGradient(labels, pre, Activation.IDENTITY
                .getActivationFunction(), null);
        assertThat(grad.equalsWithEps(labels, 1e-12)).isTrue();
    }

    @Test
    void computeGradient_tanh_chainsThroughTheActivation() {
        INDArray pre = Nd4j.rand(DataType.DOUBLE, 2, 4).subi(0.5).muli(4);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, 2, 4).subi(0.5);
        INDArray grad = new ExternalGradientLoss().computeGradient(labels, pre.dup(),
                Activation.TANH.getActivationFunction(), null);
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 4; k++) {
                double t = Math.tanh(pre.getDouble(i, k));
                assertThat(grad.getDouble(i, k)).isCloseTo(labels.getDouble(i, k) * (1 - t * t), within(1e-9));
            }
        }
    }

    @Test
    void computeScore_isTheLinearTerm() {
        INDArray pre = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}});
        INDArray labels = Nd4j.createFromArray(new double[][] {{0.5, -1}, {2, 0}});
        double score = new ExternalGradientLoss().computeScore(labels, pre,
                Activation.IDENTITY.getActivationFunction(), null, true);
        assertThat(score).isCloseTo(((0.5 - 2) + 6) / 2.0, within(1e-12));
    }
}
