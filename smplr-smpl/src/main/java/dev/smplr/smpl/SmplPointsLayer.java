package dev.smplr.smpl;

import dev.smplr.core.SmplrPoints;
import dev.smplr.core.internal.Checks;
import java.util.Arrays;

/**
 * The SMPL forward pass restricted to the 41 SMPLR points, with its exact analytic gradient (SPEC.md 15.5): the
 * layer that fine-tunes the regressors through SMPL and that an optimisation fitter descends.
 *
 * <pre>
 * J        = J_regressor·v_template + (J_regressor·shapedirs)·β                  (24, 3)
 * feature  = concat_{j=1..23} (R_j − I)                                          (207)
 * x_l      = v_template_l + shapedirs_l·β + posedirs_l·feature,  l = 18 landmark vertices
 * G_0 = [R_0 | J_0],  G_j = G_parent(j)·[R_j | J_j − J_parent(j)]
 * A_j      = G_j − [0 | G_j·(J_j, 0)]
 * y_l      = Σ_j W[l, j] A_j·(x_l, 1)
 * points   = (t_1 − t_0, ..., t_23 − t_0, y_1 − t_0, ..., y_18 − t_0)            (41, 3), t_j = translation of G_j
 * </pre>
 *
 * <p>The rotations are taken as given, orthonormal or not (a regressor's raw output in training, SPEC.md 5), in
 * the chain and in the pose feature alike. {@link #forward} runs the arithmetic of
 * {@link SmplModel#smplrPoints(SmplParams)} in the same order, so its points equal that method's bit for bit for
 * the same rotations and betas (with no translation). {@link #backward} is the chain rule through every step, in
 * float64, from what the forward pass recorded on its {@link Tape}: the gradient with respect to every rotation
 * entry (through the chain and the pose blend) and every beta (through the joint regression and the shape blend
 * of the landmark vertices).
 *
 * <p>Immutable and thread-safe; each thread uses its own tape.
 */
public final class SmplPointsLayer {
    /** Joints, 24. */
    private static final int JOINTS = ModelData.JOINTS;
    /** Pose-blend features, 207. */
    private static final int FEATURES = ModelData.POSE_FEATURES;
    /** Landmarks, 18. */
    private static final int LANDMARKS = SmplrPoints.LANDMARKS;
    /** Rotation values, 24 × 9. */
    private static final int ROTATION_VALUES = 9 * JOINTS;

    private final SmplModel model;
    private final int shapeCount;
    private final int[] parents;
    private final double[] jTemplate;
    private final double[] jShapeDirs;
    private final float[] landmarkTemplate;
    private final float[][] landmarkShapeRows;
    private final float[][] landmarkPoseRows;
    /** Each landmark's sparse weights: landmark l's are {@code [start[l], start[l + 1])}. */
    private final int[] start;
    private final int[] weightJoints;
    private final float[] weightValues;
    /** Each joint's chain to the root: the joint itself first, then its parent, ..., joint 0. */
    private final int[][] chains;

    private SmplPointsLayer(SmplModel model) {
        this.model = model;
        shapeCount = model.shapeCount();
        parents = model.parentsArray();
        jTemplate = model.jointTemplate();
        jShapeDirs = model.jointShapeDirs();
        landmarkTemplate = model.landmarkTemplateArray();
        landmarkShapeRows = model.landmarkShapeRowsArray();
        landmarkPoseRows = model.landmarkPoseRowsArray();
        int[] vertices = model.landmarkVertices();
        int[] ws = model.weightStartArray();
        int[] wj = model.weightJointsArray();
        float[] wv = model.weightValuesArray();
        start = new int[LANDMARKS + 1];
        int n = 0;
        for (int l = 0; l < LANDMARKS; l++) {
            n += ws[vertices[l] + 1] - ws[vertices[l]];
        }
        weightJoints = new int[n];
        weightValues = new float[n];
        int p = 0;
        for (int l = 0; l < LANDMARKS; l++) {
            start[l] = p;
            for (int q = ws[vertices[l]]; q < ws[vertices[l] + 1]; q++) {
                weightJoints[p] = wj[q];
                weightValues[p++] = wv[q];
            }
        }
        start[LANDMARKS] = p;
        chains = new int[JOINTS][];
        for (int j = 0; j < JOINTS; j++) {
            int depth = 0;
            for (int k = j; k >= 0; k = parents[k]) {
                depth++;
            }
            chains[j] = new int[depth];
            int d = 0;
            for (int k = j; k >= 0; k = parents[k]) {
                chains[j][d++] = k;
            }
        }
    }

    /**
     * The layer of a model.
     *
     * @param model the body model. Not modified.
     * @return the layer, sharing the model's data
     * @throws IllegalArgumentException if {@code model} is null
     */
    public static SmplPointsLayer of(SmplModel model) {
        return new SmplPointsLayer(Checks.notNull("model", model));
    }

