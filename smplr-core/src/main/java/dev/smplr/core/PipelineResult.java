package dev.smplr.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Pipeline} run produced, stage by stage; a field is {@code null} when its stage did not run.
 * Point arrays are 41 root-relative points (123 floats, metres); they are copied in, and the accessors return
 * copies. The estimate and the mesh are kept as the stages returned them.
 *
 * @param estimated  the estimator's points, or null (run from points, or no estimator)
 * @param denoised   the denoiser's points, or null
 * @param estimate   the regressor's pose and shape, or null
 * @param refined    the refiner's pose and shape (what the body model posed), or null
 * @param mesh       the body model's mesh, or null
 * @param bodyPoints the 41 points of the mesh, or null
 * @param timings    wall time of each stage that ran
 */
public record PipelineResult(float[] estimated, float[] denoised, BodyEstimate estimate, BodyEstimate refined,
        BodyMesh mesh, float[] bodyPoints, Map<Pipeline.Stage, Duration> timings) {

    /** Copies the arrays and the timings. */
    public PipelineResult {
        estimated = copy(estimated);
        denoised = copy(denoised);
        bodyPoints = copy(bodyPoints);
        Objects.requireNonNull(timings, "timings");
        timings = Collections.unmodifiableMap(timings.isEmpty() ? new EnumMap<>(Pipeline.Stage.class)
                : new EnumMap<>(timings));
    }

    /**
     * The result of a pipeline without a refine stage.
     *
     * @param estimated  the estimator's points, or null
     * @param denoised   the denoiser's points, or null
     * @param estimate   the regressor's pose and shape, or null
     * @param mesh       the body model's mesh, or null
     * @param bodyPoints the 41 points of the mesh, or null
     * @param timings    wall time of each stage that ran
     */
    public PipelineResult(float[] estimated, float[] denoised, BodyEstimate estimate, BodyMesh mesh,
            float[] bodyPoints, Map<Pipeline.Stage, Duration> timings) {
        this(estimated, denoised, estimate, null, mesh, bodyPoints, timings);
    }

    /** @return the estimate the body model posed: the refined one, else the regressor's; null if neither ran */
    public BodyEstimate finalEstimate() {
        return refined != null ? refined : estimate;
    }

    @Override
    public float[] estimated() {
        return copy(estimated);
    }

    @Override
    public float[] denoised() {
        return copy(denoised);
    }

    @Override
    public float[] bodyPoints() {
        return copy(bodyPoints);
    }

    /**
     * @return the most refined points available: the body model's, else the denoiser's, else the estimator's;
     *         null if none ran (a copy)
     */
    public float[] finalPoints() {
        return copy(bodyPoints != null ? bodyPoints : denoised != null ? denoised : estimated);
    }

    /** @return the summed time of all stages */
    public Duration totalTime() {
        return timings.values().stream().reduce(Duration.ZERO, Duration::plus);
    }

    private static float[] copy(float[] a) {
        return a == null ? null : a.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PipelineResult r
                && Arrays.equals(estimated, r.estimated)
                && Arrays.equals(denoised, r.denoised)
                && Objects.equals(estimate, r.estimate)
                && Objects.equals(refined, r.refined)
                && Objects.equals(mesh, r.mesh)
                && Arrays.equals(bodyPoints, r.bodyPoints)
                && timings.equals(r.timings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(estimated), Arrays.hashCode(denoised), estimate, refined, mesh,
                Arrays.hashCode(bodyPoints), timings);
    }

    @Override
    public String toString() {
        return "PipelineResult[stages=" + timings.keySet() + ", total=" + totalTime().toNanos() / 1e6 + " ms"
                + ", estimate=" + estimate + (refined == null ? "" : ", refined=" + refined) + "]";
    }
}
