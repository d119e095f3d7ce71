package dev.smplr.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.smplr.io.NdArray.DType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    // ---- helpers: .npy bytes built by hand, independent of NpyHeader.format ----

    /** A version 1.0 .npy: magic, length, the dict padded with spaces and '\n' to a multiple of 64, data. */
    static byte[] npy(String dict, byte[] data) {
        return npy(1, dict, data);
    }

    static byte[] npy(int major, String dict, byte[] data) {
        int prefix = major == 1 ? 10 : 12;
        int total = (prefix + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(total - prefix - dict.length() - 1) + "\n";
        byte[] h = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(prefix + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) h.length);
        } else {
            b.putInt(h.length);
        }
        return b.put(h).put(data).array();
    }

    static byte[] doubles(ByteOrder order, double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(order);
        for (double d : v) {
            b.putDouble(d);
        }
        return b.array();
    }

    static byte[] ints(ByteOrder order, int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
        for (int d : v) {
            b.putInt(d);
        }
        return b.array();
    }

    static NdArray read(byte[] bytes) throws IOException {
        return Npy.read(new ByteArrayInputStream(bytes), "test.npy");
    }

    static byte[] write(NdArray a, boolean fortran) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(a, out, fortran);
        return out.toByteArray();
    }

    /** What np.save(np.array([[1, 2, 3], [4, 5, 6]], dtype='<f8')) writes with numpy 1.23+ (176 bytes). */
    static byte[] numpyF8x2x3() {
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }" + " ".repeat(58) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0x76, 0});
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(doubles(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6));
        return out.toByteArray();
    }

    /** Random values of a dtype over its whole range, C order. */
    static NdArray random(DType t, int[] shape, Random r) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        Object data = switch (t) {
            case FLOAT64 -> r.doubles(n).map(x -> (x - 0.5) * 1e6).toArray();
            case FLOAT32 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = Float.intBitsToFloat(r.nextInt(0x7F000000)) * (r.nextBoolean() ? 1 : -1);
                }
                yield f;
            }
            case INT32 -> r.ints(n).toArray();
            case INT64, UINT64 -> r.longs(n).toArray();
            case UINT32 -> r.longs(n, 0, 1L << 32).toArray();
            case INT8, UINT8 -> {
                byte[] b = new byte[n];
                r.nextBytes(b);
                yield b;
            }
            case BOOL -> {
                byte[] b = new byte[n];
                for (int i = 0; i < n; i++) {
                    b[i] = (byte) r.nextInt(2);
                }
                yield b;
            }
            case UNICODE -> {
                String[] s = new String[n];
                for (int i = 0; i < n; i++) {
                    StringBuilder sb = new StringBuilder();
                    int len = r.nextInt(4);
                    for (int k = 0; k < len; k++) {
                        sb.appendCodePoint(r.nextBoolean() ? 'a' + r.nextInt(26) : 0x1F600 + r.nextInt(16));
                    }
                    s[i] = sb.toString();
                }
                yield s;
            }
            case BYTES -> {
                String[] s = new String[n];
                for (int i = 0; i < n; i++) {
                    StringBuilder sb = new StringBuilder();
                    int len = r.nextInt(5);
                    for (int k = 0; k < len; k++) {
                        sb.append((char) (1 + r.nextInt(255))); // any latin-1 byte but NUL, which numpy strips
                    }
                    s[i] = sb.toString();
                }
                yield s;
            }
        };
        return NdArray.of(t, shape, data);
    }

    // ---- golden bytes ----

    @Test
    void read_numpyGoldenBytes_givesValues() throws IOException {
        NdArray a = read(numpyF8x2x3());

        assertThat(a.dtype()).isEqualTo(DType.FLOAT64);
        assertThat(a.shape()).containsExactly(2, 3);
        assertThat((double[]) a.data()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void write_smallFloat64_isByteIdenticalToNumpy() throws IOException {
        NdArray a = NdArray.of(new int[] {2, 3}, new double[] {1, 2, 3, 4, 5, 6});

        assertThat(write(a, false)).isEqualTo(numpyF8x2x3());
    }

    @Test
    void write_unicodeScalar_isByteIdenticalToNumpy() throws IOException {
        // np.save(f, np.array('lbs')): 128-byte header, then 'l', 'b', 's' as little-endian UTF-32.
        String header = "{'descr': '<U3', 'fortran_order': False, 'shape': (), }" + " ".repeat(62) + "\n";
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0x76, 0});
        expected.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        expected.writeBytes(new byte[] {0x6c, 0, 0, 0, 0x62, 0, 0, 0, 0x73, 0, 0, 0});

        assertThat(write(NdArray.ofString("lbs"), false)).isEqualTo(expected.toByteArray());
        assertThat(read(expected.toByteArray()).stringValue()).isEqualTo("lbs");
    }

    @Test
    void write_anyShape_alignsDataTo64Bytes() throws IOException {
        for (int[] shape : new int[][] {{}, {7}, {6890, 3, 207}, {12, 0, 123456789, 7, 7, 7, 7, 7, 7, 7, 7, 7}}) {
            byte[] b = write(NdArray.of(DType.UINT8, shape, new byte[Arrays.stream(shape).reduce(1, (x, y) -> x * y)]),
                    false);
            int hlen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
            assertThat((10 + hlen) % 64).as("shape %s", Arrays.toString(shape)).isZero();
            assertThat(b[10 + hlen - 1]).isEqualTo((byte) '\n');
        }
    }

    // ---- round trips ----

    @Test
    void write_everyDtypeAndNdim_roundTrips() throws IOException {
        Random r = new Random(42);
        int[] dims = {2, 3, 4, 5};
        for (DType t : DType.values()) {
            for (int nd = 0; nd <= 4; nd++) {
                int[] shape = Arrays.copyOf(dims, nd);
                NdArray a = random(t, shape, r);
                for (boolean fortran : new boolean[] {false, true}) {
                    NdArray back = read(write(a, fortran));
                    assertThat(back).as("%s ndim %d fortran %s", t, nd, fortran).isEqualTo(a);
                }
            }
        }
    }

    @Test
    void write_emptyAndZeroSizedShapes_roundTrip() throws IOException {
        for (int[] shape : new int[][] {{0}, {3, 0}, {0, 5, 2}}) {
            NdArray a = NdArray.of(shape, new float[0]);
            assertThat(read(write(a, false))).isEqualTo(a);
            assertThat(read(write(a, true))).isEqualTo(a);
        }
    }

    @Test
    void write_path_replacesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("a.npy");
        Files.write(file, new byte[] {1, 2, 3});
        NdArray a = NdArray.of(new int[] {2, 2}, new long[] {1, -2, 3, Long.MIN_VALUE});

        Npy.write(a, file);

        assertThat(Npy.read(file)).isEqualTo(a);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void write_uint32OutOfRange_throws() {
        NdArray a = NdArray.of(DType.UINT32, new int[] {2}, new long[] {1, 1L << 32});

        assertThatThrownBy(() -> write(a, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("element 1").hasMessageContaining("4294967296");
    }

    // ---- layouts, byte orders, header spellings ----

    @Test
    void read_fortranOrder2x3_landsInCOrder() throws IOException {
        // [[1, 2, 3], [4, 5, 6]] in Fortran order is stored column by column: 1, 4, 2, 5, 3, 6.
        byte[] f = npy("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }",
                ints(ByteOrder.LITTLE_ENDIAN, 1, 4, 2, 5, 3, 6));

        NdArray a = read(f);

        assertThat(a.shape()).containsExactly(2, 3);
        assertThat((int[]) a.data()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void read_fortranOrder3d_matchesIndexFormula() throws IOException {
        int d0 = 2;
        int d1 = 3;
        int d2 = 4;
        double[] fortran = new double[d0 * d1 * d2];
        double[] expected = new double[fortran.length];
        for (int i = 0; i < d0; i++) {
            for (int j = 0; j < d1; j++) {
                for (int k = 0; k < d2; k++) {
                    double v = 100 * i + 10 * j + k;
                    fortran[i + d0 * (j + d1 * k)] = v;
                    expected[(i * d1 + j) * d2 + k] = v;
                }
            }
        }
        byte[] f = npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3, 4), }",
                doubles(ByteOrder.LITTLE_ENDIAN, fortran));

        assertThat((double[]) read(f).data()).containsExactly(expected);
    }

    @Test
    void write_fortranOption_storesColumnMajorBytes() throws IOException {
        byte[] b = write(NdArray.of(new int[] {2, 3}, new int[] {1, 2, 3, 4, 5, 6}), true);

        assertThat(Arrays.copyOfRange(b, b.length - 24, b.length))
                .isEqualTo(ints(ByteOrder.LITTLE_ENDIAN, 1, 4, 2, 5, 3, 6));
        assertThat(new String(b, 10, 60, StandardCharsets.ISO_8859_1)).contains("'fortran_order': True");
    }

    @Test
    void read_bigEndian_givesNativeValues() throws IOException {
        NdArray f8 = read(npy("{'descr': '>f8', 'fortran_order': False, 'shape': (3,), }",
                doubles(ByteOrder.BIG_ENDIAN, 1.5, -2.25, 1e300)));
        NdArray i4 = read(npy("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }",
                ints(ByteOrder.BIG_ENDIAN, -7, 123456789)));
        NdArray u4 = read(npy("{'descr': '>u4', 'fortran_order': False, 'shape': (1,), }",
                ints(ByteOrder.BIG_ENDIAN, -1)));
        NdArray u = read(npy("{'descr': '>U2', 'fortran_order': False, 'shape': (1,), }",
                ints(ByteOrder.BIG_ENDIAN, 'o', 'k')));
        ByteBuffer f4 = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putFloat(0.1f).putFloat(-3f);
        ByteBuffer i8 = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(-1234567890123L);

        assertThat((double[]) f8.data()).containsExactly(1.5, -2.25, 1e300);
        assertThat((int[]) i4.data()).containsExactly(-7, 123456789);
        assertThat((long[]) u4.data()).containsExactly(4294967295L);
        assertThat(u.stringValue()).isEqualTo("ok");
        assertThat((float[]) read(npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", f4.array()))
                .data()).containsExactly(0.1f, -3f);
        assertThat((long[]) read(npy("{'descr': '>i8', 'fortran_order': False, 'shape': (), }", i8.array()))
                .data()).containsExactly(-1234567890123L);
    }

    @Test
    void read_unicodeWithTrailingNuls_stripsThem() throws IOException {
        // np.array(['lbs', 'a', 'lrotmin']) is '<U7'; shorter strings are padded with NUL code points.
        byte[] data = ints(ByteOrder.LITTLE_ENDIAN,
                'l', 'b', 's', 0, 0, 0, 0,
                'a', 0, 'b', 0, 0, 0, 0,
                'l', 'r', 'o', 't', 'm', 'i', 'n');

        NdArray a = read(npy("{'descr': '<U7', 'fortran_order': False, 'shape': (3,), }", data));

        assertThat((String[]) a.data()).containsExactly("lbs", "a\0b", "lrotmin");
    }

    @Test
    void read_boolAndBytes_keepValues() throws IOException {
        NdArray b = read(npy("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", new byte[] {1, 0, 1}));
        NdArray u1 = read(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }",
                new byte[] {(byte) 255, 7}));

        assertThat(b.dtype()).isEqualTo(DType.BOOL);
        assertThat((byte[]) b.data()).containsExactly(1, 0, 1);
        assertThat(u1.getDouble(0)).isEqualTo(255);
    }

    @Test
    void read_headerSpellings_allAccepted() throws IOException {
        byte[] data = doubles(ByteOrder.LITTLE_ENDIAN, 1, 2);
        String[] dicts = {
            "{'shape': (2,), 'fortran_order': False, 'descr': '<f8'}",
            "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2,)}",
            "{ 'descr' : '<f8' , 'fortran_order' : False , 'shape' : ( 2 , ) , }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2L,), }",
            "{'descr': '<f8', 'fortran_order': True, 'shape': (2,), }",
        };
        for (String d : dicts) {
            assertThat((double[]) read(npy(d, data)).data()).as(d).containsExactly(1, 2);
        }
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }";
        assertThat((double[]) read(npy(2, dict, data)).data()).containsExactly(1, 2);
        assertThat((double[]) read(npy(3, dict, data)).data()).containsExactly(1, 2);
    }

    @Test
    void read_path_readsLargeArrayInBulk() throws IOException {
        // posedirs-sized: (6890, 3, 207) float64, 34 MB.
        int[] shape = {6890, 3, 207};
        double[] v = new double[6890 * 3 * 207];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.5;
        }
        Path file = dir.resolve("posedirs.npy");
        Npy.write(NdArray.of(shape, v), file);

        NdArray a = Npy.read(file);

        assertThat(a.shape()).containsExactly(shape);
        assertThat(((double[]) a.data())[v.length - 1]).isEqualTo((v.length - 1) * 0.5);
        assertThat(Files.size(file)).isEqualTo(128 + 8L * v.length);
    }

    @Test
    void read_streamWithFollowingBytes_stopsAfterData() throws IOException {
        byte[] one = numpyF8x2x3();
        byte[] two = new byte[2 * one.length];
        System.arraycopy(one, 0, two, 0, one.length);
        System.arraycopy(one, 0, two, one.length, one.length);
        InputStream in = new ByteArrayInputStream(two);

        assertThat(Npy.read(in, "s")).isEqualTo(Npy.read(in, "s"));
        assertThat(in.read()).isEqualTo(-1);
    }

    // ---- object arrays ----

    @Test
    void read_objectArrayWithoutReader_throwsNamingPickle() {
        byte[] f = npy("{'descr': '|O', 'fortran_order': False, 'shape': (), }", new byte[] {(byte) 0x80, 2, 'N', '.'});

        assertThatThrownBy(() -> read(f)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("test.npy").hasMessageContaining("object array")
                .hasMessageContaining("ObjectArrayReader");
    }

    @Test
    void readAny_objectArrayWithReader_passesPickleBytes() throws IOException {
        byte[] pickle = {(byte) 0x80, 2, 'N', '.'};
        byte[] f = npy("{'descr': '|O', 'fortran_order': False, 'shape': (), }", pickle);
        Path file = dir.resolve("obj.npy");
        Files.write(file, f);

        Object fromStream = Npy.readAny(new ByteArrayInputStream(f), "s", (bytes, source) -> bytes);
        Object fromFile = Npy.readAny(file, (bytes, source) -> source + ":" + bytes.length);

        assertThat((byte[]) fromStream).isEqualTo(pickle);
        assertThat(fromFile).isEqualTo(file + ":4");
        assertThat(Npy.readAny(new ByteArrayInputStream(numpyF8x2x3()), "s", (b, s) -> "unused"))
                .isInstanceOf(NdArray.class);
    }

    // ---- bad input ----

    @Test
    void read_truncatedData_namesExpectedAndFound() {
        byte[] f = numpyF8x2x3();
        byte[] cut = Arrays.copyOf(f, f.length - 5);

        assertThatThrownBy(() -> read(cut)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("test.npy").hasMessageContaining("offset 128")
                .hasMessageContaining("expected 48 bytes, found 43");
    }

    @Test
    void read_truncatedFile_checksSizeBeforeReading() throws IOException {
        Path file = dir.resolve("cut.npy");
        byte[] f = numpyF8x2x3();
        Files.write(file, Arrays.copyOf(f, f.length - 8));

        assertThatThrownBy(() -> Npy.read(file)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("expected 48 bytes, found 40");
    }

    @Test
    void read_headerLengthBeyondFile_throws() throws IOException {
        byte[] f = numpyF8x2x3();
        f[8] = (byte) 0xFF;
        f[9] = (byte) 0xFF;
        Path file = dir.resolve("long.npy");
        Files.write(file, f);

        assertThatThrownBy(() -> Npy.read(file)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("offset 8").hasMessageContaining("header length 65535")
                .hasMessageContaining("found 176");
        assertThatThrownBy(() -> read(f)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("truncated header");
    }

    @Test
    void read_trillionElementClaim_failsFastWithoutAllocating() {
        byte[] f = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }", new byte[16]);

        assertThatThrownBy(() -> read(f)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("(1000000, 1000000)").hasMessageContaining("1,000,000,000,000 elements");
    }

    @Test
    void read_overflowingShape_failsWithoutArithmeticException() {
        byte[] f = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647, 2147483647), }",
                new byte[0]);

        assertThatThrownBy(() -> read(f)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("more than 2^63");
    }

    @Test
    void read_largeClaimOnShortStream_failsAsTruncated() {
        // 800 MB claimed, within the cap, but the stream holds 16 bytes: the buffer grows only as bytes arrive.
        byte[] f = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (100000000,), }", new byte[16]);

        assertThatThrownBy(() -> read(f)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("expected 800,000,000 bytes, found 16");
    }

    @Test
    void read_badMagic_throws() {
        byte[] f = numpyF8x2x3();
        f[1] = 'X';

        assertThatThrownBy(() -> read(f)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("offset 0").hasMessageContaining("magic").hasMessageContaining("\\x93XUMPY");
    }

    @Test
    void read_unsupportedVersion_throws() {
        byte[] f = numpyF8x2x3();
        f[6] = 4;

        assertThatThrownBy(() -> read(f)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("version 4.0").hasMessageContaining("expected 1.0, 2.0 or 3.0");
    }

    @Test
    void read_unknownDtype_namesIt() {
        byte[] f = npy("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", new byte[16]);

        assertThatThrownBy(() -> read(f)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("unsupported dtype '<c16'");
    }

    @Test
    void read_negativeDimension_throws() {
        byte[] f = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, -3), }", new byte[0]);

        assertThatThrownBy(() -> read(f)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("negative dimension -3 at axis 1");
    }

    @Test
    void read_malformedHeaders_eachNamesProblem() {
        String[][] cases = {
            {"{'descr': '<f8', 'fortran_order': False, 'shape': (5), }", "is not a tuple"},
            {"{'descr': '<f8', 'fortran_order': False, 'shape': [5], }", "expected '('"},
            {"{'descr': '<f8', 'fortran_order': False}", "lacks 'shape'"},
            {"{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': ()}", "duplicate key 'descr'"},
            {"{'descr': '<f8', 'fortran_order': false, 'shape': ()}", "expected True or False"},
            {"{'descr': '<f8', 'fortran_order': False, 'shape': (), 'x': 1}", "unexpected key 'x'"},
            {"{'descr': '<f8' 'fortran_order': False, 'shape': ()}", "expected ',' or '}'"},
            {"{'descr': '<f8', 'fortran_order': False, 'shape': ()} junk", "only padding"},
            {"{'descr': '<f8, 'fortran_order': False, 'shape': ()}", "after the value of 'descr'"},
            {"{'descr': [('x', '<f8')], 'fortran_order': False, 'shape': ()}", "structured dtypes"},
            {"{'descr': '<U0', 'fortran_order': False, 'shape': (9999999,)}", "expected 1 to"},
            {"{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}", "too large"},
            {"__import__('os').system('true')", "expected '{'"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> read(npy(c[0], new byte[8]))).as(c[0])
                    .isInstanceOf(FileFormatException.class)
                    .hasMessageContaining("test.npy").hasMessageContaining("bad .npy header")
                    .hasMessageContaining(c[1]);
        }
    }

    @Test
    void read_invalidCodePoint_throws() {
        byte[] f = npy("{'descr': '<U1', 'fortran_order': False, 'shape': (1,), }",
                ints(ByteOrder.LITTLE_ENDIAN, 0x110000));

        assertThatThrownBy(() -> read(f)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("0x00110000");
    }

    /** Seeded mutations and truncations of valid files: only IOExceptions may escape, never anything else. */
    @Test
    void read_fuzzedBytes_onlyThrowsIOException() throws IOException {
        Random r = new Random(Long.getLong("fuzz.seed", 20240601));
        byte[][] seeds = {
            numpyF8x2x3(),
            write(random(DType.UNICODE, new int[] {3, 2}, r), false),
            write(random(DType.INT32, new int[] {2, 3, 4}, r), true),
            npy(2, "{'descr': '>u4', 'fortran_order': False, 'shape': (4,), }", new byte[16]),
            npy("{'descr': '|O', 'fortran_order': False, 'shape': (), }", new byte[] {(byte) 0x80, 2, 'N', '.'}),
        };
        int parsed = 0;
        for (int iter = 0; iter < Integer.getInteger("fuzz.n", 2000); iter++) {
            byte[] f = mutate(seeds[iter % seeds.length], r);
            try {
                Object v = Npy.readAny(new ByteArrayInputStream(f), "fuzz.npy", (b, s) -> b.length);
                parsed += v instanceof NdArray ? 1 : 0;
            } catch (IOException expected) {
                assertThat(expected.getMessage()).as("iteration %d: %s", iter, expected).contains("fuzz.npy");
            } catch (Throwable t) {
                fail("iteration " + iter + ": " + t + " for input " + Arrays.toString(f), t);
            }
        }
        assertThat(parsed).as("some mutations keep the file valid").isPositive();
    }

    /** Flips, overwrites, inserts or cuts bytes; header bytes (the first 128) are hit most. */
    static byte[] mutate(byte[] seed, Random r) {
        byte[] f = seed.clone();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int limit = r.nextInt(4) == 0 ? f.length : Math.min(f.length, 128);
            if (limit == 0) {
                break;
            }
            int at = r.nextInt(limit);
            switch (r.nextInt(6)) {
                case 0 -> f[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> f[at] = (byte) r.nextInt(256);
                case 2 -> f[at] = (byte) "0123456789(),'L{}: -TrueFals<>|=fiubUO".charAt(r.nextInt(38));
                case 3 -> f = Arrays.copyOf(f, at);
                case 4 -> {
                    byte[] g = new byte[f.length + 1];
                    System.arraycopy(f, 0, g, 0, at);
                    g[at] = (byte) r.nextInt(256);
                    System.arraycopy(f, at, g, at + 1, f.length - at);
                    f = g;
                }
                default -> f[at] = (byte) (r.nextBoolean() ? 0xFF : '9');
            }
        }
        return f;
    }

    @Test
    void read_byteStrings_asNumpyWritesThem() throws IOException {
        // np.save(f, np.array([b'female', b'm'])): descr '|S6', elements NUL-padded to 6 bytes
        byte[] header = NpyHeader.format("|S6", false, new int[] {2});
        byte[] data = {'f', 'e', 'm', 'a', 'l', 'e', 'm', 0, 0, 0, 0, 0};
        byte[] file = new byte[header.length + data.length];
        System.arraycopy(header, 0, file, 0, header.length);
        System.arraycopy(data, 0, file, header.length, data.length);
        NdArray a = Npy.read(new java.io.ByteArrayInputStream(file), "gender.npy");
        assertThat(a.dtype()).isEqualTo(NdArray.DType.BYTES);
        assertThat((String[]) a.data()).containsExactly("female", "m");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Npy.write(a, out);
        assertThat(out.toByteArray()).containsExactly(file);
        NdArray scalar = NdArray.of(NdArray.DType.BYTES, new int[0], new String[] {"caf\u00e9"});
        out.reset();
        Npy.write(scalar, out);
        assertThat(Npy.read(new java.io.ByteArrayInputStream(out.toByteArray()), "s.npy").stringValue())
                .isEqualTo("caf\u00e9");
        NdArray wide = NdArray.of(NdArray.DType.BYTES, new int[0], new String[] {"\u0100"});
        assertThatThrownBy(() -> Npy.write(wide, new java.io.ByteArrayOutputStream()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latin-1");
    }
}