    /** @return the model this layer evaluates */
    public SmplModel model() {
        return model;
    }

    /** @return a tape for {@link #forward} and {@link #backward}, for one thread; reusable */
    public Tape newTape() {
        return new Tape(shapeCount);
    }

    /**
     * The 41 SMPLR points of rotation matrices and betas (the formulas in the class Javadoc), recording on
     * {@code tape} what {@link #backward} needs. Allocates nothing.
     *
     * @param rotations local rotations R_j (24, 3, 3), row-major ({@code 9*j + 3*r + c}), not necessarily
     *                  orthonormal. Not modified.
     * @param betas     shape coefficients, at most {@link SmplModel#shapeCount()}; missing ones are zero. Not
     *                  modified.
     * @param points41  receives the 41 root-relative points, 123 values. Modified.
     * @param tape      a tape of this layer's model, from {@link #newTape()}. Modified.
     * @throws IllegalArgumentException if an argument is null, a length is wrong, a value is not finite, the
     *                                  betas are too many or the tape is another model's
     */
    public void forward(float[] rotations, float[] betas, float[] points41, Tape tape) {
        Checks.rows("rotations", rotations, JOINTS, 9, "24×3×3 rotation matrices");
        Checks.finite("betas", betas, 1);
        if (betas.length > shapeCount) {
            throw new IllegalArgumentException("betas: expected at most " + shapeCount
                    + " values (the shape components of " + model.source() + "), got " + betas.length);
        }
        Checks.length("points41", points41, SmplrPoints.VALUES, "41×3 points");
        checkTape(tape);
        tape.recorded = false;
        System.arraycopy(rotations, 0, tape.rotations, 0, ROTATION_VALUES);
        tape.betaCount = betas.length;

        // the arithmetic of SmplModel.smplrPoints(SmplParams), step for step, with no translation
        double[] joints = tape.restJoints;
        int nb = betas.length;
        for (int m = 0; m < 3 * JOINTS; m++) {
            double sum = jTemplate[m];
            int row = m * shapeCount;
            for (int b = 0; b < nb; b++) {
                sum += jShapeDirs[row + b] * betas[b];
            }
            joints[m] = sum;
        }
        Lbs.rigidChain(tape.rotations, joints, parents, tape.global);
        int featureCount = Lbs.poseFeatures(tape.rotations, tape.features, tape.activeFeatures);
        int betaCount = 0;
        for (int b = 0; b < nb; b++) {
            if (betas[b] != 0) {
                tape.activeBetas[betaCount++] = b;
            }
        }
        Lbs.relativeTransforms(tape.global, joints, tape.relative);
        float[] x = tape.posed;
        System.arraycopy(landmarkTemplate, 0, x, 0, 3 * LANDMARKS);
        Lbs.addRows(landmarkShapeRows, betas, tape.activeBetas, betaCount, x, 0, 3 * LANDMARKS);
        Lbs.addRows(landmarkPoseRows, tape.features, tape.activeFeatures, featureCount, x, 0, 3 * LANDMARKS);
        float[] y = tape.skinned;
        System.arraycopy(x, 0, y, 0, 3 * LANDMARKS);
        for (int l = 0; l < LANDMARKS; l++) {
            Lbs.skinVertex(weightJoints, weightValues, start[l], start[l + 1], tape.relative, tape.zero, y, 3 * l);
        }
        float rx = (float) tape.global[3];
        float ry = (float) tape.global[7];
        float rz = (float) tape.global[11];
        for (int p = 0; p < SmplrPoints.JOINTS; p++) {
            int g = 12 * (p + 1);
            points41[3 * p] = (float) tape.global[g + 3] - rx;
            points41[3 * p + 1] = (float) tape.global[g + 7] - ry;
            points41[3 * p + 2] = (float) tape.global[g + 11] - rz;
        }
        for (int l = 0; l < LANDMARKS; l++) {
            int p = 3 * (SmplrPoints.JOINTS + l);
            points41[p] = y[3 * l] - rx;
            points41[p + 1] = y[3 * l + 1] - ry;
            points41[p + 2] = y[3 * l + 2] - rz;
        }
        tape.recorded = true;
    }

