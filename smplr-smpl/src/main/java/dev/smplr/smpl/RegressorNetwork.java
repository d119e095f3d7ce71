package dev.smplr.smpl;

import dev.smplr.smpl.training.DenseBlocks;
import dev.smplr.smpl.training.NetworkSeeds;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMAE;

/**
 * Builds a SMPLR regressor, Ψ or Ω, as a DL4J {@link ComputationGraph} (SPEC 5):
 * <pre>
 * features → fce1 → fce2 → fce3 → fce4 → fce41 ─┬─ fce42 → fce5 → x (linear) ──┐
 *                                               └─ fce43 → x_offset (linear) ──┴─ concat → x2 → L1 loss
 * </pre>
 * where each fce layer is dense (with bias) → batch norm → ELU, and {@code x}, {@code x_offset} and {@code x2}
 * are dense layers of the output width: {@code x2} is linear for Ψ (22 → 11) and tanh for Ω (432 → 216). There
 * is no dropout. The loss sits in a {@link LossLayer} after {@code x2}, as in the DAE, so that a custom loss can
 * replace it without touching {@code x2}.
 *
 * <p>The loss is DL4J's {@code MEAN_ABSOLUTE_ERROR}: per example the mean of |y − ŷ| over the outputs, then the
 * mean over the batch; that is the release's pose loss. The release's shape loss adds 0.01 · mean|β̂| (an L1
 * regulariser on the prediction, SPEC 5); that needs a custom {@code ILossFunction} and is not built here.
 *
 * <p>Initialisation follows TF's {@code get_variable} default: Glorot-uniform weights, and Glorot-uniform biases
 * too, which for a bias of length n means U(−√(3/n), √(3/n)); γ = 1, β = 0. DL4J's batch-norm {@code decay} is
 * TF's {@code momentum}. DL4J stores the running mean and variance as parameters beside γ and β; they are not
 * trained by the gradient, so the paper preset has 2 485 779 (Ψ) or 2 768 392 (Ω) trainable parameters plus
 * 8 704 statistics.
 */
final class RegressorNetwork {
    /** The input vertex: B for Ψ, N for Ω. */
    static final String INPUT = "features";
    /** The output (loss) layer. */
    static final String OUTPUT = "loss";
    /**
     * Sets the loss of a built graph's loss layer (the configuration is shared with the running layer, which
     * reads it at every call); it is saved with the graph.
     */
    static void setLoss(ComputationGraph graph, ILossFunction loss) {
        ((LossLayer) graph.getLayer(OUTPUT).conf().getLayer()).setLossFn(loss);
    }

    /** The final dense layer, on the concatenation of the two branches. */
    static final String X2 = "x2";

    private RegressorNetwork() {
    }

    /** The graph of a configuration, initialised as described above, with an Adam(1e-3) updater. */
    static ComputationGraph build(RegressorConfig config) {
        return build(config, new Adam(1e-3));
    }

    static ComputationGraph build(RegressorConfig config, IUpdater updater) {
        return build(config, updater, new LossMAE());
    }

    /** The graph with another loss in its loss layer (the trainers' {@code RegressionLoss} and friends). */
    static ComputationGraph build(RegressorConfig config, IUpdater updater, ILossFunction loss) {
        ComputationGraph graph = new ComputationGraph(configuration(config, updater, loss));
        graph.init();
        DenseBlocks.glorotBiases(graph, config.seed());
        return graph;
    }

    static ComputationGraphConfiguration configuration(RegressorConfig config, IUpdater updater) {
        return configuration(config, updater, new LossMAE());
    }

    static ComputationGraphConfiguration configuration(RegressorConfig config, IUpdater updater,
            ILossFunction loss) {
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

        String x = DenseBlocks.block(g, "fce1", INPUT, config.fce1(), decay, eps);
        x = DenseBlocks.block(g, "fce2", x, config.fce2(), decay, eps);
        x = DenseBlocks.block(g, "fce3", x, config.fce3(), decay, eps);
        x = DenseBlocks.block(g, "fce4", x, config.fce4(), decay, eps);
        String trunk = DenseBlocks.block(g, "fce41", x, config.fce41(), decay, eps);

        String a = DenseBlocks.block(g, "fce42", trunk, config.fce42(), decay, eps);
        a = DenseBlocks.block(g, "fce5", a, config.fce5(), decay, eps);
        a = DenseBlocks.dense(g, "x", a, config.outputSize(), Activation.IDENTITY);

        String b = DenseBlocks.block(g, "fce43", trunk, config.fce43(), decay, eps);
        b = DenseBlocks.dense(g, "x_offset", b, config.outputSize(), Activation.IDENTITY);

        String both = DenseBlocks.concat(g, "concat", a, b);
        // Ω's rotation entries live in [-1, 1]; Ψ's betas are unbounded.
        Activation last = config.kind() == RegressorConfig.Kind.POSE ? Activation.TANH : Activation.IDENTITY;
        String out = DenseBlocks.dense(g, X2, both, config.outputSize(), last);
        g.addLayer(OUTPUT, new LossLayer.Builder(loss)
                .activation(Activation.IDENTITY).build(), out);
        return g.setOutputs(OUTPUT).build();
    }
}
