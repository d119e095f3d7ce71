package dev.smplr.hourglass;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Inference of the volumetric stacked hourglass (SPEC.md section 6), DL4J's {@code ComputationGraph} against
 * {@link FastHourglass} on the same parameters, for the {@code demo} and {@code paper} presets at batch 1 and 8,
 * beside ND4J's sgemm at n = 2048 (the ceiling) in the same run. CPU, float32, random weights.
 *
 * <p>Workloads: {@code dl4jGraph}: {@code graph.output(false, image)}, every stack's head;
 * {@code fastAllHeads}: {@link FastHourglass#outputs}, the same outputs; {@code fastLastHead}:
 * {@link FastHourglass#lastOutput}, the last head only (intermediate heads folded away);
 * {@code sgemm2048}: (2048 × 2048)·(2048 × 2048), 17.18 GFLOP. The setup prints each preset's analytic
 * convolution FLOPs per image ({@link FastHourglass#convFlopsPerImage}); GFLOP/s = batch × FLOPs / time. At
 * batch 1 it also checks that both engines agree (relative 1e-3) and fails otherwise.
 *
 * <p>In package {@code dev.smplr.hourglass}, not {@code dev.smplr.benchmarks.hourglass}: the engines are
 * package-private until the public estimator exists.
 *
 * <p>Run: {@code mvn -B -pl benchmarks -am package -DskipTests}, then
 * {@code java -jar benchmarks/target/benchmarks.jar HourglassInferenceBenchmark -f 1 -wi 2 -i 3}
 * (about 8 minutes; the paper preset through DL4J at batch 8 takes tens of seconds per call).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=10g",
    "-Dorg.bytedeco.javacpp.maxphysicalbytes=16g"})
public class HourglassInferenceBenchmark {

    /** One preset at one batch size: the graph, the fast engine on its parameters, a random image batch. */
    @State(Scope.Benchmark)
    public static class Network {
        @Param({"demo", "paper"})
        public String preset;

        @Param({"1", "8"})
        public int batch;

        ComputationGraph graph;
        FastHourglass fast;
        INDArray image;

        /** Builds both engines and checks them against each other. */
        @Setup(Level.Trial)
        public void setup() {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
            HourglassConfig config = switch (preset) {
                case "demo" -> HourglassConfig.demo();
                case "paper" -> HourglassConfig.paper();
                default -> throw new IllegalArgumentException("preset: expected demo or paper, got " + preset);
            };
            graph = HourglassNetwork.build(config);
            fast = FastHourglass.from(graph, config);
            Nd4j.getRandom().setSeed(5);
            image = Nd4j.randn(DataType.FLOAT, batch, 3, config.inputSize(), config.inputSize());
            System.out.printf("%n%s: conv GFLOP per image %.3f (all heads), %.3f (last head, folded)%n", preset,
                    FastHourglass.convFlopsPerImage(config, true) / 1e9,
                    FastHourglass.convFlopsPerImage(config, false) / 1e9);
            if (batch == 1) {
                INDArray[] expected = graph.output(false, image.dup());
                INDArray actual = fast.lastOutput(image);
                INDArray last = expected[expected.length - 1];
                double error = last.sub(actual).amaxNumber().doubleValue() / last.amaxNumber().doubleValue();
                if (!(error < 1e-3)) {
                    throw new IllegalStateException(preset + ": FastHourglass differs from DL4J by " + error);
                }
            }
        }
    }

    /** Square sgemm operands. */
    @State(Scope.Benchmark)
    public static class Gemm {
        INDArray a;
        INDArray b;
        INDArray c;

        /** Random 2048 × 2048 operands. */
        @Setup(Level.Trial)
        public void setup() {
            a = Nd4j.rand(DataType.FLOAT, 2048, 2048);
            b = Nd4j.rand(DataType.FLOAT, 2048, 2048);
            c = Nd4j.create(DataType.FLOAT, 2048, 2048);
        }
    }

    /** @return every head through DL4J */
    @Benchmark
    public INDArray[] dl4jGraph(Network n) {
        return n.graph.output(false, n.image);
    }

    /** @return every head through FastHourglass */
    @Benchmark
    public INDArray[] fastAllHeads(Network n) {
        return n.fast.outputs(n.image);
    }

    /** @return the last head through FastHourglass, intermediate heads folded */
    @Benchmark
    public INDArray fastLastHead(Network n) {
        return n.fast.lastOutput(n.image);
    }

    /** @return the 2048³ product */
    @Benchmark
    public INDArray sgemm2048(Gemm g) {
        Nd4j.gemm(g.a, g.b, g.c, false, false, 1.0, 0.0);
        return g.c;
    }
}
