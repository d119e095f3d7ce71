package dev.smplr.hourglass;

import dev.smplr.smpl.training.PerExampleLoss;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The release's hourglass loss (SPEC.md section 6, {@link HourglassLoss#SIGMOID_CROSS_ENTROPY}): per-cell sigmoid
 * (binary) cross-entropy between the logits x and the soft targets t, averaged over the M cells of all volumes of
 * an example, in the numerically stable form
 * <pre>
 * score(example) = (1/M) Σ_i [ max(x_i, 0) − x_i·t_i + log(1 + exp(−|x_i|)) ],
 * ∂score/∂x_i    = (σ(x_i) − t_i) / M
 * </pre>
 * Labels and outputs are (N, M). DL4J averages the score over the batch and divides the gradients by N
 * itself. The optional mask is per example (N, 1) or per value (N, M).
 *
 * <p>Public with a no-argument constructor so DL4J's JSON can save and restore the graph.
 */
public final class SigmoidVolumeLoss extends PerExampleLoss {
    private static final long serialVersionUID = 1L;

    /** A loss; it has no settings. */
    public SigmoidVolumeLoss() {
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask) {
        checkShapes(labels, preOutput);
        INDArray x = activationFn.getActivation(preOutput.dup(), true);
        // log(1 + exp(−|x|)), computed in place on a copy of |x|
        INDArray softplus = Transforms.log1p(Transforms.exp(Transforms.abs(x, true).negi(), false), false);
        INDArray perValue = Transforms.relu(x, true).subi(x.mul(labels)).addi(softplus);
        applyMask(perValue, mask);
        return perValue.sum(true, 1).divi(labels.size(1));
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask) {
        checkShapes(labels, preOutput);
        INDArray x = activationFn.getActivation(preOutput.dup(), true);
        INDArray dLdx = Transforms.sigmoid(x, false).subi(labels).divi(labels.size(1));
        applyMask(dLdx, mask);
        return activationFn.backprop(preOutput.dup(), dLdx).getFirst();
    }

    @Override
    public String name() {
        return "SigmoidVolumeLoss";
    }

    @Override
    public String toString() {
        return name() + "()";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigmoidVolumeLoss;
    }

    @Override
    public int hashCode() {
        return SigmoidVolumeLoss.class.hashCode();
    }

    /**
     * The score and gradient of the class description on plain arrays, in float64 accumulation: the entry point of
     * the fast training engine ({@link HourglassBackprop}), with the identity activation and no mask. The same
     * formulas as {@link #computeGradientAndScore} (tested against it).
     *
     * @param logits   (n, m) logits x; not modified
     * @param targets  (n, m) soft targets t; not modified
     * @param n        examples
     * @param m        values per example, M
     * @param gradient (n, m) ∂score(example)/∂x, not divided by n (as {@link #computeGradient}), or {@code null};
     *                 modified
     * @return the sum over the n examples of score(example)
     */
    static double scoreAndGradient(float[] logits, float[] targets, int n, int m, float[] gradient) {
        if (logits.length < n * m || targets.length < n * m || (gradient != null && gradient.length < n * m)) {
            throw new IllegalArgumentException("logits: expected n·M = " + n + "·" + m + " values, got "
                    + logits.length + " logits, " + targets.length + " targets");
        }
        double total = 0;
        for (int b = 0; b < n; b++) {
            double example = 0;
            for (int i = b * m; i < (b + 1) * m; i++) {
                double x = logits[i];
                double t = targets[i];
                // max(x, 0) − x·t + log(1 + exp(−|x|))
                example += Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
                if (gradient != null) {
                    gradient[i] = (float) ((1 / (1 + Math.exp(-x)) - t) / m);
                }
            }
            total += example / m;
        }
        return total;
    }

    static void checkShapes(INDArray labels, INDArray preOutput) {
        if (labels.rank() != 2 || !java.util.Arrays.equals(labels.shape(), preOutput.shape())) {
            throw new IllegalArgumentException("labels: expected the output's shape "
                    + java.util.Arrays.toString(preOutput.shape()) + ", got "
                    + java.util.Arrays.toString(labels.shape()));
        }
    }

    static void applyMask(INDArray perValue, INDArray mask) {
        if (mask == null) {
            return;
        }
        if (mask.rank() == 2 && mask.size(1) == 1) {
            perValue.muliColumnVector(mask.castTo(perValue.dataType()));
        } else {
            perValue.muli(mask.castTo(perValue.dataType()));
        }
    }
}
