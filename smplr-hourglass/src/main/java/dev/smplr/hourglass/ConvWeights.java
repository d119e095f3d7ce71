package dev.smplr.hourglass;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The weights of one bias-free k×k convolution as the GEMM operand of {@link NhwcKernels}: a row-major
 * ({@code k·k·cin} × {@code cout}) matrix, row {@code (ky·k + kx)·cin + ci}, column {@code co} (YXIO order), and
 * for each tap {@code t = ky·k + kx} its (cin × cout) block of rows. Immutable after construction (the matrix is
 * a private copy).
 */
final class ConvWeights {
    final int k;
    final int cin;
    final int cout;
    /** ({@code k·k·cin} × {@code cout}), c-order. */
    final INDArray matrix;
    /** {@code taps[ky·k + kx]}: (cin × cout) row block of {@link #matrix}. */
    final INDArray[] taps;

    private ConvWeights(int k, int cin, int cout, INDArray matrix) {
        this.k = k;
        this.cin = cin;
        this.cout = cout;
        this.matrix = matrix;
        this.taps = new INDArray[k * k];
        for (int t = 0; t < k * k; t++) {
            taps[t] = matrix.get(NDArrayIndex.interval((long) t * cin, (long) (t + 1) * cin), NDArrayIndex.all());
        }
    }

    /**
     * Copies DL4J's convolution weights.
     *
     * @param oiyx weights (cout, cin, k, k), DL4J's {@code ConvolutionLayer} "W" layout; not modified
     * @return the weights
     * @throws IllegalArgumentException "oiyx: expected (cout, cin, k, k), got [...]"
     */
    static ConvWeights fromOiyx(INDArray oiyx) {
        long[] s = oiyx.shape();
        if (s.length != 4 || s[2] != s[3]) {
            throw new IllegalArgumentException("oiyx: expected (cout, cin, k, k), got " + Arrays.toString(s));
        }
        int cout = Math.toIntExact(s[0]);
        int cin = Math.toIntExact(s[1]);
        int k = Math.toIntExact(s[2]);
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            // [O, I, Y, X] -> [Y, X, I, O]: row (ky·k + kx)·cin + ci, column co.
            INDArray m = oiyx.castTo(DataType.FLOAT).permute(2, 3, 1, 0).dup('c')
                    .reshape('c', (long) k * k * cin, cout);
            return new ConvWeights(k, cin, cout, m);
        }
    }

    /**
     * Wraps a YXIO matrix.
     *
     * @param yxio (k·k·cin × cout), row {@code (ky·k + kx)·cin + ci}; copied
     * @param k kernel size
     * @param cin input channels
     * @param cout output channels
     * @return the weights
     * @throws IllegalArgumentException "yxio: expected k·k·cin·cout = N values, got M"
     */
    static ConvWeights fromYxio(float[] yxio, int k, int cin, int cout) {
        long expected = (long) k * k * cin * cout;
        if (k < 1 || cin < 1 || cout < 1 || yxio.length != expected) {
            throw new IllegalArgumentException("yxio: expected k·k·cin·cout = " + expected + " values (k " + k
                    + ", cin " + cin + ", cout " + cout + "), got " + yxio.length);
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return new ConvWeights(k, cin, cout,
                    Nd4j.create(yxio.clone(), new long[] {(long) k * k * cin, cout}, 'c'));
        }
    }

    /**
     * Wraps a 1×1 weight matrix that is already (cin × cout); used for folded head weights.
     *
     * @param matrix (cin × cout); copied
     * @return the weights
     */
    static ConvWeights fromMatrix(INDArray matrix) {
        if (matrix.rank() != 2) {
            throw new IllegalArgumentException("matrix: expected rank 2 (cin, cout), got "
                    + Arrays.toString(matrix.shape()));
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return new ConvWeights(1, Math.toIntExact(matrix.rows()), Math.toIntExact(matrix.columns()),
                    matrix.castTo(DataType.FLOAT).dup('c'));
        }
    }
}
