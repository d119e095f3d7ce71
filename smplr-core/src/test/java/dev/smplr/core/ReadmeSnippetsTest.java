package dev.smplr.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The README's quick start, kept compiling and true. Copy changes to README.md. */
class ReadmeSnippetsTest {

    @Test
    void quickStart() {
        float[] rest = RestSkeleton.nodes();                       // 42 nodes, metres, SMPL proportions
        float[] pose = new float[3 * 42];                          // axis-angle per node
        pose[3 * 18 + 2] = 1.2f;                                   // bend the left elbow
        float[] posed = KinematicTree.smplr().forwardKinematics(rest, pose);

        float[] points41 = java.util.Arrays.copyOfRange(posed, 3, 126);   // root-relative (the pelvis stays at 0)
        float[] n = SmplrFeatures.normalizedRelativeJoints(points41);    // N: 41 unit bone directions (123)
        float[] b = SmplrFeatures.relativeDistances(points41,            // B: bone length minus template (41)
                SmplrFeatures.templateDistances(RestSkeleton.points41()));

        double mpjpe = Metrics.mpjpe(points41, RestSkeleton.points41());  // millimetres
        double pa = Metrics.paMpjpe(points41, RestSkeleton.points41());

        Pipeline pipeline = Pipeline.builder()                     // stages are interfaces: plug in your own
                .denoiser(p -> p.clone())
                .build();
        PipelineResult result = pipeline.runFromPoints(points41);

        assertThat(n).hasSize(123);
        for (float v : b) {
            assertThat(v).isCloseTo(0f, org.assertj.core.api.Assertions.within(1e-6f)); // posing keeps bone lengths
        }
        // only what hangs below the elbow moved: the left wrist, hand and hand landmark
        long moved = java.util.stream.IntStream.range(0, 41)
                .filter(p -> Math.abs(points41[3 * p] - rest[3 * p + 3]) > 1e-6
                        || Math.abs(points41[3 * p + 1] - rest[3 * p + 4]) > 1e-6).count();
        assertThat(moved).isEqualTo(3);
        assertThat(mpjpe).isGreaterThan(0);
        // Procrustes minimises squared error: with error on 3 points only it spreads it over all 41, so the
        // mean distance grows (numpy gives the same 26.37 and 57.75 mm)
        assertThat(mpjpe).isCloseTo(26.3677, org.assertj.core.api.Assertions.within(1e-3));
        assertThat(pa).isCloseTo(57.7544, org.assertj.core.api.Assertions.within(1e-3));
        assertThat(result.finalPoints()).containsExactly(points41);
    }
}
