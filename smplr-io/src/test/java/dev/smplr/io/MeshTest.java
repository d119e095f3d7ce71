package dev.smplr.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MeshTest {

    @Test
    void constructor_validMesh_keepsArraysAndCounts() {
        float[] v = {0, 0, 0, 1, 0, 0, 0, 1, 0};
        int[] f = {0, 1, 2};
        Mesh m = new Mesh(v, f);
        assertThat(m.vertices()).isSameAs(v);
        assertThat(m.faces()).isSameAs(f);
        assertThat(m.vertexCount()).isEqualTo(3);
        assertThat(m.faceCount()).isEqualTo(1);
        assertThat(m).isEqualTo(new Mesh(v.clone(), f.clone())).hasSameHashCodeAs(new Mesh(v.clone(), f.clone()));
        assertThat(m).isNotEqualTo(new Mesh(v, new int[] {0, 2, 1}));
        assertThat(m.toString()).isEqualTo("Mesh[3 vertices, 1 triangles]");
    }

    @Test
    void constructor_badInput_throwsNamingArgument() {
        assertThatThrownBy(() -> new Mesh(new float[4], new int[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vertices").hasMessageContaining("got 4");
        assertThatThrownBy(() -> new Mesh(new float[] {0, 0, Float.NaN}, new int[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vertices[0]")
                .hasMessageContaining("z");
        assertThatThrownBy(() -> new Mesh(new float[3], new int[] {0, 0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("faces[0]")
                .hasMessageContaining("index 1");
        assertThatThrownBy(() -> new Mesh(new float[3], null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("faces");
    }
}
