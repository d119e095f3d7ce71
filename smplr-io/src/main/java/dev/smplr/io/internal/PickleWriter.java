package dev.smplr.io.internal;

import dev.smplr.io.CscMatrix;
import dev.smplr.io.NdArray;
import dev.smplr.io.NdArray.DType;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes protocol-2 pickles byte for byte as Python 2's {@code cPickle} or Python 3's {@code pickle} would for
 * the same values, so that tests and synthetic SMPL fixtures exercise exactly what real files hold. No real
 * model file is needed (or may be used) to test the reader.
 *
 * <p>Java values are written as: {@code null} None; {@code Boolean}; {@code Integer}/{@code Long} int;
 * {@code BigInteger} long (Python 2) or int; {@code Double}/{@code Float} float; {@code String} a Python 2
 * {@code str} (latin-1) or a Python 3 {@code str}; {@link Unicode} a unicode string in both; {@code byte[]} a
 * Python 2 {@code str} or Python 3 {@code bytes} (as {@code _codecs.encode(s, 'latin1')}); {@link Tuple},
 * {@code List}, {@code Map}, {@code Set}; {@link NdArray} or {@link NumpyArray} a numpy array (reduced with
 * {@code _reconstruct} and BUILD); {@link ObjectArray} a numpy object array; {@link CscMatrix} a scipy {@code csc_matrix}; {@link Instance} any
 * NEWOBJ-plus-BUILD object such as a chumpy {@code Ch}; {@link Call} any {@code GLOBAL args REDUCE} (the
 * writer does not judge globals: tests use it to write hostile files); {@link Raw} opcodes copied verbatim.
 *
 * <p>The memo works as the Python picklers' does: strings, tuples, lists, dicts, globals and reduced objects
 * are stored (BINPUT) when first written and fetched (BINGET) when the same Java object is written again, so
 * interned Java literals such as dict keys are shared just as Python's interned attribute names are. Numpy
 * dtypes are one object per (type, byte order) and per writer, as numpy's dtype singletons. The Python 2
 * flavour also copies cPickle's quirks: memo indexes start at 1, strings shorter than 2 characters are never
 * stored, and objects only a fresh tuple refers to (reference count 1 in CPython: numpy's {@code (0,)},
 * argument, state and shape tuples, the dtype code and the raw data string) are not stored either. Values the
 * caller passes in are treated as referenced elsewhere, hence stored.
 *
 * <p>Not thread-safe: use one writer per thread. Test and fixture code only; nothing in the library writes
 * pickles. Public only so that the tests of other modules can write fixtures: <strong>not API</strong>.
 */
public final class PickleWriter {

    /** Which Python wrote the file. */
    public enum Flavor {
        /**
         * Python 2.7 cPickle with numpy 1.x and scipy of 2015, as the official SMPL files were written:
         * {@code numpy.core.multiarray}, {@code scipy.sparse.csc}, byte strings for text and data.
         */
        PY2,
        /**
         * Python 3 {@code pickle.dump(protocol=2)} with numpy 2 and recent scipy: {@code numpy._core.multiarray},
         * {@code scipy.sparse._csc}, BINUNICODE text, {@code _codecs.encode} for data.
         */
        PY3
    }

    /** A Python tuple. @param items the elements (may contain nulls) */
    public record Tuple(List<Object> items) {
        /** Copies the items. */
        public Tuple {
            items = java.util.Collections.unmodifiableList(new ArrayList<>(items));
        }
    }

    /** A unicode string, written as BINUNICODE in both flavours. @param text the text */
    public record Unicode(String text) {
    }

    /**
     * A numpy array with its storage options.
     *
     * @param array     the values (C order)
     * @param fortran   write the data in Fortran order with {@code is_fortran} set
     * @param bigEndian write multi-byte values big-endian with a {@code '>'} dtype
     */
    public record NumpyArray(NdArray array, boolean fortran, boolean bigEndian) {
    }

    /**
     * {@code module.name.__new__(module.name)} then BUILD with {@code state}, as protocol 2 writes new-style
     * objects.
     *
     * @param module the module
     * @param name   the class name
     * @param state  the instance dict
     */
    public record Instance(String module, String name, Map<String, Object> state) {
    }

    /**
     * {@code module.name(*args)} written as GLOBAL, the argument tuple and REDUCE.
     *
     * @param module the module
     * @param name   the callable
     * @param args   the arguments
     */
    public record Call(String module, String name, Tuple args) {
    }

