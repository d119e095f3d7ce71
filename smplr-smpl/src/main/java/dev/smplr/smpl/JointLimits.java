package dev.smplr.smpl;

import dev.smplr.core.SmplJoint;
import dev.smplr.core.internal.Checks;

/**
 * Anatomical limits of SMPL's 23 body joints, per axis-angle component, radians: the one table the default
 * {@link PoseSampler} draws from and the fitting priors penalise outside of.
 *
 * <p>Axes are the joint's local axes in SMPL's rest (T-)pose: +X the body's left, +Y up, +Z the body's front.
 * A pose component {@code θ_j,a} is the a-th component of joint j's axis-angle rotation relative to its parent;
 * for rotations mostly about one axis (a knee, an elbow) it is that rotation's angle. Signs follow the
 * right-hand rule, so, for example:
 * <ul>
 *   <li>hip flexion (thigh forward) is negative X, knee flexion (shin backward) positive X;</li>
 *   <li>bending the spine forward is positive X; ankle plantar flexion (toes down) positive X;</li>
 *   <li>raising the left arm sideways is positive Z at the left shoulder, the right arm negative Z;</li>
 *   <li>bending the left elbow (forearm forward) is negative Y, the right elbow positive Y.</li>
 * </ul>
 * The ranges are generous everyday ranges of motion (not extremes), rounded to 0.05 rad; the tests check each
 * sign convention above with forward kinematics.
 */
public final class JointLimits {

    // joint: {xLow, xHigh, yLow, yHigh, zLow, zHigh}
    private static final float[][] TABLE = {
        null, // pelvis: global orientation, unlimited
        {-2.10f, 0.50f, -0.60f, 0.70f, -0.40f, 0.90f},   // 1 left_hip
        {-2.10f, 0.50f, -0.70f, 0.60f, -0.90f, 0.40f},   // 2 right_hip
        {-0.30f, 0.60f, -0.35f, 0.35f, -0.30f, 0.30f},   // 3 spine1
        {0.00f, 2.40f, -0.15f, 0.15f, -0.10f, 0.10f},    // 4 left_knee
        {0.00f, 2.40f, -0.15f, 0.15f, -0.10f, 0.10f},    // 5 right_knee
        {-0.25f, 0.50f, -0.30f, 0.30f, -0.25f, 0.25f},   // 6 spine2
        {-0.40f, 0.80f, -0.30f, 0.30f, -0.30f, 0.30f},   // 7 left_ankle
        {-0.40f, 0.80f, -0.30f, 0.30f, -0.30f, 0.30f},   // 8 right_ankle
        {-0.25f, 0.50f, -0.30f, 0.30f, -0.25f, 0.25f},   // 9 spine3
        {-0.40f, 0.30f, -0.15f, 0.15f, -0.15f, 0.15f},   // 10 left_foot
        {-0.40f, 0.30f, -0.15f, 0.15f, -0.15f, 0.15f},   // 11 right_foot
        {-0.50f, 0.60f, -0.60f, 0.60f, -0.40f, 0.40f},   // 12 neck
        {-0.20f, 0.20f, -0.30f, 0.30f, -0.15f, 0.40f},   // 13 left_collar
        {-0.20f, 0.20f, -0.30f, 0.30f, -0.40f, 0.15f},   // 14 right_collar
        {-0.40f, 0.50f, -0.50f, 0.50f, -0.30f, 0.30f},   // 15 head
        {-0.80f, 0.80f, -1.60f, 0.60f, -1.40f, 1.20f},   // 16 left_shoulder
        {-0.80f, 0.80f, -0.60f, 1.60f, -1.20f, 1.40f},   // 17 right_shoulder
        {-0.60f, 0.60f, -2.50f, 0.00f, -0.10f, 0.10f},   // 18 left_elbow
        {-0.60f, 0.60f, 0.00f, 2.50f, -0.10f, 0.10f},    // 19 right_elbow
        {-0.80f, 0.80f, -0.40f, 0.40f, -0.80f, 0.80f},   // 20 left_wrist
        {-0.80f, 0.80f, -0.40f, 0.40f, -0.80f, 0.80f},   // 21 right_wrist
        {-0.20f, 0.20f, -0.20f, 0.20f, -0.20f, 0.20f},   // 22 left_hand
        {-0.20f, 0.20f, -0.20f, 0.20f, -0.20f, 0.20f},   // 23 right_hand
    };

    private JointLimits() {
    }

    /**
     * @param joint an SMPL joint index, 1..23
     * @param axis  0 (X), 1 (Y) or 2 (Z)
     * @return the lower limit of that axis-angle component, radians
     * @throws IllegalArgumentException if the joint or axis is out of range
     */
    public static float lower(int joint, int axis) {
        return TABLE[check(joint)][2 * Checks.index("axis", axis, 3)];
    }

    /**
     * @param joint an SMPL joint index, 1..23
     * @param axis  0 (X), 1 (Y) or 2 (Z)
     * @return the upper limit of that axis-angle component, radians
     * @throws IllegalArgumentException if the joint or axis is out of range
     */
    public static float upper(int joint, int axis) {
        return TABLE[check(joint)][2 * Checks.index("axis", axis, 3) + 1];
    }

    /**
     * How far a pose lies outside the limits: for each body-joint component, the distance to the nearest limit
     * when outside (0 inside). The global orientation (joint 0) is never limited.
     *
     * @param pose 72 axis-angle values. Not modified.
     * @param out  72 values, the violation per component (joint 0 zero). Modified.
     * @return the sum of squared violations
     * @throws IllegalArgumentException if a length is wrong or a value is not finite
     */
    public static double violation(float[] pose, float[] out) {
        Checks.rows("pose", pose, SmplJoint.COUNT, 3, "24×3 axis-angle");
        Checks.length("out", out, 3 * SmplJoint.COUNT, "24×3 violations");
        double sum = 0;
        out[0] = 0;
        out[1] = 0;
        out[2] = 0;
        for (int j = 1; j < SmplJoint.COUNT; j++) {
            for (int a = 0; a < 3; a++) {
                float v = pose[3 * j + a];
                float lo = TABLE[j][2 * a];
                float hi = TABLE[j][2 * a + 1];
                float d = v < lo ? v - lo : v > hi ? v - hi : 0f;
                out[3 * j + a] = d;
                sum += (double) d * d;
            }
        }
        return sum;
    }

    /**
     * @param pose 72 axis-angle values. Not modified.
     * @return a copy with every body-joint component clamped into its range (global orientation kept)
     * @throws IllegalArgumentException if the length is wrong or a value is not finite
     */
    public static float[] clamp(float[] pose) {
        Checks.rows("pose", pose, SmplJoint.COUNT, 3, "24×3 axis-angle");
        float[] out = pose.clone();
        for (int j = 1; j < SmplJoint.COUNT; j++) {
            for (int a = 0; a < 3; a++) {
                out[3 * j + a] = Math.max(TABLE[j][2 * a], Math.min(TABLE[j][2 * a + 1], out[3 * j + a]));
            }
        }
        return out;
    }

    private static int check(int joint) {
        if (joint < 1 || joint >= SmplJoint.COUNT) {
            throw new IllegalArgumentException("joint: expected a body joint 1..23 (the global orientation, 0, "
                    + "has no limits), got " + joint);
        }
        return joint;
    }
}
