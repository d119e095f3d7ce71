package dev.smplr.core;

/**
 * What a {@link BodyRegressor} estimates: a body model's pose and shape parameters. Implemented by
 * {@code dev.smplr.smpl.SmplEstimate}; a user's own regressor may return any implementation.
 */
public interface BodyEstimate {
    /** @return the pose: per joint an axis-angle rotation relative to its parent (SMPL: 24×3 = 72 values) */
    float[] pose();

    /** @return the shape coefficients (SMPL: 10 betas) */
    float[] betas();

    /** @return the estimated gender, {@link Gender#NEUTRAL} if the regressor does not estimate one */
    Gender gender();
}
