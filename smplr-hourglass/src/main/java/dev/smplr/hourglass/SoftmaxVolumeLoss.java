package dev.smplr.hourglass;

import dev.smplr.smpl.training.PerExampleLoss;
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
 * (N, 1). Both the DL4J path and the fast engine ({@link HourglassBackprop}) compute it with
 * {@link #scoreAndGradient}, in float64.
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
        int side = integralWeight > 0 ? side(cells) : 0;
        double across = integralWeight > 0 ? (double) VoxelGrid.CUBE_METRES / side : 0;
        double deep = (double) VoxelGrid.CUBE_METRES / depthBins;
        double total = 0;
        for (int b = 0; b < n; b++) {
            double crossEntropy = 0;
            double integral = 0;
            for (int v = 0; v < volumes; v++) {
                boolean withIntegral = integralWeight > 0 && v < points;
                // the volume's values: i = b·D·V·C + (d·V + v)·C + cell
                double max = Double.NEGATIVE_INFINITY;
                for (int d = 0; d < depthBins; d++) {
                    int base = b * perExample + (d * volumes + v) * cells;
                    for (int c = 0; c < cells; c++) {
                        max = Math.max(max, logits[base + c]);
                    }
                }
                double sumE = 0;
                double mass = 0;
                double tx = 0;
                // Σ e·c and Σ t·c per axis (column, row, bin), for the integral term
                double ec = 0;
                double er = 0;
                double eb = 0;
                double tc = 0;
                double tr = 0;
                double tb = 0;
                for (int d = 0; d < depthBins; d++) {
                    int base = b * perExample + (d * volumes + v) * cells;
                    double eBin = 0;
                    double tBin = 0;
                    // (row, col) of cell c, when the integral term needs them (side = 0 otherwise: never wraps)
                    for (int c = 0, row = 0, col = 0; c < cells; c++) {
                        double x = logits[base + c];
                        double t = targets[base + c];
                        double e = Math.exp(x - max);
                        if (gradient != null) {
                            gradient[base + c] = e; // exp(x − max), scaled below
                        }
                        eBin += e;
                        tBin += t;
                        tx += t * x;
                        if (withIntegral) {
                            ec += e * col;
                            er += e * row;
                            tc += t * col;
                            tr += t * row;
                            if (++col == side) {
                                col = 0;
                                row++;
                            }
                        }
                    }
                    sumE += eBin;
                    mass += tBin;
                    eb += eBin * d;
                    tb += tBin * d;
                }
                // T_v · logsumexp(x_v) − Σ t·x
                crossEntropy += mass * (max + Math.log(sumE)) - tx;
                double wc = 0;
                double wr = 0;
                double wb = 0;
                double mc = 0;
                double mr = 0;
                double mb = 0;
                if (withIntegral && mass > 0) {
                    mc = ec / sumE;
                    mr = er / sumE;
                    mb = eb / sumE;
                    double dc = mc - tc / mass;
                    double dr = mr - tr / mass;
                    double db = mb - tb / mass;
                    integral += across * (Math.abs(dc) + Math.abs(dr)) + deep * Math.abs(db);
                    double w = integralWeight / points;
                    wc = w * across * Math.signum(dc);
                    wr = w * across * Math.signum(dr);
                    wb = w * deep * Math.signum(db);
                }
                if (gradient != null) {
                    // (T_v · p − t) / V + p · Σ_a w_a (c_a − μ_a), with p = exp(x − max)/Σ
                    double inv = 1 / sumE;
                    boolean integralGradient = wc != 0 || wr != 0 || wb != 0;
                    for (int d = 0; d < depthBins; d++) {
                        int base = b * perExample + (d * volumes + v) * cells;
                        double binPart = wb * (d - mb) - wc * mc - wr * mr;
                        for (int c = 0, row = 0, col = 0; c < cells; c++) {
                            double p = gradient[base + c] * inv;
                            double g = (mass * p - targets[base + c]) / volumes;
                            if (integralGradient) {
                                g += p * (binPart + wc * col + wr * row);
                                if (++col == side) {
                                    col = 0;
                                    row++;
                                }
                            }
                            gradient[base + c] = g;
                        }
                    }
                }
            }
            double example = crossEntropy / volumes + (points > 0 ? integralWeight * integral / points : 0);
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
     * float64 as there; a test holds the two to float rounding. Each image is swept three times (maxima, then
     * exponentials and sums, then the gradient) cell by cell, with the 45 volumes of a voxel side by side.
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
        boolean integralTerm = integralWeight > 0 && points > 0;
        int side = integralTerm ? side(cells) : cells;
        double across = integralTerm ? (double) VoxelGrid.CUBE_METRES / side : 0;
        double deep = (double) VoxelGrid.CUBE_METRES / depthBins;
        double w = integralTerm ? integralWeight / points : 0;
        double[] max = new double[volumes];
        // Σ e, Σ t, Σ t·x, and Σ e·a, Σ t·a over the axes a = column, row, bin
        double[] sumE = new double[volumes];
        double[] mass = new double[volumes];
        double[] tx = new double[volumes];
        double[] ec = new double[volumes];
        double[] er = new double[volumes];
        double[] eb = new double[volumes];
        double[] tc = new double[volumes];
        double[] tr = new double[volumes];
        double[] tb = new double[volumes];
        // Σ e and Σ t over the bins of one cell
        double[] eCell = new double[volumes];
        double[] tCell = new double[volumes];
        // the gradient's per-volume factors: 1/Σe, and w_a and μ_a of the integral term
        double[] inv = new double[volumes];
        double[] wc = new double[volumes];
        double[] wr = new double[volumes];
        double[] wb = new double[volumes];
        double[] mc = new double[volumes];
        double[] mr = new double[volumes];
        double[] mb = new double[volumes];
        double total = 0;
        for (int b = 0; b < n; b++) {
            int start = b * perExample;
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
            for (int i = start; i < start + perExample; i += volumes) {
                for (int v = 0; v < volumes; v++) {
                    max[v] = Math.max(max[v], logits[i + v]);
                }
            }
            for (double[] a : new double[][] {sumE, mass, tx, ec, er, eb, tc, tr, tb}) {
                java.util.Arrays.fill(a, 0);
            }
            for (int cell = 0; cell < cells; cell++) {
                int row = cell / side;
                int col = cell - row * side;
                java.util.Arrays.fill(eCell, 0);
                java.util.Arrays.fill(tCell, 0);
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
                        float t = targets[i + v];
                        if (t != 0) { // the targets are mostly zero
                            tCell[v] += t;
                            tx[v] += (double) t * logits[i + v];
                            tb[v] += (double) t * d;
                        }
                    }
                }
                for (int v = 0; v < volumes; v++) {
                    sumE[v] += eCell[v];
                    ec[v] += eCell[v] * col;
                    er[v] += eCell[v] * row;
                    mass[v] += tCell[v];
                    tc[v] += tCell[v] * col;
                    tr[v] += tCell[v] * row;
                }
            }
            double crossEntropy = 0;
            double integral = 0;
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
                if (integralTerm && v < points && mass[v] > 0) {
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
            // (T_v · p − t) / V + p · Σ_a w_a (a − μ_a), with p = exp(x − max)/Σ
            for (int cell = 0; cell < cells; cell++) {
                int row = cell / side;
                int col = cell - row * side;
                for (int d = 0; d < depthBins; d++) {
                    int i = start + cell * channels + d * volumes;
                    for (int v = 0; v < volumes; v++) {
                        double p = gradient[i + v] * inv[v];
                        double g = (mass[v] * p - targets[i + v]) / volumes
                                + p * (wb[v] * (d - mb[v]) + wc[v] * (col - mc[v]) + wr[v] * (row - mr[v]));
                        gradient[i + v] = (float) g;
                    }
                }
            }
            total += crossEntropy / volumes + (points > 0 ? integralWeight * integral / points : 0);
        }
        return total;
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