    /**
     * The gradient of a loss L with respect to the rotations and betas of the last {@link #forward} on
     * {@code tape}, from its gradient with respect to the 41 points: the exact chain rule, in float64, through the
     * root-relative subtraction, the skinning of the landmark vertices ({@code dL/dA_j}, {@code dL/dx_l}), the
     * relative transforms, the rigid chain (child to parent: {@code dL/dG_parent += dL/dG_j·[R_j | d_j]ᵀ},
     * {@code dL/dR_j = Rg_parentᵀ·dL/dRg_j}, {@code dL/dd_j = Rg_parentᵀ·dL/dt_j}), the pose blend
     * ({@code dL/dR_j[r][c] += Σ_l posedirs_l[9(j−1)+3r+c]·dL/dx_l}) and the joint and shape regressions. The
     * outputs are overwritten, not accumulated into. Allocates nothing.
     *
     * @param tape          the tape of a {@link #forward} of this layer. Not modified.
     * @param gradPoints    dL/dpoints, 123 values in the order of the points. Not modified.
     * @param gradRotations receives dL/dR_j (24, 3, 3), row-major, 216 values. Modified.
     * @param gradBetas     receives dL/dβ, as many values as the betas of that forward pass. Modified.
     * @throws IllegalArgumentException if an argument is null, a length is wrong, a gradient is not finite or the
     *                                  tape is another model's
     * @throws IllegalStateException    if the tape holds no completed forward pass
     */
    public void backward(Tape tape, float[] gradPoints, float[] gradRotations, float[] gradBetas) {
        checkTape(tape);
        if (!tape.recorded) {
            throw new IllegalStateException("tape: no forward pass recorded");
        }
        Checks.rows("gradPoints", gradPoints, SmplrPoints.COUNT, 3, "41×3 point gradients");
        Checks.length("gradRotations", gradRotations, ROTATION_VALUES, "24×3×3");
        Checks.length("gradBetas", gradBetas, tape.betaCount, "one per beta of the forward pass");
        double[] dRg = tape.dRotation; // dL/d(rotation part of G_j) then of A_j, (24, 3, 3)
        double[] dt = tape.dTranslation; // dL/d(translation of G_j), (24, 3)
        double[] dA = tape.dRelative; // dL/d(translation of A_j), (24, 3)
        double[] dJ = tape.dJoints; // dL/dJ, (24, 3)
        double[] dR = tape.dLocal; // dL/dR_j, (24, 3, 3)
        Arrays.fill(dRg, 0);
        Arrays.fill(dt, 0);
        Arrays.fill(dA, 0);
        Arrays.fill(dJ, 0);
        Arrays.fill(dR, 0);
        double[] dx = tape.dPosed;

        // points = t_j − t_0 and y_l − t_0
        for (int p = 0; p < SmplrPoints.COUNT; p++) {
            for (int k = 0; k < 3; k++) {
                double g = gradPoints[3 * p + k];
                dt[k] -= g;
                if (p < SmplrPoints.JOINTS) {
                    dt[3 * (p + 1) + k] += g;
                }
            }
        }
        // y_l = Σ w A_j (x_l, 1): dA_j += w dy xhᵀ, dx_l += Σ w A_jᵀ dy (rotation columns)
        double[] a = tape.relative;
        float[] xs = tape.posed;
        for (int l = 0; l < LANDMARKS; l++) {
            int p = 3 * (SmplrPoints.JOINTS + l);
            double gx = gradPoints[p];
            double gy = gradPoints[p + 1];
            double gz = gradPoints[p + 2];
            double x = xs[3 * l];
            double y = xs[3 * l + 1];
            double z = xs[3 * l + 2];
            double sx = 0;
            double sy = 0;
            double sz = 0;
            for (int q = start[l]; q < start[l + 1]; q++) {
                double w = weightValues[q];
                int j = weightJoints[q];
                int o = 12 * j;
                double wx = w * gx;
                double wy = w * gy;
                double wz = w * gz;
                int r = 9 * j;
                dRg[r] += wx * x;
                dRg[r + 1] += wx * y;
                dRg[r + 2] += wx * z;
                dRg[r + 3] += wy * x;
                dRg[r + 4] += wy * y;
                dRg[r + 5] += wy * z;
                dRg[r + 6] += wz * x;
                dRg[r + 7] += wz * y;
                dRg[r + 8] += wz * z;
                dA[3 * j] += wx;
                dA[3 * j + 1] += wy;
                dA[3 * j + 2] += wz;
                sx += wx * a[o] + wy * a[o + 4] + wz * a[o + 8];
                sy += wx * a[o + 1] + wy * a[o + 5] + wz * a[o + 9];
                sz += wx * a[o + 2] + wy * a[o + 6] + wz * a[o + 10];
            }
            dx[3 * l] = sx;
            dx[3 * l + 1] = sy;
            dx[3 * l + 2] = sz;
        }
        // A_j = [Rg_j | t_j − Rg_j J_j]
        double[] g = tape.global;
        double[] joints = tape.restJoints;
        for (int j = 0; j < JOINTS; j++) {
            double ax = dA[3 * j];
            double ay = dA[3 * j + 1];
            double az = dA[3 * j + 2];
            if (ax == 0 && ay == 0 && az == 0) {
                continue;
            }
            dt[3 * j] += ax;
            dt[3 * j + 1] += ay;
            dt[3 * j + 2] += az;
            int o = 12 * j;
            int r = 9 * j;
            for (int c = 0; c < 3; c++) {
                double jc = joints[3 * j + c];
                dRg[r + c] -= ax * jc;
                dRg[r + 3 + c] -= ay * jc;
                dRg[r + 6 + c] -= az * jc;
                dJ[3 * j + c] -= g[o + c] * ax + g[o + 4 + c] * ay + g[o + 8 + c] * az;
            }
        }
        // the chain, children before parents: Rg_j = Rg_p R_j, t_j = Rg_p (J_j − J_p) + t_p
        float[] rot = tape.rotations;
        for (int j = JOINTS - 1; j > 0; j--) {
            int p = parents[j];
            int gp = 12 * p;
            int r = 9 * j;
            int rp = 9 * p;
            double d0 = joints[3 * j] - joints[3 * p];
            double d1 = joints[3 * j + 1] - joints[3 * p + 1];
            double d2 = joints[3 * j + 2] - joints[3 * p + 2];
            double t0 = dt[3 * j];
            double t1 = dt[3 * j + 1];
            double t2 = dt[3 * j + 2];
            for (int row = 0; row < 3; row++) {
                // dRg_p[row][c] += Σ_k dRg_j[row][k] R_j[c][k] + dt_j[row] d_j[c]
                double e0 = dRg[r + 3 * row];
                double e1 = dRg[r + 3 * row + 1];
                double e2 = dRg[r + 3 * row + 2];
                double tr = dt[3 * j + row];
                dRg[rp + 3 * row] += e0 * rot[r] + e1 * rot[r + 1] + e2 * rot[r + 2] + tr * d0;
                dRg[rp + 3 * row + 1] += e0 * rot[r + 3] + e1 * rot[r + 4] + e2 * rot[r + 5] + tr * d1;
                dRg[rp + 3 * row + 2] += e0 * rot[r + 6] + e1 * rot[r + 7] + e2 * rot[r + 8] + tr * d2;
            }
            for (int c = 0; c < 3; c++) {
                // dR_j[row][c] = Σ_m Rg_p[m][row] dRg_j[m][c]; dd_j[c] = Σ_m Rg_p[m][c] dt_j[m]
                for (int row = 0; row < 3; row++) {
                    dR[r + 3 * row + c] = g[gp + row] * dRg[r + c] + g[gp + 4 + row] * dRg[r + 3 + c]
                            + g[gp + 8 + row] * dRg[r + 6 + c];
                }
                double dd = g[gp + c] * t0 + g[gp + 4 + c] * t1 + g[gp + 8 + c] * t2;
                dJ[3 * j + c] += dd;
                dJ[3 * p + c] -= dd;
            }
            dt[3 * p] += t0;
            dt[3 * p + 1] += t1;
            dt[3 * p + 2] += t2;
        }
        // G_0 = [R_0 | J_0]
        for (int i = 0; i < 9; i++) {
            dR[i] = dRg[i];
        }
        dJ[0] += dt[0];
        dJ[1] += dt[1];
        dJ[2] += dt[2];
        // the pose blend: feature 9(j−1) + i is R_j[i] − δ
        for (int f = 0; f < FEATURES; f++) {
            float[] row = landmarkPoseRows[f];
            double s = 0;
            for (int i = 0; i < 3 * LANDMARKS; i++) {
                s += row[i] * dx[i];
            }
            dR[9 + f] += s;
        }
        for (int i = 0; i < ROTATION_VALUES; i++) {
            gradRotations[i] = (float) dR[i];
        }
        // the betas: through the landmark shape blend and the joint regression
        for (int b = 0; b < tape.betaCount; b++) {
            float[] row = landmarkShapeRows[b];
            double s = 0;
            for (int i = 0; i < 3 * LANDMARKS; i++) {
                s += row[i] * dx[i];
            }
            for (int m = 0; m < 3 * JOINTS; m++) {
                s += jShapeDirs[m * shapeCount + b] * dJ[m];
            }
            gradBetas[b] = (float) s;
        }
    }

