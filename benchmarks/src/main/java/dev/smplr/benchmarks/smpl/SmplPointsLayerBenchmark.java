package dev.smplr.benchmarks.smpl;

import dev.smplr.core.Rotations;
import dev.smplr.core.SmplrPoints;
import dev.smplr.smpl.SmplModel;
import dev.smplr.smpl.SmplPointsLayer;
import dev.smplr.smpl.SyntheticModels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The points-only SMPL layer with its gradient ({@link SmplPointsLayer}) at SMPL's size (V = 6890, B = 10) on a
 * synthetic model, random poses with every joint rotated:
 * <ul>
 *   <li>{@code forward}: the 41 points from 24 rotation matrices and 10 betas, recorded on a reused tape;</li>
 *   <li>{@code forwardBackward}: the same plus dL/dR (216) and dL/dβ (10) from a random upstream gradient;</li>
 *   <li>{@code forwardJacobian}: the forward pass plus the full Jacobian of the 123 point values with respect to
 *       the 72 local rotation increments and the 10 betas ({@link SmplPointsLayer#jacobian}), what a
 *       Levenberg–Marquardt fitter needs per iteration (123 backward passes would give the same).</li>
 * </ul>
 * The cost does not depend on V: only the 18 landmark vertices are blended and skinned.
 *
 * <p>Run: {@code mvn -B -pl benchmarks -am package -DskipTests}, then
 * {@code java -jar benchmarks/target/benchmarks.jar SmplPointsLayerBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SmplPointsLayerBenchmark {
    private static final int VERTICES = 6890;
    private static final int SHAPES = 10;

    // Inputs are non-final @State fields set in @Setup, so JMH cannot constant-fold them.
    private SmplPointsLayer layer;
    private SmplPointsLayer.Tape tape;
    private float[] rotations;
    private float[] betas;
    private float[] gradPoints;
    private final float[] points = new float[SmplrPoints.VALUES];
    private final float[] gradRotations = new float[216];
    private final float[] gradBetas = new float[SHAPES];
    private final double[] jacRotations = new double[SmplrPoints.VALUES * 72];
    private final double[] jacBetas = new double[SmplrPoints.VALUES * SHAPES];

    /** Builds the model and random inputs. */
    @Setup(Level.Trial)
    public void setup() {
        SmplModel model = SyntheticModels.model(VERTICES, SHAPES, 42);
        layer = SmplPointsLayer.of(model);
        tape = layer.newTape();
        SplittableRandom rnd = new SplittableRandom(7);
        float[] pose = new float[72];
        for (int i = 0; i < pose.length; i++) {
            pose[i] = (float) rnd.nextDouble(-0.5, 0.5);
        }
        rotations = Rotations.axisAngleToMatrix(pose);
        betas = new float[SHAPES];
        for (int i = 0; i < SHAPES; i++) {
            betas[i] = (float) rnd.nextDouble(-2, 2);
        }
        gradPoints = new float[SmplrPoints.VALUES];
        for (int i = 0; i < gradPoints.length; i++) {
            gradPoints[i] = (float) rnd.nextDouble(-1, 1);
        }
    }

    /** @return the points, so that the work is not eliminated */
    @Benchmark
    public float[] forward() {
        layer.forward(rotations, betas, points, tape);
        return points;
    }

    /** @return the rotation gradient, so that the work is not eliminated */
    @Benchmark
    public float[] forwardBackward() {
        layer.forward(rotations, betas, points, tape);
        layer.backward(tape, gradPoints, gradRotations, gradBetas);
        return gradRotations;
    }

    /** @return the Jacobian, so that the work is not eliminated */
    @Benchmark
    public double[] forwardJacobian() {
        layer.forward(rotations, betas, points, tape);
        layer.jacobian(tape, jacRotations, jacBetas);
        return jacRotations;
    }
}
