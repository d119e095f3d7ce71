package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.smplr.core.Gender;
import dev.smplr.core.Rotations;
import dev.smplr.smpl.SmplModel;
import dev.smplr.smpl.SmplOutput;
import dev.smplr.smpl.SmplParams;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SyntheticImageSourceTest {
    /** Small crops keep the tests fast; the geometry does not depend on the size. */
    private static final int SIZE = 96;

    private static SyntheticImageSource source(long seed) {
        return SyntheticImageSource.builder().seed(seed).size(SIZE).build();
    }

    @Test
    void sample_projectedPointsLandOnSilhouette() {
        for (long seed = 1; seed <= 3; seed++) {
            for (boolean sampled : new boolean[] {false, true}) {
                SyntheticImageSource src = SyntheticImageSource.builder().seed(seed).size(SIZE)
                        .sampledOrientation(sampled).build();
                for (long index = 0; index < 2; index++) {
                    SyntheticSample s = src.sample(index);
                    float[] pts = new float[123];
                    for (int i = 0; i < 41; i++) {
                        for (int k = 0; k < 3; k++) {
                            pts[3 * i + k] = s.points41()[3 * i + k] + s.root()[k];
                        }
                    }
                    float[] uv = s.camera().project(pts);
                    for (int i = 0; i < 41; i++) {
                        int col = (int) Math.floor(uv[2 * i]);
                        int row = (int) Math.floor(uv[2 * i + 1]);
                        assertThat(nearMask(s.mask(), SIZE, col, row))
                                .as("seed %d, index %d, sampled %b: point %d at (%.1f, %.1f)", seed, index, sampled,
                                        i, uv[2 * i], uv[2 * i + 1])
                                .isTrue();
                    }
                    // The root projects on the crop's centre (the release's window is centred on it).
                    float[] root = s.camera().project(s.root());
                    assertThat((double) root[0]).isCloseTo(SIZE / 2.0, within(1e-3));
                    assertThat((double) root[1]).isCloseTo(SIZE / 2.0, within(1e-3));
                }
            }
        }
    }

    @Test
    void maxYaw_limitsTheFacingDirection_andPiKeepsTheDefaultSamples() {
        SyntheticImageSource narrow = SyntheticImageSource.builder().seed(4).size(32).maxYaw(0.3f).build();
        double widest = 0;
        for (long index = 0; index < 40; index++) {
            float[] r = Rotations.axisAngleToMatrix(Arrays.copyOf(narrow.sample(index).params().pose(), 3));
            // the body's front (+Z of its canonical frame) after R_root; its heading about the vertical axis
            double heading = Math.atan2(r[2], r[8]);
            widest = Math.max(widest, Math.abs(heading));
        }
        // the yaw bound plus at most the tilt (0.15 rad) of the heading
        assertThat(widest).isLessThan(0.3 + 0.16).isGreaterThan(0.15);
        SyntheticImageSource full = SyntheticImageSource.builder().seed(4).size(32).build();
        SyntheticImageSource pi = full.toBuilder().maxYaw((float) Math.PI).build();
        assertThat(pi.sample(3)).isEqualTo(full.sample(3));
        assertThat(full.toString()).doesNotContain("maxYaw");
        assertThat(narrow.toString()).contains("maxYaw=0.3");
        assertThatThrownBy(() -> SyntheticImageSource.builder().maxYaw(4)).hasMessageContaining("maxYaw");
    }

    /** Whether a covered pixel lies in the 3×3 block around (col, row): a surface point may sit on the rim. */
    private static boolean nearMask(boolean[] mask, int size, int col, int row) {
        for (int r = row - 1; r <= row + 1; r++) {
            for (int c = col - 1; c <= col + 1; c++) {
                if (r >= 0 && c >= 0 && r < size && c < size && mask[r * size + c]) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void draw_sphereOnAxis_hasTheReleaseCropSize() {
        // Root on the optical axis: the crop camera's principal point is the crop's centre, f' = size·z / 2.5.
        int size = 128;
        SyntheticImageSource src = SyntheticImageSource.builder().size(size).rootOffset(0, 0).occluderProbability(0)
                .paddingProbability(0).build();
        SplittableRandom rng = new SplittableRandom(3);
        float[] root = src.rootPosition(rng);
        assertThat(root[0]).isZero();
        assertThat(root[1]).isZero();
        double z = root[2];
        double r = 0.5;
        TestMeshes.Mesh sphere = TestMeshes.icosphere(r, 0, 0, z, 4);
        SyntheticImageSource.Drawn drawn = src.draw(ColoredMesh.uniform(sphere.vertices(), sphere.faces(), 0xC08040),
                root, rng, rng.split(), rng.split());

        // A sphere on the axis projects to a circle of radius f'·r / √(z² − r²) ≈ size · r / 2.5.
        double radius = size * z / 2.5 * r / Math.sqrt(z * z - r * r);
        int covered = count(drawn.mask());
        assertThat((double) covered).isCloseTo(Math.PI * radius * radius, within(0.02 * Math.PI * radius * radius));
        int rowCount = 0;
        for (int col = 0; col < size; col++) {
            rowCount += drawn.mask()[(size / 2) * size + col] ? 1 : 0;
        }
        assertThat((double) rowCount).isCloseTo(2 * radius, within(2.0));
    }

    @Test
    void draw_sphereOffAxis_matchesPerPixelRayTest() {
        int size = 96;
        SyntheticImageSource src = SyntheticImageSource.builder().size(size).occluderProbability(0)
                .paddingProbability(0).build();
        SplittableRandom rng = new SplittableRandom(11);
        float[] root = src.rootPosition(rng);
        double r = 0.4;
        TestMeshes.Mesh sphere = TestMeshes.icosphere(r, root[0], root[1], root[2], 4);
        SyntheticImageSource.Drawn drawn = src.draw(ColoredMesh.uniform(sphere.vertices(), sphere.faces(), 0x4080C0),
                root, rng, rng.split(), rng.split());
        PinholeCamera cam = drawn.camera();
        int expected = 0;
        int disagree = 0;
        for (int row = 0; row < size; row++) {
            for (int col = 0; col < size; col++) {
                // Ray d = ((u − cx)/fx, (v − cy)/fy, 1): it hits the sphere if |c × d| / |d| < r.
                double dx = (col + 0.5 - cam.cx()) / cam.fx(), dy = (row + 0.5 - cam.cy()) / cam.fy(), dz = 1;
                double cx = root[1] * dz - root[2] * dy, cy = root[2] * dx - root[0] * dz, cz = root[0] * dy - root[1] * dx;
                boolean hit = (cx * cx + cy * cy + cz * cz) / (dx * dx + dy * dy + dz * dz) < r * r;
                expected += hit ? 1 : 0;
                disagree += hit != drawn.mask()[row * size + col] ? 1 : 0;
            }
        }
        assertThat(expected).isGreaterThan(500);
        // Only rim pixels may differ (the icosphere is inscribed in the sphere).
        assertThat(disagree).isLessThan((int) (0.03 * expected));
    }

    private static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        return n;
    }

    @Test
    void sample_sameSeedAndIndex_identical() {
        SyntheticSample a = source(5).sample(17);
        SyntheticSample b = source(5).sample(17);
        assertThat(a).isEqualTo(b);
        assertThat(ImageTensors.rgb(a.crop())).isEqualTo(ImageTensors.rgb(b.crop()));
        assertThat(a.points41()).isEqualTo(b.points41());
    }

    @Test
    void sample_differentIndexOrSeed_different() {
        SyntheticSample a = source(5).sample(17);
        SyntheticSample b = source(5).sample(18);
        SyntheticSample c = source(6).sample(17);
        assertThat(a.points41()).isNotEqualTo(b.points41());
        assertThat(ImageTensors.rgb(a.crop())).isNotEqualTo(ImageTensors.rgb(b.crop()));
        assertThat(a.points41()).isNotEqualTo(c.points41());
        assertThat(ImageTensors.rgb(a.crop())).isNotEqualTo(ImageTensors.rgb(c.crop()));
    }

    @Test
    void next_countsFromZero() {
        SyntheticImageSource src = source(9);
        assertThat(src.next()).isEqualTo(source(9).sample(0));
        assertThat(src.next()).isEqualTo(source(9).sample(1));
    }

    @Test
    void fill_equalsPerSampleResults() {
        SyntheticImageSource src = source(4);
        int count = 5;
        int plane = 3 * SIZE * SIZE;
        float[] images = new float[count * plane];
        float[] points = new float[count * 123];
        src.fill(10, count, images, points);
        for (int s = 0; s < count; s++) {
            SyntheticSample x = source(4).sample(10 + s);
            float[] expected = ImageTensors.standardize(x.crop());
            assertThat(Arrays.copyOfRange(images, s * plane, (s + 1) * plane)).isEqualTo(expected);
            assertThat(Arrays.copyOfRange(points, s * 123, (s + 1) * 123)).isEqualTo(x.points41());
        }
        // Either output may be skipped.
        float[] onlyPoints = new float[count * 123];
        src.fill(10, count, null, onlyPoints);
        assertThat(onlyPoints).isEqualTo(points);
    }

    @Test
    void sample_pointsAreRootRelativeCameraFrameOfTheParams() {
        SyntheticImageSource src = source(21);
        for (long index = 0; index < 3; index++) {
            SyntheticSample s = src.sample(index);
            SmplModel model = SmplModel.demo(s.gender());
            SmplOutput out = model.forward(s.params());
            // Independent route: the camera transform applied to the posed joints, minus the root.
            float[] joints = s.bodyToCamera().apply(out.joints());
            for (int k = 0; k < 3; k++) {
                assertThat(joints[k]).isCloseTo(s.root()[k], within(1e-5f));
            }
            for (int j = 1; j < 24; j++) {
                for (int k = 0; k < 3; k++) {
                    assertThat(s.points41()[3 * (j - 1) + k]).as("joint %d axis %d", j, k)
                            .isCloseTo(joints[3 * j + k] - joints[k], within(1e-5f));
                }
            }
            int[] landmarks = model.landmarkVertices();
            float[] vertices = s.bodyToCamera().apply(out.vertices());
            for (int l = 0; l < landmarks.length; l++) {
                for (int k = 0; k < 3; k++) {
                    assertThat(s.points41()[3 * (23 + l) + k]).as("landmark %d axis %d", l, k)
                            .isCloseTo(vertices[3 * landmarks[l] + k] - joints[k], within(1e-5f));
                }
            }
            // Camera frame: the body is upright (Y down is the image's down), so the head is above the pelvis
            // and the root is in front of the camera at the release's depths.
            assertThat(s.points41()[3 * 14 + 1]).isLessThan(-0.3f);
            assertThat(s.root()[2]).isBetween(3.9f, 6.4f);
        }
    }

    @Test
    void sample_uprightByDefault_tiltBounded() {
        SyntheticImageSource src = SyntheticImageSource.builder().size(SIZE).maxTilt(0.1f).build();
        for (long index = 0; index < 8; index++) {
            float[] r = Rotations.axisAngleToMatrix(Arrays.copyOf(src.sample(index).params().pose(), 3));
            // R · (0, 1, 0): the body's up axis, within 0.1 rad of the canonical up.
            assertThat(r[4]).isGreaterThanOrEqualTo((float) Math.cos(0.1) - 1e-5f);
        }
    }

    @Test
    void render_sampledParamsAndIndex_reproducesSample() {
        SyntheticImageSource src = source(2);
        SyntheticSample s = src.sample(4);
        assertThat(src.render(s.params(), s.gender(), 4)).isEqualTo(s);
        SyntheticSample given = src.render(SmplParams.zero());
        assertThat(given.params()).isEqualTo(SmplParams.zero());
        assertThat(given.gender()).isEqualTo(Gender.NEUTRAL);
    }

    @Test
    void badArguments_throwNamingTheArgument() {
        SyntheticImageSource src = source(0);
        assertThatThrownBy(() -> src.sample(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index");
        assertThatThrownBy(() -> src.fill(0, -1, null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count");
        assertThatThrownBy(() -> src.fill(0, 2, new float[3 * SIZE * SIZE], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("imagesNchw")
                .hasMessageContaining(String.valueOf(2 * 3 * SIZE * SIZE));
        assertThatThrownBy(() -> src.fill(0, 2, null, new float[123])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("points").hasMessageContaining("246");
        assertThatThrownBy(() -> src.render(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("params");
        assertThatThrownBy(() -> SyntheticImageSource.builder().size(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size").hasMessageContaining("4");
        assertThatThrownBy(() -> SyntheticImageSource.builder().depth(5, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("depth");
        assertThatThrownBy(() -> SyntheticImageSource.builder().occluderProbability(1.5f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("occluderProbability");
        assertThatThrownBy(() -> SyntheticImageSource.builder().models(g -> null).build().sample(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("models");
    }

    @Test
    void fill_oneThreadOrMany_sameValues() throws Exception {
        SyntheticImageSource src = source(8);
        int count = 4;
        float[] many = new float[count * 3 * SIZE * SIZE];
        float[] manyPoints = new float[count * 123];
        src.fill(3, count, many, manyPoints);
        float[] one = new float[many.length];
        float[] onePoints = new float[manyPoints.length];
        // A parallel stream started inside a pool runs on that pool: here a single thread.
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(1);
        try {
            pool.submit(() -> src.fill(3, count, one, onePoints)).get();
        } finally {
            pool.shutdown();
        }
        assertThat(one).isEqualTo(many);
        assertThat(onePoints).isEqualTo(manyPoints);
    }

    /**
     * Writes {@code target/synthetic-samples.png}: 16 samples at 128×128 with their 23 joints (green) and 18
     * landmarks (yellow), for people to look at, with 5 bits per channel to keep the file small (the grain of
     * the backgrounds does not compress). {@code docs/synthetic-samples.png} is a copy of it.
     */
    @Test
    void contactSheet_writesPng() throws IOException {
        BufferedImage sheet = contactSheet(SyntheticImageSource.builder().seed(2024).size(128).build(), 4, 4);
        int[] rgb = ImageTensors.rgb(sheet);
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] &= 0xF8F8F8;
        }
        sheet = ImageTensors.image(rgb, sheet.getWidth(), sheet.getHeight());
        Path file = Path.of("target", "synthetic-samples.png");
        Files.createDirectories(file.getParent());
        ImageIO.write(sheet, "png", file.toFile());
        assertThat(Files.size(file)).isPositive();
    }

    static BufferedImage contactSheet(SyntheticImageSource src, int columns, int rows) {
        int size = src.size();
        BufferedImage sheet = new BufferedImage(columns * size, rows * size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            for (int i = 0; i < columns * rows; i++) {
                SyntheticSample s = src.sample(i);
                int x0 = (i % columns) * size;
                int y0 = (i / columns) * size;
                g.drawImage(s.crop(), x0, y0, null);
                float[] pts = new float[123];
                for (int p = 0; p < 41; p++) {
                    for (int k = 0; k < 3; k++) {
                        pts[3 * p + k] = s.points41()[3 * p + k] + s.root()[k];
                    }
                }
                float[] uv = s.camera().project(pts);
                for (int p = 0; p < 41; p++) {
                    g.setColor(p < 23 ? Color.GREEN : Color.YELLOW);
                    g.fillRect(x0 + Math.round(uv[2 * p]) - 1, y0 + Math.round(uv[2 * p + 1]) - 1, 2, 2);
                }
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }
}
