/**
 * Helpers that the smplr modules share: argument checks with clear messages, float[]/INDArray conversion and
 * batching. <strong>Not API</strong>: anything here may change without notice.
 */
package dev.smplr.core.internal;
