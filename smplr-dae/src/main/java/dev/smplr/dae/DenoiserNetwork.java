package dev.smplr.dae;

import dev.smplr.smpl.training.DenseBlocks;
import dev.smplr.smpl.training.NetworkSeeds;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
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
                .seed(NetworkSeeds.dl4j(config.seed()))
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .updater(updater)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.feedForward(config.inputSize()));
        double decay = config.bnDecay();
        double eps = config.bnEps();

        String x = DenseBlocks.dropout(g, "input_dropout", INPUT, config.inputKeep());
        String enc1 = DenseBlocks.block(g, "enc1", x, config.width1(), decay, eps);
        String enc2 = DenseBlocks.block(g, "enc2", enc1, config.width2(), decay, eps);
        String enc3 = DenseBlocks.block(g, "enc3", enc2, config.bottleneck(), decay, eps);
        x = DenseBlocks.dropout(g, "bottleneck_dropout", enc3, config.bottleneckKeep());
        x = DenseBlocks.add(g, "dec2_skip", DenseBlocks.block(g, "dec2", x, config.width2(), decay, eps), enc2);
        x = DenseBlocks.add(g, "dec1_skip", DenseBlocks.block(g, "dec1", x, config.width1(), decay, eps), enc1);
        g.addLayer(OUT, new DenseLayer.Builder().nOut(config.outputSize()).activation(Activation.IDENTITY).build(), x);
        x = config.lifting() ? OUT : DenseBlocks.add(g, "residual", INPUT, OUT);
        g.addLayer(OUTPUT, new LossLayer.Builder(LossFunctions.LossFunction.MEAN_ABSOLUTE_ERROR)
                .activation(Activation.IDENTITY).build(), x);
        return g.setOutputs(OUTPUT).build();
    }
}
