package dev.smplr.hourglass;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Meshes built for the tests: icospheres and single triangles, in the camera frame. */
final class TestMeshes {
    private TestMeshes() {
    }

    /** An icosphere: vertices (V, 3) and faces (F, 3), counter-clockwise seen from outside. */
    record Mesh(float[] vertices, int[] faces) {
        int vertexCount() {
            return vertices.length / 3;
        }

        int faceCount() {
            return faces.length / 3;
        }

        /** The same mesh with every face's winding reversed. */
        Mesh reversed() {
            int[] f = faces.clone();
            for (int i = 0; i < f.length; i += 3) {
                int t = f[i + 1];
                f[i + 1] = f[i + 2];
                f[i + 2] = t;
            }
            return new Mesh(vertices, f);
        }
    }

    /**
     * A sphere of radius r centred on (cx, cy, cz): an icosahedron subdivided {@code levels} times, vertices
     * pushed onto the sphere. Faces are oriented outward by checking each against the centre, independently of
     * the table's order.
     */
    static Mesh icosphere(double r, double cx, double cy, double cz, int levels) {
        double t = (1 + Math.sqrt(5)) / 2;
        List<double[]> pts = new ArrayList<>();
        double[][] base = {{-1, t, 0}, {1, t, 0}, {-1, -t, 0}, {1, -t, 0}, {0, -1, t}, {0, 1, t}, {0, -1, -t},
                {0, 1, -t}, {t, 0, -1}, {t, 0, 1}, {-t, 0, -1}, {-t, 0, 1}};
        for (double[] p : base) {
            pts.add(unit(p));
        }
        int[] faces = {0, 11, 5, 0, 5, 1, 0, 1, 7, 0, 7, 10, 0, 10, 11, 1, 5, 9, 5, 11, 4, 11, 10, 2, 10, 7, 6, 7, 1, 8,
                3, 9, 4, 3, 4, 2, 3, 2, 6, 3, 6, 8, 3, 8, 9, 4, 9, 5, 2, 4, 11, 6, 2, 10, 8, 6, 7, 9, 8, 1};
        for (int l = 0; l < levels; l++) {
            Map<Long, Integer> mid = new HashMap<>();
            int[] next = new int[faces.length * 4];
            int k = 0;
            for (int f = 0; f < faces.length; f += 3) {
                int a = faces[f], b = faces[f + 1], c = faces[f + 2];
                int ab = midpoint(pts, mid, a, b), bc = midpoint(pts, mid, b, c), ca = midpoint(pts, mid, c, a);
                int[] tri = {a, ab, ca, b, bc, ab, c, ca, bc, ab, bc, ca};
                System.arraycopy(tri, 0, next, k, 12);
                k += 12;
            }
            faces = next;
        }
        float[] v = new float[3 * pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            double[] p = pts.get(i);
            v[3 * i] = (float) (cx + r * p[0]);
            v[3 * i + 1] = (float) (cy + r * p[1]);
            v[3 * i + 2] = (float) (cz + r * p[2]);
        }
        for (int f = 0; f < faces.length; f += 3) {
            double[] a = pts.get(faces[f]), b = pts.get(faces[f + 1]), c = pts.get(faces[f + 2]);
            double[] n = cross(sub(b, a), sub(c, a));
            if (n[0] * a[0] + n[1] * a[1] + n[2] * a[2] < 0) {
                int tmp = faces[f + 1];
                faces[f + 1] = faces[f + 2];
                faces[f + 2] = tmp;
            }
        }
        return new Mesh(v, faces);
    }

    private static int midpoint(List<double[]> pts, Map<Long, Integer> cache, int a, int b) {
        long key = ((long) Math.min(a, b) << 32) | Math.max(a, b);
        Integer hit = cache.get(key);
        if (hit != null) {
            return hit;
        }
        double[] p = pts.get(a), q = pts.get(b);
        pts.add(unit(new double[] {p[0] + q[0], p[1] + q[1], p[2] + q[2]}));
        cache.put(key, pts.size() - 1);
        return pts.size() - 1;
    }

    private static double[] unit(double[] p) {
        double n = Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
        return new double[] {p[0] / n, p[1] / n, p[2] / n};
    }

    static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    /** Colour channel c (0 R, 1 G, 2 B) of a packed pixel. */
    static int channel(int rgb, int c) {
        return (rgb >>> (16 - 8 * c)) & 0xFF;
    }
}
