/**
 * Runnable programs: {@link dev.smplr.examples.CoreDemo} shows smplr-core at work. The command line and the
 * end-to-end demo land with the pipeline issue.
 */
package dev.smplr.examples;
