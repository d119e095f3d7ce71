package dev.smplr.benchmarks.core;

import dev.smplr.core.BodyEstimate;
import dev.smplr.core.BodyMesh;
import dev.smplr.core.Gender;
import dev.smplr.core.Pipeline;
import dev.smplr.core.PipelineResult;
import dev.smplr.dae.JointDenoiser;
import dev.smplr.hourglass.HourglassEstimator;
import dev.smplr.hourglass.SyntheticImageSource;
import dev.smplr.smpl.SmplEstimate;
import dev.smplr.smpl.SmplModel;
import dev.smplr.smpl.SmplRegressor;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The warm demo pipeline ({@link Pipeline#demo()}: the shipped hourglass, denoiser and regressor, the neutral demo
 * body) on 256×256 synthetic person crops ({@code SyntheticImageSource.demo(7)}, samples 0..31; sample 0 is the
 * crop {@code smplr demo} shows), one thread:
 * <ul>
 *   <li>{@code run}: the latency of one {@link Pipeline#run} (estimate → denoise → regress → body), the figure an
 *       interactive application sees;</li>
 *   <li>{@code estimate}, {@code denoise}, {@code regress}, {@code body}: each stage's public call on its own, on
 *       the input the stage before gives for that crop (the body stage is {@code pose} + {@code smplrPoints}, as
 *       the pipeline runs it), so their sum can be compared with {@code run};</li>
 *   <li>{@code pipelineBatch8}, {@code pipelineBatch32}: images per second when a batch goes through
 *       {@link Pipeline#run} one crop at a time;</li>
 *   <li>{@code runAll8}, {@code runAll32}: the same through {@link Pipeline#runAll}, which hands the estimator the
 *       whole list;</li>
 *   <li>{@code stagesBatch8}, {@code stagesBatch32}: the same four stages through their list calls
 *       ({@code HourglassEstimator.estimate(List)}: network batches of up to 16; {@code JointDenoiser.denoise(List)};
 *       {@code SmplRegressor.regress(List)}) and the body per estimate: the most a batch call can give.</li>
 * </ul>
 * The batch sizes are separate methods rather than a {@code @Param}, because {@code @OperationsPerInvocation},
 * which makes JMH print images per second, is a constant.
 *
 * <p>Warm-up is 2 × 10 s: with 2 s iterations a loaded 2-core machine was still compiling the hourglass's Java
 * passes in the measured iterations (the single-crop estimate fell from 67 to 12 ms over five iterations).
 *
 * <p>Run (one OpenBLAS thread: on a shared machine ND4J's spinning OpenMP threads made it many times slower):
 * {@code OMP_NUM_THREADS=1 java -jar benchmarks/target/benchmarks.jar PipelineBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class PipelineBenchmark {
    private static final int CROPS = 32;

    // IDEs will say these fields could be final. Don't: JMH must not constant-fold them.
    private Pipeline pipeline;
    private HourglassEstimator estimator;
    private JointDenoiser denoiser;
    private SmplRegressor regressor;
    private SmplModel body;
    private BufferedImage crop;
    private float[] estimated;
    private float[] denoised;
    private SmplEstimate regressed;
    private List<BufferedImage> crops;

    /** Loads the demo pipeline and its stages and renders the crops. */
    @Setup
    public void setUp() {
        pipeline = Pipeline.demo();
        estimator = HourglassEstimator.demo();
        denoiser = JointDenoiser.demo();
        regressor = SmplRegressor.demo();
        body = SmplModel.demo(Gender.NEUTRAL);
        SyntheticImageSource source = SyntheticImageSource.demo(7);
        crops = new ArrayList<>();
        for (int i = 0; i < CROPS; i++) {
            crops.add(source.sample(i).crop());
        }
        crop = crops.get(0);
        estimated = estimator.estimate(crop);
        denoised = denoiser.denoise(estimated);
        regressed = regressor.regress(denoised);
    }

    /** @return the whole pipeline on one crop */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public PipelineResult run() {
        return pipeline.run(crop);
    }

    /** @return the hourglass's 41 points of the crop */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public float[] estimate() {
        return estimator.estimate(crop);
    }

    /** @return the denoised points */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public float[] denoise() {
        return denoiser.denoise(estimated);
    }

    /** @return SMPL pose and shape of the denoised points */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public SmplEstimate regress() {
        return regressor.regress(denoised);
    }

    /** @return the 41 points of the posed mesh (the mesh itself is made on the way) */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public float[] body() {
        BodyMesh mesh = body.pose(regressed);
        return body.smplrPoints(mesh);
    }

    /** @param bh sink of the results; the score is in images per second */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(8)
    public void pipelineBatch8(Blackhole bh) {
        pipelineBatch(8, bh);
    }

    /** @param bh sink of the results; the score is in images per second */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(32)
    public void pipelineBatch32(Blackhole bh) {
        pipelineBatch(32, bh);
    }

    /** @return the 8 crops' results; the score is in images per second */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(8)
    public List<PipelineResult> runAll8() {
        return pipeline.runAll(crops.subList(0, 8));
    }

    /** @return the 32 crops' results; the score is in images per second */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(32)
    public List<PipelineResult> runAll32() {
        return pipeline.runAll(crops.subList(0, 32));
    }

    /** @return the 8 crops' points of the posed meshes; the score is in images per second */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(8)
    public List<float[]> stagesBatch8() {
        return stagesBatch(8);
    }

    /** @return the 32 crops' points of the posed meshes; the score is in images per second */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(32)
    public List<float[]> stagesBatch32() {
        return stagesBatch(32);
    }

    private void pipelineBatch(int n, Blackhole bh) {
        for (int i = 0; i < n; i++) {
            bh.consume(pipeline.run(crops.get(i)));
        }
    }

    private List<float[]> stagesBatch(int n) {
        List<float[]> points = estimator.estimate(crops.subList(0, n));
        List<SmplEstimate> estimates = regressor.regress(denoiser.denoise(points));
        List<float[]> out = new ArrayList<>(n);
        for (BodyEstimate e : estimates) {
            out.add(body.smplrPoints(body.pose(e)));
        }
        return out;
    }
}
