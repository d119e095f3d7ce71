package dev.smplr.hourglass;

import dev.smplr.smpl.training.PerExampleLoss;
import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-volume softmax cross-entropy ({@link HourglassLoss#SOFTMAX_CROSS_ENTROPY}, SPEC.md 15.6), optionally with an
 * integral (soft-argmax) term. The outputs and labels (N, D·V·C) hold, per example, {@code D} depth bins of
 * {@code V} volumes of {@code C = R·R} cells (the flattened NCHW head: value {@code (d·V + v)·C + cell}, cell =
 * row·R + column). Volume v of an example is the D·C values with that v; its logits go through one softmax over
 * all of them, p = softmax(x_v), and with the (non-negative, unnormalised) target t_v and its mass T_v = Σ t_v:
 * <pre>
 * CE_v         = −Σ_i t_vi · log p_vi = T_v · logsumexp(x_v) − Σ_i t_vi·x_vi,   ∂CE_v/∂x_vi = T_v · p_vi − t_vi
 * μ_v = Σ_i p_vi·c_i,   g_v = Σ_i t_vi·c_i / T_v          (c_i = (column, row, bin) of cell i, voxel units)
 * L1_v         = Σ_a s_a·|μ_va − g_va|                     (s_a metres per voxel along axis a)
 * ∂L1_v/∂x_vi  = p_vi · Σ_a s_a·sign(μ_va − g_va)·(c_ia − μ_va)
 * score(example) = (1/V) Σ_v CE_v + (λ/P) Σ_{v &lt; P} L1_v
 * </pre>
 * The integral term (weight λ per metre, over the first P = {@code points} volumes: the points, not the limbs)
 * trains the soft-argmax decoding directly, as in integral pose regression (Sun et al. 2018): the cross-entropy
 * alone rewards the right shape of the distribution but not where its mean lands inside a cell. g_v is the
 * target's centroid, which for the Gaussian point targets of {@link VoxelTargets} is the ground-truth voxel
 * coordinate (up to the grid's truncation at its faces). Voxel sizes: {@link VoxelGrid#CUBE_METRES}/R across,
 * {@link VoxelGrid#CUBE_METRES}/D in depth.
 *
 * <p>DL4J averages the score over the batch and divides the gradients by N itself. The optional mask is per example
 * (N, 1). The DL4J path computes it with {@link #scoreAndGradient} on float64 arrays in the graph's layout, the fast
 * engine ({@link HourglassBackprop}) with {@link #scoreAndGradientNhwc} on its float32 NHWC buffers; both sum in
 * float64 through one set of formulas.
 *
 * <p>Public with a no-argument constructor and bean accessors so DL4J's JSON can save and restore the graph.
 */
public final class SoftmaxVolumeLoss extends PerExampleLoss {
    private static final long serialVersionUID = 1L;

    private int depthBins;
    private int volumes;
    private int cells;
    private int points;
    private double integralWeight;

    /** An unconfigured loss, for deserialisation; set the three sizes before use. */
    public SoftmaxVolumeLoss() {
    }

    /**
     * The cross-entropy alone.
     *
     * @param depthBins D, depth bins, &gt; 0
     * @param volumes   V, volumes per bin, &gt; 0
     * @param cells     C, cells per bin of a volume (rows × columns), &gt; 0
     * @throws IllegalArgumentException if a size is not positive
     */
    public SoftmaxVolumeLoss(int depthBins, int volumes, int cells) {
        this(depthBins, volumes, cells, 0, 0);
    }

    /**
     * The cross-entropy plus the integral term.
     *
     * @param depthBins      D, depth bins, &gt; 0
     * @param volumes        V, volumes per bin, &gt; 0
     * @param cells          C, cells per bin of a volume, a square R·R &gt; 0
     * @param points         P, the volumes (the first ones) that get the integral term, in [0, V]
     * @param integralWeight λ, the weight of the integral term per metre, finite, ≥ 0
     * @throws IllegalArgumentException if a size or the weight is out of range
     */
    public SoftmaxVolumeLoss(int depthBins, int volumes, int cells, int points, double integralWeight) {
        setDepthBins(depthBins);
        setVolumes(volumes);
        setCells(cells);
        setPoints(points);
        setIntegralWeight(integralWeight);
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
        double[] xs = x.castTo(DataType.DOUBLE).reshape(x.length()).toDoubleVector();
        double[] ts = labels.castTo(DataType.DOUBLE).reshape(labels.length()).toDoubleVector();
        double[] g = gradient ? new double[xs.length] : null;
        double[] perExampleScores = new double[(int) n];
        scoreAndGradient(xs, ts, (int) n, depthBins, volumes, cells, points, integralWeight, g, perExampleScores);
        INDArray scores = Nd4j.create(perExampleScores, new long[] {n, 1}, DataType.DOUBLE).castTo(x.dataType());
        if (mask != null) {
            scores.muli(mask.castTo(scores.dataType()).reshape(n, 1));
        }
        INDArray grad = null;
        if (gradient) {
            INDArray dLdx = maskRows(Nd4j.create(g, new long[] {n, perExample}, DataType.DOUBLE)
                    .castTo(x.dataType()), mask);
            grad = activationFn.backprop(preOutput.dup(), dLdx).getFirst();
        }
        return new Pair<>(scores, grad);
    }

    /**
     * The score and gradient of the class description on plain arrays, in float64: the one implementation, used by
     * the DL4J path and the fast training engine ({@link HourglassBackprop}), with the identity activation and no
     * mask.
     *
     * @param logits         (n, D·V·C), value {@code b·D·V·C + (d·V + v)·C + cell}; not modified
     * @param targets        (n, D·V·C), same layout, non-negative; not modified
     * @param n              examples
     * @param depthBins      D
     * @param volumes        V
     * @param cells          C = R·R
     * @param points         P, the volumes with the integral term
     * @param integralWeight λ per metre, 0 for the cross-entropy alone
     * @param gradient       (n, D·V·C) ∂score(example)/∂x, not divided by n (as {@link #computeGradient}), or
     *                       {@code null} for none; modified
     * @param exampleScores  n per-example scores, or {@code null}; modified
     * @return the sum over the n examples of score(example)
     */
    static double scoreAndGradient(double[] logits, double[] targets, int n, int depthBins, int volumes, int cells,
            int points, double integralWeight, double[] gradient, double[] exampleScores) {
        int perExample = depthBins * volumes * cells;
        if (logits.length < n * perExample || targets.length < n * perExample
                || (gradient != null && gradient.length < n * perExample)) {
            throw new IllegalArgumentException("logits: expected n·D·V·C = " + n + "·" + perExample + " values, got "
                    + logits.length + " logits, " + targets.length + " targets");
        }
        VolumeSums s = new VolumeSums(depthBins, volumes, cells, points, integralWeight);
        double total = 0;
        for (int b = 0; b < n; b++) {
            s.reset();
            for (int v = 0; v < volumes; v++) {
                // the volume's values: i = b·D·V·C + (d·V + v)·C + cell
                for (int d = 0; d < depthBins; d++) {
                    int base = b * perExample + (d * volumes + v) * cells;
                    for (int c = 0; c < cells; c++) {
                        s.max[v] = Math.max(s.max[v], logits[base + c]);
                    }
                }
                for (int d = 0; d < depthBins; d++) {
                    int base = b * perExample + (d * volumes + v) * cells;
                    for (int c = 0; c < cells; c++) {
                        double e = Math.exp(logits[base + c] - s.max[v]);
                        if (gradient != null) {
                            gradient[base + c] = e; // exp(x − max), turned into the gradient below
                        }
                        s.add(v, e, targets[base + c], logits[base + c], d, c % s.side, c / s.side);
                    }
                }
            }
            double example = s.finish();
            if (gradient != null) {
                for (int v = 0; v < volumes; v++) {
                    for (int d = 0; d < depthBins; d++) {
                        int base = b * perExample + (d * volumes + v) * cells;
                        for (int c = 0; c < cells; c++) {
                            gradient[base + c] = s.gradient(v, gradient[base + c], targets[base + c], d, c % s.side,
                                    c / s.side);
                        }
                    }
                }
            }
            if (exampleScores != null) {
                exampleScores[b] = example;
            }
            total += example;
        }
        return total;
    }

    /**
     * {@link #scoreAndGradient(double[], double[], int, int, int, int, int, double, double[], double[])} on the fast
     * engine's layout: float32 head outputs in NHWC order, so that the engine needs no transposes. The sums run in
     * float64 as there, through the same {@link VolumeSums}; a test holds the two to float rounding. Each image is
     * swept three times (maxima, then exponentials and sums, then the gradient) cell by cell, with the 45 volumes of
     * a voxel side by side.
     *
     * @param logits         (n, C, D·V), value {@code (b·C + cell)·D·V + d·V + v}; not modified
     * @param targets        the same layout, non-negative; not modified
     * @param n              examples
     * @param depthBins      D
     * @param volumes        V
     * @param cells          C = R·R
     * @param points         P, the volumes with the integral term
     * @param integralWeight λ per metre, 0 for the cross-entropy alone
     * @param gradient       (n, C, D·V) ∂score(example)/∂x, not divided by n; modified
     * @return the sum over the n examples of score(example)
     */
    static double scoreAndGradientNhwc(float[] logits, float[] targets, int n, int depthBins, int volumes,
            int cells, int points, double integralWeight, float[] gradient) {
        int channels = depthBins * volumes;
        int perExample = channels * cells;
        if (logits.length < n * perExample || targets.length < n * perExample || gradient.length < n * perExample) {
            throw new IllegalArgumentException("logits: expected n·C·D·V = " + n + "·" + perExample + " values, got "
                    + logits.length + " logits, " + targets.length + " targets, " + gradient.length + " gradients");
        }
        // examples in parallel, each with its own sums; the scores added in example order
        double[] scores = new double[n];
        NhwcRows.parallelFor(n, b -> scores[b] = exampleNhwc(logits, targets, b * perExample,
                depthBins, volumes, cells, new VolumeSums(depthBins, volumes, cells, points, integralWeight),
                gradient));
        double total = 0;
        for (double score : scores) {
            total += score;
        }
        return total;
    }

    /** One example of {@link #scoreAndGradientNhwc}, its values from {@code start}: returns its score. */
    private static double exampleNhwc(float[] logits, float[] targets, int start, int depthBins, int volumes,
            int cells, VolumeSums s, float[] gradient) {
        int channels = depthBins * volumes;
        int perExample = channels * cells;
        double[] max = s.max;
        double[] eCell = s.eCell;
        double[] eb = s.eb;
        double[] tCell = s.tCell;
        double[] tx = s.tx;
        double[] tb = s.tb;
        s.reset();
        for (int i = start; i < start + perExample; i += volumes) {
            for (int v = 0; v < volumes; v++) {
                max[v] = Math.max(max[v], logits[i + v]);
            }
        }
        for (int cell = 0; cell < cells; cell++) {
            for (int d = 0; d < depthBins; d++) {
                int i = start + cell * channels + d * volumes;
                for (int v = 0; v < volumes; v++) {
                    // exp(x − max), turned into the gradient below
                    gradient[i + v] = (float) Math.exp(logits[i + v] - max[v]);
                }
                for (int v = 0; v < volumes; v++) {
                    eCell[v] += gradient[i + v];
                    eb[v] += gradient[i + v] * d;
                }
                for (int v = 0; v < volumes; v++) {
                    float target = targets[i + v];
                    if (target != 0) {
                        tCell[v] += target;
                        tx[v] += (double) target * logits[i + v];
                        tb[v] += (double) target * d;
                    }
                }
            }
            s.endCell(cell % s.side, cell / s.side);
        }
        double score = s.finish();
        for (int cell = 0; cell < cells; cell++) {
            int col = cell % s.side;
            int row = cell / s.side;
            for (int d = 0; d < depthBins; d++) {
                int i = start + cell * channels + d * volumes;
                for (int v = 0; v < volumes; v++) {
                    // VolumeSums.gradient written out: called here, it halved this loop's speed (C2, JDK 17)
                    double p = gradient[i + v] * s.inv[v];
                    gradient[i + v] = (float) ((s.mass[v] * p - targets[i + v]) / volumes
                            + p * (s.wb[v] * (d - s.mb[v]) + s.wc[v] * (col - s.mc[v])
                                    + s.wr[v] * (row - s.mr[v])));
                }
            }
        }
        return score;
    }

    /**
     * One example's per-volume sums, and the score and gradient of the class description from them, for both
     * layouts (the NHWC sweep writes the gradient's one line out). Per volume v: the maximum logit, Σ e,
     * T = Σ t, Σ t·x, and Σ e·a, Σ t·a over the axes a = column, row, bin (e = exp(x − max)); after
     * {@link #finish()}, 1/Σ e and the integral term's per-axis factors w_a = (λ/P)·s_a·sign(μ_a − g_a) and means
     * μ_a.
     */
    private static final class VolumeSums {
        final int volumes;
        final int side;
        final int points;
        final double integralWeight;
        /** s_a: metres per voxel across (0 without the integral term) and in depth. */
        final double across;
        final double deep;
        final double[] max;
        final double[] sumE;
        final double[] mass;
        final double[] tx;
        final double[] ec;
        final double[] er;
        final double[] eb;
        final double[] tc;
        final double[] tr;
        final double[] tb;
        /** Σ e and Σ t over the bins of the current cell (the NHWC sweep). */
        final double[] eCell;
        final double[] tCell;
        final double[] inv;
        final double[] wc;
        final double[] wr;
        final double[] wb;
        final double[] mc;
        final double[] mr;
        final double[] mb;

        VolumeSums(int depthBins, int volumes, int cells, int points, double integralWeight) {
            this.volumes = volumes;
            boolean integralTerm = integralWeight > 0 && points > 0;
            this.side = integralTerm ? side(cells) : cells;
            this.points = points;
            this.integralWeight = integralWeight;
            this.across = integralTerm ? (double) VoxelGrid.CUBE_METRES / side : 0;
            this.deep = (double) VoxelGrid.CUBE_METRES / depthBins;
            max = new double[volumes];
            sumE = new double[volumes];
            mass = new double[volumes];
            tx = new double[volumes];
            ec = new double[volumes];
            er = new double[volumes];
            eb = new double[volumes];
            tc = new double[volumes];
            tr = new double[volumes];
            tb = new double[volumes];
            eCell = new double[volumes];
            tCell = new double[volumes];
            inv = new double[volumes];
            wc = new double[volumes];
            wr = new double[volumes];
            wb = new double[volumes];
            mc = new double[volumes];
            mr = new double[volumes];
            mb = new double[volumes];
        }

        void reset() {
            Arrays.fill(max, Double.NEGATIVE_INFINITY);
            for (double[] a : new double[][] {sumE, mass, tx, ec, er, eb, tc, tr, tb, eCell, tCell}) {
                Arrays.fill(a, 0);
            }
        }

        /** Adds one value of volume v: e = exp(x − max), target t, logit x, at bin d, column and row. */
        void add(int v, double e, double t, double x, int d, int col, int row) {
            sumE[v] += e;
            ec[v] += e * col;
            er[v] += e * row;
            eb[v] += e * d;
            if (t != 0) { // the targets are mostly zero
                mass[v] += t;
                tx[v] += t * x;
                tc[v] += t * col;
                tr[v] += t * row;
                tb[v] += t * d;
            }
        }

        /** Closes a cell of the NHWC sweep: its column and row weigh the Σ e and Σ t of its bins. */
        void endCell(int col, int row) {
            for (int v = 0; v < volumes; v++) {
                sumE[v] += eCell[v];
                ec[v] += eCell[v] * col;
                er[v] += eCell[v] * row;
                mass[v] += tCell[v];
                tc[v] += tCell[v] * col;
                tr[v] += tCell[v] * row;
            }
            Arrays.fill(eCell, 0);
            Arrays.fill(tCell, 0);
        }

        /** score(example) = (1/V) Σ_v CE_v + (λ/P) Σ_{v &lt; P} L1_v; sets the gradient's factors. */
        double finish() {
            double crossEntropy = 0;
            double integral = 0;
            double w = across > 0 ? integralWeight / points : 0;
            for (int v = 0; v < volumes; v++) {
                // T_v · logsumexp(x_v) − Σ t·x
                crossEntropy += mass[v] * (max[v] + Math.log(sumE[v])) - tx[v];
                inv[v] = 1 / sumE[v];
                wc[v] = 0;
                wr[v] = 0;
                wb[v] = 0;
                mc[v] = 0;
                mr[v] = 0;
                mb[v] = 0;
                if (w > 0 && v < points && mass[v] > 0) {
                    mc[v] = ec[v] / sumE[v];
                    mr[v] = er[v] / sumE[v];
                    mb[v] = eb[v] / sumE[v];
                    double dc = mc[v] - tc[v] / mass[v];
                    double dr = mr[v] - tr[v] / mass[v];
                    double db = mb[v] - tb[v] / mass[v];
                    integral += across * (Math.abs(dc) + Math.abs(dr)) + deep * Math.abs(db);
                    wc[v] = w * across * Math.signum(dc);
                    wr[v] = w * across * Math.signum(dr);
                    wb[v] = w * deep * Math.signum(db);
                }
            }
            return crossEntropy / volumes + (points > 0 ? integralWeight * integral / points : 0);
        }

        /**
         * ∂score/∂x of one value of volume v, from e = exp(x − max) and target t at bin d, column and row:
         * {@code (T_v·p − t)/V + p·Σ_a w_a·(a − μ_a)} with p = e/Σ e.
         */
        double gradient(int v, double e, double t, int d, int col, int row) {
            double p = e * inv[v];
            return (mass[v] * p - t) / volumes
                    + p * (wb[v] * (d - mb[v]) + wc[v] * (col - mc[v]) + wr[v] * (row - mr[v]));
        }
    }

    /** R with R·R = cells. */
    private static int side(int cells) {
        int r = (int) Math.round(Math.sqrt(cells));
        if (r * r != cells) {
            throw new IllegalArgumentException("cells: expected a square R·R for the integral term, got " + cells);
        }
        return r;
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

    /** @return P, the volumes (the first ones) with the integral term */
    public int getPoints() {
        return points;
    }

    /**
     * @param points P, ≥ 0 (at most V, checked when used)
     * @throws IllegalArgumentException if negative
     */
    public void setPoints(int points) {
        if (points < 0) {
            throw new IllegalArgumentException("points: expected a count ≥ 0, got " + points);
        }
        this.points = points;
    }

    /** @return λ, the weight of the integral term per metre */
    public double getIntegralWeight() {
        return integralWeight;
    }

    /**
     * @param integralWeight λ per metre, finite, ≥ 0
     * @throws IllegalArgumentException if negative or not finite
     */
    public void setIntegralWeight(double integralWeight) {
        this.integralWeight = HourglassConfig.integralWeightChecked(integralWeight);
    }

    private static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": expected a size > 0, got " + value);
        }
        return value;
    }

    @Override
    public String toString() {
        return name() + "(depthBins=" + depthBins + ", volumes=" + volumes + ", cells=" + cells + ", points="
                + points + ", integralWeight=" + integralWeight + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SoftmaxVolumeLoss l && l.depthBins == depthBins && l.volumes == volumes
                && l.cells == cells && l.points == points
                && Double.compare(l.integralWeight, integralWeight) == 0;
    }

    @Override
    public int hashCode() {
        return (((depthBins * 31 + volumes) * 31 + cells) * 31 + points) * 31 + Double.hashCode(integralWeight);
    }
}
