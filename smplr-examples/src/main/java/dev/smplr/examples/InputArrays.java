package dev.smplr.examples;

import dev.smplr.core.internal.Checks;
import dev.smplr.io.FileFormatException;
import dev.smplr.io.NdArray;
import dev.smplr.io.Npy;
import dev.smplr.smpl.training.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads a small array of rows (41 points of x, y, z; 24 joints of axis-angle) from a file, the format told by its
 * content:
 * <ul>
 *   <li>NumPy {@code .npy} (starts with {@code \x93NUMPY}): shape {@code (rows, cols)}, {@code (rows*cols,)} or
 *       {@code (1, rows, cols)}, any numeric dtype;</li>
 *   <li>JSON (starts with {@code [} or {@code {}): a flat array of {@code rows*cols} numbers, an array of
 *       {@code rows} arrays of {@code cols}, or an object holding either under one of the given keys;</li>
 *   <li>otherwise CSV: one row per line of {@code cols} numbers separated by commas, semicolons or spaces (or one
 *       line of all values); blank lines and lines starting with {@code #} are skipped, and so is a first line
 *       that is not numbers (a header).</li>
 * </ul>
 * Every problem is a {@link FileFormatException} naming the file and what was expected and found.
 */
final class InputArrays {
    /** Files larger than this are not small arrays: refuse before reading them. */
    private static final long MAX_BYTES = 16L << 20;

    private InputArrays() {
    }

    /**
     * @param file the file
     * @param keys JSON object keys that may hold the array, in order of preference
     * @param rows the number of rows
     * @param cols values per row
     * @param what the rows' description for messages, e.g. {@code "41 points of x, y, z"}
     * @return {@code rows*cols} finite values, row-major
     * @throws FileFormatException if the content is not such an array
     * @throws IOException         if the file cannot be read
     */
    static float[] read(Path file, List<String> keys, int rows, int cols, String what) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new FileFormatException(file + ": " + size + " bytes is too large for " + what + " (at most "
                    + MAX_BYTES + ")");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(6);
        }
        float[] values;
        if (head.length == 6 && (head[0] & 0xFF) == 0x93 && new String(head, 1, 5, StandardCharsets.US_ASCII)
                .equals("NUMPY")) {
            values = npy(file, rows, cols, what);
        } else {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new FileFormatException(file + ": empty file; expected " + what);
            }
            char c = text.charAt(0);
            values = c == '[' || c == '{' ? json(file, text, keys, rows, cols, what) : csv(file, text, rows, cols,
                    what);
        }
        try {
            return Checks.rows(keys.isEmpty() ? "values" : keys.get(0), values, rows, cols, what);
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(file + ": " + e.getMessage(), e);
        }
    }

    private static float[] npy(Path file, int rows, int cols, String what) throws IOException {
        NdArray a = Npy.read(file);
        int[] s = a.shape();
        boolean ok = Arrays.equals(s, new int[] {rows, cols}) || Arrays.equals(s, new int[] {rows * cols})
                || Arrays.equals(s, new int[] {1, rows, cols});
        if (!ok) {
            throw new FileFormatException(file + ": expected " + what + ", shape (" + rows + ", " + cols + ") or ("
                    + rows * cols + ",), found " + a.describe());
        }
        try {
            return a.toFloatArray();
        } catch (RuntimeException e) {
            throw new FileFormatException(file + ": expected numbers, found " + a.describe(), e);
        }
    }

    private static float[] json(Path file, String text, List<String> keys, int rows, int cols, String what)
            throws FileFormatException {
        Object v;
        try {
            v = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(file + ": not JSON: " + e.getMessage(), e);
        }
        String where = "the top level";
        if (v instanceof Map<?, ?> m) {
            Object found = null;
            for (String k : keys) {
                if (m.containsKey(k)) {
                    found = m.get(k);
                    where = "key '" + k + "'";
                    break;
                }
            }
            if (found == null) {
                throw new FileFormatException(file + ": expected " + what + " under key "
                        + String.join(" or ", keys.stream().map(k -> "'" + k + "'").toList()) + ", found keys "
                        + m.keySet());
            }
            v = found;
        }
        if (!(v instanceof List<?> list)) {
            throw new FileFormatException(file + ": " + where + ": expected an array of " + what + ", found "
                    + kind(v));
        }
        float[] out = new float[rows * cols];
        if (!list.isEmpty() && list.get(0) instanceof List<?>) {
            if (list.size() != rows) {
                throw new FileFormatException(file + ": " + where + ": expected " + what + " (" + rows
                        + " arrays of " + cols + "), found " + list.size() + " arrays");
            }
            for (int r = 0; r < rows; r++) {
                if (!(list.get(r) instanceof List<?> row) || row.size() != cols) {
                    throw new FileFormatException(file + ": " + where + ": row " + r + ": expected " + cols
                            + " numbers, found " + (list.get(r) instanceof List<?> l ? l.size() + " values"
                            : kind(list.get(r))));
                }
                for (int c = 0; c < cols; c++) {
                    out[r * cols + c] = number(file, where, row.get(c), r * cols + c);
                }
            }
            return out;
        }
        if (list.size() != rows * cols) {
            throw new FileFormatException(file + ": " + where + ": expected " + what + " (" + rows * cols
                    + " numbers, or " + rows + " arrays of " + cols + "), found " + list.size() + " values");
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = number(file, where, list.get(i), i);
        }
        return out;
    }

    private static float number(Path file, String where, Object v, int index) throws FileFormatException {
        if (v instanceof Number n) { // Long for integers, Double otherwise
            return n.floatValue();
        }
        throw new FileFormatException(file + ": " + where + ": value " + index + ": expected a number, found "
                + kind(v));
    }

    private static String kind(Object v) {
        return v == null ? "null" : v instanceof Map<?, ?> ? "an object" : v instanceof List<?> ? "an array"
                : v instanceof String s ? "the string \"" + (s.length() > 20 ? s.substring(0, 20) + "..." : s) + "\""
                : v.toString();
    }

    private static float[] csv(Path file, String text, int rows, int cols, String what) throws FileFormatException {
        List<float[]> lines = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        String[] all = text.split("\\R");
        boolean first = true;
        for (int n = 0; n < all.length; n++) {
            String line = all[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s*[,;\\s]\\s*");
            float[] values = new float[fields.length];
            try {
                for (int i = 0; i < fields.length; i++) {
                    values[i] = Float.parseFloat(fields[i]);
                }
            } catch (NumberFormatException e) {
                if (first) {
                    first = false; // a header
                    continue;
                }
                throw new FileFormatException(file + ": line " + (n + 1) + ": expected " + cols
                        + " numbers, found '" + (line.length() > 40 ? line.substring(0, 40) + "..." : line) + "'", e);
            }
            first = false;
            lines.add(values);
            lineNumbers.add(n + 1);
        }
        if (lines.size() == 1 && lines.get(0).length == rows * cols) {
            return lines.get(0);
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).length != cols) {
                throw new FileFormatException(file + ": line " + lineNumbers.get(i) + ": expected " + cols
                        + " values per row (" + what + "), found " + lines.get(i).length);
            }
        }
        if (lines.size() != rows) {
            throw new FileFormatException(file + ": expected " + what + " (" + rows + " rows of " + cols
                    + "), found " + lines.size() + " rows");
        }
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(lines.get(r), 0, out, r * cols, cols);
        }
        return out;
    }
}