    /**
     * The Jacobian of the 41 points of the last {@link #forward} on {@code tape} with respect to a local rotation
     * increment of every joint and to every beta: the structured, forward-mode counterpart of {@link #backward}
     * for a least-squares fitter, which needs all 123 rows at once (JMH: 51 µs with the forward pass, where
     * 123 backward passes would take about 1.5 ms).
     * Rotation columns are the derivatives along {@code R_j → R_j · exp([ω_j]×)} at {@code ω_j = 0}, so
     * {@code ∂points/∂ω_j[a] = Σ_rc ∂points/∂R_j[r][c] · (R_j [e_a]×)[r][c]}:
     *
     * <pre>
     * joint point k (k in the subtree of j):  g_ja × (t_k − t_j)                  g_ja = column a of Rg_j
     * landmark l:  g_ja × Σ_{q in subtree(j)} W[l,q] (A_q (x_l, 1) − t_j)  +  (Σ_q W[l,q] Rg_q) · ∂x_l/∂ω_ja
     * ∂x_l/∂ω_ja = Σ_rc posedirs_l[9(j−1) + 3r + c] · (R_j [e_a]×)[r][c]         (pose blend, j ≥ 1)
     * ∂t_j/∂β_b  = ∂t_parent/∂β_b + Rg_parent (∂J_j/∂β_b − ∂J_parent/∂β_b),  ∂t_0/∂β_b = ∂J_0/∂β_b
     * ∂y_l/∂β_b  = Σ_q W[l,q] (Rg_q (shapedirs_l[b] − ∂J_q/∂β_b) + ∂t_q/∂β_b);  every point minus ∂t_0/∂β_b
     * </pre>
     * The first two lines use that every global rotation Rg_j is a rotation (a change of R_j then turns the
     * subtree rigidly about t_j), so the forward pass's R_j must be orthonormal: a fitter's are, a regressor's
     * raw outputs are not (use {@link #backward} for those). In float64, from the tape; allocates nothing.
     *
     * @param tape         the tape of a {@link #forward} of this layer with orthonormal rotations. Not modified.
     * @param jacRotations receives ∂points/∂ω (123, 72), row-major: {@code 72*i + 3*j + a} for point value i,
     *                     joint j, axis a. Modified (overwritten).
     * @param jacBetas     receives ∂points/∂β (123, nb), {@code nb*i + b}, nb the betas of that forward pass; or
     *                     null to skip them. Modified (overwritten).
     * @throws IllegalArgumentException if the tape or {@code jacRotations} is null, a length is wrong, the tape is
     *                                  another model's or a rotation of its pass is not orthonormal (|R Rᵀ − I|
     *                                  above 1e-4)
     * @throws IllegalStateException    if the tape holds no completed forward pass
     */
    public void jacobian(Tape tape, double[] jacRotations, double[] jacBetas) {
        checkTape(tape);
        if (!tape.recorded) {
            throw new IllegalStateException("tape: no forward pass recorded");
        }
        Checks.length("jacRotations", jacRotations, SmplrPoints.VALUES * 3 * JOINTS, "123×72 Jacobian");
        int nb = tape.betaCount;
        if (jacBetas != null) {
            Checks.length("jacBetas", jacBetas, SmplrPoints.VALUES * nb, "123×" + nb + " Jacobian");
        }
        checkOrthonormal(tape.rotations);
        Arrays.fill(jacRotations, 0);
        double[] g = tape.global;
        double[] d = tape.scratch3;
        // joint points: point k − 1 is t_k − t_0, turned about t_j by every proper ancestor j
        for (int k = 1; k < JOINTS; k++) {
            int row = 3 * (k - 1);
            int[] chain = chains[k];
            for (int c = 1; c < chain.length; c++) {
                int j = chain[c];
                d[0] = g[12 * k + 3] - g[12 * j + 3];
                d[1] = g[12 * k + 7] - g[12 * j + 7];
                d[2] = g[12 * k + 11] - g[12 * j + 11];
                crossColumns(g, j, d, jacRotations, row);
            }
        }
        // landmarks: s_j = Σ_{q: j on q's chain} W[l,q] (A_q (x_l, 1) − t_j), then g_ja × s_j
        double[] a = tape.relative;
        float[] xs = tape.posed;
        double[] s = tape.subtreeSums;
        double[] mix = tape.mixedRotations;
        for (int l = 0; l < LANDMARKS; l++) {
            Arrays.fill(s, 0);
            double x = xs[3 * l];
            double y = xs[3 * l + 1];
            double z = xs[3 * l + 2];
            int m = 9 * l;
            for (int i = 0; i < 9; i++) {
                mix[m + i] = 0;
            }
            for (int q = start[l]; q < start[l + 1]; q++) {
                double w = weightValues[q];
                int jq = weightJoints[q];
                int o = 12 * jq;
                double zx = a[o] * x + a[o + 1] * y + a[o + 2] * z + a[o + 3];
                double zy = a[o + 4] * x + a[o + 5] * y + a[o + 6] * z + a[o + 7];
                double zz = a[o + 8] * x + a[o + 9] * y + a[o + 10] * z + a[o + 11];
                for (int j : chains[jq]) {
                    s[3 * j] += w * (zx - g[12 * j + 3]);
                    s[3 * j + 1] += w * (zy - g[12 * j + 7]);
                    s[3 * j + 2] += w * (zz - g[12 * j + 11]);
                }
                // mix_l = Σ_q W[l,q] Rg_q, the skinning's linear part
                for (int r = 0; r < 3; r++) {
                    mix[m + 3 * r] += w * a[o + 4 * r];
                    mix[m + 3 * r + 1] += w * a[o + 4 * r + 1];
                    mix[m + 3 * r + 2] += w * a[o + 4 * r + 2];
                }
            }
            int row = 3 * (SmplrPoints.JOINTS + l);
            for (int j = 0; j < JOINTS; j++) {
                if (s[3 * j] != 0 || s[3 * j + 1] != 0 || s[3 * j + 2] != 0) {
                    d[0] = s[3 * j];
                    d[1] = s[3 * j + 1];
                    d[2] = s[3 * j + 2];
                    crossColumns(g, j, d, jacRotations, row);
                }
            }
        }
        // the pose blend: dR_j = R_j [e_a]×, row r of it is (0, R[r][2], −R[r][1]), (−R[r][2], 0, R[r][0]),
        // (R[r][1], −R[r][0], 0) for a = 0, 1, 2
        float[] rot = tape.rotations;
        double[] dx = tape.blendTangent;
        double[] dr = tape.scratch9;
        for (int j = 1; j < JOINTS; j++) {
            int r9 = 9 * j;
            for (int axis = 0; axis < 3; axis++) {
                for (int r = 0; r < 3; r++) {
                    double r0 = rot[r9 + 3 * r];
                    double r1 = rot[r9 + 3 * r + 1];
                    double r2 = rot[r9 + 3 * r + 2];
                    dr[3 * r] = axis == 0 ? 0 : axis == 1 ? -r2 : r1;
                    dr[3 * r + 1] = axis == 0 ? r2 : axis == 1 ? 0 : -r0;
                    dr[3 * r + 2] = axis == 0 ? -r1 : axis == 1 ? r0 : 0;
                }
                // dx[i] = Σ_f posedirs_l[9(j−1) + f] dr[f], over the 18×3 landmark values
                Arrays.fill(dx, 0);
                for (int f = 0; f < 9; f++) {
                    double c = dr[f];
                    if (c == 0) {
                        continue;
                    }
                    float[] prow = landmarkPoseRows[9 * (j - 1) + f];
                    for (int i = 0; i < 3 * LANDMARKS; i++) {
                        dx[i] += c * prow[i];
                    }
                }
                int col = 3 * j + axis;
                for (int l = 0; l < LANDMARKS; l++) {
                    int m = 9 * l;
                    double ex = dx[3 * l];
                    double ey = dx[3 * l + 1];
                    double ez = dx[3 * l + 2];
                    int row = 3 * (SmplrPoints.JOINTS + l);
                    for (int r = 0; r < 3; r++) {
                        jacRotations[72 * (row + r) + col] +=
                                mix[m + 3 * r] * ex + mix[m + 3 * r + 1] * ey + mix[m + 3 * r + 2] * ez;
                    }
                }
            }
        }
        if (jacBetas != null && nb > 0) {
            betaJacobian(tape, jacBetas);
        }
    }

