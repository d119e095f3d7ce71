package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class NhwcTensorTest {

    @Test
    void offset_paddedTensor_skipsBorderRowsAndColumns() {
        NhwcTensor t = NhwcTensor.allocate(2, 3, 4, 5, 1, true);

        assertThat(t.pixels()).isEqualTo(2 * 5 * 6);
        assertThat(t.offset(0, 0, 0)).isEqualTo((6 + 1) * 5);
        assertThat(t.offset(1, 2, 3)).isEqualTo(((5 + 3) * 6 + 4) * 5);
        assertThat(t.rows().shape()).containsExactly(60, 5);
    }

    @Test
    void taps3x3_andGridRows_lineUpWithInteriorPixels() {
        NhwcTensor t = NhwcTensor.allocate(2, 3, 4, 1, 1, true);
        for (int i = 0; i < t.pixels(); i++) {
            t.data.put(i, i);
        }
        INDArray[] taps = t.taps3x3();
        INDArray grid = t.gridRows();

        assertThat(t.gridLength()).isEqualTo(60 - 2 * 7);
        // Grid row r is output pixel r + w + 3; tap (ky, kx) row r is input pixel r + ky·(w + 2) + kx, i.e. the
        // neighbour (dy, dx) = (ky − 1, kx − 1) of that output pixel.
        for (int r = 0; r < t.gridLength(); r++) {
            float centre = grid.getFloat(r, 0);
            for (int ky = 0; ky < 3; ky++) {
                for (int kx = 0; kx < 3; kx++) {
                    assertThat(taps[ky * 3 + kx].getFloat(r, 0)).isEqualTo(centre + (ky - 1) * 6 + (kx - 1));
                }
            }
        }
        assertThat(grid.getFloat(0, 0)).isEqualTo(t.offset(0, 0, 0));
        assertThat(grid.getFloat(t.gridLength() - 1, 0)).isEqualTo(t.offset(1, 2, 3));
    }

    @Test
    void allocate_badSizes_throw() {
        assertThatThrownBy(() -> NhwcTensor.allocate(1, 0, 2, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tensor: expected positive n, h, w, c, got 1, 0, 2, 2");
        assertThatThrownBy(() -> NhwcTensor.allocate(1, 2, 2, 2, 2, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("pad: expected 0 or 1, got 2");
        assertThatThrownBy(() -> NhwcTensor.allocate(1, 2, 2, 2).taps3x3())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("pad 1");
    }
}
