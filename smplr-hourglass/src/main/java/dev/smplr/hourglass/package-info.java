/**
 * smplr-hourglass: see the module map in the project README. Its code lands with its own issue.
 */
package dev.smplr.hourglass;
