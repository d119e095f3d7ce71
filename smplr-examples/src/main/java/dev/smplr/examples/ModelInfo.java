package dev.smplr.examples;

import dev.smplr.core.KinematicTree;
import dev.smplr.io.CscMatrix;
import dev.smplr.io.FileFormatException;
import dev.smplr.io.NdArray;
import dev.smplr.io.Npz;
import dev.smplr.io.SmplPickle;
import dev.smplr.smpl.SmplModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What an SMPL model file holds, for {@code smplr info}: its format, sizes, joint regressor, tree, gender and
 * landmarks, read through the same loader as {@link SmplModel#load(Path)} (so a file {@code info} accepts is a
 * file the library loads). A file of another kind (an image, a mesh, a single array, a motion file, a network)
 * is a {@link FileFormatException} naming what it is.
 */
final class ModelInfo {
    /** Keys the loader reads; the others are listed as ignored. */
    private static final Set<String> READ = Set.of("v_template", "shapedirs", "posedirs", "J_regressor", "weights",
            "kintree_table", "f", "bs_style", "bs_type", "gender", "landmark_vertices");

    private ModelInfo() {
    }

    /**
     * @param file the file
     * @return label → value, in display order
     * @throws FileFormatException if the file is not an SMPL model; the message names what it is
     * @throws IOException         if it cannot be read
     */
    static Map<String, String> describe(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new FileFormatException(file + ": a directory" + (Files.exists(file.resolve("manifest.json"))
                    ? " (a weights directory, with manifest.json)" : "") + ", not an SMPL model file (.pkl or .npz)");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(16);
        }
        String format = format(file, head);
        Map<String, Object> raw = format.startsWith("Python pickle") ? SmplPickle.read(file)
                : Npz.readAny(file, null, SmplPickle.objectArrayReader());
        if (!raw.containsKey("v_template") || !raw.containsKey("f")) {
            throw new FileFormatException(file + ": " + notAModel(raw) + ", not an SMPL body model (no key "
                    + (raw.containsKey("v_template") ? "'f'" : "'v_template'") + "); keys " + keys(raw));
        }
        SmplModel model = SmplModel.load(file); // every consistency check; its message names file and key

