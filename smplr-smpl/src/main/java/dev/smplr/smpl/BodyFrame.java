package dev.smplr.smpl;

import dev.smplr.core.SmplJoint;
import dev.smplr.core.SmplrPoints;

/**
 * The body-aligned frame of a 41-point set, for the regressors' canonical input (a project decision beyond the
 * release): the columns of F are the body's lateral, up and forward axes measured from the points,
 * <pre>
 * x = normalise(L_hip − R_hip)
 * y = normalise(u − (u·x) x),  u = (spine1 + spine2 + spine3)/3 − (L_hip + R_hip)/2
 * z = x × y
 * </pre>
 * so F ≈ I for a body standing in SMPL's canonical frame (+X = the body's left, +Y up, +Z front), and
 * {@code Fᵀ·p} expresses a point in the body's own frame. The regressors see the points rotated by Fᵀ and predict
 * the root rotation relative to F; the world root rotation is then {@code F·R₀'}. This removes the global
 * orientation (uniform over SO(3) in training) from what the networks must learn.
 */
final class BodyFrame {
    private static final int L_HIP = SmplJoint.LEFT_HIP.ordinal() - 1;
    private static final int R_HIP = SmplJoint.RIGHT_HIP.ordinal() - 1;
    private static final int[] SPINE = {SmplJoint.SPINE1.ordinal() - 1, SmplJoint.SPINE2.ordinal() - 1,
        SmplJoint.SPINE3.ordinal() - 1};

    private BodyFrame() {
    }

    /**
     * F of one point set, row-major ({@code 3*r + c}; column c is an axis).
     *
     * @param points 41 points at {@code off}. Not modified.
     * @param frame  receives F, 9 values at {@code frameOff}. Modified.
     * @throws IllegalArgumentException if the hips coincide or the spine lies on the hip line
     */
    static void of(float[] points, int off, float[] frame, int frameOff) {
        double[] x = new double[3];
        double[] u = new double[3];
        for (int k = 0; k < 3; k++) {
            double l = points[off + 3 * L_HIP + k];
            double r = points[off + 3 * R_HIP + k];
            x[k] = l - r;
            double s = 0;
            for (int p : SPINE) {
                s += points[off + 3 * p + k];
            }
            u[k] = s / SPINE.length - 0.5 * (l + r);
        }
        double nx = Math.sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]);
        if (!(nx > 1e-9)) {
            throw new IllegalArgumentException("the left and right hips coincide: no body frame");
        }
        for (int k = 0; k < 3; k++) {
            x[k] /= nx;
        }
        double d = u[0] * x[0] + u[1] * x[1] + u[2] * x[2];
        for (int k = 0; k < 3; k++) {
            u[k] -= d * x[k];
        }
        double nu = Math.sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
        if (!(nu > 1e-9)) {
            throw new IllegalArgumentException("the spine lies on the hip line: no body frame");
        }
        for (int k = 0; k < 3; k++) {
            u[k] /= nu;
        }
        double[] z = {x[1] * u[2] - x[2] * u[1], x[2] * u[0] - x[0] * u[2], x[0] * u[1] - x[1] * u[0]};
        for (int r = 0; r < 3; r++) {
            frame[frameOff + 3 * r] = (float) x[r];
            frame[frameOff + 3 * r + 1] = (float) u[r];
            frame[frameOff + 3 * r + 2] = (float) z[r];
        }
    }

    /** {@code out_p = Fᵀ·p_p} for the 41 points; out may be points (in place). */
    static void toBody(float[] frame, int frameOff, float[] points, int off, float[] out, int outOff) {
        for (int p = 0; p < SmplrPoints.COUNT; p++) {
            float a = points[off + 3 * p];
            float b = points[off + 3 * p + 1];
            float c = points[off + 3 * p + 2];
            for (int k = 0; k < 3; k++) {
                out[outOff + 3 * p + k] = frame[frameOff + k] * a + frame[frameOff + 3 + k] * b
                        + frame[frameOff + 6 + k] * c;
            }
        }
    }

    /** {@code out = Fᵀ·m} for one 3×3 matrix (root rotation world → body); out must not be m. */
    static void toBodyMatrix(float[] frame, int frameOff, float[] m, int mOff, float[] out, int outOff) {
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                out[outOff + 3 * r + c] = frame[frameOff + r] * m[mOff + c] + frame[frameOff + 3 + r] * m[mOff + 3 + c]
                        + frame[frameOff + 6 + r] * m[mOff + 6 + c];
            }
        }
    }

    /** {@code out = F·m} for one 3×3 matrix (root rotation body → world); out must not be m. */
    static void toWorldMatrix(float[] frame, int frameOff, float[] m, int mOff, float[] out, int outOff) {
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                out[outOff + 3 * r + c] = frame[frameOff + 3 * r] * m[mOff + c]
                        + frame[frameOff + 3 * r + 1] * m[mOff + 3 + c] + frame[frameOff + 3 * r + 2] * m[mOff + 6 + c];
            }
        }
    }
}
