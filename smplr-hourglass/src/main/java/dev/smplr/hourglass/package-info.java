/**
 * smplr-hourglass: images in, 41 points out. The network side: {@link dev.smplr.hourglass.HourglassConfig}
 * (paper and demo presets), the volumetric stacked hourglass graph ({@code HourglassNetwork}, vertex names
 * documented there), voxel targets and soft-argmax decoding ({@code VoxelGrid}, {@code VoxelTargets}), the two
 * losses ({@link dev.smplr.hourglass.HourglassLoss}), {@link dev.smplr.hourglass.HourglassTrainer} and
 * {@link dev.smplr.hourglass.HourglassEstimator}. Volumes: (depth bin d, volume p) at channel {@code d·45 + p}, a
 * 2.5 m cube centred on the root, camera frame.
 *
 * <p> This package holds the image side: a
 * {@link dev.smplr.hourglass.PinholeCamera}, {@link dev.smplr.hourglass.RigidTransform}s that place a body
 * in front of it, a pure-Java z-buffer {@link dev.smplr.hourglass.MeshRenderer} (synthetic training images and
 * overlays of a recovered mesh on a photo), the release's person {@link dev.smplr.hourglass.Crop}, and the
 * {@link dev.smplr.hourglass.SyntheticImageSource} of training images: sampled bodies, dressed, lit and drawn
 * over procedural backgrounds with occluders, each with its 41 camera-frame points
 * ({@link dev.smplr.hourglass.SyntheticSample}). Package-private inside: a CPU inference engine
 * ({@code FastHourglass}) on the graph's parameters (NHWC float32 buffers, convolutions as sgemm calls), about
 * 9× faster than the graph on the paper preset, and its training counterpart ({@code HourglassBackprop}, the
 * trainer's default engine): the same step as the graph's {@code fit}, applied through the graph's DL4J updater,
 * 3–5× faster on this project's CPUs.
 *
 * <h2>Frames, units and layouts</h2>
 * <ul>
 *   <li>Camera frame: X right, Y down, Z away from the camera, metres. A body model's canonical frame (SMPL: Y
 *       up, +X the body's left, +Z its front) is turned into it by
 *       {@link dev.smplr.hourglass.RigidTransform#CANONICAL_TO_CAMERA} and friends.</li>
 *   <li>Pixels: continuous coordinates {@code (u, v)}, u to the right, v down; pixel {@code (col, row)} covers
 *       {@code [col, col + 1) × [row, row + 1)} and its centre is {@code (col + 0.5, row + 0.5)}.</li>
 *   <li>Points (n, 3) at {@code 3*i..3*i+2}, pixel coordinates (n, 2) at {@code 2*i..2*i+1}, per-pixel buffers
 *       row-major at {@code row * width + col}; colours packed {@code 0xRRGGBB}.</li>
 *   <li>Network input: per-image standardised NCHW float32, channel c of pixel {@code (x, y)} at
 *       {@code c*H*W + y*W + x}, channels R, G, B.</li>
 *   <li>Inference feature maps (package-private): batch-major NHWC float32, channel c of pixel (x, y) of image b at
 *       {@code ((b*H + y)*W + x)*C + c}, optionally with a one-pixel border.</li>
 * </ul>
 */
package dev.smplr.hourglass;
