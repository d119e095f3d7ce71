package dev.smplr.io;

/**
 * Pickles written by real Python, as hex, with the code that wrote them. They are not SMPL model files: the
 * values are small synthetic ones.
 */
public final class PickleGoldens {

    private PickleGoldens() {
    }

    /**
     * Python 2.7.18 {@code cPickle.dumps(root, 2)} (the first line this script prints), with stand-in classes
     * that reduce exactly as numpy 1.x, scipy 0.x and chumpy do (numpy cannot be installed for Python 2 here).
     * Every value is also held by a variable, as the writer assumes of the values it is given.
     * <pre>
     * # Python 2 cPickle with stand-in numpy/scipy/chumpy classes that reduce exactly as the real ones do.
     * import sys, types, cPickle, struct, binascii
     * def mod(name):
     *     m = types.ModuleType(name); sys.modules[name] = m; return m
     * numpy = mod('numpy'); mod('numpy.core'); ma = mod('numpy.core.multiarray')
     * mod('scipy'); mod('scipy.sparse'); csc = mod('scipy.sparse.csc'); mod('chumpy'); chm = mod('chumpy.ch')
     * def _reconstruct(*a): pass
     * _reconstruct.__module__ = 'numpy.core.multiarray'; ma._reconstruct = _reconstruct
     * class dtype(object):
     *     def __init__(self, code, order): self.code, self.order = code, order
     *     def __reduce__(self):
     *         return (dtype, (''.join([self.code[0], self.code[1:]]), 0, 1), (3, self.order, None, None, None, -1, -1, 0))
     * dtype.__module__ = 'numpy'; numpy.dtype = dtype
     * class ndarray(object):
     *     def __init__(self, shape, dt, raw, fortran=False): self.shape, self.dt, self.raw, self.fortran = shape, dt, raw, fortran
     *     def __reduce__(self):
     *         return (_reconstruct, (ndarray, tuple([0]), 'b'), (1, tuple(list(self.shape)), self.dt, self.fortran, str(bytearray(self.raw))))
     * ndarray.__module__ = 'numpy'; numpy.ndarray = ndarray
     * class Ch(object): pass
     * Ch.__module__ = 'chumpy.ch'; chm.Ch = Ch
     * class csc_matrix(object): pass
     * csc_matrix.__module__ = 'scipy.sparse.csc'; csc.csc_matrix = csc_matrix
     *
     * f8 = dtype('f8', '&lt;'); u4 = dtype('u4', '&lt;'); i4 = dtype('i4', '&lt;')
     * v = ndarray((2, 3), f8, struct.pack('&lt;6d', 0.5, -1.25, 3.0, 1e-300, -0.0, 7.0))
     * k = ndarray((2, 2), u4, struct.pack('&lt;4I', 4294967295, 0, 0, 1))
     * ch = Ch(); ch.x = ndarray((2,), f8, struct.pack('&lt;2d', 1.5, 2.5)); ch._dirty_vars = set(['x']); ch._itr = None; dep = {}; ch._depends_on_deps = dep
     * m = csc_matrix(); m.format = 'csc'; m._shape = (2, 2); m.indptr = ndarray((3,), i4, struct.pack('&lt;3i', 0, 1, 2)); m.indices = ndarray((2,), i4, struct.pack('&lt;2i', 1, 0)); m.maxprint = 50; m.data = ndarray((2,), f8, struct.pack('&lt;2d', 0.25, 4.0))
     * root = [v, k, ch, m, 'lbs', u'unic\xe9', 300, -5, 2**40, 2**70, 1.5, True, None, {'a': 1}]
     * print(binascii.hexlify(cPickle.dumps(root, 2)))
     * print(ch.__dict__.keys())
     * print(m.__dict__.keys())
     * </pre>
     */
    public static final String CPICKLE_PY2 =
            "80025d710128636e756d70792e636f72652e6d756c746961727261790a5f7265636f6e7374727563740a7102636e756d7079" +
            "0a6e6461727261790a71034b008555016287527104284b014b024b0386636e756d70790a64747970650a7105550266384b00" +
            "4b0187527106284b0355013c4e4e4e4affffffff4affffffff4b007462895530000000000000e03f000000000000f4bf0000" +
            "00000000084059f3f8c21f6ea50100000000000000800000000000001c407462680268034b008555016287527107284b014b" +
            "024b02866805550275344b004b0187527108284b0355013c4e4e4e4affffffff4affffffff4b007462895510ffffffff0000" +
            "000000000000010000007462636368756d70792e63680a43680a71092981710a7d710b28550178680268034b008555016287" +
            "52710c284b014b02856806895510000000000000f83f00000000000004407462550b5f64697274795f76617273710d635f5f" +
            "6275696c74696e5f5f0a7365740a710e5d710f550178618552711055045f69747271114e55105f646570656e64735f6f6e5f" +
            "6465707371127d711375626373636970792e7370617273652e6373630a6373635f6d61747269780a7114298171157d711628" +
            "5506666f726d617471175503637363711855065f736861706571194b024b0286711a5506696e64707472711b680268034b00" +
            "855501628752711c284b014b03856805550269344b004b018752711d284b0355013c4e4e4e4affffffff4affffffff4b0074" +
            "6289550c00000000010000000200000074625507696e6469636573711e680268034b00855501628752711f284b014b028568" +
            "1d8955080100000000000000746255086d61787072696e7471204b325504646174617121680268034b008555016287527122" +
            "284b014b02856806895510000000000000d03f00000000000010407462756255036c627371235806000000756e6963c3a971" +
            "244d2c014afbffffff49313039393531313632373737360a8a09000000000000000040473ff8000000000000884e7d712555" +
            "01614b0173652e";

