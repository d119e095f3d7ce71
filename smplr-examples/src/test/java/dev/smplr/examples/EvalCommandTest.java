package dev.smplr.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smplr.hourglass.HourglassEstimator;
import dev.smplr.hourglass.HourglassEvaluation;
import dev.smplr.hourglass.HourglassTrainer;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class EvalCommandTest {
    @Test
    void call_hourglassTwoSamples_printsTheEvaluationOfTheDemoWeights() {
        Cli r = Cli.run("eval", "hourglass", "--samples", "2");
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        HourglassEvaluation.Result expected = HourglassEvaluation.heldOut(HourglassEstimator.demo(), 2);
        assertThat(r.out()).startsWith("hourglass, the shipped demo weights: 2 held-out synthetic images")
                .contains("(seed " + expected.seed() + ", indices from " + HourglassTrainer.EVALUATION_START + ", "
                        + expected.size() + "×" + expected.size() + " crops)");
        // the numbers are HourglassEvaluation's, printed to 0.01 mm
        assertThat(r.out().lines().filter(l -> l.startsWith("MPJPE, 41 points")).findFirst().orElseThrow()
                .split("\\s+")).containsSubsequence(
                        String.format(Locale.ROOT, "%.2f", expected.estimator().mpjpeMm()),
                        String.format(Locale.ROOT, "%.2f", expected.meanPose().mpjpeMm()));
        assertThat(r.out()).contains("MPJPE, 23 joints", "MPJPE, 18 landmarks", "PA-MPJPE, 41 points",
                "image plane (x, y)", "depth (z)", "mean pose");
    }

    @Test
    void call_hourglassSeedGiven_usesIt() {
        Cli r = Cli.run("eval", "hourglass", "--samples", "1", "--seed", "9");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("1 held-out synthetic images").contains("(seed 9, ");
    }

    @Test
    void call_hourglassFlip_evaluatesWithFlipAveraging() {
        Cli r = Cli.run("eval", "hourglass", "--samples", "2", "--flip");
        assertThat(r.code()).isZero();
        HourglassEvaluation.Result expected = HourglassEvaluation.heldOut(
                HourglassEstimator.demo().withFlipAveraging(true), 2);
        assertThat(r.out()).startsWith("hourglass, the shipped demo weights with flip averaging: 2 held-out");
        assertThat(r.out().lines().filter(l -> l.startsWith("MPJPE, 41 points")).findFirst().orElseThrow())
                .contains(String.format(Locale.ROOT, "%.2f", expected.estimator().mpjpeMm()));
        Cli dae = Cli.run("eval", "dae", "--samples", "2", "--flip");
        assertThat(dae.code()).isEqualTo(Smplr.USAGE);
        assertThat(dae.errLines()).singleElement().asString().contains("--flip: only for the hourglass");
    }

    @Test
    void call_zeroSamples_usageError() {
        Cli r = Cli.run("eval", "hourglass", "--samples", "0");
        assertThat(r.code()).isEqualTo(Smplr.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains("--samples: expected a count > 0, got 0");
    }
}
