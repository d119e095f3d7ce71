package dev.smplr.smpl;

import dev.smplr.core.BodyEstimate;
import dev.smplr.core.Gender;
import dev.smplr.core.internal.Checks;
import java.util.Arrays;

/**
 * SMPL parameters: pose, shape and translation. Arrays are copied in; the accessors return the kept arrays,
 * which must not be modified (records cannot copy on every read without losing their speed in batches).
 *
 * @param pose   24×3 = 72 axis-angle values, radians: joint j at {@code 3*j..3*j+2}, joint 0 the global
 *               orientation (it rotates the body about the pelvis joint, not the origin)
 * @param betas  shape coefficients, 0 or more; a model uses the first ones and rejects more than it has
 * @param transl a translation (3), metres, added to every vertex and joint
 */
public record SmplParams(float[] pose, float[] betas, float[] transl) implements BodyEstimate {
    /** Values in {@link #pose()}, 72. */
    public static final int POSE_SIZE = 72;

    /**
     * Checks and copies the arrays.
     *
     * @throws IllegalArgumentException if a length is wrong or a value is not finite
     */
    public SmplParams {
        pose = Checks.rows("pose", pose, 24, 3, "24×3 axis-angle").clone();
        Checks.notNull("betas", betas);
        betas = Checks.finite("betas", betas, 1).clone();
        transl = Checks.rows("transl", transl, 1, 3, "x, y, z translation").clone();
    }

    /**
     * @param pose   72 axis-angle values. Copied.
     * @param betas  shape coefficients. Copied.
     * @param transl 3 values, or null for none. Copied.
     * @return the parameters
     * @throws IllegalArgumentException if a length is wrong or a value is not finite
     */
    public static SmplParams of(float[] pose, float[] betas, float[] transl) {
        return new SmplParams(pose, betas, transl == null ? new float[3] : transl);
    }

    /** @return the zero pose, zero shape (10 betas) and no translation: the template */
    public static SmplParams zero() {
        return new SmplParams(new float[POSE_SIZE], new float[10], new float[3]);
    }

    /** @return {@link Gender#NEUTRAL}: parameters carry no gender; the model they are applied to has one */
    @Override
    public Gender gender() {
        return Gender.NEUTRAL;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmplParams p && Arrays.equals(pose, p.pose) && Arrays.equals(betas, p.betas)
                && Arrays.equals(transl, p.transl);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(pose) + Arrays.hashCode(betas)) + Arrays.hashCode(transl);
    }

    @Override
    public String toString() {
        return "SmplParams[pose=" + Arrays.toString(pose) + ", betas=" + Arrays.toString(betas) + ", transl="
                + Arrays.toString(transl) + "]";
    }
}
