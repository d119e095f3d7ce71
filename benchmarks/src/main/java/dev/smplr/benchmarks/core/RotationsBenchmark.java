package dev.smplr.benchmarks.core;

import dev.smplr.core.Rotations;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rotation conversions for one SMPL pose (24 joints), the per-forward-pass cost of {@link Rotations}:
 * <ul>
 *   <li>{@code rodriguesIntoBuffer}: 24 axis-angles to 24 rotation matrices into a caller's buffer (the
 *       allocation-free fast path the body model uses);</li>
 *   <li>{@code rodriguesAllocating}: the same, allocating the 216-float result;</li>
 *   <li>{@code projectSvdIntoBuffer}: 24 noisy 3×3 matrices (a network's raw rotation output) to their
 *       nearest rotations by EJML SVD.</li>
 * </ul>
 * <p>The floor to compare with: 24 Rodrigues evaluations are about 24 × (sin, cos, sqrt and ~30 flops), a
 * few hundred nanoseconds; the SVD projection is dominated by EJML's iterative 3×3 SVD.
 *
 * <p>Run: {@code mvn -B -pl benchmarks -am package -DskipTests}, then
 * {@code java -jar benchmarks/target/benchmarks.jar RotationsBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RotationsBenchmark {
    private static final int JOINTS = 24;

    // Inputs and buffers are non-final @State fields set in @Setup, so JMH cannot constant-fold them.
    private float[] axisAngles;
    private float[] matrices;
    private float[] noisyMatrices;
    private float[] rotations;

    /** Random pose (angles up to π about random axes) and noisy matrices around its rotations. */
    @Setup
    public void setup() {
        SplittableRandom random = new SplittableRandom(42);
        axisAngles = new float[3 * JOINTS];
        for (int j = 0; j < JOINTS; j++) {
            double x = random.nextDouble(-1, 1);
            double y = random.nextDouble(-1, 1);
            double z = random.nextDouble(-1, 1);
            double f = random.nextDouble(0, Math.PI) / Math.sqrt(x * x + y * y + z * z);
            axisAngles[3 * j] = (float) (f * x);
            axisAngles[3 * j + 1] = (float) (f * y);
            axisAngles[3 * j + 2] = (float) (f * z);
        }
        matrices = new float[9 * JOINTS];
        noisyMatrices = Rotations.axisAngleToMatrix(axisAngles);
        for (int k = 0; k < noisyMatrices.length; k++) {
            noisyMatrices[k] += (float) random.nextDouble(-0.1, 0.1);
        }
        rotations = new float[9 * JOINTS];
    }

    /** Rodrigues for 24 axis-angles into a preallocated (24, 3, 3) buffer. */
    @Benchmark
    public float[] rodriguesIntoBuffer() {
        Rotations.axisAngleToMatrix(axisAngles, 0, matrices, 0, JOINTS);
        return matrices;
    }

    /** Rodrigues for 24 axis-angles, allocating the (24, 3, 3) result. */
    @Benchmark
    public float[] rodriguesAllocating() {
        return Rotations.axisAngleToMatrix(axisAngles);
    }

    /** Nearest rotations of 24 noisy 3×3 matrices (polar iteration; the name is from the SVD it replaced). */
    @Benchmark
    public float[] projectSvdIntoBuffer() {
        Rotations.projectToRotation(noisyMatrices, 0, rotations, 0, JOINTS);
        return rotations;
    }
}
