package dev.smplr.smpl;

import dev.smplr.core.Rotations;
import dev.smplr.core.SmplJoint;
import dev.smplr.core.SmplrPoints;
import java.util.Arrays;

/**
 * One fit's least-squares problem for {@link SmplFitter}: the parameter vector, the robust point cost with its
 * priors, and their Gauss–Newton linearisation, on the points-only SMPL layer. Not thread-safe: one per thread
 * (the fitter keeps one per thread and re-targets it for every call).
 *
 * <p>Parameters {@code x} (float64): per joint {@code d} rotation values (axis-angle d = 3 or 6D d = 6, joint j
 * at {@code d*j}), then the fitted betas, then the translation when fitted. The cost is
 *
 * <pre>
 * F(x) = Σ_i c_i ρ(|p_i(x) + t − q_i|) + ½ λ_β |β|² + ½ λ_lim Σ_ja viol(θ_ja)² + ½ λ_s |x − x_prev|²
 * </pre>
 * with c_i the point's weight times its confidence, ρ the robust loss ({@code ρ(d) = d²/2} for squared), θ the
 * axis-angle of each body joint and viol its distance outside {@link JointLimits}. The linearisation is the
 * iteratively reweighted one: {@code A = Σ_i c_i w_i J_iᵀ J_i + priors}, {@code g = ∇F} exactly, with
 * {@code w_i = ρ'(d_i)/d_i}.
 */
final class FitProblem {
    private static final int JOINTS = SmplJoint.COUNT;
    private static final int POINTS = SmplrPoints.COUNT;
    private static final int VALUES = SmplrPoints.VALUES;

    private final SmplFitter fitter;
    private final SmplPointsLayer layer;
    private final SmplPointsLayer.Tape tape;
    /** Rotation values per joint: 3 (axis-angle) or 6 (6D). */
    final int rotDim;
    /** Betas in the model pass, fitted or fixed. */
    final int betaCount;
    /** Fitted betas (0 or {@link #betaCount}). */
    final int fitBetas;
    /** Fitted translation values (0 or 3). */
    final int fitTransl;
    /** Parameters, {@code 24 rotDim + fitBetas + fitTransl}. */
    final int n;
    private final boolean sixD;
    private final boolean finiteDifferences;

    // per call
    private final float[] target = new float[VALUES];
    /** c_i: weight × confidence, 0 for points not fitted. */
    private final double[] pointWeight = new double[POINTS];
    private final float[] fixedBetas;
    private final float[] fixedTransl = new float[3];
    private double[] previous;

    // scratch
    private final float[] rotations = new float[9 * JOINTS];
    private final float[] betas;
    private final float[] points = new float[VALUES];
    private final float[] aa = new float[3 * JOINTS];
    private final double[] jacRot = new double[VALUES * 3 * JOINTS];
    private final double[] jacBeta;
    /** ∂points/∂x, (123, n). */
    private final double[] jac;
    /** Per joint ∂ω/∂(rotation values), (24, 3, rotDim). */
    private final double[] omegaJac;
    /** Per joint ∂θ/∂(rotation values) for the limit prior, (24, 3, rotDim). */
    private final double[] thetaJac;
    private final double[] theta = new double[3 * JOINTS];
    private final double[] robustWeight = new double[POINTS];
    private final double[] fdPlus = new double[VALUES];
    private final double[] xWork;
    private final double[] rot9 = new double[9];

    FitProblem(SmplFitter fitter) {
        this.fitter = fitter;
        this.layer = fitter.layer();
        this.tape = layer.newTape();
        this.sixD = fitter.rotation() == SmplFitter.Rotation.SIX_D;
        this.rotDim = sixD ? 6 : 3;
        this.betaCount = fitter.betaCount();
        this.fitBetas = fitter.fitsBetas() ? betaCount : 0;
        this.fitTransl = fitter.fitsTranslation() ? 3 : 0;
        this.n = JOINTS * rotDim + fitBetas + fitTransl;
        this.finiteDifferences = fitter.jacobianMode() == SmplFitter.JacobianMode.FINITE_DIFFERENCES;
        this.fixedBetas = new float[betaCount];
        this.betas = new float[betaCount];
        this.jacBeta = new double[VALUES * betaCount];
        this.jac = new double[VALUES * n];
        this.omegaJac = new double[JOINTS * 3 * rotDim];
        this.thetaJac = new double[JOINTS * 3 * rotDim];
        this.xWork = new double[n];
    }

