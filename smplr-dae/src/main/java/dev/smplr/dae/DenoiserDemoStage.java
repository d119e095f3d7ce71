package dev.smplr.dae;

import dev.smplr.core.Pipeline;
import dev.smplr.core.spi.DemoStageProvider;

/**
 * Registers {@code JointDenoiser.demo()} as the {@link Pipeline.Stage#DENOISE} stage of
 * {@link Pipeline#demo()} (a {@link java.util.ServiceLoader} service).
 * Public only because the service loader needs it; not part of the API.
 */
public final class DenoiserDemoStage implements DemoStageProvider {
    /** Cheap: nothing is loaded until {@link #create()}. */
    public DenoiserDemoStage() {
    }

    @Override
    public Pipeline.Stage stage() {
        return Pipeline.Stage.DENOISE;
    }

    @Override
    public String module() {
        return "smplr-dae";
    }

    @Override
    public Object create() {
        return JointDenoiser.demo();
    }
}