    /** Opcodes copied into the output as they are. @param bytes the opcodes */
    public record Raw(byte[] bytes) {
    }

    private record Dtype(DType type, char order) {
    }

    /** A value that only the enclosing fresh tuple refers to. */
    private record Temp(Object value) {
    }

    private record Global(String module, String name) {
    }

    /** numpy passes the cached one-character {@code 'b'} to every {@code _reconstruct}. */
    private static final byte[] TYPECODE_B = {'b'};
    private static final int BATCH = 1000;

    private final Flavor flavor;
    private final Map<Dtype, Dtype> dtypes = new HashMap<>();
    private final Map<Global, Global> globals = new HashMap<>();
    /** numpy's object dtype singleton. */
    private final Object objectDtype = new Object();
    private IdentityHashMap<Object, Integer> memo;
    private ByteArrayOutputStream out;

    /** @param flavor which Python to imitate */
    public PickleWriter(Flavor flavor) {
        this.flavor = Objects.requireNonNull(flavor, "flavor");
    }

    /** @return the flavour */
    public Flavor flavor() {
        return flavor;
    }

    /**
     * A numpy object array ({@code dtype('O')}), as {@code np.save} pickles one: {@code _reconstruct} and BUILD
     * with the state {@code (1, shape, dtype('O8'), False, [items])}. {@code np.savez(key=csc_matrix)} stores
     * the 0-d object array of one item.
     *
     * @param shape the shape (empty for 0-d)
     * @param items the elements in C order, {@code product(shape)} of them
     */
    public record ObjectArray(int[] shape, List<Object> items) {
        /** Copies the shape and items. */
        public ObjectArray {
            shape = shape.clone();
            items = java.util.Collections.unmodifiableList(new ArrayList<>(items));
        }
    }

    /**
     * @param items the elements (may contain nulls)
     * @return a tuple value holding them
     */
    public static Tuple tuple(Object... items) {
        return new Tuple(Arrays.asList(items));
    }

    /**
     * Pickles {@code value}: {@code PROTO 2}, the value, {@code STOP}.
     *
     * @param value the value
     * @return the pickle
     * @throws IllegalArgumentException if a value has no pickle form here, or a Python 2 string has characters
     *                                  outside latin-1
     */
    public byte[] dump(Object value) {
        memo = new IdentityHashMap<>();
        out = new ByteArrayOutputStream();
        out.write(0x80);
        out.write(2);
        save(value);
        out.write('.');
        byte[] result = out.toByteArray();
        memo = null;
        out = null;
        return result;
    }