    /**
     * Python 3.12 {@code pickle.dumps(root, protocol=2)} with numpy 2.4 and scipy 1.17 (the last line this script
     * prints; chumpy's Ch is a stand-in class):
     * <pre>
     * import sys, types, pickle, numpy as np, scipy.sparse as sp
     * m = types.ModuleType('chumpy'); sys.modules['chumpy'] = m; ch = types.ModuleType('chumpy.ch'); sys.modules['chumpy.ch'] = ch
     * class Ch(object): pass
     * Ch.__module__ = 'chumpy.ch'; ch.Ch = Ch
     * v = np.array([[0.5, -1.25, 3.0], [1e-300, -0.0, 7.0]], dtype='&lt;f8')
     * k = np.array([[4294967295, 0], [0, 1]], dtype=np.uint32)
     * c = Ch(); c.x = np.array([1.5, 2.5]); c._dirty_vars = {'x'}; c._itr = None; c._depends_on_deps = {}
     * mat = sp.csc_matrix((np.array([0.25, 4.0]), np.array([1, 0], dtype=np.int32), np.array([0, 1, 2], dtype=np.int32)), shape=(2, 2))
     * print(list(mat.__dict__.keys()), mat.maxprint, mat.indices.dtype, mat.indptr.dtype)
     * root = [v, k, c, mat, 'lbs', b'xy', b'', 300, -5, 2**40, 2**70, 1.5, True, None, {'a': 1}]
     * print(pickle.dumps(root, protocol=2).hex())
     * </pre>
     */
    public static final String PICKLE_PY3 =
            "80025d710028636e756d70792e5f636f72652e6d756c746961727261790a5f7265636f6e7374727563740a7101636e756d70" +
            "790a6e6461727261790a71024b00857103635f636f646563730a656e636f64650a7104580100000062710558060000006c61" +
            "74696e31710686710752710887710952710a284b014b024b0386710b636e756d70790a64747970650a710c58020000006638" +
            "710d898887710e52710f284b0358010000003c71104e4e4e4affffffff4affffffff4b007471116289680458380000000000" +
            "00000000c3a03f000000000000c3b4c2bf000000000000084059c3b3c3b8c3821f6ec2a50100000000000000c28000000000" +
            "00001c407112680686711352711474711562680168024b008571166808877117527118284b014b024b02867119680c580200" +
            "00007534711a898887711b52711c284b0368104e4e4e4affffffff4affffffff4b0074711d628968045814000000c3bfc3bf" +
            "c3bfc3bf000000000000000001000000711e680686711f52712074712162636368756d70792e63680a43680a712229817123" +
            "7d7124285801000000787125680168024b008571266808877127527128284b014b02857129680f8968045811000000000000" +
            "000000c3b83f0000000000000440712a680686712b52712c74712d62580b0000005f64697274795f76617273712e635f5f62" +
            "75696c74696e5f5f0a7365740a712f5d713068256185713152713258040000005f69747271334e58100000005f646570656e" +
            "64735f6f6e5f6465707371347d713575626373636970792e7370617273652e5f6373630a6373635f6d61747269780a713629" +
            "8171377d71382858060000005f736861706571394b024b0286713a58080000006d61787072696e74713b4b32580700000069" +
            "6e6469636573713c680168024b0085713d680887713e52713f284b014b02857140680c580200000069347141898887714252" +
            "7143284b0368104e4e4e4affffffff4affffffff4b0074714462896804580800000001000000000000007145680686714652" +
            "7147747148625806000000696e647074727149680168024b0085714a680887714b52714c284b014b0385714d684389680458" +
            "0c000000000000000100000002000000714e680686714f527150747151625804000000646174617152680168024b00857153" +
            "6808877154527155284b014b02857156680f8968045811000000000000000000c3903f000000000000104071576806867158" +
            "52715974715a62756258030000006c6273715b680458020000007879715c680686715d52715e635f5f6275696c74696e5f5f" +
            "0a62797465730a715f295271604d2c014afbffffff8a060000000000018a09000000000000000040473ff800000000000088" +
            "4e7d716158010000006171624b0173652e";

