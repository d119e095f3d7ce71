package dev.smplr.smpl;

import dev.smplr.core.Gender;
import dev.smplr.core.Pipeline;
import dev.smplr.core.spi.DemoStageProvider;

/**
 * Registers {@code SmplModel.demo(Gender.NEUTRAL)} as the {@link Pipeline.Stage#BODY} stage of
 * {@link Pipeline#demo()} (a {@link java.util.ServiceLoader} service).
 * Public only because the service loader needs it; not part of the API.
 */
public final class BodyDemoStage implements DemoStageProvider {
    /** Cheap: nothing is loaded until {@link #create()}. */
    public BodyDemoStage() {
    }

    @Override
    public Pipeline.Stage stage() {
        return Pipeline.Stage.BODY;
    }

    @Override
    public String module() {
        return "smplr-smpl";
    }

    @Override
    public Object create() {
        return SmplModel.demo(Gender.NEUTRAL);
    }
}
