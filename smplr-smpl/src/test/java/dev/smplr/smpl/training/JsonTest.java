package dev.smplr.smpl.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void write_parse_roundTrips() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("x", 0.25);
        inner.put("empty", new LinkedHashMap<>());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("int", 42);
        m.put("seed", Long.MIN_VALUE + 1);
        m.put("double", 1e-3);
        m.put("text", "a \"quoted\"\\ line\nnext\ttab \u0001");
        m.put("flag", true);
        m.put("none", null);
        m.put("list", List.of(1, 2.5, "s"));
        m.put("inner", inner);
        Object back = Json.parse(Json.write(m));
        Map<String, Object> expected = new LinkedHashMap<>(m);
        expected.put("int", 42L);
        expected.put("list", List.of(1L, 2.5, "s"));
        assertThat(back).isEqualTo(expected);
    }

    @Test
    void parse_handWritten_readsAllKinds() {
        assertThat(Json.parse(" { \"a\" : [ ] , \"b\": -1.5e2, \"c\": \"\\u00e9\" } "))
                .isEqualTo(Map.of("a", List.of(), "b", -150.0, "c", "é"));
    }

    @Test
    void parse_malformed_namesOffset() {
        assertThatThrownBy(() -> Json.parse("{\"a\": 1,}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset 8").hasMessageContaining("string key");
        assertThatThrownBy(() -> Json.parse("{\"a\" 1}")).hasMessageContaining("offset 5");
        assertThatThrownBy(() -> Json.parse("[1] x")).hasMessageContaining("end of input");
        assertThatThrownBy(() -> Json.parse("\"open")).hasMessageContaining("closing quote");
    }

    @Test
    void write_nonFinite_throws() {
        assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(Float.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("JSON has no Infinity");
        assertThatThrownBy(() -> Json.write(Map.of("p", new float[] {1, Float.NaN})))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("JSON has no NaN");
    }

    @Test
    void write_floats_shortestTextNotTheDoublesDigits() {
        assertThat(Json.write(0.1f)).isEqualTo("0.1\n");
        assertThat(Json.write(new float[] {0.1f, -2f, 1e-8f, 0f})).isEqualTo("[0.1, -2.0, 1.0E-8, 0.0]\n");
        assertThat(Json.write(new float[0])).isEqualTo("[]\n");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pose", new float[] {0.5f, 3f});
        assertThat(Json.write(m)).isEqualTo("{\n  \"pose\": [0.5, 3.0]\n}\n");
    }

    @Test
    void write_parse_floatArrayRoundTripsBitExact() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        float[] a = new float[1000];
        for (int i = 0; i < a.length; i++) {
            // every exponent from tiny to huge, both signs, and subnormals
            a[i] = Float.intBitsToFloat(rnd.nextInt());
            if (!Float.isFinite(a[i])) {
                a[i] = i;
            }
        }
        a[0] = Float.MIN_VALUE;
        a[1] = -Float.MAX_VALUE;
        List<?> back = (List<?>) Json.parse(Json.write(a));
        assertThat(back).hasSize(a.length).allSatisfy(v -> assertThat(v).isInstanceOf(Double.class));
        for (int i = 0; i < a.length; i++) {
            assertThat(Float.floatToIntBits(((Double) back.get(i)).floatValue())).as("a[%d] = %s", i, a[i])
                    .isEqualTo(Float.floatToIntBits(a[i]));
        }
    }
}
