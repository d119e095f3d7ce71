package dev.smplr.hourglass;

import static dev.smplr.hourglass.TestMeshes.channel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImageTensorsTest {
    @Test
    void standardize_anyImage_hasMeanZeroAndStdOne() {
        BufferedImage image = Backgrounds.random(64, 48, new SplittableRandom(11));
        float[] t = ImageTensors.standardize(image);
        assertThat(t).hasSize(3 * 64 * 48);
        double sum = 0, sumSq = 0;
        for (float x : t) {
            sum += x;
            sumSq += (double) x * x;
        }
        double mean = sum / t.length;
        assertThat(mean).isCloseTo(0, within(1e-5));
        assertThat(Math.sqrt(sumSq / t.length - mean * mean)).isCloseTo(1, within(1e-4));
    }

    @Test
    void standardize_layoutIsChannelsFirst() {
        int w = 7, h = 5;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (10 * x) << 16 | (20 * y) << 8 | 99);
            }
        }
        // Reference in double over the 3·H·W values.
        double sum = 0, sumSq = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (double v : new double[] {10 * x, 20 * y, 99}) {
                    sum += v;
                    sumSq += v * v;
                }
            }
        }
        double n = 3.0 * w * h;
        double mean = sum / n;
        double std = Math.sqrt(sumSq / n - mean * mean);
        float[] out = new float[2 + 3 * w * h];
        ImageTensors.standardize(image, out, 2);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double[] rgb = {10 * x, 20 * y, 99};
                for (int c = 0; c < 3; c++) {
                    assertThat((double) out[2 + c * h * w + y * w + x]).isCloseTo((rgb[c] - mean) / std, within(1e-5));
                }
            }
        }
        assertThat(out[0]).isZero();
        assertThatThrownBy(() -> ImageTensors.standardize(image, new float[3 * w * h], 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out: expected at least 106");
    }

    @Test
    void standardize_flatImage_isZeroNotNaN() {
        BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                grey.setRGB(x, y, 0x808080);
            }
        }
        for (float v : ImageTensors.standardize(grey)) {
            assertThat(v).isZero();
        }
    }

    @Test
    void rgb_subImageAndOtherTypes_readTheRightPixels() {
        BufferedImage image = Backgrounds.random(32, 24, new SplittableRandom(12));
        BufferedImage sub = image.getSubimage(5, 7, 10, 9);
        int[] px = ImageTensors.rgb(sub);
        BufferedImage bgr = new BufferedImage(32, 24, BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(image, 0, 0, null);
        int[] all = ImageTensors.rgb(bgr);
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 10; x++) {
                assertThat(px[y * 10 + x]).isEqualTo(image.getRGB(5 + x, 7 + y) & 0xFFFFFF);
            }
        }
        for (int i = 0; i < all.length; i++) {
            int expected = image.getRGB(i % 32, i / 32);
            for (int c = 0; c < 3; c++) {
                assertThat(channel(all[i], c)).isEqualTo(channel(expected, c));
            }
            assertThat(all[i] >>> 24).isZero();
        }
    }
}
