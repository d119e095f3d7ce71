package dev.smplr.io;

import java.util.Arrays;

/**
 * A triangle mesh: vertex positions and triangles, as {@link MeshReader} reads them and {@link MeshWriter}
 * writes them. The arrays are kept (not copied) and must not be modified.
 *
 * @param vertices (V, 3): vertex v at {@code 3*v..3*v+2}, finite
 * @param faces    (F, 3): triangle f has corners {@code faces[3*f..3*f+2]}, 0-based vertex indices, in
 *                 counter-clockwise order seen from outside
 */
public record Mesh(float[] vertices, int[] faces) {

    /**
     * @throws IllegalArgumentException if {@code vertices} is null, not a multiple of 3 long or not finite, or
     *                                  {@code faces} is null, not a multiple of 3 long or has an index outside
     *                                  {@code [0, V)}
     */
    public Mesh {
        MeshWriter.checkMesh(vertices, faces);
    }

    /** @return V, the number of vertices */
    public int vertexCount() {
        return vertices.length / 3;
    }

    /** @return F, the number of triangles */
    public int faceCount() {
        return faces.length / 3;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mesh m && Arrays.equals(vertices, m.vertices) && Arrays.equals(faces, m.faces);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(vertices) + Arrays.hashCode(faces);
    }

    @Override
    public String toString() {
        return "Mesh[" + vertexCount() + " vertices, " + faceCount() + " triangles]";
    }
}
