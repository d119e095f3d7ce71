package dev.smplr.smpl.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PerExampleLossTest {
    /** Score of example i: Σ_k (ŷ_ik − y_ik); gradient: all ones; both masked per example. */
    private static final class SumLoss extends PerExampleLoss {
        private static final long serialVersionUID = 1L;

        @Override
        public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn,
                INDArray mask) {
            return maskScores(preOutput.sub(labels).sum(true, 1), mask);
        }

        @Override
        public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn,
                INDArray mask) {
            return maskRows(Nd4j.onesLike(preOutput), mask);
        }

        @Override
        public String name() {
            return "SumLoss";
        }
    }

    private static final IActivation IDENTITY = Activation.IDENTITY.getActivationFunction();
    private static final INDArray PRE = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}, {5, 6}});
    private static final INDArray LABELS = Nd4j.zeros(PRE.dataType(), 3, 2);

    @Test
    void computeScore_sumsOrAveragesThePerExampleScores() {
        // per example: 3, 7, 11
        assertThat(new SumLoss().computeScore(LABELS, PRE, IDENTITY, null, false)).isCloseTo(21, within(1e-12));
        assertThat(new SumLoss().computeScore(LABELS, PRE, IDENTITY, null, true)).isCloseTo(7, within(1e-12));
    }

    @Test
    void computeGradientAndScore_pairsBothWithTheMask() {
        INDArray mask = Nd4j.createFromArray(new double[] {1, 0, 2}).reshape(3, 1);
        Pair<Double, INDArray> both = new SumLoss().computeGradientAndScore(LABELS, PRE, IDENTITY, mask, false);
        assertThat(both.getFirst()).isCloseTo(3 + 22, within(1e-12));
        assertThat(both.getSecond().toDoubleMatrix()).isEqualTo(new double[][] {{1, 1}, {0, 0}, {2, 2}});
    }

    @Test
    void total_averageDividesByTheExamples() {
        INDArray scores = Nd4j.createFromArray(new double[] {2, 4, 9, 1}).reshape(4, 1);
        assertThat(PerExampleLoss.total(scores, false)).isEqualTo(16);
        assertThat(PerExampleLoss.total(scores, true)).isEqualTo(4);
    }
}
