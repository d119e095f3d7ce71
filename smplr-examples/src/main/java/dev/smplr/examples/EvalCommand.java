package dev.smplr.examples;

import dev.smplr.hourglass.HourglassEvaluation;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code smplr eval}: measure a network on synthetic validation data. The denoiser and the regressor run the
 * {@link SmplrEvaluation} table; the hourglass runs {@link HourglassEvaluation} on the held-out images of its
 * trainer's final evaluation, so {@code smplr eval hourglass --samples 200} reproduces the shipped weights'
 * {@code evalMpjpeMm}.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a network (the shipped demo weights, or a weights directory) on seeded synthetic "
            + "validation data and print its errors in mm.")
final class EvalCommand implements Callable<Integer> {
    /** The seed of the denoiser's and regressor's validation samples when none is given. */
    static final long DEFAULT_SEED = 12345;
    /** Validation samples of the denoiser and the regressor when no count is given. */
    static final int DEFAULT_SAMPLES = 1000;
    /** Held-out images of the hourglass when no count is given: as many as the shipped weights' evaluation. */
    static final int DEFAULT_IMAGES = 200;

    @Parameters(paramLabel = "KIND", description = "What to evaluate: ${COMPLETION-CANDIDATES}.")
    Stages.Kind kind;

    @Option(names = "--weights", paramLabel = "DIR",
            description = "A weights directory (default: the shipped demo weights).")
    Path weights;

    @Option(names = "--samples", paramLabel = "N",
            description = "Validation samples (default: " + DEFAULT_SAMPLES + "; hourglass: " + DEFAULT_IMAGES
                + " held-out images).")
    Integer samples;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of the validation samples (default: " + DEFAULT_SEED + "; hourglass: the seed of "
                + "the weights' training run, whose held-out images these are).")
    Long seed;

    @Option(names = "--flip", description = "Hourglass: average each crop's estimate with its mirror image's "
            + "(test-time flip averaging, twice the inference time).")
    boolean flip;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (weights != null && !Files.isDirectory(weights)) {
            throw new Smplr.UsageException("--weights: no such directory: " + weights);
        }
        if (samples != null && samples <= 0) {
            throw new Smplr.UsageException("--samples: expected a count > 0, got " + samples);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (kind == Stages.Kind.hourglass) {
            HourglassEvaluation.Result r = Stages.evaluateHourglass(weights,
                    samples == null ? DEFAULT_IMAGES : samples, seed, flip);
            out.print(hourglassReport(r, (weights == null ? "the shipped demo weights" : weights.toString())
                    + (flip ? " with flip averaging" : "")));
            return 0;
        }
        if (flip) {
            throw new Smplr.UsageException("--flip: only for the hourglass, got " + kind);
        }
        Map<String, Double> metrics = Stages.evaluate(new Stages.EvalRequest(kind, weights,
                samples == null ? DEFAULT_SAMPLES : samples, seed == null ? DEFAULT_SEED : seed));
        int width = metrics.keySet().stream().mapToInt(String::length).max().orElse(0);
        metrics.forEach((k, v) -> out.printf(Locale.ROOT, "%-" + width + "s  %.2f%n", k, v));
        return 0;
    }

    /** What was measured, then one row per error: the network against the mean pose. */
    static String hourglassReport(HourglassEvaluation.Result r, String weights) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "hourglass, %s: %d held-out synthetic images of the demo body (seed %d, "
                + "indices from %d, %d×%d crops)%n", weights, r.images(), r.seed(), r.firstIndex(), r.size(),
                r.size()));
        s.append("errors in mm, root-relative, camera frame; mean pose = the mean ground truth of these images\n");
        String row = "%-22s %9s %10s%n";
        s.append(String.format(Locale.ROOT, row, "", "network", "mean pose"));
        HourglassEvaluation.Errors n = r.estimator();
        HourglassEvaluation.Errors m = r.meanPose();
        s.append(line("MPJPE, 41 points", n.mpjpeMm(), m.mpjpeMm()));
        s.append(line("MPJPE, 23 joints", n.jointsMm(), m.jointsMm()));
        s.append(line("MPJPE, 18 landmarks", n.landmarksMm(), m.landmarksMm()));
        s.append(line("PA-MPJPE, 41 points", n.paMpjpeMm(), m.paMpjpeMm()));
        s.append(line("image plane (x, y)", n.imagePlaneMm(), m.imagePlaneMm()));
        s.append(line("depth (z)", n.depthMm(), m.depthMm()));
        s.append(line("left/right spread", n.leftRightSpread(), m.leftRightSpread()));
        s.append("(left/right spread: 1 = each mirror pair as far apart as the truth, 0 = both sides at their "
                + "midpoint)\n");
        return s.toString();
    }

    private static String line(String name, double network, double meanPose) {
        return String.format(Locale.ROOT, "%-22s %9.2f %10.2f%n", name, network, meanPose);
    }
}
