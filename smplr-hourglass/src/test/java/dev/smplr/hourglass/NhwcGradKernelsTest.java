package dev.smplr.hourglass;

import static dev.smplr.hourglass.NhwcTestData.fill;
import static dev.smplr.hourglass.NhwcTestData.read;
import static dev.smplr.hourglass.NhwcTestData.relativeError;
import static dev.smplr.hourglass.NhwcTestData.rounded;
import static dev.smplr.hourglass.NhwcTestData.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The training kernels against float64 references written from their definitions. */
class NhwcGradKernelsTest {
    private static final int N = 2;
    private static final int H = 4;
    private static final int W = 6;

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** Fills the border of a padded tensor with garbage, so kernels that read it fail. */
    private static void garbageBorder(NhwcTensor t) {
        for (int i = 0; i < t.array.length(); i++) {
            t.data.put(i, 1e6f);
        }
    }

    @Test
    void meanVariance_paddedInput_matchesReferenceOverInterior() {
        int c = 3;
        double[] x = rounded(uniform(new SplittableRandom(1), N * H * W * c));
        NhwcTensor t = NhwcTensor.allocate(N, H, W, c, 1, false);
        garbageBorder(t);
        fill(t, x);
        double[] mean = new double[c];
        double[] var = new double[c];
        NhwcGradKernels.meanVariance(t, mean, var);
        int m = N * H * W;
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int p = 0; p < m; p++) {
                s += x[p * c + ch];
            }
            double mu = s / m;
            double v = 0;
            for (int p = 0; p < m; p++) {
                v += (x[p * c + ch] - mu) * (x[p * c + ch] - mu);
            }
            // rows are summed in float32 (at most W terms), rows together in float64
            assertThat(mean[ch]).isCloseTo(mu, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(var[ch]).isCloseTo(v / m, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    /** Σ dAct·relu(γ·(x − mean)/sqrt(var + ε) + β) with the batch statistics of x, in float64. */
    private static double bnReluObjective(double[] x, double[] dAct, double[] gamma, double[] beta, int c,
            double eps) {
        int m = x.length / c;
        double total = 0;
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int p = 0; p < m; p++) {
                s += x[p * c + ch];
            }
            double mu = s / m;
            double v = 0;
            for (int p = 0; p < m; p++) {
                v += (x[p * c + ch] - mu) * (x[p * c + ch] - mu);
            }
            double inv = 1 / Math.sqrt(v / m + eps);
            for (int p = 0; p < m; p++) {
                total += dAct[p * c + ch] * Math.max(0, gamma[ch] * (x[p * c + ch] - mu) * inv + beta[ch]);
            }
        }
        return total;
    }

    @Test
    void batchNormReluBackward_random_matchesCentralDifferences() {
        int c = 2;
        double eps = 1e-5;
        SplittableRandom rnd = new SplittableRandom(2);
        double[] x = rounded(uniform(rnd, N * H * W * c));
        double[] dAct = rounded(uniform(rnd, x.length));
        double[] gamma = {1.3, 0.7};
        double[] beta = {0.3, -0.2};
        NhwcTensor xt = NhwcTensor.allocate(N, H, W, c, 1, false);
        garbageBorder(xt);
        fill(xt, x);
        double[] mean = new double[c];
        double[] var = new double[c];
        NhwcGradKernels.meanVariance(xt, mean, var);
        float[] meanF = new float[c];
        float[] invStd = new float[c];
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int ch = 0; ch < c; ch++) {
            meanF[ch] = (float) mean[ch];
            invStd[ch] = (float) (1 / Math.sqrt(var[ch] + eps));
            scale[ch] = (float) (gamma[ch] * invStd[ch]);
            shift[ch] = (float) (beta[ch] - mean[ch] * gamma[ch] * invStd[ch]);
        }
        NhwcTensor act = NhwcTensor.allocate(N, H, W, c);
        NhwcKernels.scaleShift(xt, scale, shift, true, act);
        NhwcTensor dActT = NhwcTensor.allocate(N, H, W, c, 1, false);
        garbageBorder(dActT);
        fill(dActT, dAct);
        NhwcTensor dx = NhwcTensor.allocate(N, H, W, c);
        double[] dGamma = new double[c];
        double[] dBeta = new double[c];
        NhwcGradKernels.batchNormReluBackward(xt, meanF, invStd, toFloat(gamma), act, dActT, false, dx, dGamma,
                dBeta);

