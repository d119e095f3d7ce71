package dev.smplr.hourglass;

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
 * the demo preset on a batch of 8 crops of its input size. Inputs are synthetic crops and their volumetric
 * targets, made once in the setup. Compare the paper step with the per-image forward estimates in BENCHMARKS.md (≈ 3.8 s forward with
 * DL4J layers on an idle machine).
 *
 * <ul>
 *   <li>{@code trainStep}: one training step with the {@code engine} parameter's engine: {@code dl4j} is
 *       {@code graph.fit} of one batch, {@code fast} is {@code HourglassBackprop.step} (the same maths on NHWC
 *       GEMMs, through the graph's updater; the trainer's default). Seconds per step.</li>
 *   <li>{@code forward}: {@code graph.output} of the same batch, inference mode.</li>
 * </ul>
 *
 * <p>In the module's package because {@code HourglassBackprop} is package-private. Run (single-shot, short; the
 * paper step takes tens of seconds): {@code mvn -B -pl benchmarks -am package
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

    /** The training engine: "dl4j" ({@code ComputationGraph.fit}) or "fast" ({@code HourglassBackprop}). */
    @Param({"dl4j", "fast"})
    public String engine;

    // IDEs will say these fields could be final. Don't: JMH must not constant-fold them.
    private ComputationGraph graph;
    private MultiDataSet batch;
    private INDArray input;
    private HourglassBackprop fast;
    private float[] images;
    private float[] targets;
    private int n;

    @Setup
    public void setup() {
        HourglassConfig config = preset.equals("paper") ? HourglassConfig.paper() : HourglassConfig.demo();
        n = preset.equals("paper") ? 1 : 8;
        graph = HourglassTrainer.network(config);
        SyntheticImageSource source = SyntheticImageSource.builder().size(config.inputSize()).seed(1).build();
        images = new float[n * 3 * config.inputSize() * config.inputSize()];
        float[] points = new float[n * 123];
        source.fill(0, n, images, points);
        input = Nd4j.create(images, new long[] {n, 3, config.inputSize(), config.inputSize()});
        targets = HourglassTrainer.targets(config, points);
        INDArray y = Nd4j.create(targets, new long[] {n, config.headValues()});
        INDArray[] labels = new INDArray[config.stacks()];
        Arrays.fill(labels, y);
        batch = new MultiDataSet(new INDArray[] {input}, labels);
        fast = engine.equals("fast") ? HourglassBackprop.of(graph, config) : null;
    }

    @Benchmark
    public double trainStep() {
        if (fast != null) {
            return fast.step(images, targets, n);
        }
        graph.fit(batch);
        return graph.score();
    }

    @Benchmark
    public INDArray[] forward() {
        return graph.output(false, input);
    }
}
