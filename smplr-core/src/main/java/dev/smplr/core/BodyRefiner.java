package dev.smplr.core;

/**
 * The optional refine stage of the {@link Pipeline}, between the regressor and the body model: improves an
 * estimate by fitting the body model to the points (an optimisation loop, unlike {@link BodyRegressor}).
 * Implemented by {@code dev.smplr.smpl.SmplFitter}.
 */
@FunctionalInterface
public interface BodyRefiner {
    /**
     * @param points41 41 root-relative points, metres: the fit's targets. Not modified.
     * @param initial  the estimate to start from (the regressor's), or null to start from the body's rest pose
     *                 and mean shape
     * @return the refined pose and shape
     */
    BodyEstimate refine(float[] points41, BodyEstimate initial);
}
