package dev.smplr.dae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smplr.core.PointDenoiser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import dev.smplr.smpl.NoiseModel;
import dev.smplr.smpl.TrainingSet;
import dev.smplr.smpl.training.WeightsDirectory;
import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class JointDenoiserTest {

    private static final DenoiserConfig TINY =
            DenoiserConfig.builder().width1(32).width2(24).bottleneck(16).seed(-5L << 40).build();

    private static final JointDenoiser.Training TRAINING =
            new JointDenoiser.Training("unit test", 7, 0, 0.5, "untrained");

    private static JointDenoiser tiny() {
        return new JointDenoiser(TINY, DenoiserNetwork.build(TINY), 123456789012345L, TRAINING,
                Map.of("output_mm", 12.5));
    }

    private static float[] points(long seed) {
        Random r = new Random(seed);
        float[] p = new float[123];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (0.4 * r.nextGaussian());
        }
        return p;
    }

    @Test
    void denoise_zeroOutLayer_returnsInputAsNewArray() {
        var graph = DenoiserNetwork.build(TINY);
        Layer out = graph.getLayer(DenoiserNetwork.OUT);
        out.setParam("W", Nd4j.zeros(DataType.FLOAT, 32, 123));
        out.setParam("b", Nd4j.zeros(DataType.FLOAT, 1, 123));
        JointDenoiser d = new JointDenoiser(TINY, graph, 0, TRAINING, Map.of());
        float[] p = points(1);
        float[] copy = p.clone();
        PointDenoiser stage = d;
        float[] y = stage.denoise(p);
        assertThat(y).isNotSameAs(p).containsExactly(copy);
        assertThat(p).containsExactly(copy);
    }

    @Test
    void denoise_plainJava_matchesTheDl4jGraph() {
        // the shipped demo (trained batch-norm statistics) and a lifting network (no residual)
        JointDenoiser demo = JointDenoiser.demo();
        DenoiserConfig c = TINY.toBuilder().lifting(true).build();
        JointDenoiser lifting = new JointDenoiser(c, DenoiserNetwork.build(c), 0, TRAINING, Map.of());
        for (int s = 0; s < 5; s++) {
            float[] p = points(s);
            float[] expected = demo.graphOutput(p);
            float[] got = demo.denoise(p);
            float[] p2 = Arrays.copyOf(p, 82);
            float[] expected2 = lifting.graphOutput(p2);
            float[] got2 = lifting.lift(p2);
            for (int j = 0; j < 123; j++) {
                assertThat(got[j]).isCloseTo(expected[j], org.assertj.core.data.Offset.offset(2e-5f));
                assertThat(got2[j]).isCloseTo(expected2[j], org.assertj.core.data.Offset.offset(2e-5f));
            }
        }
    }

    @Test
    void denoise_batch_matchesSingleCalls() {
        JointDenoiser d = tiny();
        // 3 samples take the per-sample Java pass, 20 the DL4J graph
        for (int size : new int[] {3, 20}) {
            List<float[]> batch = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                batch.add(points(i));
            }
            List<float[]> out = d.denoise(batch);
            assertThat(out).hasSize(size);
            for (int i = 0; i < size; i++) {
                float[] single = d.denoise(batch.get(i));
                assertThat(out.get(i)).hasSize(123);
                for (int j = 0; j < 123; j++) {
                    assertThat(out.get(i)[j]).isCloseTo(single[j], org.assertj.core.data.Offset.offset(1e-5f));
                }
            }
        }
    }

    @Test
    void denoise_badInput_throwsNamingArgument() {
        JointDenoiser d = tiny();
        assertThatThrownBy(() -> d.denoise(new float[122])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("points41").hasMessageContaining("123").hasMessageContaining("122");
        float[] p = points(4);
        p[3 * 17 + 1] = Float.NaN;
        assertThatThrownBy(() -> d.denoise(p)).hasMessageContaining("points41[17]").hasMessageContaining("y");
        assertThatThrownBy(() -> d.denoise(List.of(points(1), new float[3])))
                .hasMessageContaining("batch[1]");
        assertThatThrownBy(() -> d.denoise(List.<float[]>of())).hasMessageContaining("batch");
    }

    @Test
    void lift_liftingDenoiser_takes82ValuesAndRefusesDenoise() {
        DenoiserConfig c = TINY.toBuilder().lifting(true).build();
        JointDenoiser d = new JointDenoiser(c, DenoiserNetwork.build(c), 0, TRAINING, Map.of());
        assertThat(d.lift(new float[82])).hasSize(123);
        assertThat(d.lift(List.of(new float[82], new float[82]))).hasSize(2);
        assertThatThrownBy(() -> d.lift(new float[123])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("points2d41").hasMessageContaining("82").hasMessageContaining("123");
        assertThatThrownBy(() -> d.denoise(new float[123])).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lift");
        assertThatThrownBy(() -> tiny().lift(new float[82])).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("denoise");
    }

    @Test
    void imagePlane_pinholeProjection_recoversPlaneCoordinates() {
        // a point (X, Y, Z) relative to a root at depth d projects to u = f·X/(d + Z) + cx; the input is then
        // x = (u − u_root)·d/f = X·d/(d + Z)
        float f = 888.9f;
        float d = 4.5f;
        float cx = 320;
        float cy = 240;
        float[] pixels = new float[82];
        float[] expected = new float[82];
        Random r = new Random(3);
        for (int p = 0; p < 41; p++) {
            double x = r.nextGaussian() * 0.3;
            double y = r.nextGaussian() * 0.5;
            double z = r.nextGaussian() * 0.2;
            pixels[2 * p] = (float) (f * x / (d + z) + cx);
            pixels[2 * p + 1] = (float) (f * y / (d + z) + cy);
            expected[2 * p] = (float) (x * d / (d + z));
            expected[2 * p + 1] = (float) (y * d / (d + z));
        }
        float[] got = JointDenoiser.imagePlane(pixels, cx, cy, f, d);
        for (int i = 0; i < 82; i++) {
            assertThat(got[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    @Test
    void imagePlane_badInput_throwsNamingArgument() {
        assertThatThrownBy(() -> JointDenoiser.imagePlane(new float[80], 0, 0, 1, 1))
                .hasMessageContaining("pixels41").hasMessageContaining("82").hasMessageContaining("80");
        assertThatThrownBy(() -> JointDenoiser.imagePlane(new float[82], 0, 0, 0, 1)).hasMessageContaining("focal");
        assertThatThrownBy(() -> JointDenoiser.imagePlane(new float[82], 0, 0, 1, -2))
                .hasMessageContaining("rootDepth").hasMessageContaining("-2");
        assertThatThrownBy(() -> JointDenoiser.imagePlane(new float[82], Float.NaN, 0, 1, 1))
                .hasMessageContaining("rootU");
    }

    @Test
    void denoise_concurrentCalls_matchSequential() throws Exception {
        JointDenoiser d = tiny();
        List<float[]> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            inputs.add(points(i));
            expected.add(d.denoise(inputs.get(i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (float[] in : inputs) {
                futures.add(pool.submit(() -> d.denoise(in)));
            }
            for (int i = 0; i < inputs.size(); i++) {
                assertThat(futures.get(i).get()).containsExactly(expected.get(i));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void save_load_roundTripsOutputsAndManifest(@TempDir Path dir) throws IOException {
        JointDenoiser d = tiny();
        d.save(dir);
        d.save(dir); // overwriting an existing denoiser works and leaves no temporary files
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(JointDenoiser.NETWORK_FILE, WeightsDirectory.MANIFEST);
        }
        JointDenoiser back = JointDenoiser.load(dir);
        assertThat(back.config()).isEqualTo(TINY);
        assertThat(back.seed()).isEqualTo(123456789012345L);
        assertThat(back.training()).isEqualTo(TRAINING);
        assertThat(back.metrics()).isEqualTo(Map.of("output_mm", 12.5));
        float[] p = points(9);
        assertThat(back.denoise(p)).containsExactly(d.denoise(p));

        String manifest = Files.readString(dir.resolve(WeightsDirectory.MANIFEST));
        assertThat(manifest).contains("\"formatVersion\": 1", "\"kind\": \"dae\"", "\"preset\": \"custom\"",
                "\"java\"", "\"wallSeconds\": 0.5", "\"command\": \"unit test\"",
                "\"network.zip\": \"" + sha256(dir.resolve(JointDenoiser.NETWORK_FILE)) + "\"");
    }

    @Test
    void load_otherFormatVersion_namesFileAndBothValues(@TempDir Path dir) throws IOException {
        tiny().save(dir);
        Path m = dir.resolve(WeightsDirectory.MANIFEST);
        Files.writeString(m, Files.readString(m).replace("\"formatVersion\": 1", "\"formatVersion\": 7"),
                StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JointDenoiser.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining(WeightsDirectory.MANIFEST).hasMessageContaining("formatVersion")
                .hasMessageContaining("expected 1").hasMessageContaining("found 7");
    }

    @Test
    void load_changedNetwork_failsChecksumNamingBothValues(@TempDir Path dir) throws IOException {
        tiny().save(dir);
        Path net = dir.resolve(JointDenoiser.NETWORK_FILE);
        String saved = sha256(net);
        byte[] bytes = Files.readAllBytes(net);
        bytes[bytes.length / 2] ^= 1;
        Files.write(net, bytes);
        String found = sha256(net);
        assertThatThrownBy(() -> JointDenoiser.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining(JointDenoiser.NETWORK_FILE).hasMessageContaining("SHA-256")
                .hasMessageContaining(saved).hasMessageContaining(found);
    }

    @Test
    void load_missingKey_namesKey(@TempDir Path dir) throws IOException {
        tiny().save(dir);
        Path m = dir.resolve(WeightsDirectory.MANIFEST);
        Files.writeString(m, Files.readString(m).replace("\"bottleneck\"", "\"bottle\""), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JointDenoiser.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("bottleneck").hasMessageContaining(WeightsDirectory.MANIFEST);
    }

    @Test
    void demo_heldOutNoisySamples_lowersErrorByAQuarter() {
        JointDenoiser d = JointDenoiser.demo();
        assertThat(JointDenoiser.demo()).isSameAs(d);
        assertThat(d.config().presetName()).isEqualTo("demo");
        assertThat(d.training().steps()).isPositive();
        // samples the trainer never saw (another seed), with the release's noise
        TrainingSet set = TrainingSet.builder().seed(99).noise(NoiseModel.release()).randomOrientation(true).build();
        int n = 200;
        float[] noisy = new float[n * 123];
        float[] clean = new float[n * 123];
        set.fill(0, n, noisy, null, null, null, null, clean, null);
        List<float[]> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(Arrays.copyOfRange(noisy, 123 * i, 123 * i + 123));
        }
        float[] out = new float[n * 123];
        List<float[]> cleaned = d.denoise(batch);
        for (int i = 0; i < n; i++) {
            System.arraycopy(cleaned.get(i), 0, out, 123 * i, 123);
        }
        double before = DenoiserTrainer.meanError(noisy, clean);
        double after = DenoiserTrainer.meanError(out, clean);
        assertThat(after).isLessThan(0.8 * before);
    }

    @Test
    void demoLifter_heldOutImagePoints_recoversDepthFarBetterThanAFlatBody() {
        JointDenoiser lifter = JointDenoiser.demoLifter();
        assertThat(JointDenoiser.demoLifter()).isSameAs(lifter);
        assertThat(lifter.config().lifting()).isTrue();
        assertThatThrownBy(() -> lifter.denoise(new float[123])).isInstanceOf(IllegalStateException.class);
        // clean held-out bodies seen by a pinhole camera (f = 500 px, principal point (128, 128)) at 4.5 m
        TrainingSet set = TrainingSet.builder().seed(99).noise(NoiseModel.builder().scale(0).build())
                .randomOrientation(true).build();
        int n = 200;
        float f = 500;
        float depth = 4.5f;
        float[] clean = new float[n * 123];
        float[] lifted = new float[n * 123];
        float[] flat = new float[n * 123];
        set.fill(0, n, null, null, null, null, null, clean, null);
        for (int i = 0; i < n; i++) {
            float[] pixels = new float[82];
            for (int p = 0; p < 41; p++) {
                int k = 123 * i + 3 * p;
                float z = depth + clean[k + 2];
                pixels[2 * p] = 128 + f * clean[k] / z;
                pixels[2 * p + 1] = 128 + f * clean[k + 1] / z;
            }
            float[] plane = JointDenoiser.imagePlane(pixels, 128, 128, f, depth);
            System.arraycopy(lifter.lift(plane), 0, lifted, 123 * i, 123);
            for (int p = 0; p < 41; p++) {
                flat[123 * i + 3 * p] = plane[2 * p];
                flat[123 * i + 3 * p + 1] = plane[2 * p + 1];
            }
        }
        double flatError = DenoiserTrainer.meanError(flat, clean);
        double liftedError = DenoiserTrainer.meanError(lifted, clean);
        assertThat(liftedError).isLessThan(0.6 * flatError).isLessThan(100);
    }

    @Test
    void load_missingManifest_namesFile(@TempDir Path dir) throws IOException {
        tiny().save(dir);
        Files.delete(dir.resolve(WeightsDirectory.MANIFEST));
        assertThatThrownBy(() -> JointDenoiser.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining(WeightsDirectory.MANIFEST);
    }

    @Test
    void load_otherKind_namesKeyAndBothKinds(@TempDir Path dir) throws IOException {
        tiny().save(dir);
        Path m = dir.resolve(WeightsDirectory.MANIFEST);
        Files.writeString(m, Files.readString(m).replace("\"kind\": \"dae\"", "\"kind\": \"regressor\""),
                StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JointDenoiser.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining(WeightsDirectory.MANIFEST).hasMessageContaining("kind")
                .hasMessageContaining("dae").hasMessageContaining("regressor");
    }

    @Test
    void load_notJson_namesFileAndOffset(@TempDir Path dir) throws IOException {
        tiny().save(dir);
        Files.writeString(dir.resolve(WeightsDirectory.MANIFEST), "{\"formatVersion\": 1,");
        assertThatThrownBy(() -> JointDenoiser.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining(WeightsDirectory.MANIFEST).hasMessageContaining("offset");
    }

    private static String sha256(Path file) throws IOException {
        return WeightsDirectory.sha256(Files.readAllBytes(file));
    }
}
