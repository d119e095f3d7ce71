package dev.smplr.smpl.training;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The graph pieces the SMPLR MLPs (DAE, Ψ, Ω) are made of, written once. Each method adds vertices to a DL4J
 * graph and returns the name of the vertex that carries the result.
 *
 * <p>Support for smplr-smpl and smplr-dae; not part of the stable API.
 */
public final class DenseBlocks {
    private DenseBlocks() {
    }

    /**
     * Dense (with bias) → batch norm → ELU, as vertices {@code name_fc}, {@code name_bn}, {@code name_elu}.
     *
     * @param bnDecay DL4J's batch-norm decay, which is TF's momentum
     * @param bnEps   batch-norm ε
     * @return {@code name_elu}
     */
    public static String block(GraphBuilder g, String name, String input, int width, double bnDecay, double bnEps) {
        String fc = dense(g, name + "_fc", input, width, Activation.IDENTITY);
        String bn = name + "_bn";
        String elu = name + "_elu";
        g.addLayer(bn, new BatchNormalization.Builder().decay(bnDecay).eps(bnEps).build(), fc);
        g.addLayer(elu, new ActivationLayer.Builder().activation(Activation.ELU).build(), bn);
        return elu;
    }

    /** A dense layer with bias. @return name */
    public static String dense(GraphBuilder g, String name, String input, int width, Activation activation) {
        g.addLayer(name, new DenseLayer.Builder().nOut(width).activation(activation).build(), input);
        return name;
    }

    /** Dropout with DL4J's keep (retain) probability, scaled by 1/keep in training as TF's. @return name */
    public static String dropout(GraphBuilder g, String name, String input, double keep) {
        g.addLayer(name, new DropoutLayer.Builder(keep).build(), input);
        return name;
    }

    /** Element-wise sum. @return name */
    public static String add(GraphBuilder g, String name, String a, String b) {
        g.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), a, b);
        return name;
    }

    /** Concatenation along the features. @return name */
    public static String concat(GraphBuilder g, String name, String a, String b) {
        g.addVertex(name, new MergeVertex(), a, b);
        return name;
    }

    /**
     * Replaces DL4J's constant dense biases with TF's {@code get_variable} default, Glorot-uniform: for a bias of
     * length n, fan-in = fan-out = n, so U(−√(3/n), √(3/n)). Layers are visited in topological order, so one seed
     * gives one set of biases.
     */
    public static void glorotBiases(ComputationGraph graph, long seed) {
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
