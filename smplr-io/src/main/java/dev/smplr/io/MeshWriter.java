package dev.smplr.io;

import dev.smplr.core.KinematicTree;
import dev.smplr.core.internal.Checks;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes triangle meshes as Wavefront OBJ, binary PLY and glTF 2.0 binary ({@code .glb}), and computes the
 * smooth vertex normals they carry.
 *
 * <p>Every method takes vertices (V, 3), vertex v at {@code 3*v..3*v+2} (metres for SMPL bodies), and faces
 * (F, 3), triangle f with 0-based corners {@code faces[3*f..3*f+2]} in counter-clockwise order seen from
 * outside, as {@code SmplModel.faces()} gives them. Neither is modified. Files are written atomically: to a
 * temporary file in the same directory that is then moved over the target, so a reader never sees half a
 * mesh.
 */
public final class MeshWriter {

    private MeshWriter() {
    }

    /**
     * A skeleton to store with a {@code .glb} mesh: joint positions, their tree, and optionally the skinning
     * weights that bind the mesh to it. The arrays are kept (not copied) and must not be modified.
     *
     * <p>The joints must be in the same frame and pose as the vertices they go with: the mesh is bound as given
     * (its bind pose is the mesh itself), so the joints can then be rotated in a viewer or DCC tool.
     *
     * @param joints     (J, 3): joint j at {@code 3*j..3*j+2}, finite
     * @param parents    (J): -1 for joint 0, the root; otherwise a joint index smaller than the joint's own
     *                   (topological order, as {@link KinematicTree} keeps it)
     * @param names      (J): the joint names, not null
     * @param lbsWeights (V, J): weight of joint j on vertex v at {@code v*J + j}, non-negative, or {@code null}
     *                   for a skeleton without skin (the joints are then only nodes in the scene)
     */
    public record Skeleton(float[] joints, int[] parents, String[] names, float[] lbsWeights) {

        /**
         * @throws IllegalArgumentException if {@code joints} is null, empty, not a multiple of 3 long or not
         *                                  finite; if {@code parents} or {@code names} is null or not J long,
         *                                  {@code parents[0] != -1}, a parent is not in {@code [0, j)}, or a name
         *                                  is null; if more than 65536 joints are given; if {@code lbsWeights}
         *                                  is not a multiple of J long, not finite or negative
         */
        public Skeleton {
            int j = Checks.batch("joints", joints, 3, "J×3 joint positions");
            if (j > MAX_JOINTS) {
                throw new IllegalArgumentException("joints: expected at most " + MAX_JOINTS + " joints (glTF "
                        + "JOINTS_0 holds unsigned shorts), got " + j);
            }
            Checks.notNull("parents", parents);
            Checks.notNull("names", names);
            if (parents.length != j || names.length != j) {
                throw new IllegalArgumentException("parents/names: expected " + j + " values each (one per joint), "
                        + "got " + parents.length + " and " + names.length);
            }
            if (parents[0] != -1) {
                throw new IllegalArgumentException("parents[0]: expected -1 (the root), got " + parents[0]);
            }
            for (int k = 1; k < j; k++) {
                if (parents[k] < 0 || parents[k] >= k) {
                    throw new IllegalArgumentException("parents[" + k + "]: expected a joint in [0, " + k
                            + ") (a tree in topological order), got " + parents[k]);
                }
            }
            for (int k = 0; k < j; k++) {
                Checks.notNull("names[" + k + "]", names[k]);
            }
            if (lbsWeights != null) {
                if (lbsWeights.length % j != 0) {
                    throw new IllegalArgumentException("lbsWeights: expected a multiple of " + j
                            + " values (V×" + j + "), got " + lbsWeights.length);
                }
                Checks.finite("lbsWeights", lbsWeights, j);
                for (int i = 0; i < lbsWeights.length; i++) {
                    if (lbsWeights[i] < 0) {
                        throw new IllegalArgumentException("lbsWeights[" + i / j + "]: negative weight "
                                + lbsWeights[i] + " for joint " + i % j);
                    }
                }
            }
        }

