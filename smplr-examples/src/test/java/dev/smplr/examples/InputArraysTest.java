package dev.smplr.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smplr.io.FileFormatException;
import dev.smplr.io.NdArray;
import dev.smplr.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 41-point reader: the same values from every format, and messages naming file, place and shape. */
class InputArraysTest {
    private static final List<String> KEYS = List.of("points41", "points");
    private static final String WHAT = "41 points of x, y, z";

    @TempDir
    Path dir;

    private static float[] points() {
        float[] p = new float[123];
        for (int i = 0; i < p.length; i++) {
            p[i] = (i - 60) / 97f;
        }
        return p;
    }

    private float[] read(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return InputArrays.read(f, KEYS, 41, 3, WHAT);
    }

    private static String nested(float[] p) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 41; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "[%s, %s, %s]", p[3 * i], p[3 * i + 1],
                    p[3 * i + 2]));
        }
        return sb.append(']').toString();
    }

    @Test
    void read_everyFormat_sameValues() throws Exception {
        float[] p = points();
        StringBuilder flat = new StringBuilder();
        StringBuilder csv = new StringBuilder("# 41 points\nx;y;z\n");
        for (int i = 0; i < 41; i++) {
            csv.append(p[3 * i]).append("; ").append(p[3 * i + 1]).append(" ;").append(p[3 * i + 2]).append('\n');
        }
        for (int i = 0; i < p.length; i++) {
            flat.append(i == 0 ? "" : ", ").append(p[i]);
        }
        assertThat(read("a.json", nested(p))).containsExactly(p);
        assertThat(read("b.json", "[" + flat + "]")).containsExactly(p);
        assertThat(read("c.json", "{\"name\": \"x\", \"points\": " + nested(p) + "}")).containsExactly(p);
        assertThat(read("d.csv", csv.toString())).containsExactly(p);
        assertThat(read("e.txt", flat.toString().replace(",", " "))).containsExactly(p);
        Path npy = dir.resolve("f.npy");
        Npy.write(NdArray.of(new int[] {41, 3}, p), npy);
        assertThat(InputArrays.read(npy, KEYS, 41, 3, WHAT)).containsExactly(p);
        double[] d = new double[123];
        for (int i = 0; i < d.length; i++) {
            d[i] = p[i];
        }
        Npy.write(NdArray.of(new int[] {1, 41, 3}, d), npy);
        assertThat(InputArrays.read(npy, KEYS, 41, 3, WHAT)).containsExactly(p);
    }

    @Test
    void read_jsonIntegersAndWhatFitWrites_sameValues() throws Exception {
        StringBuilder ints = new StringBuilder("[");
        float[] expected = new float[123];
        for (int i = 0; i < 123; i++) {
            ints.append(i == 0 ? "" : ", ").append(i - 60); // integers parse as Long
            expected[i] = i - 60;
        }
        assertThat(read("i.json", ints + "]")).containsExactly(expected);
        // the JSON smplr fit writes (Json.write of a float[] under "points41") reads back bit for bit
        float[] p = points();
        assertThat(read("w.json", dev.smplr.smpl.training.Json.write(java.util.Map.of("points41", p))))
                .containsExactly(p);
    }

    @Test
    void read_npyWrongShape_namesShapes() throws Exception {
        Path npy = dir.resolve("p.npy");
        Npy.write(NdArray.of(new int[] {24, 3}, new float[72]), npy);
        assertThatThrownBy(() -> InputArrays.read(npy, KEYS, 41, 3, WHAT)).isInstanceOf(FileFormatException.class)
                .hasMessage(npy + ": expected 41 points of x, y, z, shape (41, 3) or (123,), found float32 (24, 3)");
    }

    @Test
    void read_jsonRowOfTwo_namesRow() {
        float[] p = points();
        String json = nested(p).replaceFirst("\\[([^\\[\\]]*), [^\\[\\],]*\\]", "[$1]");
        assertThatThrownBy(() -> read("p.json", json)).isInstanceOf(FileFormatException.class)
                .hasMessageEndingWith("p.json: the top level: row 0: expected 3 numbers, found 2 values");
    }

    @Test
    void read_jsonWithoutKey_namesKeysFound() {
        assertThatThrownBy(() -> read("p.json", "{\"joints\": []}")).isInstanceOf(FileFormatException.class)
                .hasMessageEndingWith("expected 41 points of x, y, z under key 'points41' or 'points', found keys "
                        + "[joints]");
    }

    @Test
    void read_notJson_namesOffset() {
        assertThatThrownBy(() -> read("p.json", "[1, 2,, 3]")).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("not JSON: offset 6");
    }

    @Test
    void read_nanValue_namesPointAndAxis() {
        String csv = "0,0,0\n".repeat(17) + "0,NaN,0\n" + "0,0,0\n".repeat(23);
        assertThatThrownBy(() -> read("p.csv", csv)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("p.csv: points41[17]").hasMessageContaining("NaN");
    }

    @Test
    void read_csvTextInBody_namesLine() {
        String csv = "0,0,0\n".repeat(5) + "0,zero,0\n";
        assertThatThrownBy(() -> read("p.csv", csv)).isInstanceOf(FileFormatException.class)
                .hasMessageEndingWith("p.csv: line 6: expected 3 numbers, found '0,zero,0'");
    }

    @Test
    void read_empty_says() {
        assertThatThrownBy(() -> read("p.csv", "  \n")).isInstanceOf(FileFormatException.class)
                .hasMessageEndingWith("p.csv: empty file; expected 41 points of x, y, z");
    }
}
