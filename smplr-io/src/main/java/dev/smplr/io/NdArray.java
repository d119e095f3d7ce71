package dev.smplr.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional array as numpy stores it: a shape, a {@link DType} and its values in C (row-major) order.
 *
 * <p>Values live in a primitive array that matches the dtype (see {@link DType#storage()}); readers convert
 * Fortran-order and big-endian data on the way in, so every {@code NdArray} is C-ordered and native-valued.
 * The array is <em>kept</em>, not copied: treat it as read-only. The {@code to*Array} methods return fresh
 * copies converted to the requested type.
 */
public final class NdArray {

    /** The numpy dtypes this library reads and writes, with their {@code .npy} descriptors. */
    public enum DType {
        BOOL("b1", 1, byte[].class),
        INT8("i1", 1, byte[].class),
        UINT8("u1", 1, byte[].class),
        INT32("i4", 4, int[].class),
        UINT32("u4", 4, long[].class),
        INT64("i8", 8, long[].class),
        /** Stored as the raw 64 bits in a {@code long}; values above {@code Long.MAX_VALUE} read as negative. */
        UINT64("u8", 8, long[].class),
        FLOAT32("f4", 4, float[].class),
        FLOAT64("f8", 8, double[].class),
        /** numpy {@code <U}: fixed-width UTF-32 strings; {@link #itemSize()} is per character. */
        UNICODE("U", 4, String[].class),
        /**
         * numpy {@code |S}: fixed-width byte strings (Python 2 {@code str}, {@code np.bytes_}), held as Java strings
         * decoded as latin-1 (one char per byte, lossless); {@link #itemSize()} is per byte.
         */
        BYTES("S", 1, String[].class);

        private final String code;
        private final int itemSize;
        private final Class<?> storage;

        DType(String code, int itemSize, Class<?> storage) {
            this.code = code;
            this.itemSize = itemSize;
            this.storage = storage;
        }

        /** @return the numpy kind and size without byte order, e.g. {@code "f4"}; {@code "U"} for strings */
        public String code() {
            return code;
        }

        /** @return bytes per element (per character for {@link #UNICODE}) */
        public int itemSize() {
            return itemSize;
        }

        /** @return the Java array class that holds the values */
        public Class<?> storage() {
            return storage;
        }

        /**
         * The dtype for a numpy code without byte order, such as {@code "f8"} or {@code "u4"}.
         *
         * @param code the code
         * @return the dtype, or {@code null} if this library does not read it
         */
        public static DType fromCode(String code) {
            for (DType t : values()) {
                if (t.code.equals(code)) {
                    return t;
                }
            }
            return null;
        }
    }

    private final int[] shape;
    private final DType dtype;
    private final Object data;

    private NdArray(int[] shape, DType dtype, Object data) {
        this.shape = shape;
        this.dtype = dtype;
        this.data = data;
    }

    /**
     * Wraps values already in C order.
     *
     * @param dtype the dtype
     * @param shape the shape (empty for a 0-d scalar). Copied.
     * @param data  a primitive array of {@code dtype.storage()} with {@code product(shape)} elements. Kept.
     * @return the array
     * @throws IllegalArgumentException if the storage type or the element count does not match
     */
    public static NdArray of(DType dtype, int[] shape, Object data) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        if (!dtype.storage.isInstance(data)) {
            throw new IllegalArgumentException("data: expected " + dtype.storage.getSimpleName() + " for dtype "
                    + dtype + ", got " + data.getClass().getSimpleName());
        }
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape: negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        int len = java.lang.reflect.Array.getLength(data);
        if (n != len) {
            throw new IllegalArgumentException("data: shape " + Arrays.toString(shape) + " needs " + n
                    + " elements, got " + len);
        }
        return new NdArray(shape.clone(), dtype, data);
    }

    /** @param shape the shape. Copied. @param data the values, C order. Kept. @return a float32 array */
    public static NdArray of(int[] shape, float[] data) {
        return of(DType.FLOAT32, shape, data);
    }

    /** @param shape the shape. Copied. @param data the values, C order. Kept. @return a float64 array */
    public static NdArray of(int[] shape, double[] data) {
        return of(DType.FLOAT64, shape, data);
    }

    /** @param shape the shape. Copied. @param data the values, C order. Kept. @return an int32 array */
    public static NdArray of(int[] shape, int[] data) {
        return of(DType.INT32, shape, data);
    }

    /** @param shape the shape. Copied. @param data the values, C order. Kept. @return an int64 array */
    public static NdArray of(int[] shape, long[] data) {
        return of(DType.INT64, shape, data);
    }

    /** @param value the text @return a 0-d unicode array, as numpy stores {@code np.array('lbs')} */
    public static NdArray ofString(String value) {
        return of(DType.UNICODE, new int[0], new String[] {value});
    }

    /** @return the dtype */
    public DType dtype() {
        return dtype;
    }

    /** @return the shape, a copy */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of dimensions (0 for a scalar) */
    public int ndim() {
        return shape.length;
    }

    /** @param axis the axis @return the size along it */
    public int dim(int axis) {
        return shape[axis];
    }

    /** @return the number of elements */
    public int size() {
        return java.lang.reflect.Array.getLength(data);
    }

    /** @return the backing primitive array ({@code dtype().storage()}), kept: do not modify */
    public Object data() {
        return data;
    }

    /** @return the values as float32, converted, in a new array */
    public float[] toFloatArray() {
        int n = size();
        float[] out = new float[n];
        if (data instanceof float[] f) {
            System.arraycopy(f, 0, out, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = (float) getDouble(i);
            }
        }
        return out;
    }

    /** @return the values as float64, converted, in a new array */
    public double[] toDoubleArray() {
        int n = size();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    /**
     * @return the values as int32, in a new array
     * @throws ArithmeticException if a value is not an integer in int range (floats must be integral)
     */
    public int[] toIntArray() {
        int n = size();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            long v = getLong(i);
            out[i] = Math.toIntExact(v);
        }
        return out;
    }

    /**
     * @return the values as int64, in a new array
     * @throws ArithmeticException if a floating-point value is not integral
     */
    public long[] toLongArray() {
        int n = size();
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = getLong(i);
        }
        return out;
    }

    /**
     * @return the string of a unicode array with one element
     * @throws IllegalStateException if this is not a one-element unicode array
     */
    public String stringValue() {
        if ((dtype != DType.UNICODE && dtype != DType.BYTES) || size() != 1) {
            throw new IllegalStateException("expected a single string, found " + describe());
        }
        return ((String[]) data)[0];
    }

    /**
     * Element {@code i} in C order, as a double.
     *
     * @param i the flat index
     * @return the value (booleans as 0 or 1)
     * @throws IllegalStateException for unicode arrays
     */
    public double getDouble(int i) {
        return switch (dtype) {
            case FLOAT32 -> ((float[]) data)[i];
            case FLOAT64 -> ((double[]) data)[i];
            case INT32 -> ((int[]) data)[i];
            case INT64, UINT32 -> ((long[]) data)[i];
            case UINT64 -> unsigned(((long[]) data)[i]);
            case INT8, BOOL -> ((byte[]) data)[i];
            case UINT8 -> ((byte[]) data)[i] & 0xFF;
            case UNICODE, BYTES -> throw new IllegalStateException("string array has no numeric values");
        };
    }

    private long getLong(int i) {
        return switch (dtype) {
            case INT32 -> ((int[]) data)[i];
            case INT64, UINT32, UINT64 -> ((long[]) data)[i];
            case INT8, BOOL -> ((byte[]) data)[i];
            case UINT8 -> ((byte[]) data)[i] & 0xFF;
            case FLOAT32, FLOAT64 -> {
                double d = getDouble(i);
                long l = (long) d;
                if (l != d) {
                    throw new ArithmeticException("element " + i + " is not an integer: " + d);
                }
                yield l;
            }
            case UNICODE, BYTES -> throw new IllegalStateException("string array has no numeric values");
        };
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    /** @return e.g. {@code float64 (6890, 3, 10)} */
    public String describe() {
        StringBuilder sb = new StringBuilder(dtype.name().toLowerCase(java.util.Locale.ROOT)).append(" (");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        if (shape.length == 1) {
            sb.append(',');
        }
        return sb.append(')').toString();
    }

    /** Equal when dtype, shape and every value are equal (floating-point compared bit for bit). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof NdArray other) || dtype != other.dtype || !Arrays.equals(shape, other.shape)) {
            return false;
        }
        return Arrays.deepEquals(new Object[] {data}, new Object[] {other.data});
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.deepHashCode(new Object[] {data});
    }

    @Override
    public String toString() {
        return "NdArray[" + describe() + "]";
    }
}
