package dev.smplr.smpl.training;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss whose "labels" are the gradient of a loss computed outside DL4J: per example, {@code labels} holds
 * dℓ/dŷ, the gradient of that example's loss with respect to the network's output ŷ, and this class hands it to
 * DL4J's backward pass (through the output activation). So a graph can be trained with {@code fit} on any loss
 * that Java code can differentiate, such as one through the SMPL layer, with DL4J's own updater, batch-norm
 * statistics and iteration counters.
 *
 * <p>The gradient is per example, as DL4J expects from a loss (its updater divides by the minibatch size): pass
 * dℓ_i/dŷ_i, not d(mean ℓ)/dŷ_i. The score is the first-order term Σ_k labels_k·ŷ_k, which has no meaning of its
 * own: the caller knows the real loss. A per-example mask (a column) multiplies both.
 *
 * <p>The public no-argument constructor is for the ND4J Jackson that {@code ModelSerializer} uses. Support for the
 * SMPLR trainers; not part of the stable API.
 */
public class ExternalGradientLoss extends PerExampleLoss {
    private static final long serialVersionUID = 1L;

    /** Stateless. */
    public ExternalGradientLoss() {
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray out = activationFn.getActivation(preOutput.dup(), true);
        return maskScores(out.muli(labels).sum(true, 1), mask);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return maskRows(activationFn.backprop(preOutput.dup(), labels.dup()).getFirst(), mask);
    }

    @Override
    public String name() {
        return "ExternalGradientLoss";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExternalGradientLoss;
    }

    @Override
    public int hashCode() {
        return 17;
    }

    @Override
    public String toString() {
        return name();
    }
}
