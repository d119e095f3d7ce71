package dev.smplr.smpl.training;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The part of DL4J's {@link ILossFunction} that every loss defined per example shares: a subclass gives the
 * per-example scores (N, 1) ({@link #computeScoreArray}) and the gradient ({@link #computeGradient}); this class
 * adds the scores up, or averages them over the N examples when asked to (as DL4J's own losses do), and pairs score
 * and gradient. It has no state, so the subclasses' public no-argument constructors and bean accessors are all that
 * the ND4J Jackson of {@code ModelSerializer} sees. Support for the SMPLR trainers; not part of the stable API.
 */
public abstract class PerExampleLoss implements ILossFunction {
    private static final long serialVersionUID = 1L;

    /** For subclasses. */
    protected PerExampleLoss() {
    }

    /** @return Σ_i score_i over the examples of {@link #computeScoreArray}, divided by N if {@code average} */
    @Override
    public final double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        return total(computeScoreArray(labels, preOutput, activationFn, mask), average);
    }

    /**
     * @return {@link #computeScore} and {@link #computeGradient}; a subclass that computes both in one pass
     *         overrides it
     */
    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    /**
     * @param scores  per-example scores (N, 1). Not modified.
     * @param average whether to divide the sum by N
     * @return Σ_i scores_i, or that over N
     */
    protected static double total(INDArray scores, boolean average) {
        double sum = scores.sumNumber().doubleValue();
        return average ? sum / scores.size(0) : sum;
    }

    /**
     * Multiplies per-example scores by a per-example mask.
     *
     * @param scores (N, 1). Modified.
     * @param mask   N values (any shape of N elements), or null for none. Not modified.
     * @return {@code scores}
     */
    protected static INDArray maskScores(INDArray scores, INDArray mask) {
        return mask == null ? scores : scores.muli(mask.reshape(scores.shape()));
    }

    /**
     * Multiplies each example's row of a gradient by its mask value.
     *
     * @param gradient (N, K). Modified.
     * @param mask     N values (any shape of N elements), or null for none. Not modified.
     * @return {@code gradient}
     */
    protected static INDArray maskRows(INDArray gradient, INDArray mask) {
        return mask == null ? gradient
                : gradient.muliColumnVector(mask.reshape(mask.length(), 1).castTo(gradient.dataType()));
    }
}
