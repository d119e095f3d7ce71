package dev.smplr.smpl.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smplr.core.Gender;
import dev.smplr.smpl.SmplModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsDirectoryTest {
    @TempDir
    Path tmp;

    private static Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("preset", "demo");
        f.put("metrics", Map.of("mpjpe_mm", 12.5));
        return f;
    }

    private static Map<String, WeightsDirectory.Content> files(String a, String b) {
        Map<String, WeightsDirectory.Content> m = new LinkedHashMap<>();
        m.put("a.bin", out -> out.write(a.getBytes(StandardCharsets.UTF_8)));
        m.put("b.bin", out -> out.write(b.getBytes(StandardCharsets.UTF_8)));
        return m;
    }

    @Test
    void write_read_roundTripsFilesAndFields() throws IOException {
        WeightsDirectory.write(tmp, "dae", fields(), files("alpha", "beta"));
        WeightsDirectory.Contents c = WeightsDirectory.read(tmp, "dae");
        assertThat(new String(c.files().get("a.bin"), StandardCharsets.UTF_8)).isEqualTo("alpha");
        assertThat(c.open("b.bin").readAllBytes()).isEqualTo("beta".getBytes(StandardCharsets.UTF_8));
        assertThat(c.manifest().string("preset")).isEqualTo("demo");
        assertThat(c.manifest().numbers("metrics")).containsEntry("mpjpe_mm", 12.5);
        assertThat(c.manifest().object("files").string("a.bin"))
                .isEqualTo(WeightsDirectory.sha256("alpha".getBytes(StandardCharsets.UTF_8)));
        try (var list = Files.list(tmp)) {
            assertThat(list.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.bin", "b.bin",
                    WeightsDirectory.MANIFEST);
        }
    }

    @Test
    void read_changedFile_namesFileAndChecksum() throws IOException {
        WeightsDirectory.write(tmp, "dae", fields(), files("alpha", "beta"));
        Files.writeString(tmp.resolve("b.bin"), "betA");
        assertThatThrownBy(() -> WeightsDirectory.read(tmp, "dae")).isInstanceOf(IOException.class)
                .hasMessageContaining("b.bin").hasMessageContaining("SHA-256 expected");
    }

    @Test
    void read_missingFileOrManifest_isNoSuchFile() throws IOException {
        assertThatThrownBy(() -> WeightsDirectory.read(tmp, "dae")).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(WeightsDirectory.MANIFEST);
        WeightsDirectory.write(tmp, "dae", fields(), files("alpha", "beta"));
        Files.delete(tmp.resolve("a.bin"));
        assertThatThrownBy(() -> WeightsDirectory.read(tmp, "dae")).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("a.bin");
    }

    @Test
    void read_otherKindOrVersionOrNotJson_isClear() throws IOException {
        WeightsDirectory.write(tmp, "hourglass", fields(), files("alpha", "beta"));
        assertThatThrownBy(() -> WeightsDirectory.read(tmp, "dae")).isInstanceOf(IOException.class)
                .hasMessageContaining("key kind expected \"dae\", found \"hourglass\"");
        Path m = tmp.resolve(WeightsDirectory.MANIFEST);
        Files.writeString(m, Files.readString(m).replace("\"formatVersion\": 1", "\"formatVersion\": 7"));
        assertThatThrownBy(() -> WeightsDirectory.read(tmp, "hourglass")).isInstanceOf(IOException.class)
                .hasMessageContaining("formatVersion expected 1, found 7");
        Files.writeString(m, "{ not json");
        assertThatThrownBy(() -> WeightsDirectory.read(tmp, "hourglass")).isInstanceOf(IOException.class)
                .hasMessageContaining("not JSON");
    }

    @Test
    void write_reservedOrPathNames_rejected() {
        Map<String, WeightsDirectory.Content> bad = Map.of("../x", out -> { });
        assertThatThrownBy(() -> WeightsDirectory.write(tmp, "dae", fields(), bad))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("../x");
        assertThatThrownBy(() -> WeightsDirectory.write(tmp, "dae", Map.of("kind", "x"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kind");
    }

    @Test
    void readResources_missing_saysShipped() {
        assertThatThrownBy(() -> WeightsDirectory.readResources(getClass(), "/no/such/dir", "dae"))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("classpath:/no/such/dir/manifest.json");
    }

    @Test
    void checkBody_otherBody_namesBoth() throws IOException {
        Map<String, Object> f = fields();
        f.put("body", WeightsDirectory.describe(SmplModel.demo(Gender.FEMALE)));
        WeightsDirectory.write(tmp, "regressor", f, files("alpha", "beta"));
        Manifest m = WeightsDirectory.read(tmp, "regressor").manifest();
        WeightsDirectory.checkBody(m, SmplModel.demo(Gender.FEMALE));
        assertThatThrownBy(() -> WeightsDirectory.checkBody(m, SmplModel.demo(Gender.MALE)))
                .isInstanceOf(IOException.class).hasMessageContaining("trained for the body")
                .hasMessageContaining(SmplModel.demo(Gender.MALE).fingerprint());
    }
}
