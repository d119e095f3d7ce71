package dev.smplr.hourglass;

import dev.smplr.smpl.training.NetworkSeeds;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Builds the volumetric stacked hourglass (SPEC.md section 6) as a DL4J {@link ComputationGraph}, NCHW float32,
 * for any {@link HourglassConfig}. With F = {@code features}, S = {@code stacks}, L = {@code depth} pooling levels
 * per hourglass, R = {@code outputSize}, K = {@code headChannels} (720 in the paper):
 *
 * <h2>Vertices (stable names: the fast inference engine and the weight readers rely on them)</h2>
 * <table>
 *   <caption>vertex name → operation (s = stack 0..S−1, l = hourglass level 0..L−1, 0 outermost)</caption>
 *   <tr><th>name</th><th>operation</th></tr>
 *   <tr><td>{@code image}</td><td>input, (N, 3, 4R, 4R), per-image standardised RGB</td></tr>
 *   <tr><td>{@code stem_pad}</td><td>zero padding 2 on each side</td></tr>
 *   <tr><td>{@code stem_conv}</td><td>6×6 conv, stride 2, F/4 channels, VALID (truncate), no bias, no BN/ReLU</td></tr>
 *   <tr><td>{@code stem_res1}</td><td>Residual(F/2)</td></tr>
 *   <tr><td>{@code stem_pool}</td><td>max-pool 2×2, stride 2 (→ R×R)</td></tr>
 *   <tr><td>{@code stem_res2}, {@code stem_res3}</td><td>Residual(F/2), Residual(F) (the paper's r3)</td></tr>
 *   <tr><td>{@code s<s>_hg<l>_up1}</td><td>Residual(F) at level l's resolution</td></tr>
 *   <tr><td>{@code s<s>_hg<l>_pool}</td><td>max-pool 2×2 stride 2 of level l's input</td></tr>
 *   <tr><td>{@code s<s>_hg<l>_low1}</td><td>Residual(F) of the pool</td></tr>
 *   <tr><td>{@code s<s>_hg<L−1>_low2}</td><td>Residual(F) of low1 (innermost level only; elsewhere low2 is
 *       {@code s<s>_hg<l+1>})</td></tr>
 *   <tr><td>{@code s<s>_hg<l>_low3}</td><td>Residual(F) of low2</td></tr>
 *   <tr><td>{@code s<s>_hg<l>_upsample}</td><td>nearest-neighbour ×2 upsampling of low3</td></tr>
 *   <tr><td>{@code s<s>_hg<l>}</td><td>Add(up1, upsample): the hourglass level's output</td></tr>
 *   <tr><td>{@code s<s>_ll_conv}, {@code s<s>_ll_bn}, {@code s<s>_ll}</td><td>1×1 conv F, BN, ReLU of
 *       {@code s<s>_hg0}</td></tr>
 *   <tr><td>{@code s<s>_llp}</td><td>1×1 conv F of ll (intermediate stacks only)</td></tr>
 *   <tr><td>{@code s<s>_drop}</td><td>dropout of llp (intermediate stacks) or of ll (last stack)</td></tr>
 *   <tr><td>{@code s<s>_out}</td><td>1×1 conv K of ll (intermediate) or of drop (last): the head logits,
 *       channel {@code c = d·(41 + limbs) + p}</td></tr>
 *   <tr><td>{@code s<s>_outp}</td><td>1×1 conv F of out (intermediate stacks only)</td></tr>
 *   <tr><td>{@code s<s>_next}</td><td>Add(drop, outp, previous input): the next stack's input (intermediate
 *       stacks only; the first stack's previous input is {@code stem_res3})</td></tr>
 *   <tr><td>{@code s<s>_loss}</td><td>loss layer over out flattened to (N, K·R·R) at {@code c·R² + y·R + x},
 *       identity activation; graph output s</td></tr>
 * </table>
 * A {@code Residual(C)} named {@code r} (pre-activation bottleneck) is: {@code r_bn1}, {@code r_relu1},
 * {@code r_conv1} (1×1, C/2), {@code r_bn2}, {@code r_relu2}, {@code r_conv2} (3×3, C/2, zero pad 1),
 * {@code r_bn3}, {@code r_relu3}, {@code r_conv3} (1×1, C), {@code r_skip} (1×1 conv C, no BN, only when the
 * input has other than C channels) and {@code r} = Add(conv3, skip or input).
 *
 * <h2>Parameters</h2>
 * Read them by name with {@link #param(ComputationGraph, String, String)}: convolutions have {@code "W"} of shape
 * (Cout, Cin, kH, kW) and no bias (every conv is built with {@code hasBias(false)}); batch norms have
 * {@code "gamma"}, {@code "beta"}, {@code "mean"} and {@code "log10stdev"}, each (1, C): at inference batch norm is
 * {@code y = γ·(x − mean)/σ + β} with {@code σ = 10^log10stdev}, the running √(var + ε) (DL4J's default log-std
 * storage; its JSON reader turns {@code useLogStd = false} back into {@code true}, so the other storage does not
 * survive a save).
 *
 * <h2>Departures from the release, and why</h2>
 * <ul>
 *   <li>Batch norm keeps a learnable scale γ (initialised 1): DL4J's {@code BatchNormalization} can lock γ and β
 *       only together. The release's "conv weights + BN offsets" parameter count is
 *       {@link #releaseParameterCount}; DL4J's total also holds γ and the running statistics.</li>
 *   <li>Initialisation: DL4J's Xavier normal, N(0, 2/(fanIn + fanOut)), not truncated.</li>
 *   <li>ReLU after batch norm is its own {@link ActivationLayer} (TF fuses it), so each tensor has a name.</li>
 * </ul>
 */
final class HourglassNetwork {
    /** The input vertex. */
    static final String INPUT = "image";
    /** The stem's output, the first stack's input (the paper's r3). */
    static final String STEM_OUTPUT = "stem_res3";
    /** Suffix of a middle stack's 1×1 convolution of its features into the next stack ({@link #feedName}). */
    static final String FEED_FEATURES = "llp";
    /** Suffix of a middle stack's 1×1 convolution of its head into the next stack ({@link #feedName}). */
    static final String FEED_HEAD = "outp";

    private HourglassNetwork() {
    }

    /** @return the loss layer (graph output) of stack {@code s} */
    static String lossName(int s) {
        return "s" + s + "_loss";
    }

    /** @return the head logits conv of stack {@code s} */
    static String headName(int s) {
        return "s" + s + "_out";
    }

    /**
     * @param s    the stack
     * @param feed {@link #FEED_FEATURES} or {@link #FEED_HEAD}
     * @return the layer of stack {@code s} that feeds the next stack
     */
    static String feedName(int s, String feed) {
        return "s" + s + "_" + feed;
    }

    /** @return the names of all graph outputs, stack order */
    static String[] outputNames(int stacks) {
        String[] out = new String[stacks];
        for (int s = 0; s < stacks; s++) {
            out[s] = lossName(s);
        }
        return out;
    }

    /**
     * How an engine ({@link FastHourglass}, {@link HourglassBackprop}) makes its own parts from the graph's layers.
     * {@link #residual(ComputationGraph, String, Parts)} and {@link #hourglass} walk the graph for it, so the layer
     * names of a residual module and of an hourglass level are known here only, beside the code that builds them.
     *
     * @param <C> a convolution
     * @param <B> a batch norm
     * @param <R> a residual module
     * @param <L> an hourglass level
     */
    interface Parts<C, B, R, L> {
        /** @return the part of the convolution layer named {@code layer} */
        C conv(String layer);

        /** @return the part of the batch-norm layer named {@code layer} */
        B bn(String layer);

        /** @return a residual module; {@code skip} is null where the skip path is the identity */
        R residual(B bn1, C conv1, B bn2, C conv2, B bn3, C conv3, C skip);

        /** @return a level; {@code inner} is null at the innermost level, {@code low2} null elsewhere */
        L level(R up1, R low1, L inner, R low2, R low3);
    }

    /**
     * The residual module named {@code name} (as {@code Builder.residual} adds it), its parts made in the order
     * bn1, conv1, bn2, conv2, bn3, conv3, skip.
     */
    static <C, B, R, L> R residual(ComputationGraph graph, String name, Parts<C, B, R, L> parts) {
        boolean hasSkip = graph.getConfiguration().getVertices().containsKey(name + "_skip");
        B bn1 = parts.bn(name + "_bn1");
        C conv1 = parts.conv(name + "_conv1");
        B bn2 = parts.bn(name + "_bn2");
        C conv2 = parts.conv(name + "_conv2");
        B bn3 = parts.bn(name + "_bn3");
        C conv3 = parts.conv(name + "_conv3");
        return parts.residual(bn1, conv1, bn2, conv2, bn3, conv3, hasSkip ? parts.conv(name + "_skip") : null);
    }

    /**
     * The hourglass of stack {@code s}, from its outermost level, with {@code depth} levels; per level its parts are
     * made in the order up1, low1, the inner level, low2, low3.
     */
    static <C, B, R, L> L hourglass(ComputationGraph graph, int s, int depth, Parts<C, B, R, L> parts) {
        return level(graph, "s" + s, 0, depth, parts);
    }

    private static <C, B, R, L> L level(ComputationGraph graph, String p, int level, int depth,
            Parts<C, B, R, L> parts) {
        String name = p + "_hg" + level;
        boolean innermost = level + 1 == depth;
        R up1 = residual(graph, name + "_up1", parts);
        R low1 = residual(graph, name + "_low1", parts);
        L inner = innermost ? null : level(graph, p, level + 1, depth, parts);
        R low2 = innermost ? residual(graph, name + "_low2", parts) : null;
        return parts.level(up1, low1, inner, low2, residual(graph, name + "_low3", parts));
    }

    /**
     * The graph of a configuration, initialised, with an Adam(1e-3) updater and the configuration's loss; a
     * trainer replaces the updater.
     */
    static ComputationGraph build(HourglassConfig config) {
        return build(config, new Adam(1e-3));
    }

    static ComputationGraph build(HourglassConfig config, IUpdater updater) {
        ComputationGraph graph = new ComputationGraph(configuration(config, updater));
        graph.init();
        return graph;
    }

    /** A parameter by layer and key ({@code "W"}, {@code "gamma"}, {@code "beta"}, {@code "mean"}, {@code "var"}). */
    static INDArray param(ComputationGraph graph, String layer, String key) {
        Layer l = graph.getConfiguration().getVertices().containsKey(layer) ? graph.getLayer(layer) : null;
        if (l == null) {
            throw new IllegalArgumentException("layer: no layer named '" + layer + "' in the hourglass graph");
        }
        INDArray p = l.getParam(key);
        if (p == null) {
            throw new IllegalArgumentException("key: layer '" + layer + "' has no parameter '" + key + "', it has "
                    + l.paramTable().keySet());
        }
        return p;
    }

    /**
     * The parameter count as the release counts it (SPEC 6): every convolution weight plus one offset β per
     * batch-norm channel (no γ, no running statistics).
     */
    static long releaseParameterCount(ComputationGraph graph) {
        long n = 0;
        for (Layer layer : graph.getLayers()) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            if (conf instanceof ConvolutionLayer) {
                n += layer.getParam("W").length();
            } else if (conf instanceof BatchNormalization) {
                n += layer.getParam("beta").length();
            }
        }
        return n;
    }

    static ComputationGraphConfiguration configuration(HourglassConfig config, IUpdater updater) {
        int size = config.inputSize();
        GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(NetworkSeeds.dl4j(config.seed()))
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .activation(Activation.IDENTITY)
                .convolutionMode(ConvolutionMode.Truncate)
                .updater(updater)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(size, size, 3, CNN2DFormat.NCHW));
        Builder b = new Builder(g, config);
        int f = config.features();

        g.addLayer("stem_pad", new ZeroPaddingLayer.Builder(2, 2, 2, 2).build(), INPUT);
        g.addLayer("stem_conv", conv(6, 2, f / 4), "stem_pad");
        String x = b.residual("stem_res1", "stem_conv", f / 4, f / 2);
        x = b.maxPool("stem_pool", x);
        x = b.residual("stem_res2", x, f / 2, f / 2);
        x = b.residual(STEM_OUTPUT, x, f / 2, f);

        List<String> outputs = new ArrayList<>();
        for (int s = 0; s < config.stacks(); s++) {
            String p = "s" + s;
            String hg = b.hourglass(p, 0, x);
            String ll = b.convBnRelu(p + "_ll", hg, f);
            boolean last = s == config.stacks() - 1;
            String out = headName(s);
            if (last) {
                String drop = b.dropout(p + "_drop", ll);
                g.addLayer(out, conv(1, 1, config.headChannels()), drop);
            } else {
                g.addLayer(feedName(s, FEED_FEATURES), conv(1, 1, f), ll);
                String drop = b.dropout(p + "_drop", feedName(s, FEED_FEATURES));
                g.addLayer(out, conv(1, 1, config.headChannels()), ll);
                g.addLayer(feedName(s, FEED_HEAD), conv(1, 1, f), out);
                x = b.add(p + "_next", drop, feedName(s, FEED_HEAD), x);
            }
            String loss = lossName(s);
            int r = config.outputSize();
            g.addLayer(loss, new LossLayer.Builder().lossFunction(lossFunction(config))
                    .activation(Activation.IDENTITY).build(), out);
            g.inputPreProcessor(loss, new CnnToFeedForwardPreProcessor(r, r, config.headChannels(),
                    CNN2DFormat.NCHW));
            outputs.add(loss);
        }
        return g.setOutputs(outputs.toArray(new String[0])).build();
    }

    /** The loss layer's function for a configuration's loss kind and volume layout. */
    static ILossFunction lossFunction(HourglassConfig config) {
        return switch (config.loss()) {
            case SIGMOID_CROSS_ENTROPY -> new SigmoidVolumeLoss();
            case SOFTMAX_CROSS_ENTROPY -> new SoftmaxVolumeLoss(config.depthBins(), config.volumes(),
                    config.outputSize() * config.outputSize(), config.pointCount(), config.integralWeight());
        };
    }

    private static ConvolutionLayer conv(int kernel, int stride, int channels) {
        return new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).padding(kernel == 3 ? 1 : 0,
                kernel == 3 ? 1 : 0).nOut(channels).hasBias(false).build();
    }

    /** The block helpers; each adds its vertices and returns the name of its output vertex. */
    private static final class Builder {
        private final GraphBuilder g;
        private final HourglassConfig config;

        Builder(GraphBuilder g, HourglassConfig config) {
            this.g = g;
            this.config = config;
        }

        /** Pre-activation bottleneck: BN-ReLU-1×1(C/2)-BN-ReLU-3×3(C/2)-BN-ReLU-1×1(C) + skip. */
        String residual(String name, String input, int in, int out) {
            String a = bnRelu(name + "_bn1", name + "_relu1", input);
            g.addLayer(name + "_conv1", conv(1, 1, out / 2), a);
            a = bnRelu(name + "_bn2", name + "_relu2", name + "_conv1");
            g.addLayer(name + "_conv2", conv(3, 1, out / 2), a);
            a = bnRelu(name + "_bn3", name + "_relu3", name + "_conv2");
            g.addLayer(name + "_conv3", conv(1, 1, out), a);
            String skip = input;
            if (in != out) {
                skip = name + "_skip";
                g.addLayer(skip, conv(1, 1, out), input);
            }
            return add(name, name + "_conv3", skip);
        }

        /** Level {@code level} of the recursive hourglass of stack prefix {@code p}. */
        String hourglass(String p, int level, String input) {
            int f = config.features();
            String name = p + "_hg" + level;
            String up1 = residual(name + "_up1", input, f, f);
            String low = maxPool(name + "_pool", input);
            String low1 = residual(name + "_low1", low, f, f);
            String low2 = level + 1 < config.depth()
                    ? hourglass(p, level + 1, low1)
                    : residual(name + "_low2", low1, f, f);
            String low3 = residual(name + "_low3", low2, f, f);
            g.addLayer(name + "_upsample", new Upsampling2D.Builder(2).build(), low3);
            return add(name, up1, name + "_upsample");
        }

        String convBnRelu(String name, String input, int channels) {
            g.addLayer(name + "_conv", conv(1, 1, channels), input);
            return bnRelu(name + "_bn", name, name + "_conv");
        }

        String bnRelu(String bn, String relu, String input) {
            g.addLayer(bn, new BatchNormalization.Builder().decay(config.bnDecay()).eps(config.bnEps())
                    .build(), input);
            g.addLayer(relu, new ActivationLayer.Builder().activation(Activation.RELU).build(), bn);
            return relu;
        }

        String maxPool(String name, String input) {
            g.addLayer(name, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                    .stride(2, 2).build(), input);
            return name;
        }

        String dropout(String name, String input) {
            // DL4J takes the keep probability and scales kept values by 1/keep in training, as TF does.
            g.addLayer(name, new DropoutLayer.Builder(1 - config.dropout()).build(), input);
            return name;
        }

        String add(String name, String... inputs) {
            g.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), inputs);
            return name;
        }
    }
}
