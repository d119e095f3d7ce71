package dev.smplr.io;

import dev.smplr.io.NdArray.DType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code .npy} preamble: magic {@code \x93NUMPY}, version, header length, then a Python dict literal
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }} padded with spaces and a newline.
 *
 * <p>The dict is parsed by a small strict recursive-descent parser for exactly the literals numpy writes
 * (strings, {@code True}/{@code False}, tuples of integers, Python 2's {@code 6890L}); anything else is an
 * error naming the header offset. Every size is checked before it is used: dimensions in
 * {@code [0, Integer.MAX_VALUE]}, element and byte counts computed with {@link Math#multiplyExact} and capped
 * at {@link BoundedReads#MAX_ARRAY}.
 */
final class NpyHeader {

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy's own reader refuses headers over 10,000 bytes by default; we allow more but not without limit. */
    static final int HEADER_CAP = 1 << 20;
    /** numpy 2 allows 64 dimensions (NPY_MAXDIMS). */
    static final int MAX_NDIM = 64;
    /** Widest {@code <U} accepted, in characters; the byte count is capped separately. */
    static final int MAX_CHARS = 1 << 28;
    /** numpy aligns the data to 64 bytes. */
    private static final int ALIGN = 64;
    /** numpy leaves room for the growth axis to reach 21 digits so headers can be rewritten in place. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    /** The dtype; {@code null} for an object array. */
    final DType dtype;
    final boolean object;
    final ByteOrder order;
    /** Characters per element for {@code <U}, otherwise 1. */
    final int width;
    /** Bytes per element (0 for object arrays). */
    final int itemSize;
    final boolean fortran;
    final int[] shape;
    final long count;
    /** Bytes of data after the header (-1 for object arrays, whose pickle runs to the end). */
    final long dataBytes;
    /** Offset of the first data byte from the start of the {@code .npy}. */
    final long dataOffset;
    final String descr;

    private NpyHeader(String descr, DType dtype, boolean object, ByteOrder order, int width, boolean fortran,
            int[] shape, long count, long dataBytes, long dataOffset) {
        this.descr = descr;
        this.dtype = dtype;
        this.object = object;
        this.order = order;
        this.width = width;
        this.itemSize = object ? 0 : dtype.itemSize() * width;
        this.fortran = fortran;
        this.shape = shape;
        this.count = count;
        this.dataBytes = dataBytes;
        this.dataOffset = dataOffset;
    }

    /** @return e.g. {@code '<f8' (2, 3)} for messages */
    String describe() {
        return "'" + descr + "' " + shapeString(shape);
    }

    /**
     * Reads and checks the preamble, leaving {@code in} at the first data byte.
     *
     * @param in        the stream, at the start of the {@code .npy}. Modified.
     * @param source    the file or entry, for messages
     * @param available the bytes present from the start of the {@code .npy}, or -1 if unknown
     * @return the header
     * @throws FileFormatException if the magic, version, header or dtype is not valid or sizes do not fit
     * @throws IOException         if the stream fails
     */
    static NpyHeader read(InputStream in, String source, long available) throws IOException {
        byte[] pre = BoundedReads.readExactly(in, 8, false, source, 0, "magic and version");
        for (int i = 0; i < MAGIC.length; i++) {
            if (pre[i] != MAGIC[i]) {
                throw new FileFormatException(source + ": offset 0: not a .npy file: expected magic \\x93NUMPY, found "
                        + printable(pre, 0, MAGIC.length));
            }
        }
        int major = pre[6] & 0xFF;
        int minor = pre[7] & 0xFF;
        if ((major != 1 && major != 2 && major != 3) || minor != 0) {
            throw new FileFormatException(source + ": offset 6: unsupported .npy version " + major + "." + minor
                    + ": expected 1.0, 2.0 or 3.0");
        }
        int lenBytes = major == 1 ? 2 : 4;
        byte[] lb = BoundedReads.readExactly(in, lenBytes, false, source, 8, "header length");
        long hlen = major == 1
                ? (lb[0] & 0xFF) | (lb[1] & 0xFF) << 8
                : (lb[0] & 0xFFL) | (lb[1] & 0xFFL) << 8 | (lb[2] & 0xFFL) << 16 | (lb[3] & 0xFFL) << 24;
        long start = 8L + lenBytes;
        if (hlen > HEADER_CAP) {
            throw new FileFormatException(source + ": offset 8: header length " + BoundedReads.count(hlen)
                    + " exceeds the limit of " + BoundedReads.count(HEADER_CAP) + " bytes");
        }
        if (available >= 0 && start + hlen > available) {
            throw new FileFormatException(source + ": offset 8: header length " + hlen + " goes beyond the end: "
                    + "expected " + (start + hlen) + " bytes, found " + available);
        }
        byte[] hb = BoundedReads.readExactly(in, hlen, false, source, start, "header");
        String text;
        if (major == 3) {
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(hb)).toString();
            } catch (CharacterCodingException e) {
                throw new FileFormatException(source + ": offset " + start + ": header is not valid UTF-8", e);
            }
        } else {
            text = new String(hb, StandardCharsets.ISO_8859_1);
        }
        return new Parser(text, source, start).parse(start + hlen);
    }

    /** Parses the dict literal; positions are reported as offsets in the file. */
    private static final class Parser {
        private final String s;
        private final String source;
        private final long base;
        private int pos;

        Parser(String s, String source, long base) {
            this.s = s;
            this.source = source;
            this.base = base;
        }

        NpyHeader parse(long dataOffset) throws FileFormatException {
            String descr = null;
            Boolean fortran = null;
            long[] shape = null;
            skipWs();
            expect('{');
            while (true) {
                skipWs();
                if (peek() == '}') {
                    pos++;
                    break;
                }
                int keyAt = pos;
                String key = string();
                skipWs();
                expect(':');
                skipWs();
                int valueAt = pos;
                switch (key) {
                    case "descr" -> {
                        if (descr != null) {
                            throw error(keyAt, "duplicate key 'descr'");
                        }
                        if (peek() == '[') {
                            throw error(valueAt, "structured dtypes (descr as a list) are not supported");
                        }
                        descr = string();
                    }
                    case "fortran_order" -> {
                        if (fortran != null) {
                            throw error(keyAt, "duplicate key 'fortran_order'");
                        }
                        fortran = bool();
                    }
                    case "shape" -> {
                        if (shape != null) {
                            throw error(keyAt, "duplicate key 'shape'");
                        }
                        shape = tuple();
                    }
                    default -> throw error(keyAt, "unexpected key '" + key
                            + "': expected 'descr', 'fortran_order' and 'shape'");
                }
                skipWs();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == '}') {
                    pos++;
                    break;
                } else {
                    throw error(pos, "expected ',' or '}' after the value of '" + key + "', found " + found());
                }
            }
            skipWs();
            if (pos != s.length()) {
                throw error(pos, "expected only padding after the header dict, found " + found());
            }
            if (descr == null || fortran == null || shape == null) {
                throw error(0, "header lacks " + (descr == null ? "'descr'" : fortran == null ? "'fortran_order'"
                        : "'shape'") + ": expected keys 'descr', 'fortran_order', 'shape'");
            }
            return build(descr, fortran, shape, dataOffset);
        }

        private NpyHeader build(String descr, boolean fortran, long[] dims, long dataOffset)
                throws FileFormatException {
            int[] shape = new int[dims.length];
            long count = 1;
            for (int i = 0; i < dims.length; i++) {
                if (dims[i] < 0) {
                    throw error(0, "negative dimension " + dims[i] + " at axis " + i + " of shape "
                            + shapeString(dims));
                }
                if (dims[i] > Integer.MAX_VALUE) {
                    throw error(0, "dimension " + dims[i] + " at axis " + i + " of shape " + shapeString(dims)
                            + " exceeds " + Integer.MAX_VALUE);
                }
                shape[i] = (int) dims[i];
                try {
                    count = Math.multiplyExact(count, dims[i]);
                } catch (ArithmeticException e) {
                    count = Long.MAX_VALUE;
                }
            }
            if (count > BoundedReads.MAX_ARRAY) {
                throw error(0, "shape " + shapeString(dims) + " claims "
                        + (count == Long.MAX_VALUE ? "more than 2^63" : BoundedReads.count(count))
                        + " elements, more than this reader supports (" + BoundedReads.count(BoundedReads.MAX_ARRAY)
                        + ")");
            }
            // dtype: optional byte order, then a kind code.
            String code = descr;
            ByteOrder order = ByteOrder.nativeOrder();
            if (!code.isEmpty() && "<>|=".indexOf(code.charAt(0)) >= 0) {
                if (code.charAt(0) == '<') {
                    order = ByteOrder.LITTLE_ENDIAN;
                } else if (code.charAt(0) == '>') {
                    order = ByteOrder.BIG_ENDIAN;
                }
                code = code.substring(1);
            }
            if (code.equals("O") || code.equals("O4") || code.equals("O8")) {
                return new NpyHeader(descr, null, true, order, 1, fortran, shape, count, -1, dataOffset);
            }
            DType dtype;
            int width = 1;
            if (code.startsWith("U")) {
                dtype = DType.UNICODE;
                width = chars(descr, code.substring(1));
            } else if (code.startsWith("S")) {
                dtype = DType.BYTES;
                width = chars(descr, code.substring(1));
            } else {
                dtype = DType.fromCode(code);
                if (dtype == null) {
                    throw error(0, "unsupported dtype '" + descr
                            + "': expected one of f4 f8 i1 i4 i8 u1 u4 u8 b1 U<n> S<n> O with byte order < > | =");
                }
            }
            long bytes;
            try {
                bytes = Math.multiplyExact(Math.multiplyExact(count, (long) dtype.itemSize()), (long) width);
            } catch (ArithmeticException e) {
                bytes = Long.MAX_VALUE;
            }
            if (bytes > BoundedReads.MAX_ARRAY) {
                throw error(0, "'" + descr + "' " + shapeString(dims) + " needs "
                        + (bytes == Long.MAX_VALUE ? "more than 2^63" : BoundedReads.count(bytes))
                        + " data bytes, more than this reader supports (" + BoundedReads.count(BoundedReads.MAX_ARRAY)
                        + ")");
            }
            return new NpyHeader(descr, dtype, false, order, width, fortran, shape, count, bytes, dataOffset);
        }

        private int chars(String descr, String digits) throws FileFormatException {
            if (digits.isEmpty() || digits.length() > 10) {
                throw error(0, "unsupported dtype '" + descr + "': expected U followed by a character count");
            }
            long n = 0;
            for (int i = 0; i < digits.length(); i++) {
                char c = digits.charAt(i);
                if (c < '0' || c > '9') {
                    throw error(0, "unsupported dtype '" + descr + "': expected U followed by a character count");
                }
                n = 10 * n + (c - '0');
            }
            if (n < 1 || n > MAX_CHARS) {
                throw error(0, "unsupported dtype '" + descr + "': expected 1 to " + MAX_CHARS
                        + " characters per string, found " + n);
            }
            return (int) n;
        }

        private String string() throws FileFormatException {
            char q = peek();
            if (q != '\'' && q != '"') {
                throw error(pos, "expected a quoted string, found " + found());
            }
            int start = ++pos;
            while (pos < s.length() && s.charAt(pos) != q) {
                char c = s.charAt(pos);
                if (c == '\\' || c < 0x20) {
                    throw error(pos, "unsupported character " + quote(c) + " in a string");
                }
                pos++;
            }
            if (pos >= s.length()) {
                throw error(start - 1, "unterminated string");
            }
            return s.substring(start, pos++);
        }

        private boolean bool() throws FileFormatException {
            if (word("True")) {
                return true;
            }
            if (word("False")) {
                return false;
            }
            throw error(pos, "expected True or False, found " + found());
        }

        private boolean word(String w) {
            int end = pos + w.length();
            if (s.startsWith(w, pos) && (end == s.length() || !Character.isLetterOrDigit(s.charAt(end))
                    && s.charAt(end) != '_')) {
                pos = end;
                return true;
            }
            return false;
        }

        /** A tuple of integers: {@code ()}, {@code (5,)}, {@code (2, 3)}, {@code (2, 3,)}; not {@code (5)}. */
        private long[] tuple() throws FileFormatException {
            int open = pos;
            expect('(');
            skipWs();
            List<Long> items = new ArrayList<>();
            if (peek() == ')') {
                pos++;
                return new long[0];
            }
            while (true) {
                if (items.size() == MAX_NDIM) {
                    throw error(open, "shape has more than " + MAX_NDIM + " dimensions");
                }
                items.add(integer());
                skipWs();
                char c = peek();
                if (c == ',') {
                    pos++;
                    skipWs();
                    if (peek() == ')') {
                        pos++;
                        break;
                    }
                } else if (c == ')') {
                    if (items.size() == 1) {
                        throw error(open, "shape (" + items.get(0) + ") is not a tuple: expected ("
                                + items.get(0) + ",)");
                    }
                    pos++;
                    break;
                } else {
                    throw error(pos, "expected ',' or ')' in shape, found " + found());
                }
            }
            long[] out = new long[items.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = items.get(i);
            }
            return out;
        }

        /** A decimal integer, optionally negative (rejected later with the shape) and with Python 2's L. */
        private long integer() throws FileFormatException {
            int start = pos;
            boolean negative = peek() == '-';
            if (negative) {
                pos++;
            }
            long v = 0;
            int digits = 0;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                if (v > (Long.MAX_VALUE - 9) / 10) {
                    throw error(start, "integer too large in shape");
                }
                v = 10 * v + (s.charAt(pos++) - '0');
                digits++;
            }
            if (digits == 0) {
                throw error(start, "expected an integer in shape, found " + found());
            }
            if (pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) {
                pos++;
            }
            return negative ? -v : v;
        }

        private void expect(char c) throws FileFormatException {
            if (peek() != c) {
                throw error(pos, "expected '" + c + "', found " + found());
            }
            pos++;
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void skipWs() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        private String found() {
            return pos >= s.length() ? "the end of the header" : quote(s.charAt(pos));
        }

        private FileFormatException error(int at, String problem) {
            return new FileFormatException(source + ": offset " + (base + at) + ": bad .npy header: " + problem
                    + "; header: " + abbreviate(s));
        }
    }

    /**
     * Formats the preamble as numpy 1.23+ does: sorted keys, room for the growth axis, padded with spaces so
     * that the data starts at a multiple of 64, version 1.0 unless the header needs more than 65,535 bytes.
     *
     * @param descr   the dtype descriptor, e.g. {@code <f8}
     * @param fortran whether the data follows in Fortran order
     * @param shape   the shape. Not modified.
     * @return magic, version, length and header
     */
    static byte[] format(String descr, boolean fortran, int[] shape) {
        StringBuilder h = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': ")
                .append(fortran ? "True" : "False").append(", 'shape': ").append(shapeString(shape)).append(", }");
        if (shape.length > 0) {
            int growth = shape[fortran ? shape.length - 1 : 0];
            h.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Integer.toString(growth).length())));
        }
        int hlen = h.length() + 1;
        int lenBytes = 2;
        int pad = ALIGN - (6 + 2 + lenBytes + hlen) % ALIGN;
        if (hlen + pad > 0xFFFF) {
            lenBytes = 4;
            pad = ALIGN - (6 + 2 + lenBytes + hlen) % ALIGN;
        }
        h.append(" ".repeat(pad)).append('\n');
        byte[] text = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(8 + lenBytes + text.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) (lenBytes == 2 ? 1 : 2)).put((byte) 0);
        if (lenBytes == 2) {
            out.putShort((short) text.length);
        } else {
            out.putInt(text.length);
        }
        return out.put(text).array();
    }

    /** @return numpy's repr of a shape: {@code ()}, {@code (5,)}, {@code (2, 3)} */
    static String shapeString(int[] shape) {
        long[] l = new long[shape.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = shape[i];
        }
        return shapeString(l);
    }

    private static String shapeString(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    private static String quote(char c) {
        return c >= 0x20 && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private static String abbreviate(String header) {
        String t = header.strip();
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (; i < t.length() && i < 120; i++) {
            char c = t.charAt(i);
            sb.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return i < t.length() ? sb.append("...").toString() : sb.toString();
    }

    private static String printable(byte[] b, int off, int len) {
        CharBuffer cb = CharBuffer.allocate(4 * len);
        for (int i = off; i < off + len; i++) {
            int v = b[i] & 0xFF;
            if (v >= 0x20 && v < 0x7F && v != '\\') {
                cb.put((char) v);
            } else {
                cb.put(String.format("\\x%02x", v));
            }
        }
        return cb.flip().toString();
    }
}
