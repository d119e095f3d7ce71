package dev.smplr.smpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.smplr.core.Gender;
import dev.smplr.core.KinematicTree;
import dev.smplr.core.SmplrLandmark;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NoiseModelTest {
    /** Distinct, non-degenerate points: the demo body in a bent pose. */
    private static float[] body() {
        float[] pose = new float[72];
        pose[3 * 18 + 1] = -1.2f;
        pose[3 * 4] = 0.8f;
        pose[1] = 0.4f;
        return SmplModel.demo(Gender.FEMALE).smplrPoints(SmplParams.of(pose, new float[10], null));
    }

    private static List<Integer> changedPoints(float[] a, float[] b) {
        List<Integer> out = new ArrayList<>();
        for (int p = 0; p < 41; p++) {
            if (a[3 * p] != b[3 * p] || a[3 * p + 1] != b[3 * p + 1] || a[3 * p + 2] != b[3 * p + 2]) {
                out.add(p);
            }
        }
        return out;
    }

    @Test
    void releaseAmplitudes_permuteReleaseFrameToCamera() {
        float[] g = NoiseModel.releaseAmplitudes();
        // L_hip, release (x depth, y right, z up) = (.0083, .0069, .0052) -> camera (y, z, x)
        assertThat(g[0]).isEqualTo(.0069f);
        assertThat(g[1]).isEqualTo(.0052f);
        assertThat(g[2]).isEqualTo(.0083f);
        // R hand landmark (point 40 of SPEC.md 4 = index 39): (.0912, .0416, .0459)
        assertThat(new float[] {g[117], g[118], g[119]}).containsExactly(.0416f, .0459f, .0912f);
        // head top (41 -> 40): (.0392, .0216, .0291)
        assertThat(new float[] {g[120], g[121], g[122]}).containsExactly(.0216f, .0291f, .0392f);
        double[] sum = new double[3];
        for (int j = 0; j < 123; j++) {
            sum[j % 3] += g[j];
        }
        assertThat(sum[2]).isGreaterThan(1.5 * sum[0]).isGreaterThan(1.5 * sum[1]);
    }

    @Test
    void corrupt_release_isUniformWithinAmplitudes() {
        NoiseModel noise = NoiseModel.release();
        float[] g = noise.amplitudes();
        float[] zero = new float[123];
        SplittableRandom rnd = new SplittableRandom(11);
        int trials = 20000;
        double[] max = new double[123];
        double[] sum = new double[123];
        double[] sq = new double[123];
        double[] axisAbs = new double[3];
        for (int t = 0; t < trials; t++) {
            float[] x = noise.corrupt(zero, rnd);
            for (int j = 0; j < 123; j++) {
                max[j] = Math.max(max[j], Math.abs(x[j]));
                sum[j] += x[j];
                sq[j] += (double) x[j] * x[j];
                axisAbs[j % 3] += Math.abs(x[j]);
            }
        }
        for (int j = 0; j < 123; j++) {
            assertThat(max[j]).as("max |noise| %d", j).isLessThanOrEqualTo(g[j] * (1 + 1e-6))
                    .isGreaterThan(0.99 * g[j]);
            assertThat(sum[j] / trials).as("mean %d", j).isCloseTo(0, within(0.03 * g[j]));
            // variance of U(-g, g) = g^2 / 3
            assertThat(sq[j] / trials).as("variance %d", j).isCloseTo(g[j] * g[j] / 3.0, within(0.05 * g[j] * g[j]));
        }
        assertThat(axisAbs[2]).isGreaterThan(axisAbs[0]).isGreaterThan(axisAbs[1]);
    }

    @Test
    void corrupt_graded_scalesEachCallByOneUniformFactor() {
        NoiseModel noise = NoiseModel.graded();
        float[] g = noise.amplitudes();
        float[] zero = new float[123];
        SplittableRandom rnd = new SplittableRandom(12);
        int trials = 20000;
        double[] sq = new double[123];
        int quietCalls = 0;
        for (int t = 0; t < trials; t++) {
            float[] x = noise.corrupt(zero, rnd);
            double largest = 0;
            for (int j = 0; j < 123; j++) {
                assertThat(Math.abs(x[j])).isLessThanOrEqualTo(g[j] * (1 + 1e-6f));
                sq[j] += (double) x[j] * x[j];
                largest = Math.max(largest, Math.abs(x[j]) / g[j]);
            }
            // one factor s per call: every coordinate of a call is within s·g, so some calls are quiet throughout
            if (largest < 0.1) {
                quietCalls++;
            }
        }
        for (int j = 0; j < 123; j++) {
            // E[(s·u)²] = E[s²]·E[u²] = (1/3)·(g²/3) for s ~ U(0, 1), u ~ U(-g, g)
            assertThat(sq[j] / trials).as("variance %d", j).isCloseTo(g[j] * g[j] / 9.0, within(0.05 * g[j] * g[j]));
        }
        // P(every coordinate < 0.1·g) ≈ P(s < 0.1) = 0.1 (with independent factors it would be 0.1^123)
        assertThat(quietCalls).isBetween(1700, 2300);
        assertThat(noise.toString()).contains("U(0, 1)");
    }

    @Test
    void corrupt_release_leavesInputAndIsSeeded() {
        float[] x = body();
        float[] copy = x.clone();
        NoiseModel noise = NoiseModel.structured();
        float[] a = noise.corrupt(x, new SplittableRandom(5));
        float[] b = noise.corrupt(x, new SplittableRandom(5));
        assertThat(x).containsExactly(copy);
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(noise.corrupt(x, new SplittableRandom(6)));
    }

    @Test
    void mirrorPairs_areLeftRightOnTheBody() {
        int[][] pairs = NoiseModel.mirrorPairs();
        assertThat(pairs).hasNumberOfRows(17);
        assertThat(keys(pairs)).contains("0-1", "21-22",
                SmplrLandmark.HAND_LEFT.pointIndex() + "-" + SmplrLandmark.HAND_RIGHT.pointIndex());
        // model frame: +X is the body's left; the rest template is near-symmetric
        float[] rest = SmplModel.demo(Gender.MALE).smplrPoints(SmplParams.zero());
        for (int[] p : pairs) {
            assertThat(rest[3 * p[0]]).as("left x of %d", p[0]).isPositive();
            assertThat(rest[3 * p[1]]).as("right x of %d", p[1]).isNegative();
            assertThat(rest[3 * p[0] + 1]).isCloseTo(rest[3 * p[1] + 1], within(0.03f));
        }
    }

    @Test
    void corrupt_swap_exchangesOneMirrorPair() {
        NoiseModel noise = NoiseModel.builder().scale(0).swapProbability(1).build();
        float[] x = body();
        int[][] pairs = NoiseModel.mirrorPairs();
        SplittableRandom rnd = new SplittableRandom(3);
        for (int t = 0; t < 200; t++) {
            float[] y = noise.corrupt(x, rnd);
            List<Integer> changed = changedPoints(x, y);
            assertThat(changed).hasSize(2);
            int a = changed.get(0);
            int b = changed.get(1);
            assertThat(keys(pairs)).containsAnyOf(a + "-" + b, b + "-" + a);
            for (int k = 0; k < 3; k++) {
                assertThat(y[3 * a + k]).isEqualTo(x[3 * b + k]);
                assertThat(y[3 * b + k]).isEqualTo(x[3 * a + k]);
            }
        }
    }

    @Test
    void corrupt_drop_movesOnePointOntoItsParent() {
        NoiseModel noise = NoiseModel.builder().scale(0).dropProbability(1).build();
        int[] parents = KinematicTree.smplr().parents();
        float[] x = body();
        SplittableRandom rnd = new SplittableRandom(4);
        for (int t = 0; t < 200; t++) {
            float[] y = noise.corrupt(x, rnd);
            List<Integer> changed = changedPoints(x, y);
            assertThat(changed).hasSize(1);
            int p = changed.get(0);
            int parentNode = parents[p + 1];
            for (int k = 0; k < 3; k++) {
                float expected = parentNode == 0 ? 0f : x[3 * (parentNode - 1) + k];
                assertThat(y[3 * p + k]).isEqualTo(expected);
            }
        }
    }

    @Test
    void corrupt_displace_movesOnePointWithinRange() {
        NoiseModel noise = NoiseModel.builder().scale(0).displaceProbability(1).displaceRange(0.05, 0.2).build();
        float[] x = body();
        SplittableRandom rnd = new SplittableRandom(5);
        for (int t = 0; t < 200; t++) {
            float[] y = noise.corrupt(x, rnd);
            List<Integer> changed = changedPoints(x, y);
            assertThat(changed).hasSize(1);
            int p = changed.get(0);
            double d = Math.sqrt(sq(y[3 * p] - x[3 * p]) + sq(y[3 * p + 1] - x[3 * p + 1])
                    + sq(y[3 * p + 2] - x[3 * p + 2]));
            assertThat(d).isBetween(0.05 - 1e-5, 0.2 + 1e-5);
        }
    }

    @Test
    void corrupt_depthFlip_mirrorsChainDepthAboutElbowOrKnee() {
        NoiseModel noise = NoiseModel.builder().scale(0).depthFlipProbability(1).build();
        float[] x = body();
        // {parent, chain}: elbows 17/18, knees 3/4; wrists 19/20, hands 21/22, ankles 6/7, feet 9/10
        int[][] chains = {{17, 19, 21, 34}, {18, 20, 22, 39}, {3, 6, 9, 32}, {4, 7, 10, 33}};
        SplittableRandom rnd = new SplittableRandom(6);
        boolean[] used = new boolean[4];
        for (int t = 0; t < 200; t++) {
            float[] y = noise.corrupt(x, rnd);
            List<Integer> changed = changedPoints(x, y);
            int c = -1;
            for (int i = 0; i < 4; i++) {
                if (changed.contains(chains[i][1])) {
                    c = i;
                }
            }
            assertThat(c).isNotNegative();
            used[c] = true;
            assertThat(changed).isSubsetOf(chains[c][1], chains[c][2], chains[c][3]);
            float zp = x[3 * chains[c][0] + 2];
            for (int i = 1; i < 4; i++) {
                int p = chains[c][i];
                assertThat(y[3 * p]).isEqualTo(x[3 * p]);
                assertThat(y[3 * p + 1]).isEqualTo(x[3 * p + 1]);
                assertThat((double) y[3 * p + 2]).isCloseTo(2.0 * zp - x[3 * p + 2], within(1e-6));
            }
        }
        assertThat(used).containsOnly(true);
    }

    @Test
    void corrupt_structured_happensAtConfiguredRates() {
        float[] x = body();
        int trials = 20000;
        double[] rates = {0.3, 0.1};
        for (double rate : rates) {
            NoiseModel[] models = {
                NoiseModel.builder().scale(0).swapProbability(rate).build(),
                NoiseModel.builder().scale(0).dropProbability(rate).build(),
                NoiseModel.builder().scale(0).displaceProbability(rate).build(),
                NoiseModel.builder().scale(0).depthFlipProbability(rate).build(),
            };
            for (NoiseModel m : models) {
                SplittableRandom rnd = new SplittableRandom(7);
                int hits = 0;
                for (int t = 0; t < trials; t++) {
                    if (!changedPoints(x, m.corrupt(x, rnd)).isEmpty()) {
                        hits++;
                    }
                }
                // binomial sd = sqrt(p(1-p)/n) <= 0.0035
                assertThat(hits / (double) trials).as(m.toString()).isCloseTo(rate, within(0.015));
            }
        }
        SplittableRandom rnd = new SplittableRandom(8);
        int untouched = 0;
        NoiseModel clean = NoiseModel.builder().scale(0).build();
        for (int t = 0; t < 100; t++) {
            untouched += changedPoints(x, clean.corrupt(x, rnd)).isEmpty() ? 1 : 0;
        }
        assertThat(untouched).isEqualTo(100);
    }

    @Test
    void builder_badArguments_throw() {
        assertThatThrownBy(() -> NoiseModel.builder().swapProbability(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("swapProbability");
        assertThatThrownBy(() -> NoiseModel.builder().displaceRange(0.3, 0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("displaceRange");
        assertThatThrownBy(() -> NoiseModel.builder().scale(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("factor");
        assertThatThrownBy(() -> NoiseModel.builder().amplitudes(new float[5]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("g");
        assertThatThrownBy(() -> NoiseModel.release().corrupt(new float[122], new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("points41");
    }

    private static List<String> keys(int[][] pairs) {
        List<String> out = new ArrayList<>();
        for (int[] p : pairs) {
            out.add(p[0] + "-" + p[1]);
        }
        return out;
    }

    private static double sq(double v) {
        return v * v;
    }
}
