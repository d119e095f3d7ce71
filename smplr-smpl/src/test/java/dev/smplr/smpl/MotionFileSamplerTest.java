package dev.smplr.smpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smplr.core.Gender;
import dev.smplr.io.FileFormatException;
import dev.smplr.io.NdArray;
import dev.smplr.io.Npz;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MotionFileSamplerTest {
    @TempDir
    Path dir;

    private static double[] poses(int frames, int width) {
        double[] p = new double[frames * width];
        for (int i = 0; i < p.length; i++) {
            p[i] = 0.001 * (i % 997) - 0.3;
        }
        return p;
    }

    private Path write(String name, Map<String, NdArray> arrays) throws IOException {
        Path f = dir.resolve(name);
        Npz.write(arrays, f, true);
        return f;
    }

    private static Map<String, NdArray> motion(int frames, int width, int betas) {
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("poses", NdArray.of(new int[] {frames, width}, poses(frames, width)));
        double[] b = new double[betas];
        for (int i = 0; i < betas; i++) {
            b[i] = 0.1 * (i + 1);
        }
        m.put("betas", NdArray.of(new int[] {betas}, b));
        m.put("trans", NdArray.of(new int[] {frames, 3}, new double[frames * 3]));
        return m;
    }

    @Test
    void fromMotionFile_smpl_drawsEveryFrameWithFileBetasAndGender() throws IOException {
        Map<String, NdArray> m = motion(5, 72, 16);
        m.put("gender", NdArray.ofString("male"));
        PoseSampler sampler = PoseSampler.fromMotionFile(write("a.npz", m));
        double[] expected = poses(5, 72);
        boolean[] seen = new boolean[5];
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            PoseSampler.Sample s = sampler.sample(rnd);
            assertThat(s.gender()).isEqualTo(Gender.MALE);
            assertThat(s.params().betas()).hasSize(10);
            assertThat(s.params().betas()[9]).isEqualTo(1.0f);
            int frame = -1;
            for (int f = 0; f < 5; f++) {
                boolean same = true;
                for (int k = 0; k < 72; k++) {
                    same &= s.params().pose()[k] == (float) expected[72 * f + k];
                }
                if (same) {
                    frame = f;
                }
            }
            assertThat(frame).isNotNegative();
            seen[frame] = true;
        }
        assertThat(seen).containsOnly(true);
    }

    @Test
    void fromMotionFile_smplh_takesBodyJointsAndZeroesHands() throws IOException {
        Map<String, NdArray> m = motion(3, 156, 10);
        m.put("gender", NdArray.ofString(" Female "));
        MotionFileSampler sampler = (MotionFileSampler) PoseSampler.fromMotionFile(write("h.npz", m), 8);
        double[] expected = poses(3, 156);
        assertThat(sampler.frames()).isEqualTo(3);
        assertThat(sampler.gender()).isEqualTo(Gender.FEMALE);
        for (int f = 0; f < 3; f++) {
            float[] pose = sampler.pose(f);
            for (int k = 0; k < 66; k++) {
                assertThat(pose[k]).isEqualTo((float) expected[156 * f + k]);
            }
            assertThat(Arrays.copyOfRange(pose, 66, 72)).containsOnly(0f);
        }
        assertThat(sampler.sample(new SplittableRandom(2)).params().betas()).hasSize(8);
    }

    @Test
    void fromMotionFile_genderAsNumpyBytes_isRead() throws IOException {
        Map<String, NdArray> m = motion(2, 72, 10);
        m.put("gender", NdArray.of(NdArray.DType.BYTES, new int[0], new String[] {"female"}));
        assertThat(PoseSampler.fromMotionFile(write("s.npz", m)).sample(new SplittableRandom(0)).gender())
                .isEqualTo(Gender.FEMALE);
    }

    @Test
    void fromMotionFile_noGender_isNeutral() throws IOException {
        PoseSampler sampler = PoseSampler.fromMotionFile(write("n.npz", motion(2, 72, 10)));
        assertThat(sampler.sample(new SplittableRandom(0)).gender()).isEqualTo(Gender.NEUTRAL);
    }

    @Test
    void fromMotionFile_missingPoses_namesFileAndKey() throws IOException {
        Map<String, NdArray> m = motion(2, 72, 10);
        m.remove("poses");
        Path f = write("nop.npz", m);
        assertThatThrownBy(() -> PoseSampler.fromMotionFile(f)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("nop.npz").hasMessageContaining("poses");
    }

    @Test
    void fromMotionFile_badShapesAndValues_namesKey() throws IOException {
        Path narrow = write("narrow.npz", motion(2, 60, 10));
        assertThatThrownBy(() -> PoseSampler.fromMotionFile(narrow)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("narrow.npz").hasMessageContaining("'poses'").hasMessageContaining("60");
        Path few = write("few.npz", motion(2, 72, 4));
        assertThatThrownBy(() -> PoseSampler.fromMotionFile(few)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("few.npz").hasMessageContaining("'betas'");
        Map<String, NdArray> m = motion(2, 72, 10);
        double[] p = poses(2, 72);
        p[80] = Double.NaN;
        m.put("poses", NdArray.of(new int[] {2, 72}, p));
        Path nan = write("nan.npz", m);
        assertThatThrownBy(() -> PoseSampler.fromMotionFile(nan)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("'poses'").hasMessageContaining("frame 1");
        Map<String, NdArray> g = motion(2, 72, 10);
        g.put("gender", NdArray.ofString("alien"));
        Path alien = write("alien.npz", g);
        assertThatThrownBy(() -> PoseSampler.fromMotionFile(alien)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("'gender'").hasMessageContaining("alien");
        assertThatThrownBy(() -> PoseSampler.fromMotionFile(dir.resolve("absent.npz")))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> PoseSampler.fromMotionFile(nan, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("betaCount");
    }
}
