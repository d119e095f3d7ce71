package dev.smplr.smpl.training;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The regressors' loss (SPEC 5): per example, with ŷ the prediction, y the label and n the output width,
 * <pre>
 * ℓ = (1/n) Σ_k |ŷ_k − y_k|^p  +  λ · (1/n) Σ_k |ŷ_k|
 * dℓ/dŷ_k = (p = 1 ? sign(ŷ_k − y_k) : 2 (ŷ_k − y_k)) / n  +  λ · sign(ŷ_k) / n
 * </pre>
 * p = 1 with λ = 0.01 is the release's shape loss (L1 plus an L1 regulariser on the prediction); p = 1 with
 * λ = 0 is its pose loss (DL4J's {@code MEAN_ABSOLUTE_ERROR}); p = 2 is the L2 ablation. Scores average over the
 * minibatch when asked to, as DL4J's own losses do; gradients are per example (DL4J's updater divides by the
 * minibatch size). A per-example mask (a column) multiplies both.
 *
 * <p>Written by hand because DL4J's {@code SameDiffLoss} is broken in 1.0.0-M2.1. The public no-argument
 * constructor and the getters and setters are for the ND4J Jackson that {@code ModelSerializer} uses to store
 * the graph configuration. Support for the SMPLR trainers; not part of the stable API.
 */
public class RegressionLoss extends PerExampleLoss {
    private static final long serialVersionUID = 1L;

    private int power = 1;
    private double predictionWeight;

    /** L1, no regulariser (for Jackson). */
    public RegressionLoss() {
    }

    /**
     * @param power            1 (L1) or 2 (squared error)
     * @param predictionWeight λ, the weight of the L1 penalty on the prediction, 0 or more
     * @throws IllegalArgumentException if a value is out of range
     */
    public RegressionLoss(int power, double predictionWeight) {
        setPower(power);
        setPredictionWeight(predictionWeight);
    }

    /** @return p, 1 or 2 */
    public int getPower() {
        return power;
    }

    /**
     * @param power 1 or 2
     * @throws IllegalArgumentException otherwise
     */
    public void setPower(int power) {
        if (power != 1 && power != 2) {
            throw new IllegalArgumentException("power: expected 1 (L1) or 2 (L2), got " + power);
        }
        this.power = power;
    }

    /** @return λ */
    public double getPredictionWeight() {
        return predictionWeight;
    }

    /**
     * @param predictionWeight λ, finite and 0 or more
     * @throws IllegalArgumentException otherwise
     */
    public void setPredictionWeight(double predictionWeight) {
        if (!(predictionWeight >= 0 && Double.isFinite(predictionWeight))) {
            throw new IllegalArgumentException("predictionWeight: expected a finite value ≥ 0, got "
                    + predictionWeight);
        }
        this.predictionWeight = predictionWeight;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray out = activationFn.getActivation(preOutput.dup(), true);
        long n = out.size(1);
        INDArray diff = out.sub(labels);
        INDArray per = power == 1 ? Transforms.abs(diff, false) : diff.muli(diff);
        INDArray scores = per.sum(true, 1);
        if (predictionWeight != 0) {
            scores.addi(Transforms.abs(out, true).sum(true, 1).muli(predictionWeight));
        }
        return maskScores(scores.divi(n), mask);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray out = activationFn.getActivation(preOutput.dup(), true);
        long n = out.size(1);
        INDArray diff = out.sub(labels);
        INDArray dy = power == 1 ? Transforms.sign(diff, false) : diff.muli(2);
        if (predictionWeight != 0) {
            dy.addi(Transforms.sign(out, true).muli(predictionWeight));
        }
        dy.divi(n);
        return maskRows(activationFn.backprop(preOutput.dup(), dy).getFirst(), mask);
    }

    @Override
    public String name() {
        return toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegressionLoss r && r.power == power
                && Double.compare(r.predictionWeight, predictionWeight) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * power + Double.hashCode(predictionWeight);
    }

    @Override
    public String toString() {
        return "RegressionLoss(L" + power + (predictionWeight == 0 ? "" : " + " + predictionWeight + "·L1(ŷ)") + ")";
    }
}
