package dev.smplr.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The Pipeline contract, with stand-in stages whose outputs are easy to predict. */
class PipelineTest {

    record Estimate(float[] pose, float[] betas, Gender gender) implements BodyEstimate {
    }

    record Mesh(float[] vertices, float[] joints) implements BodyMesh {
    }

    /** Estimator: all points at (brightness of pixel 0, 0, 0) + index offsets. */
    static final PointEstimator ESTIMATOR = crop -> {
        float[] p = TestData.restPoints41();
        p[0] += (crop.getRGB(0, 0) & 0xFF) / 1000f;
        return p;
    };

    /** Denoiser: moves every point 1 mm along x. */
    static final PointDenoiser DENOISER = points -> {
        float[] out = points.clone();
        for (int i = 0; i < out.length; i += 3) {
            out[i] += 0.001f;
        }
        return out;
    };

    /** Regressor: pose[0] = x of point 0; gender by its sign. */
    static final BodyRegressor REGRESSOR = points -> new Estimate(new float[] {points[0]}, new float[10],
            points[0] >= 0 ? Gender.MALE : Gender.FEMALE);

    /** Body: its 41 points are the input rest points shifted by pose[0] in y; one vertex. */
    static final class StandInBody implements BodyModel {
        final float shift;

        StandInBody(float shift) {
            this.shift = shift;
        }

        @Override
        public BodyMesh pose(BodyEstimate e) {
            return new Mesh(new float[] {e.pose()[0] + shift, 0, 0}, new float[72]);
        }

        @Override
        public float[] smplrPoints(BodyMesh mesh) {
            float[] p = TestData.restPoints41();
            p[1] += mesh.vertices()[0];
            return p;
        }

        @Override
        public int[] faces() {
            return new int[0];
        }
    }

