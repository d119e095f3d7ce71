package dev.smplr.smpl;

import dev.smplr.core.BodyEstimate;
import dev.smplr.core.BodyRefiner;
import dev.smplr.core.JointGroup;
import dev.smplr.core.Rotations;
import dev.smplr.core.SmplJoint;
import dev.smplr.core.SmplrLandmark;
import dev.smplr.core.SmplrPoints;
import dev.smplr.core.internal.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Optimisation refinement of an SMPL estimate (GitHub issue 7): fits the pose, and optionally the shape and a
 * translation, of a {@link SmplModel} to 41 root-relative SMPLR points by Levenberg–Marquardt, starting from an
 * estimate (SMPLR's) or from the rest pose. The cost, over the target points i with weight c_i (the point's
 * weight times its confidence):
 *
 * <pre>
 * F = Σ_i c_i ρ(|p_i(θ, β) + t − q_i|) + ½ λ_β |β|² + ½ λ_lim Σ_{j≥1, a} viol(θ_ja)² (+ ½ λ_s |x − x_prev|²)
 * </pre>
 * p_i the model's points ({@link SmplPointsLayer}), q_i the targets, ρ the robust loss ({@link RobustLoss}), viol
 * the distance of each body-joint axis-angle component outside {@link JointLimits} (the table the default
 * {@link PoseSampler} draws from), and the last term only in {@link #fitSequence} with a smoothness weight.
 *
 * <p>The Jacobian is analytic: {@link SmplPointsLayer#jacobian} (the layer the regressor's training loss
 * differentiates through) gives ∂p/∂(local rotation increments) and ∂p/∂β, chained with the derivative of the
 * rotation parametrisation (the right Jacobian of SO(3) for axis-angle, Gram–Schmidt's for 6D). A central
 * finite-difference Jacobian is an option, for comparison (it costs 2n forward passes per iteration).
 *
 * <p><b>Defaults</b>: axis-angle, betas fitted (the model's first 10), no translation (the points are
 * root-relative), every point weight 1, Huber loss at 5 cm, λ_β = 1e-5, λ_lim = 1e-2, 50 iterations, initial
 * damping τ = 1e-3, the hand-written solver ({@link Solver#NIELSEN}).
 *
 * <p><b>Speed</b> ({@code SmplFitterBenchmark}, JMH, the shared 2-core AMD EPYC development machine in a quiet
 * moment, demo body, exact points, the ground truth perturbed as start): one refinement of 10 iterations 2.6 ms
 * (the target is 5 ms; up to 5.7 ms while other workers loaded the machine); 1,000 frames on 2 threads
 * 1.5 ms a frame (670 frames/s); from the rest pose with 30 iterations 6.8 ms with the analytic Jacobian against
 * 27 ms with finite differences (the Minimal-IK-like setting). An iteration costs about 0.25 ms of CPU: the
 * Jacobian 30 µs, the normal equations 90 µs, the Cholesky solve of the 82 × 82 system 70 µs.
 *
 * <p>Immutable and thread-safe: each fit running at a time uses its own scratch (about 300 KB), kept for reuse.
 *
 * <pre>{@code
 * SmplFitter fitter = SmplFitter.of(SmplModel.demo(Gender.NEUTRAL));
 * SmplEstimate refined = fitter.fit(points41, regressor.regress(points41));
 * }</pre>
 */
public final class SmplFitter implements BodyRefiner {
    private static final int POINTS = SmplrPoints.COUNT;

    /** How the fit parametrises each joint's rotation. */
    public enum Rotation {
        /** Three axis-angle values per joint (SMPL's own parameters). */
        AXIS_ANGLE,
        /**
         * Six values per joint, the first two columns of the rotation (Zhou et al. 2019), orthonormalised by
         * Gram–Schmidt: continuous everywhere, at the price of three redundant values per joint (the damping
         * keeps them from drifting; they are re-normalised after every step).
         */
        SIX_D
    }

    /** The robust loss ρ on a point's distance d, with scale s (metres). */
    public enum RobustLoss {
        /** {@code ρ(d) = d²/2}: plain least squares. */
        SQUARED {
            @Override
            double rho(double d, double s) {
                return 0.5 * d * d;
            }

            @Override
            double weight(double d, double s) {
                return 1;
            }
        },
        /** {@code ρ(d) = d²/2} up to s, then {@code s(d − s/2)}: linear growth beyond s. */
        HUBER {
            @Override
            double rho(double d, double s) {
                return d <= s ? 0.5 * d * d : s * (d - 0.5 * s);
            }

            @Override
            double weight(double d, double s) {
                return d <= s ? 1 : s / d;
            }
        },
        /** {@code ρ(d) = (s²/2) d²/(s² + d²)}: bounded by s²/2, far outliers stop pulling (Geman–McClure). */
        GEMAN_MCCLURE {
            @Override
            double rho(double d, double s) {
                return 0.5 * s * s * d * d / (s * s + d * d);
            }

            @Override
            double weight(double d, double s) {
                double q = s * s + d * d;
                return s * s * s * s / (q * q);
            }
        };

        /** @return ρ(d) */
        abstract double rho(double d, double s);

        /** @return the IRLS weight ρ'(d)/d */
        abstract double weight(double d, double s);
    }

    /** How the Jacobian of the points is computed. */
    public enum JacobianMode {
        /** {@link SmplPointsLayer#jacobian}, chained with the parametrisation's derivative. */
        ANALYTIC,
        /** Central differences over every parameter (step 1e-3): as Minimal-IK-style fitters do; slower. */
        FINITE_DIFFERENCES
    }

    /**
     * The Levenberg–Marquardt implementation. Measured with {@code SmplFitterBenchmark.refine10} (JMH, at most 10
     * iterations from a perturbed pose, analytic Jacobian, 2-core development machine): {@link #NIELSEN} 2.6 ms,
     * {@link #COMMONS_MATH} 52 ms in a quiet moment (2.7–5.7 ms against 233–804 ms in loaded runs), so the
     * hand-written solver is the default.
     * Commons Math rebuilds and QR-factorises the whole weighted Jacobian (202 × 82 with the priors) through its
     * {@code RealMatrix} API at every evaluation; the normal equations are built from the sparse rows directly and
     * solved by an 82 × 82 Cholesky.
     */
    public enum Solver {
        /** Normal equations, Cholesky (EJML), Nielsen's damping update: the default. */
        NIELSEN,
        /** Commons Math's {@code LevenbergMarquardtOptimizer} (MINPACK; QR of the full weighted Jacobian). */
        COMMONS_MATH
    }

    private final SmplModel body;
    private final SmplPointsLayer layer;
    private final Rotation rotation;
    private final boolean fitBetas;
    private final boolean fitTranslation;
    private final int betaCount;
    private final boolean[] targets;
    private final float[] weights;
    private final double betaPrior;
    private final double limitPrior;
    private final RobustLoss robustLoss;
    private final double robustScale;
    private final int iterations;
    private final double damping;
    private final JacobianMode jacobianMode;
    private final Solver solver;
    private final double smoothness;
    private final boolean alignRoot;
    /**
     * Scratch of finished fits, reused by the next (a pool rather than a ThreadLocal, whose values would keep
     * this fitter reachable from every thread that ever used it).
     */
    private final ConcurrentLinkedQueue<FitProblem> spare = new ConcurrentLinkedQueue<>();

    private SmplFitter(Builder b) {
        body = b.body;
        layer = SmplPointsLayer.of(body);
        rotation = b.rotation;
        fitBetas = b.fitBetas;
        fitTranslation = b.fitTranslation;
        betaCount = b.betaCount;
        targets = b.targets.clone();
        weights = b.weights.clone();
        betaPrior = b.betaPrior;
        limitPrior = b.limitPrior;
        robustLoss = b.robustLoss;
        robustScale = b.robustScale;
        iterations = b.iterations;
        damping = b.damping;
        jacobianMode = b.jacobianMode;
        solver = b.solver;
        smoothness = b.smoothness;
        alignRoot = b.alignRoot;
    }

    /**
     * A fitter with the default settings (class Javadoc).
     *
     * @param body the body model to fit. Kept.
     * @return the fitter
     * @throws IllegalArgumentException if {@code body} is null
     */
    public static SmplFitter of(SmplModel body) {
        return builder(body).build();
    }

    /**
     * @param body the body model to fit. Kept.
     * @return a builder with the default settings
     * @throws IllegalArgumentException if {@code body} is null
     */
    public static Builder builder(SmplModel body) {
        return new Builder(Checks.notNull("body", body));
    }

    /** @return a builder holding this fitter's settings, for variants */
    public Builder toBuilder() {
        Builder b = new Builder(body);
        b.rotation = rotation;
        b.fitBetas = fitBetas;
        b.fitTranslation = fitTranslation;
        b.betaCount = betaCount;
        b.targets = targets.clone();
        b.weights = weights.clone();
        b.betaPrior = betaPrior;
        b.limitPrior = limitPrior;
        b.robustLoss = robustLoss;
        b.robustScale = robustScale;
        b.iterations = iterations;
        b.damping = damping;
        b.jacobianMode = jacobianMode;
        b.solver = solver;
        b.smoothness = smoothness;
        b.alignRoot = alignRoot;
        return b;
    }

    /** @return the body model this fitter poses */
    public SmplModel body() {
        return body;
    }

    /**
     * Fits the body to 41 points.
     *
     * @param points41 the target points, 41 root-relative points (123 values), metres; points that are not
     *                 targets may be NaN. Not modified.
     * @param initial  the estimate to start from, or null for the rest pose and mean shape. Its pose starts the
     *                 fit; its betas start it (or stay fixed when betas are not fitted); its translation stays
     *                 unless the translation is fitted.
     * @return the fitted estimate, for {@link SmplModel#gender()} of the body
     * @throws IllegalArgumentException if {@code points41} is null or not 123 values, a target point is not
     *                                  finite, every point is left out, or the initial estimate has more betas
     *                                  than the fit uses
     */
    public SmplEstimate fit(float[] points41, SmplEstimate initial) {
        return fit(points41, null, initial);
    }

    /**
     * Fits the body to 41 points with a confidence per point: a point's weight is multiplied by its confidence,
     * and confidence 0 leaves it out (a missing point, which may then be NaN).
     *
     * @param points41   the target points, 123 values, metres. Not modified.
     * @param confidence 41 finite values, 0 or more, or null for all 1. Not modified.
     * @param initial    the estimate to start from, or null for the rest pose and mean shape
     * @return the fitted estimate
     * @throws IllegalArgumentException if an array has the wrong length, a confidence is negative or not finite,
     *                                  a point with positive weight is not finite, every point has weight 0, or
     *                                  the initial estimate has more betas than the fit uses
     */
    public SmplEstimate fit(float[] points41, float[] confidence, SmplEstimate initial) {
        return solve(points41, confidence, initial, null).estimate;
    }

    /**
     * {@link BodyRefiner}: {@link #fit(float[], SmplEstimate)} from any estimate's pose and betas.
     *
     * @param points41 the target points. Not modified.
     * @param initial  the estimate to start from, or null
     * @return the fitted {@link SmplEstimate}
     * @throws IllegalArgumentException as {@link #fit(float[], SmplEstimate)}, or if the initial pose is not 72
     *                                  finite values
     */
    @Override
    public SmplEstimate refine(float[] points41, BodyEstimate initial) {
        return solve(points41, null, initial, null).estimate;
    }

    /**
     * Fits many independent frames in parallel, one per core (the common fork-join pool).
     *
     * @param frames   the target points of each frame. Not modified.
     * @param initials the start of each frame (elements may be null), or null to start every frame from rest
     * @return the fitted estimates, in order
     * @throws IllegalArgumentException if a list is null or of a different size, or a frame is bad as in
     *                                  {@link #fit(float[], SmplEstimate)} (named {@code frames[i]})
     */
    public List<SmplEstimate> fitAll(List<float[]> frames, List<SmplEstimate> initials) {
        return fitAll(frames, initials, ForkJoinPool.commonPool().getParallelism() + 1);
    }

    /**
     * {@link #fitAll(List, List)} on a given number of threads.
     *
     * @param frames   the target points of each frame. Not modified.
     * @param initials the start of each frame, or null
     * @param threads  how many threads to use, 1 or more (1: on the calling thread)
     * @return the fitted estimates, in order
     * @throws IllegalArgumentException as {@link #fitAll(List, List)}, or if {@code threads} is below 1
     */
    public List<SmplEstimate> fitAll(List<float[]> frames, List<SmplEstimate> initials, int threads) {
        Checks.notNull("frames", frames);
        if (initials != null && initials.size() != frames.size()) {
            throw new IllegalArgumentException("initials: expected " + frames.size() + " (one per frame), got "
                    + initials.size());
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads: expected 1 or more, got " + threads);
        }
        int n = frames.size();
        SmplEstimate[] out = new SmplEstimate[n];
        Runnable work = () -> IntStream.range(0, n).parallel().forEach(i -> out[i] = fitFrame(frames, initials, i));
        if (threads == 1) {
            for (int i = 0; i < n; i++) {
                out[i] = fitFrame(frames, initials, i);
            }
        } else if (threads == ForkJoinPool.commonPool().getParallelism() + 1) {
            work.run();
        } else {
            ForkJoinPool pool = new ForkJoinPool(threads);
            try {
                pool.submit(work).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("fitAll interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdown();
            }
        }
        return List.of(out);
    }

    /**
     * Fits a sequence: frame 0 from {@code first}, every later frame from the previous frame's result, with the
     * smoothness term {@code ½ λ_s |x − x_prev|²} toward it when {@link Builder#smoothness(double)} is positive.
     * Sequential by nature; fit several sequences in parallel from separate threads.
     *
     * @param frames the target points of each frame, in time order. Not modified.
     * @param first  the start of frame 0, or null for the rest pose
     * @return the fitted estimates, in order
     * @throws IllegalArgumentException if {@code frames} is null or a frame is bad as in
     *                                  {@link #fit(float[], SmplEstimate)} (named {@code frames[i]})
     */
    public List<SmplEstimate> fitSequence(List<float[]> frames, SmplEstimate first) {
        Checks.notNull("frames", frames);
        List<SmplEstimate> out = new ArrayList<>(frames.size());
        BodyEstimate start = first;
        double[] previous = null;
        for (int i = 0; i < frames.size(); i++) {
            Fit f;
            try {
                f = solve(frames.get(i), null, start, smoothness > 0 ? previous : null);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("frames[" + i + "]: " + e.getMessage(), e);
            }
            out.add(f.estimate);
            start = f.estimate;
            previous = f.x;
        }
        return out;
    }

    @Override
    public String toString() {
        return "SmplFitter[" + body + ", " + rotation + (fitBetas ? ", " + betaCount + " betas" : ", betas fixed")
                + (fitTranslation ? ", translation" : "") + ", " + robustLoss + " " + robustScale + " m, λ_β "
                + betaPrior + ", λ_lim " + limitPrior + ", " + iterations + " iterations, τ " + damping + ", "
                + jacobianMode + ", " + solver + (smoothness > 0 ? ", λ_s " + smoothness : "") + "]";
    }

    // ---------------------------------------------------------------------------------------------------------

    /** A fit's estimate and its parameter vector. */
    record Fit(SmplEstimate estimate, double[] x, int iterations) {
    }

    private SmplEstimate fitFrame(List<float[]> frames, List<SmplEstimate> initials, int i) {
        try {
            return solve(frames.get(i), null, initials == null ? null : initials.get(i), null).estimate;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("frames[" + i + "]: " + e.getMessage(), e);
        }
    }

    Fit solve(float[] points41, float[] confidence, BodyEstimate initial, double[] previous) {
        Checks.length("points41", points41, SmplrPoints.VALUES, "41×3 root-relative points");
        if (confidence != null) {
            Checks.rows("confidence", confidence, POINTS, 1, "one per point");
        }
        double[] c = new double[POINTS];
        boolean any = false;
        for (int i = 0; i < POINTS; i++) {
            float conf = confidence == null ? 1f : confidence[i];
            if (conf < 0) {
                throw new IllegalArgumentException("confidence[" + i + "]: expected 0 or more, got " + conf);
            }
            c[i] = targets[i] ? (double) weights[i] * conf : 0;
            if (c[i] > 0) {
                any = true;
                for (int k = 0; k < 3; k++) {
                    float v = points41[3 * i + k];
                    if (!Float.isFinite(v)) {
                        throw new IllegalArgumentException("points41[" + i + "]: " + v + " in " + "xyz".charAt(k)
                                + " (" + SmplrPoints.name(i) + " is a target with weight " + c[i]
                                + "; give it confidence 0 to leave it out)");
                    }
                }
            }
        }
        if (!any) {
            throw new IllegalArgumentException("points41: every point has weight 0 (targets, weights and confidence"
                    + " leave nothing to fit)");
        }
        float[] pose = new float[3 * SmplJoint.COUNT];
        float[] betas = new float[betaCount];
        float[] transl = new float[3];
        if (initial != null) {
            Checks.rows("initial.pose", initial.pose(), SmplJoint.COUNT, 3, "24×3 axis-angle");
            float[] b = Checks.finite("initial.betas", Checks.notNull("initial.betas", initial.betas()), 1);
            if (b.length > betaCount) {
                throw new IllegalArgumentException("initial.betas: expected at most " + betaCount
                        + " values (the betas this fitter uses), got " + b.length);
            }
            System.arraycopy(initial.pose(), 0, pose, 0, pose.length);
            System.arraycopy(b, 0, betas, 0, b.length);
            if (initial instanceof SmplEstimate e) {
                System.arraycopy(e.params().transl(), 0, transl, 0, 3);
            }
        }
        FitProblem problem = problem();
        try {
            problem.target(points41, c, betas, transl, previous);
            if (initial == null && alignRoot) {
                alignRoot(problem, points41, c, pose, betas, transl);
            }
            double[] x = problem.start(pose, betas, transl);
            int used = solver == Solver.NIELSEN ? LevenbergMarquardt.nielsen(problem, x, iterations, damping)
                    : LevenbergMarquardt.commonsMath(problem, x, iterations);
            SmplParams params = new SmplParams(problem.poseOf(x), problem.betasOf(x), problem.translOf(x));
            return new Fit(new SmplEstimate(params, body.gender(), problem.rotationsOf(x)), x, used);
        } finally {
            spare.offer(problem);
        }
    }

    /**
     * The rest body's global orientation that best aligns its torso points with the targets (Kabsch: the
     * rotation nearest {@code Σ_i c_i q_i p_iᵀ}, both root-relative), into {@code pose[0..2]}; all target points
     * when fewer than three torso points are targets.
     */
    private static void alignRoot(FitProblem problem, float[] points41, double[] c, float[] pose, float[] betas,
            float[] transl) {
        float[] rest = problem.pointsOf(problem.start(pose, betas, transl));
        double[] h = new double[9];
        int used = 0;
        for (int pass = 0; pass < 2 && used < 3; pass++) {
            Arrays.fill(h, 0);
            used = 0;
            for (int i = 0; i < POINTS; i++) {
                if (c[i] == 0 || (pass == 0 && !TORSO[i])) {
                    continue;
                }
                used++;
                for (int r = 0; r < 3; r++) {
                    for (int k = 0; k < 3; k++) {
                        h[3 * r + k] += c[i] * points41[3 * i + r] * rest[3 * i + k];
                    }
                }
            }
        }
        float[] m = new float[9];
        for (int e = 0; e < 9; e++) {
            m[e] = (float) h[e];
        }
        if (used < 2) {
            return; // one point does not fix a rotation; keep the rest orientation
        }
        float[] r = new float[9];
        Rotations.projectToRotation(m, 0, r, 0);
        Rotations.matrixToAxisAngle(r, 0, pose, 0);
    }

    /** The torso's points (hips, spine, neck, collars and the torso landmarks): rigid enough to align the root. */
    private static final boolean[] TORSO = torso();

    private static boolean[] torso() {
        boolean[] t = new boolean[POINTS];
        for (SmplJoint j : new SmplJoint[] {SmplJoint.LEFT_HIP, SmplJoint.RIGHT_HIP, SmplJoint.SPINE1,
            SmplJoint.SPINE2, SmplJoint.SPINE3, SmplJoint.NECK, SmplJoint.LEFT_COLLAR, SmplJoint.RIGHT_COLLAR}) {
            t[j.ordinal() - 1] = true;
        }
        for (SmplrLandmark l : new SmplrLandmark[] {SmplrLandmark.BREAST_LEFT, SmplrLandmark.BREAST_RIGHT,
            SmplrLandmark.BELLY, SmplrLandmark.HIP_RIGHT, SmplrLandmark.HIP_LEFT}) {
            t[l.pointIndex()] = true;
        }
        return t;
    }

    /** @return scratch for one fit: a spare one or a new one */
    FitProblem problem() {
        FitProblem p = spare.poll();
        return p != null ? p : new FitProblem(this);
    }

    SmplPointsLayer layer() {
        return layer;
    }

    Rotation rotation() {
        return rotation;
    }

    boolean fitsBetas() {
        return fitBetas;
    }

    boolean fitsTranslation() {
        return fitTranslation;
    }

    int betaCount() {
        return betaCount;
    }

    double betaPrior() {
        return betaPrior;
    }

    double limitPrior() {
        return limitPrior;
    }

    RobustLoss robustLoss() {
        return robustLoss;
    }

    double robustScale() {
        return robustScale;
    }

    JacobianMode jacobianMode() {
        return jacobianMode;
    }

    double smoothness() {
        return smoothness;
    }

    /**
     * Settings of a {@link SmplFitter}; every setter checks its value at once. Reusable: {@link #build()} copies.
     */
    public static final class Builder {
        private final SmplModel body;
        private Rotation rotation = Rotation.AXIS_ANGLE;
        private boolean fitBetas = true;
        private boolean fitTranslation;
        private int betaCount;
        private boolean[] targets = new boolean[POINTS];
        private float[] weights = new float[POINTS];
        private double betaPrior = 1e-5;
        private double limitPrior = 1e-2;
        private RobustLoss robustLoss = RobustLoss.HUBER;
        private double robustScale = 0.05;
        private int iterations = 50;
        private double damping = 1e-3;
        private JacobianMode jacobianMode = JacobianMode.ANALYTIC;
        private Solver solver = Solver.NIELSEN;
        private double smoothness;
        private boolean alignRoot = true;

        private Builder(SmplModel body) {
            this.body = body;
            this.betaCount = Math.min(10, body.shapeCount());
            Arrays.fill(targets, true);
            Arrays.fill(weights, 1f);
        }

        /**
         * @param rotation the rotation parametrisation (default axis-angle)
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder rotation(Rotation rotation) {
            this.rotation = Checks.notNull("rotation", rotation);
            return this;
        }

        /**
         * @param on whether to fit the betas (default true); when off they stay at the initial estimate's
         * @return this builder
         */
        public Builder fitBetas(boolean on) {
            this.fitBetas = on;
            return this;
        }

        /**
         * @param on whether to fit a global translation added to every point (default false: the points are
         *           root-relative, so it only helps targets whose root is not at the origin)
         * @return this builder
         */
        public Builder fitTranslation(boolean on) {
            this.fitTranslation = on;
            return this;
        }

        /**
         * @param count the betas in the fit, 0..{@link SmplModel#shapeCount()} (default min(10, shape count))
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder betaCount(int count) {
            if (count < 0 || count > body.shapeCount()) {
                throw new IllegalArgumentException("betaCount: expected 0.." + body.shapeCount()
                        + " (the model's shape components), got " + count);
            }
            this.betaCount = count;
            return this;
        }

        /**
         * Fits only these of the 41 points (default all).
         *
         * @param points point indices 0..40 ({@link SmplrPoints}), at least one. Not modified.
         * @return this builder
         * @throws IllegalArgumentException if none is given or an index is out of range
         */
        public Builder targets(int... points) {
            Checks.notNull("points", points);
            if (points.length == 0) {
                throw new IllegalArgumentException("points: expected at least one target point, got none");
            }
            boolean[] t = new boolean[POINTS];
            for (int p : points) {
                t[Checks.index("points", p, POINTS)] = true;
            }
            targets = t;
            return this;
        }

        /**
         * Fits only the joints of a group (e.g. {@link JointGroup#ALL}, the paper's 16 evaluation joints).
         *
         * @param group the joint group
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder targets(JointGroup group) {
            return targets(Checks.notNull("group", group).points());
        }

        /**
         * Fits only the named points: SMPL joint names ({@code "left_knee"}) and landmark names as
         * {@link SmplrPoints#name(int)} gives them, or the sets {@code "joints"} (the 23 joints) and
         * {@code "landmarks"} (the 18 landmark vertices).
         *
         * @param names point or set names, at least one. Not modified.
         * @return this builder
         * @throws IllegalArgumentException if none is given or a name is unknown (the message lists the names)
         */
        public Builder targets(String... names) {
            Checks.notNull("names", names);
            List<Integer> picked = new ArrayList<>();
            for (String name : names) {
                if ("joints".equals(name)) {
                    for (int i = 0; i < SmplrPoints.JOINTS; i++) {
                        picked.add(i);
                    }
                } else if ("landmarks".equals(name)) {
                    for (int i = SmplrPoints.JOINTS; i < POINTS; i++) {
                        picked.add(i);
                    }
                } else {
                    int found = -1;
                    for (int i = 0; i < POINTS; i++) {
                        if (SmplrPoints.name(i).equals(name)) {
                            found = i;
                        }
                    }
                    if (found < 0) {
                        List<String> known = new ArrayList<>(List.of("joints", "landmarks"));
                        for (int i = 0; i < POINTS; i++) {
                            known.add(SmplrPoints.name(i));
                        }
                        throw new IllegalArgumentException("names: unknown point '" + name + "', expected one of "
                                + known);
                    }
                    picked.add(found);
                }
            }
            return targets(picked.stream().mapToInt(Integer::intValue).toArray());
        }

        /**
         * @param perPoint a weight per point, 41 finite values, 0 or more (default all 1). Copied.
         * @return this builder
         * @throws IllegalArgumentException if the length is wrong or a weight is negative or not finite
         */
        public Builder weights(float[] perPoint) {
            Checks.rows("perPoint", perPoint, POINTS, 1, "one weight per point");
            for (int i = 0; i < POINTS; i++) {
                if (perPoint[i] < 0) {
                    throw new IllegalArgumentException("perPoint[" + i + "]: expected 0 or more, got "
                            + perPoint[i]);
                }
            }
            weights = perPoint.clone();
            return this;
        }

        /**
         * @param lambda λ_β of the beta magnitude term ½ λ_β |β|², 0 or more (default 1e-5; the point term is in
         *               m², so 1e-5 weighs β = 1 like 3.2 mm on one point)
         * @return this builder
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder betaPrior(double lambda) {
            this.betaPrior = nonNegative("betaPrior", lambda, betaPrior);
            return this;
        }

        /**
         * @param lambda λ_lim of the joint-limit term ½ λ_lim Σ viol², 0 (off) or more (default 1e-2)
         * @return this builder
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder limitPrior(double lambda) {
            this.limitPrior = nonNegative("limitPrior", lambda, limitPrior);
            return this;
        }

        /**
         * @param loss  the robust loss (default Huber)
         * @param scale its scale s, metres, positive (default 0.05)
         * @return this builder
         * @throws IllegalArgumentException if {@code loss} is null or the scale is not positive and finite
         */
        public Builder robustLoss(RobustLoss loss, double scale) {
            Checks.notNull("loss", loss);
            if (!(scale > 0) || !Double.isFinite(scale)) {
                throw new IllegalArgumentException("scale: expected a positive distance in metres, got " + scale
                        + " (current " + robustScale + ")");
            }
            this.robustLoss = loss;
            this.robustScale = scale;
            return this;
        }

        /**
         * @param count the most Levenberg–Marquardt iterations, 1 or more (default 50); a fit stops earlier when
         *              its step or gradient vanishes
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder iterations(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("iterations: expected 1 or more, got " + count + " (current "
                        + iterations + ")");
            }
            this.iterations = count;
            return this;
        }

        /**
         * @param tau the initial damping τ of {@link Solver#NIELSEN}, relative to the largest diagonal entry of JᵀJ,
         *            positive (default 1e-3; larger starts closer to gradient descent). Commons Math's trust region
         *            does not use it.
         * @return this builder
         * @throws IllegalArgumentException if not positive and finite
         */
        public Builder damping(double tau) {
            if (!(tau > 0) || !Double.isFinite(tau)) {
                throw new IllegalArgumentException("damping: expected a positive τ, got " + tau + " (current "
                        + damping + ")");
            }
            this.damping = tau;
            return this;
        }

        /**
         * @param mode analytic (default) or finite differences
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder jacobian(JacobianMode mode) {
            this.jacobianMode = Checks.notNull("mode", mode);
            return this;
        }

        /**
         * @param solver the Levenberg–Marquardt implementation (default {@link Solver#NIELSEN})
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder solver(Solver solver) {
            this.solver = Checks.notNull("solver", solver);
            return this;
        }

        /**
         * @param lambda λ_s of the smoothness term of {@link SmplFitter#fitSequence}, ½ λ_s |x − x_prev|² over
         *               every fitted parameter, 0 (off, the default: frames only start from their predecessor)
         *               or more
         * @return this builder
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder smoothness(double lambda) {
            this.smoothness = nonNegative("smoothness", lambda, smoothness);
            return this;
        }

        /**
         * @param on whether a fit without an initial estimate first turns the rest body to align its torso
         *           points with the targets (Kabsch), so that it does not start up to 180° off (default true)
         * @return this builder
         */
        public Builder alignRoot(boolean on) {
            this.alignRoot = on;
            return this;
        }

        /** @return the fitter */
        public SmplFitter build() {
            return new SmplFitter(this);
        }

        private static double nonNegative(String name, double v, double current) {
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException(name + ": expected a finite value, 0 or more, got " + v
                        + " (current " + current + ")");
            }
            return v;
        }
    }
}
