package dev.smplr.hourglass;

import java.util.SplittableRandom;

/** Test helpers for the NHWC kernels: random data, copies between tensors and flat float64 arrays. */
final class NhwcTestData {
    private NhwcTestData() {
    }

    /** @return {@code length} values uniform in [-1, 1) */
    static double[] uniform(SplittableRandom rnd, int length) {
        double[] v = new double[length];
        for (int i = 0; i < length; i++) {
            v[i] = rnd.nextDouble(-1, 1);
        }
        return v;
    }

    /** @return values rounded to float and back, so the float64 reference sees the kernel's exact inputs */
    static double[] rounded(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (float) v[i];
        }
        return r;
    }

    /** Writes {@code values} (n, h, w, c) row-major into the interior of {@code t}. */
    static void fill(NhwcTensor t, double[] values) {
        for (int b = 0; b < t.n; b++) {
            for (int y = 0; y < t.h; y++) {
                for (int x = 0; x < t.w; x++) {
                    for (int ch = 0; ch < t.c; ch++) {
                        t.data.put(t.offset(b, y, x) + ch, (float) values[((b * t.h + y) * t.w + x) * t.c + ch]);
                    }
                }
            }
        }
    }

    /** @return the interior of {@code t} as (n, h, w, c) row-major */
    static double[] read(NhwcTensor t) {
        double[] v = new double[t.n * t.h * t.w * t.c];
        for (int b = 0; b < t.n; b++) {
            for (int y = 0; y < t.h; y++) {
                for (int x = 0; x < t.w; x++) {
                    for (int ch = 0; ch < t.c; ch++) {
                        v[((b * t.h + y) * t.w + x) * t.c + ch] = t.data.get(t.offset(b, y, x) + ch);
                    }
                }
            }
        }
        return v;
    }

    /** @return the largest |a − b| over max(1, max |a|) */
    static double relativeError(double[] expected, double[] actual) {
        if (expected.length != actual.length) {
            throw new IllegalArgumentException("lengths " + expected.length + " and " + actual.length);
        }
        double diff = 0;
        double scale = 1;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return diff / scale;
    }

    /**
     * Float64 reference convolution on NHWC input, OIYX weights, zero padding, no bias.
     *
     * @return (n, ho, wo, cout)
     */
    static double[] conv(double[] in, int n, int h, int w, int cin, double[] oiyx, int cout, int k, int stride,
            int pad) {
        int ho = (h + 2 * pad - k) / stride + 1;
        int wo = (w + 2 * pad - k) / stride + 1;
        double[] out = new double[n * ho * wo * cout];
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < ho; oy++) {
                for (int ox = 0; ox < wo; ox++) {
                    for (int co = 0; co < cout; co++) {
                        double s = 0;
                        for (int ky = 0; ky < k; ky++) {
                            int y = oy * stride + ky - pad;
                            for (int kx = 0; kx < k; kx++) {
                                int x = ox * stride + kx - pad;
                                if (y < 0 || y >= h || x < 0 || x >= w) {
                                    continue;
                                }
                                for (int ci = 0; ci < cin; ci++) {
                                    s += in[((b * h + y) * w + x) * cin + ci] * oiyx[((co * cin + ci) * k + ky) * k + kx];
                                }
                            }
                        }
                        out[((b * ho + oy) * wo + ox) * cout + co] = s;
                    }
                }
            }
        }
        return out;
    }
}
