package dev.smplr.io;

import dev.smplr.core.internal.Checks;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads triangle meshes from Wavefront OBJ files, such as those {@link MeshWriter#writeObj} writes or that
 * modelling tools export.
 */
public final class MeshReader {

    private MeshReader() {
    }

    /**
     * Reads the vertex positions and faces of an OBJ file.
     *
     * <p>Reads {@code v x y z} lines (further numbers, such as {@code w} or vertex colours, are ignored) and
     * {@code f} lines whose corners may be written {@code v}, {@code v/vt}, {@code v/vt/vn} or {@code v//vn};
     * only the position index is used. Indices are 1-based, or negative to count back from the last vertex
     * defined so far ({@code -1} is the latest). A polygon with n &gt; 3 corners becomes the fan of n - 2
     * triangles {@code (c0, ci, ci+1)}. Comments ({@code #} to the end of a line) and a trailing backslash,
     * which continues a statement on the next line, are honoured; all other statements ({@code vn}, {@code vt},
     * {@code g}, {@code o}, {@code s}, {@code usemtl}, {@code mtllib}, lines, ...) are skipped.
     *
     * @param file the OBJ file, text in an ASCII-compatible encoding
     * @return the mesh: positions in file order, triangles in file order
     * @throws IllegalArgumentException if {@code file} is null
     * @throws IOException              if the file cannot be read, or, naming the file and line: a {@code v} has
     *                                  fewer than three numbers or a non-finite one, an {@code f} has fewer than
     *                                  three corners or an index that is not an integer, is 0, or refers to a
     *                                  vertex not defined before it; or the file defines no vertex
     */
    public static Mesh readObj(Path file) throws IOException {
        Checks.notNull("file", file);
        float[] v = new float[3 * 1024];
        int nv = 0; // floats used in v
        int[] f = new int[3 * 1024];
        int nf = 0; // ints used in f
        int[] corners = new int[16];
        // ISO-8859-1 maps every byte to a char, so comments in any encoding cannot fail decoding.
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            long lineNo = 0;
            String raw;
            while ((raw = in.readLine()) != null) {
                lineNo++;
                long firstLine = lineNo;
                String line = stripComment(raw);
                while (line.endsWith("\\")) {
                    String next = in.readLine();
                    line = line.substring(0, line.length() - 1);
                    if (next == null) {
                        break;
                    }
                    lineNo++;
                    line = line + ' ' + stripComment(next);
                }
                String[] tok = line.trim().split("\\s+");
                if (tok[0].equals("v")) {
                    if (tok.length < 4) {
                        throw error(file, firstLine, "expected 'v x y z', found '" + line.trim() + "'");
                    }
                    if (nv + 3 > v.length) {
                        v = Arrays.copyOf(v, grow(v.length));
                    }
                    for (int k = 0; k < 3; k++) {
                        v[nv++] = parseCoordinate(file, firstLine, tok[k + 1]);
                    }
                } else if (tok[0].equals("f")) {
                    int n = tok.length - 1;
                    if (n < 3) {
                        throw error(file, firstLine, "expected a face with at least 3 corners, found " + n);
                    }
                    if (n > corners.length) {
                        corners = new int[n];
                    }
                    for (int k = 0; k < n; k++) {
                        corners[k] = parseIndex(file, firstLine, tok[k + 1], nv / 3);
                    }
                    if (nf + 3 * (n - 2) > f.length) {
                        f = Arrays.copyOf(f, Math.max(grow(f.length), nf + 3 * (n - 2)));
                    }
                    for (int k = 1; k + 1 < n; k++) { // fan: (c0, ck, ck+1)
                        f[nf++] = corners[0];
                        f[nf++] = corners[k];
                        f[nf++] = corners[k + 1];
                    }
                }
            }
        }
        if (nv == 0) {
            throw new FileFormatException(file + ": no vertices ('v' lines) found; expected an OBJ mesh");
        }
        return new Mesh(Arrays.copyOf(v, nv), Arrays.copyOf(f, nf));
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    private static int grow(int length) {
        if (length >= Integer.MAX_VALUE - 16) {
            throw new OutOfMemoryError("OBJ mesh larger than a Java array");
        }
        return (int) Math.min(Integer.MAX_VALUE - 16L, 2L * length);
    }

    private static float parseCoordinate(Path file, long line, String token) throws IOException {
        float x;
        try {
            x = Float.parseFloat(token);
        } catch (NumberFormatException e) {
            throw error(file, line, "expected a number, found '" + token + "'");
        }
        if (!Float.isFinite(x)) {
            throw error(file, line, "expected a finite coordinate, found '" + token + "'");
        }
        return x;
    }

    /** The 0-based vertex index of a face corner {@code v}, {@code v/vt}, {@code v//vn} or {@code v/vt/vn}. */
    private static int parseIndex(Path file, long line, String token, int defined) throws IOException {
        int slash = token.indexOf('/');
        String s = slash < 0 ? token : token.substring(0, slash);
        int i;
        try {
            i = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw error(file, line, "expected a vertex index, found '" + token + "'");
        }
        int index = i > 0 ? i - 1 : defined + i; // negative: relative to the vertices defined so far
        if (i == 0 || index < 0 || index >= defined) {
            throw error(file, line, "vertex index " + i + " does not refer to one of the " + defined
                    + " vertices defined before this line");
        }
        return index;
    }

    private static IOException error(Path file, long line, String message) {
        return new FileFormatException(file + ":" + line + ": " + message);
    }
}
