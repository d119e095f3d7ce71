/**
 * The SMPL body model ({@code SmplModel}: the official .pkl and .npz files, an exact and fast forward pass with
 * smplx semantics, the embedded demo body) and the SMPLR regressor. Layouts as in {@link dev.smplr.core}:
 * vertices (V, 3) at {@code 3*v + k}, joints (24, 3), pose 24×3 axis-angle, metres.
 */
package dev.smplr.smpl;
