package dev.smplr.hourglass;

/**
 * The two training losses of the hourglass (SPEC.md 15.6), both over the same volumetric targets
 * ({@link VoxelTargets}): Gaussian point densities and limb maps.
 */
public enum HourglassLoss {
    /**
     * The release's loss: per-voxel sigmoid (binary) cross-entropy between the logits and the soft targets,
     * averaged over every cell of every volume, summed over the stacks ({@link SigmoidVolumeLoss}).
     */
    SIGMOID_CROSS_ENTROPY,
    /**
     * Per-volume softmax cross-entropy: each volume's logits go through one softmax over all its cells, and the
     * cross-entropy with the target density is averaged over the volumes, summed over the stacks
     * ({@link SoftmaxVolumeLoss}). It trains the distribution that soft-argmax decodes.
     */
    SOFTMAX_CROSS_ENTROPY;

    /**
     * The default: the softmax cross-entropy. Not yet measured head to head against the sigmoid loss (the shared
     * CPU allowed one demo run); chosen because it trains exactly the distribution that soft-argmax decodes, while
     * the sigmoid loss's targets peak at 0.064 and are near zero almost everywhere, so its optimum puts little
     * contrast into the logits around the point.
     */
    public static final HourglassLoss DEFAULT = SOFTMAX_CROSS_ENTROPY;
}
