package dev.smplr.smpl;

import dev.smplr.core.Gender;
import dev.smplr.core.SmplrLandmark;
import dev.smplr.io.CscMatrix;
import dev.smplr.io.FileFormatException;
import dev.smplr.io.NdArray;
import dev.smplr.io.NdArray.DType;
import dev.smplr.io.Npz;
import dev.smplr.io.SmplPickle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads SMPL model files into {@link ModelData} and writes {@code ModelData} as {@code .npz}.
 *
 * <p><b>Formats</b>, told apart by their first bytes, never by the file name: a Python pickle (the official
 * {@code .pkl} files of SMPL v1.0 and v1.1 and their Python 3 conversions, read with the restricted unpickler
 * {@link SmplPickle}) or a numpy {@code .npz} (converted files; a naive conversion's sparse {@code J_regressor}
 * held as a pickled 0-d object array is read through the same restricted unpickler). Layouts as in SMPL.md:
 * <table>
 *   <caption>Keys read</caption>
 *   <tr><th>key</th><th>shape</th><th>accepted</th></tr>
 *   <tr><td>{@code v_template}</td><td>(V, 3)</td><td>f4 or f8</td></tr>
 *   <tr><td>{@code shapedirs}</td><td>(V, 3, B)</td><td>f4 or f8, ndarray or chumpy Ch; B = 10 (v1.0), 300 (v1.1)</td></tr>
 *   <tr><td>{@code posedirs}</td><td>(V, 3, 207)</td><td>f4 or f8</td></tr>
 *   <tr><td>{@code J_regressor}</td><td>(24, V)</td><td>scipy csc_matrix (also pickled in an object array) or a
 *       dense f4/f8 array</td></tr>
 *   <tr><td>{@code weights}</td><td>(V, 24)</td><td>f4 or f8, rows summing to 1</td></tr>
 *   <tr><td>{@code kintree_table}</td><td>(2, 24)</td><td>integers (floats only if integral); row 0 the parents,
 *       the root's -1 or 4294967295; row 1 the joints 0..23</td></tr>
 *   <tr><td>{@code f}</td><td>(F, 3)</td><td>integers</td></tr>
 *   <tr><td>{@code bs_style}, {@code bs_type}</td><td>text</td><td>optional; if present {@code 'lbs'} and
 *       {@code 'lrotmin'}</td></tr>
 *   <tr><td>{@code gender}</td><td>text</td><td>optional: {@code female}, {@code male} or {@code neutral}</td></tr>
 *   <tr><td>{@code landmark_vertices}</td><td>(18,)</td><td>optional integers: the SMPLR landmark vertices</td></tr>
 * </table>
 * Other keys ({@code J}, {@code J_regressor_prior}, {@code weights_prior}, {@code vert_sym_idxs},
 * {@code pose_training_info}, ...) are ignored.
 *
 * <p><b>Gender</b>: the {@code gender} key if present; otherwise the file name: a name containing
 * {@code female} is {@link Gender#FEMALE}, else one containing {@code neutral} is {@link Gender#NEUTRAL}, else one
 * containing {@code male} is {@link Gender#MALE}, else a name part {@code f} or {@code m} between underscores,
 * dots or dashes ({@code basicModel_f_lbs_10_207_0_v1.0.0.pkl}) is female or male; anything else is
 * {@link Gender#NEUTRAL}. Case is ignored; the directory is not looked at.
 *
 * <p><b>Landmarks</b>: the 18 SMPLR landmark vertex ids come from {@code landmark_vertices} if present,
 * otherwise, for SMPL's V = 6890 mesh, from {@link SmplrLandmark#smplVertices()}. A file with another vertex
 * count and no such key is refused.
 *
 * <p><b>Shape components</b>: the caller asks for a number of them; the file must have at least that many. They
 * are never cut silently: asking for more than the file has is an error naming both counts.
 *
 * <p>Every problem with the content is a {@link FileFormatException} whose message names the file and the key,
 * e.g. {@code SMPL_NEUTRAL.pkl: key 'shapedirs': expected (6890, 3, B), found (6890, 3)}.
 */
final class SmplFiles {

    /** SMPL+H (52 joints) posedirs: 51 × 9. */
    private static final int SMPLH_POSE_FEATURES = 459;
    /** SMPL-X (55 joints) posedirs: 54 × 9. */
    private static final int SMPLX_POSE_FEATURES = 486;

    private static final List<String> REQUIRED = List.of("v_template", "shapedirs", "posedirs", "J_regressor",
            "weights", "kintree_table", "f");

    private SmplFiles() {
    }

    // ---- reading ---------------------------------------------------------------------------------------------

    /**
     * Reads an SMPL model file, detecting its format by content.
     *
     * @param file     an official {@code .pkl} or an {@code .npz} in the same layout
     * @param numBetas how many shape components to keep (the first ones), or -1 for all the file has
     * @return the model, with {@code source} the file name
     * @throws IllegalArgumentException if {@code numBetas} is below -1, or more than the file has (naming both
     *                                  counts)
     * @throws FileFormatException      if the file is neither a pickle nor an {@code .npz}, cannot be decoded, misses
     *                                  a key, or an array has the wrong type, shape or values; the message names
     *                                  the file and the key
     * @throws IOException              if the file cannot be read
     */
    static ModelData read(Path file, int numBetas) throws IOException {
        Objects.requireNonNull(file, "file");
        if (numBetas < -1) {
            throw new IllegalArgumentException("numBetas: expected -1 (all) or a count of at least 0, got "
                    + numBetas);
        }
        String name = file.toString();
        Map<String, Object> values = switch (detect(file)) {
            case PICKLE -> SmplPickle.read(file);
            case NPZ -> Npz.readAny(file, null, SmplPickle.objectArrayReader());
        };
        return new Reader(name, values).model(file, numBetas);
    }

    private enum Format { PICKLE, NPZ }

    private static Format detect(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(8);
        }
        if (head.length == 0) {
            throw new FileFormatException(file + ": empty file; expected an SMPL model (.pkl pickle or .npz)");
        }
        int b0 = head[0] & 0xFF;
        // PROTO (protocol 2 and later), or how protocols 0 and 1 start a dict or list: MARK, EMPTY_DICT, EMPTY_LIST.
        if (b0 == 0x80 || b0 == '(' || b0 == '}' || b0 == ']') {
            return Format.PICKLE;
        }
        // A local file header, or the end record of an empty archive.
        if (startsWith(head, 'P', 'K', 3, 4) || startsWith(head, 'P', 'K', 5, 6)) {
            return Format.NPZ;
        }
        if (startsWith(head, 0x93, 'N', 'U', 'M', 'P', 'Y')) {
            throw new FileFormatException(file + ": a single .npy array, not a model; expected an SMPL model "
                    + "(.pkl pickle or .npz archive of arrays)");
        }
        throw new FileFormatException(file + ": unrecognised format: the file starts with bytes " + hex(head)
                + "; expected an SMPL model as a Python pickle (.pkl, first byte 0x80 for protocol 2) or a numpy "
                + ".npz (a zip archive, first bytes 'PK\\x03\\x04')");
    }

    private static boolean startsWith(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%02x", x & 0xFF));
        }
        sb.append(" ('");
        for (byte x : b) {
            sb.append(x >= 0x20 && x < 0x7F ? (char) x : '.');
        }
        return sb.append("')").toString();
    }

    /** Turns the decoded key-value map of one file into checked float32 arrays. */
    private static final class Reader {
        private final String file;
        private final Map<String, Object> values;

        Reader(String file, Map<String, Object> values) {
            this.file = file;
            this.values = values;
        }

        ModelData model(Path path, int numBetas) throws FileFormatException {
            for (String k : REQUIRED) {
                if (!values.containsKey(k)) {
                    throw new FileFormatException(file + ": missing key '" + k + "'; an SMPL model needs "
                            + REQUIRED + ", the file holds " + values.keySet());
                }
            }
            requireText("bs_style", "lbs");
            requireText("bs_type", "lrotmin");

            NdArray vt = floats("v_template");
            if (vt.ndim() != 2 || vt.dim(1) != 3 || vt.dim(0) == 0) {
                throw wrongShape("v_template", "(V, 3)", vt);
            }
            int v = vt.dim(0);

            NdArray sd = floats("shapedirs");
            if (sd.ndim() != 3 || sd.dim(0) != v || sd.dim(1) != 3) {
                throw wrongShape("shapedirs", "(" + v + ", 3, B)", sd);
            }

            NdArray pd = floats("posedirs");
            if (pd.ndim() == 3 && pd.dim(0) == v && pd.dim(1) == 3 && pd.dim(2) == SMPLH_POSE_FEATURES) {
                throw new FileFormatException(file + ": key 'posedirs': " + shape(pd) + " is an SMPL+H file; this "
                        + "library reads SMPL (" + ModelData.POSE_FEATURES + ")");
            }
            if (pd.ndim() == 3 && pd.dim(0) == v && pd.dim(1) == 3 && pd.dim(2) == SMPLX_POSE_FEATURES) {
                throw new FileFormatException(file + ": key 'posedirs': " + shape(pd) + " is an SMPL-X file; this "
                        + "library reads SMPL (" + ModelData.POSE_FEATURES + ")");
            }
            if (pd.ndim() != 3 || pd.dim(0) != v || pd.dim(1) != 3 || pd.dim(2) != ModelData.POSE_FEATURES) {
                throw wrongShape("posedirs", "(" + v + ", 3, " + ModelData.POSE_FEATURES + ")", pd);
            }
            // After posedirs, so that an SMPL+H file is named as such whatever count was asked for.
            int available = sd.dim(2);
            if (numBetas > available) {
                throw new IllegalArgumentException("numBetas: asked for " + numBetas + " shape components, but "
                        + file + " has " + available + " (key 'shapedirs' " + shape(sd) + ")");
            }
            int betas = numBetas < 0 ? available : numBetas;

            float[] jRegressor = jRegressor(v);

            NdArray w = floats("weights");
            if (w.ndim() != 2 || w.dim(0) != v || w.dim(1) != ModelData.JOINTS) {
                throw wrongShape("weights", "(" + v + ", " + ModelData.JOINTS + ")", w);
            }

            int[] faces = faces(v);
            int[] parents = parents();
            int[] landmarks = landmarks(v);
            Gender gender = gender(path);

            try {
                return new ModelData(gender, vt.toFloatArray(), firstBetas(sd, betas), betas, pd.toFloatArray(),
                        jRegressor, w.toFloatArray(), faces, parents, landmarks, fileName(path));
            } catch (IllegalArgumentException e) {
                throw fromModelData(e);
            }
        }

        /** ModelData names the key first ({@code weights: row 17 ...}); put the file in front. */
        private FileFormatException fromModelData(IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            int colon = m.indexOf(": ");
            if (colon > 0 && m.substring(0, colon).matches("[A-Za-z_]+")) {
                return new FileFormatException(file + ": key '" + m.substring(0, colon) + "': "
                        + m.substring(colon + 2), e);
            }
            return new FileFormatException(file + ": " + m, e);
        }

        private FileFormatException wrongShape(String key, String expected, NdArray found) {
            return new FileFormatException(file + ": key '" + key + "': expected " + expected + ", found "
                    + shape(found));
        }

        private FileFormatException wrongType(String key, String expected, Object found) {
            return new FileFormatException(file + ": key '" + key + "': expected " + expected + ", found "
                    + describe(found));
        }

        private NdArray floats(String key) throws FileFormatException {
            Object o = values.get(key);
            if (o instanceof NdArray a && (a.dtype() == DType.FLOAT32 || a.dtype() == DType.FLOAT64)) {
                return a;
            }
            throw wrongType(key, "a float32 or float64 array", o);
        }

        /** An integer array; floating-point values are accepted only when integral. */
        private long[] integers(String key, NdArray a) throws FileFormatException {
            if (a.dtype() == DType.UNICODE || a.dtype() == DType.BOOL) {
                throw wrongType(key, "an integer array", a);
            }
            try {
                return a.toLongArray();
            } catch (ArithmeticException e) {
                throw new FileFormatException(file + ": key '" + key + "': expected integers, found "
                        + e.getMessage(), e);
            }
        }

        private NdArray array(String key) throws FileFormatException {
            Object o = values.get(key);
            if (o instanceof NdArray a) {
                return a;
            }
            throw wrongType(key, "an integer array", o);
        }

        private float[] jRegressor(int v) throws FileFormatException {
            Object o = values.get("J_regressor");
            String expected = "(" + ModelData.JOINTS + ", " + v + ")";
            if (o instanceof CscMatrix m) {
                if (m.rows() != ModelData.JOINTS || m.cols() != v) {
                    throw new FileFormatException(file + ": key 'J_regressor': expected " + expected
                            + ", found a csc_matrix (" + m.rows() + ", " + m.cols() + ")");
                }
                return m.toDenseFloat();
            }
            if (o instanceof NdArray a && (a.dtype() == DType.FLOAT32 || a.dtype() == DType.FLOAT64)) {
                if (a.ndim() != 2 || a.dim(0) != ModelData.JOINTS || a.dim(1) != v) {
                    throw wrongShape("J_regressor", expected, a);
                }
                return a.toFloatArray();
            }
            throw wrongType("J_regressor", "a scipy csc_matrix or a float array " + expected, o);
        }

        private int[] faces(int v) throws FileFormatException {
            NdArray f = array("f");
            if (f.ndim() != 2 || f.dim(1) != 3 || f.dim(0) == 0) {
                throw wrongShape("f", "(F, 3) with F > 0", f);
            }
            long[] ids = integers("f", f);
            int[] out = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] < 0 || ids[i] >= v) {
                    throw new FileFormatException(file + ": key 'f': face " + i / 3 + " refers to vertex "
                            + ids[i] + ", expected [0, " + v + ")");
                }
                out[i] = (int) ids[i];
            }
            return out;
        }

        private int[] parents() throws FileFormatException {
            NdArray k = array("kintree_table");
            int n = ModelData.JOINTS;
            if (k.ndim() != 2 || k.dim(0) != 2 || k.dim(1) != n) {
                throw wrongShape("kintree_table", "(2, " + n + ")", k);
            }
            long[] t = integers("kintree_table", k);
            int[] parents = new int[n];
            for (int j = 0; j < n; j++) {
                long p = t[j];
                // The official files store the root's parent as uint32 -1; converted ones as -1.
                if (p == -1 || p == 0xFFFF_FFFFL) {
                    parents[j] = -1;
                } else if (p < 0 || p >= n) {
                    throw new FileFormatException(file + ": key 'kintree_table': parent of joint " + j + " is " + p
                            + ", expected a joint in [0, " + n + ")" + (j == 0 ? " or -1 (4294967295) for the root" : ""));
                } else {
                    parents[j] = (int) p;
                }
                if (t[n + j] != j) {
                    throw new FileFormatException(file + ": key 'kintree_table': row 1 lists joint " + t[n + j]
                            + " in column " + j + ", expected the joints 0.." + (n - 1) + " in order");
                }
            }
            return parents;
        }

        private int[] landmarks(int v) throws FileFormatException {
            if (!values.containsKey("landmark_vertices")) {
                if (v == 6890) {
                    return SmplrLandmark.smplVertices();
                }
                throw new FileFormatException(file + ": no key 'landmark_vertices', and the mesh has " + v
                        + " vertices, not SMPL's 6890: the " + SmplrLandmark.COUNT + " SMPLR landmark vertex ids "
                        + "are needed for another mesh (key 'landmark_vertices', (" + SmplrLandmark.COUNT
                        + ",) integers)");
            }
            NdArray a = array("landmark_vertices");
            if (a.ndim() != 1 || a.dim(0) != SmplrLandmark.COUNT) {
                throw wrongShape("landmark_vertices", "(" + SmplrLandmark.COUNT + ",)", a);
            }
            long[] ids = integers("landmark_vertices", a);
            int[] out = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] < 0 || ids[i] >= v) {
                    throw new FileFormatException(file + ": key 'landmark_vertices': landmark " + i + " is vertex "
                            + ids[i] + ", expected [0, " + v + ")");
                }
                out[i] = (int) ids[i];
            }
            return out;
        }

        private Gender gender(Path path) throws FileFormatException {
            if (!values.containsKey("gender")) {
                return genderFromName(fileName(path));
            }
            String g = text("gender");
            return switch (g.toLowerCase(Locale.ROOT)) {
                case "female", "f" -> Gender.FEMALE;
                case "male", "m" -> Gender.MALE;
                case "neutral", "n" -> Gender.NEUTRAL;
                default -> throw new FileFormatException(file + ": key 'gender': expected 'female', 'male' or "
                        + "'neutral', found '" + printable(g) + "'");
            };
        }

        private void requireText(String key, String expected) throws FileFormatException {
            if (values.containsKey(key)) {
                String s = text(key);
                if (!s.equals(expected)) {
                    throw new FileFormatException(file + ": key '" + key + "': expected '" + expected + "', found '"
                            + printable(s) + "'; this library reads linear blend skinning with rotation-matrix "
                            + "pose features (SMPL's 'lbs', 'lrotmin')");
                }
            }
        }

        /**
         * A Python str, Python 3 bytes (files re-pickled after loading with {@code encoding='bytes'}), or a
         * one-element unicode array as numpy saves a string.
         */
        private String text(String key) throws FileFormatException {
            Object o = values.get(key);
            if (o instanceof String s) {
                return s;
            }
            if (o instanceof byte[] b && b.length <= 64) {
                return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            if (o instanceof NdArray a && a.dtype() == DType.UNICODE && a.size() == 1) {
                return a.stringValue();
            }
            throw wrongType(key, "a string", o);
        }
    }

    /** Gender from a file name, as the class description says. */
    static Gender genderFromName(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.contains("female")) {
            return Gender.FEMALE;
        }
        if (n.contains("neutral")) {
            return Gender.NEUTRAL;
        }
        if (n.contains("male")) {
            return Gender.MALE;
        }
        List<String> parts = Arrays.asList(n.split("[_.\\-]"));
        if (parts.contains("f")) {
            return Gender.FEMALE;
        }
        if (parts.contains("m")) {
            return Gender.MALE;
        }
        return Gender.NEUTRAL;
    }

    private static String fileName(Path path) {
        Path n = path.getFileName();
        return n == null ? path.toString() : n.toString();
    }

    /** @return the shape as numpy prints it, e.g. {@code (6890, 3)} or {@code (18,)} */
    private static String shape(NdArray a) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < a.ndim(); i++) {
            sb.append(i == 0 ? "" : ", ").append(a.dim(i));
        }
        return sb.append(a.ndim() == 1 ? ",)" : ")").toString();
    }

    /** A short description of a decoded value for messages; never the whole of a large value. */
    private static String describe(Object o) {
        if (o == null) {
            return "None";
        } else if (o instanceof NdArray a) {
            return "an array " + a.describe();
        } else if (o instanceof CscMatrix m) {
            return "a csc_matrix (" + m.rows() + ", " + m.cols() + ")";
        } else if (o instanceof String s) {
            return s.length() <= 32 ? "the string '" + printable(s) + "'" : "a string of length " + s.length();
        } else if (o instanceof byte[] b) {
            return "bytes of length " + b.length;
        } else if (o instanceof Map<?, ?>) {
            return "a dict";
        } else if (o instanceof java.util.Set<?>) {
            return "a set";
        } else if (o instanceof List<?> l) {
            return "a list or tuple of " + l.size();
        } else if (o instanceof Long || o instanceof java.math.BigInteger) {
            return "the int " + o;
        } else if (o instanceof Double) {
            return "the float " + o;
        } else if (o instanceof Boolean) {
            return "the bool " + o;
        } else if (o instanceof DType t) {
            return "the dtype " + t.code();
        }
        return "a " + o.getClass().getSimpleName();
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format(Locale.ROOT, "\\u%04x", (int) c));
        }
        return s.length() > 64 ? sb.append("...").toString() : sb.toString();
    }

    /** shapedirs (V, 3, B) to (V, 3, n), n at most B: out[(3v + k)*n + b] = in[(3v + k)*B + b]. */
    private static float[] firstBetas(NdArray shapeDirs, int n) {
        int b = shapeDirs.dim(2);
        int rows = shapeDirs.dim(0) * 3;
        if (n == b) {
            return shapeDirs.toFloatArray();
        }
        float[] out = new float[rows * n];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < n; c++) {
                out[r * n + c] = (float) shapeDirs.getDouble(r * b + c);
            }
        }
        return out;
    }

    // ---- writing ---------------------------------------------------------------------------------------------

    /**
     * Writes a model as a deflated {@code .npz} in the layout of converted SMPL files, whatever the file's
     * extension: {@code v_template} (V, 3), {@code shapedirs} (V, 3, B), {@code posedirs} (V, 3, 207),
     * {@code J_regressor} (24, V) dense, {@code weights} (V, 24), all float32 (converted files often hold float64;
     * {@link #read} accepts both); {@code kintree_table} (2, 24) uint32 with the root's parent 4294967295, as
     * in the official files; {@code f} (F, 3) uint32; {@code J} (24, 3) float32 = J_regressor · v_template
     * (summed in float64); {@code bs_style} 'lbs' and {@code bs_type} 'lrotmin' as 0-d unicode arrays; and this
     * library's extras {@code landmark_vertices} (18,) int64 and {@code gender} ('female', 'male' or
     * 'neutral', 0-d unicode). The file is replaced atomically. {@link #read} gives back equal arrays.
     *
     * @param model the model. Not modified.
     * @param file  the file to create or replace
     * @throws IOException if the file cannot be written
     */
    static void write(ModelData model, Path file) throws IOException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(file, "file");
        int v = model.vertexCount();
        int joints = ModelData.JOINTS;
        long[] kintree = new long[2 * joints];
        for (int j = 0; j < joints; j++) {
            kintree[j] = model.parents()[j] < 0 ? 0xFFFF_FFFFL : model.parents()[j];
            kintree[joints + j] = j;
        }
        long[] faces = new long[model.faces().length];
        for (int i = 0; i < faces.length; i++) {
            faces[i] = model.faces()[i];
        }
        float[] jRest = new float[3 * joints];
        for (int j = 0; j < joints; j++) {
            // J[j,k] = sum_v J_regressor[j,v] * v_template[v,k]
            for (int k = 0; k < 3; k++) {
                double s = 0;
                for (int i = 0; i < v; i++) {
                    s += (double) model.jRegressor()[j * v + i] * model.vTemplate()[3 * i + k];
                }
                jRest[3 * j + k] = (float) s;
            }
        }
        long[] landmarks = new long[model.landmarkVertices().length];
        for (int i = 0; i < landmarks.length; i++) {
            landmarks[i] = model.landmarkVertices()[i];
        }
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("v_template", NdArray.of(new int[] {v, 3}, model.vTemplate()));
        arrays.put("shapedirs", NdArray.of(new int[] {v, 3, model.shapeCount()}, model.shapeDirs()));
        arrays.put("posedirs", NdArray.of(new int[] {v, 3, ModelData.POSE_FEATURES}, model.poseDirs()));
        arrays.put("J_regressor", NdArray.of(new int[] {joints, v}, model.jRegressor()));
        arrays.put("weights", NdArray.of(new int[] {v, joints}, model.lbsWeights()));
        arrays.put("kintree_table", NdArray.of(DType.UINT32, new int[] {2, joints}, kintree));
        arrays.put("f", NdArray.of(DType.UINT32, new int[] {faces.length / 3, 3}, faces));
        arrays.put("J", NdArray.of(new int[] {joints, 3}, jRest));
        arrays.put("bs_style", NdArray.ofString("lbs"));
        arrays.put("bs_type", NdArray.ofString("lrotmin"));
        arrays.put("landmark_vertices", NdArray.of(new int[] {landmarks.length}, landmarks));
        arrays.put("gender", NdArray.ofString(model.gender().name().toLowerCase(Locale.ROOT)));
        Npz.write(arrays, file, true);
    }
}
