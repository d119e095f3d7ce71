package dev.smplr.benchmarks.smpl;

import dev.smplr.core.Gender;
import dev.smplr.core.Rotations;
import dev.smplr.smpl.PoseSampler;
import dev.smplr.smpl.SmplEstimate;
import dev.smplr.smpl.SmplFitter;
import dev.smplr.smpl.SmplModel;
import dev.smplr.smpl.SmplParams;
import dev.smplr.smpl.TrainingSample;
import dev.smplr.smpl.TrainingSet;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link SmplFitter} on the neutral demo body, targets the exact 41 points of 16 held-out anatomical samples
 * (cycled), starts their ground truth perturbed (pose + N(0, 0.2²) rad per component, betas + N(0, 0.5²)):
 * <ul>
 *   <li>{@code refine10}: one refinement of at most 10 Levenberg–Marquardt iterations (analytic Jacobian), with
 *       each {@link SmplFitter.Solver}; the target is 5 ms;</li>
 *   <li>{@code batch1000}: 1,000 such refinements through {@link SmplFitter#fitAll(List, List, int)} on 2
 *       threads, reported per frame (so frames/s = 1000 / the score in ms);</li>
 *   <li>{@code fromRest30}: a fit from the rest pose (root aligned) with 30 iterations, with the analytic and
 *       the finite-difference Jacobian (the latter is the Minimal-IK-like setting: a numeric Jacobian by 2n
 *       forward passes).</li>
 * </ul>
 *
 * <p>Run: {@code mvn -B -pl benchmarks -am package -DskipTests}, then
 * {@code java -jar benchmarks/target/benchmarks.jar SmplFitterBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SmplFitterBenchmark {
    private static final int SAMPLES = 16;
    private static final int BATCH = 1000;

    /** The solver of {@code refine10} and {@code batch1000}. */
    @Param({"NIELSEN", "COMMONS_MATH"})
    public String solver;

    /** The Jacobian of {@code fromRest30}. */
    @Param({"ANALYTIC", "FINITE_DIFFERENCES"})
    public String jacobian;

    // Inputs are non-final @State fields set in @Setup, so JMH cannot constant-fold them.
    private SmplFitter refine;
    private SmplFitter fromRest;
    private List<float[]> targets;
    private List<SmplEstimate> starts;
    private List<float[]> batchTargets;
    private List<SmplEstimate> batchStarts;
    private int next;

    /** Builds the fitters, the targets and the perturbed starts. */
    @Setup(Level.Trial)
    public void setup() {
        SmplModel body = SmplModel.demo(Gender.NEUTRAL);
        refine = SmplFitter.builder(body).iterations(10).solver(SmplFitter.Solver.valueOf(solver)).build();
        fromRest = SmplFitter.builder(body).iterations(30)
                .jacobian(SmplFitter.JacobianMode.valueOf(jacobian)).build();
        TrainingSet set = TrainingSet.builder().seed(20261124L)
                .sampler(PoseSampler.anatomical(10, Gender.NEUTRAL)).build();
        targets = new ArrayList<>();
        starts = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < SAMPLES; i++) {
            TrainingSample t = set.sample(i);
            targets.add(t.points());
            float[] pose = Rotations.matrixToAxisAngle(t.rotations());
            for (int k = 0; k < pose.length; k++) {
                pose[k] += (float) (0.2 * rnd.nextGaussian());
            }
            float[] betas = t.betas().clone();
            for (int k = 0; k < betas.length; k++) {
                betas[k] += (float) (0.5 * rnd.nextGaussian());
            }
            starts.add(new SmplEstimate(SmplParams.of(pose, betas, null), Gender.NEUTRAL,
                    Rotations.axisAngleToMatrix(pose)));
        }
        batchTargets = new ArrayList<>();
        batchStarts = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            batchTargets.add(targets.get(i % SAMPLES));
            batchStarts.add(starts.get(i % SAMPLES));
        }
    }

    /** @return the refined estimate */
    @Benchmark
    public SmplEstimate refine10() {
        int i = next++ % SAMPLES;
        return refine.fit(targets.get(i), starts.get(i));
    }

    /** @return the 1,000 refined estimates */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<SmplEstimate> batch1000() {
        return refine.fitAll(batchTargets, batchStarts, 2);
    }

    /** @return the fitted estimate */
    @Benchmark
    public SmplEstimate fromRest30() {
        int i = next++ % SAMPLES;
        return fromRest.fit(targets.get(i), null);
    }
}
