package dev.smplr.smpl;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

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
    /** The final dense layer, on the concatenation of the two branches. */
    static final String X2 = "x2";

    private RegressorNetwork() {
    }

    /** The graph of a configuration, initialised as described above, with an Adam(1e-3) updater. */
    static ComputationGraph build(RegressorConfig config) {
        return build(config, new Adam(1e-3));
    }

    static ComputationGraph build(RegressorConfig config, IUpdater updater) {
        ComputationGraph graph = new ComputationGraph(configuration(config, updater));
        graph.init();
        initBiases(graph, config.seed());
        return graph;
    }

    static ComputationGraphConfiguration configuration(RegressorConfig config, IUpdater updater) {
        GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .updater(updater)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.feedForward(config.inputSize()));

        String x = block(g, "fce1", INPUT, config.fce1(), config);
        x = block(g, "fce2", x, config.fce2(), config);
        x = block(g, "fce3", x, config.fce3(), config);
        x = block(g, "fce4", x, config.fce4(), config);
        String trunk = block(g, "fce41", x, config.fce41(), config);

        String a = block(g, "fce42", trunk, config.fce42(), config);
        a = block(g, "fce5", a, config.fce5(), config);
        a = dense(g, "x", a, config.outputSize(), Activation.IDENTITY);

        String b = block(g, "fce43", trunk, config.fce43(), config);
        b = dense(g, "x_offset", b, config.outputSize(), Activation.IDENTITY);

        String both = concat(g, "concat", a, b);
        // Ω's rotation entries live in [-1, 1]; Ψ's betas are unbounded.
        Activation last = config.kind() == RegressorConfig.Kind.POSE ? Activation.TANH : Activation.IDENTITY;
        String out = dense(g, X2, both, config.outputSize(), last);
        g.addLayer(OUTPUT, new LossLayer.Builder(LossFunctions.LossFunction.MEAN_ABSOLUTE_ERROR)
                .activation(Activation.IDENTITY).build(), out);
        return g.setOutputs(OUTPUT).build();
    }

    /** Dense (with bias) → batch norm → ELU; returns the ELU vertex. */
    private static String block(GraphBuilder g, String name, String input, int width, RegressorConfig config) {
        String fc = dense(g, name + "_fc", input, width, Activation.IDENTITY);
        String bn = name + "_bn";
        String elu = name + "_elu";
        g.addLayer(bn, new BatchNormalization.Builder().decay(config.bnDecay()).eps(config.bnEps()).build(), fc);
        g.addLayer(elu, new ActivationLayer.Builder().activation(Activation.ELU).build(), bn);
        return elu;
    }

    private static String dense(GraphBuilder g, String name, String input, int width, Activation activation) {
        g.addLayer(name, new DenseLayer.Builder().nOut(width).activation(activation).build(), input);
        return name;
    }

    private static String concat(GraphBuilder g, String name, String a, String b) {
        g.addVertex(name, new MergeVertex(), a, b);
        return name;
    }

    /**
     * Replaces DL4J's constant biases with TF's Glorot-uniform ones: for a bias of length n, fan-in = fan-out = n,
     * so the bound √(6 / (fan-in + fan-out)) is √(3/n). Layers are visited in topological order, so one seed
     * gives one set of biases.
     */
    private static void initBiases(ComputationGraph graph, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int index : graph.topologicalSortOrder()) {
            if (!graph.getVertices()[index].hasLayer()) {
                continue;
            }
            Layer layer = graph.getVertices()[index].getLayer();
            if (!(layer.conf().getLayer() instanceof DenseLayer)) {
                continue;
            }
            INDArray bias = layer.getParam("b");
            int n = (int) bias.length();
            double bound = Math.sqrt(3.0 / n);
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
            }
            layer.setParam("b", Nd4j.create(values, bias.shape(), 'c'));
        }
    }
}
