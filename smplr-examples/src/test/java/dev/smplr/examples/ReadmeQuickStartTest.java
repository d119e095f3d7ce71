package dev.smplr.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smplr.core.Gender;
import dev.smplr.core.Metrics;
import dev.smplr.core.Pipeline;
import dev.smplr.core.PipelineResult;
import dev.smplr.dae.JointDenoiser;
import dev.smplr.smpl.PoseSampler;
import dev.smplr.smpl.SmplEstimate;
import dev.smplr.smpl.SmplFitter;
import dev.smplr.smpl.SmplModel;
import dev.smplr.smpl.SmplOutput;
import dev.smplr.smpl.SmplRegressor;
import org.junit.jupiter.api.Test;

/** The README's "from 41 points to a body" quick start, kept compiling and true. Copy changes to README.md. */
class ReadmeQuickStartTest {

    @Test
    void pointsToBody_withTheShippedWeights() {
        SmplModel body = SmplModel.demo(Gender.NEUTRAL);
        float[] points41 = body.smplrPoints(PoseSampler.anatomical().sample(new java.util.Random(1)).params());
        SmplEstimate estimate = SmplRegressor.demo().regress(points41);
        SmplEstimate refined = SmplFitter.of(body).fit(points41, estimate);
        SmplOutput mesh = body.forward(refined.params());

        Pipeline pipeline = Pipeline.builder()
                .denoiser(JointDenoiser.demo()).regressor(SmplRegressor.demo()).refiner(SmplFitter.of(body))
                .body(body).build();
        PipelineResult result = pipeline.runFromPoints(points41);

        assertThat(mesh.vertices()).hasSize(3 * body.vertexCount());
        // the README's claims: one pass gets close, refinement gets the points almost exactly
        assertThat(Metrics.mpjpe(body.smplrPoints(estimate.params()), points41)).isLessThan(120);
        assertThat(Metrics.mpjpe(body.smplrPoints(refined.params()), points41)).isLessThan(5);
        assertThat(result.finalEstimate()).isNotNull();
    }
}
