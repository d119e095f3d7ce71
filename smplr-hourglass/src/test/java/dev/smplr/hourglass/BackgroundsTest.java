package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackgroundsTest {
    @Test
    void random_sameSeed_sameImage() {
        int[] a = ImageTensors.rgb(Backgrounds.random(96, 64, new SplittableRandom(42)));
        int[] b = ImageTensors.rgb(Backgrounds.random(96, 64, new SplittableRandom(42)));
        int[] c = ImageTensors.rgb(Backgrounds.random(96, 64, new SplittableRandom(43)));
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void random_manySeeds_areVariedAndTextured() {
        int textured = 0;
        double[] means = new double[30];
        for (int s = 0; s < 30; s++) {
            BufferedImage image = Backgrounds.random(64, 64, new SplittableRandom(s));
            assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
            assertThat(image.getWidth()).isEqualTo(64);
            assertThat(image.getHeight()).isEqualTo(64);
            float[] t = ImageTensors.standardize(image);
            double sum = 0, sumSq = 0;
            for (int p : ImageTensors.rgb(image)) {
                int g = (p >>> 8) & 0xFF;
                sum += g;
                sumSq += (double) g * g;
            }
            double mean = sum / (64 * 64);
            means[s] = mean;
            if (Math.sqrt(sumSq / (64 * 64) - mean * mean) > 5) {
                textured++;
            }
            assertThat(t).doesNotContain(Float.NaN);
        }
        assertThat(textured).isGreaterThanOrEqualTo(24);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double m : means) {
            lo = Math.min(lo, m);
            hi = Math.max(hi, m);
        }
        assertThat(hi - lo).as("spread of mean brightness").isGreaterThan(80);
    }

    @Test
    void valueNoise_staysInUnitRangeAndIsSmooth() {
        float[] n = Backgrounds.valueNoise(128, 128, 4, 1, new SplittableRandom(5));
        float largestStep = 0;
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                float v = n[y * 128 + x];
                assertThat(v).isBetween(0f, 1f);
                if (x > 0) {
                    largestStep = Math.max(largestStep, Math.abs(v - n[y * 128 + x - 1]));
                }
            }
        }
        // 4 cells across 128 px: one octave changes by at most 1.5/32 per pixel (smoothstep slope 1.5).
        assertThat(largestStep).isLessThan(1.5f / 32 + 1e-4f);
    }

    @Test
    void random_badSize_throws() {
        assertThatThrownBy(() -> Backgrounds.random(0, 5, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0×5");
    }
}
