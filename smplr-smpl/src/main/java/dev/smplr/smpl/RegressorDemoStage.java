package dev.smplr.smpl;

import dev.smplr.core.Pipeline;
import dev.smplr.core.spi.DemoStageProvider;

/**
 * Registers {@code SmplRegressor.demo()} as the {@link Pipeline.Stage#REGRESS} stage of
 * {@link Pipeline#demo()} (a {@link java.util.ServiceLoader} service).
 * Public only because the service loader needs it; not part of the API.
 */
public final class RegressorDemoStage implements DemoStageProvider {
    /** Cheap: nothing is loaded until {@link #create()}. */
    public RegressorDemoStage() {
    }

    @Override
    public Pipeline.Stage stage() {
        return Pipeline.Stage.REGRESS;
    }

    @Override
    public String module() {
        return "smplr-smpl";
    }

    @Override
    public Object create() {
        return SmplRegressor.demo();
    }
}
