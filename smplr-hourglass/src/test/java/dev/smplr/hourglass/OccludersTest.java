package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OccludersTest {
    @Test
    void paint_sameSeed_samePixels() {
        BufferedImage a = Backgrounds.random(128, 128, new SplittableRandom(1));
        BufferedImage b = Backgrounds.random(128, 128, new SplittableRandom(1));
        Occluders.paint(a, new SplittableRandom(9), 4);
        Occluders.paint(b, new SplittableRandom(9), 4);
        assertThat(ImageTensors.rgb(a)).isEqualTo(ImageTensors.rgb(b));
    }

    @Test
    void paint_covers_partOfTheImage() {
        int changedTotal = 0;
        for (int s = 0; s < 10; s++) {
            BufferedImage image = Backgrounds.random(128, 128, new SplittableRandom(100 + s));
            int[] before = ImageTensors.rgb(image);
            Occluders.paint(image, new SplittableRandom(s), 3);
            int[] after = ImageTensors.rgb(image);
            int changed = 0;
            for (int i = 0; i < before.length; i++) {
                if (before[i] != after[i]) {
                    changed++;
                }
            }
            assertThat(changed).isLessThan(before.length);
            changedTotal += changed;
        }
        // Three shapes of 10–50 % of the side each: a few percent to half of the image, on average.
        assertThat(changedTotal / 10.0 / (128 * 128)).isBetween(0.03, 0.7);
    }

    @Test
    void paint_noShapes_leavesTheImage() {
        BufferedImage image = Backgrounds.random(32, 32, new SplittableRandom(3));
        int[] before = ImageTensors.rgb(image);
        Occluders.paint(image, new SplittableRandom(3), 0);
        assertThat(ImageTensors.rgb(image)).isEqualTo(before);
        assertThatThrownBy(() -> Occluders.paint(image, new SplittableRandom(3), -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count");
    }
}
