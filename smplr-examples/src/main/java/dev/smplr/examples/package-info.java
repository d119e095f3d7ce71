/**
 * Runnable programs and the {@code smplr} command line.
 *
 * <ul>
 *   <li>{@link dev.smplr.examples.Smplr}: the command line ({@code demo}, {@code fit}, {@code export},
 *       {@code info}, {@code train}, {@code eval}), the main class of {@code smplr-examples.jar}.</li>
 *   <li>{@link dev.smplr.examples.CustomPipelineExample}: your own stage (a smoothing denoiser) in a
 *       {@link dev.smplr.core.Pipeline}.</li>
 *   <li>{@link dev.smplr.examples.PoseAndExportExample}: posing SMPL by hand, OBJ and GLB export.</li>
 *   <li>{@link dev.smplr.examples.BatchFolderExample}: a folder of pictures through the pipeline, with a
 *       progress bar.</li>
 *   <li>{@link dev.smplr.examples.TrainOwnModelExample}: training your own regressor.</li>
 *   <li>{@link dev.smplr.examples.BodyDemo} (the demo body posed, exported and drawn) and
 *       {@link dev.smplr.examples.CoreDemo} (smplr-core on the rest skeleton).</li>
 * </ul>
 * Points are 41 root-relative SMPLR points in metres; image-derived points are in the camera frame (X right,
 * Y down, Z away), see {@link dev.smplr.core}.
 */
package dev.smplr.examples;
