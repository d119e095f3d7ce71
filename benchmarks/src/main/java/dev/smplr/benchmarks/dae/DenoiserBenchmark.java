package dev.smplr.benchmarks.dae;

import dev.smplr.dae.JointDenoiser;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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

/**
 * The shipped demo DAE ({@code JointDenoiser.demo()}, widths 256/256/128) at inference: the latency of one
 * sample (target ≤ 2 ms, a real-time budget for a pipeline stage) and the throughput of batches of 256 in
 * samples per second (target ≥ 5,000/s, a batch-evaluation budget). Inference is the plain-Java
 * {@code MlpKernel} (no ND4J call); the cost includes the argument checks and the copies in and out.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar DenoiserBenchmark -f 1 -wi 2 -i 3}.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class DenoiserBenchmark {
    // IDEs will say these fields could be final. Don't: JMH must not constant-fold them.
    private JointDenoiser denoiser;
    private float[] sample;
    private List<float[]> batch;

    /** The demo denoiser and noisy-looking inputs (values of body size, in metres). */
    @Setup
    public void setUp() {
        denoiser = JointDenoiser.demo();
        Random rnd = new Random(1);
        sample = points(rnd);
        batch = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            batch.add(points(rnd));
        }
    }

    private static float[] points(Random rnd) {
        float[] p = new float[123];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (0.3 * rnd.nextGaussian());
        }
        return p;
    }

    /** @return one sample denoised */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float[] singleSample() {
        return denoiser.denoise(sample);
    }

    /** @return 256 samples denoised in one forward pass; the score is in samples per second */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(256)
    public List<float[]> batch256() {
        return denoiser.denoise(batch);
    }
}
