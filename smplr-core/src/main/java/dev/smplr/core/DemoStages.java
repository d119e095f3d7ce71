package dev.smplr.core;

import dev.smplr.core.spi.DemoStageProvider;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Composes {@link Pipeline#demo()} from the {@link DemoStageProvider}s found on the class path. */
final class DemoStages {
    /** The stages the demo pipeline needs, in order, with the module expected to supply each. */
    private static final Map<Pipeline.Stage, String> NEEDED = new EnumMap<>(Map.of(
            Pipeline.Stage.ESTIMATE, "smplr-hourglass",
            Pipeline.Stage.DENOISE, "smplr-dae",
            Pipeline.Stage.REGRESS, "smplr-smpl",
            Pipeline.Stage.BODY, "smplr-smpl"));

    private DemoStages() {
    }

    /**
     * @param providers the providers found
     * @return the pipeline of the four stages
     * @throws IllegalStateException as {@link Pipeline#demo()}
     */
    static Pipeline compose(Iterable<DemoStageProvider> providers) {
        Map<Pipeline.Stage, DemoStageProvider> found = new EnumMap<>(Pipeline.Stage.class);
        for (DemoStageProvider p : providers) {
            Pipeline.Stage stage = p.stage();
            if (!NEEDED.containsKey(stage)) {
                continue; // a stage the demo pipeline does not compose (yet)
            }
            DemoStageProvider before = found.putIfAbsent(stage, p);
            if (before != null) {
                throw new IllegalStateException("Pipeline.demo(): two providers for the " + stage + " stage: "
                        + describe(before) + " and " + describe(p) + "; keep one of them on the class path");
            }
        }
        List<String> missing = new ArrayList<>();
        for (Map.Entry<Pipeline.Stage, String> e : NEEDED.entrySet()) {
            if (!found.containsKey(e.getKey())) {
                String what = e.getValue() + " (" + e.getKey().name().toLowerCase(java.util.Locale.ROOT) + ")";
                missing.add(what);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Pipeline.demo(): no demo stage from " + String.join(", ", missing)
                    + " on the class path; add the module(s) as dependencies (each registers a "
                    + DemoStageProvider.class.getName() + ")");
        }
        return Pipeline.builder()
                .estimator(create(found.get(Pipeline.Stage.ESTIMATE), PointEstimator.class))
                .denoiser(create(found.get(Pipeline.Stage.DENOISE), PointDenoiser.class))
                .regressor(create(found.get(Pipeline.Stage.REGRESS), BodyRegressor.class))
                .body(create(found.get(Pipeline.Stage.BODY), BodyModel.class))
                .build();
    }

    private static <T> T create(DemoStageProvider p, Class<T> type) {
        Object stage = p.create();
        if (!type.isInstance(stage)) {
            throw new IllegalStateException("Pipeline.demo(): " + describe(p) + " returned "
                    + (stage == null ? "null" : "a " + stage.getClass().getName()) + " for the " + p.stage()
                    + " stage, expected a " + type.getSimpleName());
        }
        return type.cast(stage);
    }

    private static String describe(DemoStageProvider p) {
        return p.getClass().getName() + " (" + p.module() + ")";
    }
}
