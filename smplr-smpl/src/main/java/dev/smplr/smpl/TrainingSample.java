package dev.smplr.smpl;

import dev.smplr.core.Gender;
import java.util.Arrays;

/**
 * One generated training example ({@link TrainingSet}). The arrays are the record's own and must not be modified.
 *
 * @param points      the clean 41 root-relative SMPLR points, 123 values, metres: the DAE's target
 * @param noisyPoints the points after the set's {@link NoiseModel} (equal to {@code points} without one): the
 *                    DAE's input, and what N and B are computed from
 * @param n           N, the 41 unit bone directions, 123 values ({@link dev.smplr.core.SmplrFeatures})
 * @param b           B, the 41 bone lengths minus the gender's template lengths, metres
 * @param rotations   the 24 joint rotation matrices of the pose (Rodrigues), 216 values, {@code 9*j + 3*r + c}:
 *                    Ω's target
 * @param betas       the shape coefficients, the set's beta count (zero-padded): Ψ's target
 * @param gender      the body model used
 */
public record TrainingSample(float[] points, float[] noisyPoints, float[] n, float[] b, float[] rotations,
        float[] betas, Gender gender) {

    /** @return Ψ's release target score for the gender: -1 female, +1 male, 0 neutral */
    public float genderScore() {
        return genderScore(gender);
    }

    static float genderScore(Gender gender) {
        return switch (gender) {
            case FEMALE -> -1f;
            case MALE -> 1f;
            case NEUTRAL -> 0f;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingSample s && Arrays.equals(points, s.points)
                && Arrays.equals(noisyPoints, s.noisyPoints) && Arrays.equals(n, s.n) && Arrays.equals(b, s.b)
                && Arrays.equals(rotations, s.rotations) && Arrays.equals(betas, s.betas) && gender == s.gender;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(noisyPoints) * 31 + gender.hashCode();
    }

    @Override
    public String toString() {
        return "TrainingSample[" + gender + ", betas=" + Arrays.toString(betas) + "]";
    }
}
