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
    void validInput_passesThrough() {
        float[] a = {1, 2, 3};
        assertThat(Checks.rows("a", a, 1, 3, "1×3")).isSameAs(a);
        assertThat(Checks.batch("a", new float[9], 3, "n×3")).isEqualTo(3);
    }
}
