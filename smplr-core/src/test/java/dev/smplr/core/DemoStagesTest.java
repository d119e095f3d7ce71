package dev.smplr.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smplr.core.spi.DemoStageProvider;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Pipeline#demo()} through {@link DemoStageProvider}: fake providers registered in this module's test
 * resources ({@code META-INF/services}) stand in for the modules' trained stages.
 */
class DemoStagesTest {

    /** Base of the fakes: a stage and the object it creates. */
    abstract static class Fake implements DemoStageProvider {
        private final Pipeline.Stage stage;
        private final Object created;

        Fake(Pipeline.Stage stage, Object created) {
            this.stage = stage;
            this.created = created;
        }

        @Override
        public Pipeline.Stage stage() {
            return stage;
        }

        @Override
        public String module() {
            return "fake-" + stage.name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public Object create() {
            return created;
        }
    }

    /** Estimates the rest points. */
    public static final class FakeEstimator extends Fake {
        public FakeEstimator() {
            super(Pipeline.Stage.ESTIMATE, (PointEstimator) crop -> TestData.restPoints41());
        }
    }

    /** Moves every point 1 cm along y. */
    public static final class FakeDenoiser extends Fake {
        public FakeDenoiser() {
            super(Pipeline.Stage.DENOISE, (PointDenoiser) p -> {
                float[] out = p.clone();
                for (int i = 1; i < out.length; i += 3) {
                    out[i] += 0.01f;
                }
                return out;
            });
        }
    }

    /** pose[0] = y of point 0. */
    public static final class FakeRegressor extends Fake {
        public FakeRegressor() {
            super(Pipeline.Stage.REGRESS, (BodyRegressor) p -> new PipelineTest.Estimate(new float[] {p[1]},
                    new float[10], Gender.NEUTRAL));
        }
    }

    /** The stand-in body of PipelineTest. */
    public static final class FakeBody extends Fake {
        public FakeBody() {
            super(Pipeline.Stage.BODY, new PipelineTest.StandInBody(0));
        }
    }

    /** Claims a stage but creates the wrong kind of object. */
    static final class WrongKind extends Fake {
        WrongKind() {
            super(Pipeline.Stage.DENOISE, "not a denoiser");
        }
    }

    @Test
    void demo_fakeProvidersOnClassPath_composesAllFourStagesInOrder() {
        Pipeline demo = Pipeline.demo();
        PipelineResult r = demo.run(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB));
        float[] rest = TestData.restPoints41();
        assertThat(r.estimated()).containsExactly(rest);
        assertThat(r.denoised()[1]).isEqualTo(rest[1] + 0.01f);
        // the regressor saw the denoised points, the body posed the regressor's estimate
        assertThat(r.estimate().pose()[0]).isEqualTo(rest[1] + 0.01f);
        assertThat(r.mesh().vertices()[0]).isEqualTo(rest[1] + 0.01f);
        assertThat(r.timings()).containsOnlyKeys(Pipeline.Stage.values());
    }

    @Test
    void compose_missingStages_namesTheMissingModules() {
        assertThatThrownBy(() -> DemoStages.compose(List.of(new FakeDenoiser(), new FakeBody())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("smplr-hourglass (estimate)")
                .hasMessageContaining("smplr-smpl (regress)")
                .hasMessageNotContaining("smplr-dae");
    }

    @Test
    void compose_noProviders_namesAllThreeModules() {
        assertThatThrownBy(() -> DemoStages.compose(List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("smplr-hourglass").hasMessageContaining("smplr-dae")
                .hasMessageContaining("smplr-smpl");
    }

    @Test
    void compose_twoProvidersForOneStage_namesBoth() {
        assertThatThrownBy(() -> DemoStages.compose(List.of(new FakeDenoiser(), new WrongKind())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two providers for the DENOISE stage")
                .hasMessageContaining("FakeDenoiser").hasMessageContaining("WrongKind");
    }

    @Test
    void compose_wrongKindOfStage_namesProviderAndExpectedType() {
        assertThatThrownBy(() -> DemoStages.compose(List.of(new FakeEstimator(), new WrongKind(),
                new FakeRegressor(), new FakeBody())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("WrongKind")
                .hasMessageContaining("java.lang.String")
                .hasMessageContaining("expected a PointDenoiser");
    }
}
