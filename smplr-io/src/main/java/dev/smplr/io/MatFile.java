package dev.smplr.io;

import dev.smplr.core.internal.Checks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.Cell;
import us.hebi.matlab.mat.types.Char;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Source;
import us.hebi.matlab.mat.types.Sources;
import us.hebi.matlab.mat.types.Sparse;
import us.hebi.matlab.mat.types.Struct;

/**
 * Reads MATLAB level-5 {@code .mat} files (those {@code save} writes by default, {@code -v6} and {@code -v7},
 * compressed or not), such as the SURREAL and CLOTH3D {@code info.mat} annotations, through mfl-core.
 */
public final class MatFile {

    /** Densifying a sparse matrix larger than this (2^27 doubles, 1 GiB) is refused. */
    static final long MAX_DENSE_SPARSE = 1L << 27;

    private MatFile() {
    }

    /**
     * Reads every variable of a MAT file as {@link NdArray}s, keyed by the MATLAB expression that names it.
     *
     * <ul>
     * <li>Numeric matrices keep their type: double → float64, single → float32, int8/uint8/int32/uint32/
     * int64/uint64 → the same, int16 and uint16 → int32 (numpy has them, {@link NdArray.DType} does not),
     * logical → bool. The shape is MATLAB's dimensions (at least two, e.g. {@code (1, 10)} for a row vector)
     * and the values are converted from MATLAB's column-major order to C order, so element
     * {@code [i, j, k]} equals MATLAB's {@code x(i+1, j+1, k+1)}: a SURREAL {@code joints3D} of size
     * 3×24×T reads as shape (3, 24, T). This matches scipy's {@code loadmat}.</li>
     * <li>Sparse matrices are made dense (float64, or bool for logical ones).</li>
     * <li>A char array with one row is a 0-d string ({@link NdArray#ofString}); one with r &gt; 1 rows is a
     * unicode array of shape (r) holding the rows, trailing spaces kept; an empty one is {@code ""}.</li>
     * <li>Structs are flattened: field {@code f} of a 1×1 struct {@code s} is key {@code s.f}; of a struct
     * array, {@code s(k).f} with MATLAB's 1-based linear (column-major) index k. Old-style class objects are
     * read the same way. Cells likewise give {@code c{k}}. Nesting composes: {@code info.cams{2}.K}. An empty
     * struct or cell contributes no key.</li>
     * <li>Function handles, MATLAB class (MCOS) objects and Java objects have no array form and are skipped.</li>
     * </ul>
     *
     * <p>HDF5-based {@code -v7.3} files are not MAT level 5 and are refused with a message saying so.
     *
     * @param file the {@code .mat} file
     * @return the variables in file order, an unmodifiable map
     * @throws IllegalArgumentException if {@code file} is null
     * @throws IOException              if the file cannot be read; or, naming the file (and the variable where
     *                                  known): the header is not a MAT level 5 header, the file is a v7.3 (HDF5)
     *                                  file, the data is truncated or malformed, a variable is complex (not
     *                                  supported), a char array has more than two dimensions, a sparse matrix
     *                                  is too large to make dense, or a key repeats
     */
    public static Map<String, NdArray> read(Path file) throws IOException {
        Checks.notNull("file", file);
        checkHeader(file);
        Mat5File mat;
        try (Source source = Sources.openFile(file.toFile())) {
            mat = Mat5.newReader(source).readMat();
        } catch (IOException e) {
            throw new FileFormatException(file + ": malformed MAT file: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // mfl reports truncation and bad tags as buffer/argument exceptions
            throw new FileFormatException(file + ": malformed MAT file: " + e, e);
        }
        try {
            Map<String, NdArray> out = new LinkedHashMap<>();
            for (us.hebi.matlab.mat.types.MatFile.Entry entry : mat.getEntries()) {
                put(file, entry.getName(), entry.getValue(), out);
            }
            return Collections.unmodifiableMap(out);
        } finally {
            mat.close();
        }
    }

    /** The 128-byte header: 116 bytes of text, 8 of subsystem offset, version 0x0100 and the endian mark. */
    private static void checkHeader(Path file) throws IOException {
        byte[] header;
        try (InputStream in = Files.newInputStream(file)) {
            header = in.readNBytes(128);
        }
        if (header.length < 128) {
            throw new FileFormatException(file + ": expected a 128-byte MAT file header, found " + header.length
                    + " bytes");
        }
        String text = new String(header, 0, 116, StandardCharsets.ISO_8859_1);
        if (text.startsWith("MATLAB 7.3 MAT-file")) {
            throw new FileFormatException(file + ": a MATLAB v7.3 (HDF5) file; only MAT level 5 is read: re-save it "
                    + "with save(..., '-v7')");
        }
        boolean little = header[126] == 'I' && header[127] == 'M';
        boolean big = header[126] == 'M' && header[127] == 'I';
        int version = little ? (header[124] & 0xFF) | (header[125] & 0xFF) << 8
                : (header[124] & 0xFF) << 8 | (header[125] & 0xFF);
        if (!(little || big) || version != 0x0100) {
            throw new FileFormatException(file + ": offset 124: expected MAT level 5 version 0x0100 and endian mark "
                    + "'IM' or 'MI', found version 0x" + Integer.toHexString(version) + " and '"
                    + (char) (header[126] & 0xFF) + (char) (header[127] & 0xFF) + "'");
        }
    }

    private static void put(Path file, String key, Array a, Map<String, NdArray> out) throws IOException {
        if (a instanceof Sparse s) { // before Matrix: a Sparse is a Matrix
            add(file, key, sparse(file, key, s), out);
        } else if (a instanceof Matrix m) {
            add(file, key, matrix(file, key, m), out);
        } else if (a instanceof Char c) {
            add(file, key, chars(file, key, c), out);
        } else if (a instanceof Struct s) { // includes old-style class objects (ObjectStruct)
            int n = s.getNumElements();
            for (int k = 0; k < n; k++) {
                String prefix = n == 1 ? key : key + "(" + (k + 1) + ")";
                for (String field : s.getFieldNames()) {
                    put(file, prefix + "." + field, s.get(field, k), out);
                }
            }
        } else if (a instanceof Cell c) {
            int n = c.getNumElements();
            for (int k = 0; k < n; k++) {
                put(file, key + "{" + (k + 1) + "}", c.get(k), out);
            }
        }
        // else: function handle, MCOS or Java object (Opaque): no array form, skipped as documented
    }

    private static void add(Path file, String key, NdArray value, Map<String, NdArray> out) throws IOException {
        if (out.putIfAbsent(key, value) != null) {
            throw new FileFormatException(file + ": variable '" + key + "' appears twice");
        }
    }

    private static NdArray matrix(Path file, String key, Matrix m) throws IOException {
        if (m.isComplex()) {
            throw new FileFormatException(file + ": variable '" + key + "': complex " + m.getType()
                    + " matrices are not supported");
        }
        int[] dims = m.getDimensions();
        int[] order = columnMajorIndex(file, key, dims, m.getNumElements());
        int n = order.length;
        if (m.isLogical()) {
            byte[] d = new byte[n];
            for (int i = 0; i < n; i++) {
                d[i] = m.getBoolean(order[i]) ? (byte) 1 : 0;
            }
            return NdArray.of(NdArray.DType.BOOL, dims, d);
        }
        switch (m.getType()) {
            case Double: {
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = m.getDouble(order[i]);
                }
                return NdArray.of(dims, d);
            }
            case Single: {
                float[] d = new float[n];
                for (int i = 0; i < n; i++) {
                    d[i] = m.getFloat(order[i]);
                }
                return NdArray.of(dims, d);
            }
            case Int8:
            case UInt8: {
                byte[] d = new byte[n];
                for (int i = 0; i < n; i++) {
                    d[i] = (byte) m.getLong(order[i]); // uint8 kept as its raw bits, as NdArray stores it
                }
                return NdArray.of(m.getType() == us.hebi.matlab.mat.types.MatlabType.Int8
                        ? NdArray.DType.INT8 : NdArray.DType.UINT8, dims, d);
            }
            case Int16:
            case UInt16:
            case Int32: {
                int[] d = new int[n];
                for (int i = 0; i < n; i++) {
                    d[i] = (int) m.getLong(order[i]);
                }
                return NdArray.of(dims, d);
            }
            case UInt32:
            case Int64:
            case UInt64: {
                long[] d = new long[n];
                for (int i = 0; i < n; i++) {
                    d[i] = m.getLong(order[i]);
                }
                NdArray.DType t = switch (m.getType()) {
                    case UInt32 -> NdArray.DType.UINT32;
                    case UInt64 -> NdArray.DType.UINT64;
                    default -> NdArray.DType.INT64;
                };
                return NdArray.of(t, dims, d);
            }
            default:
                throw new FileFormatException(file + ": variable '" + key + "': unexpected matrix type " + m.getType());
        }
    }

