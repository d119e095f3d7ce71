package dev.smplr.smpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class QuadMeshTest {

    /** Positions (V, 3) of a box's lattice points: (i, j, k). */
    private static double[] latticePositions(QuadMesh m, int[] id, int nx, int ny, int nz) {
        double[] p = new double[3 * m.vertexCount()];
        for (int i = 0; i <= nx; i++) {
            for (int j = 0; j <= ny; j++) {
                for (int k = 0; k <= nz; k++) {
                    int v = id[(i * (ny + 1) + j) * (nz + 1) + k];
                    if (v >= 0) {
                        p[3 * v] = i;
                        p[3 * v + 1] = j;
                        p[3 * v + 2] = k;
                    }
                }
            }
        }
        return p;
    }

    /** Signed volume of a quad mesh, each quad split into two triangles: sum a · (b × c) / 6. */
    private static double volume(double[] p, int[] quads) {
        double sum = 0;
        for (int f = 0; f < quads.length / 4; f++) {
            int[][] tris = {{0, 1, 2}, {0, 2, 3}};
            for (int[] t : tris) {
                int a = 3 * quads[4 * f + t[0]];
                int b = 3 * quads[4 * f + t[1]];
                int c = 3 * quads[4 * f + t[2]];
                sum += p[a] * (p[b + 1] * p[c + 2] - p[b + 2] * p[c + 1])
                        - p[a + 1] * (p[b] * p[c + 2] - p[b + 2] * p[c])
                        + p[a + 2] * (p[b] * p[c + 1] - p[b + 1] * p[c]);
            }
        }
        return sum / 6;
    }

    @Test
    void addBox_2x3x4_closedOutwardEulerTwo() {
        QuadMesh m = new QuadMesh();
        int[] id = m.addBox(2, 3, 4);
        int faces = 2 * (2 * 3 + 3 * 4 + 2 * 4);
        assertThat(m.faceCount()).isEqualTo(faces);
        // closed quad mesh: E = 2F, so V - E + F = 2 means V = F + 2
        assertThat(m.vertexCount()).isEqualTo(faces + 2);
        QuadMesh.Subdivision s = new QuadMesh.Subdivision(m.quads(), m.vertexCount());
        assertThat(s.fineVertices()).isEqualTo(m.vertexCount() + 2 * faces + faces);
        assertThat(volume(latticePositions(m, id, 2, 3, 4), m.quads())).isCloseTo(24.0, within(1e-12));
    }

    @Test
    void extrude_topPatch_staysClosedAndEnclosesTheNewBlock() {
        QuadMesh m = new QuadMesh();
        int[] id = m.addBox(2, 2, 2);
        double[] p0 = latticePositions(m, id, 2, 2, 2);
        int[] top = IntStream.range(0, m.faceCount()).filter(f -> {
            for (int i = 0; i < 4; i++) {
                if (p0[3 * m.corner(f, i) + 1] != 2) {
                    return false;
                }
            }
            return true;
        }).toArray();
        assertThat(top).hasSize(4);
        int v0 = m.vertexCount();
        int f0 = m.faceCount();
        QuadMesh.Extrusion e = m.extrude(top);
        assertThat(e.oldRing()).hasSize(8);
        assertThat(e.newRing()).hasSize(8);
        assertThat(e.interior()).hasSize(1);
        assertThat(e.walls()).hasSize(8);
        assertThat(m.vertexCount()).isEqualTo(v0 + 8);
        assertThat(m.faceCount()).isEqualTo(f0 + 8);
        // the copies one unit higher, the interior vertex with them: the volume grows by 2 × 2 × 1
        double[] p = java.util.Arrays.copyOf(p0, 3 * m.vertexCount());
        for (int n = 0; n < 8; n++) {
            System.arraycopy(p0, 3 * e.oldRing()[n], p, 3 * e.newRing()[n], 3);
            p[3 * e.newRing()[n] + 1] += 1;
        }
        p[3 * e.interior()[0] + 1] += 1;
        assertThat(volume(p, m.quads())).isCloseTo(12.0, within(1e-12));
        new QuadMesh.Subdivision(m.quads(), m.vertexCount()); // validates closedness
    }

    @Test
    void apply_unitCube_cornerMovesToTwoNinths() {
        QuadMesh m = new QuadMesh();
        int[] id = m.addBox(1, 1, 1);
        double[] p = latticePositions(m, id, 1, 1, 1);
        QuadMesh.Subdivision s = new QuadMesh.Subdivision(m.quads(), m.vertexCount());
        double[] fine = s.apply(p, 3);
        // corner (0,0,0), valence 3: Q = (1/3,1/3,1/3), R = (1/6,1/6,1/6), (Q + 2R) / 3 = 2/9
        int corner = id[0];
        assertThat(fine[3 * corner]).isCloseTo(2.0 / 9, within(1e-15));
        assertThat(fine[3 * corner + 1]).isCloseTo(2.0 / 9, within(1e-15));
        assertThat(fine[3 * corner + 2]).isCloseTo(2.0 / 9, within(1e-15));
        // the fine mesh is closed and still outward: its volume is positive and below the cube's
        QuadMesh.Subdivision s2 = new QuadMesh.Subdivision(s.fineQuads(), s.fineVertices());
        double vol = volume(fine, s.fineQuads());
        assertThat(vol).isBetween(0.3, 1.0);
        assertThat(s2.fineVertices()).isEqualTo(16 * 6 + 2);
    }

    @Test
    void apply_affineAttributes_commuteWithAffineMaps() {
        QuadMesh m = new QuadMesh();
        int[] id = m.addBox(3, 2, 1);
        double[] p = latticePositions(m, id, 3, 2, 1);
        QuadMesh.Subdivision s = new QuadMesh.Subdivision(m.quads(), m.vertexCount());
        // attribute 0: constant 1; attributes 1..3: an affine image of the positions
        double[] attr = new double[4 * m.vertexCount()];
        double[] moved = new double[3 * m.vertexCount()];
        for (int v = 0; v < m.vertexCount(); v++) {
            attr[4 * v] = 1;
            for (int k = 0; k < 3; k++) {
                moved[3 * v + k] = 2 * p[3 * v + k] + 0.5 * p[3 * v + (k + 1) % 3] - 7 + k;
                attr[4 * v + 1 + k] = moved[3 * v + k];
            }
        }
        double[] fineP = s.apply(p, 3);
        double[] fineA = s.apply(attr, 4);
        for (int v = 0; v < s.fineVertices(); v++) {
            assertThat(fineA[4 * v]).isCloseTo(1.0, within(1e-12));
            for (int k = 0; k < 3; k++) {
                double expected = 2 * fineP[3 * v + k] + 0.5 * fineP[3 * v + (k + 1) % 3] - 7 + k;
                assertThat(fineA[4 * v + 1 + k]).isCloseTo(expected, within(1e-12));
            }
        }
    }

    @Test
    void subdivision_openMesh_throws() {
        assertThatThrownBy(() -> new QuadMesh.Subdivision(new int[] {0, 1, 2, 3}, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not closed");
    }

    @Test
    void subdivision_repeatedDirectedEdge_throws() {
        int[] twice = {0, 1, 2, 3, 0, 1, 2, 3};
        assertThatThrownBy(() -> new QuadMesh.Subdivision(twice, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
    }
}
