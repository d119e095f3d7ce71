package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ConvWeightsTest {

    @Test
    void fromOiyx_distinctValues_landOnYxioRowsAndTaps() {
        int cout = 3, cin = 2, k = 3;
        INDArray oiyx = Nd4j.create(DataType.FLOAT, cout, cin, k, k);
        for (int o = 0; o < cout; o++) {
            for (int i = 0; i < cin; i++) {
                for (int y = 0; y < k; y++) {
                    for (int x = 0; x < k; x++) {
                        oiyx.putScalar(new long[] {o, i, y, x}, 1000 * o + 100 * i + 10 * y + x);
                    }
                }
            }
        }

        ConvWeights w = ConvWeights.fromOiyx(oiyx);
        oiyx.assign(0); // a copy: later changes to the source are not seen

        assertThat(w.matrix.shape()).containsExactly(k * k * cin, cout);
        for (int o = 0; o < cout; o++) {
            for (int i = 0; i < cin; i++) {
                for (int y = 0; y < k; y++) {
                    for (int x = 0; x < k; x++) {
                        float expected = 1000 * o + 100 * i + 10 * y + x;
                        assertThat(w.matrix.getFloat((y * k + x) * cin + i, o)).isEqualTo(expected);
                        assertThat(w.taps[y * k + x].getFloat(i, o)).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void fromYxio_wrongLength_throwsNamingCounts() {
        assertThatThrownBy(() -> ConvWeights.fromYxio(new float[10], 3, 2, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("yxio: expected k·k·cin·cout = 18 values (k 3, cin 2, cout 1), got 10");
    }

    @Test
    void fromOiyx_notSquare_throws() {
        assertThatThrownBy(() -> ConvWeights.fromOiyx(Nd4j.create(DataType.FLOAT, 2, 2, 3, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 2, 3, 1]");
    }
}
