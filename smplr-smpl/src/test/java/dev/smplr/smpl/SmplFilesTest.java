package dev.smplr.smpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.smplr.core.Gender;
import dev.smplr.core.SmplJoint;
import dev.smplr.core.SmplrLandmark;
import dev.smplr.io.FileFormatException;
import dev.smplr.io.NdArray;
import dev.smplr.io.NdArray.DType;
import dev.smplr.io.Npz;
import dev.smplr.io.PickleException;
import dev.smplr.io.internal.PickleWriter;
import dev.smplr.io.internal.PickleWriter.Call;
import dev.smplr.io.internal.PickleWriter.Flavor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SmplFilesTest {

    private static final int V = 60;

    @TempDir
    Path dir;

    /** The four layouts of the same model that {@link SmplFiles#read} must read alike. */
    enum Layout {
        PKL_PY2, PKL_PY3, NPZ, NAIVE_NPZ;

        void write(ModelData m, Path file) throws IOException {
            switch (this) {
                case PKL_PY2 -> SmplFileFixtures.writePkl(m, file, Flavor.PY2);
                case PKL_PY3 -> SmplFileFixtures.writePkl(m, file, Flavor.PY3);
                case NPZ -> SmplFileFixtures.writeNpz(m, file);
                case NAIVE_NPZ -> SmplFileFixtures.writeNaiveNpz(m, file, true);
            }
        }

        String extension() {
            return this == PKL_PY2 || this == PKL_PY3 ? ".pkl" : ".npz";
        }
    }

    // ---- a random model with the invariants of real ones ----------------------------------------------------

    /**
     * A seeded random model: {@code v} vertices, {@code betas} shape components, weights rows with at most 4
     * non-zeros summing to 1, a sparse regressor whose rows sum to 1, SMPL's parents, 2v faces of distinct
     * vertices, 18 landmark vertices.
     */
    static ModelData randomModel(long seed, int v, int betas, Gender gender) {
        Random rnd = new Random(seed);
        float[] vt = gaussian(rnd, 3 * v, 0.3);
        float[] sd = gaussian(rnd, 3 * v * betas, 0.01);
        float[] pd = gaussian(rnd, 3 * v * ModelData.POSE_FEATURES, 0.001);
        int joints = ModelData.JOINTS;
        float[] jr = new float[joints * v];
        for (int j = 0; j < joints; j++) {
            int[] picks = distinct(rnd, 3 + rnd.nextInt(4), v);
            double[] w = positive(rnd, picks.length);
            for (int k = 0; k < picks.length; k++) {
                jr[j * v + picks[k]] = (float) w[k];
            }
        }
        float[] lbs = new float[v * joints];
        for (int i = 0; i < v; i++) {
            int[] picks = distinct(rnd, 1 + rnd.nextInt(4), joints);
            double[] w = positive(rnd, picks.length);
            for (int k = 0; k < picks.length; k++) {
                lbs[i * joints + picks[k]] = (float) w[k];
            }
        }
        int[] faces = new int[3 * 2 * v];
        for (int t = 0; t < faces.length / 3; t++) {
            System.arraycopy(distinct(rnd, 3, v), 0, faces, 3 * t, 3);
        }
        int[] parents = new int[joints];
        for (SmplJoint j : SmplJoint.values()) {
            parents[j.ordinal()] = j.parentIndex();
        }
        int[] landmarks = new int[SmplrLandmark.COUNT];
        for (int l = 0; l < landmarks.length; l++) {
            landmarks[l] = rnd.nextInt(v);
        }
        return new ModelData(gender, vt, sd, betas, pd, jr, lbs, faces, parents, landmarks, "random");
    }

    private static float[] gaussian(Random rnd, int n, double scale) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (scale * rnd.nextGaussian());
        }
        return f;
    }

    private static int[] distinct(Random rnd, int k, int n) {
        Set<Integer> s = new HashSet<>();
        while (s.size() < k) {
            s.add(rnd.nextInt(n));
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** k positive values summing to 1 in float64. */
    private static double[] positive(Random rnd, int k) {
        double[] w = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            w[i] = 0.1 + rnd.nextDouble();
            sum += w[i];
        }
        for (int i = 0; i < k; i++) {
            w[i] /= sum;
        }
        return w;
    }

    private static void assertSameArrays(ModelData actual, ModelData expected) {
        assertThat(actual.shapeCount()).isEqualTo(expected.shapeCount());
        assertThat(actual.vTemplate()).as("v_template").containsExactly(expected.vTemplate());
        assertThat(actual.shapeDirs()).as("shapedirs").containsExactly(expected.shapeDirs());
        assertThat(actual.poseDirs()).as("posedirs").containsExactly(expected.poseDirs());
        assertThat(actual.jRegressor()).as("J_regressor").containsExactly(expected.jRegressor());
        assertThat(actual.lbsWeights()).as("weights").containsExactly(expected.lbsWeights());
        assertThat(actual.faces()).as("f").containsExactly(expected.faces());
        assertThat(actual.parents()).as("kintree_table").containsExactly(expected.parents());
        assertThat(actual.landmarkVertices()).as("landmark_vertices").containsExactly(expected.landmarkVertices());
    }

    // ---- formats ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Layout.class)
    void read_everyLayout_givesTheArraysWritten(Layout layout) throws IOException {
        ModelData m = randomModel(1, V, 10, Gender.FEMALE);
        Path file = dir.resolve("SMPL_FEMALE" + layout.extension());
        layout.write(m, file);

        ModelData back = SmplFiles.read(file, -1);

        // float32 values written as float64 come back exactly; the regressor goes through csc and back.
        assertSameArrays(back, m);
        assertThat(back.gender()).isEqualTo(Gender.FEMALE);
        assertThat(back.source()).isEqualTo("SMPL_FEMALE" + layout.extension());
    }

    @Test
    void read_float64ValuesNotFloat32_roundToNearestFloat() throws IOException {
        ModelData m = randomModel(2, V, 10, Gender.NEUTRAL);
        Map<String, NdArray> arrays = SmplFileFixtures.npzArrays(m);
        double[] vt = arrays.get("v_template").toDoubleArray();
        for (int i = 0; i < vt.length; i++) {
            vt[i] += 1e-10 * (i % 7 - 3);
        }
        arrays.put("v_template", NdArray.of(new int[] {V, 3}, vt));
        Path file = dir.resolve("f8.npz");
        Npz.write(arrays, file, false);

        float[] back = SmplFiles.read(file, -1).vTemplate();

        for (int i = 0; i < vt.length; i++) {
            assertThat(back[i]).isEqualTo((float) vt[i]);
        }
    }

    @Test
    void read_contentNotExtension_decidesTheFormat() throws IOException {
        ModelData m = randomModel(3, V, 10, Gender.MALE);
        Path pklNamedNpz = dir.resolve("SMPL_MALE.npz");
        SmplFileFixtures.writePkl(m, pklNamedNpz, Flavor.PY2);
        Path npzNamedPkl = dir.resolve("basicmodel_m_lbs_10_207_0_v1.0.0.pkl");
        SmplFileFixtures.writeNpz(m, npzNamedPkl);
        Path noExtension = dir.resolve("model");
        SmplFileFixtures.writeNaiveNpz(m, noExtension, false);

        assertSameArrays(SmplFiles.read(pklNamedNpz, -1), m);
        assertSameArrays(SmplFiles.read(npzNamedPkl, -1), m);
        assertSameArrays(SmplFiles.read(noExtension, -1), m);
        assertThat(SmplFiles.read(npzNamedPkl, -1).gender()).isEqualTo(Gender.MALE);
    }

    @Test
    void read_protocol0Pickle_isDetected() throws IOException {
        Path file = dir.resolve("p0.pkl");
        Files.write(file, "(dp0\nS'bs_style'\np1\nS'lbs'\np2\ns.".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> SmplFiles.read(file, -1)).isInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(file + ": missing key 'v_template'")
                .hasMessageContaining("the file holds [bs_style]");
    }

    @Test
    void read_unrecognisedBytes_namesFileBytesAndFormats() throws IOException {
        Path text = dir.resolve("model.pkl");
        Files.writeString(text, "hello world");
        Path empty = dir.resolve("empty.npz");
        Files.write(empty, new byte[0]);
        Path npy = dir.resolve("v.npy");
        dev.smplr.io.Npy.write(NdArray.of(new int[] {2}, new double[] {1, 2}), npy);

        assertThatThrownBy(() -> SmplFiles.read(text, -1)).isInstanceOf(FileFormatException.class)
                .hasMessage(text + ": unrecognised format: the file starts with bytes 68 65 6c 6c 6f 20 77 6f "
                        + "('hello wo'); expected an SMPL model as a Python pickle (.pkl, first byte 0x80 for "
                        + "protocol 2) or a numpy .npz (a zip archive, first bytes 'PK\\x03\\x04')");
        assertThatThrownBy(() -> SmplFiles.read(empty, -1)).isInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(empty + ": empty file");
        assertThatThrownBy(() -> SmplFiles.read(npy, -1)).isInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(npy + ": a single .npy array, not a model");
        assertThatThrownBy(() -> SmplFiles.read(dir.resolve("absent.pkl"), -1)).isInstanceOf(IOException.class)
                .isNotInstanceOf(FileFormatException.class);
    }

    // ---- shape components ------------------------------------------------------------------------------------

    @Test
    void read_numBetas_keepsTheFirstComponentsAndNeverCutsSilently() throws IOException {
        ModelData m = randomModel(4, 20, 300, Gender.NEUTRAL);
        Path file = dir.resolve("SMPL_NEUTRAL.pkl");
        SmplFileFixtures.writePkl(m, file, Flavor.PY2);

        ModelData all = SmplFiles.read(file, -1);
        ModelData ten = SmplFiles.read(file, 10);
        ModelData none = SmplFiles.read(file, 0);

        assertThat(all.shapeCount()).isEqualTo(300);
        assertThat(all.shapeDirs()).containsExactly(m.shapeDirs());
        assertThat(ten.shapeCount()).isEqualTo(10);
        assertThat(none.shapeCount()).isZero();
        assertThat(none.shapeDirs()).isEmpty();
        for (int r = 0; r < 3 * 20; r++) {
            for (int b = 0; b < 10; b++) {
                assertThat(ten.shapeDirs()[r * 10 + b]).isEqualTo(m.shapeDirs()[r * 300 + b]);
            }
        }
        assertThat(SmplFiles.read(file, 300).shapeDirs()).containsExactly(m.shapeDirs());
        assertThatThrownBy(() -> SmplFiles.read(file, 301)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("numBetas: asked for 301 shape components, but " + file + " has 300 (key 'shapedirs' "
                        + "(20, 3, 300))");
        assertThatThrownBy(() -> SmplFiles.read(file, -2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("numBetas").hasMessageContaining("-2");
    }

    @Test
    void read_tenComponentFileAskedForSixteen_namesBothCounts() throws IOException {
        Path file = dir.resolve("m.npz");
        SmplFileFixtures.writeNpz(randomModel(5, V, 10, Gender.NEUTRAL), file);

        assertThatThrownBy(() -> SmplFiles.read(file, 16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("asked for 16").hasMessageContaining("has 10");
    }

    // ---- gender and landmarks --------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
        "basicModel_f_lbs_10_207_0_v1.0.0.pkl, FEMALE",
        "basicmodel_m_lbs_10_207_0_v1.0.0.pkl, MALE",
        "basicModel_neutral_lbs_10_207_0_v1.0.0.pkl, NEUTRAL",
        "SMPL_FEMALE.pkl, FEMALE",
        "SMPL_MALE.npz, MALE",
        "SMPL_NEUTRAL.pkl, NEUTRAL",
        "smpl-female-300.npz, FEMALE",
        "f.pkl, FEMALE",
        "m_model.npz, MALE",
        "model.npz, NEUTRAL",
        "ref_model.pkl, NEUTRAL",
        "fm.pkl, NEUTRAL",
    })
    void genderFromName_officialAndOtherNames(String name, Gender expected) {
        assertThat(SmplFiles.genderFromName(name)).isEqualTo(expected);
    }

    @Test
    void read_genderKey_winsOverTheFileName() throws IOException {
        Map<String, NdArray> arrays = SmplFileFixtures.npzArrays(randomModel(6, V, 10, Gender.NEUTRAL));
        arrays.put("gender", NdArray.ofString("male"));
        Path file = dir.resolve("SMPL_FEMALE.npz");
        Npz.write(arrays, file, true);
        assertThat(SmplFiles.read(file, -1).gender()).isEqualTo(Gender.MALE);

        arrays.put("gender", NdArray.ofString("robot"));
        Npz.write(arrays, file, true);
        assertThatThrownBy(() -> SmplFiles.read(file, -1)).isInstanceOf(FileFormatException.class)
                .hasMessage(file + ": key 'gender': expected 'female', 'male' or 'neutral', found 'robot'");
    }

    @Test
    void read_smplSizedMeshWithoutLandmarkKey_usesSmplLandmarkVertices() throws IOException {
        ModelData m = randomModel(7, 6890, 1, Gender.NEUTRAL);
        Map<String, NdArray> arrays = SmplFileFixtures.npzArrays(m);
        arrays.remove("landmark_vertices");
        for (String k : List.of("v_template", "shapedirs", "posedirs", "J_regressor", "weights")) {
            NdArray a = arrays.get(k);
            arrays.put(k, NdArray.of(a.shape(), a.toFloatArray())); // float32 keeps the test small and fast
        }
        Path file = dir.resolve("SMPL_NEUTRAL.npz");
        Npz.write(arrays, file, false);

        assertThat(SmplFiles.read(file, -1).landmarkVertices()).containsExactly(SmplrLandmark.smplVertices());
    }

    @Test
    void read_otherMeshWithoutLandmarkKey_explainsTheKeyNeeded() throws IOException {
        PickleWriter w = new PickleWriter(Flavor.PY2);
        Map<String, Object> d = SmplFileFixtures.pklDict(randomModel(8, V, 10, Gender.NEUTRAL), w);
        d.remove("landmark_vertices");
        Path file = dir.resolve("small.pkl");
        SmplFileFixtures.writePkl(d, file, w);

        assertThatThrownBy(() -> SmplFiles.read(file, -1)).isInstanceOf(FileFormatException.class)
                .hasMessage(file + ": no key 'landmark_vertices', and the mesh has 60 vertices, not SMPL's 6890: "
                        + "the 18 SMPLR landmark vertex ids are needed for another mesh (key 'landmark_vertices', "
                        + "(18,) integers)");
    }

    // ---- writing ---------------------------------------------------------------------------------------------

    @Test
    void write_thenRead_isExact() throws IOException {
        ModelData m = randomModel(9, V, 16, Gender.MALE);
        Path file = dir.resolve("anything.npz");

        SmplFiles.write(m, file);
        ModelData back = SmplFiles.read(file, -1);

        assertSameArrays(back, m);
        assertThat(back.gender()).isEqualTo(Gender.MALE); // from the gender key: the name says nothing
        Map<String, NdArray> raw = Npz.read(file);
        assertThat(raw.keySet()).containsExactly("v_template", "shapedirs", "posedirs", "J_regressor", "weights",
                "kintree_table", "f", "J", "bs_style", "bs_type", "landmark_vertices", "gender");
        assertThat(raw.get("kintree_table").dtype()).isEqualTo(DType.UINT32);
        assertThat(raw.get("kintree_table").toLongArray()[0]).isEqualTo(4294967295L);
        assertThat(raw.get("f").dtype()).isEqualTo(DType.UINT32);
        assertThat(raw.get("bs_style").stringValue()).isEqualTo("lbs");
        assertThat(raw.get("bs_type").stringValue()).isEqualTo("lrotmin");
        assertThat(raw.get("gender").stringValue()).isEqualTo("male");
        assertThat(raw.get("shapedirs").shape()).containsExactly(V, 3, 16);
        double[] j = SmplFileFixtures.joints(m);
        float[] jFile = raw.get("J").toFloatArray();
        for (int i = 0; i < j.length; i++) {
            assertThat(jFile[i]).isEqualTo((float) j[i]);
        }
    }

    @Test
    void write_readBackWithFewerBetas_thenWriteAgain_isStable() throws IOException {
        Path a = dir.resolve("a.npz");
        Path b = dir.resolve("b.npz");
        SmplFiles.write(randomModel(10, V, 300, Gender.FEMALE), a);
        ModelData ten = SmplFiles.read(a, 10);
        SmplFiles.write(ten, b);

        assertSameArrays(SmplFiles.read(b, -1), ten);
    }

    // ---- bad content -----------------------------------------------------------------------------------------

    /** Writes the official dict of a valid model after {@code edit}, and returns the file. */
    private Path pklWith(Flavor flavor, Consumer<Map<String, Object>> edit) throws IOException {
        PickleWriter w = new PickleWriter(flavor);
        Map<String, Object> d = SmplFileFixtures.pklDict(randomModel(11, V, 10, Gender.NEUTRAL), w);
        edit.accept(d);
        Path file = dir.resolve("SMPL_NEUTRAL.pkl");
        SmplFileFixtures.writePkl(d, file, w);
        return file;
    }

    private Path npzWith(Consumer<Map<String, NdArray>> edit) throws IOException {
        Map<String, NdArray> a = SmplFileFixtures.npzArrays(randomModel(11, V, 10, Gender.NEUTRAL));
        edit.accept(a);
        Path file = dir.resolve("SMPL_NEUTRAL.npz");
        Npz.write(a, file, true);
        return file;
    }

    private static void assertRefused(Path file, String message) {
        assertThatThrownBy(() -> SmplFiles.read(file, -1)).isInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(file + ": ").hasMessageContaining(message);
    }

    @Test
    void read_missingKey_namesItAndListsThePresentOnes() throws IOException {
        Path file = npzWith(a -> a.remove("posedirs"));

        assertThatThrownBy(() -> SmplFiles.read(file, -1)).isInstanceOf(FileFormatException.class)
                .hasMessage(file + ": missing key 'posedirs'; an SMPL model needs [v_template, shapedirs, posedirs, "
                        + "J_regressor, weights, kintree_table, f], the file holds [v_template, shapedirs, "
                        + "J_regressor, weights, kintree_table, f, J, bs_style, bs_type, landmark_vertices]");
    }

    @Test
    void read_wrongShapes_nameKeyExpectedAndFound() throws IOException {
        assertRefused(pklWith(Flavor.PY2, d -> d.put("shapedirs", NdArray.of(new int[] {V, 3},
                new double[3 * V]))), "key 'shapedirs': expected (60, 3, B), found (60, 3)");
        assertRefused(npzWith(a -> a.put("v_template", NdArray.of(new int[] {3 * V}, new double[3 * V]))),
                "key 'v_template': expected (V, 3), found (180,)");
        assertRefused(npzWith(a -> a.put("weights", NdArray.of(new int[] {V, 23}, new double[23 * V]))),
                "key 'weights': expected (60, 24), found (60, 23)");
        assertRefused(npzWith(a -> a.put("J_regressor", NdArray.of(new int[] {V, 24}, new double[24 * V]))),
                "key 'J_regressor': expected (24, 60), found (60, 24)");
        assertRefused(pklWith(Flavor.PY3, d -> d.put("J_regressor", SmplFileFixtures.csc(new float[23 * V], 23, V))),
                "key 'J_regressor': expected (24, 60), found a csc_matrix (23, 60)");
        assertRefused(npzWith(a -> a.put("kintree_table", NdArray.of(new int[] {24}, new long[24]))),
                "key 'kintree_table': expected (2, 24), found (24,)");
        assertRefused(npzWith(a -> a.put("f", NdArray.of(new int[] {4}, new long[4]))),
                "key 'f': expected (F, 3) with F > 0, found (4,)");
        assertRefused(npzWith(a -> a.put("posedirs", NdArray.of(new int[] {V, 3, 200}, new float[600 * V]))),
                "key 'posedirs': expected (60, 3, 207), found (60, 3, 200)");
    }

    @Test
    void read_smplhAndSmplxPosedirs_sayWhichModelItIs() throws IOException {
        assertRefused(npzWith(a -> a.put("posedirs", NdArray.of(new int[] {V, 3, 459}, new float[3 * 459 * V]))),
                "key 'posedirs': (60, 3, 459) is an SMPL+H file; this library reads SMPL (207)");
        assertRefused(npzWith(a -> a.put("posedirs", NdArray.of(new int[] {V, 3, 486}, new float[3 * 486 * V]))),
                "key 'posedirs': (60, 3, 486) is an SMPL-X file");
        // named as SMPL+H even when more shape components are asked for than its 16
        Path smplh = npzWith(a -> {
            a.put("posedirs", NdArray.of(new int[] {V, 3, 459}, new float[3 * 459 * V]));
            a.put("shapedirs", NdArray.of(new int[] {V, 3, 16}, new float[3 * 16 * V]));
        });
        assertThatThrownBy(() -> SmplFiles.read(smplh, 300)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("is an SMPL+H file");
    }

    @Test
    void read_wrongTypes_nameKeyAndWhatWasFound() throws IOException {
        assertRefused(pklWith(Flavor.PY2, d -> d.put("shapedirs", "not an array")),
                "key 'shapedirs': expected a float32 or float64 array, found the string 'not an array'");
        assertRefused(npzWith(a -> a.put("shapedirs", NdArray.of(DType.UNICODE, new int[] {2},
                new String[] {"a", "b"}))), "key 'shapedirs': expected a float32 or float64 array, found an array "
                        + "unicode (2,)");
        assertRefused(npzWith(a -> a.put("v_template", NdArray.of(new int[] {V, 3}, new int[3 * V]))),
                "key 'v_template': expected a float32 or float64 array, found an array int32 (60, 3)");
        assertRefused(pklWith(Flavor.PY3, d -> d.put("J_regressor", List.of(1, 2))),
                "key 'J_regressor': expected a scipy csc_matrix or a float array (24, 60), found a list or tuple of 2");
        assertRefused(pklWith(Flavor.PY2, d -> d.put("f", 7)), "key 'f': expected an integer array, found the int 7");
        assertRefused(npzWith(a -> a.put("bs_type", NdArray.ofString("lrotquat"))),
                "key 'bs_type': expected 'lrotmin', found 'lrotquat'");
        assertRefused(pklWith(Flavor.PY2, d -> d.put("bs_style", "dqbs")), "key 'bs_style': expected 'lbs', found 'dqbs'");
        assertRefused(pklWith(Flavor.PY2, d -> d.put("bs_style", 1.5)), "key 'bs_style': expected a string, found the float 1.5");
    }

    @Test
    void read_textAsPython3Bytes_isAccepted() throws IOException {
        Path file = pklWith(Flavor.PY3, d -> {
            d.put("bs_style", "lbs".getBytes(StandardCharsets.US_ASCII));
            d.put("gender", "female".getBytes(StandardCharsets.US_ASCII));
        });

        assertThat(SmplFiles.read(file, -1).gender()).isEqualTo(Gender.FEMALE);
    }

    @Test
    void read_kintreeAsFloats_acceptsIntegralRefusesFractions() throws IOException {
        double[] k = new double[48];
        for (int j = 0; j < 24; j++) {
            k[j] = j == 0 ? -1 : SmplJoint.values()[j].parentIndex();
            k[24 + j] = j;
        }
        Path integral = npzWith(a -> a.put("kintree_table", NdArray.of(new int[] {2, 24}, k.clone())));
        assertThat(SmplFiles.read(integral, -1).parents()[3]).isZero();

        k[5] = 2.5;
        assertRefused(npzWith(a -> a.put("kintree_table", NdArray.of(new int[] {2, 24}, k))),
                "key 'kintree_table': expected integers, found element 5 is not an integer: 2.5");
    }

    @Test
    void read_kintreeNotATree_isRefused() throws IOException {
        long[] cycle = SmplFileFixtures.longs(parentsWithJoints());
        cycle[1] = 2; // 1 -> 2 -> 0, fine so far ...
        cycle[2] = 1; // ... but now 1 and 2 are each other's parent
        assertRefused(npzWith(a -> a.put("kintree_table", NdArray.of(new int[] {2, 24}, cycle))),
                "key 'kintree_table': not a tree: parents[1]: expected a node in [0, 1)");
        long[] twoRoots = SmplFileFixtures.longs(parentsWithJoints());
        twoRoots[7] = 4294967295L;
        assertRefused(npzWith(a -> a.put("kintree_table", NdArray.of(new int[] {2, 24}, twoRoots))),
                "key 'kintree_table': not a tree: parents[7]: expected a node in [0, 7)");
        long[] outOfRange = SmplFileFixtures.longs(parentsWithJoints());
        outOfRange[9] = 24;
        assertRefused(npzWith(a -> a.put("kintree_table", NdArray.of(new int[] {2, 24}, outOfRange))),
                "key 'kintree_table': parent of joint 9 is 24, expected a joint in [0, 24)");
        long[] shuffled = SmplFileFixtures.longs(parentsWithJoints());
        shuffled[24 + 3] = 4;
        assertRefused(npzWith(a -> a.put("kintree_table", NdArray.of(new int[] {2, 24}, shuffled))),
                "key 'kintree_table': row 1 lists joint 4 in column 3, expected the joints 0..23 in order");
    }

    private static int[] parentsWithJoints() {
        int[] k = new int[48];
        for (int j = 0; j < 24; j++) {
            k[j] = SmplJoint.values()[j].parentIndex();
            k[24 + j] = j;
        }
        return k;
    }

    @Test
    void read_badValues_nameKeyAndPlace() throws IOException {
        assertRefused(npzWith(a -> {
            double[] w = a.get("weights").toDoubleArray();
            w[17 * 24 + 3] += 0.25;
            a.put("weights", NdArray.of(new int[] {V, 24}, w));
        }), "key 'weights': row 17 sums to");
        assertRefused(pklWith(Flavor.PY2, d -> {
            double[] vt = ((NdArray) d.get("v_template")).toDoubleArray();
            vt[5] = Double.NaN;
            d.put("v_template", NdArray.of(new int[] {V, 3}, vt));
        }), "key 'v_template': NaN at flat index 5");
        assertRefused(pklWith(Flavor.PY2, d -> {
            long[] f = ((NdArray) d.get("f")).toLongArray();
            f[7] = V;
            d.put("f", NdArray.of(DType.UINT32, new int[] {f.length / 3, 3}, f));
        }), "key 'f': face 2 refers to vertex 60, expected [0, 60)");
        assertRefused(npzWith(a -> a.put("landmark_vertices", NdArray.of(new int[] {18}, new long[] {0, 1, 2, 3, 4,
            5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, -1}))),
                "key 'landmark_vertices': landmark 17 is vertex -1, expected [0, 60)");
        assertRefused(npzWith(a -> a.put("landmark_vertices", NdArray.of(new int[] {17}, new long[17]))),
                "key 'landmark_vertices': expected (18,), found (17,)");
        assertRefused(npzWith(a -> {
            double[] sd = a.get("shapedirs").toDoubleArray();
            sd[3] = 1e300; // finite in float64, infinite in float32
            a.put("shapedirs", NdArray.of(new int[] {V, 3, 10}, sd));
        }), "key 'shapedirs': Infinity at flat index 3");
    }

    // ---- hostile and damaged files ---------------------------------------------------------------------------

    @Test
    void read_pickleNamingDangerousGlobals_isRefusedBeforeAnythingRuns() throws IOException {
        assertThatThrownBy(() -> SmplFiles.read(pklWith(Flavor.PY2, d -> d.put("bs_style",
                new Call("os", "system", PickleWriter.tuple("touch /tmp/pwned")))), -1))
                .isInstanceOf(PickleException.class).hasMessageContaining("global 'os.system' is not allowed");
        assertThatThrownBy(() -> SmplFiles.read(pklWith(Flavor.PY3, d -> d.put("v_template",
                new Call("builtins", "eval", PickleWriter.tuple("1+1")))), -1))
                .isInstanceOf(PickleException.class).hasMessageContaining("global 'builtins.eval' is not allowed");
        assertThat(Files.exists(Path.of("/tmp/pwned"))).isFalse();
    }

    @Test
    void read_deeplyNestedPickle_isRefused() throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2);
        for (int i = 0; i < 100_000; i++) {
            p.write(']');
        }
        for (int i = 0; i < 99_999; i++) {
            p.write('a');
        }
        p.write('.');
        Path file = dir.resolve("deep.pkl");
        Files.write(file, p.toByteArray());

        assertThatThrownBy(() -> SmplFiles.read(file, -1)).isInstanceOf(PickleException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining("deeper than 1000");
    }

    @Test
    void read_npyHeaderClaimingATrillionValues_isRefusedWithoutAllocating() throws IOException {
        Path file = dir.resolve("huge.npz");
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }";
        String header = dict + " ".repeat(127 - 10 - dict.length()) + "\n";
        ByteArrayOutputStream npy = new ByteArrayOutputStream();
        npy.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        npy.write(header.getBytes(StandardCharsets.US_ASCII));
        npy.write(new byte[64]);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("posedirs.npy"));
            zip.write(npy.toByteArray());
            zip.closeEntry();
        }

        assertThatThrownBy(() -> SmplFiles.read(file, -1)).isInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(file + ":posedirs.npy");
    }

    @Test
    void read_pickleArrayClaimingMoreThanItHolds_isRefused() throws IOException {
        Path file = pklWith(Flavor.PY2, d -> d.put("posedirs", new PickleWriter.Raw(("cnumpy.core.multiarray\n"
                + "_reconstruct\ncnumpy\nndarray\nK\u0000\u0085U\u0001b\u0087R(K\u0001J\u0040\u0042\u000f\u0000J\u0040"
                + "\u0042\u000f\u0000\u0086cnumpy\ndtype\nU\u0002f8K\u0000K\u0001\u0087R(K\u0003U\u0001<NNNJ\u00ff\u00ff"
                + "\u00ff\u00ffJ\u00ff\u00ff\u00ff\u00ffK\u0000tb\u0089U\u0008\u0000\u0000\u0000\u0000\u0000\u0000\u0000"
                + "\u0000tb").getBytes(StandardCharsets.ISO_8859_1))));

        assertThatThrownBy(() -> SmplFiles.read(file, -1)).isInstanceOf(PickleException.class)
                .hasMessageContaining("shape [1000000, 1000000]");
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void read_truncatedFiles_areFileFormatExceptionsNamingTheFile(Layout layout) throws IOException {
        Path good = dir.resolve("good" + layout.extension());
        layout.write(randomModel(12, 20, 10, Gender.NEUTRAL), good);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut" + layout.extension());
        for (int len : new int[] {1, 2, 3, 4, 30, 100, bytes.length / 3, bytes.length / 2, bytes.length - 22,
            bytes.length - 2, bytes.length - 1}) {
            Files.write(cut, Arrays.copyOf(bytes, len));
            assertThatThrownBy(() -> SmplFiles.read(cut, -1)).as("prefix of %d bytes", len)
                    .isInstanceOf(FileFormatException.class).hasMessageStartingWith(cut.toString());
        }
    }

    @Test
    void read_corruptDeflatedEntry_namesTheEntry() throws IOException {
        Path file = dir.resolve("SMPL_NEUTRAL.npz");
        SmplFileFixtures.writeNpz(randomModel(13, V, 10, Gender.NEUTRAL), file);
        byte[] b = Files.readAllBytes(file);
        // The local header of posedirs.npy: 30 fixed bytes, the name, the extra field, then the deflated data.
        int name = indexOf(b, "posedirs.npy".getBytes(StandardCharsets.US_ASCII));
        int header = name - 30;
        int extra = (b[header + 28] & 0xFF) | (b[header + 29] & 0xFF) << 8;
        int data = name + "posedirs.npy".length() + extra;
        int end = indexOf(b, "J_regressor.npy".getBytes(StandardCharsets.US_ASCII)) - 30; // the next entry
        assertThat(b[header + 8]).as("deflated").isEqualTo((byte) 8);
        assertThat(end - data).isGreaterThan(1000);
        for (int k = 0; k < 4; k++) {
            b[(data + end) / 2 + 37 * k] ^= (byte) 0x5A;
        }
        Files.write(file, b);

        assertThatThrownBy(() -> SmplFiles.read(file, -1)).isInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(file + ":posedirs.npy: ");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    /**
     * Random byte flips, truncations, insertions and deletions of small valid files in every layout: only
     * IOExceptions may escape, never another exception or an error, and their messages name the file.
     */
    @Test
    void read_fuzzedFiles_throwOnlyIOExceptions() throws IOException {
        ModelData m = randomModel(14, 8, 2, Gender.NEUTRAL);
        Random rnd = new Random(20240601);
        Path fuzzed = dir.resolve("fuzzed.bin");
        int cases = 0;
        int loaded = 0;
        for (Layout layout : Layout.values()) {
            Path good = dir.resolve("fuzz" + layout.extension());
            layout.write(m, good);
            byte[] base = Files.readAllBytes(good);
            byte[] stored = null;
            if (layout == Layout.NAIVE_NPZ) {
                SmplFileFixtures.writeNaiveNpz(m, good, false);
                stored = Files.readAllBytes(good);
            }
            for (int c = 0; c < 500; c++) {
                byte[] source = stored != null && c % 2 == 0 ? stored : base;
                byte[] mutated = mutate(source, rnd);
                Files.write(fuzzed, mutated);
                cases++;
                try {
                    SmplFiles.read(fuzzed, -1);
                    loaded++;
                } catch (IOException expected) {
                    // the only allowed outcome besides loading
                    assertThat(expected.getMessage()).as("%s case %d", layout, c).startsWith(fuzzed.toString());
                } catch (Throwable t) {
                    fail(layout + " case " + c + ": " + t + " escaped; mutated file of " + mutated.length
                            + " bytes", t);
                }
            }
        }
        assertThat(loaded).isLessThan(cases / 2); // most mutations did reach the parsers' checks
    }

    /**
     * A position in {@code [0, n)}: half of them anywhere, the rest in the first kilobyte or the last 512 bytes,
     * where the headers, the dict structure and the zip directory are (the middle is mostly array data).
     */
    private static int position(Random rnd, int n) {
        return switch (rnd.nextInt(4)) {
            case 0 -> rnd.nextInt(Math.min(n, 1024));
            case 1 -> n - 1 - rnd.nextInt(Math.min(n, 512));
            default -> rnd.nextInt(n);
        };
    }

    private static byte[] mutate(byte[] base, Random rnd) {
        byte[] b = base.clone();
        int kind = rnd.nextInt(5);
        switch (kind) {
            case 0 -> { // flip 1..8 bytes
                for (int k = 1 + rnd.nextInt(8); k > 0; k--) {
                    b[position(rnd, b.length)] ^= (byte) (1 + rnd.nextInt(255));
                }
            }
            case 1 -> { // set a few bytes to boundary values: lengths and counts become extreme
                byte[] values = {0, (byte) 0xFF, 0x7F, (byte) 0x80, 1};
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    b[position(rnd, b.length)] = values[rnd.nextInt(values.length)];
                }
            }
            case 2 -> b = Arrays.copyOf(b, position(rnd, b.length));
            case 3 -> { // insert 1..16 random bytes
                int at = position(rnd, b.length + 1);
                byte[] ins = new byte[1 + rnd.nextInt(16)];
                rnd.nextBytes(ins);
                byte[] out = new byte[b.length + ins.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(ins, 0, out, at, ins.length);
                System.arraycopy(b, at, out, at + ins.length, b.length - at);
                b = out;
            }
            default -> { // delete 1..16 bytes
                int at = position(rnd, b.length);
                int n = Math.min(1 + rnd.nextInt(16), b.length - at);
                byte[] out = new byte[b.length - n];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + n, out, at, b.length - at - n);
                b = out;
            }
        }
        return b;
    }
}
