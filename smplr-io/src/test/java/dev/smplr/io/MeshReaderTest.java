package dev.smplr.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshReaderTest {

    @TempDir
    Path dir;

    private Path obj(String text) throws IOException {
        Path file = dir.resolve("t.obj");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void readObj_allCornerFormsAndIgnoredStatements() throws IOException {
        Mesh m = MeshReader.readObj(obj("""
                # exported by a tool
                mtllib body.mtl
                o body
                v 0 0 0
                v 1.5 0 0 1.0
                v 0 2 0 0.1 0.2 0.3
                v 0 0 -3e-2
                vt 0 0
                vn 0 0 1
                g part
                usemtl skin
                s 1
                f 1 2 3
                f 1/1 2/1 4/1
                f 1/1/1 3/1/1 4/1/1  # trailing comment
                f 2//1 3//1 4//1
                l 1 2
                """));
        assertThat(m.vertices()).containsExactly(0, 0, 0, 1.5f, 0, 0, 0, 2, 0, 0, 0, -3e-2f);
        assertThat(m.faces()).containsExactly(0, 1, 2, 0, 1, 3, 0, 2, 3, 1, 2, 3);
    }

    @Test
    void readObj_negativeIndicesCountBackFromLatestVertex() throws IOException {
        Mesh m = MeshReader.readObj(obj("v 0 0 0\nv 1 0 0\nv 0 1 0\nf -3 -2 -1\nv 5 5 5\nf -1 -2 -4\n"));
        assertThat(m.faces()).containsExactly(0, 1, 2, 3, 2, 0);
    }

    @Test
    void readObj_polygon_fanTriangulated() throws IOException {
        Mesh m = MeshReader.readObj(obj("v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nv -1 0.5 0\nf 1 2 3 4 5\n"));
        assertThat(m.faces()).containsExactly(0, 1, 2, 0, 2, 3, 0, 3, 4);
    }

    @Test
    void readObj_lineContinuationAndCrlf() throws IOException {
        Mesh m = MeshReader.readObj(obj("v 0 0 0\r\nv 1 \\\r\n 0 0\r\nv 0 1 0\r\nf 1 2 \\\n3\r\n"));
        assertThat(m.vertices()).containsExactly(0, 0, 0, 1, 0, 0, 0, 1, 0);
        assertThat(m.faces()).containsExactly(0, 1, 2);
    }

    @Test
    void readObj_errors_nameFileAndLine() throws IOException {
        assertThatThrownBy(() -> MeshReader.readObj(obj("v 0 0 0\nv 1 0\n")))
                .isInstanceOf(IOException.class).hasMessageContaining("t.obj:2:").hasMessageContaining("v x y z");
        assertThatThrownBy(() -> MeshReader.readObj(obj("v 0 0 0\nv 1 zero 0\n")))
                .isInstanceOf(IOException.class).hasMessageContaining("t.obj:2:").hasMessageContaining("'zero'");
        assertThatThrownBy(() -> MeshReader.readObj(obj("v 0 0 0\nv 1 NaN 0\n")))
                .isInstanceOf(IOException.class).hasMessageContaining(":2:").hasMessageContaining("finite");
        assertThatThrownBy(() -> MeshReader.readObj(obj("v 0 0 0\nv 1 0 0\nv 0 1 0\n\nf 1 2 4\n")))
                .isInstanceOf(IOException.class).hasMessageContaining("t.obj:5:")
                .hasMessageContaining("vertex index 4").hasMessageContaining("3 vertices");
        assertThatThrownBy(() -> MeshReader.readObj(obj("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 0 1 2\n")))
                .isInstanceOf(IOException.class).hasMessageContaining(":4:").hasMessageContaining("index 0");
        assertThatThrownBy(() -> MeshReader.readObj(obj("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 -4\n")))
                .isInstanceOf(IOException.class).hasMessageContaining(":4:").hasMessageContaining("-4");
        assertThatThrownBy(() -> MeshReader.readObj(obj("v 0 0 0\nv 1 0 0\nf 1 2\n")))
                .isInstanceOf(IOException.class).hasMessageContaining(":3:").hasMessageContaining("3 corners");
        assertThatThrownBy(() -> MeshReader.readObj(obj("v 0 0 0\nf 1 x/1 1\n")))
                .isInstanceOf(IOException.class).hasMessageContaining(":2:").hasMessageContaining("'x/1'");
        assertThatThrownBy(() -> MeshReader.readObj(obj("# nothing\nvn 0 0 1\n")))
                .isInstanceOf(IOException.class).hasMessageContaining("t.obj").hasMessageContaining("no vertices");
        assertThatThrownBy(() -> MeshReader.readObj(dir.resolve("missing.obj"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> MeshReader.readObj(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file");
    }

    @Test
    void readObj_largeMesh_growsBuffers() throws IOException {
        Mesh m = MeshWriterTest.randomMesh(1, 5000, 9000);
        Path file = dir.resolve("big.obj");
        MeshWriter.writeObj(file, m.vertices(), m.faces(), true);
        assertThat(MeshReader.readObj(file)).isEqualTo(m);
    }
}