    /**
     * The {@code P4}, {@code P0} and {@code P1} lines of this Python 3.12 script (numpy 2.4, scipy 1.17):
     * protocol 4 exercises FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL, SHORT_BINBYTES array data,
     * EMPTY_SET/ADDITEMS and FROZENSET; protocol 0 the text opcodes (INT, LONG, FLOAT, UNICODE, PUT, GET,
     * DICT, LIST, TUPLE) and a numpy array through {@code _codecs.encode}.
     * <pre>
     * import pickle, numpy as np, scipy.sparse as sp
     * v = np.array([[0.5, -1.25, 3.0], [1e-300, -0.0, 7.0]])
     * mat = sp.csc_matrix((np.array([0.25, 4.0]), np.array([1, 0], dtype=np.int32), np.array([0, 1, 2], dtype=np.int32)), shape=(2, 2))
     * d4 = {'v': v, 'J': mat, 's': {'x', 'y'}, 'b': b'xy', 'e': b'', 'fz': frozenset({7}), 'n': None, 't': (1, 2.5, 'u'), 'big': 2**70, 'neg': -2**70, 'f32': np.array([1.5, -2], dtype='&gt;f4')}
     * print('P4', pickle.dumps(d4, protocol=4).hex())
     * d0 = {'i': 1, 'big': 2**70, 'f': 1.5, 's': 'caf\xe9 \u2603 \\u0041', 'l': [1, [2]], 't': (1,), 'n': None, 'T': True, 'F': False, 'neg': -3, 'v': np.array([1, 2], dtype='&lt;i8'), 'nanf': float('inf')}
     * p0 = pickle.dumps(d0, protocol=0)
     * print('P0', p0.hex())
     * print('P1', pickle.dumps(d0, protocol=1).hex())
     * </pre>
     */
    static final String PROTO4_PY3 =
            "8004957e020000000000007d94288c0176948c166e756d70792e5f636f72652e6d756c74696172726179948c0c5f7265636f" +
            "6e7374727563749493948c056e756d7079948c076e6461727261799493944b0085944301629487945294284b014b024b0386" +
            "9468058c0564747970659493948c02663894898887945294284b038c013c944e4e4e4affffffff4affffffff4b0074946289" +
            "4330000000000000e03f000000000000f4bf000000000000084059f3f8c21f6ea50100000000000000800000000000001c40" +
            "947494628c014a948c1173636970792e7370617273652e5f637363948c0a6373635f6d61747269789493942981947d94288c" +
            "065f7368617065944b024b0286948c086d61787072696e74944b328c07696e646963657394680468074b0085946809879452" +
            "94284b014b028594680e8c02693494898887945294284b0368124e4e4e4affffffff4affffffff4b00749462894308010000" +
            "0000000000947494628c06696e6470747294680468074b008594680987945294284b014b038594682689430c000000000100" +
            "000002000000947494628c046461746194680468074b008594680987945294284b014b0285946811894310000000000000d0" +
            "3f00000000000010409474946275628c0173948f94288c0178948c017994908c01629443027879948c0165944300948c0266" +
            "7a94284b0791948c016e944e8c0174944b014740040000000000008c01759487948c03626967948a09000000000000000040" +
            "8c036e6567948a090000000000000000c08c0366333294680468074b008594680987945294284b014b028594680e8c026634" +
            "94898887945294284b038c013e944e4e4e4affffffff4affffffff4b007494628943083fc00000c000000094749462752e";

