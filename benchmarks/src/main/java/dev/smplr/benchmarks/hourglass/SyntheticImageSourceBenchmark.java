package dev.smplr.benchmarks.hourglass;

import dev.smplr.hourglass.SyntheticImageSource;
import dev.smplr.hourglass.SyntheticSample;
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
 * Synthetic training images ({@link SyntheticImageSource}): the cost of one sample (demo body posed, dressed,
 * rendered over a procedural background with occluders, cropped) on one thread, and of a parallel
 * {@link SyntheticImageSource#fill} of 16 standardised NCHW crops over all cores. The floor to compare with is
 * the hourglass's own training step per image: a sample must cost much less for the renderer not to be the
 * bottleneck.
 *
 * <ul>
 *   <li>{@code sample}: {@code sample(i)} for increasing i, one thread (ms per sample);</li>
 *   <li>{@code fill16}: {@code fill(i, 16, images, points)} (ms per batch of 16; divide by 16).</li>
 * </ul>
 *
 * <p>Run: {@code mvn -B -pl benchmarks -am package -DskipTests}, then
 * {@code java -jar benchmarks/target/benchmarks.jar SyntheticImageSourceBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SyntheticImageSourceBenchmark {
    private static final int BATCH = 16;

    /** The crop side, pixels: the release's 256 and a CPU-sized 128. */
    @Param({"128", "256"})
    public int size;

    // IDEs will say these fields could be final. Don't: JMH must not constant-fold them.
    private SyntheticImageSource source;
    private float[] images;
    private float[] points;
    private long index;

    @Setup
    public void setup() {
        source = SyntheticImageSource.builder().seed(1).size(size).build();
        images = new float[BATCH * 3 * size * size];
        points = new float[BATCH * 123];
        source.sample(0); // prepares the bodies' clothing layouts
    }

    @Benchmark
    public SyntheticSample sample() {
        return source.sample(index++);
    }

    @Benchmark
    public float[] fill16() {
        source.fill(index, BATCH, images, points);
        index += BATCH;
        return images;
    }
}
