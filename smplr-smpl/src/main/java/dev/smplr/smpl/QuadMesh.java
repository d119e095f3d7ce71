package dev.smplr.smpl;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A closed quad mesh under construction (box modelling) and Catmull–Clark subdivision of per-vertex attributes
 * over it; the demo body's topology. Quads are counter-clockwise seen from outside: {@code quads[4*f + i]}.
 *
 * <p>Every operation keeps the mesh closed (each edge in exactly two quads, once in each direction), so a
 * mesh grown from a closed box by {@link #extrude} and subdivided by {@link Subdivision} stays watertight and
 * consistently oriented by construction.
 */
final class QuadMesh {
    private int[] quads = new int[256];
    private int faceCount;
    private int vertexCount;

    /** @return the number of vertices so far */
    int vertexCount() {
        return vertexCount;
    }

    /** @return the number of quads so far */
    int faceCount() {
        return faceCount;
    }

    /** @return the quads (F, 4), a new array */
    int[] quads() {
        return Arrays.copyOf(quads, 4 * faceCount);
    }

    /** @return vertex {@code i} (0..3) of quad {@code f} */
    int corner(int f, int i) {
        return quads[4 * f + i];
    }

    /** @return the id of a new vertex */
    int addVertex() {
        return vertexCount++;
    }

    /** Adds quad (a, b, c, d), counter-clockwise seen from outside. @return its id */
    int addQuad(int a, int b, int c, int d) {
        if (4 * faceCount + 4 > quads.length) {
            quads = Arrays.copyOf(quads, 2 * quads.length);
        }
        quads[4 * faceCount] = a;
        quads[4 * faceCount + 1] = b;
        quads[4 * faceCount + 2] = c;
        quads[4 * faceCount + 3] = d;
        return faceCount++;
    }

    /**
     * Adds the surface of a box subdivided into {@code nx × ny × nz} cells: one vertex per lattice point on the
     * boundary, quads facing outwards.
     *
     * @return the vertex id of lattice point (i, j, k) at {@code (i*(ny+1) + j)*(nz+1) + k}, -1 inside the box
     */
    int[] addBox(int nx, int ny, int nz) {
        int[] id = new int[(nx + 1) * (ny + 1) * (nz + 1)];
        for (int i = 0; i <= nx; i++) {
            for (int j = 0; j <= ny; j++) {
                for (int k = 0; k <= nz; k++) {
                    boolean surface = i == 0 || i == nx || j == 0 || j == ny || k == 0 || k == nz;
                    id[(i * (ny + 1) + j) * (nz + 1) + k] = surface ? addVertex() : -1;
                }
            }
        }
        int[] n = {nx, ny, nz};
        for (int axis = 0; axis < 3; axis++) {
            int a1 = (axis + 1) % 3;
            int a2 = (axis + 2) % 3;
            for (int side = 0; side <= 1; side++) {
                for (int p = 0; p < n[a1]; p++) {
                    for (int q = 0; q < n[a2]; q++) {
                        int[] c = new int[4];
                        int[][] uv = {{p, q}, {p + 1, q}, {p + 1, q + 1}, {p, q + 1}};
                        for (int m = 0; m < 4; m++) {
                            int[] l = new int[3];
                            l[axis] = side * n[axis];
                            l[a1] = uv[m][0];
                            l[a2] = uv[m][1];
                            c[m] = id[(l[0] * (ny + 1) + l[1]) * (nz + 1) + l[2]];
                        }
                        // (e_a1 × e_a2) = +e_axis, so (p,q) → (p+1,q) → (p+1,q+1) faces +axis: keep on the
                        // far side, reverse on the near side.
                        if (side == 1) {
                            addQuad(c[0], c[1], c[2], c[3]);
                        } else {
                            addQuad(c[0], c[3], c[2], c[1]);
                        }
                    }
                }
            }
        }
        return id;
    }

    /**
     * Extrudes a patch of quads (a disk): the patch's boundary vertices are copied, the patch quads move onto
     * the copies, and a wall of quads joins the old boundary to the new one. Interior patch vertices are kept
     * (they move with the patch). The caller places the copies.
     *
     * @param faces the patch's quad ids; not modified
     * @return the extrusion: old boundary vertices with their copies, interior vertices, wall quads
     */
    Extrusion extrude(int[] faces) {
        Map<Long, int[]> directed = new LinkedHashMap<>();
        for (int f : faces) {
            for (int i = 0; i < 4; i++) {
                int a = quads[4 * f + i];
                int b = quads[4 * f + (i + 1) % 4];
                directed.put(key(a, b), new int[] {a, b});
            }
        }
        Map<Integer, Integer> copy = new LinkedHashMap<>();
        int[][] boundary = directed.entrySet().stream()
                .filter(e -> !directed.containsKey(key(e.getValue()[1], e.getValue()[0])))
                .map(Map.Entry::getValue).toArray(int[][]::new);
        for (int[] e : boundary) {
            copy.computeIfAbsent(e[0], v -> addVertex());
        }
        int[] interior = directed.values().stream().mapToInt(e -> e[0]).distinct()
                .filter(v -> !copy.containsKey(v)).toArray();
        for (int f : faces) {
            for (int i = 0; i < 4; i++) {
                quads[4 * f + i] = copy.getOrDefault(quads[4 * f + i], quads[4 * f + i]);
            }
        }
        int[] walls = new int[boundary.length];
        for (int e = 0; e < boundary.length; e++) {
            int a = boundary[e][0];
            int b = boundary[e][1];
            // the outside neighbour keeps b→a, the moved patch has a'→b': the wall takes a→b and b'→a'
            walls[e] = addQuad(a, b, copy.get(b), copy.get(a));
        }
        int[] oldRing = copy.keySet().stream().mapToInt(Integer::intValue).toArray();
        int[] newRing = copy.values().stream().mapToInt(Integer::intValue).toArray();
        return new Extrusion(oldRing, newRing, interior, walls);
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xffffffffL);
    }

    /**
     * The result of {@link #extrude}.
     *
     * @param oldRing  the patch's boundary vertices before the extrusion
     * @param newRing  their copies, in the same order
     * @param interior the patch's interior vertices (kept)
     * @param walls    the new wall quads, each {@code (a, b, b', a')} for a boundary edge a→b
     */
    record Extrusion(int[] oldRing, int[] newRing, int[] interior, int[] walls) {
    }

    /**
     * One Catmull–Clark step over a closed quad mesh, topology precomputed: {@link #apply} maps per-vertex
     * attributes of the coarse mesh to the fine one, {@link #fineQuads} is the fine mesh. New vertices are
     * numbered: the V old vertices, then one per edge, then one per face.
     */
    static final class Subdivision {
        private final int vertices;
        private final int[] quads;
        private final int[] edgeVertices;
        private final int[] edgeFaces;
        private final int[] valence;
        private final int[] fineQuads;

        /**
         * @param quads    the coarse quads (F, 4), closed; kept — do not modify
         * @param vertices V, the coarse vertex count
         * @throws IllegalArgumentException if an edge is not shared by exactly two quads in opposite directions
         */
        Subdivision(int[] quads, int vertices) {
            this.vertices = vertices;
            this.quads = quads;
            int faces = quads.length / 4;
            Map<Long, Integer> edgeOf = new HashMap<>();
            int[] ev = new int[8 * faces];
            int[] ef = new int[8 * faces];
            int[] faceEdge = new int[4 * faces];
            int edges = 0;
            for (int f = 0; f < faces; f++) {
                for (int i = 0; i < 4; i++) {
                    int a = quads[4 * f + i];
                    int b = quads[4 * f + (i + 1) % 4];
                    Integer e = edgeOf.get(key(b, a));
                    if (e == null) {
                        if (edgeOf.putIfAbsent(key(a, b), edges) != null) {
                            throw new IllegalArgumentException("quads: directed edge " + a + "→" + b + " twice");
                        }
                        ev[2 * edges] = a;
                        ev[2 * edges + 1] = b;
                        ef[2 * edges] = f;
                        ef[2 * edges + 1] = -1;
                        faceEdge[4 * f + i] = edges++;
                    } else {
                        if (ef[2 * e + 1] != -1) {
                            throw new IllegalArgumentException("quads: edge " + a + "-" + b + " in three quads");
                        }
                        ef[2 * e + 1] = f;
                        faceEdge[4 * f + i] = e;
                    }
                }
            }
            for (int e = 0; e < edges; e++) {
                if (ef[2 * e + 1] == -1) {
                    throw new IllegalArgumentException("quads: edge " + ev[2 * e] + "-" + ev[2 * e + 1]
                            + " in one quad, expected two (mesh not closed)");
                }
            }
            edgeVertices = Arrays.copyOf(ev, 2 * edges);
            edgeFaces = Arrays.copyOf(ef, 2 * edges);
            valence = new int[vertices];
            for (int e = 0; e < edges; e++) {
                valence[ev[2 * e]]++;
                valence[ev[2 * e + 1]]++;
            }
            fineQuads = new int[16 * faces];
            int facePoint0 = vertices + edges;
            for (int f = 0; f < faces; f++) {
                for (int i = 0; i < 4; i++) {
                    // quad i: (corner i, edge i, face point, edge i-1): counter-clockwise like its parent
                    int o = 16 * f + 4 * i;
                    fineQuads[o] = quads[4 * f + i];
                    fineQuads[o + 1] = vertices + faceEdge[4 * f + i];
                    fineQuads[o + 2] = facePoint0 + f;
                    fineQuads[o + 3] = vertices + faceEdge[4 * f + (i + 3) % 4];
                }
            }
        }

        /** @return the fine vertex count, V + E + F */
        int fineVertices() {
            return vertices + edgeVertices.length / 2 + quads.length / 4;
        }

        /** @return the fine quads (4F, 4); kept — do not modify */
        int[] fineQuads() {
            return fineQuads;
        }

        /**
         * Subdivides per-vertex attributes (positions, weights, displacements: any affine quantity).
         * face point = mean of its 4 corners; edge point = (a + b + f0 + f1) / 4; vertex point =
         * (Q + 2R + (n - 3) S) / n with Q the mean adjacent face point, R the mean adjacent edge midpoint,
         * S the old value and n the valence.
         *
         * @param attr coarse attributes (V, dim); not modified
         * @param dim  attributes per vertex
         * @return fine attributes (V + E + F, dim)
         */
        double[] apply(double[] attr, int dim) {
            int edges = edgeVertices.length / 2;
            int faces = quads.length / 4;
            double[] out = new double[fineVertices() * dim];
            int fp0 = (vertices + edges) * dim;
            for (int f = 0; f < faces; f++) {
                for (int i = 0; i < 4; i++) {
                    int src = quads[4 * f + i] * dim;
                    for (int d = 0; d < dim; d++) {
                        out[fp0 + f * dim + d] += 0.25 * attr[src + d];
                    }
                }
            }
            double[] q = new double[vertices * dim];
            double[] r = new double[vertices * dim];
            for (int f = 0; f < faces; f++) {
                for (int i = 0; i < 4; i++) {
                    int dst = quads[4 * f + i] * dim;
                    for (int d = 0; d < dim; d++) {
                        q[dst + d] += out[fp0 + f * dim + d];
                    }
                }
            }
            for (int e = 0; e < edges; e++) {
                int a = edgeVertices[2 * e] * dim;
                int b = edgeVertices[2 * e + 1] * dim;
                int f0 = fp0 + edgeFaces[2 * e] * dim;
                int f1 = fp0 + edgeFaces[2 * e + 1] * dim;
                int o = (vertices + e) * dim;
                for (int d = 0; d < dim; d++) {
                    double mid = 0.5 * (attr[a + d] + attr[b + d]);
                    out[o + d] = 0.5 * mid + 0.25 * (out[f0 + d] + out[f1 + d]);
                    r[a + d] += mid;
                    r[b + d] += mid;
                }
            }
            for (int v = 0; v < vertices; v++) {
                double n = valence[v];
                for (int d = 0; d < dim; d++) {
                    int i = v * dim + d;
                    out[i] = (q[i] / n + 2 * r[i] / n + (n - 3) * attr[i]) / n;
                }
            }
            return out;
        }
    }
}