        /**
         * A skeleton with the names and parents of a kinematic tree.
         *
         * @param tree       the tree, e.g. {@link KinematicTree#smpl()}
         * @param joints     (J, 3) joint positions, J = {@code tree.size()}. Kept.
         * @param lbsWeights (V, J) skinning weights, or {@code null}. Kept.
         * @return the skeleton
         * @throws IllegalArgumentException as the constructor, or if {@code tree} is null
         */
        public static Skeleton of(KinematicTree tree, float[] joints, float[] lbsWeights) {
            Checks.notNull("tree", tree);
            String[] names = new String[tree.size()];
            for (int j = 0; j < names.length; j++) {
                names[j] = tree.name(j);
            }
            return new Skeleton(joints, tree.parents(), names, lbsWeights);
        }

        /** @return J, the number of joints */
        public int jointCount() {
            return parents.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Skeleton s && Arrays.equals(joints, s.joints) && Arrays.equals(parents, s.parents)
                    && Arrays.equals(names, s.names) && Arrays.equals(lbsWeights, s.lbsWeights);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(new int[] {Arrays.hashCode(joints), Arrays.hashCode(parents),
                    Arrays.hashCode(names), Arrays.hashCode(lbsWeights)});
        }

        @Override
        public String toString() {
            return "Skeleton[" + parents.length + " joints, "
                    + (lbsWeights == null ? "no skin" : lbsWeights.length / parents.length + " skinned vertices") + "]";
        }
    }

    /** glTF {@code JOINTS_0} stores joint indices as unsigned shorts at most. */
    static final int MAX_JOINTS = 65536;

    /**
     * Area-weighted smooth vertex normals: {@code n[v] = normalize(sum_f (b - a) × (c - a))} over the triangles
     * f = (a, b, c) that use vertex v. The cross product's length is twice the triangle's area, so larger
     * triangles count more and degenerate ones not at all. Accumulated in double precision.
     *
     * @param vertices (V, 3). Not modified.
     * @param faces    (F, 3), counter-clockwise seen from outside. Not modified.
     * @return (V, 3) unit normals pointing outside; {@code (0, 0, 0)} for a vertex that no triangle of non-zero
     *         area uses
     * @throws IllegalArgumentException if {@code vertices} is not a multiple of 3 long or not finite, or
     *                                  {@code faces} is not a multiple of 3 long or has an index outside
     *                                  {@code [0, V)}
     */
    public static float[] vertexNormals(float[] vertices, int[] faces) {
        checkMesh(vertices, faces);
        int v = vertices.length / 3;
        double[] sum = new double[3 * v];
        for (int f = 0; f < faces.length; f += 3) {
            int a = 3 * faces[f];
            int b = 3 * faces[f + 1];
            int c = 3 * faces[f + 2];
            double e1x = (double) vertices[b] - vertices[a];
            double e1y = (double) vertices[b + 1] - vertices[a + 1];
            double e1z = (double) vertices[b + 2] - vertices[a + 2];
            double e2x = (double) vertices[c] - vertices[a];
            double e2y = (double) vertices[c + 1] - vertices[a + 1];
            double e2z = (double) vertices[c + 2] - vertices[a + 2];
            // n = (b - a) × (c - a): length 2 * area, direction by the right-hand rule
            double nx = e1y * e2z - e1z * e2y;
            double ny = e1z * e2x - e1x * e2z;
            double nz = e1x * e2y - e1y * e2x;
            for (int k = 0; k < 3; k++) {
                int p = 3 * faces[f + k];
                sum[p] += nx;
                sum[p + 1] += ny;
                sum[p + 2] += nz;
            }
        }
        float[] out = new float[3 * v];
        for (int i = 0; i < out.length; i += 3) {
            double len = Math.sqrt(sum[i] * sum[i] + sum[i + 1] * sum[i + 1] + sum[i + 2] * sum[i + 2]);
            if (len > 0) {
                out[i] = (float) (sum[i] / len);
                out[i + 1] = (float) (sum[i + 1] / len);
                out[i + 2] = (float) (sum[i + 2] / len);
            }
        }
        return out;
    }

