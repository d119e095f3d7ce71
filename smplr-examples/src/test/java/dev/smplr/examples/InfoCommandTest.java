package dev.smplr.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smplr.core.Gender;
import dev.smplr.io.NdArray;
import dev.smplr.io.Npy;
import dev.smplr.io.Npz;
import dev.smplr.smpl.CliFixtures;
import dev.smplr.smpl.SmplModel;
import dev.smplr.smpl.SyntheticModels;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code smplr info} on model files written by the library and its fixtures, and on files of other kinds. */
class InfoCommandTest {
    @TempDir
    Path dir;

    @Test
    void call_officialLayoutPkl_describesTheModel() throws Exception {
        SmplModel model = SyntheticModels.model(400, 10, 5);
        Path pkl = dir.resolve("basicModel_f_lbs_10_207_0_v1.0.0.pkl");
        CliFixtures.writePkl(model, pkl);
        Cli r = Cli.run("info", pkl.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .containsPattern("format +Python pickle, protocol 2")
                .containsPattern("vertices +400\\b")
                .containsPattern("faces +" + model.faces().length / 3 + " triangles")
                .containsPattern("shape components +10 +\\(shapedirs float64 \\(400, 3, 10\\)\\)")
                .containsPattern("pose blend shapes +207")
                .containsPattern("joint regressor +sparse csc_matrix \\(24, 400\\), 240 non-zeros, rows sum to 1")
                .containsPattern("kinematic tree +24 joints, SMPL's parents \\(ok\\)")
                .containsPattern("gender +female +\\(from the file name\\)")
                .containsPattern("landmarks +18 vertices \\(key 'landmark_vertices'\\)")
                .containsPattern("ignored keys +J_regressor_prior, J, weights_prior, vert_sym_idxs, "
                        + "pose_training_info");
    }

    @Test
    void call_savedDemoBodyNpz_describesTheModel() throws Exception {
        SmplModel demo = SmplModel.demo(Gender.MALE);
        Path npz = dir.resolve("demo.npz");
        demo.save(npz);
        Cli r = Cli.run("info", npz.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .containsPattern("format +NumPy .npz, \\d+ arrays, deflated")
                .containsPattern("vertices +" + demo.vertexCount())
                .containsPattern("joint regressor +dense float32 \\(24, " + demo.vertexCount() + "\\)")
                .containsPattern("gender +male +\\(key 'gender'\\)")
                .containsPattern("template height +1\\.[5-9]\\d* m");
    }

    @Test
    void call_pngImage_oneLineNamingTheKind() throws Exception {
        Path png = dir.resolve("model.pkl");
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        assertOneLineFailure(Cli.run("info", png.toString()), "a PNG image, not an SMPL model");
    }

    @Test
    void call_singleNpyArray_oneLineNamingTheKind() throws Exception {
        Path npy = dir.resolve("v_template.npy");
        Npy.write(NdArray.of(new int[] {2, 3}, new float[6]), npy);
        assertOneLineFailure(Cli.run("info", npy.toString()), "a single NumPy .npy array");
    }

    @Test
    void call_motionFileNpz_oneLineNamingTheKind() throws Exception {
        Path npz = dir.resolve("walk.npz");
        Npz.write(Map.of("poses", NdArray.of(new int[] {2, 72}, new float[144]),
                "betas", NdArray.of(new int[] {10}, new float[10])), npz, false);
        assertOneLineFailure(Cli.run("info", npz.toString()), "a motion file (poses float32 (2, 72)");
    }

    @Test
    void call_jsonFile_oneLineNamingTheKind() throws Exception {
        Path json = dir.resolve("points.json");
        Files.writeString(json, "[1, 2, 3]");
        assertOneLineFailure(Cli.run("info", json.toString()), "a JSON document, not an SMPL model");
    }

    @Test
    void call_pklWithWrongKey_oneLineNamingFileAndKey() throws Exception {
        Path npz = dir.resolve("broken.npz");
        SmplModel.demo(Gender.NEUTRAL).save(npz);
        Map<String, NdArray> arrays = new java.util.LinkedHashMap<>(Npz.read(npz));
        arrays.put("weights", NdArray.of(new int[] {3, 24}, new float[72]));
        Npz.write(arrays, npz, false);
        assertOneLineFailure(Cli.run("info", npz.toString()), "key 'weights': expected");
    }

    @Test
    void call_missingFile_usageError() {
        Cli r = Cli.run("info", dir.resolve("SMPL_NEUTRAL.pkl").toString());
        assertThat(r.code()).isEqualTo(Smplr.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains("no such file");
    }

    @Test
    void call_directory_oneLineNamingTheKind() {
        assertOneLineFailure(Cli.run("info", dir.toString()), "a directory");
    }

    static void assertOneLineFailure(Cli r, String expected) {
        assertThat(r.code()).isEqualTo(Smplr.FAILURE);
        assertThat(r.errLines()).singleElement().asString().contains(expected);
        assertThat(r.out()).isEmpty();
    }
}
