package dev.smplr.smpl.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestTest {
    private static final Manifest ROOT = Manifest.root("w/manifest.json",
            Map.of("training", Map.of("seed", 3L), "preset", "demo"));

    @Test
    void objectOrEmpty_present_isTheObject_absent_isEmptyWithTheDottedKey() throws IOException {
        assertThat(ROOT.objectOrEmpty("training").integer("seed")).isEqualTo(3);
        Manifest metrics = ROOT.objectOrEmpty("metrics");
        assertThat(metrics.has("valMpjpeMm")).isFalse();
        assertThatThrownBy(() -> metrics.number("valMpjpeMm")).isInstanceOf(IOException.class)
                .hasMessage("w/manifest.json: key metrics.valMpjpeMm expected a number, found none");
    }

    @Test
    void objectOrEmpty_notAnObject_namesTheKey() {
        assertThatThrownBy(() -> ROOT.objectOrEmpty("preset")).isInstanceOf(IOException.class)
                .hasMessage("w/manifest.json: key preset expected an object, found \"demo\"");
    }
}
