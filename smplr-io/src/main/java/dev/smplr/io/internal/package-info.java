/**
 * Helpers that other smplr modules use in their tests and fixtures, such as a writer of SMPL-style pickles.
 * <strong>Not API</strong>: anything here may change without notice.
 */
package dev.smplr.io.internal;
