package dev.smplr.io.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smplr.io.CscMatrix;
import dev.smplr.io.NdArray;
import dev.smplr.io.PickleGoldens;
import dev.smplr.io.SmplPickle;
import dev.smplr.io.internal.PickleWriter.Flavor;
import dev.smplr.io.internal.PickleWriter.NumpyArray;
import dev.smplr.io.internal.PickleWriter.Unicode;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PickleWriterTest {

    private static final NdArray V = NdArray.of(new int[] {2, 3}, new double[] {0.5, -1.25, 3.0, 1e-300, -0.0, 7.0});
    private static final NdArray K = NdArray.of(NdArray.DType.UINT32, new int[] {2, 2},
            new long[] {4294967295L, 0, 0, 1});
    private static final CscMatrix M = new CscMatrix(2, 2, new int[] {0, 1, 2}, new int[] {1, 0},
            new double[] {0.25, 4.0});

    private static List<Object> root(PickleWriter w) {
        Map<String, Object> small = new LinkedHashMap<>();
        small.put("a", 1);
        List<Object> root = new ArrayList<>();
        root.add(V);
        root.add(K);
        root.add(w.chumpy(NdArray.of(new int[] {2}, new double[] {1.5, 2.5})));
        root.add(w.cscMatrix(M));
        root.add("lbs");
        if (w.flavor() == Flavor.PY2) {
            root.add(new Unicode("unic\u00e9"));
        } else {
            root.add(new byte[] {'x', 'y'});
            root.add(new byte[0]);
        }
        root.addAll(Arrays.asList(300, -5, 1L << 40, BigInteger.TWO.pow(70), 1.5, true, null, small));
        return root;
    }

    @Test
    void dump_py2Values_matchesCPickleByteForByte() {
        PickleWriter w = new PickleWriter(Flavor.PY2);
        assertThat(HexFormat.of().formatHex(w.dump(root(w)))).isEqualTo(PickleGoldens.CPICKLE_PY2);
    }

    @Test
    void dump_py3Values_matchesPython3PickleByteForByte() {
        PickleWriter w = new PickleWriter(Flavor.PY3);
        assertThat(HexFormat.of().formatHex(w.dump(root(w)))).isEqualTo(PickleGoldens.PICKLE_PY3);
    }

    @Test
    void dump_repeatedDtype_isFetchedFromMemo() {
        PickleWriter w = new PickleWriter(Flavor.PY2);
        byte[] p = w.dump(List.of(V, NdArray.of(new int[] {1}, new double[] {2})));
        String hex = HexFormat.of().formatHex(p);
        // "cnumpy\ndtype\n" is written once; the second f8 array fetches the dtype object with BINGET.
        assertThat(hex.split(HexFormat.of().formatHex("cnumpy\ndtype\n".getBytes()), -1)).hasSize(2);
        assertThat(hex).contains("28" + "4b01" + "4b0185" + "6806"); // MARK 1 (1,) BINGET 6 (the f8 dtype)
    }

    @Test
    void dump_largeMemo_usesLongBinPutAndGet() throws Exception {
        PickleWriter w = new PickleWriter(Flavor.PY3);
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            items.add("s" + i);
        }
        String shared = items.get(299).toString();
        items.add(shared);
        byte[] p = w.dump(items);
        String hex = HexFormat.of().formatHex(p);
        assertThat(hex).contains("72" + "00010000"); // LONG_BINPUT 256
        assertThat(hex).contains("6a" + "2c010000"); // LONG_BINGET 300 (the list is 0, "s299" is 300)
        Object back = SmplPickle.load(new ByteArrayInputStream(p), "memo.pkl");
        assertThat(back).isEqualTo(items);
    }

    @Test
    void dump_fortranBigEndian_writesNumpyLayout() {
        NdArray a = NdArray.of(new int[] {2, 3}, new int[] {1, 2, 3, 4, 5, 6});
        byte[] raw = PickleWriter.rawBytes(a, true, true);
        // Fortran order walks columns: 1 4 2 5 3 6, each big-endian int32.
        assertThat(HexFormat.of().formatHex(raw))
                .isEqualTo("000000010000000400000002000000050000000300000006");
        PickleWriter w = new PickleWriter(Flavor.PY2);
        String hex = HexFormat.of().formatHex(w.dump(new NumpyArray(a, true, true)));
        assertThat(hex).contains("55013e"); // byte order '>'
        assertThat(hex).contains("88" + "5518" + "00000001"); // is_fortran True, then the 24 data bytes
    }

    @Test
    void dump_py2NonLatin1String_throws() {
        PickleWriter w = new PickleWriter(Flavor.PY2);
        assertThatThrownBy(() -> w.dump("snow \u2603"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latin-1");
    }

    /**
     * Python 3.11 {@code pickle.dumps(a, protocol=2)} with numpy 2.4.6 and scipy 1.17.1 of a 0-d object array
     * holding a csc_matrix (the first line) and of a 1-d object array (the second):
     * <pre>
     * m = sp.csc_matrix((np.array([0.5, 0.25, 0.75]), np.array([0, 1, 1], dtype=np.int32),
     *                    np.array([0, 1, 2, 3], dtype=np.int32)), shape=(2, 3))
     * a = np.empty((), dtype=object); a[()] = m
     * b = np.empty((2,), dtype=object); b[0] = 'ab'; b[1] = 3
     * print(pickle.dumps(a, protocol=2).hex()); print(pickle.dumps(b, protocol=2).hex())
     * </pre>
     */
    private static final String NUMPY_OBJECT_0D =
            "8002636e756d70792e5f636f72652e6d756c746961727261790a5f7265636f6e7374727563740a7100636e756d70790a"
            + "6e6461727261790a71014b00857102635f636f646563730a656e636f64650a7103580100000062710458060000006c61"
            + "74696e317105867106527107877108527109284b0129636e756d70790a64747970650a710a58020000004f38710b8988"
            + "87710c52710d284b0358010000007c710e4e4e4e4affffffff4affffffff4b3f74710f62895d71106373636970792e73"
            + "70617273652e5f6373630a6373635f6d61747269780a7111298171127d71132858060000005f736861706571144b024b"
            + "0386711558080000006d61787072696e7471164b325807000000696e64696365737117680068014b0085711868078771"
            + "1952711a284b014b0385711b680a58020000006934711c898887711d52711e284b0358010000003c711f4e4e4e4affff"
            + "ffff4affffffff4b0074712062896803580c000000000000000100000001000000712168058671225271237471246258"
            + "06000000696e647074727125680068014b008571266807877127527128284b014b04857129681e896803581000000000"
            + "000000010000000200000003000000712a680586712b52712c74712d62580400000064617461712e680068014b008571"
            + "2f6807877130527131284b014b03857132680a5802000000663871338988877134527135284b03681f4e4e4e4affffff"
            + "ff4affffffff4b0074713662896803581b000000000000000000c3a03f000000000000c3903f000000000000c3a83f71"
            + "37680586713852713974713a6275626174713b622e";
    private static final String NUMPY_OBJECT_1D =
            "8002636e756d70792e5f636f72652e6d756c746961727261790a5f7265636f6e7374727563740a7100636e756d70790a"
            + "6e6461727261790a71014b00857102635f636f646563730a656e636f64650a7103580100000062710458060000006c61"
            + "74696e317105867106527107877108527109284b014b0285710a636e756d70790a64747970650a710b58020000004f38"
            + "710c898887710d52710e284b0358010000007c710f4e4e4e4affffffff4affffffff4b3f74711062895d711128580200"
            + "0000616271124b0365747113622e";

    @Test
    void dump_py3ObjectArrays_matchNumpyByteForByte() {
        CscMatrix m = new CscMatrix(2, 3, new int[] {0, 1, 2, 3}, new int[] {0, 1, 1}, new double[] {0.5, 0.25, 0.75});
        PickleWriter w = new PickleWriter(Flavor.PY3);
        String zeroDim = HexFormat.of().formatHex(w.dump(new PickleWriter.ObjectArray(new int[0],
                List.of(w.cscMatrix(m)))));
        String oneDim = HexFormat.of().formatHex(new PickleWriter(Flavor.PY3).dump(
                new PickleWriter.ObjectArray(new int[] {2}, List.of("ab", 3))));

        assertThat(zeroDim).isEqualTo(NUMPY_OBJECT_0D);
        assertThat(oneDim).isEqualTo(NUMPY_OBJECT_1D);
    }
}