    /** The beta columns of {@link #jacobian}: the shape's effect through the rest joints and the shape blend. */
    private void betaJacobian(Tape tape, double[] jac) {
        int nb = tape.betaCount;
        double[] g = tape.global;
        double[] dJ = tape.dJoints;
        double[] dt = tape.dTranslation;
        for (int b = 0; b < nb; b++) {
            // dJ[m] = (J_regressor · shapedirs)[m, b]
            for (int m = 0; m < 3 * JOINTS; m++) {
                dJ[m] = jShapeDirs[m * shapeCount + b];
            }
            dt[0] = dJ[0];
            dt[1] = dJ[1];
            dt[2] = dJ[2];
            for (int j = 1; j < JOINTS; j++) {
                int p = parents[j];
                int gp = 12 * p;
                double e0 = dJ[3 * j] - dJ[3 * p];
                double e1 = dJ[3 * j + 1] - dJ[3 * p + 1];
                double e2 = dJ[3 * j + 2] - dJ[3 * p + 2];
                for (int r = 0; r < 3; r++) {
                    dt[3 * j + r] = dt[3 * p + r] + g[gp + 4 * r] * e0 + g[gp + 4 * r + 1] * e1
                            + g[gp + 4 * r + 2] * e2;
                }
            }
            for (int k = 1; k < JOINTS; k++) {
                for (int r = 0; r < 3; r++) {
                    jac[nb * (3 * (k - 1) + r) + b] = dt[3 * k + r] - dt[r];
                }
            }
            float[] srow = landmarkShapeRows[b];
            for (int l = 0; l < LANDMARKS; l++) {
                double ox = -dt[0];
                double oy = -dt[1];
                double oz = -dt[2];
                for (int q = start[l]; q < start[l + 1]; q++) {
                    double w = weightValues[q];
                    int jq = weightJoints[q];
                    int o = 12 * jq;
                    double ex = srow[3 * l] - dJ[3 * jq];
                    double ey = srow[3 * l + 1] - dJ[3 * jq + 1];
                    double ez = srow[3 * l + 2] - dJ[3 * jq + 2];
                    ox += w * (g[o] * ex + g[o + 1] * ey + g[o + 2] * ez + dt[3 * jq]);
                    oy += w * (g[o + 4] * ex + g[o + 5] * ey + g[o + 6] * ez + dt[3 * jq + 1]);
                    oz += w * (g[o + 8] * ex + g[o + 9] * ey + g[o + 10] * ez + dt[3 * jq + 2]);
                }
                int row = 3 * (SmplrPoints.JOINTS + l);
                jac[nb * row + b] = ox;
                jac[nb * (row + 1) + b] = oy;
                jac[nb * (row + 2) + b] = oz;
            }
        }
    }

