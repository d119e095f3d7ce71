package dev.smplr.hourglass;

import static dev.smplr.hourglass.TestMeshes.channel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CropTest {
    private static final PinholeCamera CAMERA = PinholeCamera.blender(640, 480);

    @Test
    void around_rootLandsOnTheCentreAndTheCubeOnTheEdges() {
        float[] root = {0.3f, 0.2f, 5};
        BufferedImage image = Backgrounds.random(640, 480, new SplittableRandom(1));
        Crop crop = Crop.around(CAMERA, root, image, 256);
        // Window side l = f·2.5/Z.
        assertThat((double) crop.scale()).isCloseTo(256 / (888.889 * 2.5 / 5), within(1e-4));
        float[] pts = {root[0], root[1], root[2], root[0] + 1.25f, root[1], root[2], root[0] - 1.25f, root[1],
                root[2], root[0], root[1] + 1.25f, root[2], root[0], root[1] - 1.25f, root[2]};
        float[] uv = crop.toCrop(CAMERA.project(pts));
        float[] expected = {128, 128, 256, 128, 0, 128, 128, 256, 128, 0};
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) uv[i]).as("coordinate %d", i).isCloseTo(expected[i], within(1e-3));
        }
        // The crop's camera projects straight into the crop, and so does cameraAround.
        float[] direct = crop.camera(CAMERA).project(pts);
        float[] around = Crop.cameraAround(CAMERA, root, 256).project(pts);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) direct[i]).isCloseTo(expected[i], within(1e-3));
            assertThat((double) around[i]).isCloseTo(expected[i], within(1e-3));
        }
        assertThat(crop.size()).isEqualTo(256);
        assertThat(crop.image().getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    }

    @Test
    void around_nearRoot_windowLargerThanImageIsZeroFilled() {
        // At 3.9 m the window is 570 px: taller than the 480-px image, so rows above and below are black.
        float[] root = {0, 0, 3.9f};
        BufferedImage white = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        int[] fill = new int[640 * 480];
        java.util.Arrays.fill(fill, 0xFFFFFF);
        white.setRGB(0, 0, 640, 480, fill, 0, 640);
        Crop crop = Crop.around(CAMERA, root, white, 256);
        assertThat(crop.image().getRGB(128, 0) & 0xFFFFFF).isZero();
        assertThat(crop.image().getRGB(128, 255) & 0xFFFFFF).isZero();
        assertThat(crop.image().getRGB(128, 128) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        // The image's top edge maps to v' = scale·0 + offsetV; rows clearly above it are black, below white.
        int edge = Math.round(crop.offsetV());
        assertThat(crop.image().getRGB(128, edge - 2) & 0xFFFFFF).isZero();
        assertThat(crop.image().getRGB(128, edge + 2) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }

    @Test
    void square_unitScaleOnPixelGrid_copiesPixelsExactly() {
        BufferedImage image = Backgrounds.random(64, 48, new SplittableRandom(2));
        Crop crop = Crop.square(image, 20, 16, 16, 16);
        for (int j = 0; j < 16; j++) {
            for (int i = 0; i < 16; i++) {
                assertThat(crop.image().getRGB(i, j)).isEqualTo(image.getRGB(12 + i, 8 + j));
            }
        }
    }

    @Test
    void square_pastTheCorner_isBlackOutsideTheImage() {
        BufferedImage image = Backgrounds.random(64, 48, new SplittableRandom(3));
        Crop crop = Crop.square(image, 0, 0, 32, 32);
        for (int j = 0; j < 32; j++) {
            for (int i = 0; i < 32; i++) {
                int expected = i < 16 || j < 16 ? 0 : image.getRGB(i - 16, j - 16) & 0xFFFFFF;
                assertThat(crop.image().getRGB(i, j) & 0xFFFFFF).as("(%d, %d)", i, j).isEqualTo(expected);
            }
        }
    }

    @Test
    void square_upscaledRamp_isInterpolatedLinearly() {
        BufferedImage ramp = new BufferedImage(100, 10, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 100; x++) {
                ramp.setRGB(x, y, (2 * x) << 16);
            }
        }
        Crop crop = Crop.square(ramp, 50, 5, 8, 32); // scale 4
        for (int i = 0; i < 32; i++) {
            // Crop pixel centre i + 0.5 comes from u = (i + 0.5 − offsetU) / scale; pixel x's centre is x + 0.5.
            double u = (i + 0.5 - crop.offsetU()) / crop.scale() - 0.5;
            int red = channel(crop.image().getRGB(i, 16), 0);
            assertThat((double) red).as("column %d", i).isCloseTo(2 * u, within(0.51));
        }
    }

    @Test
    void toImage_invertsToCrop() {
        Crop crop = Crop.square(Backgrounds.random(64, 48, new SplittableRandom(4)), 30.5f, 12.25f, 40, 128);
        float[] pixels = {1, 2, 63.5f, 47.5f, -10, 100};
        float[] back = crop.toImage(crop.toCrop(pixels));
        for (int i = 0; i < pixels.length; i++) {
            assertThat((double) back[i]).isCloseTo(pixels[i], within(1e-4));
        }
    }

    @Test
    void factories_badArguments_throwNamingThem() {
        BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        assertThatThrownBy(() -> Crop.around(CAMERA, new float[] {0, 0, -1}, image, 256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rootCam: expected Z > 0");
        assertThatThrownBy(() -> Crop.around(CAMERA, new float[] {0, 0, 5}, new BufferedImage(10, 10,
                BufferedImage.TYPE_INT_RGB), 256)).hasMessageContaining("image: expected the camera's size 640×480");
        assertThatThrownBy(() -> Crop.around(CAMERA, new float[] {0, 0, 5}, image, 0)).hasMessageContaining("size");
        assertThatThrownBy(() -> Crop.square(image, 0, 0, -5, 16)).hasMessageContaining("side");
        assertThatThrownBy(() -> new Crop(new BufferedImage(4, 5, BufferedImage.TYPE_INT_RGB), 1, 0, 0))
                .hasMessageContaining("square");
    }
}
