package dev.smplr.core.spi;

import dev.smplr.core.Pipeline;

/**
 * Supplies one stage of {@link Pipeline#demo()}: the trained demo weights a module ships. smplr-core cannot
 * depend on the modules that implement the stages, so each module registers its provider as a
 * {@link java.util.ServiceLoader} service, in
 * {@code META-INF/services/dev.smplr.core.spi.DemoStageProvider} (one fully qualified class name per line), and
 * {@code Pipeline.demo()} composes the providers it finds on the class path.
 *
 * <p>A provider needs a public no-argument constructor and should be cheap to construct: the weights are loaded
 * only by {@link #create()}.
 *
 * <pre>{@code
 * public final class DaeDemoProvider implements DemoStageProvider {
 *     public Pipeline.Stage stage() { return Pipeline.Stage.DENOISE; }
 *     public String module() { return "smplr-dae"; }
 *     public Object create() { return JointDenoiser.demo(); }
 * }
 * }</pre>
 */
public interface DemoStageProvider {
    /** @return the stage this provider supplies */
    Pipeline.Stage stage();

    /** @return the module that ships it, for messages, e.g. {@code "smplr-dae"} */
    String module();

    /**
     * Loads the stage.
     *
     * @return the stage: a {@link dev.smplr.core.PointEstimator} for {@link Pipeline.Stage#ESTIMATE}, a
     *         {@link dev.smplr.core.PointDenoiser} for {@link Pipeline.Stage#DENOISE}, a
     *         {@link dev.smplr.core.BodyRegressor} for {@link Pipeline.Stage#REGRESS}, a
     *         {@link dev.smplr.core.BodyModel} for {@link Pipeline.Stage#BODY}
     */
    Object create();
}
