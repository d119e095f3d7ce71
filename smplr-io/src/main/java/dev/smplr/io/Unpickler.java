package dev.smplr.io;

import dev.smplr.io.NdArray.DType;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A restricted pickle virtual machine for protocols 0 to 4: enough to read the official SMPL {@code .pkl} files
 * (Python 2 cPickle, protocol 2) and their Python 3 conversions, and nothing that could run code.
 *
 * <p>Why not Pyrolite ({@code net.razorvine:pickle})? Its {@code Unpickler} turns every unknown global into a
 * {@code ClassDict} instead of refusing it, keeps its constructor registry in a JVM-wide static map, calls
 * {@code __setstate__} by reflection in BUILD, and allocates {@code new byte[len]} from lengths in the file
 * before reading them. Restricting it would mean overriding most of it, so this small machine is written out
 * instead: a value stack with marks and a memo, an allow-list of globals that are never resolved by name
 * (each maps to a fixed Java behaviour), and every length checked against the bytes present before allocation.
 *
 * <p>Limits: at most {@value #MAX_DEPTH} open MARKs and container nesting of at most {@value #MAX_DEPTH} (Python's
 * own pickler cannot write deeper than its recursion limit of 1000), {@value #MAX_STACK} stack values,
 * {@value #MAX_MEMO} memo entries, {@value #MAX_LONG_BYTES}-byte binary and {@value #MAX_INT_DIGITS}-digit text
 * integers, and decoded arrays at most four times the input size (so memo references cannot multiply memory).
 * Cyclic containers are refused, so every result can be walked and printed safely.
 */
final class Unpickler {

    static final int MAX_DEPTH = 1000;
    static final int MAX_STACK = 1 << 20;
    static final int MAX_MEMO = 1 << 20;
    static final int MAX_LONG_BYTES = 1 << 16;
    static final int MAX_INT_DIGITS = 4300;
    /** Dict keys and set elements may be tuples of at most this many values in all (SMPL uses strings). */
    static final int MAX_KEY_ITEMS = 256;
    static final int MAX_NAME = 256;

    /** The globals a pickle may name; each has a fixed meaning here, none is looked up by name. */
    enum Global {
        RECONSTRUCT("numpy.core.multiarray._reconstruct"),
        SCALAR("numpy.core.multiarray.scalar"),
        NDARRAY("numpy.ndarray"),
        DTYPE("numpy.dtype"),
        SET("builtins.set"),
        BYTES("builtins.bytes"),
        CODECS_ENCODE("_codecs.encode"),
        CH("chumpy.ch.Ch"),
        CSC_MATRIX("scipy.sparse.csc_matrix");

        final String pythonName;

        Global(String pythonName) {
            this.pythonName = pythonName;
        }

        static Global lookup(String module, String name) {
            return switch (module + " " + name) {
                case "numpy.core.multiarray _reconstruct", "numpy._core.multiarray _reconstruct" -> RECONSTRUCT;
                case "numpy.core.multiarray scalar", "numpy._core.multiarray scalar" -> SCALAR;
                case "numpy ndarray" -> NDARRAY;
                case "numpy dtype" -> DTYPE;
                case "__builtin__ set", "builtins set" -> SET;
                case "__builtin__ bytes", "builtins bytes" -> BYTES;
                case "_codecs encode" -> CODECS_ENCODE;
                case "chumpy.ch Ch" -> CH;
                case "scipy.sparse.csc csc_matrix", "scipy.sparse._csc csc_matrix" -> CSC_MATRIX;
                default -> null;
            };
        }
    }

    /** A Python 2 {@code str} or Python 3 {@code bytes}, left in place in the input until it is needed. */
    static final class RawString {
        final byte[] buf;
        final int off;
        final int len;
        /** Python 3 {@code bytes} (returned as {@code byte[]}), not a Python 2 {@code str} (returned as text). */
        final boolean py3Bytes;

        RawString(byte[] buf, int off, int len, boolean py3Bytes) {
            this.buf = buf;
            this.off = off;
            this.len = len;
            this.py3Bytes = py3Bytes;
        }

        String latin1() {
            return new String(buf, off, len, StandardCharsets.ISO_8859_1);
        }

        byte[] copy() {
            return Arrays.copyOfRange(buf, off, off + len);
        }
    }

    /** {@code _reconstruct(ndarray, (0,), 'b')}, waiting for its BUILD state. */
    static final class PendingArray {
        final int offset;
        NdArray value;
        /** For an object array (object-array mode only): its elements in C order, and whether it is 0-d. */
        ArrayList<Object> objects;
        boolean scalar;

        PendingArray(int offset) {
            this.offset = offset;
        }
    }

    /** {@code dtype(code, align, copy)}; BUILD sets the byte order. */
    static final class PendingDtype {
        final int offset;
        /** The numeric type, or {@code null} for numpy's object dtype (object-array mode only). */
        final DType type;
        /** One of {@code < > | =}; numpy's dtype('f8') is native ('='), i.e. little-endian on every real host. */
        char order = '=';
        boolean built;

        PendingDtype(int offset, DType type) {
            this.offset = offset;
            this.type = type;
        }

        boolean bigEndian() {
            return order == '>';
        }
    }

    /** A chumpy Ch or scipy csc_matrix made by NEWOBJ; BUILD turns its state into {@link #value}. */
    static final class PendingObject {
        final int offset;
        final Global cls;
        Object value;

        PendingObject(int offset, Global cls) {
            this.offset = offset;
            this.cls = cls;
        }
    }

    private static final String[] NAMES = new String[256];

    static {
        String table = "(MARK .STOP 0POP 1POP_MARK 2DUP FFLOAT IINT JBININT KBININT1 LLONG MBININT2 NNONE "
                + "PPERSID QBINPERSID RREDUCE SSTRING TBINSTRING USHORT_BINSTRING VUNICODE XBINUNICODE aAPPEND "
                + "bBUILD cGLOBAL dDICT }EMPTY_DICT eAPPENDS gGET hBINGET iINST jLONG_BINGET lLIST ]EMPTY_LIST "
                + "oOBJ pPUT qBINPUT rLONG_BINPUT sSETITEM tTUPLE )EMPTY_TUPLE uSETITEMS GBINFLOAT BBINBYTES "
                + "CSHORT_BINBYTES";
        for (String s : table.split(" ")) {
            NAMES[s.charAt(0)] = s.substring(1);
        }
        String[] high = {"PROTO", "NEWOBJ", "EXT1", "EXT2", "EXT4", "TUPLE1", "TUPLE2", "TUPLE3", "NEWTRUE",
            "NEWFALSE", "LONG1", "LONG4", "SHORT_BINUNICODE", "BINUNICODE8", "BINBYTES8", "EMPTY_SET", "ADDITEMS",
            "FROZENSET", "NEWOBJ_EX", "STACK_GLOBAL", "MEMOIZE", "FRAME", "BYTEARRAY8", "NEXT_BUFFER",
            "READONLY_BUFFER"};
        for (int i = 0; i < high.length; i++) {
            NAMES[0x80 + i] = high[i];
        }
    }

    private final byte[] buf;
    private final String source;
    private int pos;
    /** Offset of the opcode being executed, for messages. */
    private int at;
    private int op;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final int[] marks = new int[MAX_DEPTH];
    private int markCount;
    private final HashMap<Long, Object> memo = new HashMap<>();
    /** Bytes that REDUCE and BUILD may still allocate for decoded values. */
    private long budget;
    /** Whether numpy object arrays are accepted (the payload of a {@code .npy} object array). */
    private final boolean objectArrays;

    private Unpickler(byte[] buf, String source, boolean objectArrays) {
        this.buf = buf;
        this.source = source;
        this.budget = 4L * buf.length + (1 << 20);
        this.objectArrays = objectArrays;
    }

    /**
     * Runs the pickle in {@code buf} and returns its value in the public type mapping of {@link SmplPickle}.
     *
     * @param buf    the whole pickle; kept only for the duration of the call. Not modified.
     * @param source the file name for messages
     * @return the value
     * @throws PickleException if the pickle is malformed, truncated, too large, or names a global outside the
     *                         allow-list
     */
    static Object load(byte[] buf, String source) throws PickleException {
        return load(buf, source, false);
    }

    /**
     * As {@link #load(byte[], String)}, optionally accepting numpy object arrays ({@code dtype('O')}, whose data
     * is a list of values), as {@code np.save} pickles them into a {@code .npy}. A 0-d object array becomes its
     * one element (what Python's {@code a[()]} gives), any other object array an {@code ArrayList} of its
     * elements in C order.
     *
     * @param objectArrays whether to accept object arrays
     */
    static Object load(byte[] buf, String source, boolean objectArrays) throws PickleException {
        Unpickler u = new Unpickler(buf, source, objectArrays);
        Object root = u.run();
        return u.export(root);
    }

    private PickleException error(int offset, String problem) {
        return new PickleException(source + ": offset " + offset + ": " + problem);
    }

    private PickleException error(String problem) {
        return error(at, opName() + ": " + problem);
    }

    private String opName() {
        String n = NAMES[op];
        return n != null ? n : String.format(Locale.ROOT, "opcode 0x%02x", op);
    }

    private Object run() throws PickleException {
        while (true) {
            if (pos >= buf.length) {
                throw error(pos, "truncated: the data ends (" + buf.length + " bytes) before a STOP opcode");
            }
            at = pos;
            op = buf[pos++] & 0xFF;
            switch (op) {
                case '(' -> {
                    if (markCount == MAX_DEPTH) {
                        throw error("more than " + MAX_DEPTH + " nested MARKs");
                    }
                    marks[markCount++] = stack.size();
                }
                case '.' -> {
                    return stop();
                }
                case '0' -> {
                    if (stack.size() > fence()) {
                        stack.remove(stack.size() - 1);
                    } else {
                        popMark();
                    }
                }
                case '1' -> popMark();
                case '2' -> push(peek());
                case 'F' -> push(parseFloat(readLine(64)));
                case 'I' -> {
                    String line = readLine(MAX_INT_DIGITS + 2);
                    push(line.equals("01") ? Boolean.TRUE : line.equals("00") ? Boolean.FALSE : parseInt(line));
                }
                case 'L' -> {
                    String line = readLine(MAX_INT_DIGITS + 2);
                    push(parseInt(line.endsWith("L") ? line.substring(0, line.length() - 1) : line));
                }
                case 'J' -> push((long) readInt32());
                case 'K' -> push((long) readUint8());
                case 'M' -> push((long) (readUint8() | readUint8() << 8));
                case 'G' -> {
                    need(8);
                    push(ByteBuffer.wrap(buf, pos, 8).getDouble());
                    pos += 8;
                }
                case 0x8a -> push(readLong(readUint8()));
                case 0x8b -> {
                    int n = readInt32();
                    if (n < 0 || n > MAX_LONG_BYTES) {
                        throw error("length " + n + " is outside [0, " + MAX_LONG_BYTES + "]");
                    }
                    push(readLong(n));
                }
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'S' -> push(parseString());
                case 'T' -> push(rawString(readInt32(), false));
                case 'U' -> push(rawString(readUint8(), false));
                case 'B' -> push(rawString(readUint32(), true));
                case 'C' -> push(rawString(readUint8(), true));
                case 0x8e -> push(rawString(readUint64(), true));
                case 'V' -> push(parseUnicode());
                case 'X' -> push(utf8(readUint32()));
                case 0x8c -> push(utf8(readUint8()));
                case 0x8d -> push(utf8(readUint64()));
                case ']' -> push(new ArrayList<>());
                case '}' -> push(new LinkedHashMap<>());
                case ')' -> push(PickleTuple.EMPTY);
                case 0x8f -> push(new LinkedHashSet<>());
                case 'l' -> push(new ArrayList<>(Arrays.asList(popMark())));
                case 't' -> push(new PickleTuple(popMark()));
                case 0x85, 0x86, 0x87 -> {
                    Object[] items = new Object[op - 0x84];
                    for (int i = items.length - 1; i >= 0; i--) {
                        items[i] = pop();
                    }
                    push(new PickleTuple(items));
                }
                case 'd' -> {
                    LinkedHashMap<Object, Object> d = new LinkedHashMap<>();
                    putAll(d, popMark());
                    push(d);
                }
                case 'a' -> {
                    Object v = pop();
                    list(peek()).add(v);
                }
                case 'e' -> {
                    Object[] items = popMark();
                    list(peek()).addAll(Arrays.asList(items));
                }
                case 's' -> {
                    Object v = pop();
                    Object k = pop();
                    dict(peek()).put(key(k), v);
                }
                case 'u' -> {
                    Object[] items = popMark();
                    putAll(dict(peek()), items);
                }
                case 0x90 -> {
                    Object[] items = popMark();
                    Object target = peek();
                    if (!(target instanceof LinkedHashSet<?>)) {
                        throw error("expected a set below the MARK, found " + typeName(target));
                    }
                    @SuppressWarnings("unchecked")
                    Set<Object> set = (Set<Object>) target;
                    for (Object item : items) {
                        set.add(key(item));
                    }
                }
                case 0x91 -> {
                    LinkedHashSet<Object> set = new LinkedHashSet<>();
                    for (Object item : popMark()) {
                        set.add(key(item));
                    }
                    push(Collections.unmodifiableSet(set));
                }
                case 'g' -> get(parseIndex(readLine(24)));
                case 'h' -> get(readUint8());
                case 'j' -> get(readUint32());
                case 'p' -> put(parseIndex(readLine(24)));
                case 'q' -> put(readUint8());
                case 'r' -> put(readUint32());
                case 0x94 -> put(memo.size());
                case 'c' -> {
                    String module = readLine(MAX_NAME);
                    push(resolve(module, readLine(MAX_NAME)));
                }
                case 0x93 -> {
                    Object name = pop();
                    Object module = pop();
                    if (!isText(module) || !isText(name)) {
                        throw error("expected module and name strings, found " + typeName(module) + " and "
                                + typeName(name));
                    }
                    push(resolve(text(module), text(name)));
                }
                case 'R' -> {
                    Object args = pop();
                    push(reduce(pop(), args));
                }
                case 0x81 -> {
                    Object args = pop();
                    push(newObj(pop(), args, null));
                }
                case 0x92 -> {
                    Object kwargs = pop();
                    Object args = pop();
                    push(newObj(pop(), args, kwargs));
                }
                case 'b' -> {
                    Object state = pop();
                    build(peek(), state);
                }
                case 0x80 -> {
                    int version = readUint8();
                    if (version > 5) {
                        throw error("protocol " + version + " is newer than this reader supports (at most 5)");
                    }
                }
                case 0x95 -> {
                    long n = readUint64();
                    if (n > buf.length - pos) {
                        throw error("frame of " + n + " bytes, but only " + (buf.length - pos) + " remain");
                    }
                }
                case 'i' -> {
                    String module = readLine(MAX_NAME);
                    resolve(module, readLine(MAX_NAME)); // refuses an unknown global by name first
                    throw error("old-style instances are not supported");
                }
                case 'P', 'Q' -> throw error("persistent ids are not supported");
                case 0x82, 0x83, 0x84 -> throw error("the extension registry is not supported");
                case 'o' -> throw error("building objects from a MARK is not supported");
                case 0x96, 0x97, 0x98 -> throw error("protocol 5 buffers are not supported");
                default -> throw error(at, String.format(Locale.ROOT, "unknown opcode 0x%02x", op));
            }
        }
    }

    // ---- stack, marks, memo --------------------------------------------------------------------------------

    private int fence() {
        return markCount == 0 ? 0 : marks[markCount - 1];
    }

    private void push(Object v) throws PickleException {
        if (stack.size() >= MAX_STACK) {
            throw error("more than " + MAX_STACK + " values on the stack");
        }
        stack.add(v);
    }

    private Object pop() throws PickleException {
        if (stack.size() <= fence()) {
            throw error("stack underflow (no value above the last MARK)");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws PickleException {
        if (stack.size() <= fence()) {
            throw error("stack underflow (no value above the last MARK)");
        }
        return stack.get(stack.size() - 1);
    }

    private Object[] popMark() throws PickleException {
        if (markCount == 0) {
            throw error("no MARK to pop to");
        }
        int m = marks[--markCount];
        List<Object> top = stack.subList(m, stack.size());
        Object[] items = top.toArray();
        top.clear();
        return items;
    }

    private void get(long index) throws PickleException {
        Object v = memo.get(index);
        if (v == null && !memo.containsKey(index)) {
            throw error("memo index " + index + " was never stored");
        }
        push(v);
    }

    private void put(long index) throws PickleException {
        Object v = peek();
        if (memo.size() >= MAX_MEMO && !memo.containsKey(index)) {
            throw error("more than " + MAX_MEMO + " memo entries");
        }
        memo.put(index, v);
    }

    // ---- reading ---------------------------------------------------------------------------------------------

    private void need(long n) throws PickleException {
        if (n > buf.length - pos) {
            throw error("truncated: needs " + n + " bytes, but only " + (buf.length - pos) + " remain");
        }
    }

    private int readUint8() throws PickleException {
        need(1);
        return buf[pos++] & 0xFF;
    }

    private int readInt32() throws PickleException {
        need(4);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | buf[pos + 3] << 24;
        pos += 4;
        return v;
    }

    private long readUint32() throws PickleException {
        return readInt32() & 0xFFFF_FFFFL;
    }

    private long readUint64() throws PickleException {
        long lo = readUint32();
        long hi = readUint32();
        if (hi < 0 || hi > Integer.MAX_VALUE) {
            return Long.MAX_VALUE; // above 2^63: longer than any input, so the length check refuses it
        }
        return hi << 32 | lo;
    }

    /** Reads up to the next newline, which must come within {@code max} bytes; returns the line as latin-1. */
    private String readLine(int max) throws PickleException {
        int end = lineEnd(max);
        String s = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
        pos = end + 1;
        return s;
    }

    private int lineEnd(int max) throws PickleException {
        int limit = (int) Math.min(buf.length, (long) pos + max + 1);
        for (int i = pos; i < limit; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        if (limit == buf.length) {
            throw error("truncated: no newline before the end of the data");
        }
        throw error("line longer than " + max + " bytes");
    }

    private RawString rawString(long n, boolean py3Bytes) throws PickleException {
        if (n < 0) {
            throw error("negative length " + n);
        }
        need(n);
        RawString s = new RawString(buf, pos, (int) n, py3Bytes);
        pos += (int) n;
        return s;
    }

    private String utf8(long n) throws PickleException {
        need(n);
        int start = pos;
        pos += (int) n;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, start, (int) n)).toString();
        } catch (CharacterCodingException e) {
            throw new PickleException(source + ": offset " + at + ": " + opName() + ": invalid UTF-8", e);
        }
    }

    private Object readLong(int n) throws PickleException {
        need(n);
        if (n == 0) {
            return 0L;
        }
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = buf[pos + n - 1 - i]; // the pickle is little-endian two's complement
        }
        pos += n;
        return narrow(new BigInteger(be));
    }

    private static Object narrow(BigInteger v) {
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private Object parseInt(String s) throws PickleException {
        if (!s.matches("[+-]?[0-9]+") || s.length() > MAX_INT_DIGITS + 1) {
            throw error("expected a decimal integer of at most " + MAX_INT_DIGITS + " digits, found '"
                    + printable(s) + "'");
        }
        return narrow(new BigInteger(s));
    }

    private long parseIndex(String s) throws PickleException {
        if (!s.matches("[0-9]{1,18}")) {
            throw error("expected a memo index, found '" + printable(s) + "'");
        }
        return Long.parseLong(s);
    }

    private Double parseFloat(String s) throws PickleException {
        String t = s.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "nan", "+nan", "-nan" -> {
                return Double.NaN;
            }
            default -> {
                if (t.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?")) {
                    return Double.parseDouble(t);
                }
                throw error("expected a decimal float, found '" + printable(s) + "'");
            }
        }
    }

    /** Protocol 0 STRING: Python 2 {@code repr(str)}, quoted, with string-escape escapes. */
    private RawString parseString() throws PickleException {
        int end = lineEnd(Integer.MAX_VALUE);
        int start = pos;
        pos = end + 1;
        int n = end - start;
        if (n < 2 || (buf[start] != '\'' && buf[start] != '"') || buf[end - 1] != buf[start]) {
            throw error("expected a quoted string");
        }
        byte[] out = new byte[n - 2];
        int o = 0;
        for (int i = start + 1; i < end - 1; i++) {
            byte c = buf[i];
            if (c != '\\' || i + 1 == end - 1) {
                out[o++] = c;
                continue;
            }
            byte e = buf[++i];
            switch (e) {
                case '\\', '\'', '"' -> out[o++] = e;
                case 'n' -> out[o++] = '\n';
                case 'r' -> out[o++] = '\r';
                case 't' -> out[o++] = '\t';
                case 'a' -> out[o++] = 7;
                case 'b' -> out[o++] = '\b';
                case 'f' -> out[o++] = '\f';
                case 'v' -> out[o++] = 11;
                case 'x' -> {
                    int hi = i + 1 < end - 1 ? Character.digit(buf[i + 1], 16) : -1;
                    int lo = i + 2 < end - 1 ? Character.digit(buf[i + 2], 16) : -1;
                    if (hi < 0 || lo < 0) {
                        throw error("invalid \\x escape at offset " + i);
                    }
                    out[o++] = (byte) (hi << 4 | lo);
                    i += 2;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        for (int k = 0; k < 2 && i + 1 < end - 1 && buf[i + 1] >= '0' && buf[i + 1] <= '7'; k++) {
                            v = v * 8 + buf[++i] - '0';
                        }
                        out[o++] = (byte) v;
                    } else {
                        out[o++] = '\\'; // Python keeps unknown escapes as written
                        out[o++] = e;
                    }
                }
            }
        }
        return new RawString(Arrays.copyOf(out, o), 0, o, false);
    }

    /** Protocol 0 UNICODE: raw-unicode-escape, i.e. latin-1 with {@code \\uXXXX} and {@code \\UXXXXXXXX}. */
    private String parseUnicode() throws PickleException {
        int end = lineEnd(Integer.MAX_VALUE);
        int start = pos;
        pos = end + 1;
        StringBuilder sb = new StringBuilder(end - start);
        int i = start;
        while (i < end) {
            int c = buf[i] & 0xFF;
            if (c != '\\') {
                sb.append((char) c);
                i++;
                continue;
            }
            int run = 0;
            while (i + run < end && buf[i + run] == '\\') {
                run++;
            }
            int next = i + run < end ? buf[i + run] : -1;
            if (run % 2 == 1 && (next == 'u' || next == 'U')) {
                sb.append("\\".repeat(run - 1));
                int digits = next == 'u' ? 4 : 8;
                int from = i + run + 1;
                if (from + digits > end) {
                    throw error("truncated \\" + (char) next + " escape");
                }
                int cp = 0;
                for (int k = 0; k < digits; k++) {
                    int d = Character.digit(buf[from + k], 16);
                    if (d < 0) {
                        throw error("invalid \\" + (char) next + " escape");
                    }
                    cp = cp << 4 | d;
                }
                if (cp < 0 || cp > Character.MAX_CODE_POINT) {
                    throw error("code point out of range in \\U escape");
                }
                sb.appendCodePoint(cp);
                i = from + digits;
            } else {
                sb.append("\\".repeat(run));
                i += run;
            }
        }
        return sb.toString();
    }

    // ---- containers ------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private ArrayList<Object> list(Object target) throws PickleException {
        if (!(target instanceof ArrayList<?>)) {
            throw error("expected a list to append to, found " + typeName(target));
        }
        return (ArrayList<Object>) target;
    }

    @SuppressWarnings("unchecked")
    private LinkedHashMap<Object, Object> dict(Object target) throws PickleException {
        if (!(target instanceof LinkedHashMap<?, ?>)) {
            throw error("expected a dict to set items in, found " + typeName(target));
        }
        return (LinkedHashMap<Object, Object>) target;
    }

    private void putAll(Map<Object, Object> d, Object[] items) throws PickleException {
        if (items.length % 2 != 0) {
            throw error("odd number of values (" + items.length + ") for key-value pairs");
        }
        for (int i = 0; i < items.length; i += 2) {
            d.put(key(items[i]), items[i + 1]);
        }
    }

    /**
     * A dict key or set element as stored: byte strings become latin-1 Strings, tuples are copied with their
     * elements converted; anything unhashable in Python (or an array, or a class) is refused.
     */
    private Object key(Object k) throws PickleException {
        return key(k, new int[] {0}, 0);
    }

    private Object key(Object k, int[] items, int depth) throws PickleException {
        if (k instanceof RawString r) {
            return r.latin1();
        }
        if (k == null || k instanceof String || k instanceof Long || k instanceof Boolean || k instanceof Double
                || k instanceof BigInteger) {
            return k;
        }
        if (k instanceof PickleTuple t) {
            items[0] += t.size();
            if (items[0] > MAX_KEY_ITEMS || depth > 16) {
                throw error("tuple key larger than " + MAX_KEY_ITEMS + " values or nested deeper than 16");
            }
            Object[] copy = new Object[t.size()];
            for (int i = 0; i < copy.length; i++) {
                copy[i] = key(t.get(i), items, depth + 1);
            }
            return new PickleTuple(copy);
        }
        throw error("a " + typeName(k) + " cannot be a dict key or set element");
    }

    // ---- globals, REDUCE, NEWOBJ, BUILD ----------------------------------------------------------------------

    private Global resolve(String module, String name) throws PickleException {
        Global g = Global.lookup(module, name);
        if (g == null) {
            throw error("global '" + printable(module) + "." + printable(name) + "' is not allowed (an SMPL "
                    + "pickle needs only numpy arrays, dtypes and scalars, scipy.sparse csc_matrix, chumpy Ch, "
                    + "set and _codecs.encode)");
        }
        return g;
    }

    private Object reduce(Object callable, Object argsObj) throws PickleException {
        if (!(callable instanceof Global g)) {
            throw error("expected an allowed global to call, found " + typeName(callable));
        }
        PickleTuple args = tuple(argsObj, "arguments of " + g.pythonName);
        switch (g) {
            case RECONSTRUCT -> {
                // numpy writes _reconstruct(ndarray, (0,), 'b'): an empty array that BUILD fills in.
                if (args.size() != 3 || args.get(0) != Global.NDARRAY || !(args.get(1) instanceof PickleTuple)
                        || !isText(args.get(2))) {
                    throw error("expected _reconstruct(numpy.ndarray, shape, typecode), found arguments "
                            + describe(args));
                }
                return new PendingArray(at);
            }
            case DTYPE -> {
                if (args.isEmpty() || args.size() > 3 || !isText(args.get(0))) {
                    throw error("expected dtype(code, align, copy), found arguments " + describe(args));
                }
                String code = text(args.get(0));
                DType t = PickleNumpy.dtype(code);
                if (t == null && objectArrays && (code.equals("O") || code.equals("O4") || code.equals("O8"))) {
                    return new PendingDtype(at, null);
                }
                if (t == null) {
                    throw error("dtype '" + printable(code) + "' is not supported (expected one of f4 f8 i1 i4 i8 "
                            + "u1 u4 u8 b1)");
                }
                return new PendingDtype(at, t);
            }
            case SCALAR -> {
                if (args.size() != 2 || !(args.get(0) instanceof PendingDtype d) || d.type == null
                        || !(args.get(1) instanceof RawString raw)) {
                    throw error("expected scalar(dtype, bytes), found arguments " + describe(args));
                }
                try {
                    return PickleNumpy.scalar(d.type, d.bigEndian(), raw.buf, raw.off, raw.len);
                } catch (IllegalArgumentException e) {
                    throw error(e.getMessage());
                }
            }
            case SET -> {
                LinkedHashSet<Object> set = new LinkedHashSet<>();
                if (args.size() == 1 && (args.get(0) instanceof ArrayList<?> || args.get(0) instanceof PickleTuple)) {
                    List<?> items = (List<?>) args.get(0);
                    charge(16L * items.size(), "set");
                    for (Object item : items) {
                        set.add(key(item));
                    }
                } else if (!args.isEmpty()) {
                    throw error("expected set() or set(list), found arguments " + describe(args));
                }
                return set;
            }
            case CODECS_ENCODE -> {
                // Python 3 writes bytes at protocol 2 as _codecs.encode(str, 'latin1').
                if (args.size() != 2 || !(args.get(0) instanceof String s) || !(args.get(1) instanceof String enc)
                        || !isLatin1Name(enc)) {
                    throw error("expected _codecs.encode(str, 'latin1'), found arguments " + describe(args));
                }
                charge(s.length(), "bytes");
                try {
                    ByteBuffer bb = StandardCharsets.ISO_8859_1.newEncoder()
                            .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
                    byte[] b = new byte[bb.remaining()];
                    bb.get(b);
                    return new RawString(b, 0, b.length, true);
                } catch (CharacterCodingException e) {
                    throw new PickleException(source + ": offset " + at + ": REDUCE: _codecs.encode: the string "
                            + "has characters outside latin-1", e);
                }
            }
            case BYTES -> {
                // Python 3 writes b'' at protocol 2 as bytes().
                if (!args.isEmpty()) {
                    throw error("expected bytes() without arguments, found " + describe(args));
                }
                return new RawString(new byte[0], 0, 0, true);
            }
            default -> throw error(g.pythonName + " cannot be called with REDUCE");
        }
    }

    private static boolean isLatin1Name(String enc) {
        String e = enc.toLowerCase(Locale.ROOT).replace('_', '-');
        return e.equals("latin1") || e.equals("latin-1") || e.equals("iso-8859-1") || e.equals("iso8859-1");
    }

    private Object newObj(Object cls, Object args, Object kwargs) throws PickleException {
        if (cls != Global.CH && cls != Global.CSC_MATRIX) {
            throw error("can only create chumpy.ch.Ch and scipy.sparse.csc_matrix objects, found "
                    + typeName(cls));
        }
        if (!tuple(args, "arguments").isEmpty()
                || kwargs != null && !(kwargs instanceof LinkedHashMap<?, ?> m && m.isEmpty())) {
            throw error("expected no constructor arguments for " + ((Global) cls).pythonName + ", found "
                    + describe(args) + (kwargs == null ? "" : " and a " + typeName(kwargs)));
        }
        return new PendingObject(at, (Global) cls);
    }

    private void build(Object target, Object state) throws PickleException {
        if (target instanceof PendingArray a) {
            buildArray(a, state);
        } else if (target instanceof PendingDtype d) {
            buildDtype(d, state);
        } else if (target instanceof PendingObject o) {
            buildObject(o, state);
        } else {
            throw error("cannot set the state of a " + typeName(target) + " (only numpy arrays and dtypes, "
                    + "chumpy Ch and csc_matrix)");
        }
    }

    private void buildDtype(PendingDtype d, Object stateObj) throws PickleException {
        PickleTuple s = tuple(stateObj, "dtype state");
        if (d.built) {
            throw error("dtype state set twice");
        }
        // (version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata]); 5 to 9 values.
        if (s.size() < 5 || s.size() > 9 || !isText(s.get(1)) || text(s.get(1)).length() != 1) {
            throw error("expected a dtype state (version, byteorder, ...), found " + describe(s));
        }
        char order = text(s.get(1)).charAt(0);
        if ("<>|=".indexOf(order) < 0 || order == '|' && d.type != null && d.type.itemSize() > 1) {
            throw error("byte order '" + printable(String.valueOf(order)) + "' is not valid for "
                    + (d.type == null ? "O" : d.type.code()));
        }
        for (int i = 2; i < s.size(); i++) {
            Object v = s.get(i);
            if (v != null && !(v instanceof Long)) {
                throw error("structured, subarray and metadata dtypes are not supported, found " + describe(s));
            }
        }
        d.order = order;
        d.built = true;
    }

    private void buildArray(PendingArray a, Object stateObj) throws PickleException {
        PickleTuple s = tuple(stateObj, "array state");
        if (a.value != null || a.objects != null) {
            throw error("array state set twice");
        }
        // (version, shape, dtype, is_fortran, rawdata), or without the version (numpy's version 0).
        int o = s.size() == 5 ? 1 : 0;
        if (s.size() != 4 && s.size() != 5 || o == 1 && !(s.get(0) instanceof Long)
                || !(s.get(o) instanceof PickleTuple shapeTuple) || !(s.get(o + 1) instanceof PendingDtype d)) {
            throw error("expected an array state (version, shape, dtype, is_fortran, data), found " + describe(s));
        }
        Object f = s.get(o + 2);
        boolean fortran;
        if (f instanceof Boolean b) {
            fortran = b;
        } else if (f instanceof Long l && (l == 0 || l == 1)) {
            fortran = l == 1;
        } else {
            throw error("expected is_fortran to be a bool, found " + typeName(f));
        }
        Object rawObj = s.get(o + 3);
        if (d.type == null) {
            buildObjectArray(a, shapeTuple, fortran, rawObj);
            return;
        }
        if (!(rawObj instanceof RawString raw)) {
            throw error("expected the array data as bytes, found " + typeName(rawObj)
                    + (rawObj instanceof ArrayList<?> ? " (object arrays are not supported)" : ""));
        }
        int[] shape = new int[shapeTuple.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeTuple.get(i) instanceof Long dim) || dim < 0 || dim > Integer.MAX_VALUE) {
                throw error("expected a shape of non-negative ints, found " + describe(shapeTuple));
            }
            shape[i] = dim.intValue();
        }
        try {
            int count = PickleNumpy.requireLength(d.type, shape, raw.len);
            charge(PickleNumpy.storageBytes(d.type, count), "array");
            a.value = PickleNumpy.decode(d.type, shape, fortran, d.bigEndian(), raw.buf, raw.off, raw.len);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    /** An object array's data is the list of its elements in C order (Fortran order is refused). */
    private void buildObjectArray(PendingArray a, PickleTuple shapeTuple, boolean fortran, Object rawObj)
            throws PickleException {
        if (!(rawObj instanceof ArrayList<?> list)) {
            throw error("expected the data of an object array as a list, found " + typeName(rawObj));
        }
        long count = 1;
        for (int i = 0; i < shapeTuple.size(); i++) {
            if (!(shapeTuple.get(i) instanceof Long dim) || dim < 0 || dim > Integer.MAX_VALUE) {
                throw error("expected a shape of non-negative ints, found " + describe(shapeTuple));
            }
            count = Math.min(count * dim, Integer.MAX_VALUE + 1L);
        }
        if (count != list.size()) {
            throw error("object array data holds " + list.size() + " values, but shape " + describe(shapeTuple)
                    + " needs " + count);
        }
        if (fortran && shapeTuple.size() > 1) {
            throw error("Fortran-ordered object arrays are not supported");
        }
        @SuppressWarnings("unchecked")
        ArrayList<Object> items = (ArrayList<Object>) list;
        a.objects = items;
        a.scalar = shapeTuple.isEmpty();
    }

    private void buildObject(PendingObject obj, Object stateObj) throws PickleException {
        if (obj.value != null) {
            throw error(obj.cls.pythonName + " state set twice");
        }
        // BUILD takes a dict, or (dict, slot dict) for classes with __slots__.
        Map<Object, Object> state = new LinkedHashMap<>();
        List<Object> parts = stateObj instanceof PickleTuple t && t.size() == 2 ? t
                : Collections.singletonList(stateObj);
        for (Object part : parts) {
            if (part instanceof LinkedHashMap<?, ?> m) {
                state.putAll(m);
            } else if (part != null || parts.size() == 1) {
                throw error("expected the " + obj.cls.pythonName + " state as a dict, found " + typeName(part));
            }
        }
        if (obj.cls == Global.CH) {
            obj.value = array(state, "x", obj.cls);
        } else {
            obj.value = cscMatrix(state);
        }
    }

    private NdArray array(Map<Object, Object> state, String key, Global cls) throws PickleException {
        Object v = state.get(key);
        if (v instanceof PendingArray a && a.value != null) {
            return a.value;
        }
        throw error(cls.pythonName + " state: expected '" + key + "' to be a numpy array, found "
                + (state.containsKey(key) ? typeName(v) : "no such key"));
    }

    private CscMatrix cscMatrix(Map<Object, Object> state) throws PickleException {
        Object format = state.get("format");
        if (format != null && (!isText(format) || !text(format).equals("csc"))) {
            throw error("csc_matrix state: expected format 'csc', found " + describe(format));
        }
        Object shapeObj = state.containsKey("_shape") ? state.get("_shape") : state.get("shape");
        if (!(shapeObj instanceof PickleTuple shape) || shape.size() != 2 || !(shape.get(0) instanceof Long rows)
                || !(shape.get(1) instanceof Long cols) || rows < 0 || cols < 0 || rows > Integer.MAX_VALUE
                || cols > Integer.MAX_VALUE) {
            throw error("csc_matrix state: expected '_shape' to be (rows, cols), found " + describe(shapeObj));
        }
        NdArray indptr = array(state, "indptr", Global.CSC_MATRIX);
        NdArray indices = array(state, "indices", Global.CSC_MATRIX);
        NdArray data = array(state, "data", Global.CSC_MATRIX);
        for (NdArray a : List.of(indptr, indices, data)) {
            if (a.ndim() != 1) {
                throw error("csc_matrix state: expected 1-d indptr, indices and data, found " + a.describe());
            }
        }
        charge(4L * indptr.size() + 12L * data.size(), "csc_matrix");
        try {
            return new CscMatrix(rows.intValue(), cols.intValue(), indptr.toIntArray(), indices.toIntArray(),
                    data.toDoubleArray());
        } catch (IllegalArgumentException | ArithmeticException | IllegalStateException e) {
            throw new PickleException(source + ": offset " + at + ": BUILD: csc_matrix: " + e.getMessage(), e);
        }
    }

    private PickleTuple tuple(Object v, String what) throws PickleException {
        if (v instanceof PickleTuple t) {
            return t;
        }
        throw error("expected " + what + " as a tuple, found " + typeName(v));
    }

    private void charge(long bytes, String what) throws PickleException {
        budget -= bytes;
        if (budget < 0) {
            throw error("decoding this " + what + " would take the decoded values past four times the input size ("
                    + buf.length + " bytes); the pickle reuses its data more than numpy or scipy would");
        }
    }

    // ---- STOP and the final pass -----------------------------------------------------------------------------

    private Object stop() throws PickleException {
        if (markCount > 0) {
            throw error(markCount + " MARK(s) still open");
        }
        Object v = pop();
        if (!stack.isEmpty()) {
            throw error(stack.size() + " value(s) left on the stack");
        }
        if (pos != buf.length) {
            throw error((buf.length - pos) + " byte(s) after the STOP opcode");
        }
        return v;
    }

    private static boolean isContainer(Object v) {
        return v instanceof ArrayList<?> || v instanceof LinkedHashMap<?, ?> || v instanceof PickleTuple
                || v instanceof Set<?> || v instanceof PendingArray a && a.objects != null;
    }

    /** One container being walked: its children, and the tallest child finished so far. */
    private static final class Frame {
        final Object container;
        final Object[] children;
        int next;
        int height;

        Frame(Object container) {
            this.container = container;
            if (container instanceof PendingArray a) {
                // An object array's one child is its element list, walked (and exported) as any list.
                this.children = new Object[] {a.objects};
            } else if (container instanceof Map<?, ?> m) {
                Object[] c = new Object[2 * m.size()];
                int i = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    c[i++] = e.getKey();
                    c[i++] = e.getValue();
                }
                this.children = c;
            } else {
                this.children = ((java.util.Collection<?>) container).toArray();
            }
        }
    }

    /**
     * Replaces placeholders by their public values in place, walking the containers depth-first without
     * recursion; refuses cycles and nesting deeper than {@link #MAX_DEPTH}.
     */
    private Object export(Object root) throws PickleException {
        IdentityHashMap<Object, Integer> heights = new IdentityHashMap<>(); // -1 while on the path
        IdentityHashMap<RawString, Object> exported = new IdentityHashMap<>();
        ArrayDeque<Frame> path = new ArrayDeque<>();
        if (isContainer(root)) {
            heights.put(root, -1);
            path.push(new Frame(root));
        }
        while (!path.isEmpty()) {
            Frame f = path.peek();
            if (f.next < f.children.length) {
                Object c = f.children[f.next++];
                if (!isContainer(c)) {
                    continue;
                }
                Integer h = heights.get(c);
                if (h == null) {
                    if (path.size() >= MAX_DEPTH) {
                        throw error(buf.length - 1, "STOP: containers nested deeper than " + MAX_DEPTH);
                    }
                    heights.put(c, -1);
                    path.push(new Frame(c));
                } else if (h < 0) {
                    throw error(buf.length - 1, "STOP: a " + typeName(c)
                            + " contains itself; cyclic values are not supported");
                } else {
                    f.height = Math.max(f.height, h);
                }
                continue;
            }
            path.pop();
            int h = f.height + 1;
            if (h > MAX_DEPTH) {
                throw error(buf.length - 1, "STOP: containers nested deeper than " + MAX_DEPTH);
            }
            heights.put(f.container, h);
            if (!path.isEmpty()) {
                path.peek().height = Math.max(path.peek().height, h);
            }
            replaceChildren(f.container, exported);
        }
        return publicValue(root, exported);
    }

    @SuppressWarnings("unchecked")
    private void replaceChildren(Object container, IdentityHashMap<RawString, Object> exported)
            throws PickleException {
        if (container instanceof ArrayList<?> l) {
            for (ListIterator<Object> it = ((List<Object>) l).listIterator(); it.hasNext(); ) {
                it.set(publicValue(it.next(), exported));
            }
        } else if (container instanceof LinkedHashMap<?, ?> m) {
            for (Map.Entry<Object, Object> e : ((Map<Object, Object>) m).entrySet()) {
                e.setValue(publicValue(e.getValue(), exported));
            }
        } else if (container instanceof PickleTuple t) {
            for (int i = 0; i < t.size(); i++) {
                Object v = t.get(i);
                Object p = publicValue(v, exported);
                if (p != v) {
                    t.setSlot(i, p);
                }
            }
        }
        // Set elements went through key() on the way in: they are already public values.
    }

    private Object publicValue(Object v, IdentityHashMap<RawString, Object> exported) throws PickleException {
        if (v instanceof RawString r) {
            Object p = exported.get(r);
            if (p == null) {
                p = r.py3Bytes ? r.copy() : r.latin1();
                exported.put(r, p);
            }
            return p;
        }
        if (v instanceof PendingArray a && a.objects != null) {
            return a.scalar ? a.objects.get(0) : a.objects;
        }
        if (v instanceof PendingArray a) {
            if (a.value == null) {
                throw error(a.offset, "the numpy array made here never received its state (BUILD)");
            }
            return a.value;
        }
        if (v instanceof PendingObject o) {
            if (o.value == null) {
                throw error(o.offset, "the " + o.cls.pythonName + " made here never received its state (BUILD)");
            }
            return o.value;
        }
        if (v instanceof PendingDtype d) {
            if (d.type == null) {
                throw error(d.offset, "the object dtype is not a value this reader returns");
            }
            return d.type;
        }
        if (v instanceof Global g) {
            throw error(buf.length - 1, "STOP: the global " + g.pythonName + " is not a value this reader returns");
        }
        return v;
    }

    // ---- messages --------------------------------------------------------------------------------------------

    private static boolean isText(Object v) {
        return v instanceof String || v instanceof RawString;
    }

    private static String text(Object v) {
        return v instanceof RawString r ? r.latin1() : (String) v;
    }

    static String typeName(Object v) {
        if (v == null) {
            return "None";
        } else if (v instanceof Long || v instanceof BigInteger) {
            return "int";
        } else if (v instanceof Double) {
            return "float";
        } else if (v instanceof Boolean) {
            return "bool";
        } else if (v instanceof String) {
            return "unicode string";
        } else if (v instanceof RawString r) {
            return r.py3Bytes ? "bytes" : "str";
        } else if (v instanceof ArrayList<?>) {
            return "list";
        } else if (v instanceof Map<?, ?>) {
            return "dict";
        } else if (v instanceof Set<?>) {
            return "set";
        } else if (v instanceof PickleTuple) {
            return "tuple";
        } else if (v instanceof PendingArray) {
            return "numpy.ndarray";
        } else if (v instanceof PendingDtype) {
            return "numpy.dtype";
        } else if (v instanceof PendingObject o) {
            return o.cls.pythonName;
        } else if (v instanceof Global g) {
            return "global " + g.pythonName;
        }
        return v.getClass().getSimpleName();
    }

    /** A short, printable description of a value for messages (never the whole of a large value). */
    private static String describe(Object v) {
        if (v instanceof PickleTuple t) {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < t.size() && i < 8; i++) {
                sb.append(i == 0 ? "" : ", ").append(describeLeaf(t.get(i)));
            }
            return sb.append(t.size() > 8 ? ", ...)" : t.size() == 1 ? ",)" : ")").toString();
        }
        return describeLeaf(v);
    }

    private static String describeLeaf(Object v) {
        if (v == null || v instanceof Long || v instanceof Boolean || v instanceof Double) {
            return String.valueOf(v);
        }
        int length = v instanceof RawString r ? r.len : v instanceof String s ? s.length() : -1;
        if (length >= 0) {
            return length <= 32 ? "'" + printable(text(v)) + "'" : typeName(v) + " of length " + length;
        }
        return typeName(v);
    }

    /** Escapes control and non-ASCII characters and cuts long names, so a hostile file cannot garble a log. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 100; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                sb.append(c);
            } else {
                sb.append(String.format(Locale.ROOT, "\\x%02x", (int) c & 0xFFFF));
            }
        }
        return s.length() > 100 ? sb.append("...").toString() : sb.toString();
    }
}
