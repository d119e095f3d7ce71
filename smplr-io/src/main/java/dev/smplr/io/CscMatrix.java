package dev.smplr.io;

import java.util.Arrays;

/**
 * A sparse matrix in compressed sparse column form, as {@code scipy.sparse.csc_matrix} stores it (the SMPL
 * {@code .pkl} files keep {@code J_regressor} and {@code J_regressor_prior} this way).
 *
 * <p>Column {@code c} holds the entries {@code k} in {@code indptr[c] <= k < indptr[c + 1]}: value {@code data[k]}
 * at row {@code indices[k]}. Row indices need not be sorted within a column; repeated (row, column) pairs add
 * up, as in scipy's {@code toarray()}.
 *
 * <p>The constructor copies the three arrays; the accessors return the stored arrays, not copies: do not
 * modify them.
 *
 * @param rows    number of rows, at least 0
 * @param cols    number of columns, at least 0
 * @param indptr  column pointers, {@code cols + 1} values, starting at 0 and non-decreasing. Copied.
 * @param indices row index of each stored entry, {@code indptr[cols]} values in {@code [0, rows)}. Copied.
 * @param data    value of each stored entry, {@code indptr[cols]} values. Copied.
 */
public record CscMatrix(int rows, int cols, int[] indptr, int[] indices, double[] data) {

    /**
     * Checks and copies the arrays.
     *
     * @throws IllegalArgumentException if a size is negative, an array is null, {@code indptr} does not have
     *                                  {@code cols + 1} values, does not start at 0 or decreases, the entry
     *                                  counts disagree, or a row index is outside {@code [0, rows)}
     */
    public CscMatrix {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("shape: expected non-negative (rows, cols), got (" + rows + ", "
                    + cols + ")");
        }
        if (indptr == null || indices == null || data == null) {
            throw new IllegalArgumentException((indptr == null ? "indptr" : indices == null ? "indices" : "data")
                    + ": expected an array, got null");
        }
        if (indptr.length != cols + 1L) {
            throw new IllegalArgumentException("indptr: expected cols + 1 = " + (cols + 1L) + " values, got "
                    + indptr.length);
        }
        if (indptr[0] != 0) {
            throw new IllegalArgumentException("indptr[0]: expected 0, got " + indptr[0]);
        }
        for (int c = 0; c < cols; c++) {
            if (indptr[c + 1] < indptr[c]) {
                throw new IllegalArgumentException("indptr[" + (c + 1) + "]: expected at least indptr[" + c
                        + "] = " + indptr[c] + ", got " + indptr[c + 1]);
            }
        }
        int nnz = indptr[cols];
        if (indices.length != nnz || data.length != nnz) {
            throw new IllegalArgumentException("indices, data: expected indptr[" + cols + "] = " + nnz
                    + " values each, got " + indices.length + " and " + data.length);
        }
        for (int k = 0; k < nnz; k++) {
            if (indices[k] < 0 || indices[k] >= rows) {
                throw new IllegalArgumentException("indices[" + k + "]: expected a row in [0, " + rows + "), got "
                        + indices[k]);
            }
        }
        indptr = indptr.clone();
        indices = indices.clone();
        data = data.clone();
    }

    /** @return the number of stored entries, {@code indptr[cols]} */
    public int nnz() {
        return indptr[cols];
    }

    /**
     * The dense matrix: {@code out[r * cols + c] = sum of data[k]} over the entries k of column c at row r.
     *
     * @return a new row-major array of {@code rows * cols} values
     * @throws IllegalStateException if {@code rows * cols} does not fit in a Java array
     */
    public double[] toDense() {
        double[] out = new double[denseLength()];
        for (int c = 0; c < cols; c++) {
            for (int k = indptr[c]; k < indptr[c + 1]; k++) {
                out[indices[k] * cols + c] += data[k];
            }
        }
        return out;
    }

    /**
     * {@link #toDense()} rounded to float32 after summing in float64.
     *
     * @return a new row-major array of {@code rows * cols} values
     * @throws IllegalStateException if {@code rows * cols} does not fit in a Java array
     */
    public float[] toDenseFloat() {
        double[] dense = toDense();
        float[] out = new float[dense.length];
        for (int i = 0; i < dense.length; i++) {
            out[i] = (float) dense[i];
        }
        return out;
    }

    private int denseLength() {
        long n = (long) rows * cols;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a dense (" + rows + ", " + cols + ") matrix has " + n
                    + " values, more than a Java array holds");
        }
        return (int) n;
    }

    /** Equal when the shapes and the three arrays are equal (data compared bit for bit, as {@link Arrays#equals}). */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof CscMatrix m && rows == m.rows && cols == m.cols
                && Arrays.equals(indptr, m.indptr) && Arrays.equals(indices, m.indices) && Arrays.equals(data, m.data);
    }

    @Override
    public int hashCode() {
        return ((31 * rows + cols) * 31 + Arrays.hashCode(indptr)) * 31
                + 31 * Arrays.hashCode(indices) + Arrays.hashCode(data);
    }

    /** @return e.g. {@code CscMatrix[(24, 6890), nnz=230]} */
    @Override
    public String toString() {
        return "CscMatrix[(" + rows + ", " + cols + "), nnz=" + nnz() + "]";
    }
}
