package dev.smplr.examples;

import dev.smplr.core.JointGroup;
import dev.smplr.core.KinematicTree;
import dev.smplr.core.Metrics;
import dev.smplr.core.RestSkeleton;
import dev.smplr.core.SmplrFeatures;
import dev.smplr.core.SmplrPoints;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * What smplr-core does, on the SMPL-like rest skeleton: poses the 42-node SMPLR tree with a seeded random pose,
 * builds the SMPLR features N and B, corrupts the points with noise and reports the errors the field uses.
 *
 * <p>Run: {@code java -jar smplr-examples/target/smplr-examples.jar [seed] [noise-mm]}.
 */
public final class CoreDemo {
    private CoreDemo() {
    }

    /**
     * @param args optional seed (default 42) and noise standard deviation in mm (default 20)
     */
    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 42;
        double noiseMm = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        Random rnd = new Random(seed);

        KinematicTree tree = KinematicTree.smplr();
        float[] rest = RestSkeleton.nodes();
        float[] pose = new float[3 * tree.size()];
        for (int k = 0; k < tree.size(); k++) {
            // a moderate random rotation per joint (up to ~0.6 rad), a free global orientation
            double scale = k == 0 ? Math.PI : k < 24 ? 0.35 : 0;
            for (int a = 0; a < 3; a++) {
                pose[3 * k + a] = (float) (scale * rnd.nextGaussian());
            }
        }
        long t0 = System.nanoTime();
        float[] posed = tree.forwardKinematics(rest, pose);
        long fkNanos = System.nanoTime() - t0;
        float[] points = new float[SmplrPoints.VALUES];
        for (int i = 0; i < points.length; i++) {
            points[i] = posed[3 + i] - posed[i % 3];
        }

        float[] template = SmplrFeatures.templateDistances(RestSkeleton.points41());
        float[] n = SmplrFeatures.normalizedRelativeJoints(points);
        float[] b = SmplrFeatures.relativeDistances(points, template);

        float[] noisy = points.clone();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (float) (noiseMm / 1000 * rnd.nextGaussian());
        }
        float[] noisyB = SmplrFeatures.relativeDistances(noisy, template);

        System.out.printf(Locale.ROOT, "smplr-core demo: seed %d, the 42-node SMPLR tree posed at random%n%n", seed);
        System.out.printf(Locale.ROOT, "%-24s %26s %24s %9s%n", "point", "position (m)", "N (unit bone)", "B (mm)");
        for (int p = 0; p < SmplrPoints.COUNT; p++) {
            System.out.printf(Locale.ROOT, "%-24s (%7.3f %7.3f %7.3f)  (%6.3f %6.3f %6.3f) %9.3f%n",
                    SmplrPoints.name(p), points[3 * p], points[3 * p + 1], points[3 * p + 2],
                    n[3 * p], n[3 * p + 1], n[3 * p + 2], 1000 * b[p]);
        }
        double maxNoisyB = 0;
        for (float v : noisyB) {
            maxNoisyB = Math.max(maxNoisyB, Math.abs(1000 * v));
        }
        System.out.printf(Locale.ROOT, "%nB is zero on a posed template (max |B| %.4f mm); with %.0f mm noise: %.1f mm%n",
                maxAbs(b) * 1000, noiseMm, maxNoisyB);
        System.out.printf(Locale.ROOT, "%nErrors of the noisy points (sigma %.0f mm per axis):%n", noiseMm);
        System.out.printf(Locale.ROOT, "  MPJPE, 41 points     %7.2f mm%n", Metrics.mpjpe(noisy, points));
        System.out.printf(Locale.ROOT, "  PA-MPJPE, 41 points  %7.2f mm%n", Metrics.paMpjpe(noisy, points));
        System.out.printf(Locale.ROOT, "  bone-length error    %7.2f mm%n", Metrics.boneLengthError(noisy, points));
        Map<JointGroup, Double> groups = Metrics.groupErrors(noisy, points);
        groups.forEach((g, e) -> System.out.printf(Locale.ROOT, "  %-20s %7.2f mm%n", g, e));
        System.out.printf(Locale.ROOT, "%nforward kinematics of 42 nodes (first call, cold JVM): %.1f µs%n",
                fkNanos / 1e3);
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
