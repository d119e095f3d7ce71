package dev.smplr.smpl;

import java.util.Arrays;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.exception.TooManyIterationsException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.util.Pair;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The two Levenberg–Marquardt solvers of {@link SmplFitter}, on a {@link FitProblem}.
 *
 * <p>{@link #nielsen}: the normal equations {@code (A + μI) h = −g} solved by Cholesky (EJML), with Nielsen's
 * damping update (Madsen, Nielsen, Tingleff, "Methods for non-linear least squares problems", 2004, alg. 3.16):
 * {@code μ₀ = τ·max A_ii}; a step is taken when the gain ratio
 * {@code ϱ = (F(x) − F(x + h)) / (½ hᵀ(μh − g))}
 * is positive, then {@code μ ← μ·max(1/3, 1 − (2ϱ − 1)³)}, {@code ν ← 2}; otherwise {@code μ ← μν},
 * {@code ν ← 2ν}. Each iteration costs one linear solve and one cost evaluation, plus one linearisation per
 * accepted step.
 *
 * <p>{@link #commonsMath}: Commons Math's {@code LevenbergMarquardtOptimizer} (MINPACK's trust-region LM on a QR
 * of the whole weighted Jacobian), on {@link FitProblem#residuals}.
 */
final class LevenbergMarquardt {
    /** Stop when the gradient's largest component falls below this (cost in m², so about 1e-7 mm). */
    private static final double GRADIENT_TOLERANCE = 1e-16;
    /** Stop when a step is this small relative to x. */
    private static final double STEP_TOLERANCE = 1e-10;
    /** Stop when an accepted step lowers the cost by less than this fraction of it. */
    private static final double COST_TOLERANCE = 1e-7;

    private LevenbergMarquardt() {
    }

    /**
     * Minimises the problem's cost from x with at most {@code iterations} solves.
     *
     * @param problem    the problem, targeted. Modified (its scratch).
     * @param x          the start; receives the result. Modified.
     * @param iterations the most iterations (linear solves)
     * @param tau        the initial damping relative to the largest diagonal entry of A
     * @return the iterations used
     */
    static int nielsen(FitProblem problem, double[] x, int iterations, double tau) {
        int n = problem.n;
        double[] a = new double[n * n];
        double[] g = new double[n];
        double[] xNew = new double[n];
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        DMatrixRMaj b = new DMatrixRMaj(n, 1);
        DMatrixRMaj h = new DMatrixRMaj(n, 1);
        LinearSolverDense<DMatrixRMaj> cholesky = LinearSolverFactory_DDRM.chol(n);
        double f = problem.linearize(x, a, g);
        double maxDiag = 0;
        for (int i = 0; i < n; i++) {
            maxDiag = Math.max(maxDiag, a[n * i + i]);
        }
        double mu = tau * maxDiag;
        double nu = 2;
        int it = 0;
        while (it < iterations) {
            if (maxAbs(g) <= GRADIENT_TOLERANCE) {
                break;
            }
            it++;
            System.arraycopy(a, 0, m.data, 0, n * n);
            for (int i = 0; i < n; i++) {
                m.data[n * i + i] += mu;
                b.data[i] = -g[i];
            }
            if (!cholesky.setA(m)) {
                mu = Math.max(mu * nu, 1e-30);
                nu *= 2;
                continue;
            }
            cholesky.solve(b, h);
            double hNorm = 0;
            double xNorm = 0;
            for (int i = 0; i < n; i++) {
                hNorm += h.data[i] * h.data[i];
                xNorm += x[i] * x[i];
            }
            if (Math.sqrt(hNorm) <= STEP_TOLERANCE * (Math.sqrt(xNorm) + STEP_TOLERANCE)) {
                break;
            }
            double predicted = 0;
            for (int i = 0; i < n; i++) {
                xNew[i] = x[i] + h.data[i];
                predicted += 0.5 * h.data[i] * (mu * h.data[i] - g[i]);
            }
            problem.normalize(xNew);
            double fNew = problem.cost(xNew);
            double gain = (f - fNew) / predicted;
            if (gain > 0 && Double.isFinite(fNew)) {
                System.arraycopy(xNew, 0, x, 0, n);
                if (f - fNew <= COST_TOLERANCE * f) {
                    break;
                }
                f = problem.linearize(x, a, g);
                double q = 2 * gain - 1;
                mu *= Math.max(1.0 / 3, 1 - q * q * q);
                nu = 2;
            } else {
                mu *= nu;
                nu *= 2;
            }
        }
        return it;
    }

    /**
     * Minimises with Commons Math's optimizer: at most {@code iterations} iterations (Jacobian evaluations).
     *
     * @param problem    the problem, targeted. Modified (its scratch).
     * @param x          the start; receives the result. Modified.
     * @param iterations the most iterations
     * @return the iterations used
     */
    static int commonsMath(FitProblem problem, double[] x, int iterations) {
        int n = problem.n;
        int m = problem.residualCount();
        double[] r = new double[m];
        double[] jr = new double[m * n];
        double[] point = new double[n];
        // MINPACK's trust region has no damping τ: its default initial step bound (factor 100) is kept
        LevenbergMarquardtOptimizer optimizer = new LevenbergMarquardtOptimizer()
                .withCostRelativeTolerance(1e-12)
                .withParameterRelativeTolerance(1e-12)
                .withOrthoTolerance(1e-14);
        // The optimizer throws when it runs out of iterations rather than returning its best point, so the
        // best point is kept by tracking the cost of every evaluation.
        double[] best = x.clone();
        double[] bestCost = {problem.cost(x)};
        LeastSquaresBuilder tracking = new LeastSquaresBuilder()
                .start(x.clone())
                .target(new double[m])
                .maxIterations(Math.max(1, iterations))
                .maxEvaluations(Math.max(2, 4 * iterations + 4))
                .lazyEvaluation(false)
                .model(p -> {
            for (int i = 0; i < n; i++) {
                point[i] = p.getEntry(i);
            }
            problem.normalize(point);
            problem.residuals(point, r, jr);
            double c = 0;
            for (double v : r) {
                c += 0.5 * v * v;
            }
            if (c < bestCost[0]) {
                bestCost[0] = c;
                System.arraycopy(point, 0, best, 0, n);
            }
            double[][] rows = new double[m][];
            for (int i = 0; i < m; i++) {
                rows[i] = Arrays.copyOfRange(jr, n * i, n * i + n);
            }
            return new Pair<RealVector, RealMatrix>(new ArrayRealVector(r, true),
                    new Array2DRowRealMatrix(rows, false));
        });
        int used;
        try {
            LeastSquaresOptimizer.Optimum optimum = optimizer.optimize(tracking.build());
            used = optimum.getIterations();
        } catch (TooManyIterationsException | TooManyEvaluationsException e) {
            used = iterations;
        }
        System.arraycopy(best, 0, x, 0, n);
        return used;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }
}