    private static NdArray sparse(Path file, String key, Sparse s) throws IOException {
        if (s.isComplex()) {
            throw new FileFormatException(file + ": variable '" + key + "': complex sparse matrices are not supported");
        }
        int rows = s.getNumRows();
        int cols = s.getNumCols();
        long n = (long) rows * cols;
        if (n > MAX_DENSE_SPARSE) {
            throw new FileFormatException(file + ": variable '" + key + "': sparse " + rows + "×" + cols
                    + " matrix too large to make dense (at most " + MAX_DENSE_SPARSE + " elements)");
        }
        int[] dims = {rows, cols};
        double[] d = new double[(int) n];
        java.util.Arrays.fill(d, s.getDefaultValue());
        s.forEach((r, c, real, imag) -> d[r * cols + c] = real); // dense[r, c], C order
        if (!s.isLogical()) {
            return NdArray.of(dims, d);
        }
        byte[] b = new byte[d.length];
        for (int i = 0; i < d.length; i++) {
            b[i] = d[i] != 0 ? (byte) 1 : 0;
        }
        return NdArray.of(NdArray.DType.BOOL, dims, b);
    }

    private static NdArray chars(Path file, String key, Char c) throws IOException {
        int[] dims = c.getDimensions();
        if (dims.length > 2) {
            throw new FileFormatException(file + ": variable '" + key + "': char arrays with " + dims.length
                    + " dimensions are not supported (at most 2: rows of text)");
        }
        int rows = dims[0];
        if (rows == 0 || dims[1] == 0 && rows == 1) {
            return NdArray.ofString("");
        }
        if (rows == 1) {
            return NdArray.ofString(c.getRow(0));
        }
        String[] text = new String[rows];
        for (int r = 0; r < rows; r++) {
            text[r] = c.getRow(r);
        }
        return NdArray.of(NdArray.DType.UNICODE, new int[] {rows}, text);
    }