    /**
     * Sets the targets of the next fit.
     *
     * @param points41   the target points. Not modified (copied).
     * @param weights    c_i per point (0 = not fitted). Not modified (copied).
     * @param initBetas  the betas to start from or keep, {@link #betaCount} values. Not modified (copied).
     * @param initTransl the translation to start from or keep. Not modified (copied).
     * @param prev       x of the previous frame for the smoothness term, or null. Kept.
     */
    void target(float[] points41, double[] weights, float[] initBetas, float[] initTransl, double[] prev) {
        for (int i = 0; i < POINTS; i++) {
            pointWeight[i] = weights[i];
            for (int k = 0; k < 3; k++) {
                // points not fitted may hold NaN (missing); they never enter the cost
                target[3 * i + k] = weights[i] > 0 ? points41[3 * i + k] : 0f;
            }
        }
        System.arraycopy(initBetas, 0, fixedBetas, 0, betaCount);
        System.arraycopy(initTransl, 0, fixedTransl, 0, 3);
        previous = prev;
    }

    /** @return x of a start: pose (72 axis-angle), betas and translation */
    double[] start(float[] pose, float[] startBetas, float[] transl) {
        double[] x = new double[n];
        if (sixD) {
            float[] r = Rotations.axisAngleToMatrix(pose);
            float[] six = Rotations.matrixToRotation6d(r);
            for (int i = 0; i < six.length; i++) {
                x[i] = six[i];
            }
        } else {
            for (int i = 0; i < 3 * JOINTS; i++) {
                x[i] = pose[i];
            }
        }
        int o = JOINTS * rotDim;
        for (int b = 0; b < fitBetas; b++) {
            x[o + b] = startBetas[b];
        }
        for (int k = 0; k < fitTransl; k++) {
            x[o + fitBetas + k] = transl[k];
        }
        return x;
    }

    /** Re-normalises 6D values (the cost depends only on their Gram–Schmidt rotation); no-op for axis-angle. */
    void normalize(double[] x) {
        if (!sixD) {
            return;
        }
        double[] r = new double[9];
        for (int j = 0; j < JOINTS; j++) {
            gramSchmidt(x, 6 * j, r, null, 0);
            x[6 * j] = r[0];
            x[6 * j + 1] = r[3];
            x[6 * j + 2] = r[6];
            x[6 * j + 3] = r[1];
            x[6 * j + 4] = r[4];
            x[6 * j + 5] = r[7];
        }
    }

    /** @return the rotations (24, 3, 3) of x, a new array */
    float[] rotationsOf(double[] x) {
        setRotations(x, false);
        return rotations.clone();
    }

    /** @return the axis-angle pose (72) of x, a new array */
    float[] poseOf(double[] x) {
        if (!sixD) {
            float[] pose = new float[3 * JOINTS];
            for (int i = 0; i < pose.length; i++) {
                pose[i] = (float) x[i];
            }
            return pose;
        }
        return Rotations.matrixToAxisAngle(rotationsOf(x));
    }

    /** @return the betas of x (fitted, or the fixed ones), a new array */
    float[] betasOf(double[] x) {
        setBetas(x);
        return betas.clone();
    }

    /** @return the translation of x (fitted, or the fixed one), a new array */
    float[] translOf(double[] x) {
        float[] t = fixedTransl.clone();
        int o = JOINTS * rotDim + fitBetas;
        for (int k = 0; k < fitTransl; k++) {
            t[k] = (float) x[o + k];
        }
        return t;
    }

    /** @return the model's 41 points at x (translation added), a new array */
    float[] pointsOf(double[] x) {
        evaluatePoints(x, false);
        return points.clone();
    }

    // ---------------------------------------------------------------------------------------------------------
    // cost and linearisation

