package dev.smplr.smpl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smplr.core.Gender;
import dev.smplr.core.Pipeline;
import dev.smplr.core.PipelineResult;
import dev.smplr.core.RestSkeleton;
import org.junit.jupiter.api.Test;

/** SmplModel as the Pipeline's body stage, SmplParams as a regressor's estimate. */
class SmplModelPipelineTest {

    @Test
    void pipeline_posesTheDemoBodyWithTheRegressorsEstimate() {
        SmplModel body = SmplModel.demo(Gender.NEUTRAL);
        float[] pose = new float[72];
        pose[3 * 4] = 1.0f; // bend the left knee
        SmplParams estimate = SmplParams.of(pose, new float[10], null);
        Pipeline pipeline = Pipeline.builder().regressor(points -> estimate).body(body).build();
        PipelineResult result = pipeline.runFromPoints(RestSkeleton.points41());
        assertThat(result.estimate()).isSameAs(estimate);
        assertThat(result.mesh().vertices()).containsExactly(body.forward(estimate).vertices());
        assertThat(result.bodyPoints()).containsExactly(body.smplrPoints(estimate));
        assertThat(result.timings()).containsOnlyKeys(Pipeline.Stage.REGRESS, Pipeline.Stage.BODY);
    }
}
