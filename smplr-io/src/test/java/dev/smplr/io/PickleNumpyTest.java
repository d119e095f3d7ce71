package dev.smplr.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smplr.io.NdArray.DType;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class PickleNumpyTest {

    /** Element (i, j, k) of a (2, 3, 4) array, distinct for every index. */
    private static double value(int i, int j, int k) {
        return 100 * i + 10 * j + k + 0.5;
    }

    @Test
    void decode_fortranOrder_matchesIndexFormula() {
        int[] shape = {2, 3, 4};
        // Fortran bytes: element (i, j, k) at position i + 2 * (j + 3 * k); C result at (i * 3 + j) * 4 + k.
        ByteBuffer bb = ByteBuffer.allocate(24 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    bb.putDouble(8 * (i + 2 * (j + 3 * k)), value(i, j, k));
                }
            }
        }
        NdArray a = PickleNumpy.decode(DType.FLOAT64, shape, true, false, bb.array(), 0, bb.capacity());
        double[] d = (double[]) a.data();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    assertThat(d[(i * 3 + j) * 4 + k]).isEqualTo(value(i, j, k));
                }
            }
        }
    }

    @Test
    void decode_fortranOrderEveryStorage_matchesCOrderOfSameValues() {
        int[] shape = {3, 5};
        for (DType t : new DType[] {DType.FLOAT32, DType.INT32, DType.UINT32, DType.INT64, DType.INT8, DType.UINT8}) {
            int n = 15;
            ByteBuffer c = ByteBuffer.allocate(n * t.itemSize()).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer f = ByteBuffer.allocate(n * t.itemSize()).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < 3; r++) {
                for (int col = 0; col < 5; col++) {
                    int v = 7 * r + col + 1;
                    put(c, t, r * 5 + col, v);
                    put(f, t, r + 3 * col, v);
                }
            }
            NdArray fromC = PickleNumpy.decode(t, shape, false, false, c.array(), 0, c.capacity());
            NdArray fromF = PickleNumpy.decode(t, shape, true, false, f.array(), 0, f.capacity());
            assertThat(fromF).as(t.code()).isEqualTo(fromC);
            assertThat(fromC.getDouble(1 * 5 + 2)).isEqualTo(7 + 2 + 1);
        }
    }

    private static void put(ByteBuffer bb, DType t, int index, int v) {
        switch (t.itemSize()) {
            case 1 -> bb.put(index, (byte) v);
            case 4 -> {
                if (t == DType.FLOAT32) {
                    bb.putFloat(4 * index, v);
                } else {
                    bb.putInt(4 * index, v);
                }
            }
            default -> bb.putLong(8 * index, v);
        }
    }

    @Test
    void decode_bigEndian_matchesPerElementReference() {
        ByteBuffer be = ByteBuffer.allocate(32).order(ByteOrder.BIG_ENDIAN);
        be.putDouble(0, -1.5).putDouble(8, 1e-310).putDouble(16, Math.PI).putDouble(24, Double.NaN);
        assertThat((double[]) PickleNumpy.decode(DType.FLOAT64, new int[] {4}, false, true, be.array(), 0, 32).data())
                .containsExactly(-1.5, 1e-310, Math.PI, Double.NaN);
        assertThat((float[]) PickleNumpy.decode(DType.FLOAT32, new int[] {8}, false, true, be.array(), 0, 32).data())
                .containsExactly(be.getFloat(0), be.getFloat(4), be.getFloat(8), be.getFloat(12), be.getFloat(16),
                        be.getFloat(20), be.getFloat(24), be.getFloat(28));
        assertThat((int[]) PickleNumpy.decode(DType.INT32, new int[] {2}, false, true, be.array(), 0, 8).data())
                .containsExactly(be.getInt(0), be.getInt(4));
        assertThat((long[]) PickleNumpy.decode(DType.UINT32, new int[] {2}, false, true, be.array(), 0, 8).data())
                .containsExactly(be.getInt(0) & 0xFFFFFFFFL, be.getInt(4) & 0xFFFFFFFFL);
        assertThat((long[]) PickleNumpy.decode(DType.INT64, new int[] {2}, false, true, be.array(), 8, 16).data())
                .containsExactly(be.getLong(8), be.getLong(16));
    }

    @Test
    void decode_offsetIntoBuffer_readsOnlyThatRange() {
        byte[] b = {9, 9, 9, 1, 0, 0, 0, 2, 0, 0, 0, 9};
        NdArray a = PickleNumpy.decode(DType.INT32, new int[] {2}, false, false, b, 3, 8);
        assertThat((int[]) a.data()).containsExactly(1, 2);
    }

    @Test
    void decode_uint32AndBool_convertValues() {
        byte[] b = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, (byte) 0x80};
        assertThat(PickleNumpy.decode(DType.UINT32, new int[] {2}, false, false, b, 0, 8).toLongArray())
                .containsExactly(4294967295L, 2147483648L);
        assertThat((byte[]) PickleNumpy.decode(DType.BOOL, new int[] {2, 4}, false, false, b, 0, 8).data())
                .containsExactly(1, 1, 1, 1, 0, 0, 0, 1);
    }

    @Test
    void decode_zeroSizeAndScalarShapes_work() {
        assertThat(PickleNumpy.decode(DType.FLOAT64, new int[] {0, 3}, true, false, new byte[0], 0, 0).size())
                .isZero();
        assertThat(PickleNumpy.decode(DType.UINT8, new int[0], false, false, new byte[] {(byte) 200}, 0, 1)
                .getDouble(0)).isEqualTo(200);
    }

    @Test
    void decode_wrongLength_throwsBeforeAllocating() {
        assertThatThrownBy(() -> PickleNumpy.decode(DType.FLOAT64, new int[] {6890, 3, 207}, false, false,
                new byte[16], 0, 16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("array data holds 16 bytes, but shape [6890, 3, 207] of f8 needs 34229520");
        assertThatThrownBy(() -> PickleNumpy.elementCount(new int[] {65536, 65536}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more elements than a Java array");
        assertThatThrownBy(() -> PickleNumpy.elementCount(new int[] {2, -1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative dimension");
        assertThat(PickleNumpy.elementCount(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 0})).isZero();
    }

    @Test
    void scalar_eachType_boxesAsDocumented() {
        byte[] ones = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
            (byte) 0xff};
        assertThat(PickleNumpy.scalar(DType.UINT64, false, ones, 0, 8))
                .isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(PickleNumpy.scalar(DType.INT64, false, ones, 0, 8)).isEqualTo(-1L);
        assertThat(PickleNumpy.scalar(DType.UINT32, false, ones, 0, 4)).isEqualTo(4294967295L);
        assertThat(PickleNumpy.scalar(DType.INT32, false, ones, 0, 4)).isEqualTo(-1L);
        assertThat(PickleNumpy.scalar(DType.INT8, false, ones, 0, 1)).isEqualTo(-1L);
        assertThat(PickleNumpy.scalar(DType.UINT8, false, ones, 0, 1)).isEqualTo(255L);
        assertThat(PickleNumpy.scalar(DType.BOOL, false, ones, 0, 1)).isEqualTo(true);
        byte[] f = ByteBuffer.allocate(8).putDouble(0.1).array();
        assertThat(PickleNumpy.scalar(DType.FLOAT64, true, f, 0, 8)).isEqualTo(0.1);
        assertThat(PickleNumpy.scalar(DType.FLOAT32, true, ByteBuffer.allocate(4).putFloat(0.1f).array(), 0, 4))
                .isEqualTo((double) 0.1f);
        assertThatThrownBy(() -> PickleNumpy.scalar(DType.FLOAT64, false, f, 0, 4))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dtype_codes_mapToNdArrayTypes() {
        assertThat(PickleNumpy.dtype("f8")).isEqualTo(DType.FLOAT64);
        assertThat(PickleNumpy.dtype("u4")).isEqualTo(DType.UINT32);
        assertThat(PickleNumpy.dtype("?")).isEqualTo(DType.BOOL);
        assertThat(PickleNumpy.dtype("b1")).isEqualTo(DType.BOOL);
        assertThat(PickleNumpy.dtype("U")).isNull();
        assertThat(PickleNumpy.dtype("c16")).isNull();
        assertThat(PickleNumpy.dtype("O8")).isNull();
    }
}
