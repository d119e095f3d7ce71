package dev.smplr.smpl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smplr.core.KinematicTree;
import dev.smplr.io.MeshReader;
import dev.smplr.io.MeshWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's SMPL snippet, kept compiling and true. Copy changes to README.md. */
class ReadmeSnippetsTest {
    @TempDir
    Path dir;

    @Test
    void loadPoseExport() throws IOException {
        // a synthetic stand-in for the user's licensed file
        SyntheticModels.model(500, 10, 1).save(dir.resolve("SMPL_NEUTRAL.npz"));
        Path modelFile = dir.resolve("SMPL_NEUTRAL.npz");
        Path objFile = dir.resolve("body.obj");
        Path glbFile = dir.resolve("body.glb");

        SmplModel smpl = SmplModel.load(modelFile);                  // .pkl or .npz, no Python needed
        float[] pose = new float[72];                                // 24 joints × axis-angle
        pose[3 * 18 + 1] = -1.2f;                                    // bend the left elbow
        float[] betas = {1.5f, 0, 0, 0, 0, 0, 0, 0, 0, 0};           // taller than average
        SmplOutput body = smpl.forward(SmplParams.of(pose, betas, null));
        MeshWriter.writeObj(objFile, body.vertices(), smpl.faces(), true);
        MeshWriter.writeGlb(glbFile, body.vertices(), smpl.faces(),
                MeshWriter.Skeleton.of(KinematicTree.smpl(), body.joints(), null));

        assertThat(MeshReader.readObj(objFile).vertices()).containsExactly(body.vertices());
        assertThat(Files.size(glbFile)).isGreaterThan(500 * 12);
    }
}
