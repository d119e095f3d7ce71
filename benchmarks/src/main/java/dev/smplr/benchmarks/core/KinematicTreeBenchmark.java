package dev.smplr.benchmarks.core;

import dev.smplr.core.KinematicTree;
import dev.smplr.core.RestSkeleton;
import dev.smplr.core.Rotations;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Joints-only forward kinematics (smplx semantics) of the 24-joint SMPL tree and the 42-node SMPLR tree: from
 * axis-angle (Rodrigues included, allocating, the public API) and from rotation matrices into caller buffers
 * (the allocation-free path fitting loops use).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar KinematicTreeBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KinematicTreeBenchmark {
    /** Which tree. */
    @Param({"smpl", "smplr"})
    public String tree;

    private KinematicTree kinematicTree;
    private float[] rest;
    private float[] axisAngle;
    private float[] local;
    private float[] posed;
    private float[] global;

    /** A random pose of the chosen tree. */
    @Setup
    public void setUp() {
        kinematicTree = tree.equals("smpl") ? KinematicTree.smpl() : KinematicTree.smplr();
        int n = kinematicTree.size();
        rest = java.util.Arrays.copyOf(RestSkeleton.nodes(), 3 * n);
        Random rnd = new Random(1);
        axisAngle = new float[3 * n];
        for (int i = 0; i < axisAngle.length; i++) {
            axisAngle[i] = (float) (0.5 * rnd.nextGaussian());
        }
        local = Rotations.axisAngleToMatrix(axisAngle);
        posed = new float[3 * n];
        global = new float[9 * n];
    }

    /** @return posed joints from axis-angle, allocated */
    @Benchmark
    public float[] fromAxisAngle() {
        return kinematicTree.forwardKinematics(rest, axisAngle);
    }

    /** @return posed joints from rotation matrices, into caller buffers */
    @Benchmark
    public float[] fromMatricesIntoBuffers() {
        kinematicTree.forwardKinematics(rest, local, posed, global);
        return posed;
    }
}
