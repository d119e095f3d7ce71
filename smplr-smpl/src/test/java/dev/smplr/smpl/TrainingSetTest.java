package dev.smplr.smpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.smplr.core.Gender;
import dev.smplr.core.SmplrFeatures;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TrainingSetTest {

    /** Rodrigues in float64, written independently: R = I + sin t K + (1 - cos t) K^2. */
    private static double[] rodrigues(double x, double y, double z) {
        double t = Math.sqrt(x * x + y * y + z * z);
        double[] r = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        if (t < 1e-12) {
            return r;
        }
        double kx = x / t;
        double ky = y / t;
        double kz = z / t;
        double[] k = {0, -kz, ky, kz, 0, -kx, -ky, kx, 0};
        double s = Math.sin(t);
        double c = 1 - Math.cos(t);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double k2 = 0;
                for (int m = 0; m < 3; m++) {
                    k2 += k[3 * i + m] * k[3 * m + j];
                }
                r[3 * i + j] += s * k[3 * i + j] + c * k2;
            }
        }
        return r;
    }

    @Test
    void sample_matchesSamplerModelAndReferenceRodrigues() {
        TrainingSet set = TrainingSet.builder().seed(42).build();
        for (long i = 0; i < 20; i++) {
            TrainingSample s = set.sample(i);
            // the sample's own generator, rebuilt independently of the set
            PoseSampler.Sample drawn = PoseSampler.anatomical().sample(new SplittableRandom(TrainingSet.mix(42, i)));
            assertThat(s.gender()).isEqualTo(drawn.gender());
            assertThat(s.betas()).containsExactly(drawn.params().betas());
            assertThat(s.points()).containsExactly(SmplModel.demo(drawn.gender()).smplrPoints(drawn.params()));
            assertThat(s.noisyPoints()).containsExactly(s.points());
            float[] pose = drawn.params().pose();
            for (int j = 0; j < 24; j++) {
                double[] r = rodrigues(pose[3 * j], pose[3 * j + 1], pose[3 * j + 2]);
                for (int e = 0; e < 9; e++) {
                    assertThat((double) s.rotations()[9 * j + e]).isCloseTo(r[e], within(2e-6));
                }
            }
            for (int k = 0; k < 41; k++) {
                double len = Math.sqrt(sq(s.n()[3 * k]) + sq(s.n()[3 * k + 1]) + sq(s.n()[3 * k + 2]));
                assertThat(len).isCloseTo(1.0, within(1e-5));
            }
            assertThat(s.b()).containsExactly(
                    SmplrFeatures.relativeDistances(s.points(), set.templateDistances(s.gender())));
        }
    }

    @Test
    void sample_zeroPose_hasZeroB_withEachGendersTemplate() {
        for (Gender g : Gender.values()) {
            PoseSampler zero = rnd -> new PoseSampler.Sample(SmplParams.zero(), g);
            TrainingSet set = TrainingSet.builder().sampler(zero).build();
            TrainingSample s = set.sample(3);
            assertThat(s.gender()).isEqualTo(g);
            for (float b : s.b()) {
                assertThat(b).isCloseTo(0f, within(1e-6f));
            }
            // the template is that gender's rest bone lengths, measured independently
            float[] rest = SmplModel.demo(g).smplrPoints(SmplParams.zero());
            float[] d = set.templateDistances(g);
            int[] parents = dev.smplr.core.KinematicTree.smplr().parents();
            for (int k = 1; k < 42; k++) {
                int p = parents[k];
                double l = 0;
                for (int c = 0; c < 3; c++) {
                    double a = rest[3 * (k - 1) + c] - (p == 0 ? 0 : rest[3 * (p - 1) + c]);
                    l += a * a;
                }
                assertThat((double) d[k - 1]).isCloseTo(Math.sqrt(l), within(1e-6));
            }
        }
        assertThat(TrainingSet.builder().build().templateDistances(Gender.MALE))
                .isNotEqualTo(TrainingSet.builder().build().templateDistances(Gender.FEMALE));
    }

    @Test
    void sample_sameSeedSame_differentSeedDiffers() {
        TrainingSet a = TrainingSet.builder().seed(7).noise(NoiseModel.structured()).build();
        TrainingSet b = TrainingSet.builder().seed(7).noise(NoiseModel.structured()).build();
        TrainingSet c = TrainingSet.builder().seed(8).noise(NoiseModel.structured()).build();
        // out of order on one, in order on the other
        assertThat(a.sample(9)).isEqualTo(b.stream(0).skip(9).findFirst().orElseThrow());
        for (long i = 0; i < 10; i++) {
            assertThat(a.sample(i)).isEqualTo(b.sample(i));
            assertThat(a.sample(i).points()).isNotEqualTo(c.sample(i).points());
            assertThat(a.sample(i).points()).isNotEqualTo(a.sample(i + 1).points());
        }
        List<TrainingSample> streamed = a.stream(5).limit(3).collect(Collectors.toList());
        assertThat(streamed).containsExactly(b.sample(5), b.sample(6), b.sample(7));
    }

    @Test
    void sample_withNoise_featuresFromNoisyPointsWithinAmplitudes() {
        NoiseModel noise = NoiseModel.release();
        float[] g = noise.amplitudes();
        TrainingSet set = TrainingSet.builder().seed(1).noise(noise).build();
        for (long i = 0; i < 50; i++) {
            TrainingSample s = set.sample(i);
            for (int j = 0; j < 123; j++) {
                assertThat(Math.abs(s.noisyPoints()[j] - s.points()[j])).isLessThanOrEqualTo(g[j] * 1.0001f + 1e-6f);
            }
            assertThat(s.noisyPoints()).isNotEqualTo(s.points());
            assertThat(s.n()).containsExactly(SmplrFeatures.normalizedRelativeJoints(s.noisyPoints()));
            assertThat(s.b()).containsExactly(
                    SmplrFeatures.relativeDistances(s.noisyPoints(), set.templateDistances(s.gender())));
        }
    }

    @Test
    void fill_sequentialParallelAndSampleAgree() {
        TrainingSet set = TrainingSet.builder().seed(3).noise(NoiseModel.release()).build();
        int count = 64;
        long first = 100;
        float[][] seq = {new float[count * 123], new float[count * 123], new float[count * 41],
            new float[count * 216], new float[count * 10], new float[count * 123], new float[count]};
        float[][] par = {new float[count * 123], new float[count * 123], new float[count * 41],
            new float[count * 216], new float[count * 10], new float[count * 123], new float[count]};
        set.fill(first, count, seq[0], seq[1], seq[2], seq[3], seq[4], seq[5], seq[6]);
        set.fillParallel(first, count, par[0], par[1], par[2], par[3], par[4], par[5], par[6]);
        for (int a = 0; a < 7; a++) {
            assertThat(par[a]).containsExactly(seq[a]);
        }
        for (int s = 0; s < count; s += 9) {
            TrainingSample one = set.sample(first + s);
            assertThat(java.util.Arrays.copyOfRange(seq[0], 123 * s, 123 * s + 123)).containsExactly(one.noisyPoints());
            assertThat(java.util.Arrays.copyOfRange(seq[1], 123 * s, 123 * s + 123)).containsExactly(one.n());
            assertThat(java.util.Arrays.copyOfRange(seq[2], 41 * s, 41 * s + 41)).containsExactly(one.b());
            assertThat(java.util.Arrays.copyOfRange(seq[3], 216 * s, 216 * s + 216)).containsExactly(one.rotations());
            assertThat(java.util.Arrays.copyOfRange(seq[4], 10 * s, 10 * s + 10)).containsExactly(one.betas());
            assertThat(java.util.Arrays.copyOfRange(seq[5], 123 * s, 123 * s + 123)).containsExactly(one.points());
            assertThat(seq[6][s]).isEqualTo(one.genderScore());
        }
        // nulls skip outputs and leave the rest unchanged
        float[] b = new float[count * 41];
        set.fill(first, count, null, null, b, null, null);
        assertThat(b).containsExactly(seq[2]);
        assertThat(seq[6]).contains(-1f, 0f, 1f);
    }

    @Test
    void fill_badArguments_throw() {
        TrainingSet set = TrainingSet.builder().build();
        assertThatThrownBy(() -> set.fill(0, 4, new float[123 * 3], null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("points")
                .hasMessageContaining("492").hasMessageContaining("369");
        assertThatThrownBy(() -> set.fill(0, 2, null, null, null, null, null, null, new float[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("genderScores");
        assertThatThrownBy(() -> set.fill(-1, 1, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> set.sample(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index");
        assertThatThrownBy(() -> TrainingSet.builder().betaCount(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fill_motionFileSampler_betaCountPads() {
        PoseSampler fixed = rnd -> new PoseSampler.Sample(SmplParams.of(new float[72], new float[] {0.5f, -1f},
                null), Gender.NEUTRAL);
        TrainingSet set = TrainingSet.builder().sampler(fixed).betaCount(4).build();
        assertThat(set.sample(0).betas()).containsExactly(0.5f, -1f, 0f, 0f);
    }

    @Test
    void sample_randomOrientation_rotatesPointsAndRootConsistently() {
        PoseSampler zero = rnd -> new PoseSampler.Sample(SmplParams.zero(), Gender.MALE);
        TrainingSet set = TrainingSet.builder().sampler(zero).randomOrientation(true).seed(2).build();
        float[] rest = SmplModel.demo(Gender.MALE).smplrPoints(SmplParams.zero());
        double[] mean = new double[9];
        int trials = 2000;
        for (long i = 0; i < trials; i++) {
            TrainingSample s = set.sample(i);
            float[] r = s.rotations();
            for (int e = 0; e < 9; e++) {
                mean[e] += r[e] / trials;
            }
            if (i < 20) {
                for (int p = 0; p < 41; p++) {
                    for (int row = 0; row < 3; row++) {
                        double expected = 0;
                        for (int c = 0; c < 3; c++) {
                            expected += r[3 * row + c] * rest[3 * p + c];
                        }
                        assertThat((double) s.points()[3 * p + row]).isCloseTo(expected, within(2e-5));
                    }
                }
                // the other joints keep the sampler's (zero) pose
                assertThat(r[9 * 5]).isEqualTo(1f);
            }
        }
        // a uniform rotation has E[R] = 0
        for (double m : mean) {
            assertThat(m).isCloseTo(0, within(0.06));
        }
    }

    @Test
    void throughput_isReported() {
        TrainingSet set = TrainingSet.builder().seed(5).noise(NoiseModel.structured()).build();
        int count = 2000;
        float[] p = new float[count * 123];
        float[] n = new float[count * 123];
        float[] b = new float[count * 41];
        float[] r = new float[count * 216];
        float[] betas = new float[count * 10];
        set.fill(0, 200, p, n, b, r, betas);
        long t0 = System.nanoTime();
        set.fill(0, count, p, n, b, r, betas);
        long t1 = System.nanoTime();
        set.fillParallel(0, count, p, n, b, r, betas, null, null);
        long t2 = System.nanoTime();
        System.out.printf("TrainingSet (demo body): %.0f samples/s sequential, %.0f samples/s parallel (%d cores)%n",
                count / ((t1 - t0) * 1e-9), count / ((t2 - t1) * 1e-9), Runtime.getRuntime().availableProcessors());
        assertThat(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]).isCloseTo(1f, within(1e-5f));
    }

    private static double sq(double v) {
        return v * v;
    }
}