    /** Adds {@code g_ja × v} to the three rows from {@code row} of columns {@code 3j..3j+2}, for a = 0, 1, 2. */
    private static void crossColumns(double[] g, int j, double[] v, double[] jac, int row) {
        int o = 12 * j;
        for (int axis = 0; axis < 3; axis++) {
            double ax = g[o + axis];
            double ay = g[o + 4 + axis];
            double az = g[o + 8 + axis];
            int col = 3 * j + axis;
            jac[72 * row + col] += ay * v[2] - az * v[1];
            jac[72 * (row + 1) + col] += az * v[0] - ax * v[2];
            jac[72 * (row + 2) + col] += ax * v[1] - ay * v[0];
        }
    }

    private static void checkOrthonormal(float[] rotations) {
        for (int j = 0; j < JOINTS; j++) {
            int m = 9 * j;
            double worst = 0;
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    double dot = (double) rotations[m + 3 * r] * rotations[m + 3 * c]
                            + (double) rotations[m + 3 * r + 1] * rotations[m + 3 * c + 1]
                            + (double) rotations[m + 3 * r + 2] * rotations[m + 3 * c + 2];
                    worst = Math.max(worst, Math.abs(dot - (r == c ? 1 : 0)));
                }
            }
            if (!(worst <= 1e-4)) {
                throw new IllegalArgumentException("tape: rotation " + j + " of its forward pass is not orthonormal"
                        + " (max |R Rᵀ − I| = " + worst + ", expected at most 1e-4); jacobian needs rotations");
            }
        }
    }

    /**
     * Carries rotation-matrix gradients back to axis-angles: {@code dL/dθ_j[i] = Σ_rc dL/dR_j[r][c] ·
     * ∂R_j[r][c]/∂θ_j[i]} with {@code R_j = rodrigues(θ_j)}, the derivative of Rodrigues' formula in float64
     * ({@code ∂R/∂θ_i = (θ_i [θ]× + [θ × (I − R) e_i]×) R / |θ|²}, Gallego and Yezzi 2015; below
     * {@code |θ| = 1e-4} its series {@code [e_i]× + ([e_i]×[θ]× + [θ]×[e_i]×)/2}). With {@link #backward} this
     * gives the gradient of the points with respect to an axis-angle pose, for a fitter.
     *
     * @param axisAngles    θ (n, 3), the axis-angles the rotations were made from. Not modified.
     * @param gradRotations dL/dR (n, 3, 3), row-major, e.g. from {@link #backward}. Not modified.
     * @param gradAxisAngles receives dL/dθ (n, 3). Modified.
     * @throws IllegalArgumentException if an argument is null, the lengths do not agree or a value is not finite
     */
    public static void axisAngleGradient(float[] axisAngles, float[] gradRotations, float[] gradAxisAngles) {
        int n = Checks.batch("axisAngles", axisAngles, 3, "n×3 axis-angles");
        Checks.rows("gradRotations", gradRotations, n, 9, n + "×3×3 rotation gradients");
        Checks.length("gradAxisAngles", gradAxisAngles, 3 * n, n + "×3 axis-angle gradients");
        double[] r = new double[9];
        double[] h = new double[9];
        double[] th = new double[3];
        double[] w = new double[3];
        for (int j = 0; j < n; j++) {
            double x = axisAngles[3 * j];
            double y = axisAngles[3 * j + 1];
            double z = axisAngles[3 * j + 2];
            int m = 9 * j;
            double t2 = x * x + y * y + z * z;
            if (t2 < 1e-8) {
                // <[e_i]x + ([e_i]x[θ]x + [θ]x[e_i]x)/2, G> with [a]x[b]x = b aᵀ − (a·b) I
                // so [e_i]x[θ]x + [θ]x[e_i]x = θ e_iᵀ + e_i θᵀ − 2 θ_i I
                w[0] = gradRotations[m + 7] - gradRotations[m + 5];
                w[1] = gradRotations[m + 2] - gradRotations[m + 6];
                w[2] = gradRotations[m + 3] - gradRotations[m + 1];
                th[0] = x;
                th[1] = y;
                th[2] = z;
                double trace = gradRotations[m] + gradRotations[m + 4] + gradRotations[m + 8];
                for (int i = 0; i < 3; i++) {
                    // <θ e_iᵀ + e_i θᵀ, G> = Σ_r θ_r G[r][i] + Σ_c θ_c G[i][c]
                    double s = 0;
                    for (int k = 0; k < 3; k++) {
                        s += th[k] * (gradRotations[m + 3 * k + i] + gradRotations[m + 3 * i + k]);
                    }
                    gradAxisAngles[3 * j + i] = (float) (w[i] + 0.5 * (s - 2 * th[i] * trace));
                }
                continue;
            }
            double t = Math.sqrt(t2);
            double c = Math.cos(t);
            double sn = Math.sin(t);
            double kx = x / t;
            double ky = y / t;
            double kz = z / t;
            double v = 1 - c;
            r[0] = c + v * kx * kx;
            r[1] = v * kx * ky - sn * kz;
            r[2] = v * kx * kz + sn * ky;
            r[3] = v * ky * kx + sn * kz;
            r[4] = c + v * ky * ky;
            r[5] = v * ky * kz - sn * kx;
            r[6] = v * kz * kx - sn * ky;
            r[7] = v * kz * ky + sn * kx;
            r[8] = c + v * kz * kz;
            // H = G Rᵀ; <[a]x R, G> = <[a]x, H> = a · w, w = (H21 − H12, H02 − H20, H10 − H01)
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    h[3 * a + b] = gradRotations[m + 3 * a] * r[3 * b] + gradRotations[m + 3 * a + 1] * r[3 * b + 1]
                            + gradRotations[m + 3 * a + 2] * r[3 * b + 2];
                }
            }
            double w0 = h[7] - h[5];
            double w1 = h[2] - h[6];
            double w2 = h[3] - h[1];
            double thetaW = x * w0 + y * w1 + z * w2;
            for (int i = 0; i < 3; i++) {
                // u = (I − R) e_i, the column i of I − R; q = θ × u
                double u0 = (i == 0 ? 1 : 0) - r[i];
                double u1 = (i == 1 ? 1 : 0) - r[3 + i];
                double u2 = (i == 2 ? 1 : 0) - r[6 + i];
                double q0 = y * u2 - z * u1;
                double q1 = z * u0 - x * u2;
                double q2 = x * u1 - y * u0;
                double thetaI = i == 0 ? x : i == 1 ? y : z;
                gradAxisAngles[3 * j + i] = (float) ((thetaI * thetaW + q0 * w0 + q1 * w1 + q2 * w2) / t2);
            }
        }
    }

    private void checkTape(Tape tape) {
        Checks.notNull("tape", tape);
        if (tape.shapeCount != shapeCount) {
            throw new IllegalArgumentException("tape: made for " + tape.shapeCount
                    + " shape components, this model has " + shapeCount);
        }
    }

    @Override
    public String toString() {
        return "SmplPointsLayer[" + model + "]";
    }

    /**
     * What {@link #forward} records for {@link #backward}, and the scratch of both: a few KB. One per thread; it
     * may be reused for any number of passes, and {@link #backward} reads the latest forward pass.
     */
    public static final class Tape {
        private final int shapeCount;
        /** R_j as given (24, 3, 3). */
        final float[] rotations = new float[ROTATION_VALUES];
        final float[] features = new float[FEATURES];
        final int[] activeFeatures = new int[FEATURES];
        final int[] activeBetas;
        int betaCount;
        /** Rest joints J (24, 3). */
        final double[] restJoints = new double[3 * JOINTS];
        /** G_j (24, 3, 4). */
        final double[] global = new double[12 * JOINTS];
        /** A_j (24, 3, 4). */
        final double[] relative = new double[12 * JOINTS];
        /** The landmark vertices before skinning, x_l (18, 3). */
        final float[] posed = new float[3 * LANDMARKS];
        /** The landmark vertices after skinning, y_l (18, 3). */
        final float[] skinned = new float[3 * LANDMARKS];
        final float[] zero = new float[3];
        final double[] dRotation = new double[9 * JOINTS];
        final double[] dTranslation = new double[3 * JOINTS];
        final double[] dRelative = new double[3 * JOINTS];
        final double[] dJoints = new double[3 * JOINTS];
        final double[] dLocal = new double[ROTATION_VALUES];
        final double[] dPosed = new double[3 * LANDMARKS];
        /** Jacobian scratch: per-joint subtree sums (24, 3), the landmarks' skinning rotations (18, 3, 3). */
        final double[] subtreeSums = new double[3 * JOINTS];
        final double[] mixedRotations = new double[9 * LANDMARKS];
        final double[] blendTangent = new double[3 * LANDMARKS];
        final double[] scratch3 = new double[3];
        final double[] scratch9 = new double[9];
        boolean recorded;

        private Tape(int shapeCount) {
            this.shapeCount = shapeCount;
            this.activeBetas = new int[shapeCount];
        }

        @Override
        public String toString() {
            return "SmplPointsLayer.Tape[" + shapeCount + " shape components]";
        }
    }
}
