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
import org.deeplearning4j.nn.api.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class JointDenoiserTest {

    private static final DenoiserConfig TINY =
            DenoiserConfig.builder().width1(32).width2(24).bottleneck(16).seed(-5L << 40).build();

    private static JointDenoiser tiny() {
        return new JointDenoiser(TINY, DenoiserNetwork.build(TINY), 123456789012345L, "unit test, untrained",
                Map.of("valL1", 0.0125));
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
        JointDenoiser d = tiny();
        Layer out = d.graphForTest().getLayer(DenoiserNetwork.OUT);
        out.setParam("W", Nd4j.zeros(DataType.FLOAT, 32, 123));
        out.setParam("b", Nd4j.zeros(DataType.FLOAT, 1, 123));
        float[] p = points(1);
        float[] copy = p.clone();
        PointDenoiser stage = d;
        float[] y = stage.denoise(p);
        assertThat(y).isNotSameAs(p).containsExactly(copy);
        assertThat(p).containsExactly(copy);
    }

    @Test
    void denoise_batch_matchesSingleCalls() {
        JointDenoiser d = tiny();
        List<float[]> batch = List.of(points(1), points(2), points(3));
        List<float[]> out = d.denoise(batch);
        assertThat(out).hasSize(3);
        for (int i = 0; i < 3; i++) {
            float[] single = d.denoise(batch.get(i));
            assertThat(out.get(i)).hasSize(123);
            for (int j = 0; j < 123; j++) {
                assertThat(out.get(i)[j]).isCloseTo(single[j], org.assertj.core.data.Offset.offset(1e-5f));
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
    void denoise_lifting_takes82Values() {
        DenoiserConfig c = TINY.toBuilder().lifting(true).build();
        JointDenoiser d = new JointDenoiser(c, DenoiserNetwork.build(c), 0, "", Map.of());
        assertThat(d.denoise(new float[82])).hasSize(123);
        assertThatThrownBy(() -> d.denoise(new float[123])).hasMessageContaining("82");
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
                    .containsExactlyInAnyOrder(JointDenoiser.NETWORK_FILE, JointDenoiser.MANIFEST_FILE);
        }
        JointDenoiser back = JointDenoiser.load(dir);
        assertThat(back.config()).isEqualTo(TINY);
        assertThat(back.seed()).isEqualTo(123456789012345L);
        assertThat(back.training()).isEqualTo("unit test, untrained");
        assertThat(back.metrics()).isEqualTo(Map.of("valL1", 0.0125));
        float[] p = points(9);
        assertThat(back.denoise(p)).containsExactly(d.denoise(p));

        String manifest = Files.readString(dir.resolve(JointDenoiser.MANIFEST_FILE));
        assertThat(manifest).contains("\"formatVersion\": 1", "\"preset\": \"custom\"", "\"java\"", "\"arch\"",
                "\"sha256\": \"" + JointDenoiser.sha256(dir.resolve(JointDenoiser.NETWORK_FILE)) + "\"");
    }

    @Test
    void load_otherFormatVersion_namesFileAndBothValues(@TempDir Path dir) throws IOException {
        tiny().save(dir);
        Path m = dir.resolve(JointDenoiser.MANIFEST_FILE);
        Files.writeString(m, Files.readString(m).replace("\"formatVersion\": 1", "\"formatVersion\": 7"),
                StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JointDenoiser.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining(JointDenoiser.MANIFEST_FILE).hasMessageContaining("formatVersion")
                .hasMessageContaining("expected 1").hasMessageContaining("found 7");
    }

    @Test
    void load_changedNetwork_failsChecksumNamingBothValues(@TempDir Path dir) throws IOException {
        tiny().save(dir);
        Path net = dir.resolve(JointDenoiser.NETWORK_FILE);
        String saved = JointDenoiser.sha256(net);
        byte[] bytes = Files.readAllBytes(net);
        bytes[bytes.length / 2] ^= 1;
        Files.write(net, bytes);
        String found = JointDenoiser.sha256(net);
        assertThatThrownBy(() -> JointDenoiser.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining(JointDenoiser.NETWORK_FILE).hasMessageContaining("SHA-256")
                .hasMessageContaining(saved).hasMessageContaining(found);
    }

    @Test
    void load_missingKey_namesKey(@TempDir Path dir) throws IOException {
        tiny().save(dir);
        Path m = dir.resolve(JointDenoiser.MANIFEST_FILE);
        Files.writeString(m, Files.readString(m).replace("\"bottleneck\"", "\"bottle\""), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JointDenoiser.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("bottleneck").hasMessageContaining(JointDenoiser.MANIFEST_FILE);
    }

    @Test
    void load_notJson_namesFileAndOffset(@TempDir Path dir) throws IOException {
        tiny().save(dir);
        Files.writeString(dir.resolve(JointDenoiser.MANIFEST_FILE), "{\"formatVersion\": 1,");
        assertThatThrownBy(() -> JointDenoiser.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining(JointDenoiser.MANIFEST_FILE).hasMessageContaining("offset");
    }
}
