/**
 * Runnable programs: {@link dev.smplr.examples.BodyDemo} (the README's main job: the demo body posed, exported
 * and drawn) and {@link dev.smplr.examples.CoreDemo} (smplr-core on the rest skeleton). The command line and the
 * end-to-end demo land with the pipeline issue.
 */
package dev.smplr.examples;
