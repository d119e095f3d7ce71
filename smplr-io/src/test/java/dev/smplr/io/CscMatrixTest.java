package dev.smplr.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CscMatrixTest {

    /** [[0, 2, 0], [1, 0, 3]] with the (1, 2) entry split into two duplicates 1 + 2. */
    private static CscMatrix sample() {
        return new CscMatrix(2, 3, new int[] {0, 1, 2, 4}, new int[] {1, 0, 1, 1}, new double[] {1, 2, 1, 2});
    }

    @Test
    void toDense_sumsDuplicatesRowMajor() {
        assertThat(sample().toDense()).containsExactly(0, 2, 0, 1, 0, 3);
        assertThat(sample().toDenseFloat()).containsExactly(0f, 2f, 0f, 1f, 0f, 3f);
        assertThat(sample().nnz()).isEqualTo(4);
    }

    @Test
    void toDenseFloat_roundsAfterSummingInDouble() {
        // 1 + 1e-8 rounds to 1f, but (1 + 1e-8) - 1 accumulated first would not: the sum happens in float64.
        CscMatrix m = new CscMatrix(1, 1, new int[] {0, 3}, new int[] {0, 0, 0}, new double[] {1e8, 1, -1e8});
        assertThat(m.toDenseFloat()).containsExactly(1f);
    }

    @Test
    void constructor_copiesArrays() {
        int[] indptr = {0, 1};
        double[] data = {5};
        CscMatrix m = new CscMatrix(1, 1, indptr, new int[] {0}, data);
        indptr[1] = 7;
        data[0] = 6;
        assertThat(m.indptr()).containsExactly(0, 1);
        assertThat(m.data()).containsExactly(5);
    }

    @Test
    void constructor_badShapes_throwNamingArgument() {
        assertThatThrownBy(() -> new CscMatrix(-1, 1, new int[] {0, 0}, new int[0], new double[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape: expected non-negative (rows, cols), got (-1, 1)");
        assertThatThrownBy(() -> new CscMatrix(2, 3, new int[] {0, 1}, new int[0], new double[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("indptr: expected cols + 1 = 4 values, got 2");
        assertThatThrownBy(() -> new CscMatrix(2, 1, new int[] {1, 1}, new int[0], new double[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("indptr[0]: expected 0, got 1");
        assertThatThrownBy(() -> new CscMatrix(2, 2, new int[] {0, 2, 1}, new int[] {0}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("indptr[2]: expected at least indptr[1] = 2, got 1");
        assertThatThrownBy(() -> new CscMatrix(2, 1, new int[] {0, 2}, new int[] {0}, new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("indices, data: expected indptr[1] = 2 values each, got 1 and 2");
        assertThatThrownBy(() -> new CscMatrix(2, 1, new int[] {0, 1}, new int[] {2}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("indices[0]: expected a row in [0, 2), got 2");
        assertThatThrownBy(() -> new CscMatrix(2, 1, new int[] {0, 1}, new int[] {-1}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got -1");
        assertThatThrownBy(() -> new CscMatrix(2, 1, null, new int[0], new double[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("indptr: expected an array, got null");
    }

    @Test
    void toDense_tooLarge_throws() {
        CscMatrix m = new CscMatrix(100_000, 100_000, new int[100_001], new int[0], new double[0]);
        assertThatThrownBy(m::toDense).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("(100000, 100000)");
    }

    @Test
    void equalsHashCodeToString_useContents() {
        assertThat(sample()).isEqualTo(sample()).hasSameHashCodeAs(sample());
        assertThat(sample()).isNotEqualTo(new CscMatrix(2, 3, new int[] {0, 1, 2, 4}, new int[] {1, 0, 1, 1},
                new double[] {1, 2, 1, 2.5}));
        assertThat(sample().toString()).isEqualTo("CscMatrix[(2, 3), nnz=4]");
    }
}
