package dev.smplr.hourglass;

import dev.smplr.smpl.training.PerExampleLoss;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Per-volume softmax cross-entropy ({@link HourglassLoss#SOFTMAX_CROSS_ENTROPY}, SPEC.md 15.6). The outputs and
 * labels (N, D·V·C) hold, per example, {@code D} depth bins of {@code V} volumes of {@code C} cells (the flattened
 * NCHW head: value {@code (d·V + v)·C + cell}). Volume v of an example is the D·C values with that v; its logits
 * go through one softmax over all of them, p = softmax(x_v), and with the (non-negative, unnormalised) target
 * t_v and its mass T_v = Σ t_v:
 * <pre>
 * score(example) = (1/V) Σ_v [ −Σ_i t_vi · log p_vi ] = (1/V) Σ_v [ T_v · logsumexp(x_v) − Σ_i t_vi·x_vi ],
 * ∂score/∂x_vi   = (T_v · p_vi − t_vi) / V
 * </pre>
 * DL4J averages the score over the batch and divides the gradients by N itself. The optional mask is per example
 * (N, 1).
 *
 * <p>Public with a no-argument constructor and bean accessors so DL4J's JSON can save and restore the graph.
 */
public final class SoftmaxVolumeLoss extends PerExampleLoss {
    private static final long serialVersionUID = 1L;

    private int depthBins;
    private int volumes;
    private int cells;

    /** An unconfigured loss, for deserialisation; set the three sizes before use. */
    public SoftmaxVolumeLoss() {
    }

    /**
     * @param depthBins D, depth bins, &gt; 0
     * @param volumes   V, volumes per bin, &gt; 0
     * @param cells     C, cells per bin of a volume (rows × columns), &gt; 0
     * @throws IllegalArgumentException if a size is not positive
     */
    public SoftmaxVolumeLoss(int depthBins, int volumes, int cells) {
        setDepthBins(depthBins);
        setVolumes(volumes);
        setCells(cells);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask) {
        return compute(labels, preOutput, activationFn, mask, false).getFirst();
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask) {
        return compute(labels, preOutput, activationFn, mask, true).getSecond();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        Pair<INDArray, INDArray> both = compute(labels, preOutput, activationFn, mask, true);
        return new Pair<>(total(both.getFirst(), average), both.getSecond());
    }

    /** (per-example scores (N, 1), gradient (N, D·V·C) or null). */
    private Pair<INDArray, INDArray> compute(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask, boolean gradient) {
        SigmoidVolumeLoss.checkShapes(labels, preOutput);
        long n = labels.size(0);
        long perExample = (long) depthBins * volumes * cells;
        if (depthBins <= 0 || volumes <= 0 || cells <= 0 || labels.size(1) != perExample) {
            throw new IllegalArgumentException("labels: expected (N, D·V·C) = (N, " + depthBins + "·" + volumes
                    + "·" + cells + " = " + perExample + "), got (" + n + ", " + labels.size(1) + ")");
        }
        INDArray x = activationFn.getActivation(preOutput.dup(), true);
        // Rows = (example, volume), columns = (bin, cell): one softmax per row.
        INDArray xr = toRows(x, n);
        INDArray tr = toRows(labels.castTo(x.dataType()), n);
        long rows = n * volumes;
        INDArray max = xr.max(1).reshape(rows, 1);
        INDArray e = Transforms.exp(xr.subColumnVector(max), false);
        INDArray sumE = e.sum(true, 1);
        INDArray lse = Transforms.log(sumE, true).addi(max);
        INDArray mass = tr.sum(true, 1);
        INDArray rowScore = lse.mul(mass).subi(tr.mul(xr).sum(true, 1));
        INDArray scores = rowScore.reshape(n, volumes).sum(true, 1).divi(volumes);
        if (mask != null) {
            scores.muli(mask.castTo(scores.dataType()).reshape(n, 1));
        }
        INDArray grad = null;
        if (gradient) {
            INDArray g = e.diviColumnVector(sumE).muliColumnVector(mass).subi(tr).divi(volumes);
            if (mask != null) {
                g.reshape(n, (long) volumes * depthBins * cells).muliColumnVector(
                        mask.castTo(g.dataType()).reshape(n, 1));
            }
            INDArray dLdx = fromRows(g, n);
            grad = activationFn.backprop(preOutput.dup(), dLdx).getFirst();
        }
        return new Pair<>(scores, grad);
    }

    /**
     * The score and gradient of the class description on plain arrays, in float64 accumulation: the entry point of
     * the fast training engine ({@link HourglassBackprop}), with the identity activation and no mask. The same
     * formulas as {@link #computeGradientAndScore} (tested against it).
     *
     * @param logits    (n, D·V·C), value {@code b·D·V·C + (d·V + v)·C + cell}; not modified
     * @param targets   (n, D·V·C), same layout, non-negative; not modified
     * @param n         examples
     * @param depthBins D
     * @param volumes   V
     * @param cells     C
     * @param gradient  (n, D·V·C) ∂score(example)/∂x, not divided by n (as {@link #computeGradient}), or
     *                  {@code null} for none; modified
     * @return the sum over the n examples of score(example)
     */
    static double scoreAndGradient(float[] logits, float[] targets, int n, int depthBins, int volumes, int cells,
            float[] gradient) {
        int perExample = depthBins * volumes * cells;
        if (logits.length < n * perExample || targets.length < n * perExample
                || (gradient != null && gradient.length < n * perExample)) {
            throw new IllegalArgumentException("logits: expected n·D·V·C = " + n + "·" + perExample + " values, got "
                    + logits.length + " logits, " + targets.length + " targets");
        }
        double total = 0;
        for (int b = 0; b < n; b++) {
            double example = 0;
            for (int v = 0; v < volumes; v++) {
                // the volume's values: i = b·D·V·C + (d·V + v)·C + cell
                float max = Float.NEGATIVE_INFINITY;
                for (int d = 0; d < depthBins; d++) {
                    int base = b * perExample + (d * volumes + v) * cells;
                    for (int c = 0; c < cells; c++) {
                        max = Math.max(max, logits[base + c]);
                    }
                }
                double sumE = 0;
                double mass = 0;
                double tx = 0;
                for (int d = 0; d < depthBins; d++) {
                    int base = b * perExample + (d * volumes + v) * cells;
                    for (int c = 0; c < cells; c++) {
                        float x = logits[base + c];
                        float t = targets[base + c];
                        double e = Math.exp(x - max);
                        if (gradient != null) {
                            gradient[base + c] = (float) e; // exp(x − max), scaled below
                        }
                        sumE += e;
                        mass += t;
                        tx += (double) t * x;
                    }
                }
                // T_v · logsumexp(x_v) − Σ t·x
                example += mass * (max + Math.log(sumE)) - tx;
                if (gradient != null) {
                    // (T_v · p − t) / V with p = exp(x − max)/Σ
                    double scale = mass / sumE;
                    for (int d = 0; d < depthBins; d++) {
                        int base = b * perExample + (d * volumes + v) * cells;
                        for (int c = 0; c < cells; c++) {
                            gradient[base + c] = (float) ((gradient[base + c] * scale - targets[base + c])
                                    / volumes);
                        }
                    }
                }
            }
            total += example / volumes;
        }
        return total;
    }

    /** (N, D·V·C) → (N·V, D·C): value (n, d, v, c) to row n·V + v, column d·C + c. */
    private INDArray toRows(INDArray a, long n) {
        return a.reshape('c', n, depthBins, volumes, cells).permute(0, 2, 1, 3).dup('c')
                .reshape('c', n * volumes, (long) depthBins * cells);
    }

    /** The inverse of {@link #toRows}. */
    private INDArray fromRows(INDArray r, long n) {
        return r.reshape('c', n, volumes, depthBins, cells).permute(0, 2, 1, 3).dup('c')
                .reshape('c', n, (long) depthBins * volumes * cells);
    }

    @Override
    public String name() {
        return "SoftmaxVolumeLoss";
    }

    /** @return D, depth bins */
    public int getDepthBins() {
        return depthBins;
    }

    /**
     * @param depthBins D, &gt; 0
     * @throws IllegalArgumentException if not positive
     */
    public void setDepthBins(int depthBins) {
        this.depthBins = positive("depthBins", depthBins);
    }

    /** @return V, volumes per bin */
    public int getVolumes() {
        return volumes;
    }

    /**
     * @param volumes V, &gt; 0
     * @throws IllegalArgumentException if not positive
     */
    public void setVolumes(int volumes) {
        this.volumes = positive("volumes", volumes);
    }

    /** @return C, cells per bin */
    public int getCells() {
        return cells;
    }

    /**
     * @param cells C, &gt; 0
     * @throws IllegalArgumentException if not positive
     */
    public void setCells(int cells) {
        this.cells = positive("cells", cells);
    }

    private static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": expected a size > 0, got " + value);
        }
        return value;
    }

    @Override
    public String toString() {
        return name() + "(depthBins=" + depthBins + ", volumes=" + volumes + ", cells=" + cells + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SoftmaxVolumeLoss l && l.depthBins == depthBins && l.volumes == volumes
                && l.cells == cells;
    }

    @Override
    public int hashCode() {
        return (depthBins * 31 + volumes) * 31 + cells;
    }
}
