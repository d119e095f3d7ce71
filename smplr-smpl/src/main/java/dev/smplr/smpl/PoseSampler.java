package dev.smplr.smpl;

import dev.smplr.core.Gender;
import java.util.random.RandomGenerator;

/**
 * A source of body poses and shapes for training data (SPEC.md 15.9). The default,
 * {@link #anatomical()}, draws each body-joint component uniformly within {@link JointLimits}, the global
 * orientation uniformly over SO(3), betas from N(0, 1) clipped to ±3, and a gender uniformly; users plug in
 * real motion data by implementing this interface.
 *
 * <p>Implementations must be deterministic given the generator's state, so seeded data sets are reproducible.
 */
@FunctionalInterface
public interface PoseSampler {

    /**
     * A sampled body.
     *
     * @param params pose, betas and (zero) translation
     * @param gender which body model the sample is for
     */
    record Sample(SmplParams params, Gender gender) {
        /** @throws IllegalArgumentException if an argument is null */
        public Sample {
            if (params == null || gender == null) {
                throw new IllegalArgumentException("params/gender: null");
            }
        }
    }

    /**
     * @param random the generator to draw from. Modified (advanced).
     * @return the next sample
     */
    Sample sample(RandomGenerator random);

    /** @return the default sampler: anatomical limits, SO(3) orientation, 10 betas, female/male/neutral */
    static PoseSampler anatomical() {
        return anatomical(10, Gender.values());
    }

    /**
     * @param betaCount how many betas to draw
     * @param genders   the genders to draw from, uniformly. Copied.
     * @return the anatomical sampler
     * @throws IllegalArgumentException if {@code betaCount} is negative or no gender is given
     */
    static PoseSampler anatomical(int betaCount, Gender... genders) {
        return new AnatomicalPoseSampler(betaCount, genders);
    }
}
