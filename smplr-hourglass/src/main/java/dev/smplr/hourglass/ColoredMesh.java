package dev.smplr.hourglass;

import dev.smplr.core.internal.Checks;

/**
 * A triangle mesh with colours, ready for {@link MeshRenderer}: vertices in the camera frame, faces, and one
 * colour per vertex (interpolated across each face) or per face (flat).
 *
 * <p>Layouts: vertices (V, 3), metres, vertex v at {@code 3*v..3*v+2}; faces (F, 3), face f at
 * {@code 3*f..3*f+2}, vertex indices counter-clockwise when seen from outside (the outward normal is
 * {@code (v1 − v0) × (v2 − v0)}); colours packed {@code 0xRRGGBB} (a top alpha byte, as in
 * {@link java.awt.Color#getRGB()}, is ignored). All arrays are copied in and never handed out, so a mesh is
 * immutable and can be shared between threads.
 */
public final class ColoredMesh {
    private final float[] vertices;
    private final int[] faces;
    private final int[] colors;
    private final boolean perFace;

    private ColoredMesh(float[] vertices, int[] faces, int[] colors, boolean perFace) {
        this.vertices = vertices;
        this.faces = faces;
        this.colors = colors;
        this.perFace = perFace;
    }

    /**
     * A mesh with one colour per vertex, interpolated across faces.
     *
     * @param vertices     (V, 3) in the camera frame, metres. Copied.
     * @param faces        (F, 3) vertex indices in {@code [0, V)}. Copied.
     * @param vertexColors V colours {@code 0xRRGGBB}. Copied.
     * @return the mesh
     * @throws IllegalArgumentException if a length is wrong, a vertex is not finite or an index is out of range
     */
    public static ColoredMesh perVertex(float[] vertices, int[] faces, int[] vertexColors) {
        int v = checkVertices(vertices);
        int[] f = checkFaces(faces, v);
        checkColors("vertexColors", vertexColors, v, "one per vertex");
        return new ColoredMesh(vertices.clone(), f, mask(vertexColors), false);
    }

    /**
     * A mesh with one flat colour per face (still smoothly shaded).
     *
     * @param vertices   (V, 3) in the camera frame, metres. Copied.
     * @param faces      (F, 3) vertex indices in {@code [0, V)}. Copied.
     * @param faceColors F colours {@code 0xRRGGBB}. Copied.
     * @return the mesh
     * @throws IllegalArgumentException if a length is wrong, a vertex is not finite or an index is out of range
     */
    public static ColoredMesh perFace(float[] vertices, int[] faces, int[] faceColors) {
        int v = checkVertices(vertices);
        int[] f = checkFaces(faces, v);
        checkColors("faceColors", faceColors, f.length / 3, "one per face");
        return new ColoredMesh(vertices.clone(), f, mask(faceColors), true);
    }

    /**
     * A mesh of one colour.
     *
     * @param vertices (V, 3) in the camera frame, metres. Copied.
     * @param faces    (F, 3) vertex indices in {@code [0, V)}. Copied.
     * @param color    {@code 0xRRGGBB}
     * @return the mesh
     * @throws IllegalArgumentException if a length is wrong, a vertex is not finite or an index is out of range
     */
    public static ColoredMesh uniform(float[] vertices, int[] faces, int color) {
        int v = checkVertices(vertices);
        int[] f = checkFaces(faces, v);
        int[] c = new int[f.length / 3];
        java.util.Arrays.fill(c, color & 0xFFFFFF);
        return new ColoredMesh(vertices.clone(), f, c, true);
    }

    /** @return V, the number of vertices */
    public int vertexCount() {
        return vertices.length / 3;
    }

    /** @return F, the number of faces */
    public int faceCount() {
        return faces.length / 3;
    }

    /** @return the vertices (V, 3), a copy */
    public float[] vertices() {
        return vertices.clone();
    }

    /** @return the faces (F, 3), a copy */
    public int[] faces() {
        return faces.clone();
    }

    /** @return true if colours are per face, false if per vertex */
    public boolean colorsPerFace() {
        return perFace;
    }

    /** @return the colours (F or V of them, {@code 0xRRGGBB}), a copy */
    public int[] colors() {
        return colors.clone();
    }

    // Direct access for the renderer (same package): kept arrays, not copies.
    float[] vertexArray() {
        return vertices;
    }

    int[] faceArray() {
        return faces;
    }

    int[] colorArray() {
        return colors;
    }

    @Override
    public String toString() {
        return "ColoredMesh[" + vertexCount() + " vertices, " + faceCount() + " faces, colours per "
                + (perFace ? "face" : "vertex") + "]";
    }

    private static int checkVertices(float[] vertices) {
        return Checks.batch("vertices", vertices, 3, "V×3 camera-frame points");
    }

    private static int[] checkFaces(int[] faces, int vertexCount) {
        Checks.notNull("faces", faces);
        if (faces.length == 0 || faces.length % 3 != 0) {
            throw new IllegalArgumentException("faces: expected a non-zero multiple of 3 values (F×3 vertex "
                    + "indices), got " + faces.length);
        }
        int[] copy = faces.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] < 0 || copy[i] >= vertexCount) {
                throw new IllegalArgumentException("faces[" + (i / 3) + "]: vertex index " + copy[i]
                        + " out of range [0, " + vertexCount + ")");
            }
        }
        return copy;
    }

    private static void checkColors(String name, int[] colors, int expected, String what) {
        Checks.notNull(name, colors);
        if (colors.length != expected) {
            throw new IllegalArgumentException(
                    name + ": expected " + expected + " values (" + what + "), got " + colors.length);
        }
    }

    private static int[] mask(int[] colors) {
        int[] out = new int[colors.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = colors[i] & 0xFFFFFF;
        }
        return out;
    }
}
