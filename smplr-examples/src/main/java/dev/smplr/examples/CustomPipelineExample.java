package dev.smplr.examples;

import dev.smplr.core.Gender;
import dev.smplr.core.KinematicTree;
import dev.smplr.core.Metrics;
import dev.smplr.core.Pipeline;
import dev.smplr.core.PipelineResult;
import dev.smplr.core.PointDenoiser;
import dev.smplr.core.SmplrFeatures;
import dev.smplr.core.SmplrPoints;
import dev.smplr.smpl.SmplModel;
import dev.smplr.smpl.SmplParams;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Your own stage in a {@link Pipeline}: a denoiser that keeps each bone's direction but gives it the length it
 * has on the body's template (SMPLR's {@code d*}), walking the 42-node tree from the root, run on noisy points of
 * the demo body. Stages are plain interfaces; a lambda or a small class is enough. (The bone lengths come out
 * right, but direction errors now add up along each chain, so MPJPE can grow: a trained denoiser learns both.)
 *
 * <p>Run: {@code java -cp smplr-examples.jar dev.smplr.examples.CustomPipelineExample [seed]}.
 */
public final class CustomPipelineExample {
    private CustomPipelineExample() {
    }

    /**
     * Rebuilds the points from the root outwards: {@code out[n] = out[parent] + d*[n] · unit(in[n] − in[parent])},
     * where node n of the tree is point n − 1 and node 0, the root, is at the origin. Bone lengths become the
     * template's exactly; directions are kept.
     */
    static final class BoneLengthDenoiser implements PointDenoiser {
        private final float[] template;

        /** @param template the 41 bone lengths d*, metres (from {@link SmplrFeatures#templateDistances}). Copied. */
        BoneLengthDenoiser(float[] template) {
            this.template = template.clone();
        }

        @Override
        public float[] denoise(float[] points41) {
            KinematicTree tree = KinematicTree.smplr();
            float[] in = new float[3 * tree.size()];
            System.arraycopy(points41, 0, in, 3, points41.length);
            float[] out = new float[in.length];
            // parents come before their children in the tree's order, so out[parent] is ready
            for (int n = 1; n < tree.size(); n++) {
                int p = tree.parent(n);
                double dx = in[3 * n] - in[3 * p];
                double dy = in[3 * n + 1] - in[3 * p + 1];
                double dz = in[3 * n + 2] - in[3 * p + 2];
                double scale = template[n - 1] / Math.max(1e-9, Math.sqrt(dx * dx + dy * dy + dz * dz));
                out[3 * n] = (float) (out[3 * p] + scale * dx);
                out[3 * n + 1] = (float) (out[3 * p + 1] + scale * dy);
                out[3 * n + 2] = (float) (out[3 * p + 2] + scale * dz);
            }
            return java.util.Arrays.copyOfRange(out, 3, out.length);
        }

        @Override
        public String toString() {
            return "BoneLengthDenoiser";
        }
    }

    /**
     * @param args optional seed (default 11)
     */
    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 11;
        SmplModel body = SmplModel.demo(Gender.NEUTRAL);
        float[] truth = body.smplrPoints(SmplParams.of(ExportCommand.randomPose(seed), new float[10], null));

        // jitter every point by 2 cm per axis
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] noisy = truth.clone();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (float) (0.02 * rnd.nextGaussian());
        }

        float[] template = SmplrFeatures.templateDistances(body.smplrPoints(SmplParams.zero()));
        Pipeline pipeline = Pipeline.builder().denoiser(new BoneLengthDenoiser(template)).build();
        PipelineResult result = pipeline.runFromPoints(noisy);

        System.out.printf(Locale.ROOT, "%s on %d noisy points (seed %d)%n", pipeline, SmplrPoints.COUNT, seed);
        System.out.printf(Locale.ROOT, "  noisy:    MPJPE %.1f mm, bone-length error %.1f mm%n",
                Metrics.mpjpe(noisy, truth), Metrics.boneLengthError(noisy, truth));
        System.out.printf(Locale.ROOT, "  denoised: MPJPE %.1f mm, bone-length error %.1f mm (%.2f ms)%n",
                Metrics.mpjpe(result.denoised(), truth), Metrics.boneLengthError(result.denoised(), truth),
                result.totalTime().toNanos() / 1e6);
    }
}
