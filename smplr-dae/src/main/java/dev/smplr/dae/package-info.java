/**
 * The SMPLR denoising autoencoder (SPEC 4): {@link dev.smplr.dae.DenoiserConfig}.
 */
package dev.smplr.dae;
