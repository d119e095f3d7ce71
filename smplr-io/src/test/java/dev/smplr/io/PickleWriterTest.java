package dev.smplr.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smplr.io.PickleWriter.Flavor;
import dev.smplr.io.PickleWriter.NumpyArray;
import dev.smplr.io.PickleWriter.Unicode;
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
        Object back = SmplPickle.load(p, "memo.pkl");
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
}
