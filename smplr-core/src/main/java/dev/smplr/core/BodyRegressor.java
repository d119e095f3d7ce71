package dev.smplr.core;

/**
 * Stage 3 of the {@link Pipeline}: 41 points to body-model parameters without an optimisation loop
 * ("SMPL reverse"). Implemented by {@code dev.smplr.smpl.SmplRegressor}.
 */
@FunctionalInterface
public interface BodyRegressor {
    /**
     * @param points41 41 root-relative points, metres. Not modified.
     * @return the estimated pose and shape
     */
    BodyEstimate regress(float[] points41);
}
