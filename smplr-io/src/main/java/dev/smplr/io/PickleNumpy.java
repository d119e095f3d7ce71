package dev.smplr.io;

import dev.smplr.io.NdArray.DType;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.Arrays;

/**
 * Turns the raw bytes of a pickled numpy array or scalar into an {@link NdArray} or a boxed number. Problems
 * are {@link IllegalArgumentException}s whose message the unpickler prefixes with the file and offset.
 */
final class PickleNumpy {

    /** Java arrays hold at most about this many elements (the VM reserves a few header words). */
    static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private PickleNumpy() {
    }

    /**
     * The dtype for the code numpy passes to {@code dtype(code, align, copy)} in a pickle.
     *
     * @param code e.g. {@code "f8"}, {@code "u4"}, {@code "b1"} ({@code "?"} is read as {@code "b1"})
     * @return the dtype, or {@code null} if this library does not read it
     */
    static DType dtype(String code) {
        DType t = "?".equals(code) ? DType.BOOL : DType.fromCode(code);
        return t == DType.UNICODE || t == DType.BYTES ? null : t;
    }

    /**
     * The element count of {@code shape}, checked to fit in a Java array.
     *
     * @throws IllegalArgumentException if a dimension is negative or the count is too large
     */
    static int elementCount(int[] shape) {
        for (int d : shape) {
            if (d == 0) {
                return 0;
            }
        }
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            n *= d;
            if (n > MAX_ELEMENTS) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape)
                        + " has more elements than a Java array holds");
            }
        }
        return (int) n;
    }

    /**
     * Checks that {@code len} bytes hold exactly {@code product(shape)} values of type {@code t}.
     *
     * @return the element count
     * @throws IllegalArgumentException if they do not, or the shape is too large for a Java array
     */
    static int requireLength(DType t, int[] shape, int len) {
        int count = elementCount(shape);
        long needed = (long) count * t.itemSize();
        if (needed != len) {
            throw new IllegalArgumentException("array data holds " + len + " bytes, but shape "
                    + Arrays.toString(shape) + " of " + t.code() + " needs " + needed);
        }
        return count;
    }

    /** @return the bytes the decoded values occupy in their Java storage */
    static long storageBytes(DType t, int count) {
        return (long) count * (t == DType.UINT32 ? 8 : t.itemSize());
    }

    /**
     * Decodes {@code product(shape)} values of type {@code t} from {@code b[off, off + len)} into a C-ordered,
     * native-valued array. The length is checked before anything is allocated.
     *
     * @param t         the dtype (not {@link DType#UNICODE})
     * @param shape     the shape. Kept.
     * @param fortran   whether the bytes are in Fortran (column-major) order
     * @param bigEndian whether multi-byte values are big-endian
     * @param b         the bytes. Not modified.
     * @param off       first byte
     * @param len       number of bytes; must be {@code product(shape) * t.itemSize()}
     * @return the array
     * @throws IllegalArgumentException if the byte count does not match the shape
     */
    static NdArray decode(DType t, int[] shape, boolean fortran, boolean bigEndian, byte[] b, int off, int len) {
        int count = requireLength(t, shape, len);
        ByteBuffer bb = ByteBuffer.wrap(b, off, len).slice().order(bigEndian ? ByteOrder.BIG_ENDIAN
                : ByteOrder.LITTLE_ENDIAN);
        // Bulk view copies: the JIT turns these into memcpy or byte-swapping loops (posedirs is 34 MB).
        Object data = switch (t) {
            case FLOAT64 -> {
                double[] d = new double[count];
                bb.asDoubleBuffer().get(d);
                yield d;
            }
            case FLOAT32 -> {
                float[] d = new float[count];
                bb.asFloatBuffer().get(d);
                yield d;
            }
            case INT32 -> {
                int[] d = new int[count];
                bb.asIntBuffer().get(d);
                yield d;
            }
            case INT64, UINT64 -> {
                long[] d = new long[count];
                bb.asLongBuffer().get(d);
                yield d;
            }
            case UINT32 -> {
                long[] d = new long[count];
                IntBuffer ib = bb.asIntBuffer();
                for (int i = 0; i < count; i++) {
                    d[i] = ib.get(i) & 0xFFFF_FFFFL;
                }
                yield d;
            }
            case INT8, UINT8 -> Arrays.copyOfRange(b, off, off + len);
            case BOOL -> {
                byte[] d = Arrays.copyOfRange(b, off, off + len);
                for (int i = 0; i < count; i++) {
                    d[i] = d[i] != 0 ? (byte) 1 : (byte) 0; // numpy reads any non-zero byte as True
                }
                yield d;
            }
            case UNICODE, BYTES -> throw new IllegalArgumentException("string arrays are not supported in pickles");
        };
        if (fortran) {
            data = fortranToC(data, shape, count);
        }
        return NdArray.of(t, shape, data);
    }

    /**
     * Reorders values from Fortran order (first index fastest) to C order (last index fastest).
     *
     * @return a new array, or {@code data} itself when the orders coincide (at most one dimension above 1)
     */
    static Object fortranToC(Object data, int[] shape, int count) {
        int big = 0;
        for (int d : shape) {
            big += d > 1 ? 1 : 0;
        }
        if (big <= 1) {
            return data;
        }
        int n = shape.length;
        // cStride[k] = product of shape[j] for j > k; walk the Fortran order with an odometer on the C index.
        int[] cStride = new int[n];
        int s = 1;
        for (int k = n - 1; k >= 0; k--) {
            cStride[k] = s;
            s *= shape[k];
        }
        int[] cIndex = new int[count];
        int[] idx = new int[n];
        int c = 0;
        for (int p = 0; p < count; p++) {
            cIndex[p] = c;
            for (int k = 0; k < n; k++) {
                c += cStride[k];
                if (++idx[k] < shape[k]) {
                    break;
                }
                c -= cStride[k] * shape[k];
                idx[k] = 0;
            }
        }
        if (data instanceof double[] in) {
            double[] out = new double[count];
            for (int p = 0; p < count; p++) {
                out[cIndex[p]] = in[p];
            }
            return out;
        } else if (data instanceof float[] in) {
            float[] out = new float[count];
            for (int p = 0; p < count; p++) {
                out[cIndex[p]] = in[p];
            }
            return out;
        } else if (data instanceof long[] in) {
            long[] out = new long[count];
            for (int p = 0; p < count; p++) {
                out[cIndex[p]] = in[p];
            }
            return out;
        } else if (data instanceof int[] in) {
            int[] out = new int[count];
            for (int p = 0; p < count; p++) {
                out[cIndex[p]] = in[p];
            }
            return out;
        } else {
            byte[] in = (byte[]) data;
            byte[] out = new byte[count];
            for (int p = 0; p < count; p++) {
                out[cIndex[p]] = in[p];
            }
            return out;
        }
    }

    /**
     * A numpy scalar ({@code numpy.core.multiarray.scalar(dtype, bytes)}) as a boxed Java value.
     *
     * @return {@link Double} for floats, {@link Long} for integers ({@link BigInteger} for uint64 above
     *         {@code Long.MAX_VALUE}), {@link Boolean} for bool
     * @throws IllegalArgumentException if the byte count is not the dtype's item size
     */
    static Object scalar(DType t, boolean bigEndian, byte[] b, int off, int len) {
        NdArray a = decode(t, new int[0], false, bigEndian, b, off, len);
        return switch (t) {
            case FLOAT32, FLOAT64 -> a.getDouble(0);
            case BOOL -> ((byte[]) a.data())[0] != 0;
            case INT8 -> (long) ((byte[]) a.data())[0];
            case UINT8 -> (long) (((byte[]) a.data())[0] & 0xFF);
            case INT32 -> (long) ((int[]) a.data())[0];
            case INT64, UINT32 -> ((long[]) a.data())[0];
            case UINT64 -> {
                long v = ((long[]) a.data())[0];
                yield v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
            }
            case UNICODE, BYTES -> throw new IllegalArgumentException("string scalars are not supported in pickles");
        };
    }
}
