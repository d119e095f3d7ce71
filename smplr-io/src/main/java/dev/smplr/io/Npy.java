package dev.smplr.io;

import dev.smplr.io.internal.AtomicFiles;
import dev.smplr.io.NdArray.DType;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * numpy {@code .npy} files: one {@link NdArray} per file.
 *
 * <p>Reads format versions 1.0, 2.0 and 3.0 with dtypes {@code f4 f8 i1 i4 i8 u1 u4 u8 b1} and {@code U<n>}
 * (fixed-width UTF-32 strings, trailing NULs stripped as numpy does), any byte order ({@code < > | =}), any
 * number of dimensions, C or Fortran order; Fortran-order data is transposed to C order on the way in.
 * {@code |} and {@code =} mean the byte order of the reading machine, as in numpy. Data after the array
 * (trailing bytes in a file) is ignored, as numpy ignores it.
 * Object arrays ({@code |O}) hold a pickle and are read only through an {@link ObjectArrayReader} passed to
 * {@link #readAny(InputStream, String, ObjectArrayReader)}; this class never unpickles.
 *
 * <p>Writes version 1.0 (2.0 when the header needs more than 65,535 bytes), little-endian, C order, with the
 * header numpy 1.23+ writes, so {@code np.save} of the same array gives the same bytes.
 *
 * <p>The input is untrusted: element and byte counts are computed with {@link Math#multiplyExact}, capped at
 * {@code 2^31 - 9} bytes of data, and compared with the bytes present before anything is allocated. Every
 * problem is a {@link FileFormatException} naming the source, the offset and what was expected and found.
 */
public final class Npy {

    /** Bytes encoded per write call; large arrays stream through a buffer of this size. */
    private static final int CHUNK = 1 << 16;

    private Npy() {
    }

    /**
     * Reads a {@code .npy} file.
     *
     * @param file the file
     * @return the array, in C order
     * @throws FileFormatException if the file is not a valid {@code .npy} file, is truncated, holds an object
     *                             array, or claims more data than it holds; the message names the file and
     *                             offset
     * @throws IOException         if the file cannot be read
     */
    public static NdArray read(Path file) throws IOException {
        return (NdArray) readAny(file, null);
    }

    /**
     * Reads one {@code .npy} from a stream, leaving the stream just after its data (not closed).
     *
     * @param in     the stream. Modified (advanced).
     * @param source names the stream in messages, e.g. a file name
     * @return the array, in C order
     * @throws FileFormatException if the bytes are not a valid {@code .npy}, end early, or hold an object array;
     *                             the message names {@code source} and the offset
     * @throws IOException         if the stream fails
     */
    public static NdArray read(InputStream in, String source) throws IOException {
        return (NdArray) readAny(in, source, null);
    }

    /**
     * Reads a {@code .npy} file that may hold an object array.
     *
     * @param file    the file
     * @param objects decodes the pickle of an object array, or {@code null} to refuse object arrays
     * @return an {@link NdArray}, or for an object array what {@code objects} returned
     * @throws FileFormatException if the file is not a valid {@code .npy} file, is truncated, or holds an
     *                             object array and {@code objects} is {@code null}
     * @throws IOException         if the file cannot be read, or {@code objects} fails
     */
    public static Object readAny(Path file, ObjectArrayReader objects) throws IOException {
        Objects.requireNonNull(file, "file");
        long size = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, file.toString(), size, true, objects);
        }
    }

    /**
     * Reads one {@code .npy} that may hold an object array from a stream, leaving the stream after its data
     * (for an object array: at its end). The stream is not closed.
     *
     * @param in      the stream. Modified (advanced).
     * @param source  names the stream in messages
     * @param objects decodes the pickle of an object array, or {@code null} to refuse object arrays
     * @return an {@link NdArray}, or for an object array what {@code objects} returned
     * @throws FileFormatException if the bytes are not a valid {@code .npy}, end early, or hold an object
     *                             array and {@code objects} is {@code null}
     * @throws IOException         if the stream fails, or {@code objects} fails
     */
    public static Object readAny(InputStream in, String source, ObjectArrayReader objects) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        return read(in, source, -1, false, objects);
    }

    /**
     * @param available the bytes present from the start of the {@code .npy} (file size, declared zip entry
     *                  size), or -1 if unknown
     * @param trusted   whether {@code available} is certain (a file), so the data buffer may be allocated at
     *                  once; otherwise it grows as bytes arrive
     */
    static Object read(InputStream in, String source, long available, boolean trusted, ObjectArrayReader objects)
            throws IOException {
        NpyHeader h = NpyHeader.read(in, source, available);
        long at = h.dataOffset;
        if (h.object) {
            if (objects == null) {
                throw new FileFormatException(source + ": offset " + at + ": object array " + h.describe()
                        + " holds a pickle, which this reader does not decode; pass an ObjectArrayReader"
                        + " to Npy.readAny or Npz.readAny");
            }
            int cap = available < 0 ? BoundedReads.MAX_ARRAY
                    : (int) Math.min(BoundedReads.MAX_ARRAY, Math.max(0, available - at));
            return objects.read(BoundedReads.readToEnd(in, cap, source, at, "pickle of object array"), source);
        }
        String what = "data of " + h.describe();
        if (available >= 0 && h.dataBytes > available - at) {
            throw new FileFormatException(source + ": offset " + at + ": truncated " + what + ": expected "
                    + BoundedReads.count(h.dataBytes) + " bytes, found " + BoundedReads.count(available - at));
        }
        byte[] raw = BoundedReads.readExactly(in, h.dataBytes, trusted, source, at, what);
        return decode(h, raw, source);
    }

    private static NdArray decode(NpyHeader h, byte[] raw, String source) throws FileFormatException {
        if (h.dtype == DType.BYTES) {
            byte[] c = h.fortran && h.shape.length > 1 ? reorder(raw, h.shape, h.itemSize, true) : raw;
            return NdArray.of(h.dtype, h.shape, byteStrings(c, (int) h.count, h.width));
        }
        if (h.dtype != DType.UNICODE) {
            // one decoder for numeric data, shared with the pickle reader's numpy arrays
            return PickleNumpy.decode(h.dtype, h.shape, h.fortran && h.shape.length > 1,
                    h.order == ByteOrder.BIG_ENDIAN, raw, 0, raw.length);
        }
        byte[] c = h.fortran && h.shape.length > 1 ? reorder(raw, h.shape, h.itemSize, true) : raw;
        IntBuffer ib = ByteBuffer.wrap(c).order(h.order).asIntBuffer();
        return NdArray.of(h.dtype, h.shape, strings(ib, (int) h.count, h, source));
    }

    /** Decodes {@code n} byte strings of {@code width} bytes each as latin-1, dropping trailing NULs (as numpy). */
    private static String[] byteStrings(byte[] raw, int n, int width) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            int end = width;
            while (end > 0 && raw[i * width + end - 1] == 0) {
                end--;
            }
            out[i] = new String(raw, i * width, end, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        return out;
    }

    /** Decodes {@code n} strings of {@code h.width} UTF-32 code units each, dropping trailing NULs. */
    private static String[] strings(IntBuffer ib, int n, NpyHeader h, String source) throws FileFormatException {
        int w = h.width;
        String[] out = new String[n];
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int base = i * w;
            int end = w;
            while (end > 0 && ib.get(base + end - 1) == 0) {
                end--;
            }
            sb.setLength(0);
            for (int j = 0; j < end; j++) {
                int cp = ib.get(base + j);
                if (!Character.isValidCodePoint(cp)) {
                    throw new FileFormatException(source + ": offset " + h.dataOffset + ": " + h.describe()
                            + ": element " + i + " (C order), character " + j + ": expected a Unicode code point, found "
                            + String.format("0x%08X", cp));
                }
                sb.appendCodePoint(cp);
            }
            out[i] = sb.toString();
        }
        return out;
    }

    /**
     * Permutes elements between Fortran and C order.
     *
     * <p>Walking the C order with a multi-index {@code (i0, ..., ik)}, the Fortran offset is
     * {@code sum_k ik * fStride[k]} with {@code fStride[0] = item}, {@code fStride[k] = fStride[k-1] * shape[k-1]};
     * it is updated incrementally as the index advances.
     *
     * @param src     the elements. Not modified.
     * @param shape   the shape. Not modified.
     * @param item    bytes per element
     * @param fromFortran true to turn Fortran order into C order, false for the reverse
     * @return the permuted elements, a new array
     */
    static byte[] reorder(byte[] src, int[] shape, int item, boolean fromFortran) {
        int nd = shape.length;
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        byte[] dst = new byte[src.length];
        if (n == 0) {
            return dst;
        }
        long[] fStride = new long[nd];
        fStride[0] = item;
        for (int k = 1; k < nd; k++) {
            fStride[k] = fStride[k - 1] * shape[k - 1];
        }
        int[] idx = new int[nd];
        long f = 0;
        for (long c = 0; c < n; c++) {
            int cOff = (int) (c * item);
            if (fromFortran) {
                System.arraycopy(src, (int) f, dst, cOff, item);
            } else {
                System.arraycopy(src, cOff, dst, (int) f, item);
            }
            for (int k = nd - 1; k >= 0; k--) {
                f += fStride[k];
                if (++idx[k] < shape[k]) {
                    break;
                }
                f -= shape[k] * fStride[k];
                idx[k] = 0;
            }
        }
        return dst;
    }

    /**
     * Writes a {@code .npy} file atomically: to a temporary file in the same directory, then renamed over
     * {@code file}.
     *
     * @param array the array. Not modified.
     * @param file  the file to create or replace
     * @throws IllegalArgumentException if a uint32 element is outside {@code [0, 2^32)}, or a string
     *                                  element is null
     * @throws IOException              if the file cannot be written
     */
    public static void write(NdArray array, Path file) throws IOException {
        Objects.requireNonNull(array, "array");
        Objects.requireNonNull(file, "file");
        AtomicFiles.write(file, out -> write(array, out));
    }

    /**
     * Writes one {@code .npy} to a stream, which is neither flushed nor closed. Little-endian, C order,
     * version 1.0 (2.0 for a header over 65,535 bytes); unicode arrays get the width of their longest string
     * (at least 1), as {@code np.array} chooses.
     *
     * @param array the array. Not modified.
     * @param out   the stream. Modified.
     * @throws IllegalArgumentException if a uint32 element is outside {@code [0, 2^32)}, or a string
     *                                  element is null
     * @throws IOException              if the stream fails
     */
    public static void write(NdArray array, OutputStream out) throws IOException {
        write(array, out, false);
    }

    /** As {@link #write(NdArray, OutputStream)}, optionally in Fortran order (for tests of the reader). */
    static void write(NdArray array, OutputStream out, boolean fortran) throws IOException {
        Objects.requireNonNull(array, "array");
        Objects.requireNonNull(out, "out");
        DType t = array.dtype();
        int width = t == DType.UNICODE || t == DType.BYTES ? width((String[]) array.data(), t) : 1;
        int item = t.itemSize() * width;
        int[] shape = array.shape();
        out.write(NpyHeader.format(descr(t, width), fortran, shape));
        int n = array.size();
        if (fortran && shape.length > 1) {
            // Only tests write Fortran order; one buffer for the whole array keeps this simple.
            ByteBuffer all = ByteBuffer.allocate(Math.multiplyExact(n, item)).order(ByteOrder.LITTLE_ENDIAN);
            encode(array, width, 0, n, all);
            out.write(reorder(all.array(), shape, item, false));
            return;
        }
        int perChunk = Math.max(1, CHUNK / item);
        ByteBuffer buf = ByteBuffer.allocate(perChunk * item).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < n; from += perChunk) {
            int to = Math.min(n, from + perChunk);
            buf.clear();
            encode(array, width, from, to, buf);
            out.write(buf.array(), 0, buf.position());
        }
    }

    /** Puts elements {@code [from, to)} little-endian at {@code buf}'s position, advancing it. */
    private static void encode(NdArray a, int width, int from, int to, ByteBuffer buf) {
        int len = to - from;
        int p = buf.position();
        switch (a.dtype()) {
            case FLOAT64 -> buf.asDoubleBuffer().put((double[]) a.data(), from, len);
            case FLOAT32 -> buf.asFloatBuffer().put((float[]) a.data(), from, len);
            case INT32 -> buf.asIntBuffer().put((int[]) a.data(), from, len);
            case INT64, UINT64 -> buf.asLongBuffer().put((long[]) a.data(), from, len);
            case UINT32 -> {
                long[] d = (long[]) a.data();
                IntBuffer ib = buf.asIntBuffer();
                for (int i = from; i < to; i++) {
                    if (d[i] < 0 || d[i] > 0xFFFF_FFFFL) {
                        throw new IllegalArgumentException("array: uint32 element " + i + " is " + d[i]
                                + ", expected a value in [0, 4294967295]");
                    }
                    ib.put((int) d[i]);
                }
            }
            case INT8, UINT8 -> buf.put((byte[]) a.data(), from, len);
            case BOOL -> {
                byte[] d = (byte[]) a.data();
                for (int i = from; i < to; i++) {
                    buf.put((byte) (d[i] != 0 ? 1 : 0));
                }
            }
            case BYTES -> {
                String[] d = (String[]) a.data();
                for (int i = from; i < to; i++) {
                    for (int j = 0; j < width; j++) {
                        buf.put(j < d[i].length() ? (byte) d[i].charAt(j) : 0);
                    }
                }
            }
            case UNICODE -> {
                String[] d = (String[]) a.data();
                IntBuffer ib = buf.asIntBuffer();
                for (int i = from; i < to; i++) {
                    int k = 0;
                    for (int j = 0; j < d[i].length(); j += Character.charCount(d[i].codePointAt(j))) {
                        ib.put(d[i].codePointAt(j));
                        k++;
                    }
                    for (; k < width; k++) {
                        ib.put(0);
                    }
                }
            }
        }
        // Views advance their own position, not the buffer's; INT8/UINT8/BOOL/BYTES already advanced it.
        int item = a.dtype().itemSize() * width;
        buf.position(p + len * item);
    }

    private static int width(String[] values, DType t) {
        int w = 1;
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new IllegalArgumentException("array: string element " + i + " is null");
            }
            if (t == DType.BYTES) {
                for (int j = 0; j < values[i].length(); j++) {
                    if (values[i].charAt(j) > 0xFF) {
                        throw new IllegalArgumentException("array: byte-string element " + i + " holds '"
                                + values[i].charAt(j) + "' at " + j + ", expected latin-1 characters (0..255)");
                    }
                }
            }
            w = Math.max(w, t == DType.BYTES ? values[i].length() : values[i].codePointCount(0, values[i].length()));
        }
        return w;
    }

    private static String descr(DType t, int width) {
        return switch (t) {
            case BOOL, INT8, UINT8 -> "|" + t.code();
            case UNICODE -> "<U" + width;
            case BYTES -> "|S" + width;
            default -> "<" + t.code();
        };
    }
}
