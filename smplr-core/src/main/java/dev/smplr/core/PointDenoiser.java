package dev.smplr.core;

/**
 * Stage 2 of the {@link Pipeline}: cleans 41 noisy points. Implemented by {@code dev.smplr.dae.JointDenoiser}.
 */
@FunctionalInterface
public interface PointDenoiser {
    /**
     * @param points41 41 root-relative points, metres. Not modified.
     * @return 41 cleaned points, a new array of 123 values
     */
    float[] denoise(float[] points41);
}
