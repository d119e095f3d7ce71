package dev.smplr.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class TensorsTest {

    @Test
    void of_and_toFloats_roundTrip() {
        float[] data = {1, 2, 3, 4, 5, 6};
        INDArray a = Tensors.of(data, 2, 3);
        assertThat(a.shape()).containsExactly(2, 3);
        assertThat(a.getFloat(1, 0)).isEqualTo(4f);
        assertThat(Tensors.toFloats(a)).containsExactly(data);
    }

    @Test
    void toFloats_handlesViewsFortranOrderAndDoubles() {
        INDArray a = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        INDArray column = a.get(NDArrayIndex.all(), NDArrayIndex.point(1));
        assertThat(Tensors.toFloats(column)).containsExactly(2, 5);
        INDArray f = a.dup('f');
        assertThat(Tensors.toFloats(f)).containsExactly(1, 2, 3, 4, 5, 6);
        INDArray d = Nd4j.create(new double[] {0.5, 1.5}, new long[] {2}, DataType.DOUBLE);
        assertThat(Tensors.toFloats(d)).containsExactly(0.5f, 1.5f);
        INDArray row = a.getRow(1);
        assertThat(Tensors.toFloats(row)).containsExactly(4, 5, 6);
    }

    @Test
    void batch_and_unstack_roundTrip() {
        List<float[]> samples = List.of(new float[] {1, 2, 3}, new float[] {4, 5, 6});
        INDArray m = Tensors.batch("points", samples, 3);
        assertThat(m.shape()).containsExactly(2, 3);
        List<float[]> back = Tensors.unstack(m);
        assertThat(back).hasSize(2);
        assertThat(back.get(1)).containsExactly(4, 5, 6);
    }

    @Test
    void stack_rejectsBadSamples() {
        assertThatThrownBy(() -> Tensors.stack("points", List.of(new float[3], new float[2]), 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("points[1]: expected 3 values (3 values per sample), got 2");
        assertThatThrownBy(() -> Tensors.stack("points", List.of(new float[] {0, Float.NaN, 0}), 3))
                .hasMessage("points[0][0]: NaN in y");
        assertThatThrownBy(() -> Tensors.stack("points", List.of(), 3))
                .hasMessage("points: expected at least one sample, got none");
        assertThatThrownBy(() -> Tensors.of(new float[5], 2, 3)).hasMessageContaining("needs 6 values, got 5");
        assertThatThrownBy(() -> Tensors.unstack(new float[7], 3)).hasMessageContaining("multiple of 3");
    }
}
