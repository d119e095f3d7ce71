/**
 * Service interfaces through which other modules plug into smplr-core without core depending on them:
 * {@link dev.smplr.core.spi.DemoStageProvider} supplies the shipped demo stages that
 * {@link dev.smplr.core.Pipeline#demo()} composes. Implement these to register a module; users do not call them.
 */
package dev.smplr.core.spi;
