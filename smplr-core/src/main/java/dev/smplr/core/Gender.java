package dev.smplr.core;

/** The gender of a body model or of an estimate. SMPL ships female, male and neutral models. */
public enum Gender {
    FEMALE,
    MALE,
    NEUTRAL;

    /**
     * The gender a regressor's score selects (SPEC.md 5: the 11th output of Ψ, trained towards -1 for female
     * and +1 for male): {@link #MALE} at or above zero, {@link #FEMALE} below.
     *
     * @param score the gender score
     * @return {@link #MALE} or {@link #FEMALE}
     * @throws IllegalArgumentException if the score is NaN
     */
    public static Gender fromScore(float score) {
        if (Float.isNaN(score)) {
            throw new IllegalArgumentException("gender score: NaN");
        }
        return score >= 0f ? MALE : FEMALE;
    }
}
