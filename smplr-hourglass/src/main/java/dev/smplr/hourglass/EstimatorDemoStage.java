package dev.smplr.hourglass;

import dev.smplr.core.Pipeline;
import dev.smplr.core.spi.DemoStageProvider;

/**
 * Registers {@code HourglassEstimator.demo()} as the {@link Pipeline.Stage#ESTIMATE} stage of
 * {@link Pipeline#demo()} (a {@link java.util.ServiceLoader} service).
 * Public only because the service loader needs it; not part of the API.
 */
public final class EstimatorDemoStage implements DemoStageProvider {
    /** Cheap: nothing is loaded until {@link #create()}. */
    public EstimatorDemoStage() {
    }

    @Override
    public Pipeline.Stage stage() {
        return Pipeline.Stage.ESTIMATE;
    }

    @Override
    public String module() {
        return "smplr-hourglass";
    }

    @Override
    public Object create() {
        return HourglassEstimator.demo();
    }
}
