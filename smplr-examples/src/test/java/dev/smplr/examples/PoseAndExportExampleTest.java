package dev.smplr.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smplr.core.Gender;
import dev.smplr.io.MeshReader;
import dev.smplr.smpl.SmplModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example writes the posed demo body; the OBJ reads back with the body's size and a bent elbow. */
class PoseAndExportExampleTest {
    @TempDir
    Path dir;

    @Test
    void main_writesObjAndGlb() throws Exception {
        PoseAndExportExample.main(new String[] {dir.toString()});
        SmplModel body = SmplModel.demo(Gender.FEMALE);
        var mesh = MeshReader.readObj(dir.resolve("posed.obj"));
        assertThat(mesh.vertexCount()).isEqualTo(body.vertexCount());
        assertThat(mesh.vertices()).isNotEqualTo(body.template()); // posed and reshaped
        assertThat(Files.size(dir.resolve("posed.glb"))).isGreaterThan(1000);
    }
}
