package dev.smplr.benchmarks.smpl;

import dev.smplr.smpl.SmplEstimate;
import dev.smplr.smpl.SmplRegressor;
import dev.smplr.smpl.TrainingSet;
import java.util.ArrayList;
import java.util.List;
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
 * SMPLR's regressors Ψ and Ω ({@link SmplRegressor#demo()}, the demo preset) from 41 points to an estimate: the N
 * and B features in the body frame, both networks in inference mode (the plain-Java {@code MlpKernel}), the SO(3)
 * projection of the 24 matrices and their axis-angle (the axis-angle pose needs the projection either way;
 * {@code projection} only chooses which matrices the estimate keeps).
 * <ul>
 *   <li>{@code single}: one point set (target ≤ 2 ms);</li>
 *   <li>{@code batch256}: 256 point sets in one call; the score is in samples per second (target ≥ 5 000).</li>
 * </ul>
 * Inputs are clean points of the demo bodies from a seeded {@link TrainingSet}.
 *
 * <p>Run: {@code mvn -B -pl benchmarks -am package -DskipTests}, then
 * {@code java -jar benchmarks/target/benchmarks.jar SmplRegressorBenchmark -f 1 -wi 2 -i 3}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SmplRegressorBenchmark {
    /** Whether each 3×3 output is projected to SO(3). */
    @Param({"true", "false"})
    public boolean projection;

    // Inputs are non-final @State fields set in @Setup, so JMH cannot constant-fold them.
    private SmplRegressor regressor;
    private float[] one;
    private List<float[]> batch;

    /** Loads the demo regressor and makes the inputs. */
    @Setup(Level.Trial)
    public void setup() {
        regressor = SmplRegressor.demo().withProjection(projection);
        TrainingSet set = TrainingSet.builder().seed(3).build();
        batch = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            batch.add(set.sample(i).points());
        }
        one = batch.get(0);
    }

    /** @return the estimate, so that the work is not eliminated */
    @Benchmark
    public SmplEstimate single() {
        return regressor.regress(one);
    }

    /** @return the estimates */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(256)
    public List<SmplEstimate> batch256() {
        return regressor.regress(batch);
    }
}