    /**
     * For a column-major array of the given dimensions, the column-major (MATLAB linear) index of each element
     * in C order: {@code order[c] = sum_k i_k * prod_{m<k} dims[m]} where {@code (i_0, ..., i_{n-1})} is the
     * multi-index whose C-order position is c.
     */
    static int[] columnMajorIndex(Path file, String key, int[] dims, int count) throws IOException {
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new FileFormatException(file + ": variable '" + key + "': negative dimension " + d);
            }
            n = Math.multiplyExact(n, (long) d);
        }
        if (n != count) {
            throw new FileFormatException(file + ": variable '" + key + "': dimensions " + java.util.Arrays.toString(dims)
                    + " claim " + n + " elements, but " + count + " are stored");
        }
        int[] order = new int[count];
        if (count == 0) {
            return order;
        }
        int nd = dims.length;
        int[] stride = new int[nd]; // column-major strides: stride[k] = prod_{m<k} dims[m]
        int[] idx = new int[nd];
        stride[0] = 1;
        for (int k = 1; k < nd; k++) {
            stride[k] = stride[k - 1] * dims[k - 1];
        }
        int f = 0;
        for (int c = 0; c < count; c++) {
            order[c] = f;
            // odometer in C order: the last axis runs fastest
            int k = nd - 1;
            idx[k]++;
            f += stride[k];
            while (k > 0 && idx[k] == dims[k]) {
                f -= dims[k] * stride[k];
                idx[k] = 0;
                k--;
                idx[k]++;
                f += stride[k];
            }
        }
        return order;
    }
}