    /**
     * A chumpy {@code Ch} holding {@code x}, with the state chumpy pickles: {@code x}, {@code _dirty_vars} (a
     * set), {@code _itr} (None) and {@code _depends_on_deps} (an empty dict).
     *
     * @param x the value. Kept.
     * @return the object to write
     */
    public Instance chumpy(NdArray x) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("x", x);
        state.put("_dirty_vars", new LinkedHashSet<>(List.of("x")));
        state.put("_itr", null);
        state.put("_depends_on_deps", new LinkedHashMap<>());
        return new Instance("chumpy.ch", "Ch", state);
    }

    /**
     * A scipy {@code csc_matrix} with the instance dict scipy pickles: for Python 2, {@code format} ('csc'),
     * {@code _shape}, {@code indptr}, {@code indices}, {@code maxprint}, {@code data}; for Python 3 (recent
     * scipy, where {@code format} is a class attribute) {@code _shape}, {@code maxprint}, {@code indices},
     * {@code indptr}, {@code data}. Index arrays are int32, data float64, {@code maxprint} 50.
     *
     * @param m the matrix
     * @return the object to write
     */
    public Instance cscMatrix(CscMatrix m) {
        Map<String, Object> state = new LinkedHashMap<>();
        NdArray indptr = NdArray.of(new int[] {m.cols() + 1}, m.indptr().clone());
        NdArray indices = NdArray.of(new int[] {m.nnz()}, m.indices().clone());
        if (flavor == Flavor.PY2) {
            state.put("format", "csc");
            state.put("_shape", tuple(m.rows(), m.cols()));
            state.put("indptr", indptr);
            state.put("indices", indices);
            state.put("maxprint", 50);
        } else {
            state.put("_shape", tuple(m.rows(), m.cols()));
            state.put("maxprint", 50);
            state.put("indices", indices);
            state.put("indptr", indptr);
        }
        state.put("data", NdArray.of(new int[] {m.nnz()}, m.data().clone()));
        return new Instance(flavor == Flavor.PY2 ? "scipy.sparse.csc" : "scipy.sparse._csc", "csc_matrix", state);
    }

    // ---- values ----------------------------------------------------------------------------------------------

    private void save(Object v) {
        save(v, false);
    }

    /**
     * @param temp whether only a fresh tuple refers to {@code v} (reference count 1), which cPickle leaves out
     *             of the memo
     */
    private void save(Object v, boolean temp) {
        if (v == null) {
            out.write('N');
        } else if (v instanceof Boolean b) {
            out.write(b ? 0x88 : 0x89);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            saveInt(((Number) v).longValue());
        } else if (v instanceof BigInteger b) {
            saveBig(b);
        } else if (v instanceof Double || v instanceof Float) {
            out.write('G');
            writeBytes(ByteBuffer.allocate(8).putDouble(((Number) v).doubleValue()).array());
        } else if (v instanceof Raw r) {
            writeBytes(r.bytes());
        } else if (v instanceof Temp t) {
            save(t.value(), true);
        } else if (fetch(v)) {
            return;
        } else if (v instanceof String s) {
            if (flavor == Flavor.PY2) {
                saveStr(v, latin1(s), temp);
            } else {
                saveUnicode(v, s, temp);
            }
        } else if (v instanceof Unicode u) {
            saveUnicode(v, u.text(), temp);
        } else if (v instanceof byte[] b) {
            if (flavor == Flavor.PY2) {
                saveStr(v, b, temp);
            } else {
                saveBytes(v, b);
            }
        } else if (v instanceof Tuple t) {
            saveTuple(v, t.items(), temp);
        } else if (v instanceof List<?> l) {
            out.write(']');
            memoize(v, temp && l.isEmpty()); // cPickle always stores a non-empty list
            batch(l, 'a', 'e');
        } else if (v instanceof Map<?, ?> m) {
            out.write('}');
            memoize(v, temp && m.isEmpty());
            List<Object> flat = new ArrayList<>(2 * m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                flat.add(e.getKey());
                flat.add(e.getValue());
            }
            batch(flat, 's', 'u');
        } else if (v instanceof Set<?> s) {
            // set.__reduce__ is (set, (list(self),), None); Python 3 writes builtins.set as __builtin__.set.
            saveGlobal("__builtin__", "set");
            saveTuple(new Object(), List.of(new ArrayList<>(s)), true);
            out.write('R');
            memoize(v, false); // a reduced object whose state is not a dict: cPickle always stores it
        } else if (v instanceof NdArray a) {
            saveArray(v, new NumpyArray(a, false, false));
        } else if (v instanceof NumpyArray a) {
            saveArray(v, a);
        } else if (v instanceof ObjectArray a) {
            saveObjectArray(v, a);
        } else if (v instanceof CscMatrix m) {
            saveInstance(v, cscMatrix(m), temp);
        } else if (v instanceof Instance i) {
            saveInstance(v, i, temp);
        } else if (v instanceof Call c) {
            saveGlobal(c.module(), c.name());
            save(c.args(), true);
            out.write('R');
            memoize(v, false);
        } else if (v == objectDtype) {
            saveDtype(v, "O8", "|", 63);
        } else if (v instanceof Dtype d) {
            saveDtype(d);
        } else {
            throw new IllegalArgumentException("value: no pickle form for " + v.getClass().getName());
        }
    }

    private void saveInt(long l) {
        if (l >= 0 && l <= 0xFF) {
            out.write('K');
            out.write((int) l);
        } else if (l >= 0 && l <= 0xFFFF) {
            out.write('M');
            writeLe(l, 2);
        } else if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            out.write('J');
            writeLe(l, 4);
        } else if (flavor == Flavor.PY2) {
            // cPickle writes a 64-bit Python 2 int outside the BININT range as protocol-0 text.
            writeBytes(("I" + l + "\n").getBytes(StandardCharsets.US_ASCII));
        } else {
            saveBig(BigInteger.valueOf(l));
        }
    }

    private void saveBig(BigInteger b) {
        if (flavor == Flavor.PY3 && b.bitLength() < 32) {
            saveInt(b.longValue());
            return;
        }
        byte[] be = b.signum() == 0 ? new byte[0] : b.toByteArray();
        if (be.length < 256) {
            out.write(0x8a);
            out.write(be.length);
        } else {
            out.write(0x8b);
            writeLe(be.length, 4);
        }
        for (int i = be.length - 1; i >= 0; i--) {
            out.write(be[i]);
        }
    }

    private void saveStr(Object v, byte[] b, boolean temp) {
        if (b.length < 256) {
            out.write('U');
            out.write(b.length);
        } else {
            out.write('T');
            writeLe(b.length, 4);
        }
        writeBytes(b);
        if (b.length >= 2) { // cPickle leaves 0- and 1-character strings out of the memo
            memoize(v, temp);
        }
    }

    private void saveUnicode(Object v, String s, boolean temp) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        writeLe(b.length, 4);
        writeBytes(b);
        if (flavor == Flavor.PY3 || s.length() >= 2) {
            memoize(v, temp);
        }
    }

    /** Python 3 bytes at protocol 2: {@code _codecs.encode(b.decode('latin1'), 'latin1')}, or {@code bytes()}. */
    private void saveBytes(Object v, byte[] b) {
        if (b.length == 0) {
            saveGlobal("__builtin__", "bytes");
            out.write(')');
        } else {
            saveGlobal("_codecs", "encode");
            int n = 0;
            for (byte x : b) {
                n += x < 0 ? 2 : 1;
            }
            out.write('X');
            writeLe(n, 4);
            byte[] utf8 = new byte[n];
            int o = 0;
            for (byte x : b) {
                if (x >= 0) {
                    utf8[o++] = x;
                } else {
                    utf8[o++] = (byte) (0xC0 | (x & 0xFF) >> 6);
                    utf8[o++] = (byte) (0x80 | x & 0x3F);
                }
            }
            writeBytes(utf8);
            memoize(new Object()); // the decoded str is a fresh object
            save("latin1"); // an interned literal, fetched from the memo after its first use
            out.write(0x86);
            memoize(new Object());
        }
        out.write('R');
        memoize(v);
    }

    private void saveTuple(Object v, List<?> items, boolean temp) {
        if (items.isEmpty()) {
            out.write(')');
            return;
        }
        if (items.size() <= 3) {
            for (Object item : items) {
                save(item);
            }
            out.write(0x84 + items.size());
        } else {
            out.write('(');
            for (Object item : items) {
                save(item);
            }
            out.write('t');
        }
        memoize(v, temp);
    }

    /** Appends (or sets) in batches of 1000, with the single opcode for a batch of one, as both picklers do. */
    private void batch(List<?> items, int one, int many) {
        int step = one == 's' ? 2 : 1;
        Iterator<?> it = items.iterator();
        int left = items.size() / step;
        while (left > 0) {
            int n = Math.min(left, BATCH);
            if (n == 1) {
                for (int k = 0; k < step; k++) {
                    save(it.next());
                }
                out.write(one);
            } else {
                out.write('(');
                for (int i = 0; i < n * step; i++) {
                    save(it.next());
                }
                out.write(many);
            }
            left -= n;
        }
    }

    private void saveGlobal(String module, String name) {
        Global g = globals.computeIfAbsent(new Global(module, name), k -> k);
        if (fetch(g)) {
            return;
        }
        writeBytes(("c" + module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        memoize(g);
    }

    private void saveInstance(Object v, Instance i, boolean temp) {
        saveGlobal(i.module(), i.name());
        out.write(')');
        out.write(0x81);
        memoize(v, temp);
        save(i.state());
        out.write('b');
    }

    private void saveDtype(Dtype d) {
        String order = d.order() == '<' ? "<" : d.order() == '>' ? ">" : "|";
        saveDtype(d, d.type().code(), order, 0);
    }

    /** @param flags numpy's dtype flags: 0 for numbers, 63 for objects */
    private void saveDtype(Object key, String code, String order, int flags) {
        saveGlobal("numpy", "dtype");
        Object align = flavor == Flavor.PY2 ? (Object) 0 : Boolean.FALSE;
        Object copy = flavor == Flavor.PY2 ? (Object) 1 : Boolean.TRUE;
        saveTuple(new Object(), List.of(new Temp(new String(code)), align, copy), true);
        out.write('R');
        memoize(key, false);
        // (version, byteorder, subarray, names, fields, elsize, alignment, flags); interned "<" like CPython's.
        saveTuple(new Object(), Arrays.asList(3, order, null, null, null, -1, -1, flags), true);
        out.write('b');
    }

    private void saveObjectArray(Object v, ObjectArray a) {
        saveReconstruct(v);
        Object[] shape = new Object[a.shape().length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = a.shape()[i];
        }
        saveTuple(new Object(), Arrays.asList(1, new Temp(new Tuple(Arrays.asList(shape))), objectDtype, false,
                new Temp(new ArrayList<>(a.items()))), true);
        out.write('b');
    }

    /** {@code _reconstruct(ndarray, (0,), 'b')}, the empty array that BUILD then fills. */
    private void saveReconstruct(Object v) {
        String prefix = flavor == Flavor.PY2 ? "numpy.core.multiarray" : "numpy._core.multiarray";
        saveGlobal(prefix, "_reconstruct");
        saveGlobal("numpy", "ndarray");
        saveTuple(new Object(), List.of(0), true); // numpy builds a new (0,) for every array
        save(TYPECODE_B);
        out.write(0x87);
        memoize(new Object(), true);
        out.write('R');
        memoize(v, false);
    }

    private void saveArray(Object v, NumpyArray na) {
        NdArray a = na.array();
        if (a.dtype() == DType.UNICODE) {
            throw new IllegalArgumentException("value: unicode arrays have no pickle form here");
        }
        saveReconstruct(v);
        char order = a.dtype().itemSize() == 1 ? '|' : na.bigEndian() ? '>' : '<';
        Dtype d = dtypes.computeIfAbsent(new Dtype(a.dtype(), order), k -> k);
        Object[] shape = new Object[a.ndim()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = a.dim(i);
        }
        Temp raw = new Temp(rawBytes(a, na.fortran(), na.bigEndian()));
        saveTuple(new Object(), Arrays.asList(1, new Temp(new Tuple(Arrays.asList(shape))), d,
                na.fortran() && a.ndim() > 1, raw), true);
        out.write('b');
    }

    /** The values as numpy's {@code tobytes('A')}: C or Fortran order, in the requested byte order. */
    static byte[] rawBytes(NdArray a, boolean fortran, boolean bigEndian) {
        int n = a.size();
        int[] shape = a.shape();
        Object data = a.data();
        if (fortran && a.ndim() > 1) {
            data = cToFortran(data, shape, n);
        }
        DType t = a.dtype();
        ByteBuffer bb = ByteBuffer.allocate(n * t.itemSize())
                .order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        switch (t) {
            case FLOAT64 -> bb.asDoubleBuffer().put((double[]) data);
            case FLOAT32 -> bb.asFloatBuffer().put((float[]) data);
            case INT32 -> bb.asIntBuffer().put((int[]) data);
            case INT64, UINT64 -> bb.asLongBuffer().put((long[]) data);
            case UINT32 -> {
                long[] d = (long[]) data;
                for (int i = 0; i < n; i++) {
                    bb.putInt(4 * i, (int) d[i]);
                }
            }
            default -> bb.put((byte[]) data);
        }
        return bb.array();
    }

    /** Independent of the reader's odometer: Fortran position of C index c, from its multi-index. */
    private static Object cToFortran(Object data, int[] shape, int n) {
        Object out = java.lang.reflect.Array.newInstance(data.getClass().getComponentType(), n);
        int[] idx = new int[shape.length];
        for (int c = 0; c < n; c++) {
            int rest = c;
            for (int k = shape.length - 1; k >= 0; k--) {
                idx[k] = rest % shape[k];
                rest /= shape[k];
            }
            int f = 0;
            for (int k = shape.length - 1; k >= 0; k--) {
                f = f * shape[k] + idx[k];
            }
            System.arraycopy(data, c, out, f, 1);
        }
        return out;
    }

    // ---- memo and bytes --------------------------------------------------------------------------------------

    private boolean fetch(Object v) {
        Integer i = memo.get(v);
        if (i == null) {
            return false;
        }
        if (i < 256) {
            out.write('h');
            out.write(i);
        } else {
            out.write('j');
            writeLe(i, 4);
        }
        return true;
    }

    private void memoize(Object v) {
        memoize(v, false);
    }

    private void memoize(Object v, boolean temp) {
        if (temp && flavor == Flavor.PY2) {
            return;
        }
        int i = memo.size() + (flavor == Flavor.PY2 ? 1 : 0); // cPickle numbers its memo from 1
        memo.put(v, i);
        if (i < 256) {
            out.write('q');
            out.write(i);
        } else {
            out.write('r');
            writeLe(i, 4);
        }
    }

    private static byte[] latin1(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                throw new IllegalArgumentException("value: Python 2 str '" + s + "' has a character outside "
                        + "latin-1 at " + i + "; wrap it in Unicode");
            }
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private void writeLe(long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    private void writeBytes(byte[] b) {
        out.write(b, 0, b.length);
    }
}
