package dev.smplr.smpl.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class RegressionLossTest {
    private static final int ROWS = 4;
    private static final int COLS = 11;

    /** The per-example loss in float64, written from the formula. */
    private static double reference(double[] y, double[] label, int power, double lambda) {
        double s = 0;
        double r = 0;
        for (int k = 0; k < y.length; k++) {
            double d = y[k] - label[k];
            s += power == 1 ? Math.abs(d) : d * d;
            r += Math.abs(y[k]);
        }
        return (s + lambda * r) / y.length;
    }

    private static double[] row(INDArray a, int i) {
        return a.getRow(i).castTo(DataType.DOUBLE).toDoubleVector();
    }

    private static double activate(IActivation fn, double z) {
        INDArray x = Nd4j.createFromArray(new double[] {z}).reshape(1, 1);
        return fn.getActivation(x, true).getDouble(0);
    }

    @ParameterizedTest
    @CsvSource({"1, 0.01, IDENTITY", "1, 0, TANH", "2, 0, IDENTITY", "2, 0.01, TANH"})
    void computeGradient_matchesCentralDifferences(int power, double lambda, Activation activation) {
        INDArray pre = Nd4j.rand(DataType.DOUBLE, ROWS, COLS).subi(0.5).muli(3);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, ROWS, COLS).subi(0.5).muli(2);
        IActivation fn = activation.getActivationFunction();
        RegressionLoss loss = new RegressionLoss(power, lambda);
        INDArray grad = loss.computeGradient(labels, pre.dup(), fn, null);
        double h = 1e-6;
        for (int i = 0; i < ROWS; i++) {
            for (int k = 0; k < COLS; k++) {
                double z = pre.getDouble(i, k);
                double[] yPlus = new double[COLS];
                double[] yMinus = new double[COLS];
                for (int c = 0; c < COLS; c++) {
                    double zc = c == k ? z : pre.getDouble(i, c);
                    yPlus[c] = activate(fn, c == k ? z + h : zc);
                    yMinus[c] = activate(fn, c == k ? z - h : zc);
                }
                double[] label = row(labels, i);
                double numeric = (reference(yPlus, label, power, lambda) - reference(yMinus, label, power, lambda))
                        / (2 * h);
                double analytic = grad.getDouble(i, k);
                assertThat(analytic).as("dℓ/dz[%d][%d]", i, k)
                        .isCloseTo(numeric, within(1e-3 * Math.abs(numeric) + 1e-7));
            }
        }
    }

    @Test
    void computeScore_averagesTheReferenceOverTheBatch() {
        INDArray pre = Nd4j.rand(DataType.DOUBLE, ROWS, COLS).subi(0.5);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, ROWS, COLS);
        RegressionLoss loss = new RegressionLoss(1, 0.01);
        double expected = 0;
        for (int i = 0; i < ROWS; i++) {
            expected += reference(row(pre, i), row(labels, i), 1, 0.01);
        }
        IActivation id = Activation.IDENTITY.getActivationFunction();
        assertThat(loss.computeScore(labels, pre, id, null, true)).isCloseTo(expected / ROWS, within(1e-12));
        assertThat(loss.computeScore(labels, pre, id, null, false)).isCloseTo(expected, within(1e-12));
        INDArray mask = Nd4j.createFromArray(1.0, 0.0, 1.0, 0.0).reshape(ROWS, 1);
        double masked = reference(row(pre, 0), row(labels, 0), 1, 0.01) + reference(row(pre, 2), row(labels, 2), 1,
                0.01);
        assertThat(loss.computeScore(labels, pre, id, mask, false)).isCloseTo(masked, within(1e-12));
        assertThat(loss.computeGradient(labels, pre, id, mask).getRow(1).sumNumber().doubleValue()).isZero();
    }

    @Test
    void jacksonRoundTrip_keepsPowerAndWeight() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer("d", new DenseLayer.Builder().nIn(3).nOut(2).build(), "in")
                .addLayer("loss", new LossLayer.Builder(new RegressionLoss(2, 0.25)).build(), "d")
                .setOutputs("loss").build();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        LossLayer layer = (LossLayer) ((LayerVertex) back.getVertices().get("loss")).getLayerConf().getLayer();
        assertThat(layer.getLossFn()).isEqualTo(new RegressionLoss(2, 0.25));
    }

    @Test
    void constructor_badValues_throwNamingTheArgument() {
        assertThatThrownBy(() -> new RegressionLoss(3, 0)).hasMessageContaining("power").hasMessageContaining("3");
        assertThatThrownBy(() -> new RegressionLoss(1, -1)).hasMessageContaining("predictionWeight");
        assertThatThrownBy(() -> new RegressionLoss(1, Double.NaN)).hasMessageContaining("NaN");
    }
}
