/**
 * The SMPL body model ({@code SmplModel}: the official .pkl and .npz files, an exact and fast forward pass with
 * smplx semantics, the embedded demo body) and the SMPLR regressor. Layouts as in {@link dev.smplr.core}:
 * vertices (V, 3) at {@code 3*v + k}, joints (24, 3), pose 24×3 axis-angle, metres.
 *
 * <p>Training data (SPEC.md 15.8, 15.9): a {@code PoseSampler} (anatomical limits, or frames of a motion file)
 * feeds a seeded, streaming {@code TrainingSet} of 41 points, N, B, rotation matrices and betas; a
 * {@code NoiseModel} corrupts the points with the release's per-coordinate noise and structured errors.
 */
package dev.smplr.smpl;
