package dev.smplr.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.Cell;
import us.hebi.matlab.mat.types.Char;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Sinks;
import us.hebi.matlab.mat.types.Sink;
import us.hebi.matlab.mat.types.Struct;

class MatFileTest {

    @TempDir
    Path dir;

    /** Writes with mfl-core; deflate level 0 stores variables uncompressed, anything else compresses them. */
    private Path write(String name, int deflate, Object... nameValuePairs) throws IOException {
        us.hebi.matlab.mat.types.MatFile mat = Mat5.newMatFile();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            mat.addArray((String) nameValuePairs[i], (us.hebi.matlab.mat.types.Array) nameValuePairs[i + 1]);
        }
        Path file = dir.resolve(name);
        try (Sink sink = Sinks.newStreamingFile(file.toFile())) {
            Mat5.newWriter(sink).setDeflateLevel(deflate).writeMat(mat);
        }
        return file;
    }

    @Test
    void read_2x3_columnMajorToCOrder() throws IOException {
        Matrix m = Mat5.newMatrix(2, 3);
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                m.setDouble(r, c, 10 * r + c);
            }
        }
        for (int deflate : new int[] {0, 6}) {
            NdArray a = MatFile.read(write("a" + deflate + ".mat", deflate, "a", m)).get("a");
            assertThat(a.dtype()).isEqualTo(NdArray.DType.FLOAT64);
            assertThat(a.shape()).containsExactly(2, 3);
            assertThat((double[]) a.data()).containsExactly(0, 1, 2, 10, 11, 12);
        }
    }

    @Test
    void read_2x3x4_columnMajorToCOrder() throws IOException {
        Matrix m = Mat5.newMatrix(new int[] {2, 3, 4}, MatlabType.Single);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    m.setFloat(new int[] {i, j, k}, 100 * i + 10 * j + k);
                }
            }
        }
        NdArray a = MatFile.read(write("b.mat", 1, "joints3D", m)).get("joints3D");
        assertThat(a.dtype()).isEqualTo(NdArray.DType.FLOAT32);
        assertThat(a.shape()).containsExactly(2, 3, 4);
        float[] d = (float[]) a.data();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    assertThat(d[(i * 3 + j) * 4 + k]).as("[%d,%d,%d]", i, j, k).isEqualTo(100 * i + 10 * j + k);
                }
            }
        }
    }

    @Test
    void read_handWrittenFile_independentOfMflWriter() throws IOException {
        // a 2x3 double stored column-major by hand: MATLAB [1 2 3; 4 5 6]
        Path file = dir.resolve("raw.mat");
        Files.write(file, rawMat(rawDouble("x", new int[] {2, 3}, 1, 4, 2, 5, 3, 6),
                rawSparse("s", 3, 2, new int[] {0, 2, 1}, new int[] {0, 2, 3}, new double[] {7, 8, 9})));
        Map<String, NdArray> vars = MatFile.read(file);
        assertThat(vars.keySet()).containsExactly("x", "s");
        assertThat((double[]) vars.get("x").data()).containsExactly(1, 2, 3, 4, 5, 6);
        // sparse 3x2: column 0 has rows 0 and 2 (7, 8), column 1 has row 1 (9)
        NdArray s = vars.get("s");
        assertThat(s.shape()).containsExactly(3, 2);
        assertThat((double[]) s.data()).containsExactly(7, 0, 0, 9, 8, 0);
    }

    @Test
    void read_integerLogicalAndSingleTypes_keepTypeAndValue() throws IOException {
        Path file = write("types.mat", 1,
                "i8", scalar(MatlabType.Int8, m -> m.setLong(0, -128)),
                "u8", scalar(MatlabType.UInt8, m -> m.setLong(0, 255)),
                "i16", scalar(MatlabType.Int16, m -> m.setLong(0, -32768)),
                "u16", scalar(MatlabType.UInt16, m -> m.setLong(0, 65535)),
                "i32", scalar(MatlabType.Int32, m -> m.setLong(0, Integer.MIN_VALUE)),
                "u32", scalar(MatlabType.UInt32, m -> m.setLong(0, 4294967295L)),
                "i64", scalar(MatlabType.Int64, m -> m.setLong(0, Long.MIN_VALUE)),
                "u64", scalar(MatlabType.UInt64, m -> m.setLong(0, -1L)), // 2^64 - 1 as raw bits
                "f32", scalar(MatlabType.Single, m -> m.setFloat(0, 0.1f)),
                "flag", Mat5.newLogicalScalar(true));
        Map<String, NdArray> v = MatFile.read(file);
        assertThat(v.get("i8").dtype()).isEqualTo(NdArray.DType.INT8);
        assertThat(v.get("i8").getDouble(0)).isEqualTo(-128);
        assertThat(v.get("u8").dtype()).isEqualTo(NdArray.DType.UINT8);
        assertThat(v.get("u8").getDouble(0)).isEqualTo(255);
        assertThat(v.get("i16").dtype()).isEqualTo(NdArray.DType.INT32);
        assertThat(v.get("i16").getDouble(0)).isEqualTo(-32768);
        assertThat(v.get("u16").getDouble(0)).isEqualTo(65535);
        assertThat(v.get("i32").getDouble(0)).isEqualTo(Integer.MIN_VALUE);
        assertThat(v.get("u32").dtype()).isEqualTo(NdArray.DType.UINT32);
        assertThat(v.get("u32").toLongArray()).containsExactly(4294967295L);
        assertThat(v.get("i64").dtype()).isEqualTo(NdArray.DType.INT64);
        assertThat(v.get("i64").toLongArray()).containsExactly(Long.MIN_VALUE);
        assertThat(v.get("u64").dtype()).isEqualTo(NdArray.DType.UINT64);
        assertThat(v.get("u64").getDouble(0)).isEqualTo(18446744073709551615.0);
        assertThat(v.get("f32").toFloatArray()).containsExactly(0.1f);
        assertThat(v.get("flag").dtype()).isEqualTo(NdArray.DType.BOOL);
        assertThat(v.get("flag").shape()).containsExactly(1, 1);
        assertThat(v.get("flag").getDouble(0)).isEqualTo(1);
    }

    private static Matrix scalar(MatlabType type, java.util.function.Consumer<Matrix> set) {
        Matrix m = Mat5.newMatrix(1, 1, type);
        set.accept(m);
        return m;
    }

    @Test
    void read_surrealLikeStruct_dottedKeys() throws IOException {
        int t = 5;
        Matrix pose = Mat5.newMatrix(72, t);
        Matrix gender = Mat5.newMatrix(t, 1);
        for (int f = 0; f < t; f++) {
            gender.setDouble(f, 0, f % 2);
            for (int p = 0; p < 72; p++) {
                pose.setDouble(p, f, p + 1000 * f);
            }
        }
        Struct cams = Mat5.newStruct(1, 2);
        cams.set("id", 0, Mat5.newScalar(11));
        cams.set("id", 1, Mat5.newScalar(22));
        Cell cell = Mat5.newCell(1, 2);
        cell.set(0, Mat5.newScalar(3.5));
        cell.set(1, Mat5.newString("walk"));
        Struct info = Mat5.newStruct()
                .set("pose", pose)
                .set("gender", gender)
                .set("sequence", Mat5.newString("01_01"))
                .set("meta", Mat5.newStruct().set("fps", Mat5.newScalar(30)))
                .set("cams", cams)
                .set("clips", cell);
        Map<String, NdArray> v = MatFile.read(write("info.mat", 1, "info", info, "zrot", Mat5.newScalar(0.25)));
        assertThat(v.keySet()).containsExactly("info.pose", "info.gender", "info.sequence", "info.meta.fps",
                "info.cams(1).id", "info.cams(2).id", "info.clips{1}", "info.clips{2}", "zrot");
        NdArray p = v.get("info.pose");
        assertThat(p.shape()).containsExactly(72, t);
        assertThat(p.getDouble(10 * t + 3)).isEqualTo(10 + 3000); // pose[10, 3] = MATLAB pose(11, 4)
        assertThat(v.get("info.gender").shape()).containsExactly(t, 1);
        assertThat(v.get("info.gender").toIntArray()).containsExactly(0, 1, 0, 1, 0);
        assertThat(v.get("info.sequence").stringValue()).isEqualTo("01_01");
        assertThat(v.get("info.meta.fps").getDouble(0)).isEqualTo(30);
        assertThat(v.get("info.cams(2).id").getDouble(0)).isEqualTo(22);
        assertThat(v.get("info.clips{2}").stringValue()).isEqualTo("walk");
        assertThat(v.get("zrot").getDouble(0)).isEqualTo(0.25);
        assertThatThrownBy(() -> v.put("x", NdArray.ofString("y"))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void read_charArrays_stringsRowsAndEmpty() throws IOException {
        Char rows = Mat5.newChar(2, 3);
        String[] text = {"abc", "de "};
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                rows.setChar(r, c, text[r].charAt(c));
            }
        }
        Map<String, NdArray> v = MatFile.read(write("chars.mat", 0, "one", Mat5.newString("SMPL µ"),
                "two", rows, "none", Mat5.newChar(0, 0), "emptyMatrix", Mat5.newMatrix(0, 0)));
        assertThat(v.get("one").stringValue()).isEqualTo("SMPL µ");
        assertThat(v.get("two").dtype()).isEqualTo(NdArray.DType.UNICODE);
        assertThat(v.get("two").shape()).containsExactly(2);
        assertThat((String[]) v.get("two").data()).containsExactly("abc", "de ");
        assertThat(v.get("none").stringValue()).isEmpty();
        assertThat(v.get("emptyMatrix").shape()).containsExactly(0, 0);
    }

    @Test
    void read_complex_throwsNamingVariable() throws IOException {
        Path file = write("c.mat", 1, "ok", Mat5.newScalar(1), "z", Mat5.newComplexScalar(1, 2));
        assertThatThrownBy(() -> MatFile.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("c.mat").hasMessageContaining("'z'").hasMessageContaining("complex");
    }

    @Test
    void read_truncatedFile_throwsIOExceptionNamingFile() throws IOException {
        Matrix big = Mat5.newMatrix(20, 30);
        for (int i = 0; i < 600; i++) {
            big.setDouble(i, i * 0.5);
        }
        for (int deflate : new int[] {0, 1}) {
            Path file = write("t" + deflate + ".mat", deflate, "a", Mat5.newScalar(1), "big", big);
            byte[] all = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(all, all.length - 100));
            assertThatThrownBy(() -> MatFile.read(file)).as("deflate %d", deflate).isInstanceOf(IOException.class)
                    .hasMessageContaining(file.toString());
            Files.write(file, Arrays.copyOf(all, 60));
            assertThatThrownBy(() -> MatFile.read(file)).isInstanceOf(IOException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("128-byte");
        }
    }

    @Test
    void read_notLevel5_throwsSayingWhat() throws IOException {
        Path v73 = dir.resolve("v73.mat");
        byte[] header = new byte[512];
        byte[] text = "MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2018 HDF5 schema 1.00 ."
                .getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, header, 0, text.length);
        header[124] = 0;
        header[125] = 2;
        header[126] = 'I';
        header[127] = 'M';
        Files.write(v73, header);
        assertThatThrownBy(() -> MatFile.read(v73)).isInstanceOf(IOException.class)
                .hasMessageContaining("v73.mat").hasMessageContaining("v7.3");
        Path junk = dir.resolve("junk.mat");
        Files.write(junk, new byte[200]);
        assertThatThrownBy(() -> MatFile.read(junk)).isInstanceOf(IOException.class)
                .hasMessageContaining("junk.mat").hasMessageContaining("offset 124");
        assertThatThrownBy(() -> MatFile.read(dir.resolve("missing.mat"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> MatFile.read(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file");
    }

    @Test
    void columnMajorIndex_matchesLinearIndexFormula() throws IOException {
        int[] dims = {3, 1, 4, 2};
        int[] order = MatFile.columnMajorIndex(dir, "x", dims, 24);
        int c = 0;
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 1; b++) {
                for (int d = 0; d < 4; d++) {
                    for (int e = 0; e < 2; e++) {
                        assertThat(order[c++]).isEqualTo(a + 3 * (b + 1 * (d + 4 * e)));
                    }
                }
            }
        }
        assertThatThrownBy(() -> MatFile.columnMajorIndex(dir, "x", dims, 23)).isInstanceOf(IOException.class)
                .hasMessageContaining("'x'").hasMessageContaining("24").hasMessageContaining("23");
    }

    // ---- a tiny MAT level 5 writer, for files that do not depend on mfl-core's writer ----

    private static byte[] rawMat(byte[]... elements) {
        ByteBuffer h = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        byte[] text = "MATLAB 5.0 MAT-file, written by MatFileTest".getBytes(StandardCharsets.US_ASCII);
        h.put(text);
        while (h.position() < 116) {
            h.put((byte) ' ');
        }
        h.putLong(0).putShort((short) 0x0100).put((byte) 'I').put((byte) 'M');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.array());
        for (byte[] e : elements) {
            out.writeBytes(e);
        }
        return out.toByteArray();
    }

    /** A data element: type, byte count, data, padded to 8 bytes. */
    private static byte[] element(int type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + (data.length + 7) / 8 * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(data.length).put(data);
        return b.array();
    }

    private static byte[] ints(int... xs) {
        ByteBuffer b = ByteBuffer.allocate(4 * xs.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : xs) {
            b.putInt(x);
        }
        return b.array();
    }

    private static byte[] doubles(double... xs) {
        ByteBuffer b = ByteBuffer.allocate(8 * xs.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : xs) {
            b.putDouble(x);
        }
        return b.array();
    }

    private static byte[] matrix(byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        return element(14, body.toByteArray()); // miMATRIX
    }

    private static byte[] rawDouble(String name, int[] dims, double... columnMajor) {
        return matrix(element(6, ints(6, 0)), // miUINT32 flags: mxDOUBLE_CLASS
                element(5, ints(dims)), element(1, name.getBytes(StandardCharsets.US_ASCII)),
                element(9, doubles(columnMajor)));
    }

    private static byte[] rawSparse(String name, int rows, int cols, int[] ir, int[] jc, double[] pr) {
        return matrix(element(6, ints(5, pr.length)), // mxSPARSE_CLASS, nzmax
                element(5, ints(rows, cols)), element(1, name.getBytes(StandardCharsets.US_ASCII)),
                element(5, ints(ir)), element(5, ints(jc)), element(9, doubles(pr)));
    }
}
