package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SigmoidVolumeLossTest {
    private static final int N = 2;
    private static final int M = 12;

    static INDArray random(Random rnd, double scale, double shift) {
        double[] v = new double[N * M];
        for (int i = 0; i < v.length; i++) {
            v[i] = shift + scale * rnd.nextDouble();
        }
        return Nd4j.create(v, new long[] {N, M}, DataType.DOUBLE);
    }

    /** Float64 reference: mean over the M values of −t·log σ(x) − (1 − t)·log(1 − σ(x)), summed over examples. */
    private static double reference(INDArray t, INDArray x) {
        double sum = 0;
        for (int n = 0; n < N; n++) {
            double ex = 0;
            for (int i = 0; i < M; i++) {
                double s = 1 / (1 + Math.exp(-x.getDouble(n, i)));
                double ti = t.getDouble(n, i);
                ex += -ti * Math.log(s) - (1 - ti) * Math.log(1 - s);
            }
            sum += ex / M;
        }
        return sum;
    }

    @Test
    void computeScore_random_matchesReference() {
        Random rnd = new Random(1);
        INDArray t = random(rnd, 0.07, 0);
        INDArray x = random(rnd, 8, -4);
        SigmoidVolumeLoss loss = new SigmoidVolumeLoss();
        assertThat(loss.computeScore(t, x, new ActivationIdentity(), null, false))
                .isCloseTo(reference(t, x), within(1e-10));
        assertThat(loss.computeScore(t, x, new ActivationIdentity(), null, true))
                .isCloseTo(reference(t, x) / N, within(1e-10));
    }

    @Test
    void computeScore_largeLogits_finite() {
        INDArray t = Nd4j.zeros(DataType.DOUBLE, N, M);
        INDArray x = Nd4j.valueArrayOf(new long[] {N, M}, 500.0, DataType.DOUBLE);
        double score = new SigmoidVolumeLoss().computeScore(t, x, new ActivationIdentity(), null, false);
        assertThat(score).isCloseTo(2 * 500.0, within(1e-9));
    }

    @Test
    void computeGradient_random_matchesCentralDifferences() {
        Random rnd = new Random(2);
        INDArray t = random(rnd, 0.07, 0);
        INDArray x = random(rnd, 8, -4);
        SigmoidVolumeLoss loss = new SigmoidVolumeLoss();
        INDArray g = loss.computeGradient(t, x, new ActivationIdentity(), null);
        double h = 1e-6;
        for (int n = 0; n < N; n++) {
            for (int i = 0; i < M; i++) {
                double x0 = x.getDouble(n, i);
                x.putScalar(n, i, x0 + h);
                double up = loss.computeScore(t, x, new ActivationIdentity(), null, false);
                x.putScalar(n, i, x0 - h);
                double down = loss.computeScore(t, x, new ActivationIdentity(), null, false);
                x.putScalar(n, i, x0);
                assertThat(g.getDouble(n, i)).as("(%d, %d)", n, i).isCloseTo((up - down) / (2 * h), within(1e-8));
            }
        }
        var both = loss.computeGradientAndScore(t, x, new ActivationIdentity(), null, true);
        assertThat(both.getFirst()).isCloseTo(reference(t, x) / N, within(1e-10));
        assertThat(both.getSecond()).isEqualTo(g);
    }

    @Test
    void computeScoreArray_exampleMask_zeroesMaskedExample() {
        Random rnd = new Random(3);
        INDArray t = random(rnd, 0.07, 0);
        INDArray x = random(rnd, 8, -4);
        INDArray mask = Nd4j.create(new double[] {1, 0}, new long[] {2, 1}, DataType.DOUBLE);
        INDArray scores = new SigmoidVolumeLoss().computeScoreArray(t, x, new ActivationIdentity(), mask);
        assertThat(scores.getDouble(1, 0)).isZero();
        assertThat(scores.getDouble(0, 0)).isPositive();
    }

    @Test
    void computeScore_shapeMismatch_throws() {
        INDArray t = Nd4j.zeros(DataType.DOUBLE, 2, 5);
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 2, 6);
        assertThatThrownBy(() -> new SigmoidVolumeLoss().computeScore(t, x, new ActivationIdentity(), null, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 6]")
                .hasMessageContaining("[2, 5]");
    }

    @Test
    void scoreAndGradient_arrays_matchesReferenceAndComputeGradient() {
        Random rnd = new Random(4);
        INDArray t = random(rnd, 1, 0);
        INDArray x = random(rnd, 8, -4);
        float[] tf = t.castTo(DataType.FLOAT).reshape(N * M).toFloatVector();
        float[] xf = x.castTo(DataType.FLOAT).reshape(N * M).toFloatVector();
        float[] g = new float[N * M];
        double score = SigmoidVolumeLoss.scoreAndGradient(xf, tf, N, M, g);
        INDArray xr = Nd4j.create(xf, new long[] {N, M}).castTo(DataType.DOUBLE);
        INDArray tr = Nd4j.create(tf, new long[] {N, M}).castTo(DataType.DOUBLE);
        assertThat(score).isCloseTo(reference(tr, xr), within(1e-9));
        INDArray expected = new SigmoidVolumeLoss().computeGradient(tr, xr, new ActivationIdentity(), null);
        for (int i = 0; i < g.length; i++) {
            assertThat((double) g[i]).isCloseTo(expected.getDouble(i / M, i % M), within(1e-7));
        }
        assertThatThrownBy(() -> SigmoidVolumeLoss.scoreAndGradient(xf, tf, N + 1, M, g))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logits");
    }
}
