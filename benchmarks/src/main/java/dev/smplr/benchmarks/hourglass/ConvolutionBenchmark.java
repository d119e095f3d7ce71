package dev.smplr.benchmarks.hourglass;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Im2col;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
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
 * Forward (inference) convolutions of the volumetric stacked hourglass (SPEC.md section 6) on CPU, float32, NCHW
 * input of batch N = 4, 64×64, stride 1, no bias; each path against ND4J's sgemm as the ceiling.
 *
 * <p>FLOP count of a convolution: {@code 2·N·Cout·Cin·k²·H·W}, so GFLOP/s = FLOP / time:
 * <ul>
 *   <li>3×3, 128 → 128 (pad 1): 2·4·128·128·9·4096 = 4.832 GFLOP;</li>
 *   <li>1×1, 256 → 128 or 128 → 256: 2·4·128·256·4096 = 1.074 GFLOP;</li>
 *   <li>sgemm 128 × 1152 · 1152 × 4096 (one image's 3×3 as a product): 2·128·1152·4096 = 1.208 GFLOP.</li>
 * </ul>
 * Workloads:
 * <ul>
 *   <li>{@code dl4j3x3}: DL4J {@code ConvolutionLayer} 3×3 in a one-layer {@code MultiLayerNetwork}, the baseline;</li>
 *   <li>{@code javaIm2colGemm3x3}: im2col of each image in plain Java into a {@code float[]} of
 *       (Cin·9) × (H·W), copied into an ND4J buffer, then one {@code Nd4j.gemm} (Cout × Cin·9)·(Cin·9 × H·W)
 *       per image into the NCHW output;</li>
 *   <li>{@code nd4jIm2colGemm3x3}: the same with ND4J's {@code im2col} op for the whole batch;</li>
 *   <li>{@code conv2dOpNchw3x3}, {@code conv2dOpNhwc3x3}: libnd4j's {@code conv2d} custom op directly;</li>
 *   <li>{@code shiftedGemmNhwc3x3}: no im2col at all. The NHWC input is copied into a zero-padded
 *       [N, H+2, W+2, Cin] buffer, which is a contiguous (N·(H+2)·(W+2)) × Cin matrix of pixels; for each of the
 *       9 taps (ky, kx) the rows shifted by {@code ky·(W+2) + kx} are again a contiguous matrix, so the
 *       convolution is 9 accumulated GEMMs (M × Cin)·(Cin × Cout) with M ≈ N·(H+2)·(W+2) on views, computed on
 *       the padded grid (6 % of the rows are thrown away) and read back as an [N, H, W, Cout] view;</li>
 *   <li>{@code dl4j1x1Down}, {@code dl4j1x1Up}: DL4J 1×1 layers 256 → 128 and 128 → 256 (the bottleneck's);</li>
 *   <li>{@code gemm1x1Down}, {@code gemm1x1Up}: the same 1×1 convolutions as one {@code Nd4j.gemm}
 *       (Cout × Cin)·(Cin × H·W) per image on the NCHW buffer (no im2col);</li>
 *   <li>{@code gemm1x1DownNhwc}, {@code gemm1x1UpNhwc}: the 1×1 convolutions on NHWC buffers, one GEMM
 *       (N·H·W × Cin)·(Cin × Cout) for the whole batch;</li>
 *   <li>{@code sgemm}: the plain 128 × 1152 × 4096 product.</li>
 * </ul>
 * The setup checks every 3×3 path and the 1×1 GEMMs against DL4J's output and fails if they disagree.
 *
 * <p>Run: {@code mvn -B -pl benchmarks -am package -DskipTests}, then
 * {@code java -jar benchmarks/target/benchmarks.jar ConvolutionBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ConvolutionBenchmark {
    private static final int N = 4;
    private static final int C = 128;
    private static final int C2 = 256;
    private static final int H = 64;
    private static final int W = 64;
    private static final int HW = H * W;
    private static final int K = 3;

    private MultiLayerNetwork dl4j3x3;
    private MultiLayerNetwork dl4jDown;
    private MultiLayerNetwork dl4jUp;

    private INDArray input;        // [N, C, H, W]
    private INDArray inputNhwc;    // [N, H, W, C], c-order copy
    private INDArray input2;       // [N, C2, H, W]
    private float[] inputJava;     // the same as input, on the heap
    private INDArray weights;      // [C, C, 3, 3] OIYX (DL4J's)
    private INDArray weightsYxio;  // [3, 3, C, C] c-order copy
    private INDArray weights2d;    // [C, C·9] view of weights
    private INDArray weightsDown;  // [C, C2]
    private INDArray weightsUp;    // [C2, C]
    private INDArray output;       // [N, C, H, W]
    private INDArray outputNhwc;   // [N, H, W, C]
    private INDArray output2;      // [N, C2, H, W]
    private INDArray columns;      // [C·9, H·W], one image
    private INDArray columnsBatch; // [N, C, 3, 3, H, W]
    private float[] columnsJava;
    private INDArray gemmA;
    private INDArray gemmB;
    private INDArray gemmC;
    private INDArray padded;       // [N, H+2, W+2, C], zero border
    private INDArray paddedInterior;
    private INDArray[] paddedTaps; // 9 views (M × C) of padded, shifted by ky·(W+2) + kx pixels
    private INDArray[] tapWeights; // 9 views (C × C) of weightsYxio
    private INDArray paddedOut;    // [N, H+2, W+2, C]
    private INDArray paddedOutRows; // (M × C) view of paddedOut
    private INDArray paddedOutValid; // [N, H, W, C] view of paddedOut
    private INDArray input2Nhwc;   // [N·H·W, C2]
    private INDArray inputNhwc2d;  // [N·H·W, C] view of inputNhwc
    private INDArray weightsDownT; // [C2, C]
    private INDArray weightsUpT;   // [C, C2]
    private INDArray outputNhwc2d; // [N·H·W, C]
    private INDArray output2Nhwc2d; // [N·H·W, C2]
    private Conv2DConfig nchw;
    private Conv2DConfig nhwc;

    /** Builds the layers, random inputs and weights, and checks the paths against DL4J. */
    @Setup(Level.Trial)
    public void setup() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        dl4j3x3 = network(C, C, K);
        dl4jDown = network(C2, C, 1);
        dl4jUp = network(C, C2, 1);

        SplittableRandom rnd = new SplittableRandom(11);
        inputJava = new float[N * C * HW];
        for (int i = 0; i < inputJava.length; i++) {
            inputJava[i] = (float) rnd.nextDouble(-1, 1);
        }
        input = Nd4j.create(inputJava, new long[] {N, C, H, W}, 'c');
        inputNhwc = input.permute(0, 2, 3, 1).dup('c');
        input2 = Nd4j.rand(DataType.FLOAT, N, C2, H, W).subi(0.5f);

        weights = dl4j3x3.getLayer(0).getParam("W");
        weightsYxio = weights.permute(2, 3, 1, 0).dup('c');
        weights2d = weights.reshape('c', C, (long) C * K * K);
        weightsDown = dl4jDown.getLayer(0).getParam("W").reshape('c', C, C2);
        weightsUp = dl4jUp.getLayer(0).getParam("W").reshape('c', C2, C);

        output = Nd4j.create(DataType.FLOAT, N, C, H, W);
        outputNhwc = Nd4j.create(DataType.FLOAT, N, H, W, C);
        output2 = Nd4j.create(DataType.FLOAT, N, C2, H, W);
        columns = Nd4j.create(DataType.FLOAT, (long) C * K * K, HW);
        columnsBatch = Nd4j.create(DataType.FLOAT, N, C, K, K, H, W);
        columnsJava = new float[C * K * K * HW];

        gemmA = Nd4j.rand(DataType.FLOAT, C, C * K * K);
        gemmB = Nd4j.rand(DataType.FLOAT, C * K * K, HW);
        gemmC = Nd4j.create(DataType.FLOAT, C, HW);

        nchw = Conv2DConfig.builder().kH(K).kW(K).sH(1).sW(1).pH(1).pW(1).dH(1).dW(1)
                .paddingMode(PaddingMode.SAME).dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.OIYX)
                .build();
        nhwc = Conv2DConfig.builder().kH(K).kW(K).sH(1).sW(1).pH(1).pW(1).dH(1).dW(1)
                .paddingMode(PaddingMode.SAME).dataFormat(Conv2DConfig.NHWC).weightsFormat(WeightsFormat.YXIO)
                .build();

        int rowsPadded = N * (H + 2) * (W + 2);
        int m = (N - 1) * (H + 2) * (W + 2) + (H - 1) * (W + 2) + W;
        padded = Nd4j.create(DataType.FLOAT, N, H + 2, W + 2, C);
        paddedInterior = padded.get(NDArrayIndex.all(), NDArrayIndex.interval(1, H + 1),
                NDArrayIndex.interval(1, W + 1), NDArrayIndex.all());
        INDArray paddedRows = padded.reshape('c', rowsPadded, C);
        paddedTaps = new INDArray[K * K];
        tapWeights = new INDArray[K * K];
        for (int ky = 0; ky < K; ky++) {
            for (int kx = 0; kx < K; kx++) {
                int shift = ky * (W + 2) + kx;
                paddedTaps[ky * K + kx] = paddedRows.get(NDArrayIndex.interval(shift, shift + m), NDArrayIndex.all());
                tapWeights[ky * K + kx] = weightsYxio.get(NDArrayIndex.point(ky), NDArrayIndex.point(kx),
                        NDArrayIndex.all(), NDArrayIndex.all());
            }
        }
        paddedOut = Nd4j.create(DataType.FLOAT, N, H + 2, W + 2, C);
        paddedOutRows = paddedOut.reshape('c', rowsPadded, C).get(NDArrayIndex.interval(0, m), NDArrayIndex.all());
        paddedOutValid = paddedOut.get(new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.interval(0, H),
            NDArrayIndex.interval(0, W), NDArrayIndex.all()});
        input2Nhwc = input2.permute(0, 2, 3, 1).dup('c').reshape('c', (long) N * HW, C2);
        inputNhwc2d = inputNhwc.reshape('c', (long) N * HW, C);
        weightsDownT = weightsDown.transpose().dup('c');
        weightsUpT = weightsUp.transpose().dup('c');
        outputNhwc2d = Nd4j.create(DataType.FLOAT, (long) N * HW, C);
        output2Nhwc2d = Nd4j.create(DataType.FLOAT, (long) N * HW, C2);

        INDArray reference = dl4j3x3().dup();
        check("shiftedGemmNhwc3x3", reference, shiftedGemmNhwc3x3().permute(0, 3, 1, 2));
        check("javaIm2colGemm3x3", reference, javaIm2colGemm3x3());
        check("nd4jIm2colGemm3x3", reference, nd4jIm2colGemm3x3());
        check("conv2dOpNchw3x3", reference, conv2dOpNchw3x3());
        check("conv2dOpNhwc3x3", reference, conv2dOpNhwc3x3().permute(0, 3, 1, 2));
        INDArray down = dl4j1x1Down().dup();
        check("gemm1x1Down", down, gemm1x1Down());
        check("gemm1x1DownNhwc", down, gemm1x1DownNhwc().reshape('c', N, H, W, C).permute(0, 3, 1, 2));
        INDArray up = dl4j1x1Up().dup();
        check("gemm1x1Up", up, gemm1x1Up());
        check("gemm1x1UpNhwc", up, gemm1x1UpNhwc().reshape('c', N, H, W, C2).permute(0, 3, 1, 2));
    }

    private static MultiLayerNetwork network(int in, int out, int k) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.FLOAT)
                .list()
                .layer(new ConvolutionLayer.Builder(k, k).nIn(in).nOut(out).stride(1, 1).padding(k / 2, k / 2)
                        .hasBias(false).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(H, W, in))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static void check(String name, INDArray expected, INDArray actual) {
        if (!java.util.Arrays.equals(expected.shape(), actual.shape())) {
            throw new IllegalStateException(name + ": shape " + java.util.Arrays.toString(actual.shape())
                    + ", expected " + java.util.Arrays.toString(expected.shape()));
        }
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        double scale = expected.amaxNumber().doubleValue();
        if (!(diff <= 1e-4 * Math.max(1, scale))) {
            throw new IllegalStateException(name + ": max |difference| " + diff + " (max |value| " + scale + ")");
        }
    }

    /** @return DL4J's 3×3 output [N, C, H, W] */
    @Benchmark
    public INDArray dl4j3x3() {
        return dl4j3x3.output(input, false);
    }

    /** @return the 3×3 convolution as Java im2col + one sgemm per image */
    @Benchmark
    public INDArray javaIm2colGemm3x3() {
        FloatBuffer buffer = columns.data().asNioFloat();
        for (int n = 0; n < N; n++) {
            im2col3x3(inputJava, n * C * HW, columnsJava);
            buffer.clear();
            buffer.put(columnsJava);
            Nd4j.gemm(weights2d, columns, output.slice(n).reshape('c', C, HW), false, false, 1.0, 0.0);
        }
        return output;
    }

    /** @return the 3×3 convolution as ND4J's im2col op for the batch + one sgemm per image */
    @Benchmark
    public INDArray nd4jIm2colGemm3x3() {
        Im2col op = new Im2col(input, nchw);
        op.addOutputArgument(columnsBatch);
        Nd4j.exec(op);
        for (int n = 0; n < N; n++) {
            INDArray cols = columnsBatch.slice(n).reshape('c', (long) C * K * K, HW);
            Nd4j.gemm(weights2d, cols, output.slice(n).reshape('c', C, HW), false, false, 1.0, 0.0);
        }
        return output;
    }

    /** @return libnd4j's conv2d, NCHW input, OIYX weights */
    @Benchmark
    public INDArray conv2dOpNchw3x3() {
        Nd4j.exec(new Conv2D(new INDArray[] {input, weights}, new INDArray[] {output}, nchw));
        return output;
    }

    /** @return libnd4j's conv2d, NHWC input, YXIO weights */
    @Benchmark
    public INDArray conv2dOpNhwc3x3() {
        Nd4j.exec(new Conv2D(new INDArray[] {inputNhwc, weightsYxio}, new INDArray[] {outputNhwc}, nhwc));
        return outputNhwc;
    }

    /** @return the 3×3 convolution as 9 shifted GEMMs on a padded NHWC buffer, [N, H, W, C] view */
    @Benchmark
    public INDArray shiftedGemmNhwc3x3() {
        paddedInterior.assign(inputNhwc);
        for (int t = 0; t < K * K; t++) {
            Nd4j.gemm(paddedTaps[t], tapWeights[t], paddedOutRows, false, false, 1.0, t == 0 ? 0.0 : 1.0);
        }
        return paddedOutValid;
    }

    /** @return the 1×1 convolution 256 → 128 on NHWC, one sgemm for the batch */
    @Benchmark
    public INDArray gemm1x1DownNhwc() {
        Nd4j.gemm(input2Nhwc, weightsDownT, outputNhwc2d, false, false, 1.0, 0.0);
        return outputNhwc2d;
    }

    /** @return the 1×1 convolution 128 → 256 on NHWC, one sgemm for the batch */
    @Benchmark
    public INDArray gemm1x1UpNhwc() {
        Nd4j.gemm(inputNhwc2d, weightsUpT, output2Nhwc2d, false, false, 1.0, 0.0);
        return output2Nhwc2d;
    }

    /** @return DL4J's 1×1, 256 → 128 */
    @Benchmark
    public INDArray dl4j1x1Down() {
        return dl4jDown.output(input2, false);
    }

    /** @return DL4J's 1×1, 128 → 256 */
    @Benchmark
    public INDArray dl4j1x1Up() {
        return dl4jUp.output(input, false);
    }

    /** @return the 1×1 convolution 256 → 128 as one sgemm per image */
    @Benchmark
    public INDArray gemm1x1Down() {
        for (int n = 0; n < N; n++) {
            Nd4j.gemm(weightsDown, input2.slice(n).reshape('c', C2, HW), output.slice(n).reshape('c', C, HW),
                    false, false, 1.0, 0.0);
        }
        return output;
    }

    /** @return the 1×1 convolution 128 → 256 as one sgemm per image */
    @Benchmark
    public INDArray gemm1x1Up() {
        for (int n = 0; n < N; n++) {
            Nd4j.gemm(weightsUp, input.slice(n).reshape('c', C, HW), output2.slice(n).reshape('c', C2, HW),
                    false, false, 1.0, 0.0);
        }
        return output2;
    }

    /** @return the plain 128 × 1152 · 1152 × 4096 product */
    @Benchmark
    public INDArray sgemm() {
        Nd4j.gemm(gemmA, gemmB, gemmC, false, false, 1.0, 0.0);
        return gemmC;
    }

    /**
     * Writes the (C·9) × (H·W) column matrix of one image (3×3, stride 1, zero pad 1): row
     * {@code c·9 + 3·ky + kx}, column {@code y·W + x} holds {@code in[c, y + ky − 1, x + kx − 1]}.
     */
    private static void im2col3x3(float[] in, int inOff, float[] cols) {
        int row = 0;
        for (int c = 0; c < C; c++) {
            int plane = inOff + c * HW;
            for (int ky = 0; ky < K; ky++) {
                for (int kx = 0; kx < K; kx++, row++) {
                    int base = row * HW;
                    int dx = kx - 1;
                    int x0 = Math.max(0, -dx);
                    int x1 = Math.min(W, W - dx);
                    for (int y = 0; y < H; y++) {
                        int sy = y + ky - 1;
                        int dst = base + y * W;
                        if (sy < 0 || sy >= H) {
                            java.util.Arrays.fill(cols, dst, dst + W, 0f);
                            continue;
                        }
                        if (x0 > 0) {
                            cols[dst] = 0f;
                        }
                        if (x1 < W) {
                            cols[dst + W - 1] = 0f;
                        }
                        System.arraycopy(in, plane + sy * W + x0 + dx, cols, dst + x0, x1 - x0);
                    }
                }
            }
        }
    }
}