    private static BufferedImage image(int gray) {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, gray * 0x010101);
        return img;
    }

    @Test
    void run_allStages_chainsOutputsAndTimesEachStage() {
        Pipeline pipeline = Pipeline.builder().estimator(ESTIMATOR).denoiser(DENOISER).regressor(REGRESSOR)
                .body(new StandInBody(0)).build();
        PipelineResult r = pipeline.run(image(100));
        float[] rest = TestData.restPoints41();
        assertThat(r.estimated()[0]).isEqualTo(rest[0] + 0.1f);
        assertThat(r.denoised()[0]).isEqualTo(rest[0] + 0.1f + 0.001f);
        assertThat(r.estimate().pose()[0]).isEqualTo(r.denoised()[0]);
        assertThat(r.mesh().vertices()[0]).isEqualTo(r.denoised()[0]);
        assertThat(r.bodyPoints()[1]).isEqualTo(rest[1] + r.denoised()[0]);
        assertThat(r.finalPoints()).containsExactly(r.bodyPoints());
        assertThat(r.timings()).containsOnlyKeys(Pipeline.Stage.ESTIMATE, Pipeline.Stage.DENOISE,
                Pipeline.Stage.REGRESS, Pipeline.Stage.BODY);
        assertThat(r.refined()).isNull();
        assertThat(r.finalEstimate()).isSameAs(r.estimate());
        assertThat(r.totalTime()).isPositive();
    }

    /** An estimator that records the sizes of the batches it is given. */
    static final class BatchingEstimator implements PointEstimator {
        final List<Integer> batches = new ArrayList<>();

        @Override
        public float[] estimate(BufferedImage crop) {
            return ESTIMATOR.estimate(crop);
        }

        @Override
        public List<float[]> estimate(List<BufferedImage> crops) {
            batches.add(crops.size());
            return PointEstimator.super.estimate(crops);
        }
    }

    @Test
    void runAll_givesTheEstimatorOneBatch_andTheSameResultsAsRun() {
        BatchingEstimator estimator = new BatchingEstimator();
        Pipeline pipeline = Pipeline.builder().estimator(estimator).denoiser(DENOISER).regressor(REGRESSOR)
                .body(new StandInBody(0)).build();
        List<BufferedImage> crops = List.of(image(10), image(200), image(30));
        List<PipelineResult> all = pipeline.runAll(crops);
        assertThat(estimator.batches).containsExactly(3);
        assertThat(all).hasSize(3);
        for (int i = 0; i < crops.size(); i++) {
            PipelineResult one = pipeline.run(crops.get(i));
            assertThat(all.get(i).estimated()).containsExactly(one.estimated());
            assertThat(all.get(i).bodyPoints()).containsExactly(one.bodyPoints());
            assertThat(all.get(i).timings()).containsOnlyKeys(one.timings().keySet());
        }
        assertThat(pipeline.runAll(List.of())).isEmpty();
    }

    @Test
    void runAll_rejectsNullCropsAndAMiscountingEstimator() {
        Pipeline pipeline = Pipeline.builder().estimator(ESTIMATOR).build();
        List<BufferedImage> withNull = new ArrayList<>(List.of(image(1)));
        withNull.add(null);
        assertThatThrownBy(() -> pipeline.runAll(withNull)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("crops[1]");
        PointEstimator dropsOne = new PointEstimator() {
            @Override
            public float[] estimate(BufferedImage crop) {
                return ESTIMATOR.estimate(crop);
            }

            @Override
            public List<float[]> estimate(List<BufferedImage> crops) {
                return List.of(estimate(crops.get(0)));
            }
        };
        assertThatThrownBy(() -> Pipeline.builder().estimator(dropsOne).build().runAll(List.of(image(1), image(2))))
                .hasMessageContaining("expected 2 point sets, got 1");
        assertThatThrownBy(() -> Pipeline.builder().regressor(REGRESSOR).build().runAll(List.of(image(1))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no estimator");
    }

    /** Refiner: pose[0] + 10 of its initial (or 10 from none), gender kept. */
    static final BodyRefiner REFINER = (points, initial) -> new Estimate(
            new float[] {initial == null ? 10f : initial.pose()[0] + 10f}, new float[10],
            initial == null ? Gender.NEUTRAL : initial.gender());

    @Test
    void run_withRefiner_refinesTheRegressorsEstimateBeforeTheBody() {
        Pipeline pipeline = Pipeline.builder().estimator(ESTIMATOR).denoiser(DENOISER).regressor(REGRESSOR)
                .refiner(REFINER).body(new StandInBody(0)).build();
        PipelineResult r = pipeline.run(image(100));
        assertThat(r.estimate().pose()[0]).isEqualTo(r.denoised()[0]);
        assertThat(r.refined().pose()[0]).isEqualTo(r.denoised()[0] + 10f);
        assertThat(r.finalEstimate()).isSameAs(r.refined());
        assertThat(r.mesh().vertices()[0]).isEqualTo(r.denoised()[0] + 10f);
        assertThat(r.timings()).containsOnlyKeys(Pipeline.Stage.values());
    }

    @Test
    void runFromPoints_refinerWithoutRegressor_startsFromNothing() {
        PipelineResult r = Pipeline.builder().refiner(REFINER).body(new StandInBody(0)).build()
                .runFromPoints(TestData.restPoints41());
        assertThat(r.estimate()).isNull();
        assertThat(r.refined().pose()[0]).isEqualTo(10f);
        assertThat(r.mesh().vertices()[0]).isEqualTo(10f);
        assertThat(r.timings()).containsOnlyKeys(Pipeline.Stage.REFINE, Pipeline.Stage.BODY);
        assertThatThrownBy(() -> Pipeline.builder().refiner((p, e) -> null).build()
                .runFromPoints(TestData.restPoints41()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("refiner output: null");
        assertThatThrownBy(() -> Pipeline.builder().refiner(REFINER).refiner(REFINER))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("refiner already set");
    }

    @Test
    void runFromPoints_skipsTheEstimator_andOptionalStages() {
        float[] rest = TestData.restPoints41();
        PipelineResult onlyDenoise = Pipeline.builder().denoiser(DENOISER).build().runFromPoints(rest);
        assertThat(onlyDenoise.estimated()).isNull();
        assertThat(onlyDenoise.estimate()).isNull();
        assertThat(onlyDenoise.mesh()).isNull();
        assertThat(onlyDenoise.finalPoints()[0]).isEqualTo(rest[0] + 0.001f);
        assertThat(onlyDenoise.timings()).containsOnlyKeys(Pipeline.Stage.DENOISE);

        PipelineResult noDenoiser = Pipeline.builder().regressor(REGRESSOR).body(new StandInBody(0)).build()
                .runFromPoints(rest);
        assertThat(noDenoiser.denoised()).isNull();
        assertThat(noDenoiser.estimate().pose()[0]).isEqualTo(rest[0]);
        assertThat(noDenoiser.timings()).containsOnlyKeys(Pipeline.Stage.REGRESS, Pipeline.Stage.BODY);
    }

    @Test
    void runFromPoints_doesNotLetStagesModifyTheCallersArray() {
        float[] rest = TestData.restPoints41();
        float[] copy = rest.clone();
        PointDenoiser vandal = p -> {
            java.util.Arrays.fill(p, 9f);
            return p;
        };
        PipelineResult r = Pipeline.builder().denoiser(vandal).build().runFromPoints(rest);
        assertThat(rest).containsExactly(copy);
        // and results are copies: modifying what we got back does not change the result
        r.denoised()[0] = -1;
        assertThat(r.denoised()[0]).isEqualTo(9f);
    }

    @Test
    void body_isChosenByTheEstimatedGender() {
        Pipeline pipeline = Pipeline.builder().regressor(REGRESSOR)
                .body(Gender.MALE, new StandInBody(100)).body(Gender.FEMALE, new StandInBody(200)).build();
        float[] positive = TestData.restPoints41();
        positive[0] = 0.5f;
        float[] negative = positive.clone();
        negative[0] = -0.5f;
        assertThat(pipeline.runFromPoints(positive).mesh().vertices()[0]).isEqualTo(100.5f);
        assertThat(pipeline.runFromPoints(negative).mesh().vertices()[0]).isEqualTo(199.5f);

        Pipeline onlyMale = Pipeline.builder().regressor(REGRESSOR).body(Gender.MALE, new StandInBody(0)).build();
        assertThatThrownBy(() -> onlyMale.runFromPoints(negative))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no body model for gender FEMALE");
    }

    @Test
    void stageOutputs_areChecked() {
        PointDenoiser shortOutput = p -> new float[120];
        assertThatThrownBy(() -> Pipeline.builder().denoiser(shortOutput).build()
                .runFromPoints(TestData.restPoints41()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("denoiser output: expected 123 values (41×3 root-relative points), got 120");
        PointEstimator zeros = img -> new float[123];
        PointEstimator broken = img -> {
            float[] p = new float[123];
            p[3 * 40 + 2] = Float.NaN;
            return p;
        };
        assertThat(Pipeline.builder().estimator(zeros).build().run(image(0)).estimated()).hasSize(123);
        assertThatThrownBy(() -> Pipeline.builder().estimator(broken).build().run(image(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("estimator output[40]: NaN in z");
    }

    @Test
    void builderAndRun_rejectMisuse() {
        assertThatThrownBy(() -> Pipeline.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("no stage configured");
        assertThatThrownBy(() -> Pipeline.builder().body(new StandInBody(0)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a regressor");
        assertThatThrownBy(() -> Pipeline.builder().denoiser(DENOISER).denoiser(DENOISER))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("denoiser already set");
        assertThatThrownBy(() -> Pipeline.builder().regressor(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("regressor: null");
        Pipeline noEstimator = Pipeline.builder().denoiser(DENOISER).build();
        assertThatThrownBy(() -> noEstimator.run(image(0)))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("no estimator configured");
        assertThatThrownBy(() -> noEstimator.runFromPoints(new float[122]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("points41: expected 123");
    }

    @Test
    void run_isSafeToShareBetweenThreads() throws Exception {
        Pipeline pipeline = Pipeline.builder().estimator(ESTIMATOR).denoiser(DENOISER).regressor(REGRESSOR)
                .body(new StandInBody(0)).build();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int gray = i;
                futures.add(pool.submit(() -> pipeline.run(image(gray)).finalPoints()));
            }
            for (int i = 0; i < 64; i++) {
                assertThat(futures.get(i).get()).containsExactly(pipeline.run(image(i)).finalPoints());
            }
        } finally {
            pool.shutdown();
        }
    }
}
