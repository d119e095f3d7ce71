package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class NhwcRowsTest {
    @Test
    void forEach_largeLoop_visitsEveryRowOnceWithItsChunksScratch() {
        int n = 3;
        int h = 37;
        AtomicIntegerArray visits = new AtomicIntegerArray(n * h);
        NhwcRows.forEach(n, h, 1L << 20, new int[] {5, 7}, (b, y, scratch) -> {
            assertThat(scratch[0]).hasSize(5);
            assertThat(scratch[1]).hasSize(7);
            visits.incrementAndGet(b * h + y);
        });
        for (int r = 0; r < n * h; r++) {
            assertThat(visits.get(r)).as("row %d", r).isEqualTo(1);
        }
    }

    @Test
    void forRanges_largeAndSmallLoops_coverEveryIndexOnceInContiguousRanges() {
        for (int length : new int[] {0, 1, 7, 100_003}) {
            AtomicIntegerArray visits = new AtomicIntegerArray(Math.max(1, length));
            NhwcRows.forRanges(length, 1L << 20, (from, to) -> {
                assertThat(from).isBetween(0, to);
                for (int i = from; i < to; i++) {
                    visits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < length; i++) {
                assertThat(visits.get(i)).as("length %d, index %d", length, i).isEqualTo(1);
            }
        }
    }

    @Test
    void meanVariance_largeTensor_equalsTheRowOrderSumsBitForBit() {
        // big enough to run in chunks on several threads (when ND4J has them): the per-row partials are added in
        // row order afterwards, so the result is the serial one exactly, whatever the thread count
        NhwcTensor t = NhwcTensor.allocate(4, 16, 16, 48, 1, true);
        assertThat(t.interiorFloats()).isGreaterThan(NhwcRows.PARALLEL_FLOATS);
        double[] values = NhwcTestData.uniform(new SplittableRandom(11), 4 * 16 * 16 * 48);
        NhwcTestData.fill(t, values);
        double[] mean = new double[48];
        double[] var = new double[48];
        NhwcGradKernels.meanVariance(t, mean, var);

        double[] expectedMean = new double[48];
        double[] expectedVar = new double[48];
        float[] partial = new float[48];
        for (int pass = 0; pass < 2; pass++) {
            double[] sum = pass == 0 ? expectedMean : expectedVar;
            for (int r = 0; r < 4 * 16; r++) {
                java.util.Arrays.fill(partial, 0f);
                for (int x = 0; x < 16; x++) {
                    for (int ch = 0; ch < 48; ch++) {
                        float v = (float) values[(r * 16 + x) * 48 + ch];
                        float d = pass == 0 ? v : v - (float) expectedMean[ch];
                        partial[ch] += pass == 0 ? d : d * d;
                    }
                }
                for (int ch = 0; ch < 48; ch++) {
                    sum[ch] += partial[ch];
                }
            }
            for (int ch = 0; ch < 48; ch++) {
                sum[ch] /= 4 * 16 * 16;
            }
        }
        assertThat(mean).containsExactly(expectedMean);
        assertThat(var).containsExactly(expectedVar);
    }

    @Test
    void parallelFor_aFailingTask_throwsToTheCaller() {
        assertThatThrownBy(() -> NhwcRows.parallelFor(8, k -> {
            if (k == 5) {
                throw new IllegalStateException("task 5");
            }
        })).hasMessageContaining("task 5");
    }
}
