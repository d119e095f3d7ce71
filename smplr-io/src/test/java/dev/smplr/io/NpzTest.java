package dev.smplr.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.smplr.io.NdArray.DType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {

    @TempDir
    Path dir;

    /** An entry for {@link #zip}: name, bytes, whether to deflate. */
    record Entry(String name, byte[] bytes, boolean deflate) {
    }

    /** Builds a zip with java.util.zip directly, independent of {@link Npz#write}. */
    static byte[] zip(Entry... entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Entry e : entries) {
                ZipEntry ze = new ZipEntry(e.name);
                if (!e.deflate) {
                    CRC32 crc = new CRC32();
                    crc.update(e.bytes);
                    ze.setMethod(ZipEntry.STORED);
                    ze.setSize(e.bytes.length);
                    ze.setCompressedSize(e.bytes.length);
                    ze.setCrc(crc.getValue());
                }
                z.putNextEntry(ze);
                z.write(e.bytes);
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    static byte[] vTemplateNpy() {
        return NpyTest.npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
                NpyTest.doubles(ByteOrder.LITTLE_ENDIAN, 0.1, 0.2, 0.3, 1.1, 1.2, 1.3));
    }

    static byte[] facesNpy() {
        return NpyTest.npy("{'descr': '<u4', 'fortran_order': False, 'shape': (1, 3), }",
                NpyTest.ints(ByteOrder.LITTLE_ENDIAN, 0, 1, 2));
    }

    static byte[] bsStyleNpy() {
        return NpyTest.npy("{'descr': '<U3', 'fortran_order': False, 'shape': (), }",
                NpyTest.ints(ByteOrder.LITTLE_ENDIAN, 'l', 'b', 's'));
    }

    /** Offset of the data of the local entry starting at {@code loc}. */
    static int dataOffset(byte[] zip, int loc) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(loc)).isEqualTo(0x04034b50);
        return loc + 30 + (b.getShort(loc + 26) & 0xFFFF) + (b.getShort(loc + 28) & 0xFFFF);
    }

    /** Offset of the first central directory header. */
    static int centralDirectory(byte[] zip) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        return b.getInt(zip.length - 22 + 16);
    }

    static Map<String, NdArray> sample() {
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("v_template", NdArray.of(new int[] {2, 3}, new double[] {0.1, 0.2, 0.3, 1.1, 1.2, 1.3}));
        m.put("f", NdArray.of(DType.UINT32, new int[] {1, 3}, new long[] {0, 1, 4294967295L}));
        m.put("bs_style", NdArray.ofString("lbs"));
        m.put("kintree_table", NdArray.of(new int[] {2, 2}, new long[] {-1, 0, 0, 1}));
        m.put("weights", NdArray.of(new int[] {2, 1, 2}, new float[] {0.25f, 0.75f, 1, 0}));
        return m;
    }

    // ---- round trips and layout ----

    @Test
    void write_storedAndCompressed_roundTripInOrder() throws IOException {
        for (boolean compress : new boolean[] {false, true}) {
            Path f = dir.resolve("m" + compress + ".npz");
            Npz.write(sample(), f, compress);

            Map<String, NdArray> back = Npz.read(f);

            assertThat(back).isEqualTo(sample());
            assertThat(back.keySet()).containsExactly("v_template", "f", "bs_style", "kintree_table", "weights");
            try (ZipFile z = new ZipFile(f.toFile())) {
                ZipEntry e = z.getEntry("v_template.npy");
                assertThat(e.getMethod()).isEqualTo(compress ? ZipEntry.DEFLATED : ZipEntry.STORED);
            }
        }
    }

    @Test
    void write_sameArraysTwice_givesSameBytes() throws IOException {
        Path a = dir.resolve("a.npz");
        Path b = dir.resolve("b.npz");
        Npz.write(sample(), a, true);
        Npz.write(sample(), b, true);

        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void write_existingFile_isReplacedWithoutLeftovers() throws IOException {
        Path f = file("m.npz", new byte[] {9, 9, 9});

        Npz.write(Map.of("x", NdArray.ofString("ok")), f, false);

        assertThat(Npz.read(f).get("x").stringValue()).isEqualTo("ok");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(f);
        }
    }

    @Test
    void write_emptyKeyOrNullArray_throwsNamingIt() {
        Map<String, NdArray> empty = Map.of("", NdArray.ofString("x"));
        Map<String, NdArray> nulls = new LinkedHashMap<>();
        nulls.put("shapedirs", null);

        assertThatThrownBy(() -> Npz.write(empty, dir.resolve("e.npz"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-empty keys");
        assertThatThrownBy(() -> Npz.write(nulls, dir.resolve("n.npz"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'shapedirs'");
        assertThat(dir.resolve("e.npz")).doesNotExist();
    }

    // ---- reading archives made by other writers ----

    @Test
    void read_storedAndDeflatedEntries_readsBoth() throws IOException {
        Path f = file("m.npz", zip(new Entry("v_template.npy", vTemplateNpy(), false),
                new Entry("f.npy", facesNpy(), true), new Entry("bs_style.npy", bsStyleNpy(), true)));

        Map<String, NdArray> m = Npz.read(f);

        assertThat(m.keySet()).containsExactly("v_template", "f", "bs_style");
        assertThat((double[]) m.get("v_template").data()).containsExactly(0.1, 0.2, 0.3, 1.1, 1.2, 1.3);
        assertThat(m.get("f").dtype()).isEqualTo(DType.UINT32);
        assertThat((long[]) m.get("f").data()).containsExactly(0, 1, 2);
        assertThat(m.get("bs_style").stringValue()).isEqualTo("lbs");
    }

    @Test
    void read_directoriesAndOtherFiles_areSkipped() throws IOException {
        Path f = file("m.npz", zip(new Entry("sub/", new byte[0], false), new Entry("README.txt", new byte[] {'x'}, true),
                new Entry("sub/f.npy", facesNpy(), true)));

        assertThat(Npz.read(f).keySet()).containsExactly("sub/f");
    }

    @Test
    void read_selectedKeys_leavesOtherEntriesUnread() throws IOException {
        byte[] z = zip(new Entry("bad.npy", vTemplateNpy(), true), new Entry("f.npy", facesNpy(), false));
        z[dataOffset(z, 0)] = (byte) 0xFF; // 'bad' now starts with an invalid deflate block
        Path f = file("m.npz", z);

        Map<String, NdArray> m = Npz.read(f, Set.of("f"));

        assertThat(m.keySet()).containsExactly("f");
        assertThatThrownBy(() -> Npz.read(f)).isInstanceOf(FileFormatException.class);
    }

    @Test
    void read_missingKey_listsKeysPresent() throws IOException {
        Path f = file("m.npz", zip(new Entry("f.npy", facesNpy(), false), new Entry("J.npy", vTemplateNpy(), true)));

        assertThatThrownBy(() -> Npz.read(f, Set.of("shapedirs"))).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("m.npz").hasMessageContaining("'shapedirs.npy'")
                .hasMessageContaining("[f, J]");
    }

    @Test
    void readAny_objectArrayEntry_goesThroughReader() throws IOException {
        byte[] pickle = {(byte) 0x80, 2, 'N', '.'};
        byte[] obj = NpyTest.npy("{'descr': '|O', 'fortran_order': False, 'shape': (), }", pickle);
        Path f = file("m.npz", zip(new Entry("J_regressor.npy", obj, true), new Entry("f.npy", facesNpy(), false)));

        Map<String, Object> m = Npz.readAny(f, null, (bytes, source) -> source + " " + Arrays.toString(bytes));

        assertThat(m.get("J_regressor")).isEqualTo(f + ":J_regressor.npy [-128, 2, 78, 46]");
        assertThat(m.get("f")).isInstanceOf(NdArray.class);
        assertThatThrownBy(() -> Npz.read(f)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("m.npz:J_regressor.npy").hasMessageContaining("object array");
    }

    // ---- bad input ----

    @Test
    void read_corruptDeflateData_namesEntry() throws IOException {
        byte[] z = zip(new Entry("posedirs.npy", vTemplateNpy(), true));
        z[dataOffset(z, 0)] = (byte) 0xFF; // final block of reserved type 3
        Path f = file("m.npz", z);

        assertThatThrownBy(() -> Npz.read(f)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("m.npz:posedirs.npy").hasMessageContaining("corrupt entry")
                .hasMessageContaining("invalid block type");
    }

    @Test
    void read_crcMismatch_namesEntryAndBothValues() throws IOException {
        byte[] npy = vTemplateNpy();
        byte[] z = zip(new Entry("v_template.npy", npy, false));
        z[dataOffset(z, 0) + npy.length - 1] ^= 0x01; // last byte of the last double
        CRC32 crc = new CRC32();
        crc.update(npy);
        Path f = file("m.npz", z);

        assertThatThrownBy(() -> Npz.read(f)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("m.npz:v_template.npy").hasMessageContaining("CRC-32 mismatch")
                .hasMessageContaining(String.format("expected %08x", crc.getValue()));
    }

    @Test
    void read_truncatedNpyInEntry_namesEntryAndOffset() throws IOException {
        byte[] npy = vTemplateNpy();
        Path f = file("m.npz", zip(new Entry("v_template.npy", Arrays.copyOf(npy, npy.length - 8), true)));

        assertThatThrownBy(() -> Npz.read(f)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("m.npz:v_template.npy").hasMessageContaining("offset 128")
                .hasMessageContaining("expected 48 bytes, found 40");
    }

    @Test
    void read_declaredSizeLargerThanData_throwsWithoutAllocatingIt() throws IOException {
        byte[] z = zip(new Entry("v_template.npy", vTemplateNpy(), true));
        ByteBuffer.wrap(z).order(ByteOrder.LITTLE_ENDIAN).putInt(centralDirectory(z) + 24, 0x7FFF0000);
        Path f = file("m.npz", z);

        assertThatThrownBy(() -> Npz.read(f)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("m.npz:v_template.npy").hasMessageContaining("entry ended after 176 bytes")
                .hasMessageContaining("2,147,418,112");
    }

    @Test
    void read_declaredSizeSmallerThanData_throws() throws IOException {
        byte[] z = zip(new Entry("v_template.npy", vTemplateNpy(), true));
        ByteBuffer.wrap(z).order(ByteOrder.LITTLE_ENDIAN).putInt(centralDirectory(z) + 24, 150);
        Path f = file("m.npz", z);

        assertThatThrownBy(() -> Npz.read(f)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("m.npz:v_template.npy").hasMessageContaining("expected 48 bytes, found 22");
    }

    @Test
    void read_notAZip_throwsNamingFile() throws IOException {
        Path npy = file("actually.npz", vTemplateNpy());
        byte[] z = zip(new Entry("f.npy", facesNpy(), true));
        Path cut = file("cut.npz", Arrays.copyOf(z, z.length / 2));

        assertThatThrownBy(() -> Npz.read(npy)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("actually.npz").hasMessageContaining("not a valid zip archive");
        assertThatThrownBy(() -> Npz.read(cut)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("cut.npz");
    }

    /** Seeded mutations of a valid archive: only IOExceptions may escape, never anything else. */
    @Test
    void read_fuzzedArchives_onlyThrowsIOException() throws IOException {
        Random r = new Random(Long.getLong("fuzz.seed", 7));
        byte[] pickle = NpyTest.npy("{'descr': '|O', 'fortran_order': False, 'shape': (), }", new byte[] {'N', '.'});
        List<byte[]> seeds = List.of(
                zip(new Entry("v_template.npy", vTemplateNpy(), false), new Entry("f.npy", facesNpy(), true),
                        new Entry("o.npy", pickle, true)),
                zip(new Entry("bs_style.npy", bsStyleNpy(), true), new Entry("f.npy", facesNpy(), false)));
        Path f = dir.resolve("fuzz.npz");
        int parsed = 0;
        for (int iter = 0; iter < Integer.getInteger("fuzz.n", 2000); iter++) {
            byte[] z = seeds.get(iter % seeds.size()).clone();
            int edits = 1 + r.nextInt(3);
            for (int e = 0; e < edits && z.length > 0; e++) {
                int at = r.nextInt(z.length);
                switch (r.nextInt(5)) {
                    case 0 -> z[at] ^= (byte) (1 << r.nextInt(8));
                    case 1 -> z[at] = (byte) r.nextInt(256);
                    case 2 -> z[at] = (byte) 0xFF;
                    case 3 -> z[at] = 0;
                    default -> z = Arrays.copyOf(z, at);
                }
            }
            Files.write(f, z);
            try {
                Npz.readAny(f, null, (b, s) -> b.length);
                parsed++;
            } catch (IOException expected) {
                assertThat(expected.getMessage()).as("iteration %d: %s", iter, expected).contains("fuzz.npz");
            } catch (Throwable t) {
                fail("iteration " + iter + ": " + t + " for input " + Arrays.toString(z), t);
            }
        }
        assertThat(parsed).as("some mutations keep the archive valid").isPositive();
    }
}
