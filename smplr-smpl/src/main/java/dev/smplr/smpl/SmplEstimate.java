package dev.smplr.smpl;

import dev.smplr.core.BodyEstimate;
import dev.smplr.core.Gender;
import dev.smplr.core.internal.Checks;
import java.util.Arrays;

/**
 * What SMPLR (or a fit) estimates for one body: SMPL parameters, a gender and the 24 rotation matrices behind
 * the pose. The rotations are kept beside the axis-angle pose because the regressor predicts matrices: with the
 * SO(3) projection switched off they need not be rotations, and then {@link SmplParams#pose()} is the axis-angle
 * of their projection while {@link #rotations()} keeps what the network said.
 *
 * <p>Arrays are copied in; the accessors return the kept arrays, which must not be modified.
 *
 * @param params    the SMPL parameters (pose as axis-angle, betas, translation)
 * @param gender    the estimated gender; {@link Gender#NEUTRAL} when unknown
 * @param rotations 24×9 row-major rotation matrices, joint j at {@code 9*j}; matrix entry (r, c) at
 *                  {@code 9*j + 3*r + c}
 */
public record SmplEstimate(SmplParams params, Gender gender, float[] rotations) implements BodyEstimate {
    /** Values in {@link #rotations()}, 216. */
    public static final int ROTATIONS_SIZE = 24 * 9;

    /**
     * Checks and copies.
     *
     * @throws IllegalArgumentException if an argument is null, rotations is not 216 values or holds NaN or infinity
     */
    public SmplEstimate {
        Checks.notNull("params", params);
        Checks.notNull("gender", gender);
        rotations = Checks.rows("rotations", rotations, 24, 9, "24×9 rotation matrices").clone();
    }

    @Override
    public float[] pose() {
        return params.pose();
    }

    @Override
    public float[] betas() {
        return params.betas();
    }

    /** @return the translation (3 values), metres */
    public float[] transl() {
        return params.transl();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmplEstimate e && params.equals(e.params) && gender == e.gender
                && Arrays.equals(rotations, e.rotations);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * params.hashCode() + gender.hashCode()) + Arrays.hashCode(rotations);
    }

    @Override
    public String toString() {
        return "SmplEstimate[" + params + ", gender=" + gender + ", rotations=" + Arrays.toString(rotations) + "]";
    }
}
