package dev.smplr.hourglass;

import static dev.smplr.hourglass.NhwcTestData.conv;
import static dev.smplr.hourglass.NhwcTestData.fill;
import static dev.smplr.hourglass.NhwcTestData.read;
import static dev.smplr.hourglass.NhwcTestData.relativeError;
import static dev.smplr.hourglass.NhwcTestData.rounded;
import static dev.smplr.hourglass.NhwcTestData.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class NhwcKernelsTest {

    private static final double TOL = 1e-5;

    private static ConvWeights weights(double[] oiyx, int cout, int cin, int k) {
        return ConvWeights.fromOiyx(Nd4j.create(toFloat(oiyx), new long[] {cout, cin, k, k}, 'c'));
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    @ParameterizedTest
    @CsvSource({"1, 1, 1, 1, 1", "2, 5, 3, 7, 5", "3, 4, 9, 16, 33"})
    void conv1x1_randomShapes_matchesReference(int n, int h, int w, int cin, int cout) {
        SplittableRandom rnd = new SplittableRandom(n * 31 + cin);
        double[] x = rounded(uniform(rnd, n * h * w * cin));
        double[] wt = rounded(uniform(rnd, cout * cin));
        NhwcTensor in = NhwcTensor.allocate(n, h, w, cin);
        NhwcTensor out = NhwcTensor.allocate(n, h, w, cout);
        fill(in, x);
        fill(out, uniform(rnd, n * h * w * cout)); // overwritten with beta 0

        NhwcKernels.conv1x1(in, weights(wt, cout, cin, 1), 0f, out);

        assertThat(relativeError(conv(x, n, h, w, cin, wt, cout, 1, 1, 0), read(out))).isLessThan(TOL);
    }

    @Test
    void conv1x1_betaOne_accumulates() {
        SplittableRandom rnd = new SplittableRandom(2);
        int n = 2, h = 3, w = 5, cin = 6, cout = 4;
        double[] x = rounded(uniform(rnd, n * h * w * cin));
        double[] wt = rounded(uniform(rnd, cout * cin));
        double[] prior = rounded(uniform(rnd, n * h * w * cout));
        NhwcTensor in = NhwcTensor.allocate(n, h, w, cin);
        NhwcTensor out = NhwcTensor.allocate(n, h, w, cout);
        fill(in, x);
        fill(out, prior);

        NhwcKernels.conv1x1(in, weights(wt, cout, cin, 1), 1f, out);

        double[] expected = conv(x, n, h, w, cin, wt, cout, 1, 1, 0);
        for (int i = 0; i < expected.length; i++) {
            expected[i] += prior[i];
        }
        assertThat(relativeError(expected, read(out))).isLessThan(TOL);
    }

    @ParameterizedTest
    @CsvSource({"1, 1, 1, 1, 1", "2, 5, 7, 4, 6", "3, 8, 3, 9, 5", "1, 2, 1, 3, 2"})
    void conv3x3_randomShapes_matchesReference(int n, int h, int w, int cin, int cout) {
        SplittableRandom rnd = new SplittableRandom(h * 7 + w);
        double[] x = rounded(uniform(rnd, n * h * w * cin));
        double[] wt = rounded(uniform(rnd, cout * cin * 9));
        NhwcTensor in = NhwcTensor.allocate(n, h, w, cin, 1, true);
        NhwcTensor out = NhwcTensor.allocate(n, h, w, cout, 1, false);
        fill(in, x);
        ConvWeights weights = weights(wt, cout, cin, 3);

        NhwcKernels.conv3x3(in, weights, out);
        double[] first = read(out);
        NhwcKernels.conv3x3(in, weights, out); // the garbage border of out must not leak into a second run

        double[] expected = conv(x, n, h, w, cin, wt, cout, 3, 1, 1);
        assertThat(relativeError(expected, first)).isLessThan(TOL);
        assertThat(relativeError(expected, read(out))).isLessThan(TOL);
        for (int i = 0; i < in.pixels() * cin; i++) {
            int pixel = i / cin;
            int px = pixel % (w + 2);
            int py = pixel / (w + 2) % (h + 2);
            if (px == 0 || py == 0 || px == w + 1 || py == h + 1) {
                assertThat(in.data.get(i)).as("input border %d", i).isZero();
            }
        }
    }

    @Test
    void conv3x3_inputWithoutZeroBorder_throws() {
        NhwcTensor in = NhwcTensor.allocate(1, 4, 4, 2, 1, false);
        NhwcTensor out = NhwcTensor.allocate(1, 4, 4, 2, 1, false);
        ConvWeights w = ConvWeights.fromYxio(new float[9 * 4], 3, 2, 2);
        assertThatThrownBy(() -> NhwcKernels.conv3x3(in, w, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zero border");
    }

    @ParameterizedTest
    // the last is large enough for several threads (NhwcRows.PARALLEL_FLOATS)
    @CsvSource({"2, 3, 10, 7, 5, 6, 2, 2", "1, 3, 16, 16, 8, 6, 2, 2", "3, 2, 5, 6, 4, 3, 1, 1",
        "4, 3, 64, 64, 8, 6, 2, 2"})
    void convIm2col_stemLike_matchesReference(int n, int cin, int h, int w, int cout, int k, int stride, int pad) {
        SplittableRandom rnd = new SplittableRandom(h * 13 + w);
        double[] nchw = rounded(uniform(rnd, n * cin * h * w));
        double[] wt = rounded(uniform(rnd, cout * cin * k * k));
        FloatBuffer in = ByteBuffer.allocateDirect(4 * (nchw.length + 5)).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        for (int i = 0; i < nchw.length; i++) {
            in.put(5 + i, (float) nchw[i]);
        }
        double[] nhwc = new double[nchw.length];
        for (int b = 0; b < n; b++) {
            for (int ci = 0; ci < cin; ci++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        nhwc[((b * h + y) * w + x) * cin + ci] = nchw[((b * cin + ci) * h + y) * w + x];
                    }
                }
            }
        }
        int ho = (h + 2 * pad - k) / stride + 1;
        int wo = (w + 2 * pad - k) / stride + 1;
        NhwcTensor cols = NhwcTensor.allocate(n, ho, wo, k * k * cin);
        NhwcTensor out = NhwcTensor.allocate(n, ho, wo, cout);

        NhwcKernels.convIm2col(in, 5, cin, h, w, weights(wt, cout, cin, k), stride, pad, cols, out);

        double[] expected = conv(nhwc, n, h, w, cin, wt, cout, k, stride, pad);
        assertThat(relativeError(expected, read(out))).isLessThan(TOL);
    }

    @Test
    void scaleShift_reluIntoPaddedTensor_matchesReferenceAndKeepsBorder() {
        SplittableRandom rnd = new SplittableRandom(4);
        int n = 2, h = 3, w = 5, c = 7;
        double[] x = rounded(uniform(rnd, n * h * w * c));
        float[] scale = toFloat(uniform(rnd, c));
        float[] shift = toFloat(uniform(rnd, c));
        NhwcTensor in = NhwcTensor.allocate(n, h, w, c);
        NhwcTensor out = NhwcTensor.allocate(n, h, w, c, 1, true);
        fill(in, x);

        NhwcKernels.scaleShift(in, scale, shift, true, out);

        double[] expected = new double[x.length];
        int negatives = 0;
        for (int i = 0; i < x.length; i++) {
            double v = x[i] * scale[i % c] + shift[i % c];
            negatives += v < 0 ? 1 : 0;
            expected[i] = Math.max(0, v);
        }
        assertThat(negatives).isPositive();
        assertThat(relativeError(expected, read(out))).isLessThan(TOL);
        double borderSum = 0;
        for (int i = 0; i < out.pixels() * c; i++) {
            borderSum += Math.abs(out.data.get(i));
        }
        double interiorSum = 0;
        for (double v : read(out)) {
            interiorSum += Math.abs(v);
        }
        assertThat(borderSum).isCloseTo(interiorSum, org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void scaleShift_withoutReluInPlace_matchesReference() {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 3, h = 2, w = 3, c = 4;
        double[] x = rounded(uniform(rnd, n * h * w * c));
        float[] scale = toFloat(uniform(rnd, c));
        float[] shift = toFloat(uniform(rnd, c));
        NhwcTensor t = NhwcTensor.allocate(n, h, w, c, 1, false);
        fill(t, x);

        NhwcKernels.scaleShift(t, scale, shift, false, t);

        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = x[i] * scale[i % c] + shift[i % c];
        }
        assertThat(relativeError(expected, read(t))).isLessThan(TOL);
    }

    @ParameterizedTest
    @CsvSource({"2, 4, 6, 3", "3, 5, 7, 2", "1, 2, 2, 1"})
    void maxPool2_oddAndEvenSizes_matchesReference(int n, int h, int w, int c) {
        SplittableRandom rnd = new SplittableRandom(h * 3 + w);
        double[] x = rounded(uniform(rnd, n * h * w * c));
        NhwcTensor in = NhwcTensor.allocate(n, h, w, c, 1, false);
        NhwcTensor out = NhwcTensor.allocate(n, h / 2, w / 2, c);
        fill(in, x);

        NhwcKernels.maxPool2(in, out);

        double[] expected = new double[n * (h / 2) * (w / 2) * c];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < h / 2; y++) {
                for (int xx = 0; xx < w / 2; xx++) {
                    for (int ch = 0; ch < c; ch++) {
                        double m = Double.NEGATIVE_INFINITY;
                        for (int dy = 0; dy < 2; dy++) {
                            for (int dx = 0; dx < 2; dx++) {
                                m = Math.max(m, x[((b * h + 2 * y + dy) * w + 2 * xx + dx) * c + ch]);
                            }
                        }
                        expected[((b * (h / 2) + y) * (w / 2) + xx) * c + ch] = m;
                    }
                }
            }
        }
        assertThat(read(out)).containsExactly(expected);
    }

    @Test
    void upsample2_andAddUpsampled2_matchReference() {
        SplittableRandom rnd = new SplittableRandom(6);
        int n = 2, h = 3, w = 5, c = 3;
        double[] low = rounded(uniform(rnd, n * h * w * c));
        double[] a = rounded(uniform(rnd, n * 4 * h * w * c));
        NhwcTensor lowT = NhwcTensor.allocate(n, h, w, c);
        NhwcTensor up = NhwcTensor.allocate(n, 2 * h, 2 * w, c, 1, false);
        NhwcTensor sum = NhwcTensor.allocate(n, 2 * h, 2 * w, c);
        fill(lowT, low);
        fill(sum, a);

        NhwcKernels.upsample2(lowT, up);
        NhwcKernels.addUpsampled2(sum, lowT, sum);

        double[] expectedUp = new double[a.length];
        double[] expectedSum = new double[a.length];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < 2 * h; y++) {
                for (int x = 0; x < 2 * w; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        int i = ((b * 2 * h + y) * 2 * w + x) * c + ch;
                        expectedUp[i] = low[((b * h + y / 2) * w + x / 2) * c + ch];
                        expectedSum[i] = a[i] + expectedUp[i];
                    }
                }
            }
        }
        assertThat(read(up)).containsExactly(expectedUp);
        assertThat(relativeError(expectedSum, read(sum))).isLessThan(TOL);
    }

    @Test
    void add_andCopy_acrossBorders_matchReference() {
        SplittableRandom rnd = new SplittableRandom(7);
        int n = 2, h = 3, w = 4, c = 5;
        double[] a = rounded(uniform(rnd, n * h * w * c));
        double[] b = rounded(uniform(rnd, n * h * w * c));
        NhwcTensor ta = NhwcTensor.allocate(n, h, w, c);
        NhwcTensor tb = NhwcTensor.allocate(n, h, w, c, 1, false);
        NhwcTensor out = NhwcTensor.allocate(n, h, w, c, 1, true);
        NhwcTensor plain = NhwcTensor.allocate(n, h, w, c);
        fill(ta, a);
        fill(tb, b);

        NhwcKernels.add(ta, tb, out);
        NhwcKernels.copy(out, plain);

        double[] expected = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            expected[i] = a[i] + b[i];
        }
        assertThat(relativeError(expected, read(out))).isLessThan(TOL);
        assertThat(read(plain)).containsExactly(read(out));
        NhwcKernels.copy(ta, plain); // both without border: one bulk copy
        assertThat(read(plain)).containsExactly(a);
    }

    @Test
    void add_shapeMismatch_namesBothShapes() {
        NhwcTensor a = NhwcTensor.allocate(1, 2, 2, 3);
        NhwcTensor b = NhwcTensor.allocate(1, 2, 2, 4);
        assertThatThrownBy(() -> NhwcKernels.add(a, b, a)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[1, 2, 2, 4]").hasMessageContaining("[1, 2, 2, 3]");
    }
}