        double h = 1e-6;
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double[] up = x.clone();
            double[] down = x.clone();
            up[i] += h;
            down[i] -= h;
            expected[i] = (bnReluObjective(up, dAct, gamma, beta, c, eps)
                    - bnReluObjective(down, dAct, gamma, beta, c, eps)) / (2 * h);
        }
        assertThat(relativeError(expected, read(dx))).isLessThan(1e-4);
        for (int ch = 0; ch < c; ch++) {
            double[] g = gamma.clone();
            double[] b = beta.clone();
            g[ch] += h;
            double up = bnReluObjective(x, dAct, g, beta, c, eps);
            g[ch] -= 2 * h;
            double down = bnReluObjective(x, dAct, g, beta, c, eps);
            assertThat(dGamma[ch]).isCloseTo((up - down) / (2 * h), org.assertj.core.data.Offset.offset(1e-4));
            b[ch] += h;
            up = bnReluObjective(x, dAct, gamma, b, c, eps);
            b[ch] -= 2 * h;
            down = bnReluObjective(x, dAct, gamma, b, c, eps);
            assertThat(dBeta[ch]).isCloseTo((up - down) / (2 * h), org.assertj.core.data.Offset.offset(1e-4));
        }
        // accumulate adds the same gradient on top
        NhwcGradKernels.batchNormReluBackward(xt, meanF, invStd, toFloat(gamma), act, dActT, true, dx, dGamma,
                dBeta);
        double[] twice = expected.clone();
        for (int i = 0; i < twice.length; i++) {
            twice[i] *= 2;
        }
        assertThat(relativeError(twice, read(dx))).isLessThan(1e-4);
    }

    @Test
    void maxPool2Backward_random_routesToTheMaximum() {
        int c = 3;
        SplittableRandom rnd = new SplittableRandom(3);
        double[] x = rounded(uniform(rnd, N * H * W * c));
        double[] g = rounded(uniform(rnd, N * (H / 2) * (W / 2) * c));
        NhwcTensor in = NhwcTensor.allocate(N, H, W, c);
        fill(in, x);
        NhwcTensor dOut = NhwcTensor.allocate(N, H / 2, W / 2, c);
        fill(dOut, g);
        NhwcTensor dIn = NhwcTensor.allocate(N, H, W, c);
        fill(dIn, new double[x.length]);
        NhwcGradKernels.maxPool2Backward(in, dOut, dIn);
        double[] expected = new double[x.length];
        for (int b = 0; b < N; b++) {
            for (int y = 0; y < H / 2; y++) {
                for (int xx = 0; xx < W / 2; xx++) {
                    for (int ch = 0; ch < c; ch++) {
                        int best = -1;
                        for (int d = 0; d < 4; d++) {
                            int i = ((b * H + 2 * y + d / 2) * W + 2 * xx + d % 2) * c + ch;
                            if (best < 0 || x[i] > x[best]) {
                                best = i;
                            }
                        }
                        expected[best] += g[((b * (H / 2) + y) * (W / 2) + xx) * c + ch];
                    }
                }
            }
        }
        assertThat(read(dIn)).containsExactly(expected);
        assertThatThrownBy(() -> NhwcGradKernels.maxPool2Backward(in, in, dIn))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPool2Backward");
    }

    @Test
    void upsample2Backward_random_sumsEachBlockIntoLow() {
        int c = 2;
        double[] g = rounded(uniform(new SplittableRandom(4), N * H * W * c));
        NhwcTensor dOut = NhwcTensor.allocate(N, H, W, c);
        fill(dOut, g);
        NhwcTensor dLow = NhwcTensor.allocate(N, H / 2, W / 2, c);
        double[] start = new double[N * (H / 2) * (W / 2) * c];
        java.util.Arrays.fill(start, 0.5);
        fill(dLow, start);
        NhwcGradKernels.upsample2Backward(dOut, dLow);
        double[] expected = start.clone();
        for (int b = 0; b < N; b++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        expected[((b * (H / 2) + y / 2) * (W / 2) + x / 2) * c + ch] += g[((b * H + y) * W + x) * c + ch];
                    }
                }
            }
        }
        assertThat(relativeError(expected, read(dLow))).isLessThan(1e-6);
    }

    @Test
    void conv3x3Backward_random_matchesReferenceGradients() {
        int cin = 3;
        int cout = 4;
        SplittableRandom rnd = new SplittableRandom(5);
        double[] x = rounded(uniform(rnd, N * H * W * cin));
        double[] oiyx = rounded(uniform(rnd, cout * cin * 9));
        double[] g = rounded(uniform(rnd, N * H * W * cout));
        NhwcTensor in = NhwcTensor.allocate(N, H, W, cin, 1, true);
        fill(in, x);
        NhwcTensor dOut = NhwcTensor.allocate(N, H, W, cout, 1, true);
        fill(dOut, g);
        NhwcTensor dIn = NhwcTensor.allocate(N, H, W, cin, 1, false);
        garbageBorder(dIn);
        ConvWeights w = ConvWeights.fromOiyx(Nd4j.create(oiyx, new long[] {cout, cin, 3, 3}).castTo(
                org.nd4j.linalg.api.buffer.DataType.FLOAT));
        INDArray dW = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 9L * cin, cout);
        INDArray[] taps = new INDArray[9];
        for (int t = 0; t < 9; t++) {
            taps[t] = dW.get(org.nd4j.linalg.indexing.NDArrayIndex.interval((long) t * cin, (long) (t + 1) * cin),
                    org.nd4j.linalg.indexing.NDArrayIndex.all());
        }
        NhwcGradKernels.conv3x3Backward(in, w, dOut, taps, dIn);

        // out[b, y, x, co] = Σ in[b, y + ky − 1, x + kx − 1, ci]·W[co, ci, ky, kx]
        double[] expectedDw = new double[9 * cin * cout];
        double[] expectedDx = new double[x.length];
        for (int b = 0; b < N; b++) {
            for (int y = 0; y < H; y++) {
                for (int xx = 0; xx < W; xx++) {
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kx = 0; kx < 3; kx++) {
                            int sy = y + ky - 1;
                            int sx = xx + kx - 1;
                            if (sy < 0 || sy >= H || sx < 0 || sx >= W) {
                                continue;
                            }
                            for (int ci = 0; ci < cin; ci++) {
                                for (int co = 0; co < cout; co++) {
                                    double go = g[((b * H + y) * W + xx) * cout + co];
                                    expectedDw[((ky * 3 + kx) * cin + ci) * cout + co] +=
                                            x[((b * H + sy) * W + sx) * cin + ci] * go;
                                    expectedDx[((b * H + sy) * W + sx) * cin + ci] +=
                                            go * oiyx[((co * cin + ci) * 3 + ky) * 3 + kx];
                                }
                            }
                        }
                    }
                }
            }
        }
        double[] actualDw = new double[expectedDw.length];
        float[] dwf = dW.reshape(dW.length()).toFloatVector();
        for (int i = 0; i < actualDw.length; i++) {
            actualDw[i] = dwf[i];
        }
        assertThat(relativeError(expectedDw, actualDw)).isLessThan(1e-5);
        assertThat(relativeError(expectedDx, read(dIn))).isLessThan(1e-5);
    }

    @Test
    void conv1x1Gradients_random_matchReference() {
        int cin = 5;
        int cout = 3;
        SplittableRandom rnd = new SplittableRandom(6);
        double[] x = rounded(uniform(rnd, N * H * W * cin));
        double[] oiyx = rounded(uniform(rnd, cout * cin));
        double[] g = rounded(uniform(rnd, N * H * W * cout));
        NhwcTensor in = NhwcTensor.allocate(N, H, W, cin);
        fill(in, x);
        NhwcTensor dOut = NhwcTensor.allocate(N, H, W, cout);
        fill(dOut, g);
        ConvWeights w = ConvWeights.fromOiyx(Nd4j.create(oiyx, new long[] {cout, cin, 1, 1}).castTo(
                org.nd4j.linalg.api.buffer.DataType.FLOAT));
        INDArray dW = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, cin, cout);
        NhwcGradKernels.conv1x1WeightGradient(in, dOut, dW);
        NhwcTensor dIn = NhwcTensor.allocate(N, H, W, cin);
        fill(dIn, new double[x.length]);
        NhwcGradKernels.conv1x1InputGradient(dOut, w, 0f, dIn);
        double[] expectedDw = new double[cin * cout];
        double[] expectedDx = new double[x.length];
        for (int p = 0; p < N * H * W; p++) {
            for (int ci = 0; ci < cin; ci++) {
                for (int co = 0; co < cout; co++) {
                    expectedDw[ci * cout + co] += x[p * cin + ci] * g[p * cout + co];
                    expectedDx[p * cin + ci] += g[p * cout + co] * oiyx[co * cin + ci];
                }
            }
        }
        double[] actualDw = new double[expectedDw.length];
        float[] dwf = dW.reshape(dW.length()).toFloatVector();
        for (int i = 0; i < actualDw.length; i++) {
            actualDw[i] = dwf[i];
        }
        assertThat(relativeError(expectedDw, actualDw)).isLessThan(1e-5);
        assertThat(relativeError(expectedDx, read(dIn))).isLessThan(1e-5);
    }

    @Test
    void multiply_mask_scalesEachValue() {
        NhwcTensor in = NhwcTensor.allocate(1, 1, 2, 2);
        fill(in, new double[] {1, 2, 3, 4});
        NhwcGradKernels.multiply(in, new float[] {0, 2, 2, 0}, in);
        assertThat(read(in)).containsExactly(0, 4, 6, 0);
        assertThatThrownBy(() -> NhwcGradKernels.multiply(in, new float[3], in))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mask of 4");
    }
}
