package dev.smplr.dae;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the DAE as a DL4J {@link ComputationGraph} (SPEC 4):
 * <pre>
 * points → dropout(inputKeep) → enc1 → enc2 → enc3 → dropout(bottleneckKeep)
 *        → dec2 (+ enc2) → dec1 (+ enc1) → out (linear) → (+ points) → L1 loss
 * </pre>
 * where each of enc1..dec1 is dense → batch norm → ELU. The residual adds the raw input (before its dropout),
 * so the loss sits in a {@link LossLayer} after the Add vertex rather than in an output layer. In lifting mode
 * the residual is left out and the loss layer reads {@code out} directly.
 *
 * <p>The loss is DL4J's {@code MEAN_ABSOLUTE_ERROR} ({@code LossMAE}): per example the mean of |y − ŷ| over
 * the 123 coordinates, then the mean over the batch, which is the release's L_DAE. DL4J's {@code L1}
 * ({@code LossL1}) would sum over the coordinates instead, 123 times larger.
 *
 * <p>DL4J's batch-norm {@code decay} is TF's {@code momentum} (running = decay · running + (1 − decay) · batch).
 * DL4J stores the running mean and (log10 of the) standard deviation as parameters beside γ and β; they are
 * not trained by the gradient, so the paper preset has 3 411 579 trainable parameters plus 9 216 statistics.
 *
 * <p>DL4J dropout takes the keep (retain) probability and scales kept values by 1/keep during training, as
 * TF's {@code tf.nn.dropout} does; at inference it is the identity.
 */
final class DenoiserNetwork {
    /** The input vertex. */
    static final String INPUT = "points";
    /** The output (loss) layer. */
    static final String OUTPUT = "loss";
    /** The final linear layer, before the residual Add. */
    static final String OUT = "out";

    private DenoiserNetwork() {
    }

    /**
     * The graph of a configuration, initialised (Xavier-uniform weights, zero biases, γ = 1, β = 0), with an
     * Adam(1e-3) updater; a trainer replaces the updater.
     */
    static ComputationGraph build(DenoiserConfig config) {
        return build(config, new Adam(1e-3));
    }

    static ComputationGraph build(DenoiserConfig config, IUpdater updater) {
        ComputationGraph graph = new ComputationGraph(configuration(config, updater));
        graph.init();
        return graph;
    }

    static ComputationGraphConfiguration configuration(DenoiserConfig config, IUpdater updater) {
        GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .updater(updater)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.feedForward(config.inputSize()));

        String x = dropout(g, "input_dropout", INPUT, config.inputKeep());
        String enc1 = block(g, "enc1", x, config.width1(), config);
        String enc2 = block(g, "enc2", enc1, config.width2(), config);
        String enc3 = block(g, "enc3", enc2, config.bottleneck(), config);
        x = dropout(g, "bottleneck_dropout", enc3, config.bottleneckKeep());
        x = add(g, "dec2_skip", block(g, "dec2", x, config.width2(), config), enc2);
        x = add(g, "dec1_skip", block(g, "dec1", x, config.width1(), config), enc1);
        g.addLayer(OUT, new DenseLayer.Builder().nOut(config.outputSize()).activation(Activation.IDENTITY).build(), x);
        x = config.lifting() ? OUT : add(g, "residual", INPUT, OUT);
        g.addLayer(OUTPUT, new LossLayer.Builder(LossFunctions.LossFunction.MEAN_ABSOLUTE_ERROR)
                .activation(Activation.IDENTITY).build(), x);
        return g.setOutputs(OUTPUT).build();
    }

    /** Dense (with bias) → batch norm → ELU; returns the ELU vertex. */
    private static String block(GraphBuilder g, String name, String input, int width, DenoiserConfig config) {
        String fc = name + "_fc";
        String bn = name + "_bn";
        String elu = name + "_elu";
        g.addLayer(fc, new DenseLayer.Builder().nOut(width).activation(Activation.IDENTITY).build(), input);
        g.addLayer(bn, new BatchNormalization.Builder().decay(config.bnDecay()).eps(config.bnEps()).build(), fc);
        g.addLayer(elu, new ActivationLayer.Builder().activation(Activation.ELU).build(), bn);
        return elu;
    }

    private static String dropout(GraphBuilder g, String name, String input, double keep) {
        g.addLayer(name, new DropoutLayer.Builder(keep).build(), input);
        return name;
    }

    private static String add(GraphBuilder g, String name, String a, String b) {
        g.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), a, b);
        return name;
    }
}
