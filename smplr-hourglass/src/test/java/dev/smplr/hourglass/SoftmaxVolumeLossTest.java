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
        assertMatchesCentralDifferences(loss, t, x, g);
        var both = loss.computeGradientAndScore(t, x, new ActivationIdentity(), null, false);
        assertThat(both.getFirst()).isCloseTo(reference(t, x), within(1e-10));
        assertThat(both.getSecond()).isEqualTo(g);
    }

    /** Each gradient value against the central difference of the summed score, step 1e-6. */
    private static void assertMatchesCentralDifferences(SoftmaxVolumeLoss loss, INDArray t, INDArray x,
            INDArray g) {
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
        double[] tf = t.reshape(t.length()).toDoubleVector();
        double[] xf = x.reshape(x.length()).toDoubleVector();
        double[] g = new double[N * D * V * C];
        double[] perExample = new double[N];
        double score = SoftmaxVolumeLoss.scoreAndGradient(xf, tf, N, D, V, C, 0, 0, g, perExample);
        assertThat(score).isCloseTo(reference(t, x), within(1e-10));
        assertThat(perExample[0] + perExample[1]).isCloseTo(score, within(1e-12));
        INDArray expected = new SoftmaxVolumeLoss(D, V, C).computeGradient(t, x, new ActivationIdentity(), null);
        for (int i = 0; i < g.length; i++) {
            assertThat(g[i]).isCloseTo(expected.getDouble(i / (D * V * C), i % (D * V * C)), within(1e-12));
        }
        assertThatThrownBy(() -> SoftmaxVolumeLoss.scoreAndGradient(xf, tf, N + 1, D, V, C, 0, 0, g, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logits");
    }

    // The integral term, on a 3-bin volume of 2×2 cells (C = 4 = R·R): cube 2.5 m, so 1.25 m per column/row and
    // 2.5/3 m per bin.
    private static final double LAMBDA = 3;
    private static final int P = 1;

    /**
     * Float64 reference of the integral term from its definition: per example, for the point volume v = 0, the
     * soft-argmax μ and the target centroid g in voxel units (column, row, bin), λ/P · Σ_a s_a·|μ_a − g_a|.
     */
    private static double integralReference(INDArray t, INDArray x) {
        double total = 0;
        for (int n = 0; n < N; n++) {
            double z = 0;
            double mass = 0;
            double[] mu = new double[3];
            double[] centroid = new double[3];
            for (int d = 0; d < D; d++) {
                for (int c = 0; c < C; c++) {
                    int i = d * V * C + c; // volume 0
                    double e = Math.exp(x.getDouble(n, i));
                    double w = t.getDouble(n, i);
                    double[] at = {c % 2, c / 2, d};
                    z += e;
                    mass += w;
                    for (int a = 0; a < 3; a++) {
                        mu[a] += e * at[a];
                        centroid[a] += w * at[a];
                    }
                }
            }
            double[] metresPerVoxel = {2.5 / 2, 2.5 / 2, 2.5 / D};
            for (int a = 0; a < 3; a++) {
                total += LAMBDA / P * metresPerVoxel[a] * Math.abs(mu[a] / z - centroid[a] / mass);
            }
        }
        return total;
    }

    @Test
    void computeScore_integralTerm_addsSoftArgmaxL1InMetres() {
        Random rnd = new Random(5);
        INDArray t = random(rnd, 0.1, 0);
        INDArray x = random(rnd, 6, -3);
        SoftmaxVolumeLoss loss = new SoftmaxVolumeLoss(D, V, C, P, LAMBDA);
        assertThat(loss.computeScore(t, x, new ActivationIdentity(), null, false))
                .isCloseTo(reference(t, x) + integralReference(t, x), within(1e-10));
        assertThat(integralReference(t, x)).isGreaterThan(0.1);
    }

    @Test
    void computeGradient_integralTerm_matchesCentralDifferences() {
        Random rnd = new Random(6);
        INDArray t = random(rnd, 0.1, 0);
        INDArray x = random(rnd, 6, -3);
        SoftmaxVolumeLoss loss = new SoftmaxVolumeLoss(D, V, C, P, LAMBDA);
        INDArray g = loss.computeGradient(t, x, new ActivationIdentity(), null);
        INDArray withoutIntegral = new SoftmaxVolumeLoss(D, V, C).computeGradient(t, x, new ActivationIdentity(),
                null);
        assertThat(g.sub(withoutIntegral).norm2Number().doubleValue()).isGreaterThan(1e-3);
        assertMatchesCentralDifferences(loss, t, x, g);
    }

    @Test
    void integralTerm_softmaxEqualToGaussianTarget_costsUnderATenthOfAMillimetre() {
        // The demo grid (24×24×16); logits = log of the target, so μ is the target's centroid, and the term measures
        // how far that centroid is from the ground-truth point: the claim that g_v is the point's voxel coordinate.
        int side = 24;
        int bins = 16;
        VoxelGrid grid = new VoxelGrid(side, bins, HourglassConfig.POINTS);
        float[] points = new float[3 * HourglassConfig.POINTS];
        points[0] = 0.13f;
        points[1] = -0.21f;
        points[2] = 0.08f;
        float[] targets = new float[grid.values()];
        VoxelTargets.fill(grid, points, targets, 0);
        double[] t = new double[side * side * bins];
        double[] x = new double[t.length];
        for (int d = 0; d < bins; d++) {
            for (int c = 0; c < side * side; c++) {
                t[d * side * side + c] = targets[grid.index(0, d, c / side, c % side)];
                x[d * side * side + c] = Math.log(t[d * side * side + c] + 1e-30); // float targets underflow to 0
            }
        }
        // the centroid itself, against the point's voxel coordinate
        double[] centroid = new double[3];
        double mass = 0;
        for (int d = 0; d < bins; d++) {
            for (int c = 0; c < side * side; c++) {
                double w = t[d * side * side + c];
                centroid[0] += w * (c % side);
                centroid[1] += w * (c / side);
                centroid[2] += w * d;
                mass += w;
            }
        }
        assertThat(centroid[0] / mass).isCloseTo((0.13 / 2.5 + 0.5) * side, within(1e-4));
        assertThat(centroid[1] / mass).isCloseTo((-0.21 / 2.5 + 0.5) * side, within(1e-4));
        assertThat(centroid[2] / mass).isCloseTo((0.08 / 2.5 + 0.5) * bins, within(1e-4));
        double lambda = 10;
        double score = SoftmaxVolumeLoss.scoreAndGradient(x, t, 1, bins, 1, side * side, 1, lambda, null, null);
        double crossEntropyOnly = SoftmaxVolumeLoss.scoreAndGradient(x, t, 1, bins, 1, side * side, 0, 0, null,
                null);
        assertThat(score - crossEntropyOnly).isBetween(0.0, lambda * 1e-4);
    }

    @Test
    void integralWeight_badValues_throwNamingIt() {
        assertThatThrownBy(() -> new SoftmaxVolumeLoss(D, V, C, P, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("integralWeight");
        assertThatThrownBy(() -> new SoftmaxVolumeLoss(D, V, C, P, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("integralWeight");
        assertThatThrownBy(() -> SoftmaxVolumeLoss.scoreAndGradient(new double[D * 3], new double[D * 3], 1, D, 1, 3,
                1, 1, null, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("square");
        SoftmaxVolumeLoss bean = new SoftmaxVolumeLoss();
        bean.setDepthBins(D);
        bean.setVolumes(V);
        bean.setCells(C);
        bean.setPoints(P);
        bean.setIntegralWeight(LAMBDA);
        assertThat(bean).isEqualTo(new SoftmaxVolumeLoss(D, V, C, P, LAMBDA))
                .isNotEqualTo(new SoftmaxVolumeLoss(D, V, C));
    }

    /** The fast engine's NHWC entry point against the graph-layout one, with and without the integral term. */
    @Test
    void scoreAndGradientNhwc_transposedLayout_matchesGraphLayout() {
        int n = 3;
        int depth = 4;
        int volumes = 5;
        int cells = 9;
        int k = depth * volumes;
        Random rnd = new Random(7);
        double[] x = new double[n * k * cells];
        double[] t = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = 8 * rnd.nextDouble() - 4;
            t[i] = rnd.nextDouble() < 0.3 ? rnd.nextDouble() : 0;
        }
        for (double lambda : new double[] {0, 10}) {
            double[] g = new double[x.length];
            double expected = SoftmaxVolumeLoss.scoreAndGradient(x, t, n, depth, volumes, cells, 3, lambda, g, null);
            // graph (b, channel, cell) → NHWC (b, cell, channel)
            float[] xn = new float[x.length];
            float[] tn = new float[x.length];
            for (int b = 0; b < n; b++) {
                for (int c = 0; c < k; c++) {
                    for (int cell = 0; cell < cells; cell++) {
                        xn[(b * cells + cell) * k + c] = (float) x[(b * k + c) * cells + cell];
                        tn[(b * cells + cell) * k + c] = (float) t[(b * k + c) * cells + cell];
                    }
                }
            }
            float[] gn = new float[x.length];
            double score = SoftmaxVolumeLoss.scoreAndGradientNhwc(xn, tn, n, depth, volumes, cells, 3, lambda, gn);
            // the inputs were rounded to float32
            assertThat(score).isCloseTo(expected, within(1e-5 * Math.abs(expected)));
            double maxAbs = java.util.Arrays.stream(g).map(Math::abs).max().orElseThrow();
            for (int b = 0; b < n; b++) {
                for (int c = 0; c < k; c++) {
                    for (int cell = 0; cell < cells; cell++) {
                        assertThat((double) gn[(b * cells + cell) * k + c])
                                .isCloseTo(g[(b * k + c) * cells + cell], within(1e-5 * maxAbs));
                    }
                }
            }
        }
        assertThatThrownBy(() -> SoftmaxVolumeLoss.scoreAndGradientNhwc(new float[3], new float[3], 1, 2, 2, 1, 1,
                0, new float[3])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logits");
    }
}
