package dev.smplr.hourglass;

import dev.smplr.core.Metrics;
import dev.smplr.core.PointEstimator;
import dev.smplr.core.SmplrPoints;
import dev.smplr.core.internal.Checks;
import dev.smplr.smpl.NoiseModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The 3D error of a point estimator on held-out {@link SyntheticImageSource} images, next to a baseline that
 * looks at no image: the mean pose.
 *
 * <p>For images {@code first .. first + n − 1} of a source, with ground truth {@code g_i} and estimate
 * {@code p_i} (41 root-relative camera-frame points each):
 * <ul>
 *   <li>MPJPE = {@code (1/n) Σ_i (1/|S|) Σ_{k∈S} ‖p_i,k − g_i,k‖}, in mm, no alignment (SPEC.md 9), over the set
 *       S of all 41 points, the 23 joints (points 0..22) or the 18 landmarks (points 23..40);</li>
 *   <li>PA-MPJPE: the same over the 41 points after aligning each {@code p_i} onto {@code g_i} by the best
 *       similarity transform ({@link Metrics#paMpjpe});</li>
 *   <li>the mean-pose baseline: the same errors with {@code p_i} replaced by {@code ḡ = (1/n) Σ_i g_i} for every
 *       image. An estimator that does not beat it has learnt no more than the average pose of the set.</li>
 * </ul>
 * Both use {@link Metrics}, so the figures are those of the other stages' evaluations.
 *
 * <p>{@link #heldOut(HourglassEstimator, int)} evaluates on the images {@link HourglassTrainer} holds out for its
 * final evaluation (from {@link HourglassTrainer#EVALUATION_START}, the training run's source seed, the network's
 * input size), so that it reproduces the {@code evalMpjpeMm} a training run writes into its manifest.
 *
 * <pre>{@code
 * HourglassEvaluation.Result r = HourglassEvaluation.heldOut(HourglassEstimator.demo(), 200);
 * System.out.println(r.estimator().mpjpeMm() + " mm against " + r.meanPose().mpjpeMm() + " mm for the mean pose");
 * }</pre>
 */
public final class HourglassEvaluation {
    /** Images rendered and estimated together: one parallel rendering pass and one network batch. */
    private static final int CHUNK = 16;
    private static final int[] JOINTS = IntStream.range(0, SmplrPoints.JOINTS).toArray();
    private static final int[] LANDMARKS = IntStream.range(SmplrPoints.JOINTS, SmplrPoints.COUNT).toArray();
    private static final int[][] MIRROR_PAIRS = NoiseModel.mirrorPairs();

    private HourglassEvaluation() {
    }

    /**
     * Mean errors over the images, in mm.
     *
     * @param mpjpeMm     MPJPE over the 41 points
     * @param jointsMm    MPJPE over the 23 joints (points 0..22)
     * @param landmarksMm MPJPE over the 18 landmarks (points 23..40)
     * @param paMpjpeMm   PA-MPJPE over the 41 points
     * @param imagePlaneMm the mean error parallel to the image plane, {@code √(Δx² + Δy²)}, over the 41 points:
     *                     what the crop shows directly
     * @param depthMm      the mean error along the optical axis, {@code |Δz|}, over the 41 points: what a single
     *                     view leaves ambiguous
     * @param leftRightSpread how far apart the estimate puts the two sides: over the 14 left/right mirror pairs
     *                     (knees, wrists, hand landmarks, …) and the images, {@code Σ ‖p_L − p_R‖ / Σ ‖g_L − g_R‖}
     *                     with distances in the image plane. 1 when each pair is as far apart as in the truth; near
     *                     0 when the estimator cannot tell left from right and puts both sides at their midpoint
     *                     (the loss-optimal answer for a view whose front and back look alike)
     */
    public record Errors(double mpjpeMm, double jointsMm, double landmarksMm, double paMpjpeMm, double imagePlaneMm,
                         double depthMm, double leftRightSpread) {
    }

    /**
     * What was measured and the errors.
     *
     * @param images     the number of images
     * @param seed       the source's seed
     * @param firstIndex the first image's index in the source
     * @param size       the side of the rendered crops, pixels
     * @param estimator  the estimator's errors
     * @param meanPose   the errors of the mean ground-truth pose of the same images, given for every image
     */
    public record Result(int images, long seed, long firstIndex, int size, Errors estimator, Errors meanPose) {
    }

    /**
     * Evaluates an estimator on {@code images} images of the trainer's final-evaluation range: source seed = the
     * seed of the training run recorded in the estimator's manifest ({@code training.seed}), crops at the network's
     * input size, indices from {@link HourglassTrainer#EVALUATION_START}. With the number of images the run used
     * ({@code metrics.evalImages}) the MPJPE is the manifest's {@code metrics.evalMpjpeMm} (up to float rounding
     * between the training graph and the inference engine).
     *
     * @param estimator the estimator, e.g. {@link HourglassEstimator#demo()}
     * @param images    the number of images, ≥ 1
     * @return the errors
     * @throws IllegalArgumentException if the estimator is null, its manifest records no training seed (use
     *                                  {@link #heldOut(HourglassEstimator, long, int)}), or images &lt; 1
     */
    public static Result heldOut(HourglassEstimator estimator, int images) {
        Checks.notNull("estimator", estimator);
        long seed;
        try {
            seed = estimator.manifest().object("training").integer("seed");
        } catch (IOException e) {
            throw new IllegalArgumentException("estimator: no training seed in its manifest (" + e.getMessage()
                    + "); pass the seed of the images", e);
        }
        return heldOut(estimator, seed, images);
    }

    /**
     * As {@link #heldOut(HourglassEstimator, int)} with the source's seed given.
     *
     * @param estimator the estimator
     * @param seed      the seed of the synthetic images
     * @param images    the number of images, ≥ 1
     * @return the errors
     * @throws IllegalArgumentException if the estimator is null or images &lt; 1
     */
    public static Result heldOut(HourglassEstimator estimator, long seed, int images) {
        Checks.notNull("estimator", estimator);
        SyntheticImageSource source = SyntheticImageSource.builder().size(estimator.config().inputSize()).seed(seed)
                .build();
        return evaluate(estimator, source, HourglassTrainer.EVALUATION_START, images);
    }

    /**
     * Evaluates any point estimator on images {@code firstIndex .. firstIndex + images − 1} of a source
     * ({@link SyntheticImageSource#sample(long)}), rendered in parallel. A {@link HourglassEstimator} gets them in
     * batches of 16, any other estimator one by one.
     *
     * @param estimator  the estimator: crop in, 41 camera-frame root-relative points out
     * @param source     the images and their ground truth
     * @param firstIndex the first image's index, ≥ 0
     * @param images     the number of images, 1 .. 17,459,216 (the 41 points of each are kept), with
     *                   {@code firstIndex + images − 1} within {@code long}
     * @return the errors
     * @throws IllegalArgumentException if an argument is null or out of range, or the estimator returns points
     *                                  that are not 123 finite values
     */
    public static Result evaluate(PointEstimator estimator, SyntheticImageSource source, long firstIndex,
            int images) {
        Checks.notNull("estimator", estimator);
        Checks.notNull("source", source);
        if (firstIndex < 0) {
            throw new IllegalArgumentException("firstIndex: expected 0 or more, got " + firstIndex);
        }
        if (images < 1 || images > Integer.MAX_VALUE / SmplrPoints.VALUES) {
            throw new IllegalArgumentException("images: expected 1.." + Integer.MAX_VALUE / SmplrPoints.VALUES
                    + ", got " + images);
        }
        if (firstIndex > Long.MAX_VALUE - (images - 1)) {
            throw new IllegalArgumentException("firstIndex, images: expected the last index within a long, got "
                    + firstIndex + " + " + images);
        }
        float[] truth = new float[images * SmplrPoints.VALUES];
        float[] predicted = new float[images * SmplrPoints.VALUES];
        for (int first = 0; first < images; first += CHUNK) {
            int m = Math.min(CHUNK, images - first);
            int offset = first;
            BufferedImage[] crops = new BufferedImage[m];
            IntStream.range(0, m).parallel().forEach(k -> {
                SyntheticSample s = source.sample(firstIndex + offset + k);
                crops[k] = s.crop();
                System.arraycopy(s.points41(), 0, truth, (offset + k) * SmplrPoints.VALUES, SmplrPoints.VALUES);
            });
            List<float[]> points = estimate(estimator, crops);
            for (int k = 0; k < m; k++) {
                float[] p = Checks.finite("estimate of image " + (firstIndex + offset + k),
                        Checks.length("estimate of image " + (firstIndex + offset + k), points.get(k),
                                SmplrPoints.VALUES, "41×3 points"), 3);
                System.arraycopy(p, 0, predicted, (offset + k) * SmplrPoints.VALUES, SmplrPoints.VALUES);
            }
        }
        // ḡ[v] = (1/n) Σ_i g_i[v]
        double[] sum = new double[SmplrPoints.VALUES];
        for (int i = 0; i < images; i++) {
            for (int v = 0; v < SmplrPoints.VALUES; v++) {
                sum[v] += truth[i * SmplrPoints.VALUES + v];
            }
        }
        float[] mean = new float[SmplrPoints.VALUES];
        for (int v = 0; v < SmplrPoints.VALUES; v++) {
            mean[v] = (float) (sum[v] / images);
        }
        Errors network = errors(predicted, true, truth, images);
        Errors meanPose = errors(mean, false, truth, images);
        return new Result(images, source.seed(), firstIndex, source.size(), network, meanPose);
    }

    private static List<float[]> estimate(PointEstimator estimator, BufferedImage[] crops) {
        if (estimator instanceof HourglassEstimator h) {
            return h.estimate(List.of(crops));
        }
        List<float[]> out = new ArrayList<>(crops.length);
        for (BufferedImage c : crops) {
            out.add(estimator.estimate(c));
        }
        return out;
    }

    /** Mean errors of {@code predicted} (one set per image, or one set for all when not perImage). */
    private static Errors errors(float[] predicted, boolean perImage, float[] truth, int images) {
        double all = 0;
        double joints = 0;
        double landmarks = 0;
        double pa = 0;
        double plane = 0;
        double depth = 0;
        double spread = 0;
        double trueSpread = 0;
        float[] p = new float[SmplrPoints.VALUES];
        float[] g = new float[SmplrPoints.VALUES];
        for (int i = 0; i < images; i++) {
            System.arraycopy(predicted, perImage ? i * SmplrPoints.VALUES : 0, p, 0, SmplrPoints.VALUES);
            System.arraycopy(truth, i * SmplrPoints.VALUES, g, 0, SmplrPoints.VALUES);
            all += Metrics.mpjpe(p, g);
            joints += Metrics.mpjpe(p, g, JOINTS);
            landmarks += Metrics.mpjpe(p, g, LANDMARKS);
            pa += Metrics.paMpjpe(p, g);
            for (int v = 0; v < SmplrPoints.VALUES; v += 3) {
                double dx = p[v] - g[v];
                double dy = p[v + 1] - g[v + 1];
                plane += Math.sqrt(dx * dx + dy * dy);
                depth += Math.abs(p[v + 2] - g[v + 2]);
            }
            for (int[] pair : MIRROR_PAIRS) {
                spread += planeDistance(p, pair[0], pair[1]);
                trueSpread += planeDistance(g, pair[0], pair[1]);
            }
        }
        double perPoint = 1000.0 / ((double) images * SmplrPoints.COUNT);
        return new Errors(all / images, joints / images, landmarks / images, pa / images, plane * perPoint,
                depth * perPoint, spread / trueSpread);
    }

    private static double planeDistance(float[] points, int a, int b) {
        return Math.hypot(points[3 * a] - points[3 * b], points[3 * a + 1] - points[3 * b + 1]);
    }
}
