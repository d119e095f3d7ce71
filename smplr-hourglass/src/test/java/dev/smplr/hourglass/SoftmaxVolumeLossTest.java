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

class SoftmaxVolumeLossTest {
    private static final int N = 2;
    private static final int D = 3;
    private static final int V = 2;
    private static final int C = 4;

    private static INDArray random(Random rnd, double scale, double shift) {
        double[] v = new double[N * D * V * C];
        for (int i = 0; i < v.length; i++) {
            v[i] = shift + scale * rnd.nextDouble();
        }
        return Nd4j.create(v, new long[] {N, D * V * C}, DataType.DOUBLE);
    }

    /**
     * Float64 reference written from the definition: per example and volume v, the values at (d·V + v)·C + c,
     * p = exp(x) / Σ exp(x) over them, CE = −Σ t·log p; mean over volumes, sum over examples.
     */
    private static double reference(INDArray t, INDArray x) {
        double total = 0;
        for (int n = 0; n < N; n++) {
            double ex = 0;
            for (int v = 0; v < V; v++) {
                double z = 0;
                for (int d = 0; d < D; d++) {
                    for (int c = 0; c < C; c++) {
                        z += Math.exp(x.getDouble(n, (d * V + v) * C + c));
                    }
                }
                for (int d = 0; d < D; d++) {
                    for (int c = 0; c < C; c++) {
                        int i = (d * V + v) * C + c;
                        ex -= t.getDouble(n, i) * Math.log(Math.exp(x.getDouble(n, i)) / z);
                    }
                }
            }
            total += ex / V;
        }
        return total;
    }

    @Test
    void computeScore_random_matchesReference() {
        Random rnd = new Random(1);
        INDArray t = random(rnd, 0.1, 0);
        INDArray x = random(rnd, 6, -3);
        SoftmaxVolumeLoss loss = new SoftmaxVolumeLoss(D, V, C);
        assertThat(loss.computeScore(t, x, new ActivationIdentity(), null, false))
                .isCloseTo(reference(t, x), within(1e-10));
        assertThat(loss.computeScore(t, x, new ActivationIdentity(), null, true))
                .isCloseTo(reference(t, x) / N, within(1e-10));
    }

    @Test
    void computeGradient_random_matchesCentralDifferences() {
        Random rnd = new Random(2);
        INDArray t = random(rnd, 0.1, 0);
        INDArray x = random(rnd, 6, -3);
        SoftmaxVolumeLoss loss = new SoftmaxVolumeLoss(D, V, C);
        INDArray g = loss.computeGradient(t, x, new ActivationIdentity(), null);
        double h = 1e-6;
        for (int n = 0; n < N; n++) {
            for (int i = 0; i < D * V * C; i++) {
                double x0 = x.getDouble(n, i);
                x.putScalar(n, i, x0 + h);
                double up = loss.computeScore(t, x, new ActivationIdentity(), null, false);
                x.putScalar(n, i, x0 - h);
                double down = loss.computeScore(t, x, new ActivationIdentity(), null, false);
                x.putScalar(n, i, x0);
                assertThat(g.getDouble(n, i)).as("(%d, %d)", n, i).isCloseTo((up - down) / (2 * h), within(1e-8));
            }
        }
        var both = loss.computeGradientAndScore(t, x, new ActivationIdentity(), null, false);
        assertThat(both.getFirst()).isCloseTo(reference(t, x), within(1e-10));
        assertThat(both.getSecond()).isEqualTo(g);
    }

    @Test
    void computeScoreArray_exampleMask_zeroesMaskedExample() {
        Random rnd = new Random(3);
        INDArray t = random(rnd, 0.1, 0);
        INDArray x = random(rnd, 6, -3);
        INDArray mask = Nd4j.create(new double[] {0, 1}, new long[] {2, 1}, DataType.DOUBLE);
        SoftmaxVolumeLoss loss = new SoftmaxVolumeLoss(D, V, C);
        INDArray scores = loss.computeScoreArray(t, x, new ActivationIdentity(), mask);
        assertThat(scores.getDouble(0, 0)).isZero();
        assertThat(scores.getDouble(1, 0)).isPositive();
        INDArray g = loss.computeGradient(t, x, new ActivationIdentity(), mask);
        assertThat(g.getRow(0).sumNumber().doubleValue()).isZero();
    }

    @Test
    void computeScore_wrongLayout_throws() {
        INDArray t = Nd4j.zeros(DataType.DOUBLE, 2, 25);
        assertThatThrownBy(() -> new SoftmaxVolumeLoss(D, V, C).computeScore(t, t, new ActivationIdentity(), null,
                true)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("24")
                .hasMessageContaining("25");
        assertThatThrownBy(() -> new SoftmaxVolumeLoss(0, V, C)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("depthBins");
    }

    @Test
    void setters_beanRoundTrip_equal() {
        SoftmaxVolumeLoss a = new SoftmaxVolumeLoss();
        a.setDepthBins(D);
        a.setVolumes(V);
        a.setCells(C);
        assertThat(a).isEqualTo(new SoftmaxVolumeLoss(D, V, C));
        assertThat(a.getCells()).isEqualTo(C);
    }

    @Test
    void scoreAndGradient_arrays_matchesReferenceAndComputeGradient() {
        Random rnd = new Random(4);
        INDArray t = random(rnd, 0.1, 0);
        INDArray x = random(rnd, 6, -3);
        float[] tf = flat(t);
        float[] xf = flat(x);
        float[] g = new float[N * D * V * C];
        double score = SoftmaxVolumeLoss.scoreAndGradient(xf, tf, N, D, V, C, g);
        // float inputs: compare with the float64 reference on the same rounded values (x − max is a float)
        INDArray xr = Nd4j.create(xf, new long[] {N, D * V * C}).castTo(DataType.DOUBLE);
        INDArray tr = Nd4j.create(tf, new long[] {N, D * V * C}).castTo(DataType.DOUBLE);
        assertThat(score).isCloseTo(reference(tr, xr), within(1e-6));
        INDArray expected = new SoftmaxVolumeLoss(D, V, C).computeGradient(tr, xr, new ActivationIdentity(), null);
        for (int i = 0; i < g.length; i++) {
            assertThat((double) g[i]).isCloseTo(expected.getDouble(i / (D * V * C), i % (D * V * C)), within(1e-7));
        }
        assertThatThrownBy(() -> SoftmaxVolumeLoss.scoreAndGradient(xf, tf, N + 1, D, V, C, g))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logits");
    }

    private static float[] flat(INDArray a) {
        return a.castTo(DataType.FLOAT).reshape(a.length()).toFloatVector();
    }
}
