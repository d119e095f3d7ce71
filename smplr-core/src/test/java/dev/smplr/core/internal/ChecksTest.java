package dev.smplr.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChecksTest {

    @Test
    void messages_nameArgumentExpectedAndFound() {
        assertThatThrownBy(() -> Checks.length("pose", new float[69], 72, "24×3 axis-angle"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pose: expected 72 values (24×3 axis-angle), got 69");
        assertThatThrownBy(() -> Checks.finite("rotations", new float[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Float.NaN}, 9))
                .hasMessage("rotations[1]: NaN at component 1");
        assertThatThrownBy(() -> Checks.finite("betas", new float[] {0, Float.NEGATIVE_INFINITY}, 1))
                .hasMessage("betas[1]: -Infinity");
        assertThatThrownBy(() -> Checks.batch("aa", new float[4], 3, "n×3 axis-angle"))
                .hasMessage("aa: expected a non-zero multiple of 3 values (n×3 axis-angle), got 4");
        assertThatThrownBy(() -> Checks.notNull("x", null)).hasMessage("x: null");
        assertThatThrownBy(() -> Checks.index("joint", -1, 24)).hasMessage("joint: index -1 out of range [0, 24)");
        assertThatThrownBy(() -> Checks.finite("scale", Float.NaN)).hasMessage("scale: expected a finite number, got NaN");
    }

    @Test
    void positive_belowOne_namesArgumentAndValue() {
        assertThatThrownBy(() -> Checks.positive("steps", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("steps: expected at least 1, got 0");
        assertThatThrownBy(() -> Checks.positive("batchSize", Integer.MIN_VALUE))
                .hasMessage("batchSize: expected at least 1, got -2147483648");
        assertThatThrownBy(() -> Checks.positive("steps", -3L)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("steps: expected at least 1, got -3");
        assertThatThrownBy(() -> Checks.positive("steps", Long.MIN_VALUE))
                .hasMessage("steps: expected at least 1, got -9223372036854775808");
    }

    @Test
    void nonNegative_negative_namesArgumentAndValue_zeroPasses() {
        assertThatThrownBy(() -> Checks.nonNegative("stopAfter", -1L)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stopAfter: expected at least 0, got -1");
        assertThat(Checks.nonNegative("stopAfter", 0L)).isZero();
        assertThat(Checks.nonNegative("stopAfter", 7L)).isEqualTo(7L);
    }

    @Test
    void positive_atLeastOne_returnsTheValue() {
        assertThat(Checks.positive("n", 1)).isEqualTo(1);
        assertThat(Checks.positive("n", Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
        assertThat(Checks.positive("n", 1L)).isEqualTo(1L);
        assertThat(Checks.positive("n", Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void positiveFinite_zeroNegativeNanOrInfinite_throws() {
        assertThatThrownBy(() -> Checks.positiveFinite("lr0", 0.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lr0: expected a finite value > 0, got 0.0");
        assertThatThrownBy(() -> Checks.positiveFinite("lr0", -0.0)).hasMessage("lr0: expected a finite value > 0, got -0.0");
        assertThatThrownBy(() -> Checks.positiveFinite("lr0", -1e-4)).hasMessage("lr0: expected a finite value > 0, got -1.0E-4");
        assertThatThrownBy(() -> Checks.positiveFinite("bnEps", Double.NaN))
                .hasMessage("bnEps: expected a finite value > 0, got NaN");
        assertThatThrownBy(() -> Checks.positiveFinite("bnEps", Double.POSITIVE_INFINITY))
                .hasMessage("bnEps: expected a finite value > 0, got Infinity");
    }

    @Test
    void belowOne_outsideZeroToOneOrNan_throws() {
        assertThatThrownBy(() -> Checks.belowOne("bnDecay", "a momentum", 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bnDecay: expected a momentum in [0, 1), got 1.0");
        assertThatThrownBy(() -> Checks.belowOne("dropout", "a rate", -1e-9))
                .hasMessage("dropout: expected a rate in [0, 1), got -1.0E-9");
        assertThatThrownBy(() -> Checks.belowOne("d", "a rate", Double.NaN))
                .hasMessage("d: expected a rate in [0, 1), got NaN");
    }

    @Test
    void belowOne_inRange_returnsTheValue() {
        assertThat(Checks.belowOne("d", "a rate", 0.0)).isEqualTo(0.0);
        assertThat(Checks.belowOne("d", "a rate", Math.nextDown(1.0))).isEqualTo(Math.nextDown(1.0));
    }

    @Test
    void positiveFinite_positive_returnsTheValue() {
        assertThat(Checks.positiveFinite("x", Double.MIN_VALUE)).isEqualTo(Double.MIN_VALUE);
        assertThat(Checks.positiveFinite("x", Double.MAX_VALUE)).isEqualTo(Double.MAX_VALUE);
        assertThat(Checks.positiveFinite("x", 1e-4)).isEqualTo(1e-4);
    }

    @Test
    void validInput_passesThrough() {
        float[] a = {1, 2, 3};
        assertThat(Checks.rows("a", a, 1, 3, "1×3")).isSameAs(a);
        assertThat(Checks.batch("a", new float[9], 3, "n×3")).isEqualTo(3);
    }
}
