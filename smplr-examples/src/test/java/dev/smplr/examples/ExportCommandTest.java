package dev.smplr.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smplr.core.Gender;
import dev.smplr.io.Mesh;
import dev.smplr.io.MeshReader;
import dev.smplr.smpl.CliFixtures;
import dev.smplr.smpl.SmplModel;
import dev.smplr.smpl.SmplOutput;
import dev.smplr.smpl.SmplParams;
import dev.smplr.smpl.SyntheticModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code smplr export}: round trips through the OBJ reader against the model's own forward pass. */
class ExportCommandTest {
    @TempDir
    Path dir;

    @Test
    void call_randomPoseAndBetas_objReadsBackAsTheForwardPass() throws Exception {
        Path obj = dir.resolve("body.obj");
        Cli r = Cli.run("export", "--model", "demo:female", "--random-pose", "3", "--betas", "1.5,-0.5",
                "--out", obj.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        SmplModel body = SmplModel.demo(Gender.FEMALE);
        SmplOutput expected = body.forward(SmplParams.of(ExportCommand.randomPose(3), new float[] {1.5f, -0.5f},
                null));
        Mesh mesh = MeshReader.readObj(obj);
        assertThat(mesh.vertices()).containsExactly(expected.vertices());
        assertThat(mesh.faces()).containsExactly(body.faces());
    }

    @Test
    void call_poseFileOnModelFile_objReadsBackAsTheForwardPass() throws Exception {
        SmplModel model = SyntheticModels.model(300, 10, 2);
        Path pkl = dir.resolve("model_m.pkl");
        CliFixtures.writePkl(model, pkl);
        float[] pose = new float[72];
        pose[3 * 18 + 1] = -1.2f; // bend the left elbow
        pose[3 * 4] = 0.5f;
        StringBuilder csv = new StringBuilder("x,y,z\n");
        for (int j = 0; j < 24; j++) {
            csv.append(pose[3 * j]).append(',').append(pose[3 * j + 1]).append(',').append(pose[3 * j + 2])
                    .append('\n');
        }
        Path poseFile = dir.resolve("pose.csv");
        Files.writeString(poseFile, csv, StandardCharsets.UTF_8);
        Path obj = dir.resolve("out/body.obj");
        Cli r = Cli.run("export", "--model", pkl.toString(), "--pose", poseFile.toString(), "--out", obj.toString());
        assertThat(r.err()).isEmpty();
        SmplOutput expected = SmplModel.load(pkl).forward(SmplParams.of(pose, new float[0], null));
        assertThat(MeshReader.readObj(obj).vertices()).containsExactly(expected.vertices());
    }

    @Test
    void call_glbAndPly_writeTheirFormats() throws Exception {
        Path glb = dir.resolve("body.glb");
        Path ply = dir.resolve("body.ply");
        assertThat(Cli.run("export", "--out", glb.toString()).code()).isZero();
        assertThat(Cli.run("export", "--out", ply.toString()).code()).isZero();
        assertThat(new String(Files.readAllBytes(glb), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("glTF");
        assertThat(new String(Files.readAllBytes(ply), 0, 3, StandardCharsets.US_ASCII)).isEqualTo("ply");
    }

    @Test
    void call_unknownExtension_usageError() {
        Cli r = Cli.run("export", "--out", dir.resolve("body.stl").toString());
        assertThat(r.code()).isEqualTo(Smplr.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains("--out: expected a .obj, .ply or .glb");
    }

    @Test
    void call_poseAndRandomPose_usageError() throws Exception {
        Cli r = Cli.run("export", "--pose", "p.json", "--random-pose", "1", "--out", dir.resolve("a.obj").toString());
        assertThat(r.code()).isEqualTo(Smplr.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains("mutually exclusive");
    }

    @Test
    void call_poseFileWrongShape_oneLineNamingFileAndShape() throws Exception {
        Path pose = dir.resolve("pose.json");
        Files.writeString(pose, "{\"pose\": [0, 0, 0]}");
        Cli r = Cli.run("export", "--pose", pose.toString(), "--out", dir.resolve("a.obj").toString());
        assertThat(r.code()).isEqualTo(Smplr.FAILURE);
        assertThat(r.errLines()).singleElement().asString().contains("pose.json: key 'pose': expected")
                .contains("found 3 values");
    }

    @Test
    void call_tooManyBetas_usageErrorNamingBothCounts() {
        Cli r = Cli.run("export", "--betas", "1,1,1,1,1,1,1,1,1,1,1", "--out", dir.resolve("a.obj").toString());
        assertThat(r.code()).isEqualTo(Smplr.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains("11 values").contains("10 shape components");
    }

    @Test
    void call_badDemoGender_usageError() {
        Cli r = Cli.run("export", "--model", "demo:child", "--out", dir.resolve("a.obj").toString());
        assertThat(r.code()).isEqualTo(Smplr.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains("demo:female, demo:male or demo:neutral");
    }

    @Test
    void call_modelFileOfWrongKind_oneLineFailure() throws Exception {
        Path notModel = dir.resolve("SMPL_NEUTRAL.pkl");
        Files.writeString(notModel, "hello");
        Cli r = Cli.run("export", "--model", notModel.toString(), "--out", dir.resolve("a.obj").toString());
        assertThat(r.code()).isEqualTo(Smplr.FAILURE);
        assertThat(r.errLines()).singleElement().asString().contains("SMPL_NEUTRAL.pkl: unrecognised format");
    }
}
