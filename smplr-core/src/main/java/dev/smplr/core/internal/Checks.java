package dev.smplr.core.internal;

/**
 * Argument checks with messages that say what was wrong, where, what was expected and what was found, e.g.
 * {@code pose: expected 72 values (24×3 axis-angle), got 69} or {@code points41[17]: NaN in y}.
 *
 * <p>Every method throws {@link IllegalArgumentException}; a {@code null} array is reported the same way.
 */
public final class Checks {
    private static final char[] XYZ = {'x', 'y', 'z'};

    private Checks() {
    }

    /**
     * Checks that {@code values} holds exactly {@code expected} values.
     *
     * @param name  the argument's name, as the caller knows it
     * @param values the array. Not modified.
     * @param expected the required length
     * @param shape  a description of the expected shape, e.g. {@code "24×3 axis-angle"}
     * @return {@code values}
     */
    public static float[] length(String name, float[] values, int expected, String shape) {
        notNull(name, values);
        if (values.length != expected) {
            throw new IllegalArgumentException(
                    name + ": expected " + expected + " values (" + shape + "), got " + values.length);
        }
        return values;
    }

    /**
     * Checks that every value is finite; for {@code stride} 3 the message names the point and axis
     * ({@code points41[17]: NaN in y}), otherwise the row and column.
     *
     * @param name   the argument's name
     * @param values the array. Not modified.
     * @param stride values per row (3 for points, 9 for rotation matrices, 1 for plain vectors)
     * @return {@code values}
     */
    public static float[] finite(String name, float[] values, int stride) {
        notNull(name, values);
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(name + describe(i, stride) + ": " + v + where(i, stride));
            }
        }
        return values;
    }

    /**
     * Checks length and finiteness together: {@code rows} rows of {@code stride} values each.
     *
     * @param name   the argument's name
     * @param values the array. Not modified.
     * @param rows   the number of rows (points, joints, matrices)
     * @param stride values per row
     * @param shape  a description of the expected shape
     * @return {@code values}
     */
    public static float[] rows(String name, float[] values, int rows, int stride, String shape) {
        length(name, values, Math.multiplyExact(rows, stride), shape);
        return finite(name, values, stride);
    }

    /**
     * Checks that the length is a non-zero multiple of {@code stride} and that all values are finite; returns
     * the number of rows. For batched inputs whose count the caller does not know in advance.
     *
     * @param name   the argument's name
     * @param values the array. Not modified.
     * @param stride values per row
     * @param shape  a description of one row, e.g. {@code "n×3 axis-angle"}
     * @return the number of rows
     */
    public static int batch(String name, float[] values, int stride, String shape) {
        notNull(name, values);
        if (values.length == 0 || values.length % stride != 0) {
            throw new IllegalArgumentException(name + ": expected a non-zero multiple of " + stride
                    + " values (" + shape + "), got " + values.length);
        }
        finite(name, values, stride);
        return values.length / stride;
    }

    /** Same as {@link #length(String, float[], int, String)} for double arrays. */
    public static double[] length(String name, double[] values, int expected, String shape) {
        notNull(name, values);
        if (values.length != expected) {
            throw new IllegalArgumentException(
                    name + ": expected " + expected + " values (" + shape + "), got " + values.length);
        }
        return values;
    }

    /**
     * Checks that a reference is not null.
     *
     * @param name  the argument's name
     * @param value the reference
     * @param <T>   its type
     * @return {@code value}
     */
    public static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + ": null");
        }
        return value;
    }

    /**
     * Checks {@code 0 <= index < size}.
     *
     * @param name  the argument's name
     * @param index the index
     * @param size  the number of valid indices
     * @return {@code index}
     */
    public static int index(String name, int index, int size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException(name + ": index " + index + " out of range [0, " + size + ")");
        }
        return index;
    }

    /**
     * Checks that a number is finite.
     *
     * @param name  the argument's name
     * @param value the number
     * @return {@code value}
     */
    public static float finite(String name, float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(name + ": expected a finite number, got " + value);
        }
        return value;
    }

    /**
     * Checks that a count is at least 1: {@code steps: expected at least 1, got 0}.
     *
     * @param name  the argument's name
     * @param value the count
     * @return {@code value}
     */
    public static int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + ": expected at least 1, got " + value);
        }
        return value;
    }

    /**
     * Checks that a count is at least 1: {@code steps: expected at least 1, got 0}.
     *
     * @param name  the argument's name
     * @param value the count
     * @return {@code value}
     */
    public static long positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + ": expected at least 1, got " + value);
        }
        return value;
    }

    /**
     * Checks that a count is not negative: {@code stopAfter: expected at least 0, got -1}.
     *
     * @param name  the argument's name, for the message
     * @param value the count
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value < 0}
     */
    public static long nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + ": expected at least 0, got " + value);
        }
        return value;
    }

    /**
     * Checks that a number is finite and greater than 0 (a learning rate, an epsilon):
     * {@code lr0: expected a finite value > 0, got NaN}.
     *
     * @param name  the argument's name
     * @param value the number
     * @return {@code value}
     */
    public static double positiveFinite(String name, double value) {
        // written so that NaN fails too
        if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(name + ": expected a finite value > 0, got " + value);
        }
        return value;
    }

    /**
     * Checks that a number lies in [0, 1) (a momentum, a dropout rate): {@code bnDecay: expected a momentum in
     * [0, 1), got 1.0}.
     *
     * @param name  the argument's name
     * @param what  what the number is, with its article, e.g. {@code "a momentum"}
     * @param value the number
     * @return {@code value}
     */
    public static double belowOne(String name, String what, double value) {
        // written so that NaN fails too
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + ": expected " + what + " in [0, 1), got " + value);
        }
        return value;
    }

    private static String describe(int i, int stride) {
        return stride <= 1 ? "[" + i + "]" : "[" + (i / stride) + "]";
    }

    private static String where(int i, int stride) {
        if (stride == 3) {
            return " in " + XYZ[i % 3];
        }
        return stride <= 1 ? "" : " at component " + (i % stride);
    }
}
