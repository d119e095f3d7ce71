package dev.smplr.smpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smplr.smpl.RegressorConfig.Kind;
import org.junit.jupiter.api.Test;

class RegressorConfigTest {

    @Test
    void paper_bothKinds_matchSpec5() {
        for (Kind kind : Kind.values()) {
            RegressorConfig c = RegressorConfig.paper(kind);
            assertThat(new int[] {c.fce1(), c.fce2(), c.fce3(), c.fce4(), c.fce41(), c.fce42(), c.fce5(), c.fce43()})
                    .containsExactly(1024, 1024, 512, 512, 512, 256, 256, 256);
            assertThat(c.bnDecay()).isEqualTo(0.99);
            assertThat(c.bnEps()).isEqualTo(1e-3);
            assertThat(c.kind()).isEqualTo(kind);
            assertThat(c.presetName()).isEqualTo("paper");
        }
    }

    @Test
    void kind_sizes_shapeIs41To11AndPoseIs123To216() {
        assertThat(RegressorConfig.paper(Kind.SHAPE).inputSize()).isEqualTo(41);
        assertThat(RegressorConfig.paper(Kind.SHAPE).outputSize()).isEqualTo(11);
        assertThat(RegressorConfig.demo(Kind.POSE).inputSize()).isEqualTo(41 * 3);
        assertThat(RegressorConfig.demo(Kind.POSE).outputSize()).isEqualTo(24 * 9);
    }

    @Test
    void demo_isNarrowerAndNamed() {
        RegressorConfig c = RegressorConfig.demo(Kind.POSE);
        assertThat(new int[] {c.fce1(), c.fce2(), c.fce3(), c.fce4(), c.fce41(), c.fce42(), c.fce5(), c.fce43()})
                .containsExactly(256, 256, 128, 128, 128, 64, 64, 64);
        assertThat(c.presetName()).isEqualTo("demo");
        assertThat(c.toBuilder().fce5(32).build().presetName()).isEqualTo("custom");
    }

    @Test
    void toBuilder_roundTrips() {
        RegressorConfig c = RegressorConfig.demo(Kind.SHAPE).toBuilder().fce43(7).seed(9).bnEps(1e-5).build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(RegressorConfig.builder().build()).isEqualTo(RegressorConfig.paper(Kind.SHAPE));
        assertThat(RegressorConfig.builder().kind(Kind.POSE).build()).isEqualTo(RegressorConfig.paper(Kind.POSE));
    }

    @Test
    void builder_badValues_throwNamingField() {
        assertThatThrownBy(() -> RegressorConfig.builder().fce41(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("fce41: expected at least 1, got 0");
        assertThatThrownBy(() -> RegressorConfig.builder().kind(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("kind: expected SHAPE or POSE, got null");
        assertThatThrownBy(() -> RegressorConfig.builder().bnDecay(1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("bnDecay:");
        assertThatThrownBy(() -> RegressorConfig.builder().bnEps(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("bnEps:");
        assertThatThrownBy(() -> RegressorConfig.paper(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("kind:");
        assertThatThrownBy(() -> new RegressorConfig(Kind.POSE, 1, 1, 1, 1, 1, 1, -2, 1, 0.9, 1e-3, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("fce5: expected at least 1, got -2");
    }
}