    /**
     * @param x parameters. Not modified.
     * @return F(x)
     */
    double cost(double[] x) {
        evaluatePoints(x, false);
        double f = 0;
        SmplFitter.RobustLoss loss = fitter.robustLoss();
        double scale = fitter.robustScale();
        for (int i = 0; i < POINTS; i++) {
            double c = pointWeight[i];
            if (c > 0) {
                f += c * loss.rho(distance(i), scale);
            }
        }
        return f + priorCost(x);
    }

    /**
     * F(x) and its linearisation: {@code A = Σ c_i w_i J_iᵀ J_i + priors} (n, n) and {@code g = ∇F} (n).
     *
     * @param x parameters. Not modified.
     * @param a receives A, row-major, full. Modified.
     * @param g receives g. Modified.
     * @return F(x)
     */
    double linearize(double[] x, double[] a, double[] g) {
        double f = jacobian(x);
        Arrays.fill(a, 0);
        Arrays.fill(g, 0);
        for (int i = 0; i < POINTS; i++) {
            double s = pointWeight[i] * robustWeight[i];
            if (s == 0) {
                continue;
            }
            int r0 = n * 3 * i;
            int r1 = r0 + n;
            int r2 = r1 + n;
            double e0 = s * (points[3 * i] - target[3 * i]);
            double e1 = s * (points[3 * i + 1] - target[3 * i + 1]);
            double e2 = s * (points[3 * i + 2] - target[3 * i + 2]);
            for (int p = 0; p < n; p++) {
                double j0 = jac[r0 + p];
                double j1 = jac[r1 + p];
                double j2 = jac[r2 + p];
                if (j0 == 0 && j1 == 0 && j2 == 0) {
                    continue; // a joint point's rows are zero outside its chain's columns
                }
                g[p] += e0 * j0 + e1 * j1 + e2 * j2;
                double c0 = s * j0;
                double c1 = s * j1;
                double c2 = s * j2;
                int ap = n * p;
                // A[p][q] += s Σ_k J_k[p] J_k[q] for q ≥ p, the point's three rows at once: a contiguous loop
                // that C2 vectorizes, with a third of the loads and stores of three rank-1 updates
                for (int q = p; q < n; q++) {
                    a[ap + q] += c0 * jac[r0 + q] + c1 * jac[r1 + q] + c2 * jac[r2 + q];
                }
            }
        }
        priorLinearization(x, a, g);
        for (int p = 0; p < n; p++) {
            for (int q = p + 1; q < n; q++) {
                a[n * q + p] = a[n * p + q];
            }
        }
        return f;
    }

    /**
     * The weighted residuals and their Jacobian for a solver that wants them whole (Commons Math): points
     * {@code κ_i (p_i − q_i)} with {@code κ_i = sqrt(2 c_i ρ(d_i)) / d_i} (so that ½|r|² is F's point term) and
     * Jacobian {@code κ_i J_i} (the change of κ is ignored, as IRLS does), then the prior residuals.
     *
     * @param x   parameters. Not modified.
     * @param r   receives {@link #residualCount()} residuals. Modified.
     * @param jr  receives their Jacobian ({@link #residualCount()}, n) row-major. Modified.
     */
    void residuals(double[] x, double[] r, double[] jr) {
        jacobian(x);
        Arrays.fill(jr, 0);
        SmplFitter.RobustLoss loss = fitter.robustLoss();
        double scale = fitter.robustScale();
        int row = 0;
        for (int i = 0; i < POINTS; i++) {
            double d = distance(i);
            double c = pointWeight[i];
            double kappa = c == 0 ? 0 : d > 1e-12 ? Math.sqrt(2 * c * loss.rho(d, scale)) / d : Math.sqrt(c);
            for (int k = 0; k < 3; k++) {
                r[row] = kappa * (points[3 * i + k] - target[3 * i + k]);
                for (int q = 0; q < n; q++) {
                    jr[n * row + q] = kappa * jac[n * (3 * i + k) + q];
                }
                row++;
            }
        }
        priorResiduals(x, r, jr, row);
    }

