package dev.smplr.core;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * The points of several crops. The default calls {@link #estimate(BufferedImage)} once per crop; a network
     * overrides it to run the crops through in batches, which is what {@link Pipeline#runAll} relies on.
     *
     * @param crops square crops, one person each. Not modified.
     * @return one 123-value array per crop, in order
     */
    default List<float[]> estimate(List<BufferedImage> crops) {
        List<float[]> out = new ArrayList<>(crops.size());
        for (BufferedImage crop : crops) {
            out.add(estimate(crop));
        }
        return out;
    }
}
