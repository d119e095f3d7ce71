package dev.smplr.hourglass;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A batch of feature maps for {@link NhwcKernels}: float32, batch-major NHWC, in one off-heap ND4J buffer, with an
 * optional border of {@code pad} pixels around every image.
 *
 * <p>Layout: the tensor stores {@code n × (h + 2·pad) × (w + 2·pad) × c} floats; channel {@code ch} of pixel
 * {@code (x, y)} of image {@code b} is at {@link #offset(int, int, int) offset(b, y, x)} {@code + ch}, where
 * {@code offset(b, y, x) = ((b·(h + 2·pad) + y + pad)·(w + 2·pad) + x + pad)·c}. All pixels, border included,
 * form one contiguous (pixels × c) row-major matrix, {@link #rows()}: the operand of the GEMMs.
 *
 * <p>A border is either kept at zero (the input of a 3×3 convolution: kernels write only the interior) or holds
 * garbage (the output of a 3×3 convolution, computed on the padded grid); {@link #zeroBorder} says which, so the
 * two are never mixed up when buffers are reused. Not thread-safe; owned by one forward pass.
 */
final class NhwcTensor {
    final int n;
    final int h;
    final int w;
    final int c;
    final int pad;
    final boolean zeroBorder;
    /** The whole buffer as a flat c-order vector. */
    final INDArray array;
    /** The same memory as a direct buffer, index 0 = element 0. */
    final FloatBuffer data;
    private final INDArray rows;
    private INDArray[] taps;
    private INDArray gridRows;

    private NhwcTensor(int n, int h, int w, int c, int pad, boolean zeroBorder) {
        this.n = n;
        this.h = h;
        this.w = w;
        this.c = c;
        this.pad = pad;
        this.zeroBorder = zeroBorder;
        long pixels = (long) n * (h + 2 * pad) * (w + 2 * pad);
        long length = Math.multiplyExact(pixels, (long) c);
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor: expected at most 2^31 - 1 floats, got " + n + "×" + h
                    + "×" + w + "×" + c + " with pad " + pad);
        }
        // Kernels keep their buffers across calls: never let them land in a DL4J workspace that is open.
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            array = Nd4j.create(DataType.FLOAT, length);
            rows = array.reshape('c', pixels, c);
        }
        data = array.data().asNioFloat();
    }

    /**
     * Allocates a zero-filled tensor.
     *
     * @param n batch size, at least 1
     * @param h height, at least 1
     * @param w width, at least 1
     * @param c channels, at least 1
     * @param pad border width in pixels, 0 or 1
     * @param zeroBorder whether the border must stay zero (only meaningful with {@code pad > 0})
     * @return the tensor
     */
    static NhwcTensor allocate(int n, int h, int w, int c, int pad, boolean zeroBorder) {
        if (n < 1 || h < 1 || w < 1 || c < 1) {
            throw new IllegalArgumentException("tensor: expected positive n, h, w, c, got " + n + ", " + h + ", "
                    + w + ", " + c);
        }
        if (pad < 0 || pad > 1) {
            throw new IllegalArgumentException("pad: expected 0 or 1, got " + pad);
        }
        return new NhwcTensor(n, h, w, c, pad, pad > 0 && zeroBorder);
    }

    /** @return a plain tensor without border */
    static NhwcTensor allocate(int n, int h, int w, int c) {
        return allocate(n, h, w, c, 0, false);
    }

    /** @return the element index of channel 0 of pixel {@code (x, y)} of image {@code b} */
    int offset(int b, int y, int x) {
        return ((b * (h + 2 * pad) + y + pad) * (w + 2 * pad) + x + pad) * c;
    }

    /**
     * Copies the interior of row y of image b ({@code w·c} floats, pixel-major, channel fastest) into an array: the
     * element-wise kernels compute on such rows, where the JIT vectorises plain array loops it does not vectorise
     * on a direct buffer's per-element accessors.
     */
    void getRow(int b, int y, float[] dst) {
        data.get(offset(b, y, 0), dst, 0, w * c);
    }

    /** Writes the interior of row y of image b from an array ({@link #getRow}'s layout). */
    void putRow(int b, int y, float[] src) {
        data.put(offset(b, y, 0), src, 0, w * c);
    }

    /** @return the number of interior floats, {@code n·h·w·c} */
    long interiorFloats() {
        return (long) n * h * w * c;
    }

    /** @return padded width in pixels, {@code w + 2·pad} */
    int paddedWidth() {
        return w + 2 * pad;
    }

    /** @return number of stored pixels, border included */
    int pixels() {
        return n * (h + 2 * pad) * (w + 2 * pad);
    }

    /** @return the (pixels × c) row-major matrix view of the whole buffer, border included; cached */
    INDArray rows() {
        return rows;
    }

    /**
     * The nine input operands of a 3×3 convolution computed on the padded grid (pad 1 only): tap
     * {@code t = ky·3 + kx} is the block of {@link #gridLength()} pixel rows starting at row
     * {@code ky·(w + 2) + kx}. Cached.
     *
     * @return the 9 (gridLength × c) views
     */
    INDArray[] taps3x3() {
        if (pad != 1) {
            throw new IllegalStateException("taps3x3: needs a tensor with pad 1, this one is " + shape());
        }
        if (taps == null) {
            int pw = paddedWidth();
            int m = gridLength();
            INDArray[] t = new INDArray[9];
            for (int ky = 0; ky < 3; ky++) {
                for (int kx = 0; kx < 3; kx++) {
                    int shift = ky * pw + kx;
                    t[ky * 3 + kx] = rows.get(NDArrayIndex.interval(shift, shift + m), NDArrayIndex.all());
                }
            }
            taps = t;
        }
        return taps;
    }

    /**
     * The output operand of a 3×3 convolution on the padded grid (pad 1 only): the {@link #gridLength()} pixel
     * rows starting at row {@code w + 3}, so that the result for pixel {@code (b, y, x)} lands on
     * {@code offset(b, y, x)}; the border rows in between receive garbage. Cached.
     *
     * @return the (gridLength × c) view
     */
    INDArray gridRows() {
        if (pad != 1) {
            throw new IllegalStateException("gridRows: needs a tensor with pad 1, this one is " + shape());
        }
        if (gridRows == null) {
            int start = paddedWidth() + 1;
            gridRows = rows.get(NDArrayIndex.interval(start, start + gridLength()), NDArrayIndex.all());
        }
        return gridRows;
    }

    /**
     * @return rows of a padded-grid 3×3 product: all pixels but the first and last {@code w + 3}, i.e.
     *     {@code pixels − 2·(w + 3)}
     */
    int gridLength() {
        return pixels() - 2 * (paddedWidth() + 1);
    }

    /** @return whether {@code other} has the same n, h, w and c (borders may differ) */
    boolean sameShape(NhwcTensor other) {
        return n == other.n && h == other.h && w == other.w && c == other.c;
    }

    /** @return {@code "[n, h, w, c] pad p"} */
    String shape() {
        return "[" + n + ", " + h + ", " + w + ", " + c + "]" + (pad > 0 ? " pad " + pad : "");
    }

    @Override
    public String toString() {
        return "NhwcTensor" + shape();
    }
}
