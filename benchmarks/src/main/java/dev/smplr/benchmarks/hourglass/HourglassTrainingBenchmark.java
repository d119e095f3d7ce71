package dev.smplr.benchmarks.hourglass;

import dev.smplr.hourglass.HourglassConfig;
import dev.smplr.hourglass.HourglassTrainer;
import dev.smplr.hourglass.SyntheticImageSource;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
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
 * One training step of the volumetric hourglass with DL4J on CPU (forward, the summed per-stack loss, backward,
 * Adam update): the paper preset on one 256×256 image (≈ 40 GFLOP forward, about three times that per step) and
 * the demo preset on a batch of 8 64×64 images. Inputs are synthetic crops and their volumetric targets, made once
 * in the setup. Compare the paper step with the per-image forward estimates in BENCHMARKS.md (≈ 3.8 s forward with
 * DL4J layers on an idle machine).
 *
 * <ul>
 *   <li>{@code trainStep}: {@code graph.fit} of one batch (seconds per step).</li>
 *   <li>{@code forward}: {@code graph.output} of the same batch, inference mode.</li>
 * </ul>
 *
 * <p>Run (single-shot, short; the paper step takes tens of seconds): {@code mvn -B -pl benchmarks -am package
 * -DskipTests}, then {@code java -jar benchmarks/target/benchmarks.jar HourglassTrainingBenchmark -f 1 -wi 1 -i 2}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 2)
@Fork(1)
public class HourglassTrainingBenchmark {
    /** The preset: "paper" (batch 1, 256²) or "demo" (batch 8, 64²). */
    @Param({"demo", "paper"})
    public String preset;

    // IDEs will say these fields could be final. Don't: JMH must not constant-fold them.
    private ComputationGraph graph;
    private MultiDataSet batch;
    private INDArray input;

    @Setup
    public void setup() {
        HourglassConfig config = preset.equals("paper") ? HourglassConfig.paper() : HourglassConfig.demo();
        int n = preset.equals("paper") ? 1 : 8;
        graph = HourglassTrainer.network(config);
        SyntheticImageSource source = SyntheticImageSource.builder().size(config.inputSize()).seed(1).build();
        float[] images = new float[n * 3 * config.inputSize() * config.inputSize()];
        float[] points = new float[n * 123];
        source.fill(0, n, images, points);
        input = Nd4j.create(images, new long[] {n, 3, config.inputSize(), config.inputSize()});
        INDArray targets = Nd4j.create(HourglassTrainer.targets(config, points), new long[] {n, config.headValues()});
        INDArray[] labels = new INDArray[config.stacks()];
        Arrays.fill(labels, targets);
        batch = new MultiDataSet(new INDArray[] {input}, labels);
    }

    @Benchmark
    public double trainStep() {
        graph.fit(batch);
        return graph.score();
    }

    @Benchmark
    public INDArray[] forward() {
        return graph.output(false, input);
    }
}
