package dev.smplr.core.internal;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moves data between the library's flat {@code float[]} arrays and ND4J, with one copy each way (ND4J keeps
 * its data off-heap, so one copy is the floor), and batches lists of samples.
 *
 * <p>Needs an ND4J backend at run time for the {@link INDArray} methods (the modules that use ND4J bring
 * {@code nd4j-native}); the batching methods need none.
 */
public final class Tensors {
    private Tensors() {
    }

    /**
     * A float32 C-order array of the given shape holding a copy of {@code data}.
     *
     * @param data  values in C order. Not modified.
     * @param shape the shape; its product must equal {@code data.length}
     * @return a new INDArray
     * @throws IllegalArgumentException if the product of the shape differs from the length
     */
    public static INDArray of(float[] data, long... shape) {
        Checks.notNull("data", data);
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape: negative dimension " + d);
            }
            n = Math.multiplyExact(n, d);
        }
        if (n != data.length) {
            throw new IllegalArgumentException("data: shape " + java.util.Arrays.toString(shape) + " needs " + n
                    + " values, got " + data.length);
        }
        return Nd4j.create(data, shape, DataType.FLOAT);
    }

    /**
     * The values of an array in C order as float32: one copy, also for views and other data types.
     *
     * @param array the array. Not modified.
     * @return a new float[] of {@code array.length()} values
     */
    public static float[] toFloats(INDArray array) {
        Checks.notNull("array", array);
        INDArray a = array;
        if (a.dataType() != DataType.FLOAT) {
            a = a.castTo(DataType.FLOAT);
        }
        if (a.isView() || a.ordering() != 'c' || a.data().length() != a.length()) {
            a = a.dup('c');
        }
        return a.data().asFloat();
    }

    /**
     * Stacks samples of equal width into one row-major (n, width) array.
     *
     * @param name    the argument's name, for messages
     * @param samples the samples. Not modified.
     * @param width   the values per sample
     * @return a new float[n * width]
     * @throws IllegalArgumentException if the list is empty or null, or a sample is null, of another width, or
     *                                  holds a non-finite value (naming its index)
     */
    public static float[] stack(String name, List<float[]> samples, int width) {
        Checks.notNull(name, samples);
        if (samples.isEmpty()) {
            throw new IllegalArgumentException(name + ": expected at least one sample, got none");
        }
        float[] out = new float[Math.multiplyExact(samples.size(), width)];
        for (int i = 0; i < samples.size(); i++) {
            float[] s = samples.get(i);
            String element = name + "[" + i + "]";
            Checks.length(element, s, width, width + " values per sample");
            Checks.finite(element, s, width % 3 == 0 ? 3 : 1);
            System.arraycopy(s, 0, out, i * width, width);
        }
        return out;
    }

    /**
     * Stacks samples into an (n, width) float32 INDArray (one copy into the heap array, one into ND4J).
     *
     * @param name    the argument's name, for messages
     * @param samples the samples. Not modified.
     * @param width   the values per sample
     * @return a new (n, width) INDArray
     * @throws IllegalArgumentException as {@link #stack(String, List, int)}
     */
    public static INDArray batch(String name, List<float[]> samples, int width) {
        return of(stack(name, samples, width), samples.size(), width);
    }

    /**
     * Splits a row-major (n, width) array into n samples.
     *
     * @param flat  the values. Not modified.
     * @param width the values per sample
     * @return n new arrays
     * @throws IllegalArgumentException if the length is not a multiple of the width
     */
    public static List<float[]> unstack(float[] flat, int width) {
        Checks.notNull("flat", flat);
        if (width <= 0 || flat.length % width != 0) {
            throw new IllegalArgumentException("flat: expected a multiple of " + width + " values, got "
                    + flat.length);
        }
        List<float[]> out = new ArrayList<>(flat.length / width);
        for (int off = 0; off < flat.length; off += width) {
            out.add(java.util.Arrays.copyOfRange(flat, off, off + width));
        }
        return out;
    }

    /**
     * Splits the rows of an (n, width) INDArray into n samples.
     *
     * @param matrix a 2-d array. Not modified.
     * @return n new arrays of {@code matrix.columns()} values
     * @throws IllegalArgumentException if the array is not 2-d
     */
    public static List<float[]> unstack(INDArray matrix) {
        Checks.notNull("matrix", matrix);
        if (matrix.rank() != 2) {
            throw new IllegalArgumentException("matrix: expected rank 2, got shape "
                    + java.util.Arrays.toString(matrix.shape()));
        }
        return unstack(toFloats(matrix), matrix.columns());
    }
}
