package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ColoredMeshTest {
    private static final float[] V = {0, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1};
    private static final int[] F = {0, 2, 1, 1, 2, 3};

    @Test
    void perVertex_copiesInAndOut() {
        float[] v = V.clone();
        int[] colors = {0xFF112233, 0x445566, 0x778899, 0xAABBCC};
        ColoredMesh m = ColoredMesh.perVertex(v, F, colors);
        v[0] = 42;
        assertThat(m.vertices()[0]).isZero();
        m.vertices()[1] = 7;
        assertThat(m.vertices()[1]).isZero();
        assertThat(m.colors()).containsExactly(0x112233, 0x445566, 0x778899, 0xAABBCC); // alpha dropped
        assertThat(m.colorsPerFace()).isFalse();
        assertThat(m.vertexCount()).isEqualTo(4);
        assertThat(m.faceCount()).isEqualTo(2);
        assertThat(m.toString()).contains("4 vertices, 2 faces");
    }

    @Test
    void perFaceAndUniform_haveOneColourPerFace() {
        assertThat(ColoredMesh.perFace(V, F, new int[] {1, 2}).colorsPerFace()).isTrue();
        assertThat(ColoredMesh.uniform(V, F, 0xFF00FF00).colors()).containsExactly(0x00FF00, 0x00FF00);
    }

    @Test
    void factories_badInput_throwNamingTheArgument() {
        assertThatThrownBy(() -> ColoredMesh.uniform(V, new int[] {0, 1, 4}, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("faces[0]: vertex index 4 out of range [0, 4)");
        assertThatThrownBy(() -> ColoredMesh.uniform(V, new int[] {0, 1}, 0)).hasMessageContaining(
                "faces: expected a non-zero multiple of 3");
        assertThatThrownBy(() -> ColoredMesh.perVertex(V, F, new int[3]))
                .hasMessage("vertexColors: expected 4 values (one per vertex), got 3");
        assertThatThrownBy(() -> ColoredMesh.perFace(V, F, new int[4]))
                .hasMessage("faceColors: expected 2 values (one per face), got 4");
        assertThatThrownBy(() -> ColoredMesh.uniform(new float[] {0, 0, Float.NaN}, new int[] {0, 0, 0}, 0))
                .hasMessageContaining("vertices[0]").hasMessageContaining("NaN in z");
    }
}