    /** @return the residuals of {@link #residuals}: 123 point values, the beta and limit priors, smoothness */
    int residualCount() {
        return VALUES + fitBetas + 3 * (JOINTS - 1) + (previous == null ? 0 : n);
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Points at x and ∂points/∂x into {@link #jac}; robust weights; returns F(x). */
    private double jacobian(double[] x) {
        if (finiteDifferences) {
            finiteDifferenceJacobian(x);
        } else {
            evaluatePoints(x, true);
            layer.jacobian(tape, jacRot, fitBetas > 0 ? jacBeta : null);
            chainRotations();
        }
        SmplFitter.RobustLoss loss = fitter.robustLoss();
        double scale = fitter.robustScale();
        double f = 0;
        for (int i = 0; i < POINTS; i++) {
            double c = pointWeight[i];
            if (c > 0) {
                double d = distance(i);
                f += c * loss.rho(d, scale);
                robustWeight[i] = loss.weight(d, scale);
            } else {
                robustWeight[i] = 0;
            }
        }
        return f + priorCost(x);
    }

    /** jac = jacRot · blockdiag(∂ω_j/∂x_j), plus the beta and translation columns. */
    private void chainRotations() {
        int o = JOINTS * rotDim;
        for (int i = 0; i < VALUES; i++) {
            int src = 3 * JOINTS * i;
            int dst = n * i;
            for (int j = 0; j < JOINTS; j++) {
                double a0 = jacRot[src + 3 * j];
                double a1 = jacRot[src + 3 * j + 1];
                double a2 = jacRot[src + 3 * j + 2];
                int m = 3 * rotDim * j;
                for (int u = 0; u < rotDim; u++) {
                    jac[dst + rotDim * j + u] = a0 * omegaJac[m + u] + a1 * omegaJac[m + rotDim + u]
                            + a2 * omegaJac[m + 2 * rotDim + u];
                }
            }
            for (int b = 0; b < fitBetas; b++) {
                jac[dst + o + b] = jacBeta[betaCount * i + b];
            }
            for (int k = 0; k < fitTransl; k++) {
                jac[dst + o + fitBetas + k] = i % 3 == k ? 1 : 0;
            }
        }
    }

    /** Central differences of the points over x, step 1e-3 (the float32 forward pass limits smaller steps). */
    private void finiteDifferenceJacobian(double[] x) {
        double h = 1e-3;
        System.arraycopy(x, 0, xWork, 0, n);
        for (int q = 0; q < n; q++) {
            double keep = xWork[q];
            xWork[q] = keep + h;
            evaluatePoints(xWork, false);
            for (int i = 0; i < VALUES; i++) {
                fdPlus[i] = points[i];
            }
            xWork[q] = keep - h;
            evaluatePoints(xWork, false);
            for (int i = 0; i < VALUES; i++) {
                jac[n * i + q] = (fdPlus[i] - points[i]) / (2 * h);
            }
            xWork[q] = keep;
        }
        evaluatePoints(x, false);
    }

    private double priorCost(double[] x) {
        double f = 0;
        int o = JOINTS * rotDim;
        double lb = fitter.betaPrior();
        for (int b = 0; b < fitBetas; b++) {
            f += 0.5 * lb * x[o + b] * x[o + b];
        }
        double ll = fitter.limitPrior();
        if (ll > 0) {
            thetas(x, false);
            for (int j = 1; j < JOINTS; j++) {
                for (int a = 0; a < 3; a++) {
                    double v = violation(j, a);
                    f += 0.5 * ll * v * v;
                }
            }
        }
        if (previous != null) {
            double ls = fitter.smoothness();
            for (int q = 0; q < n; q++) {
                double d = x[q] - previous[q];
                f += 0.5 * ls * d * d;
            }
        }
        return f;
    }

    private void priorLinearization(double[] x, double[] a, double[] g) {
        int o = JOINTS * rotDim;
        double lb = fitter.betaPrior();
        for (int b = 0; b < fitBetas; b++) {
            int p = o + b;
            a[n * p + p] += lb;
            g[p] += lb * x[p];
        }
        double ll = fitter.limitPrior();
        if (ll > 0) {
            thetas(x, true);
            for (int j = 1; j < JOINTS; j++) {
                for (int ax = 0; ax < 3; ax++) {
                    double v = violation(j, ax);
                    if (v == 0) {
                        continue;
                    }
                    // row = ∂θ_ja/∂x_j (rotDim values at columns rotDim j ..)
                    int m = 3 * rotDim * j + rotDim * ax;
                    int c0 = rotDim * j;
                    for (int u = 0; u < rotDim; u++) {
                        double ju = thetaJac[m + u];
                        g[c0 + u] += ll * v * ju;
                        for (int w = u; w < rotDim; w++) {
                            a[n * (c0 + u) + c0 + w] += ll * ju * thetaJac[m + w];
                        }
                    }
                }
            }
        }
        if (previous != null) {
            double ls = fitter.smoothness();
            for (int q = 0; q < n; q++) {
                a[n * q + q] += ls;
                g[q] += ls * (x[q] - previous[q]);
            }
        }
    }

    private void priorResiduals(double[] x, double[] r, double[] jr, int row) {
        int o = JOINTS * rotDim;
        double sb = Math.sqrt(fitter.betaPrior());
        for (int b = 0; b < fitBetas; b++) {
            r[row] = sb * x[o + b];
            jr[n * row + o + b] = sb;
            row++;
        }
        double ll = fitter.limitPrior();
        double sl = Math.sqrt(ll);
        if (ll > 0) {
            thetas(x, true);
        }
        for (int j = 1; j < JOINTS; j++) {
            for (int ax = 0; ax < 3; ax++) {
                double v = ll > 0 ? violation(j, ax) : 0;
                r[row] = sl * v;
                if (v != 0) {
                    int m = 3 * rotDim * j + rotDim * ax;
                    for (int u = 0; u < rotDim; u++) {
                        jr[n * row + rotDim * j + u] = sl * thetaJac[m + u];
                    }
                }
                row++;
            }
        }
        if (previous != null) {
            double ss = Math.sqrt(fitter.smoothness());
            for (int q = 0; q < n; q++) {
                r[row] = ss * (x[q] - previous[q]);
                jr[n * row + q] = ss;
                row++;
            }
        }
    }

    /** The axis-angles θ of x's body joints (and ∂θ/∂x_j into {@link #thetaJac} when asked). */
    private void thetas(double[] x, boolean derivative) {
        if (!sixD) {
            for (int i = 0; i < 3 * JOINTS; i++) {
                theta[i] = x[i];
            }
            if (derivative) {
                Arrays.fill(thetaJac, 0);
                for (int j = 0; j < JOINTS; j++) {
                    for (int a = 0; a < 3; a++) {
                        thetaJac[9 * j + 3 * a + a] = 1;
                    }
                }
            }
            return;
        }
        setRotations(x, derivative);
        Rotations.matrixToAxisAngle(rotations, 0, aa, 0, JOINTS);
        for (int i = 0; i < 3 * JOINTS; i++) {
            theta[i] = aa[i];
        }
        if (derivative) {
            // ∂θ = J_r(θ)⁻¹ ∂ω
            double[] inv = new double[9];
            for (int j = 0; j < JOINTS; j++) {
                inverseRightJacobian(theta[3 * j], theta[3 * j + 1], theta[3 * j + 2], inv);
                int m = 18 * j;
                for (int a = 0; a < 3; a++) {
                    for (int u = 0; u < 6; u++) {
                        thetaJac[m + 6 * a + u] = inv[3 * a] * omegaJac[m + u] + inv[3 * a + 1] * omegaJac[m + 6 + u]
                                + inv[3 * a + 2] * omegaJac[m + 12 + u];
                    }
                }
            }
        }
    }

    private double violation(int joint, int axis) {
        double v = theta[3 * joint + axis];
        double lo = JointLimits.lower(joint, axis);
        double hi = JointLimits.upper(joint, axis);
        return v < lo ? v - lo : v > hi ? v - hi : 0;
    }

    private double distance(int i) {
        double dx = points[3 * i] - target[3 * i];
        double dy = points[3 * i + 1] - target[3 * i + 1];
        double dz = points[3 * i + 2] - target[3 * i + 2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    /** The 41 model points at x into {@link #points}; with {@code derivative}, ∂ω/∂x into {@link #omegaJac}. */
    private void evaluatePoints(double[] x, boolean derivative) {
        setRotations(x, derivative);
        setBetas(x);
        layer.forward(rotations, betas, points, tape);
        int o = JOINTS * rotDim + fitBetas;
        if (fitTransl > 0 || fixedTransl[0] != 0 || fixedTransl[1] != 0 || fixedTransl[2] != 0) {
            for (int k = 0; k < 3; k++) {
                float t = fitTransl > 0 ? (float) x[o + k] : fixedTransl[k];
                for (int i = 0; i < POINTS; i++) {
                    points[3 * i + k] += t;
                }
            }
        }
    }

    private void setBetas(double[] x) {
        int o = JOINTS * rotDim;
        for (int b = 0; b < betaCount; b++) {
            betas[b] = fitBetas > 0 ? (float) x[o + b] : fixedBetas[b];
        }
    }

    private void setRotations(double[] x, boolean derivative) {
        double[] r = rot9;
        for (int j = 0; j < JOINTS; j++) {
            if (sixD) {
                gramSchmidt(x, 6 * j, r, derivative ? omegaJac : null, 18 * j);
            } else {
                rodrigues(x[3 * j], x[3 * j + 1], x[3 * j + 2], r);
                if (derivative) {
                    rightJacobian(x[3 * j], x[3 * j + 1], x[3 * j + 2], omegaJac, 9 * j);
                }
            }
            for (int e = 0; e < 9; e++) {
                rotations[9 * j + e] = (float) r[e];
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // rotation parametrisations, float64

    /** Rodrigues' formula, R = I + sin t [k]× + (1 − cos t) [k]×², exactly I at zero. */
    static void rodrigues(double x, double y, double z, double[] r) {
        double t2 = x * x + y * y + z * z;
        double a;
        double b;
        if (t2 < 1e-8) {
            a = 1 - t2 / 6;
            b = 0.5 - t2 / 24;
        } else {
            double t = Math.sqrt(t2);
            a = Math.sin(t) / t;
            b = (1 - Math.cos(t)) / t2;
        }
        // R = I + a [θ]× + b [θ]×², [θ]×² = θθᵀ − t² I
        r[0] = 1 + b * (x * x - t2);
        r[1] = -a * z + b * x * y;
        r[2] = a * y + b * x * z;
        r[3] = a * z + b * x * y;
        r[4] = 1 + b * (y * y - t2);
        r[5] = -a * x + b * y * z;
        r[6] = -a * y + b * x * z;
        r[7] = a * x + b * y * z;
        r[8] = 1 + b * (z * z - t2);
    }

    /**
     * The right Jacobian of SO(3), {@code R(θ + δ) = R(θ) exp([J_r(θ) δ]×) + O(δ²)}:
     * {@code J_r = I − (1 − cos t)/t² [θ]× + (t − sin t)/t³ [θ]×²}, its series below t = 1e-4.
     */
    static void rightJacobian(double x, double y, double z, double[] out, int off) {
        double t2 = x * x + y * y + z * z;
        double a;
        double b;
        if (t2 < 1e-8) {
            a = 0.5 - t2 / 24;
            b = 1.0 / 6 - t2 / 120;
        } else {
            double t = Math.sqrt(t2);
            a = (1 - Math.cos(t)) / t2;
            b = (t - Math.sin(t)) / (t2 * t);
        }
        skewTerms(x, y, z, t2, -a, b, out, off);
    }

    /**
     * The inverse right Jacobian, {@code J_r⁻¹ = I + ½[θ]× + (1/t² − (1 + cos t)/(2 t sin t)) [θ]×²}; the
     * coefficient is held at its value for sin t = 1e-3 near t = π, where it diverges.
     */
    static void inverseRightJacobian(double x, double y, double z, double[] out) {
        double t2 = x * x + y * y + z * z;
        double c;
        if (t2 < 1e-8) {
            c = 1.0 / 12 + t2 / 720;
        } else {
            double t = Math.sqrt(t2);
            double s = Math.max(Math.sin(t), 1e-3);
            c = 1 / t2 - (1 + Math.cos(t)) / (2 * t * s);
        }
        skewTerms(x, y, z, t2, 0.5, c, out, 0);
    }

    /** {@code out = I + a [θ]× + b [θ]×²} (3, 3) at {@code off}. */
    private static void skewTerms(double x, double y, double z, double t2, double a, double b, double[] out,
            int off) {
        out[off] = 1 + b * (x * x - t2);
        out[off + 1] = -a * z + b * x * y;
        out[off + 2] = a * y + b * x * z;
        out[off + 3] = a * z + b * x * y;
        out[off + 4] = 1 + b * (y * y - t2);
        out[off + 5] = -a * x + b * y * z;
        out[off + 6] = -a * y + b * x * z;
        out[off + 7] = a * x + b * y * z;
        out[off + 8] = 1 + b * (z * z - t2);
    }

    /**
     * The rotation of a 6D value by Gram–Schmidt (columns b1, b2, b3 from a1, a2, as
     * {@link Rotations#rotation6dToMatrix}), and optionally {@code ∂ω/∂(a1, a2)} (3, 6) at {@code off}, with
     * {@code [dω]× = Rᵀ dR}: {@code dω = (b3·db2, b1·db3, b2·db1)}. Degenerate values (zero or parallel
     * columns)
     * fall back to the identity's columns.
     */
    static void gramSchmidt(double[] s, int sOff, double[] r, double[] dOmega, int off) {
        double a1x = s[sOff];
        double a1y = s[sOff + 1];
        double a1z = s[sOff + 2];
        double a2x = s[sOff + 3];
        double a2y = s[sOff + 4];
        double a2z = s[sOff + 5];
        double n1 = Math.sqrt(a1x * a1x + a1y * a1y + a1z * a1z);
        if (!(n1 > 1e-12)) {
            a1x = 1;
            a1y = 0;
            a1z = 0;
            n1 = 1;
        }
        double[] b1 = {a1x / n1, a1y / n1, a1z / n1};
        double dot = b1[0] * a2x + b1[1] * a2y + b1[2] * a2z;
        double[] p = {a2x - dot * b1[0], a2y - dot * b1[1], a2z - dot * b1[2]};
        double np = Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
        if (!(np > 1e-9)) {
            // a2 parallel to a1: any perpendicular will do
            double[] e = Math.abs(b1[0]) < 0.9 ? new double[] {1, 0, 0} : new double[] {0, 1, 0};
            double d = b1[0] * e[0] + b1[1] * e[1] + b1[2] * e[2];
            p = new double[] {e[0] - d * b1[0], e[1] - d * b1[1], e[2] - d * b1[2]};
            np = Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
        }
        double[] b2 = {p[0] / np, p[1] / np, p[2] / np};
        double[] b3 = cross(b1, b2);
        for (int i = 0; i < 3; i++) {
            r[3 * i] = b1[i];
            r[3 * i + 1] = b2[i];
            r[3 * i + 2] = b3[i];
        }
        if (dOmega == null) {
            return;
        }
        double[] a2 = {a2x, a2y, a2z};
        for (int u = 0; u < 6; u++) {
            double[] da1 = new double[3];
            double[] da2 = new double[3];
            if (u < 3) {
                da1[u] = 1;
            } else {
                da2[u - 3] = 1;
            }
            // db1 = (I − b1 b1ᵀ) da1 / |a1|
            double[] db1 = reject(da1, b1, 1 / n1);
            // dp = da2 − (db1·a2 + b1·da2) b1 − (b1·a2) db1
            double k = dotp(db1, a2) + dotp(b1, da2);
            double[] dp = new double[3];
            for (int i = 0; i < 3; i++) {
                dp[i] = da2[i] - k * b1[i] - dot * db1[i];
            }
            double[] db2 = reject(dp, b2, 1 / np);
            double[] db3 = add(cross(db1, b2), cross(b1, db2));
            dOmega[off + u] = dotp(b3, db2);
            dOmega[off + 6 + u] = dotp(b1, db3);
            dOmega[off + 12 + u] = dotp(b2, db1);
        }
    }

    private static double[] reject(double[] v, double[] unit, double scale) {
        double d = dotp(v, unit);
        return new double[] {(v[0] - d * unit[0]) * scale, (v[1] - d * unit[1]) * scale,
            (v[2] - d * unit[2]) * scale};
    }

    private static double dotp(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static double[] add(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }
}
