package dev.smplr.benchmarks.hourglass;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
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
 * Training speed of DL4J's own {@code ConvolutionLayer} on CPU (the hourglass trainer's path): one SGD step
 * ({@code fit}: forward, backward, update) of a single bias-free convolution with an MSE {@code CnnLossLayer}, batch
 * 4, 64×64, float32, for the settings a graph can choose: {@link CNN2DFormat} (NCHW or NHWC activations),
 * {@link ConvolutionMode} ({@code Same}, or {@code Truncate} with explicit padding k/2), and the training
 * workspace mode. The number of OpenMP/BLAS threads is set outside, with {@code OMP_NUM_THREADS}.
 *
 * <p>FLOPs of a step: forward, input gradient and weight gradient are each {@code 2·N·k²·Cin·Cout·H·W}, so
 * 3 × 4.832 = 14.50 GFLOP for the 3×3 128 → 128 and 3 × 1.074 = 3.22 GFLOP for the 1×1 256 → 128; GFLOP/s =
 * that / time (the loss and the update are negligible beside them).
 *
 * <p>Run: {@code mvn -B -pl benchmarks -am package -DskipTests}, then
 * {@code OMP_NUM_THREADS=2 java -jar benchmarks/target/benchmarks.jar ConvTrainingBenchmark -f 1 -wi 2 -i 3}
 * (restrict with {@code -p kernel=3 -p format=NHWC} etc.).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class ConvTrainingBenchmark {
    private static final int N = 4;
    private static final int H = 64;
    private static final int W = 64;

    @Param({"3", "1"})
    public int kernel;

    @Param({"NCHW", "NHWC"})
    public String format;

    @Param({"Same", "Truncate"})
    public String mode;

    @Param({"ENABLED", "NONE"})
    public String workspaces;

    private MultiLayerNetwork net;
    private DataSet batch;

    /** Builds the one-layer network and a random batch in the chosen layout. */
    @Setup(Level.Trial)
    public void setup() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        int cin = kernel == 3 ? 128 : 256;
        int cout = 128;
        CNN2DFormat f = CNN2DFormat.valueOf(format);
        ConvolutionMode m = ConvolutionMode.valueOf(mode);
        WorkspaceMode ws = WorkspaceMode.valueOf(workspaces);
        int pad = m == ConvolutionMode.Same ? 0 : kernel / 2;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(1e-6))
                .trainingWorkspaceMode(ws)
                .inferenceWorkspaceMode(ws)
                .convolutionMode(m)
                .list()
                .layer(new ConvolutionLayer.Builder(kernel, kernel).nOut(cout).stride(1, 1).padding(pad, pad)
                        .hasBias(false).activation(Activation.IDENTITY).dataFormat(f).build())
                .layer(new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .format(f).build())
                .setInputType(InputType.convolutional(H, W, cin, f))
                .build();
        net = new MultiLayerNetwork(conf);
        net.init();
        long[] in = f == CNN2DFormat.NCHW ? new long[] {N, cin, H, W} : new long[] {N, H, W, cin};
        long[] out = f == CNN2DFormat.NCHW ? new long[] {N, cout, H, W} : new long[] {N, H, W, cout};
        INDArray x = Nd4j.rand(DataType.FLOAT, in).subi(0.5);
        INDArray y = Nd4j.rand(DataType.FLOAT, out).subi(0.5);
        batch = new DataSet(x, y);
    }

    /** @return the network after one SGD step on the batch */
    @Benchmark
    public MultiLayerNetwork fitStep() {
        net.fit(batch);
        return net;
    }
}