    /** Protocol 0 of {@code d0}: see {@link #PROTO4_PY3}. */
    static final String PROTO0_PY3 =
            "286470300a56690a70310a49310a73566269670a70320a4c313138303539313632303731373431313330333432344c0a7356" +
            "660a70330a46312e350a7356730a70340a56636166e9205c7532363033205c753030356375303034310a70350a73566c0a70" +
            "360a286c70370a49310a61286c70380a49320a61617356740a70390a2849310a747031300a73566e0a7031310a4e7356540a" +
            "7031320a4930310a7356460a7031330a4930300a73566e65670a7031340a492d330a7356760a7031350a636e756d70792e5f" +
            "636f72652e6d756c746961727261790a5f7265636f6e7374727563740a7031360a28636e756d70790a6e6461727261790a70" +
            "31370a2849300a747031380a635f636f646563730a656e636f64650a7031390a2856620a7032300a566c6174696e310a7032" +
            "310a747032320a527032330a747032340a527032350a2849310a2849320a747032360a636e756d70790a64747970650a7032" +
            "370a285669380a7032380a4930300a4930310a747032390a527033300a2849330a563c0a7033310a4e4e4e492d310a492d31" +
            "0a49300a747033320a624930300a6731390a2856015c75303030305c75303030305c75303030305c75303030305c75303030" +
            "305c75303030305c7530303030025c75303030305c75303030305c75303030305c75303030305c75303030305c7530303030" +
            "5c75303030300a7033330a6732310a747033340a527033350a747033360a6273566e616e660a7033370a46696e660a732e";

    /** Protocol 1 of {@code d0}: see {@link #PROTO4_PY3}. */
    static final String PROTO1_PY3 =
            "7d71002858010000006971014b01580300000062696771024c313138303539313632303731373431313330333432344c0a58" +
            "01000000667103473ff800000000000058010000007371045810000000636166c3a920e29883205c75303034317105580100" +
            "00006c71065d7107284b015d71084b0261655801000000747109284b0174710a58010000006e710b4e580100000054710c49" +
            "30310a580100000046710d4930300a58030000006e6567710e4afdffffff580100000076710f636e756d70792e5f636f7265" +
            "2e6d756c746961727261790a5f7265636f6e7374727563740a711028636e756d70790a6e6461727261790a7111284b007471" +
            "12635f636f646563730a656e636f64650a711328580100000062711458060000006c6174696e317115747116527117747118" +
            "527119284b01284b0274711a636e756d70790a64747970650a711b2858020000006938711c4930300a4930310a74711d5271" +
            "1e284b0358010000003c711f4e4e4e4affffffff4affffffff4b00747120624930300a681328581000000001000000000000" +
            "000200000000000000712168157471225271237471246258040000006e616e667125477ff0000000000000752e";

    /**
     * Python 2.7.18 protocol 0 (STRING with escapes, UNICODE with raw-unicode-escape, LONG): the first line of
     * <pre>
     * import cPickle, binascii
     * print(binascii.hexlify(cPickle.dumps({'s': 'a\x00b\n\'"\\\xff', 'u': u'caf\xe9 \u2603 \\u0041', 'i': 7, 'l': 12345678901234567890L, 'f': -0.1, 'z': 2**40}, 0)))
     * print(repr(cPickle.dumps({'s': 'a\x00b\n\'"\\\xff', 'u': u'caf\xe9 \u2603 \\u0041'}, 0)))
     * </pre>
     */
    static final String PROTO0_PY2 =
            "286470310a532766270a462d302e31303030303030303030303030303030310a73532769270a49370a7353276c270a4c3132" +
            "3334353637383930313233343536373839304c0a73532773270a5327615c783030625c6e5c27225c5c5c786666270a70320a" +
            "73532775270a56636166e9205c7532363033205c753030356375303034310a70330a7353277a270a49313039393531313632" +
            "373737360a732e";
}