        Map<String, String> info = new LinkedHashMap<>();
        info.put("file", file.getFileName() + " (" + megabytes(Files.size(file)) + ")");
        info.put("format", format);
        int faces = model.faces().length / 3;
        info.put("vertices", Integer.toString(model.vertexCount()));
        info.put("faces", faces + " triangles");
        info.put("shape components", model.shapeCount() + "  (shapedirs " + describe(raw.get("shapedirs")) + ")");
        NdArray posedirs = (NdArray) raw.get("posedirs");
        info.put("pose blend shapes", posedirs.dim(2) + " = 23 joints × 9  (posedirs " + posedirs.describe() + ")");
        info.put("joint regressor", regressor(raw.get("J_regressor")));
        info.put("kinematic tree", tree((NdArray) raw.get("kintree_table")));
        info.put("blend skinning", raw.containsKey("bs_style") ? text(raw.get("bs_style")) + ", "
                + text(raw.get("bs_type")) : "lbs (keys bs_style/bs_type absent)");
        info.put("gender", model.gender().name().toLowerCase(Locale.ROOT)
                + (raw.containsKey("gender") ? "  (key 'gender')" : "  (from the file name)"));
        info.put("landmarks", model.landmarkVertices().length + (raw.containsKey("landmark_vertices")
                ? " vertices (key 'landmark_vertices')" : " vertices (SMPL's, for a 6890-vertex mesh)"));
        float[] t = model.template();
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (int v = 0; v < model.vertexCount(); v++) {
            lo = Math.min(lo, t[3 * v + 1]);
            hi = Math.max(hi, t[3 * v + 1]);
        }
        info.put("template height", String.format(Locale.ROOT, "%.3f m (T-pose, y extent)", hi - lo));
        List<String> ignored = new ArrayList<>();
        for (String k : raw.keySet()) {
            if (!READ.contains(k)) {
                ignored.add(k);
            }
        }
        info.put("ignored keys", ignored.isEmpty() ? "none" : String.join(", ", ignored));
        return info;
    }

    /** The format by the first bytes, or a {@link FileFormatException} naming another kind of file. */
    private static String format(Path file, byte[] h) throws IOException {
        if (h.length == 0) {
            throw new FileFormatException(file + ": an empty file, not an SMPL model (.pkl or .npz)");
        }
        int b0 = h[0] & 0xFF;
        if (b0 == 0x80 && h.length > 1) {
            return "Python pickle, protocol " + (h[1] & 0xFF) + " (official SMPL .pkl layout)";
        }
        if (b0 == '(' || b0 == '}' || b0 == ']') {
            return "Python pickle, protocol 0 or 1 (official SMPL .pkl layout)";
        }
        if (starts(h, "PK\u0003\u0004") || starts(h, "PK\u0005\u0006")) {
            return zip(file);
        }
        String kind = null;
        if (b0 == 0x93 && starts(h, "\u0093NUMPY")) {
            kind = "a single NumPy .npy array";
        } else if (starts(h, "\u0089PNG")) {
            kind = "a PNG image";
        } else if (b0 == 0xFF && (h[1] & 0xFF) == 0xD8) {
            kind = "a JPEG image";
        } else if (starts(h, "GIF8")) {
            kind = "a GIF image";
        } else if (starts(h, "glTF")) {
            kind = "a binary glTF (GLB) mesh";
        } else if (starts(h, "ply")) {
            kind = "a PLY mesh";
        } else if (starts(h, "MATLAB")) {
            kind = "a MATLAB .mat file";
        } else if (starts(h, "%PDF")) {
            kind = "a PDF document";
        } else if (b0 == '{' || b0 == '[') {
            kind = "a JSON document";
        } else {
            String text = new String(h, StandardCharsets.ISO_8859_1);
            if (text.startsWith("v ") || text.startsWith("o ") || text.startsWith("mtllib") || text.startsWith("#")
                    && file.toString().toLowerCase(Locale.ROOT).endsWith(".obj")) {
                kind = "a Wavefront OBJ mesh";
            }
        }
        if (kind == null) {
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < Math.min(8, h.length); i++) {
                hex.append(String.format(Locale.ROOT, "%s%02x", i == 0 ? "" : " ", h[i] & 0xFF));
            }
            kind = "unrecognised content (first bytes " + hex + ")";
        }
        throw new FileFormatException(file + ": " + kind + ", not an SMPL model (a .pkl pickle or an .npz archive)");
    }

    /** An .npz is a zip of .npy entries; a DL4J network or another zip is named as such. */
    private static String zip(Path file) throws IOException {
        List<String> names = new ArrayList<>();
        boolean deflated = false;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                names.add(entry.getName());
                deflated |= entry.getMethod() == ZipEntry.DEFLATED;
            }
        } catch (java.util.zip.ZipException e) {
            throw new FileFormatException(file + ": a broken zip archive (" + e.getMessage() + "), not an SMPL model",
                    e);
        }
        if (names.contains("configuration.json") && names.contains("coefficients.bin")) {
            throw new FileFormatException(file + ": a DL4J network (zip with configuration.json and coefficients.bin),"
                    + " not an SMPL model");
        }
        if (names.isEmpty() || !names.stream().allMatch(n -> n.endsWith(".npy"))) {
            throw new FileFormatException(file + ": a zip archive of " + (names.size() > 6
                    ? names.subList(0, 6) + " and " + (names.size() - 6) + " more" : names)
                    + ", not a NumPy .npz of arrays (an SMPL model is a .pkl or an .npz)");
        }
        return "NumPy .npz, " + names.size() + " arrays, " + (deflated ? "deflated" : "stored");
    }

    private static String notAModel(Map<String, Object> raw) {
        if (raw.containsKey("poses") || raw.containsKey("trans") || raw.containsKey("mocap_framerate")) {
            return "a motion file (poses " + describe(raw.get("poses")) + ", for PoseSampler)";
        }
        return "a file of " + raw.size() + " arrays or values";
    }

    private static String keys(Map<String, Object> raw) {
        List<String> k = new ArrayList<>(raw.keySet());
        return k.size() > 8 ? k.subList(0, 8) + " and " + (k.size() - 8) + " more" : k.toString();
    }

    private static String regressor(Object o) {
        if (o instanceof CscMatrix m) {
            double[] dense = m.toDense();
            return "sparse csc_matrix (" + m.rows() + ", " + m.cols() + "), " + m.nnz() + " non-zeros, "
                    + rowSums(dense, m.rows(), m.cols());
        }
        NdArray a = (NdArray) o;
        double[] dense = a.toDoubleArray();
        int nonZero = 0;
        for (double v : dense) {
            nonZero += v != 0 ? 1 : 0;
        }
        return "dense " + a.describe() + ", " + nonZero + " non-zeros, " + rowSums(dense, a.dim(0), a.dim(1));
    }

    /** Each joint a weighted mean of vertices: rows should sum to 1. */
    private static String rowSums(double[] dense, int rows, int cols) {
        double worst = 0;
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int c = 0; c < cols; c++) {
                s += dense[r * cols + c];
            }
            worst = Math.max(worst, Math.abs(s - 1));
        }
        return worst < 1e-4 ? "rows sum to 1" : String.format(Locale.ROOT, "rows sum to 1 ± %.2g (check)", worst);
    }

    private static String tree(NdArray kintree) {
        long[] t = kintree.toLongArray();
        int n = kintree.dim(1);
        int[] smpl = KinematicTree.smpl().parents();
        List<Integer> differ = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            long p = t[j] == 0xFFFF_FFFFL ? -1 : t[j];
            if (j >= smpl.length || p != smpl[j]) {
                differ.add(j);
            }
        }
        return n + " joints, " + (differ.isEmpty() ? "SMPL's parents (ok)" : "parents differ from SMPL's at joints "
                + differ);
    }

    private static String describe(Object o) {
        return o instanceof NdArray a ? a.describe() : o == null ? "absent" : o.getClass().getSimpleName();
    }

    private static String text(Object o) {
        if (o instanceof byte[] b) {
            return new String(b, StandardCharsets.ISO_8859_1);
        }
        if (o instanceof NdArray a && a.size() == 1) {
            try {
                return a.stringValue();
            } catch (RuntimeException e) {
                return a.describe();
            }
        }
        return String.valueOf(o);
    }

    private static boolean starts(byte[] h, String magic) {
        if (h.length < magic.length()) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if ((h[i] & 0xFF) != magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String megabytes(long bytes) {
        return bytes < 1 << 20 ? String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
}
