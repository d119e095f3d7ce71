package dev.smplr.smpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smplr.io.FileFormatException;
import dev.smplr.io.internal.PickleWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SmplModel.load and save: the official layouts pose the same body as the arrays they were written from. */
class SmplModelLoadTest {
    @TempDir
    Path dir;

    private static SmplParams randomParams(long seed, int betas) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] pose = new float[72];
        for (int i = 0; i < 72; i++) {
            pose[i] = (float) (0.6 * rnd.nextGaussian());
        }
        float[] b = new float[betas];
        for (int i = 0; i < betas; i++) {
            b[i] = (float) rnd.nextGaussian();
        }
        return SmplParams.of(pose, b, new float[] {0.1f, -0.2f, 0.3f});
    }

    @Test
    void load_pklAndNpz_poseLikeTheSourceArrays() throws IOException {
        ModelData data = SyntheticModels.data(400, 10, 5);
        SmplModel expected = SmplModel.of(data);
        Path pkl = dir.resolve("basicModel_f_lbs_10_207_0_v1.0.0.pkl");
        Path npz = dir.resolve("model.npz");
        SmplFileFixtures.writePkl(data, pkl, PickleWriter.Flavor.PY2);
        SmplFileFixtures.writeNpz(data, npz);
        SmplModel fromPkl = SmplModel.load(pkl);
        SmplModel fromNpz = SmplModel.load(npz);
        assertThat(fromPkl.vertexCount()).isEqualTo(400);
        assertThat(fromPkl.shapeCount()).isEqualTo(10);
        assertThat(fromPkl.faces()).containsExactly(expected.faces());
        for (long seed = 0; seed < 5; seed++) {
            SmplParams params = randomParams(seed, 10);
            float[] want = expected.forward(params).vertices();
            // the files hold float64 copies of the float32 arrays: the loaded models are the same model
            assertThat(fromPkl.forward(params).vertices()).containsExactly(want);
            assertThat(fromNpz.forward(params).vertices()).containsExactly(want);
        }
    }

    @Test
    void save_thenLoad_isTheSameModel() throws IOException {
        SmplModel model = SyntheticModels.model(300, 10, 9);
        Path file = dir.resolve("saved.npz");
        model.save(file);
        SmplModel back = SmplModel.load(file);
        assertThat(back.gender()).isEqualTo(model.gender());
        assertThat(back.landmarkVertices()).containsExactly(model.landmarkVertices());
        SmplParams params = randomParams(3, 10);
        assertThat(back.forward(params)).isEqualTo(model.forward(params));
        assertThat(back.smplrPoints(params)).containsExactly(model.smplrPoints(params));
    }

    @Test
    void demo_roundTripsThroughSaveAndLoad() throws IOException {
        for (dev.smplr.core.Gender g : dev.smplr.core.Gender.values()) {
            SmplModel demo = SmplModel.demo(g);
            assertThat(SmplModel.demo(g)).isSameAs(demo);
            Path file = dir.resolve("demo-" + g + ".npz");
            demo.save(file);
            SmplModel back = SmplModel.load(file);
            assertThat(back.gender()).isEqualTo(g);
            assertThat(back.vertexCount()).isEqualTo(demo.vertexCount());
            SmplParams params = randomParams(g.ordinal(), 10);
            assertThat(back.forward(params)).isEqualTo(demo.forward(params));
            assertThat(back.fingerprint()).isEqualTo(demo.fingerprint()).matches("[0-9a-f]{16}");
        }
        assertThat(SmplModel.demo(dev.smplr.core.Gender.MALE).fingerprint())
                .isNotEqualTo(SmplModel.demo(dev.smplr.core.Gender.FEMALE).fingerprint());
    }

    @Test
    void demo_restPointsFollowTheRestSkeleton() {
        float[] points = SmplModel.demo(dev.smplr.core.Gender.NEUTRAL).smplrPoints(SmplParams.zero());
        float[] rest = dev.smplr.core.RestSkeleton.points41();
        // joints exactly (the regressor is solved for them), landmarks are surface vertices near the named places
        assertThat(dev.smplr.core.Metrics.mpjpe(java.util.Arrays.copyOf(points, 69), java.util.Arrays.copyOf(rest, 69)))
                .isLessThan(0.1);
        assertThat(dev.smplr.core.Metrics.mpjpe(points, rest)).isLessThan(15);
    }

    @Test
    void load_fewerBetas_onlyUsesThose_andMoreIsAnError() throws IOException {
        ModelData data = SyntheticModels.data(300, 10, 2);
        Path file = dir.resolve("m.npz");
        SmplFileFixtures.writeNpz(data, file);
        SmplModel four = SmplModel.load(file, 4);
        assertThat(four.shapeCount()).isEqualTo(4);
        SmplParams params = randomParams(1, 4);
        assertThat(four.forward(params).vertices()).containsExactly(SmplModel.of(data).forward(params).vertices());
        assertThatThrownBy(() -> SmplModel.load(file, 11)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("11").hasMessageContaining("10");
        assertThatThrownBy(() -> four.forward(randomParams(1, 5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("betas");
    }

    @Test
    void load_wrongKindOfFile_namesTheFile() throws IOException {
        Path text = dir.resolve("notes.pkl");
        Files.writeString(text, "hello");
        assertThatThrownBy(() -> SmplModel.load(text)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("notes.pkl");
    }
}
