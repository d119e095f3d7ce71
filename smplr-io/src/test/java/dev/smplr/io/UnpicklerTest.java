package dev.smplr.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.smplr.io.NdArray.DType;
import dev.smplr.io.internal.PickleWriter;
import dev.smplr.io.internal.PickleWriter.Call;
import dev.smplr.io.internal.PickleWriter.Flavor;
import dev.smplr.io.internal.PickleWriter.Instance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnpicklerTest {

    private static final NdArray V = NdArray.of(new int[] {2, 3}, new double[] {0.5, -1.25, 3.0, 1e-300, -0.0, 7.0});
    private static final NdArray K = NdArray.of(DType.UINT32, new int[] {2, 2}, new long[] {4294967295L, 0, 0, 1});
    private static final NdArray CH_X = NdArray.of(new int[] {2}, new double[] {1.5, 2.5});
    private static final CscMatrix M = new CscMatrix(2, 2, new int[] {0, 1, 2}, new int[] {1, 0},
            new double[] {0.25, 4.0});
    private static final BigInteger TWO_70 = BigInteger.TWO.pow(70);

    /** Concatenates opcodes: a String as latin-1 bytes, an Integer as one byte, a byte[] as it is. */
    static byte[] p(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            } else if (part instanceof Integer i) {
                out.write(i);
            } else {
                out.writeBytes((byte[]) part);
            }
        }
        return out.toByteArray();
    }

    private static byte[] repeat(int b, int n) {
        byte[] r = new byte[n];
        Arrays.fill(r, (byte) b);
        return r;
    }

    private static byte[] le32(long v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    private static Object load(byte[] pickle) throws PickleException {
        return Unpickler.load(pickle, "test.pkl");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object v) {
        return (List<Object>) v;
    }

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    // ---- real Python output ------------------------------------------------------------------------------------

    @Test
    void load_cpicklePy2Golden_readsEveryValue() throws Exception {
        List<Object> v = list(load(hex(PickleGoldens.CPICKLE_PY2)));
        assertThat(v).containsExactly(V, K, CH_X, M, "lbs", "unic\u00e9", 300L, -5L, 1L << 40, TWO_70, 1.5, true,
                null, Map.of("a", 1L));
        assertThat(((NdArray) v.get(1)).toLongArray()[0]).isEqualTo(4294967295L);
    }

    @Test
    void load_python3Protocol2Golden_readsEveryValue() throws Exception {
        List<Object> v = list(load(hex(PickleGoldens.PICKLE_PY3)));
        assertThat(v).hasSize(15);
        assertThat(v.subList(0, 5)).containsExactly(V, K, CH_X, M, "lbs");
        assertThat((byte[]) v.get(5)).containsExactly('x', 'y');
        assertThat((byte[]) v.get(6)).isEmpty();
        assertThat(v.subList(7, 15)).containsExactly(300L, -5L, 1L << 40, TWO_70, 1.5, true, null, Map.of("a", 1L));
    }

    @Test
    void load_protocol4Golden_readsFramesMemoizeStackGlobalAndSets() throws Exception {
        Map<?, ?> d = (Map<?, ?>) load(hex(PickleGoldens.PROTO4_PY3));
        assertThat(d.get("v")).isEqualTo(V);
        assertThat(d.get("J")).isEqualTo(M);
        assertThat(d.get("s")).isEqualTo(Set.of("x", "y"));
        assertThat((byte[]) d.get("b")).containsExactly('x', 'y');
        assertThat((byte[]) d.get("e")).isEmpty();
        assertThat(d.get("fz")).isEqualTo(Set.of(7L));
        assertThatThrownBy(() -> ((Set<?>) d.get("fz")).clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(d.containsKey("n")).isTrue();
        assertThat(d.get("n")).isNull();
        assertThat(d.get("t")).isEqualTo(List.of(1L, 2.5, "u"));
        assertThat(d.get("big")).isEqualTo(TWO_70);
        assertThat(d.get("neg")).isEqualTo(TWO_70.negate());
        assertThat(d.get("f32")).isEqualTo(NdArray.of(new int[] {2}, new float[] {1.5f, -2f})); // from '>f4'
    }

    @Test
    void load_protocol0And1Goldens_readTextOpcodes() throws Exception {
        for (String golden : List.of(PickleGoldens.PROTO0_PY3, PickleGoldens.PROTO1_PY3)) {
            Map<?, ?> d = (Map<?, ?>) load(hex(golden));
            assertThat(d.get("i")).isEqualTo(1L);
            assertThat(d.get("big")).isEqualTo(TWO_70);
            assertThat(d.get("f")).isEqualTo(1.5);
            assertThat(d.get("s")).isEqualTo("caf\u00e9 \u2603 \\u0041");
            assertThat(d.get("l")).isEqualTo(List.of(1L, List.of(2L)));
            assertThat(d.get("t")).isEqualTo(List.of(1L));
            assertThat(d.get("n")).isNull();
            assertThat(d.get("T")).isEqualTo(true);
            assertThat(d.get("F")).isEqualTo(false);
            assertThat(d.get("neg")).isEqualTo(-3L);
            assertThat(d.get("v")).isEqualTo(NdArray.of(new int[] {2}, new long[] {1, 2}));
            assertThat(d.get("nanf")).isEqualTo(Double.POSITIVE_INFINITY);
        }
    }

    @Test
    void load_protocol0Py2Golden_decodesStringEscapes() throws Exception {
        Map<?, ?> d = (Map<?, ?>) load(hex(PickleGoldens.PROTO0_PY2));
        assertThat(d.get("s")).isEqualTo("a\0b\n'\"\\\u00ff");
        assertThat(d.get("u")).isEqualTo("caf\u00e9 \u2603 \\u0041");
        assertThat(d.get("i")).isEqualTo(7L);
        assertThat(d.get("l")).isEqualTo(new BigInteger("12345678901234567890"));
        assertThat(d.get("f")).isEqualTo(-0.1);
        assertThat(d.get("z")).isEqualTo(1L << 40);
    }

    @Test
    void load_tupleAndKeys_mapAsDocumented() throws Exception {
        // {('a', 1): (None,), 'b': ['x']} with py2 str keys and values
        byte[] pk = p(0x80, 2, "}(U\u0001aK\u0001\u0086N\u0085U\u0001b]U\u0001xaU\u0001c\u0089u.");
        Map<?, ?> d = (Map<?, ?>) load(pk);
        assertThat(list(List.copyOf(d.keySet()))).containsExactly(List.of("a", 1L), "b", "c");
        List<Object> t = list(d.get(List.of("a", 1L)));
        assertThat(t).containsExactly((Object) null);
        assertThat(t.toString()).isEqualTo("(null,)");
        assertThatThrownBy(t::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThat(d.get("b")).isEqualTo(List.of("x"));
        assertThat(d.get("c")).isEqualTo(false);
    }

    @Test
    void load_numpyScalarsAndMemoGet_readValues() throws Exception {
        // [scalar(dtype('f8'), raw 2.5), scalar(dtype('u8'), 2^64 - 1), GET of the first via PUT/GET text opcodes]
        byte[] f8 = new byte[8];
        java.nio.ByteBuffer.wrap(f8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(2.5);
        byte[] pk = p(0x80, 2, "(cnumpy.core.multiarray\nscalar\np0\ncnumpy\ndtype\nU\u0002f8K\u0000K\u0001\u0087R",
                "(K\u0003U\u0001<NNNJ", repeat(0xff, 4), "J", repeat(0xff, 4), "K\u0000tbU\u0008", f8, "\u0086Rp1\n",
                "g0\ncnumpy\ndtype\nU\u0002u8K\u0000K\u0001\u0087RU\u0008", repeat(0xff, 8), "\u0086Rg1\nl.");
        List<Object> v = list(load(pk));
        assertThat(v).containsExactly(2.5, new BigInteger("18446744073709551615"), 2.5);
    }

    // ---- the allow-list ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"os system", "posix system", "nt system", "subprocess Popen", "builtins eval",
        "__builtin__ eval", "builtins __import__", "__builtin__ getattr", "copy_reg _reconstructor",
        "numpy.core.multiarray frombuffer", "chumpy.ch_ops add", "scipy.sparse.csr csr_matrix"})
    void load_globalOutsideAllowList_refusesNamingIt(String global) {
        String[] mn = global.split(" ");
        String name = mn[0] + "." + mn[1];
        // protocol 2 GLOBAL, followed by nothing: the refusal must come before any other processing
        assertThatThrownBy(() -> load(p(0x80, 2, "c" + mn[0] + "\n" + mn[1] + "\n")))
                .isInstanceOf(PickleException.class)
                .hasMessage("test.pkl: offset 2: GLOBAL: global '" + name + "' is not allowed (an SMPL pickle "
                        + "needs only numpy arrays, dtypes and scalars, scipy.sparse csc_matrix, chumpy Ch, set and "
                        + "_codecs.encode)");
        // protocol 0 GLOBAL, called with REDUCE
        assertThatThrownBy(() -> load(p("c" + mn[0] + "\n" + mn[1] + "\n(S'id'\ntR.")))
                .isInstanceOf(PickleException.class).hasMessageContaining("offset 0: GLOBAL: global '" + name + "'");
        // protocol 4 STACK_GLOBAL
        assertThatThrownBy(() -> load(p(0x80, 4, 0x8c, mn[0].length(), mn[0], 0x94, 0x8c, mn[1].length(), mn[1],
                0x94, 0x93, "N\u0085R.")))
                .isInstanceOf(PickleException.class)
                .hasMessageContaining("STACK_GLOBAL: global '" + name + "' is not allowed");
        // protocol 0 INST
        assertThatThrownBy(() -> load(p("(S'id'\ni" + mn[0] + "\n" + mn[1] + "\n.")))
                .isInstanceOf(PickleException.class).hasMessageContaining("INST: global '" + name + "'");
    }

    @Test
    void load_refusedGlobalInsideSmplLikeDict_refuses() {
        PickleWriter w = new PickleWriter(Flavor.PY2);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("v_template", V);
        d.put("bs_style", new Call("os", "system", PickleWriter.tuple("echo pwned")));
        assertThatThrownBy(() -> load(w.dump(d))).isInstanceOf(PickleException.class)
                .hasMessageContaining("global 'os.system' is not allowed");
    }

    @Test
    void load_hostileGlobalName_isEscapedAndCut() {
        String module = "os\u001b[31m" + "x".repeat(200);
        assertThatThrownBy(() -> load(p("c" + module + "\nsystem\n.")))
                .isInstanceOf(PickleException.class)
                .hasMessageContaining("global 'os\\x1b[31mxxx")
                .hasMessageContaining("...");
    }

    @Test
    void load_allowedClassesMisused_refuses() {
        assertThatThrownBy(() -> load(p(0x80, 2, "cchumpy.ch\nCh\n)R.")))
                .isInstanceOf(PickleException.class).hasMessageContaining("chumpy.ch.Ch cannot be called with REDUCE");
        assertThatThrownBy(() -> load(p(0x80, 2, "cnumpy\ndtype\n)\u0081.")))
                .isInstanceOf(PickleException.class).hasMessageContaining("NEWOBJ: can only create");
        assertThatThrownBy(() -> load(p(0x80, 2, "cchumpy.ch\nCh\nK\u0001\u0085\u0081.")))
                .isInstanceOf(PickleException.class).hasMessageContaining("expected no constructor arguments");
        assertThatThrownBy(() -> load(p(0x80, 2, "c_codecs\nencode\nX\u0001\u0000\u0000\u0000aX\u0005\u0000\u0000"
                + "\u0000utf-8\u0086R."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("expected _codecs.encode(str, 'latin1')");
        assertThatThrownBy(() -> load(p(0x80, 2, "cnumpy\nndarray\n.")))
                .isInstanceOf(PickleException.class).hasMessageContaining("numpy.ndarray is not a value");
        assertThatThrownBy(() -> load(p(0x80, 2, "K\u0001K\u0002R.")))
                .isInstanceOf(PickleException.class).hasMessageContaining("expected an allowed global to call");
    }

    // ---- numpy, chumpy and scipy type confusion ---------------------------------------------------------------

    private static String reconstruct() {
        return "cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\u0000\u0085U\u0001b\u0087R";
    }

    private static String dtype(String code) {
        return "cnumpy\ndtype\nU" + (char) code.length() + code + "K\u0000K\u0001\u0087R";
    }

    @Test
    void load_arrayStateMismatches_refuseWithOffset() {
        // rawdata of 8 bytes for shape (3,) f8
        byte[] shortData = p(0x80, 2, reconstruct(), "(K\u0001K\u0003\u0085", dtype("f8"), "\u0089U\u0008",
                new byte[8], "tb.");
        assertThatThrownBy(() -> load(shortData)).isInstanceOf(PickleException.class)
                .hasMessage("test.pkl: offset " + (shortData.length - 2) + ": BUILD: array data holds 8 bytes, but "
                        + "shape [3] of f8 needs 24");
        // an object array: the data is a list
        assertThatThrownBy(() -> load(p(0x80, 2, reconstruct(), "(K\u0001K\u0001\u0085", dtype("f8"),
                "\u0089]tb."))).isInstanceOf(PickleException.class).hasMessageContaining("object arrays");
        // an unsupported dtype
        assertThatThrownBy(() -> load(p(0x80, 2, dtype("c16"), "."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("dtype 'c16' is not supported");
        // _reconstruct with the wrong arguments
        assertThatThrownBy(() -> load(p(0x80, 2, "cnumpy.core.multiarray\n_reconstruct\nK\u0001K\u0002K\u0003"
                + "\u0087R."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("expected _reconstruct(numpy.ndarray, shape, typecode), found arguments "
                        + "(1, 2, 3)");
        // shape of strings
        assertThatThrownBy(() -> load(p(0x80, 2, reconstruct(), "(K\u0001U\u0001a\u0085", dtype("f8"),
                "\u0089U\u0000tb."))).isInstanceOf(PickleException.class).hasMessageContaining("shape of non-negative");
        // a structured dtype state
        assertThatThrownBy(() -> load(p(0x80, 2, dtype("f8"), "(K\u0003U\u0001<N(U\u0001at}J", repeat(0xff, 4),
                "J", repeat(0xff, 4), "K\u0000tb."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("structured");
        // '|' byte order for an 8-byte type
        assertThatThrownBy(() -> load(p(0x80, 2, dtype("f8"), "(K\u0003U\u0001|NNNJ", repeat(0xff, 4),
                "J", repeat(0xff, 4), "K\u0000tb."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("byte order '|' is not valid for f8");
        // an array that never gets its state
        int reduceAt = 2 + reconstruct().length() - 1;
        assertThatThrownBy(() -> load(p(0x80, 2, reconstruct(), "."))).isInstanceOf(PickleException.class)
                .hasMessage("test.pkl: offset " + reduceAt + ": the numpy array made here never received its state "
                        + "(BUILD)");
        // BUILD twice
        assertThatThrownBy(() -> load(p(0x80, 2, reconstruct(), "(K\u0001)", dtype("f8"), "\u0089U\u0008",
                new byte[8], "tb(K\u0001)", dtype("f8"), "\u0089U\u0008", new byte[8], "tb.")))
                .isInstanceOf(PickleException.class).hasMessageContaining("array state set twice");
    }

    @Test
    void load_buildOnOtherValues_refuses() {
        assertThatThrownBy(() -> load(p(0x80, 2, "]}b."))).isInstanceOf(PickleException.class)
                .hasMessage("test.pkl: offset 4: BUILD: cannot set the state of a list (only numpy arrays and "
                        + "dtypes, chumpy Ch and csc_matrix)");
        assertThatThrownBy(() -> load(p(0x80, 2, "K\u0001}b."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("state of a int");
    }

    @Test
    void load_chumpyAndCscStateProblems_refuse() {
        PickleWriter w = new PickleWriter(Flavor.PY2);
        Map<String, Object> noX = new LinkedHashMap<>();
        noX.put("_itr", null);
        assertThatThrownBy(() -> load(w.dump(new Instance("chumpy.ch", "Ch", noX))))
                .isInstanceOf(PickleException.class)
                .hasMessageContaining("chumpy.ch.Ch state: expected 'x' to be a numpy array, found no such key");
        Instance csc = w.cscMatrix(M);
        csc.state().put("indptr", NdArray.of(new int[] {3}, new int[] {0, 2, 1}));
        assertThatThrownBy(() -> load(w.dump(csc))).isInstanceOf(PickleException.class)
                .hasMessageContaining("BUILD: csc_matrix: indptr[2]: expected at least indptr[1] = 2, got 1");
        Instance csc2 = w.cscMatrix(M);
        csc2.state().put("format", "csr");
        assertThatThrownBy(() -> load(w.dump(csc2))).isInstanceOf(PickleException.class)
                .hasMessageContaining("expected format 'csc', found 'csr'");
        Instance csc3 = w.cscMatrix(M);
        csc3.state().put("_shape", PickleWriter.tuple(2));
        assertThatThrownBy(() -> load(w.dump(csc3))).isInstanceOf(PickleException.class)
                .hasMessageContaining("expected '_shape' to be (rows, cols), found (2,)");
        Instance csc4 = w.cscMatrix(M);
        csc4.state().put("indices", NdArray.of(new int[] {2}, new long[] {1, 1L << 40}));
        assertThatThrownBy(() -> load(w.dump(csc4))).isInstanceOf(PickleException.class)
                .hasMessageContaining("csc_matrix");
    }

    // ---- malformed streams ------------------------------------------------------------------------------------

    @Test
    void load_streamStructureErrors_refuseWithOffset() {
        assertThatThrownBy(() -> load(p(0x80, 2, 0xff))).isInstanceOf(PickleException.class)
                .hasMessage("test.pkl: offset 2: unknown opcode 0xff");
        assertThatThrownBy(() -> load(p(0x80, 2, "N"))).isInstanceOf(PickleException.class)
                .hasMessage("test.pkl: offset 3: truncated: the data ends (3 bytes) before a STOP opcode");
        assertThatThrownBy(() -> load(p()))
                .isInstanceOf(PickleException.class).hasMessageContaining("offset 0: truncated");
        assertThatThrownBy(() -> load(p(0x80, 2, "N.N"))).isInstanceOf(PickleException.class)
                .hasMessageContaining("offset 3: STOP: 1 byte(s) after the STOP opcode");
        assertThatThrownBy(() -> load(p(0x80, 2, "NN."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("1 value(s) left on the stack");
        assertThatThrownBy(() -> load(p(0x80, 2, "(N."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("1 MARK(s) still open");
        assertThatThrownBy(() -> load(p(0x80, 2, "."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("STOP: stack underflow");
        assertThatThrownBy(() -> load(p(0x80, 2, "N(a."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("APPEND: stack underflow (no value above the last MARK)");
        assertThatThrownBy(() -> load(p(0x80, 2, "1."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("POP_MARK: no MARK to pop to");
        assertThatThrownBy(() -> load(p(0x80, 2, "h\u0005."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("BINGET: memo index 5 was never stored");
        assertThatThrownBy(() -> load(p(0x80, 2, "}K\u0001a."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("APPEND: expected a list to append to, found dict");
        assertThatThrownBy(() -> load(p(0x80, 2, "]K\u0001K\u0002s."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("SETITEM: expected a dict to set items in, found list");
        assertThatThrownBy(() -> load(p(0x80, 2, "}]K\u0001s."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("SETITEM: a list cannot be a dict key");
        assertThatThrownBy(() -> load(p(0x80, 2, "}(K\u0001u."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("odd number of values (1)");
        assertThatThrownBy(() -> load(p(0x80, 9, "N."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("protocol 9 is newer");
        assertThatThrownBy(() -> load(p("I12x\n."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("INT: expected a decimal integer");
        assertThatThrownBy(() -> load(p("F1.5d\n."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("FLOAT: expected a decimal float, found '1.5d'");
        assertThatThrownBy(() -> load(p("S'abc\n."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("STRING: expected a quoted string");
        assertThatThrownBy(() -> load(p(0x80, 2, "X\u0002\u0000\u0000\u0000\u00c3\u0028."))).isInstanceOf(
                PickleException.class).hasMessageContaining("BINUNICODE: invalid UTF-8");
        assertThatThrownBy(() -> load(p(0x80, 2, "P1\n."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("persistent ids are not supported");
        assertThatThrownBy(() -> load(p(0x80, 2, 0x82, 1, "."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("EXT1: the extension registry is not supported");
    }

    @Test
    void load_hugeDeclaredLengths_failPromptlyWithoutAllocating() {
        byte[] filler = new byte[1000];
        assertThatThrownBy(() -> load(p(0x80, 2, "T", le32(0x7fffffff), filler))).isInstanceOf(PickleException.class)
                .hasMessage("test.pkl: offset 2: BINSTRING: truncated: needs 2147483647 bytes, but only 1000 remain");
        assertThatThrownBy(() -> load(p(0x80, 2, "T", le32(-5), filler))).isInstanceOf(PickleException.class)
                .hasMessageContaining("BINSTRING: negative length -5");
        assertThatThrownBy(() -> load(p(0x80, 2, "X", le32(0xffffffffL), filler)))
                .isInstanceOf(PickleException.class).hasMessageContaining("BINUNICODE: truncated: needs 4294967295");
        assertThatThrownBy(() -> load(p(0x80, 3, "B", le32(0xfffffff0L), filler)))
                .isInstanceOf(PickleException.class).hasMessageContaining("BINBYTES: truncated");
        assertThatThrownBy(() -> load(p(0x80, 4, 0x8e, repeat(0xff, 8), filler)))
                .isInstanceOf(PickleException.class).hasMessageContaining("BINBYTES8: truncated");
        assertThatThrownBy(() -> load(p(0x80, 4, 0x8d, repeat(0x7f, 8), filler)))
                .isInstanceOf(PickleException.class).hasMessageContaining("BINUNICODE8: truncated");
        assertThatThrownBy(() -> load(p(0x80, 4, 0x95, le32(0x7fffffff), le32(0), filler)))
                .isInstanceOf(PickleException.class).hasMessageContaining("FRAME: frame of 2147483647 bytes");
        assertThatThrownBy(() -> load(p(0x80, 2, 0x8b, le32(0x7fffffff), filler)))
                .isInstanceOf(PickleException.class).hasMessageContaining("LONG4: length 2147483647 is outside");
        assertThatThrownBy(() -> load(p(0x80, 2, "U", 0xff, "abc"))).isInstanceOf(PickleException.class)
                .hasMessageContaining("SHORT_BINSTRING: truncated: needs 255 bytes, but only 3 remain");
        assertThatThrownBy(() -> load(p("I" + "9".repeat(5000) + "\n."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("line longer than");
    }

    @Test
    void load_arrayShapeClaimingTerabytes_failsBeforeAllocating() {
        String bigShape = "J" + new String(le32(100_000), StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> load(p(0x80, 2, reconstruct(), "(K\u0001" + bigShape + bigShape + bigShape
                + "\u0087", dtype("f8"), "\u0089U\u0008", new byte[8], "tb.")))
                .isInstanceOf(PickleException.class)
                .hasMessageContaining("shape [100000, 100000, 100000] has more elements than a Java array holds");
        String max = "J" + new String(le32(Integer.MAX_VALUE), StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> load(p(0x80, 2, reconstruct(), "(K\u0001" + max + "\u0085", dtype("u1"),
                "\u0089U\u0008", new byte[8], "tb."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("more elements than a Java array holds");
        String half = "J" + new String(le32(Integer.MAX_VALUE / 16), StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> load(p(0x80, 2, reconstruct(), "(K\u0001" + half + "\u0085", dtype("f8"),
                "\u0089U\u0008", new byte[8], "tb."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("array data holds 8 bytes");
    }

    @Test
    void load_dataReusedThroughMemo_stopsAtTheDecodingBudget() {
        // One 64 KiB string, then 100 arrays that all fetch it: 6.4 MB of doubles from a 66 KB file.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(p(0x80, 2, "(T", le32(65536), new byte[65536], "q\u0001"));
        for (int i = 0; i < 100; i++) {
            out.writeBytes(p(reconstruct(), "(K\u0001J", le32(8192), "\u0085", dtype("f8"), "\u0089h\u0001tb"));
        }
        out.writeBytes(p("l."));
        assertThatThrownBy(() -> load(out.toByteArray())).isInstanceOf(PickleException.class)
                .hasMessageContaining("four times the input size");
    }

    // ---- nesting, stack and cycles ------------------------------------------------------------------------------

    @Test
    void load_100kMarks_failsPromptly() {
        assertThatThrownBy(() -> load(p(0x80, 2, repeat('(', 100_000), "."))).isInstanceOf(PickleException.class)
                .hasMessage("test.pkl: offset 1002: MARK: more than 1000 nested MARKs");
    }

    @Test
    void load_100kNestedListsOnTheStack_failsPromptly() {
        assertThatThrownBy(() -> load(p(0x80, 2, repeat(']', 100_000), repeat('a', 99_999), ".")))
                .isInstanceOf(PickleException.class).hasMessageContaining("STOP: containers nested deeper than 1000");
    }

    @Test
    void load_100kNestedTuplesWithoutStackGrowth_failsPromptly() {
        assertThatThrownBy(() -> load(p(0x80, 2, "N", repeat(0x85, 100_000), ".")))
                .isInstanceOf(PickleException.class).hasMessageContaining("containers nested deeper than 1000");
    }

    @Test
    void load_100kNestedListsThroughTheMemo_failsPromptly() {
        // L0 = [] as memo 0 and 1; then 100k times: GET the innermost list (memo 0), append a new empty list
        // to it and remember the new one as memo 0. Every step pushes and pops, so the stack stays small.
        ByteArrayOutputStream chain = new ByteArrayOutputStream();
        chain.writeBytes(p(0x80, 2, "]q\u0000q\u0001"));
        for (int i = 0; i < 100_000; i++) {
            chain.writeBytes(p("h\u0000]q\u0000a0"));
        }
        chain.writeBytes(p("0h\u0001."));
        assertThatThrownBy(() -> load(chain.toByteArray())).isInstanceOf(PickleException.class)
                .hasMessageContaining("containers nested deeper than 1000");
    }

    @Test
    void load_nesting900_isRead() throws Exception {
        Object v = load(p(0x80, 2, repeat(']', 900), repeat('a', 899), "."));
        int depth = 0;
        while (v instanceof List<?> l && !l.isEmpty()) {
            v = l.get(0);
            depth++;
        }
        assertThat(depth).isEqualTo(899);
    }

    @Test
    void load_cyclicList_refuses() {
        assertThatThrownBy(() -> load(p(0x80, 2, "]q\u0000h\u0000a."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("a list contains itself; cyclic values are not supported");
        assertThatThrownBy(() -> load(p(0x80, 2, "]q\u0000h\u0000\u0085a."))).isInstanceOf(PickleException.class)
                .hasMessageContaining("contains itself");
    }

    @Test
    void load_sharedValues_stayShared() throws Exception {
        // [x, x] where x = [1]: a DAG, not a cycle
        List<Object> v = list(load(p(0x80, 2, "]q\u0000(]q\u0001K\u0001ah\u0001e.")));
        assertThat(v).hasSize(2);
        assertThat(v.get(0)).isSameAs(v.get(1));
    }

    @Test
    void load_moreThanAMillionStackValues_refuses() {
        assertThatThrownBy(() -> load(p(0x80, 2, "(", repeat('N', (1 << 20) + 1), "l.")))
                .isInstanceOf(PickleException.class).hasMessageContaining("more than 1048576 values on the stack");
    }

    // ---- truncation and fuzzing ----------------------------------------------------------------------------------

    @Test
    void load_everyTruncation_throwsPickleException() {
        for (String golden : List.of(PickleGoldens.CPICKLE_PY2, PickleGoldens.PROTO4_PY3, PickleGoldens.PROTO0_PY3)) {
            byte[] full = hex(golden);
            for (int n = 0; n < full.length; n++) {
                byte[] prefix = Arrays.copyOf(full, n);
                try {
                    load(prefix);
                    fail("prefix of " + n + " bytes was accepted");
                } catch (PickleException e) {
                    assertThat(e.getMessage()).startsWith("test.pkl: offset ");
                }
            }
        }
    }

    @Test
    void load_randomMutations_onlyThrowPickleException() {
        Random rnd = new Random(20240611L);
        List<byte[]> bases = List.of(hex(PickleGoldens.CPICKLE_PY2), hex(PickleGoldens.PICKLE_PY3),
                hex(PickleGoldens.PROTO4_PY3), hex(PickleGoldens.PROTO0_PY3));
        int accepted = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] m = mutate(bases.get(i % bases.size()), rnd);
            try {
                load(m);
                accepted++;
            } catch (PickleException e) {
                assertThat(e.getMessage()).startsWith("test.pkl: ");
            } catch (RuntimeException | Error e) {
                throw new AssertionError("mutation " + i + " escaped as " + e + ": " + HexFormat.of().formatHex(m), e);
            }
        }
        assertThat(accepted).isLessThan(2000); // the mutations do reach the error paths
    }

    private static byte[] mutate(byte[] base, Random rnd) {
        byte[] b = base.clone();
        int kind = rnd.nextInt(6);
        int at = rnd.nextInt(b.length);
        switch (kind) {
            case 0 -> b[at] = (byte) rnd.nextInt(256);
            case 1 -> {
                for (int k = 0; k < 1 + rnd.nextInt(8); k++) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 2 -> { // a big or negative little-endian length
                int[] values = {0x7fffffff, 0xffffffff, 0x80000000, 1 << 20, 0};
                byte[] v = le32(values[rnd.nextInt(values.length)]);
                System.arraycopy(v, 0, b, at, Math.min(4, b.length - at));
            }
            case 3 -> { // delete a range
                int len = 1 + rnd.nextInt(Math.min(16, b.length - at));
                byte[] r = new byte[b.length - len];
                System.arraycopy(b, 0, r, 0, at);
                System.arraycopy(b, at + len, r, at, b.length - at - len);
                b = r;
            }
            case 4 -> { // duplicate a range
                int len = 1 + rnd.nextInt(Math.min(32, b.length - at));
                byte[] r = new byte[b.length + len];
                System.arraycopy(b, 0, r, 0, at + len);
                System.arraycopy(b, at, r, at + len, b.length - at);
                b = r;
            }
            default -> { // insert a random opcode
                byte[] r = new byte[b.length + 1];
                System.arraycopy(b, 0, r, 0, at);
                r[at] = (byte) rnd.nextInt(256);
                System.arraycopy(b, at, r, at + 1, b.length - at);
                b = r;
            }
        }
        return b;
    }

    @Test
    void load_fuzzedBase_isStillReadable() throws IOException {
        // sanity check for the fuzz bases: unmodified, each one loads
        for (String golden : List.of(PickleGoldens.CPICKLE_PY2, PickleGoldens.PICKLE_PY3, PickleGoldens.PROTO4_PY3,
                PickleGoldens.PROTO0_PY3)) {
            assertThat(load(hex(golden))).isNotNull();
        }
    }
}
