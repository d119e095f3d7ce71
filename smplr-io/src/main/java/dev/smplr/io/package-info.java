/**
 * File formats: numpy {@code .npy}/{@code .npz}, the SMPL pickle (through a restricted unpickler), MATLAB
 * {@code .mat}, meshes (OBJ, PLY, glTF) and point sets. Every reader treats its input as untrusted: sizes are
 * checked against the bytes present before anything is allocated, and problems are {@link java.io.IOException}s
 * that name the file, the key or offset, and what was expected.
 */
package dev.smplr.io;
