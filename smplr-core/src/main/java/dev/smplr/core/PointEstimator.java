package dev.smplr.core;

import java.awt.image.BufferedImage;

/**
 * Stage 1 of the {@link Pipeline}: an image crop to the 41 SMPLR points. Implemented by
 * {@code dev.smplr.hourglass.HourglassEstimator}.
 */
@FunctionalInterface
public interface PointEstimator {
    /**
     * @param crop a square crop around one person. Not modified.
     * @return 41 root-relative points in the camera frame (X right, Y down, Z away), metres, 123 values
     */
    float[] estimate(BufferedImage crop);
}
