package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HourglassEstimatorTest {
    @TempDir
    static Path dir;
    static HourglassEstimator estimator;

    @BeforeAll
    static void train() throws Exception {
        HourglassTrainer.builder().config("tiny", HourglassTrainerTest.TINY).steps(1).batchSize(2)
                .validationSize(1).out(dir).log(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .build().train();
        estimator = HourglassEstimator.load(dir.resolve("weights"));
    }

    private static BufferedImage image(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        java.util.Random rnd = new java.util.Random(w * 31L + h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rnd.nextInt(0x1000000));
            }
        }
        return img;
    }

    @Test
    void estimate_anySquareSize_41FinitePointsInsideCube() {
        for (int size : new int[] {16, 40, 300}) {
            float[] p = estimator.estimate(image(size, size, BufferedImage.TYPE_INT_RGB));
            assertThat(p).hasSize(123);
            for (float v : p) {
                assertThat(v).isFinite().isBetween(-1.25f, 1.25f);
            }
        }
    }

    @Test
    void estimate_batch_sameAsOneByOne() {
        BufferedImage a = image(16, 16, BufferedImage.TYPE_INT_RGB);
        BufferedImage b = image(32, 32, BufferedImage.TYPE_INT_ARGB);
        List<float[]> both = estimator.estimate(List.of(a, b));
        // Batched BLAS may round differently in the last bit.
        assertThat(both.get(0)).containsExactly(estimator.estimate(a), org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(both.get(1)).containsExactly(estimator.estimate(b), org.assertj.core.data.Offset.offset(1e-5f));
    }

    private static BufferedImage mirrored(BufferedImage in) {
        BufferedImage out = new BufferedImage(in.getWidth(), in.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < in.getHeight(); y++) {
            for (int x = 0; x < in.getWidth(); x++) {
                out.setRGB(in.getWidth() - 1 - x, y, in.getRGB(x, y));
            }
        }
        return out;
    }

    private static double maxDifference(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    @Test
    void withFlipAveraging_mirroredCrop_givesTheMirroredEstimate() {
        HourglassEstimator flip = estimator.withFlipAveraging(true);
        assertThat(flip.flipAveraging()).isTrue();
        assertThat(estimator.withFlipAveraging(false)).isSameAs(estimator);
        assertThat(flip.toString()).contains("flip averaging");
        BufferedImage img = image(16, 16, BufferedImage.TYPE_INT_RGB);
        float[] p = flip.estimate(img);
        float[] q = flip.estimate(mirrored(img));
        assertThat(maxDifference(q, HourglassEstimator.mirrorPoints(p.clone()))).isLessThan(1e-5);
        // without averaging the network is not mirror-symmetric, so the property above is the averaging's doing
        float[] plain = estimator.estimate(img);
        float[] plainMirrored = estimator.estimate(mirrored(img));
        assertThat(maxDifference(plainMirrored, HourglassEstimator.mirrorPoints(plain.clone()))).isGreaterThan(1e-4);
        // and the average is the mean of the two
        float[] back = HourglassEstimator.mirrorPoints(plainMirrored.clone());
        for (int v = 0; v < 123; v++) {
            assertThat(p[v]).isCloseTo(0.5f * (plain[v] + back[v]), org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void withFlipAveraging_batchAcrossTheHalfBatch_sameAsOneByOne() {
        HourglassEstimator flip = estimator.withFlipAveraging(true);
        List<BufferedImage> crops = new java.util.ArrayList<>();
        for (int i = 0; i < 9; i++) {
            crops.add(image(16 + i, 16 + i, BufferedImage.TYPE_INT_RGB));
        }
        List<float[]> all = flip.estimate(crops);
        assertThat(all).hasSize(9);
        for (int i = 0; i < 9; i++) {
            assertThat(all.get(i)).containsExactly(flip.estimate(crops.get(i)),
                    org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void mirrorPoints_twice_identityAndSwapsSides() {
        float[] p = new float[123];
        for (int i = 0; i < p.length; i++) {
            p[i] = i * 0.01f - 0.6f;
        }
        float[] once = HourglassEstimator.mirrorPoints(p.clone());
        assertThat(HourglassEstimator.mirrorPoints(once.clone())).containsExactly(p);
        // point 0 is the left hip, 1 the right hip (SMPL joints 1, 2): swapped, X negated
        assertThat(once[0]).isEqualTo(-p[3]);
        assertThat(once[1]).isEqualTo(p[4]);
        assertThat(once[3]).isEqualTo(-p[0]);
        // point 2 is spine1 (SMPL joint 3), on the mid-line: X negated only
        assertThat(once[6]).isEqualTo(-p[6]);
        assertThat(once[7]).isEqualTo(p[7]);
    }

    @Test
    void estimate_grayscale_sameAsGrayRgb() {
        BufferedImage gray = image(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage rgb = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                rgb.setRGB(x, y, gray.getRGB(x, y));
            }
        }
        assertThat(estimator.estimate(gray)).containsExactly(estimator.estimate(rgb));
        assertThat(estimator.estimate(image(16, 16, BufferedImage.TYPE_USHORT_GRAY))).hasSize(123);
    }

    @Test
    void estimate_badInput_throwsNamingIt() {
        assertThatThrownBy(() -> estimator.estimate((BufferedImage) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("crop");
        assertThatThrownBy(() -> estimator.estimate(image(16, 20, BufferedImage.TYPE_INT_RGB)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16×20");
        assertThatThrownBy(() -> estimator.estimate(java.util.Arrays.asList(image(16, 16, 1), null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("crops[1]");
    }

    @Test
    void cropPerson_box_centredSquareWindow() {
        Crop c = HourglassEstimator.cropPerson(image(200, 100, BufferedImage.TYPE_INT_RGB), 50, 10, 35, 70, 64);
        assertThat(c.size()).isEqualTo(64);
        float[] centre = c.toCrop(new float[] {67.5f, 45f});
        assertThat(centre[0]).isCloseTo(32f, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(c.scale()).isCloseTo(64f * 0.7f / 70f, org.assertj.core.data.Offset.offset(1e-5f));
        assertThatThrownBy(() -> HourglassEstimator.cropPerson(image(8, 8, 1), 0, 0, 0, 5, 64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("width");
    }

    @Test
    void load_tamperedNetwork_ioExceptionNamesFile(@TempDir Path other) throws Exception {
        for (String f : new String[] {"manifest.json", "network.zip"}) {
            Files.copy(dir.resolve("weights").resolve(f), other.resolve(f));
        }
        Files.write(other.resolve("network.zip"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> HourglassEstimator.load(other)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("network.zip");
    }

    @Test
    void demo_shippedWeights_demoPresetWithMetrics() throws Exception {
        HourglassEstimator demo = HourglassEstimator.demo();
        assertThat(demo.config()).isEqualTo(HourglassConfig.demo());
        assertThat(demo.manifest().object("metrics").number("evalMpjpeMm")).isPositive();
        assertThat(demo.estimate(image(64, 64, BufferedImage.TYPE_INT_RGB))).hasSize(123);
    }
}
