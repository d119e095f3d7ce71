package dev.smplr.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smplr.io.NdArray.DType;
import dev.smplr.io.PickleWriter.Flavor;
import dev.smplr.io.PickleWriter.NumpyArray;
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
}
