/**
 * The SMPLR denoising autoencoder (SPEC 4): {@link dev.smplr.dae.DenoiserConfig} and {@link dev.smplr.dae.JointDenoiser}.
 */
package dev.smplr.dae;
