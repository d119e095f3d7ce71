package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.smplr.core.PointEstimator;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HourglassEvaluationTest {
    /** Small crops keep the rendering fast; the metrics do not depend on the size. */
    private static final SyntheticImageSource SOURCE = SyntheticImageSource.builder().size(32).seed(5).build();
    private static final long FIRST = 1000;

    /** Σ_k∈[from, to) ‖a_k − b_k‖ / (to − from) in mm, float64. */
    private static double mean(float[] a, float[] b, int from, int to) {
        double s = 0;
        for (int k = from; k < to; k++) {
            double dx = (double) a[3 * k] - b[3 * k];
            double dy = (double) a[3 * k + 1] - b[3 * k + 1];
            double dz = (double) a[3 * k + 2] - b[3 * k + 2];
            s += Math.sqrt(dx * dx + dy * dy + dz * dz);
        }
        return 1000 * s / (to - from);
    }

    private static int[] pixels(BufferedImage crop) {
        return crop.getRGB(0, 0, crop.getWidth(), crop.getHeight(), null, 0, crop.getWidth());
    }

    @Test
    void evaluate_truthPlusOffset_givesTheOffsetEverywhereAndZeroAligned() {
        // An estimator that recognises each image and answers its ground truth moved by 2 cm along X: every point
        // is 20 mm off, and a translation aligns it away.
        int n = 5;
        Map<String, float[]> truthByPixels = new HashMap<>();
        for (int i = 0; i < n; i++) {
            SyntheticSample s = SOURCE.sample(FIRST + i);
            truthByPixels.put(Arrays.toString(pixels(s.crop())), s.points41());
        }
        PointEstimator shifted = crop -> {
            float[] p = truthByPixels.get(Arrays.toString(pixels(crop))).clone();
            for (int k = 0; k < 41; k++) {
                p[3 * k] += 0.02f;
            }
            return p;
        };
        HourglassEvaluation.Result r = HourglassEvaluation.evaluate(shifted, SOURCE, FIRST, n);
        assertThat(r.images()).isEqualTo(n);
        assertThat(r.seed()).isEqualTo(5);
        assertThat(r.firstIndex()).isEqualTo(FIRST);
        assertThat(r.size()).isEqualTo(32);
        assertThat(r.estimator().mpjpeMm()).isCloseTo(20, within(1e-3));
        assertThat(r.estimator().jointsMm()).isCloseTo(20, within(1e-3));
        assertThat(r.estimator().landmarksMm()).isCloseTo(20, within(1e-3));
        assertThat(r.estimator().paMpjpeMm()).isCloseTo(0, within(1e-2));
        // a shift along x lies in the image plane
        assertThat(r.estimator().imagePlaneMm()).isCloseTo(20, within(1e-3));
        assertThat(r.estimator().depthMm()).isCloseTo(0, within(1e-6));
        // a common shift keeps every left/right pair as far apart as the truth
        assertThat(r.estimator().leftRightSpread()).isCloseTo(1, within(1e-6));
    }

    @Test
    void evaluate_constantEstimator_matchesFloat64Reference() {
        int n = 4;
        float[] answer = SOURCE.sample(7).points41();
        HourglassEvaluation.Result r = HourglassEvaluation.evaluate(crop -> answer.clone(), SOURCE, FIRST, n);

        float[][] truth = new float[n][];
        double[] mean = new double[123];
        for (int i = 0; i < n; i++) {
            truth[i] = SOURCE.sample(FIRST + i).points41();
            for (int v = 0; v < 123; v++) {
                mean[v] += truth[i][v] / (double) n;
            }
        }
        float[] meanPose = new float[123];
        for (int v = 0; v < 123; v++) {
            meanPose[v] = (float) mean[v];
        }
        double all = 0;
        double joints = 0;
        double landmarks = 0;
        double meanAll = 0;
        double meanJoints = 0;
        double meanLandmarks = 0;
        for (float[] g : truth) {
            all += mean(answer, g, 0, 41) / n;
            joints += mean(answer, g, 0, 23) / n;
            landmarks += mean(answer, g, 23, 41) / n;
            meanAll += mean(meanPose, g, 0, 41) / n;
            meanJoints += mean(meanPose, g, 0, 23) / n;
            meanLandmarks += mean(meanPose, g, 23, 41) / n;
        }
        assertThat(r.estimator().mpjpeMm()).isCloseTo(all, within(1e-6));
        double plane = 0;
        double depth = 0;
        for (float[] g : truth) {
            for (int k = 0; k < 41; k++) {
                plane += Math.hypot(answer[3 * k] - (double) g[3 * k], answer[3 * k + 1] - (double) g[3 * k + 1]);
                depth += Math.abs(answer[3 * k + 2] - (double) g[3 * k + 2]);
            }
        }
        assertThat(r.estimator().imagePlaneMm()).isCloseTo(1000 * plane / (41 * n), within(1e-6));
        assertThat(r.estimator().depthMm()).isCloseTo(1000 * depth / (41 * n), within(1e-6));
        double spread = 0;
        double trueSpread = 0;
        for (float[] g : truth) {
            for (int[] pair : dev.smplr.smpl.NoiseModel.mirrorPairs()) {
                spread += Math.hypot(answer[3 * pair[0]] - (double) answer[3 * pair[1]],
                        answer[3 * pair[0] + 1] - (double) answer[3 * pair[1] + 1]);
                trueSpread += Math.hypot(g[3 * pair[0]] - (double) g[3 * pair[1]],
                        g[3 * pair[0] + 1] - (double) g[3 * pair[1] + 1]);
            }
        }
        assertThat(r.estimator().leftRightSpread()).isCloseTo(spread / trueSpread, within(1e-7));
        assertThat(r.estimator().jointsMm()).isCloseTo(joints, within(1e-6));
        assertThat(r.estimator().landmarksMm()).isCloseTo(landmarks, within(1e-6));
        // 41 = 23 + 18: the whole is the weighted mean of the parts
        assertThat(r.estimator().mpjpeMm()).isCloseTo((23 * joints + 18 * landmarks) / 41, within(1e-6));
        assertThat(r.meanPose().mpjpeMm()).isCloseTo(meanAll, within(1e-6));
        assertThat(r.meanPose().jointsMm()).isCloseTo(meanJoints, within(1e-6));
        assertThat(r.meanPose().landmarksMm()).isCloseTo(meanLandmarks, within(1e-6));
        // the alignment can only lower the error, and a constant answer is no better than the mean of the truth
        assertThat(r.estimator().paMpjpeMm()).isPositive().isLessThan(r.estimator().mpjpeMm());
        assertThat(r.meanPose().paMpjpeMm()).isPositive().isLessThan(r.meanPose().mpjpeMm());
        assertThat(r.meanPose().mpjpeMm()).isLessThan(r.estimator().mpjpeMm());
    }

    @Test
    void heldOut_demo_isTheTrainersImagesAndMatchesOneByOne() {
        HourglassEstimator demo = HourglassEstimator.demo();
        int n = 2;
        long shippedSeed = 14; // the seed of the run that made the shipped weights
        HourglassEvaluation.Result r = HourglassEvaluation.heldOut(demo, n);
        assertThat(r.seed()).isEqualTo(shippedSeed);
        assertThat(r.firstIndex()).isEqualTo(HourglassTrainer.EVALUATION_START);
        assertThat(r.size()).isEqualTo(demo.config().inputSize());

        SyntheticImageSource trainers = SyntheticImageSource.builder().size(demo.config().inputSize())
                .seed(shippedSeed).build();
        double all = 0;
        for (int i = 0; i < n; i++) {
            SyntheticSample s = trainers.sample(HourglassTrainer.EVALUATION_START + i);
            all += mean(demo.estimate(s.crop()), s.points41(), 0, 41) / n;
        }
        assertThat(r.estimator().mpjpeMm()).isCloseTo(all, within(0.01));
        HourglassEvaluation.Result seeded = HourglassEvaluation.heldOut(demo, shippedSeed, n);
        assertThat(seeded.seed()).isEqualTo(shippedSeed);
        assertThat(seeded.estimator().mpjpeMm()).isCloseTo(r.estimator().mpjpeMm(), within(1e-6));
    }

    @Test
    void evaluate_badArguments_throwNamingThem() {
        PointEstimator zero = crop -> new float[123];
        assertThatThrownBy(() -> HourglassEvaluation.evaluate(null, SOURCE, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("estimator");
        assertThatThrownBy(() -> HourglassEvaluation.evaluate(zero, null, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("source");
        assertThatThrownBy(() -> HourglassEvaluation.evaluate(zero, SOURCE, -1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("firstIndex: expected 0 or more, got -1");
        assertThatThrownBy(() -> HourglassEvaluation.evaluate(zero, SOURCE, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("images: expected 1..")
                .hasMessageEndingWith("got 0");
        assertThatThrownBy(() -> HourglassEvaluation.evaluate(zero, SOURCE, Long.MAX_VALUE, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("within a long");
        assertThatThrownBy(() -> HourglassEvaluation.evaluate(crop -> new float[120], SOURCE, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("estimate of image 0")
                .hasMessageContaining("120");
        assertThatThrownBy(() -> HourglassEvaluation.heldOut(null, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("estimator");
    }
}