    /**
     * Writes a Wavefront OBJ: one {@code v x y z} line per vertex, then optionally one {@code vn} line per vertex
     * ({@link #vertexNormals}), then one {@code f} line per triangle with 1-based indices ({@code f a//a b//b
     * c//c} with normals, {@code f a b c} without).
     *
     * <p>Numbers use {@code Locale.ROOT} and the shortest decimal that reads back as the same float, without
     * exponent notation (some OBJ readers do not accept it), so positions survive a round trip bit for bit.
     * A vertex without a normal (used by no triangle of non-zero area) gets {@code vn 0 0 1}, because viewers
     * normalise normals and would turn {@code 0 0 0} into NaN.
     *
     * @param file     the target; replaced atomically if it exists
     * @param vertices (V, 3). Not modified.
     * @param faces    (F, 3). Not modified.
     * @param normals  whether to write vertex normals
     * @throws IllegalArgumentException if {@code file} is null, {@code vertices} is empty, not a multiple of 3
     *                                  long or not finite, or {@code faces} is not a multiple of 3 long or has
     *                                  an index outside {@code [0, V)}
     * @throws IOException              if the file cannot be written
     */
    public static void writeObj(Path file, float[] vertices, int[] faces, boolean normals) throws IOException {
        Checks.notNull("file", file);
        checkNonEmpty(vertices, faces);
        float[] n = normals ? displayNormals(vertices, faces) : null;
        writeAtomically(file, out -> {
            Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.US_ASCII);
            StringBuilder line = new StringBuilder(96);
            w.write("# smplr-java: " + vertices.length / 3 + " vertices, " + faces.length / 3 + " triangles\n");
            writeObjRows(w, line, "v ", vertices);
            if (n != null) {
                writeObjRows(w, line, "vn ", n);
            }
            for (int f = 0; f < faces.length; f += 3) {
                line.setLength(0);
                line.append('f');
                for (int k = 0; k < 3; k++) {
                    int i = faces[f + k] + 1;
                    line.append(' ').append(i);
                    if (n != null) {
                        line.append("//").append(i);
                    }
                }
                w.append(line.append('\n'));
            }
            w.flush();
        });
    }

    private static void writeObjRows(Writer w, StringBuilder line, String tag, float[] xyz) throws IOException {
        for (int i = 0; i < xyz.length; i += 3) {
            line.setLength(0);
            line.append(tag);
            appendFloat(line, xyz[i]);
            line.append(' ');
            appendFloat(line, xyz[i + 1]);
            line.append(' ');
            appendFloat(line, xyz[i + 2]);
            w.append(line.append('\n'));
        }
    }

    /** Appends the shortest decimal that parses back to {@code x}, in plain (not exponent) notation. */
    static void appendFloat(StringBuilder sb, float x) {
        String s = Float.toString(x);
        if (s.indexOf('E') >= 0) {
            s = new BigDecimal(s).stripTrailingZeros().toPlainString();
        } else if (s.endsWith(".0")) {
            s = s.substring(0, s.length() - 2); // "1" instead of "1.0": shorter files, same value
        }
        sb.append(s);
    }

    /**
     * Writes a binary little-endian PLY without normals; see {@link #writePly(Path, float[], int[], boolean)}.
     *
     * @param file     the target; replaced atomically if it exists
     * @param vertices (V, 3). Not modified.
     * @param faces    (F, 3). Not modified.
     * @throws IllegalArgumentException as {@link #writePly(Path, float[], int[], boolean)}
     * @throws IOException              if the file cannot be written
     */
    public static void writePly(Path file, float[] vertices, int[] faces) throws IOException {
        writePly(file, vertices, faces, false);
    }

    /**
     * Writes a binary little-endian PLY ({@code format binary_little_endian 1.0}): element {@code vertex} with
     * float properties {@code x y z} (and {@code nx ny nz} with normals, as {@link #writeObj}), then element
     * {@code face} with {@code property list uchar int vertex_indices}, each triangle stored as the byte 3 and
     * three 0-based int32 indices.
     *
     * @param file     the target; replaced atomically if it exists
     * @param vertices (V, 3). Not modified.
     * @param faces    (F, 3). Not modified.
     * @param normals  whether to write vertex normals
     * @throws IllegalArgumentException if {@code file} is null, {@code vertices} is empty, not a multiple of 3
     *                                  long or not finite, or {@code faces} is not a multiple of 3 long or has
     *                                  an index outside {@code [0, V)}
     * @throws IOException              if the file cannot be written
     */
    public static void writePly(Path file, float[] vertices, int[] faces, boolean normals) throws IOException {
        Checks.notNull("file", file);
        checkNonEmpty(vertices, faces);
        float[] n = normals ? displayNormals(vertices, faces) : null;
        int v = vertices.length / 3;
        StringBuilder header = new StringBuilder()
                .append("ply\nformat binary_little_endian 1.0\ncomment smplr-java\n")
                .append("element vertex ").append(v).append('\n')
                .append("property float x\nproperty float y\nproperty float z\n");
        if (n != null) {
            header.append("property float nx\nproperty float ny\nproperty float nz\n");
        }
        header.append("element face ").append(faces.length / 3).append('\n')
                .append("property list uchar int vertex_indices\nend_header\n");
        writeAtomically(file, out -> {
            out.write(header.toString().getBytes(StandardCharsets.US_ASCII));
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < v; i++) {
                if (buf.remaining() < 24) {
                    drain(buf, out);
                }
                buf.putFloat(vertices[3 * i]).putFloat(vertices[3 * i + 1]).putFloat(vertices[3 * i + 2]);
                if (n != null) {
                    buf.putFloat(n[3 * i]).putFloat(n[3 * i + 1]).putFloat(n[3 * i + 2]);
                }
            }
            for (int f = 0; f < faces.length; f += 3) {
                if (buf.remaining() < 13) {
                    drain(buf, out);
                }
                buf.put((byte) 3).putInt(faces[f]).putInt(faces[f + 1]).putInt(faces[f + 2]);
            }
            drain(buf, out);
        });
    }

    private static void drain(ByteBuffer buf, OutputStream out) throws IOException {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
    }

    /**
     * Writes a glTF 2.0 binary ({@code .glb}) with the mesh alone; see
     * {@link #writeGlb(Path, float[], int[], Skeleton)}.
     *
     * @param file     the target; replaced atomically if it exists
     * @param vertices (V, 3). Not modified.
     * @param faces    (F, 3), F &gt; 0. Not modified.
     * @throws IllegalArgumentException as {@link #writeGlb(Path, float[], int[], Skeleton)}
     * @throws IOException              if the file cannot be written
     */
    public static void writeGlb(Path file, float[] vertices, int[] faces) throws IOException {
        writeGlb(file, vertices, faces, null);
    }

    /**
     * Writes a glTF 2.0 binary ({@code .glb}): one mesh with one triangle primitive whose attributes are
     * {@code POSITION} (float VEC3, with the min and max the specification requires) and {@code NORMAL}
     * ({@link #vertexNormals}; {@code (0, 0, 1)} where a vertex has none, since glTF requires unit normals),
     * indexed by {@code UNSIGNED_INT}s.
     *
     * <p>With a skeleton, each joint becomes a node named after it, child of its parent's node, with its
     * translation relative to the parent (the root's is absolute) and no rotation. If the skeleton has
     * {@link Skeleton#lbsWeights() lbsWeights}, the mesh node gets a skin over those nodes: {@code JOINTS_0} and
     * {@code WEIGHTS_0} hold each vertex's four largest weights (ties to the lower joint index) divided by
     * their sum (slots left with weight 0 name joint 0), and the inverse bind matrices are the translations by minus each joint's position. glTF
     * allows four influences per attribute set; SMPL bodies rarely have more than four non-zero weights.
     *
     * @param file     the target; replaced atomically if it exists
     * @param vertices (V, 3), in the frame of the skeleton's joints. Not modified.
     * @param faces    (F, 3), F &gt; 0. Not modified.
     * @param skeleton joints to add as nodes and, with weights, a skin; or {@code null}. Not modified.
     * @throws IllegalArgumentException if {@code file} is null, {@code vertices} is empty, not a multiple of 3
     *                                  long or not finite, {@code faces} is empty, not a multiple of 3 long or
     *                                  has an index outside {@code [0, V)}, the skeleton's weights are not V×J,
     *                                  a vertex has only zero weights, or the file would exceed 2 GiB
     * @throws IOException              if the file cannot be written
     */
    public static void writeGlb(Path file, float[] vertices, int[] faces, Skeleton skeleton) throws IOException {
        Checks.notNull("file", file);
        checkNonEmpty(vertices, faces);
        if (faces.length == 0) {
            throw new IllegalArgumentException("faces: expected at least one triangle for a glTF mesh, got 0");
        }
        byte[] glb = GlbEncoder.encode(vertices, faces, displayNormals(vertices, faces), skeleton);
        writeAtomically(file, out -> out.write(glb));
    }

    /** {@link #vertexNormals} with {@code (0, 0, 1)} for the vertices that have no normal. */
    private static float[] displayNormals(float[] vertices, int[] faces) {
        float[] n = vertexNormals(vertices, faces);
        for (int i = 0; i < n.length; i += 3) {
            if (n[i] == 0 && n[i + 1] == 0 && n[i + 2] == 0) {
                n[i + 2] = 1;
            }
        }
        return n;
    }

    private static void checkNonEmpty(float[] vertices, int[] faces) {
        checkMesh(vertices, faces);
        if (vertices.length == 0) {
            throw new IllegalArgumentException("vertices: expected at least one vertex (V×3), got 0 values");
        }
    }

    /** The checks of {@link Mesh}: shapes, finite positions, indices in range. Empty arrays pass. */
    static void checkMesh(float[] vertices, int[] faces) {
        Checks.notNull("vertices", vertices);
        Checks.notNull("faces", faces);
        if (vertices.length % 3 != 0) {
            throw new IllegalArgumentException(
                    "vertices: expected a multiple of 3 values (V×3), got " + vertices.length);
        }
        Checks.finite("vertices", vertices, 3);
        if (faces.length % 3 != 0) {
            throw new IllegalArgumentException("faces: expected a multiple of 3 values (F×3), got " + faces.length);
        }
        int v = vertices.length / 3;
        for (int i = 0; i < faces.length; i++) {
            if (faces[i] < 0 || faces[i] >= v) {
                throw new IllegalArgumentException("faces[" + i / 3 + "]: vertex index " + faces[i]
                        + " out of range [0, " + v + ")");
            }
        }
    }

    /** Writes the body of a file. */
    @FunctionalInterface
    interface Body {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code file} through a temporary file in the same directory, moved over it when complete: readers
     * see the old file or the new one, never a partial one. The temporary file is created with
     * {@code CREATE_NEW} rather than {@code Files.createTempFile}, which would make it (and so the target)
     * owner-only on POSIX. Falls back to a plain replacing move where the file system cannot move atomically.
     */
    static void writeAtomically(Path file, Body body) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null) {
            throw new IOException(file + ": not a file path");
        }
        Path tmp = null;
        OutputStream raw = null;
        for (int attempt = 0; raw == null; attempt++) {
            tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current()
                    .nextLong()) + ".tmp");
            try {
                raw = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 8) {
                    throw e;
                }
            }
        }
        try {
            try (OutputStream out = new BufferedOutputStream(raw, 1 << 16)) {
                body.write(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
