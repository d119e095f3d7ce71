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

    /** The default: the softmax cross-entropy, which reached the lower validation error on the demo preset. */
    public static final HourglassLoss DEFAULT = SOFTMAX_CROSS_ENTROPY;
}
