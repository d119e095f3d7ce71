package dev.smplr.benchmarks.smpl;

import dev.smplr.smpl.SmplModel;
import dev.smplr.smpl.SmplOutput;
import dev.smplr.smpl.SmplParams;
import dev.smplr.smpl.SyntheticModels;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SMPL forward pass at SMPL's size (V = 6890, B = 10, float32) on a synthetic model
 * ({@code SyntheticModels}, same layouts and sparsity as the real files), random poses with every joint rotated
 * (no pose feature is skipped):
 * <ul>
 *   <li>{@code forwardAllocating}: {@link SmplModel#forward(SmplParams)}, one body, new arrays per call;</li>
 *   <li>{@code forwardWorkspace}: the same into caller-owned arrays with a reused workspace;</li>
 *   <li>{@code forwardBatch64}: {@link SmplModel#forward(List)} for 64 bodies (divide by 64 for a body);</li>
 *   <li>{@code joints}: the joints-only fast path {@link SmplModel#joints(SmplParams)};</li>
 *   <li>{@code smplrPoints}: {@link SmplModel#smplrPoints(SmplParams)}, the 41 points without the mesh;</li>
 *   <li>{@code streamFloor}: the floor of one body: reading 19.4 MB of floats once (SMPL.md: the float32 model
 *       data of a dense pass, posedirs 17.1 MB, shapedirs, template, dense weights and regressor), summed four
 *       blocks of 2048 at a time into 2048 partial sums ({@code acc[i] += b0[i] + b1[i] + b2[i] + b3[i]}: a
 *       plain float sum has a fixed order and does not vectorize, this does, like the forward's own fused
 *       axpy passes).</li>
 * </ul>
 * <p>A single body reads all 207 posedirs rows (about 4.3 M multiply-adds), so it is bound by memory (or, as
 * 19.4 MB fits the 32 MB L3 of the machine measured, by L3 bandwidth) and is compared with
 * {@code streamFloor}. A batch does 64 × 4.3 M multiply-adds from cache: about 550 MFLOP, compute-bound.
 *
 * <p>The model is immutable and shared ({@code Scope.Benchmark}); the workspace variant's buffers are per thread.
 *
 * <p>Run: {@code mvn -B -pl benchmarks -am package -DskipTests}, then
 * {@code java -jar benchmarks/target/benchmarks.jar SmplForwardBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SmplForwardBenchmark {
    private static final int VERTICES = 6890;
    private static final int SHAPES = 10;
    private static final int BATCH = 64;
    /** Block length of the streaming floor. */
    private static final int BLOCK = 2048;
    /** Blocks of the streaming floor: 19.4 MB of floats (SMPL.md), rounded up to whole blocks. */
    private static final int STREAM_BLOCKS = 4 * (int) Math.ceil(19.4e6 / (16.0 * BLOCK));

    // Inputs are non-final @State fields set in @Setup, so JMH cannot constant-fold them.
    private SmplModel model;
    private SmplParams params;
    private List<SmplParams> batch;
    private float[][] stream;

    /** Per-thread buffers for the workspace variant and the streaming floor. */
    @State(Scope.Thread)
    public static class Buffers {
        SmplOutput out;
        SmplModel.Workspace workspace;
        float[] partialSums = new float[BLOCK];

        /**
         * @param b the shared model
         */
        @Setup(Level.Trial)
        public void setup(SmplForwardBenchmark b) {
            out = b.model.newOutput();
            workspace = b.model.newWorkspace();
        }
    }

    /** The synthetic model, a random pose and shape, 64 random bodies, and the streaming array. */
    @Setup(Level.Trial)
    public void setup() {
        model = SyntheticModels.model(VERTICES, SHAPES, 42);
        SplittableRandom rnd = new SplittableRandom(7);
        params = randomParams(rnd);
        batch = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            batch.add(randomParams(rnd));
        }
        stream = new float[STREAM_BLOCKS][BLOCK];
        for (float[] block : stream) {
            for (int i = 0; i < BLOCK; i++) {
                block[i] = (float) rnd.nextDouble();
            }
        }
    }

    private static SmplParams randomParams(SplittableRandom rnd) {
        float[] pose = new float[72];
        for (int i = 0; i < pose.length; i++) {
            pose[i] = (float) rnd.nextDouble(-0.8, 0.8);
        }
        float[] betas = new float[SHAPES];
        for (int b = 0; b < SHAPES; b++) {
            betas[b] = (float) rnd.nextDouble(-2, 2);
        }
        return SmplParams.of(pose, betas, new float[] {0.1f, 0.2f, 3f});
    }

    /** One body, allocating its output and workspace. */
    @Benchmark
    public SmplOutput forwardAllocating() {
        return model.forward(params);
    }

    /**
     * One body into reused arrays.
     *
     * @param buffers this thread's output and workspace
     * @return the output
     */
    @Benchmark
    public SmplOutput forwardWorkspace(Buffers buffers) {
        model.forward(params, buffers.out, buffers.workspace);
        return buffers.out;
    }

    /** 64 bodies in one batched call. */
    @Benchmark
    public List<SmplOutput> forwardBatch64() {
        return model.forward(batch);
    }

    /** The 24 posed joints only. */
    @Benchmark
    public float[] joints() {
        return model.joints(params);
    }

    /** The 41 SMPLR points only (18 landmark vertices skinned). */
    @Benchmark
    public float[] smplrPoints() {
        return model.smplrPoints(params);
    }

    /**
     * Reading 19.4 MB of floats once: the memory floor of a batch-1 pass.
     *
     * @param buffers this thread's partial sums
     * @return the 2048 partial sums
     */
    @Benchmark
    public float[] streamFloor(Buffers buffers) {
        float[] acc = buffers.partialSums;
        // four blocks per pass, like the forward's fused four-row pose blend: one store per four loads
        for (int b = 0; b < STREAM_BLOCKS; b += 4) {
            float[] b0 = stream[b];
            float[] b1 = stream[b + 1];
            float[] b2 = stream[b + 2];
            float[] b3 = stream[b + 3];
            for (int i = 0; i < BLOCK; i++) {
                acc[i] += b0[i] + b1[i] + b2[i] + b3[i];
            }
        }
        return acc;
    }
}
