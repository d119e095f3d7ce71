package dev.smplr.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smplr.io.NdArray.DType;
import dev.smplr.io.internal.PickleWriter;
import dev.smplr.io.internal.PickleWriter.Flavor;
import dev.smplr.io.internal.PickleWriter.NumpyArray;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SmplPickleTest {

    private static final int V = 50;
    private static final int F = 96;
    private static final int[] PARENTS = {-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19,
        20, 21};

    @TempDir
    Path dir;

    private static double[] random(Random rnd, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = rnd.nextGaussian();
        }
        return d;
    }

    private static CscMatrix regressor(Random rnd) {
        // each joint column-mix: 3 random vertices per joint, stored column by column (columns are vertices)
        double[][] dense = new double[24][V];
        for (int j = 0; j < 24; j++) {
            for (int k = 0; k < 3; k++) {
                dense[j][rnd.nextInt(V)] += 1.0 / 3;
            }
        }
        int[] indptr = new int[V + 1];
        List<Integer> rows = new java.util.ArrayList<>();
        List<Double> vals = new java.util.ArrayList<>();
        for (int v = 0; v < V; v++) {
            for (int j = 0; j < 24; j++) {
                if (dense[j][v] != 0) {
                    rows.add(j);
                    vals.add(dense[j][v]);
                }
            }
            indptr[v + 1] = rows.size();
        }
        return new CscMatrix(24, V, indptr, rows.stream().mapToInt(Integer::intValue).toArray(),
                vals.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The keys, types and shapes of an official SMPL file (SMPL.md), filled with seeded random values. */
    private static Map<String, Object> smplLike(PickleWriter w, Map<String, Object> expected) {
        Random rnd = new Random(7);
        long[] kintree = new long[48];
        for (int j = 0; j < 24; j++) {
            kintree[j] = PARENTS[j] < 0 ? 4294967295L : PARENTS[j];
            kintree[24 + j] = j;
        }
        long[] faces = new long[3 * F];
        for (int i = 0; i < faces.length; i++) {
            faces[i] = rnd.nextInt(V);
        }
        long[] sym = new long[V];
        for (int i = 0; i < V; i++) {
            sym[i] = V - 1 - i;
        }
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("pose_reg", 0.25);
        training.put("dataset", "caesar");
        expected.put("J_regressor_prior", regressor(rnd));
        expected.put("f", NdArray.of(DType.UINT32, new int[] {F, 3}, faces));
        expected.put("J_regressor", regressor(rnd));
        expected.put("kintree_table", NdArray.of(DType.UINT32, new int[] {2, 24}, kintree));
        expected.put("J", NdArray.of(new int[] {24, 3}, random(rnd, 72)));
        expected.put("weights_prior", NdArray.of(new int[] {V, 24}, random(rnd, V * 24)));
        expected.put("weights", NdArray.of(new int[] {V, 24}, random(rnd, V * 24)));
        expected.put("vert_sym_idxs", NdArray.of(new int[] {V}, sym));
        expected.put("posedirs", NdArray.of(new int[] {V, 3, 207}, random(rnd, V * 3 * 207)));
        expected.put("pose_training_info", training);
        expected.put("bs_style", "lbs");
        expected.put("bs_type", "lrotmin");
        expected.put("v_template", NdArray.of(new int[] {V, 3}, random(rnd, V * 3)));
        expected.put("shapedirs", NdArray.of(new int[] {V, 3, 10}, random(rnd, V * 30)));
        Map<String, Object> file = new LinkedHashMap<>(expected);
        file.put("shapedirs", w.chumpy((NdArray) expected.get("shapedirs")));
        return file;
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void read_smplLayout_roundTripsEveryValue(Flavor flavor) throws IOException {
        PickleWriter w = new PickleWriter(flavor);
        Map<String, Object> expected = new LinkedHashMap<>();
        Path file = dir.resolve("SMPL_NEUTRAL.pkl");
        Files.write(file, w.dump(smplLike(w, expected)));

        Map<String, Object> model = SmplPickle.read(file);

        assertThat(model.keySet()).containsExactlyElementsOf(expected.keySet());
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            assertThat(model.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(((NdArray) model.get("kintree_table")).toLongArray()[0]).isEqualTo(4294967295L);
        CscMatrix jr = (CscMatrix) model.get("J_regressor");
        double[] dense = jr.toDense();
        double[] vt = ((NdArray) model.get("v_template")).toDoubleArray();
        // J = J_regressor . v_template, through the sparse form and the dense one
        for (int j = 0; j < 24; j++) {
            double viaDense = 0;
            for (int v = 0; v < V; v++) {
                viaDense += dense[j * V + v] * vt[3 * v];
            }
            double viaSparse = 0;
            for (int c = 0; c < V; c++) {
                for (int k = jr.indptr()[c]; k < jr.indptr()[c + 1]; k++) {
                    viaSparse += jr.indices()[k] == j ? jr.data()[k] * vt[3 * c] : 0;
                }
            }
            assertThat(viaDense).isCloseTo(viaSparse, org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void read_fullSizePosedirs_convertsInBulk() throws IOException {
        // 6890 x 3 x 207 float64 (34 MB), as in the official files; values are a closed form of the index.
        int n = 6890 * 3 * 207;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = i * 0.001 - 7;
        }
        NdArray posedirs = NdArray.of(new int[] {6890, 3, 207}, d);
        Path file = dir.resolve("big.pkl");
        Files.write(file, new PickleWriter(Flavor.PY2).dump(Map.of("posedirs", posedirs)));
        NdArray back = (NdArray) SmplPickle.read(file).get("posedirs");
        assertThat(back.shape()).containsExactly(6890, 3, 207);
        double[] b = (double[]) back.data();
        for (int i = 0; i < n; i += 9973) {
            assertThat(b[i]).isEqualTo(i * 0.001 - 7);
        }
        assertThat(b[n - 1]).isEqualTo((n - 1) * 0.001 - 7);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void read_fortranAndBigEndianArrays_returnCOrderNativeValues(Flavor flavor) throws IOException {
        Random rnd = new Random(3);
        Map<String, Object> in = new LinkedHashMap<>();
        Map<String, NdArray> expected = new LinkedHashMap<>();
        for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32, DType.INT32, DType.INT64, DType.UINT32,
            DType.UINT64, DType.INT8, DType.UINT8, DType.BOOL}) {
            NdArray a = randomArray(t, new int[] {3, 4, 5}, rnd);
            expected.put(t.code(), a);
            in.put(t.code() + "_fortran_big", new NumpyArray(a, true, true));
            in.put(t.code() + "_fortran", new NumpyArray(a, true, false));
            in.put(t.code() + "_big", new NumpyArray(a, false, true));
            in.put(t.code(), a);
        }
        Path file = dir.resolve("layouts.pkl");
        Files.write(file, new PickleWriter(flavor).dump(in));
        Map<String, Object> out = SmplPickle.read(file);
        for (Map.Entry<String, Object> e : out.entrySet()) {
            assertThat(e.getValue()).as(e.getKey()).isEqualTo(expected.get(e.getKey().split("_")[0]));
        }
    }

    private static NdArray randomArray(DType t, int[] shape, Random rnd) {
        int n = PickleNumpy.elementCount(shape);
        Object data = switch (t) {
            case FLOAT64 -> random(rnd, n);
            case FLOAT32 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) rnd.nextGaussian();
                }
                yield f;
            }
            case INT32 -> rnd.ints(n).toArray();
            case INT64, UINT64 -> rnd.longs(n).toArray();
            case UINT32 -> rnd.longs(n, 0, 1L << 32).toArray();
            case BOOL -> {
                byte[] b = new byte[n];
                for (int i = 0; i < n; i++) {
                    b[i] = (byte) rnd.nextInt(2);
                }
                yield b;
            }
            default -> {
                byte[] b = new byte[n];
                rnd.nextBytes(b);
                yield b;
            }
        };
        return NdArray.of(t, shape, data);
    }

    @Test
    void read_refusedGlobal_namesFileAndOffset() throws IOException {
        Path file = dir.resolve("evil.pkl");
        Files.write(file, UnpicklerTest.p("cposix\nsystem\n(S'touch /tmp/x'\ntR."));
        assertThatThrownBy(() -> SmplPickle.read(file)).isInstanceOf(PickleException.class)
                .hasMessageStartingWith(file + ": offset 0: GLOBAL: global 'posix.system' is not allowed");
    }

    @Test
    void read_topLevelNotAStringKeyedDict_throws() throws IOException {
        Path list = dir.resolve("list.pkl");
        Files.write(list, new PickleWriter(Flavor.PY2).dump(List.of(1)));
        assertThatThrownBy(() -> SmplPickle.read(list)).isInstanceOf(PickleException.class)
                .hasMessage(list + ": expected the pickle to hold a dict, found a list");
        Path intKeys = dir.resolve("intkeys.pkl");
        Files.write(intKeys, new PickleWriter(Flavor.PY2).dump(Map.of(3, "x")));
        assertThatThrownBy(() -> SmplPickle.read(intKeys)).isInstanceOf(PickleException.class)
                .hasMessage(intKeys + ": expected a dict with string keys, found a key of type int: 3");
    }

    @Test
    void read_missingFile_throwsIOException() {
        assertThatThrownBy(() -> SmplPickle.read(dir.resolve("absent.pkl"))).isInstanceOf(IOException.class)
                .isNotInstanceOf(PickleException.class);
    }

    @Test
    void load_stream_readsToEndWithSourceInMessages() throws IOException {
        byte[] pk = new PickleWriter(Flavor.PY3).dump(Map.of("bs_type", "lrotmin"));
        InputStream in = new ByteArrayInputStream(pk);
        assertThat(SmplPickle.load(in, "model.npz:J_regressor")).isEqualTo(Map.of("bs_type", "lrotmin"));
        assertThat(in.read()).isEqualTo(-1);
        byte[] truncated = java.util.Arrays.copyOf(pk, pk.length - 1);
        assertThatThrownBy(() -> SmplPickle.load(new ByteArrayInputStream(truncated), "model.npz:J_regressor"))
                .isInstanceOf(PickleException.class).hasMessageStartingWith("model.npz:J_regressor: offset ");
    }

    // ---- object arrays (naive .npz conversions) ----

    /**
     * The pickle after the {@code .npy} header of {@code J_regressor.npy} in an {@code .npz} written by numpy 2.4.6
     * and scipy 1.17.1 (protocol 4):
     * <pre>
     * m = scipy.sparse.csc_matrix(np.array([[0.5, 0, 0], [0, 0.25, 0.75]]))
     * np.savez('naive.npz', J_regressor=m)
     * zipfile.ZipFile('naive.npz').read('J_regressor.npy')[128:].hex()
     * </pre>
     */
    private static final String NUMPY_OBJECT_ARRAY_CSC =
            "800495bb010000000000008c166e756d70792e5f636f72652e6d756c74696172726179948c0c5f7265636f6e73747275"
            + "63749493948c056e756d7079948c076e6461727261799493944b0085944301629487945294284b012968038c05647479"
            + "70659493948c024f3894898887945294284b038c017c944e4e4e4affffffff4affffffff4b3f749462895d948c117363"
            + "6970792e7370617273652e5f637363948c0a6373635f6d61747269789493942981947d94288c065f7368617065944b02"
            + "4b0386948c086d61787072696e74944b328c06696e6470747294680268054b008594680787945294284b014b04859468"
            + "0b8c02693494898887945294284b038c013c944e4e4e4affffffff4affffffff4b007494628943100000000001000000"
            + "0200000003000000947494628c07696e646963657394680268054b008594680787945294284b014b038594682189430c"
            + "000000000100000001000000947494628c046461746194680268054b008594680787945294284b014b038594680b8c02"
            + "663894898887945294284b0368224e4e4e4affffffff4affffffff4b00749462894318000000000000e03f0000000000"
            + "00d03f000000000000e83f947494627562617494622e";

    private static final CscMatrix SMALL_CSC = new CscMatrix(2, 3, new int[] {0, 1, 2, 3}, new int[] {0, 1, 1},
            new double[] {0.5, 0.25, 0.75});

    @Test
    void objectArrayReader_numpyZeroDimObjectArray_returnsTheCscMatrix() throws IOException {
        byte[] pickle = java.util.HexFormat.of().parseHex(NUMPY_OBJECT_ARRAY_CSC);

        Object value = SmplPickle.objectArrayReader().read(pickle, "naive.npz:J_regressor.npy");

        assertThat(value).isEqualTo(SMALL_CSC);
        assertThat(((CscMatrix) value).toDense()).containsExactly(0.5, 0, 0, 0, 0.25, 0.75);
    }

    @Test
    void objectArrayReader_throughNpz_readsNaiveConversion() throws IOException {
        byte[] pickle = java.util.HexFormat.of().parseHex(NUMPY_OBJECT_ARRAY_CSC);
        java.io.ByteArrayOutputStream npy = new java.io.ByteArrayOutputStream();
        String header = "{'descr': '|O', 'fortran_order': False, 'shape': (), }";
        header = header + " ".repeat(127 - 10 - header.length()) + "\n";
        npy.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        npy.write(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        npy.write(pickle);
        Path file = dir.resolve("naive.npz");
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("J_regressor.npy"));
            zip.write(npy.toByteArray());
            zip.closeEntry();
        }

        Map<String, Object> model = Npz.readAny(file, null, SmplPickle.objectArrayReader());

        assertThat(model).containsOnlyKeys("J_regressor");
        assertThat(model.get("J_regressor")).isEqualTo(SMALL_CSC);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void objectArrayReader_writerObjectArrays_roundTrip(Flavor flavor) throws IOException {
        PickleWriter w = new PickleWriter(flavor);
        byte[] zeroDim = w.dump(new PickleWriter.ObjectArray(new int[0], List.of(w.cscMatrix(SMALL_CSC))));
        NdArray a = NdArray.of(new int[] {2}, new double[] {1, 2});
        byte[] oneDim = w.dump(new PickleWriter.ObjectArray(new int[] {3}, java.util.Arrays.asList(a, "x", null)));

        assertThat(SmplPickle.objectArrayReader().read(zeroDim, "z")).isEqualTo(SMALL_CSC);
        assertThat(SmplPickle.objectArrayReader().read(oneDim, "o")).isEqualTo(java.util.Arrays.asList(a, "x", null));
    }

    @Test
    void read_objectArrayInPkl_isRefused() throws IOException {
        PickleWriter w = new PickleWriter(Flavor.PY2);
        Path file = dir.resolve("obj.pkl");
        Files.write(file, w.dump(Map.of("J_regressor", new PickleWriter.ObjectArray(new int[0],
                List.of(w.cscMatrix(SMALL_CSC))))));

        assertThatThrownBy(() -> SmplPickle.read(file)).isInstanceOf(PickleException.class)
                .hasMessageContaining("dtype 'O8' is not supported");
    }

    @Test
    void objectArrayReader_badObjectArrays_refuseWithOffset() {
        PickleWriter w = new PickleWriter(Flavor.PY2);
        // element count disagrees with the shape
        byte[] wrongCount = w.dump(new PickleWriter.ObjectArray(new int[] {2}, List.of("a")));
        assertThatThrownBy(() -> SmplPickle.objectArrayReader().read(wrongCount, "m.npz:k.npy"))
                .isInstanceOf(PickleException.class).hasMessageStartingWith("m.npz:k.npy: offset ")
                .hasMessageContaining("object array data holds 1 values, but shape (2,) needs 2");
        // a refused global among the elements
        byte[] evil = w.dump(new PickleWriter.ObjectArray(new int[0],
                List.of(new PickleWriter.Call("os", "system", PickleWriter.tuple("echo")))));
        assertThatThrownBy(() -> SmplPickle.objectArrayReader().read(evil, "m.npz:k.npy"))
                .isInstanceOf(PickleException.class).hasMessageContaining("global 'os.system' is not allowed");
        // an object array holding itself
        byte[] self = UnpicklerTest.p(0x80, 2, "cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\u0000"
                + "\u0085U\u0001b\u0087Rq\u0001(K\u0001)cnumpy\ndtype\nU\u0002O8K\u0000K\u0001\u0087R(K\u0003U\u0001|"
                + "NNNJ\u00ff\u00ff\u00ff\u00ffJ\u00ff\u00ff\u00ff\u00ffK?tb\u0089]h\u0001atb.");
        assertThatThrownBy(() -> SmplPickle.objectArrayReader().read(self, "s"))
                .isInstanceOf(PickleException.class).hasMessageContaining("contains itself");
    }
}
