/**
 * The SMPL body model ({@code SmplModel}: the official .pkl and .npz files, an exact and fast forward pass with
 * smplx semantics, the embedded demo body) and the SMPLR regressor. Layouts as in {@link dev.smplr.core}:
 * vertices (V, 3) at {@code 3*v + k}, joints (24, 3), pose 24×3 axis-angle, metres.
 *
 * <p>Training data (SPEC.md 15.8, 15.9): a {@code PoseSampler} (anatomical limits, or frames of a motion file)
 * feeds a seeded, streaming {@code TrainingSet} of 41 points, N, B, rotation matrices and betas; a
 * {@code NoiseModel} corrupts the points with the release's per-coordinate noise and structured errors.
 *
 * <p>The regressors (SPEC.md 5): a {@link dev.smplr.smpl.RegressorConfig} describes the shape regressor Ψ
 * (B, 41 values → 10 betas and a gender score) or the pose regressor Ω (N, 123 values → 24 row-major 3×3
 * rotations through tanh), with the {@code paper} and {@code demo} presets. {@link dev.smplr.smpl.SmplRegressor}
 * runs both on 41 points (SO(3) projection switch, gender rule, body frame, weights directories, the shipped demo
 * weights); {@link dev.smplr.smpl.RegressorTrainer} trains them as the release does, the last stage through the
 * points-only SMPL layer {@link dev.smplr.smpl.SmplPointsLayer}.
 *
 * <p>Refinement (issue 7): {@link dev.smplr.smpl.SmplFitter} fits the pose and shape to the 41 points by
 * Levenberg–Marquardt with the analytic Jacobian of {@link dev.smplr.smpl.SmplPointsLayer} (robust losses,
 * beta and joint-limit priors, per-point weights and confidences, batches and sequences); it is the
 * {@code Pipeline}'s optional refine stage.
 */
package dev.smplr.smpl;
