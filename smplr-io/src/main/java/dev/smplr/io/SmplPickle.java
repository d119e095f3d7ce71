package dev.smplr.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the official SMPL {@code .pkl} model files (Python 2 cPickle, protocol 2) and their Python 3
 * conversions, with no Python and no code execution.
 *
 * <p>The reader is a restricted unpickler for protocols 0 to 4. A pickle may name only these globals; any other
 * (for example {@code os.system}, {@code subprocess.Popen}, {@code builtins.eval}) is refused with a
 * {@link PickleException} that names it, before anything else is done with it, and nothing is ever
 * instantiated by reflection:
 * <ul>
 *   <li>{@code numpy.core.multiarray._reconstruct}, {@code numpy.ndarray}, {@code numpy.dtype} and
 *       {@code numpy.core.multiarray.scalar} (also spelled {@code numpy._core.multiarray});</li>
 *   <li>{@code scipy.sparse.csc.csc_matrix} (also {@code scipy.sparse._csc.csc_matrix});</li>
 *   <li>{@code chumpy.ch.Ch};</li>
 *   <li>{@code __builtin__.set} / {@code builtins.set}, {@code _codecs.encode} with the latin-1 encoding and
 *       {@code bytes()} (how Python 3 writes byte strings at protocol 2).</li>
 * </ul>
 *
 * <p>Python values become these Java values:
 * <table>
 *   <caption>Type mapping</caption>
 *   <tr><th>Python</th><th>Java</th></tr>
 *   <tr><td>dict</td><td>{@code LinkedHashMap<Object, Object>}, in pickle order</td></tr>
 *   <tr><td>list</td><td>{@code ArrayList<Object>}</td></tr>
 *   <tr><td>tuple</td><td>an unmodifiable, random-access {@code List<Object>}</td></tr>
 *   <tr><td>set, frozenset</td><td>{@code LinkedHashSet<Object>}; an unmodifiable {@code Set} for frozenset</td></tr>
 *   <tr><td>Python 2 {@code str}</td><td>{@code String}, one char per byte (latin-1), as Python 3 reads these
 *       files with {@code encoding='latin1'}</td></tr>
 *   <tr><td>unicode (Python 3 {@code str})</td><td>{@code String}</td></tr>
 *   <tr><td>Python 3 {@code bytes}</td><td>{@code byte[]}</td></tr>
 *   <tr><td>int, long</td><td>{@code Long}, or {@code BigInteger} outside the long range</td></tr>
 *   <tr><td>float</td><td>{@code Double}</td></tr>
 *   <tr><td>bool</td><td>{@code Boolean}</td></tr>
 *   <tr><td>None</td><td>{@code null}</td></tr>
 *   <tr><td>numpy.ndarray</td><td>{@link NdArray}, in C order with native values (Fortran order and big-endian
 *       data are converted); dtypes f4 f8 i1 i4 i8 u1 u4 u8 b1</td></tr>
 *   <tr><td>numpy scalar</td><td>{@code Double}, {@code Long} ({@code BigInteger} for large uint64) or
 *       {@code Boolean}</td></tr>
 *   <tr><td>numpy.dtype</td><td>{@link NdArray.DType}</td></tr>
 *   <tr><td>chumpy.ch.Ch</td><td>its value {@code x} as an {@link NdArray}</td></tr>
 *   <tr><td>scipy.sparse.csc_matrix</td><td>{@link CscMatrix}</td></tr>
 * </table>
 * Dict keys and set elements that are byte strings become {@code String}s (latin-1), whether they were Python 2
 * {@code str} or Python 3 {@code bytes}; other keys may be numbers, {@code null} or tuples of these.
 *
 * <p>Limits, so that a hostile file fails promptly instead of exhausting memory: input at most
 * {@value #MAX_BYTES} bytes (2 GiB; official SMPL files are 40 to 250 MB) read into memory whole; every length
 * in the file is checked against the bytes present before anything is allocated; at most 1000 nested MARKs
 * and containers (deeper than Python's own pickler can write), 2<sup>20</sup> stack values and memo entries;
 * decoded arrays at most four times the input size; no cyclic containers; no bytes after the STOP opcode.
 *
 * <p>Thread-safe: every call works on its own state.
 */
public final class SmplPickle {

    /** The largest input accepted, in bytes: about the largest Java array. */
    public static final int MAX_BYTES = Integer.MAX_VALUE - 8;

    private SmplPickle() {
    }

    /**
     * Reads a pickle file whose value is a dict with string keys, such as an SMPL model.
     *
     * <pre>{@code
     * Map<String, Object> model = SmplPickle.read(Path.of("basicModel_neutral_lbs_10_207_0_v1.0.0.pkl"));
     * NdArray vTemplate = (NdArray) model.get("v_template");      // float64 (6890, 3)
     * CscMatrix jRegressor = (CscMatrix) model.get("J_regressor"); // (24, 6890)
     * NdArray shapeDirs = (NdArray) model.get("shapedirs");       // chumpy Ch: its x, float64 (6890, 3, 10)
     * }</pre>
     *
     * @param file the file
     * @return the dict, in file order, with values mapped as the class description lists; a new map owned by
     *         the caller
     * @throws PickleException if the file is larger than {@link #MAX_BYTES}, is not a valid pickle, names a
     *                         global outside the allow-list, exceeds a limit, or its value is not a dict with
     *                         string keys; the message names the file and the byte offset
     * @throws IOException     if the file cannot be read
     */
    public static Map<String, Object> read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        String source = file.toString();
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new PickleException(source + ": " + size + " bytes is more than the " + MAX_BYTES
                    + " bytes this reader accepts");
        }
        return dict(Unpickler.load(Files.readAllBytes(file), source), source);
    }

    /**
     * Reads one pickle from a stream, to its end.
     *
     * @param in     the stream; read to its end, not closed
     * @param source a name for the data in messages, such as the file or zip entry name
     * @return the value, mapped as the class description lists (a dict's keys need not be strings here)
     * @throws PickleException if the data is longer than {@link #MAX_BYTES}, is not a valid pickle, names a
     *                         global outside the allow-list, or exceeds a limit; the message names the source and
     *                         the byte offset
     * @throws IOException     if the stream cannot be read
     */
    public static Object load(InputStream in, String source) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        byte[] bytes = in.readNBytes(MAX_BYTES);
        if (bytes.length == MAX_BYTES && in.read() >= 0) {
            throw new PickleException(source + ": more than the " + MAX_BYTES + " bytes this reader accepts");
        }
        return Unpickler.load(bytes, source);
    }

    /**
     * Reads a pickle held in memory, for readers that already have the bytes (e.g. a {@code .npy} object array).
     *
     * @param bytes  the pickle. Not modified.
     * @param source a name for the data in messages
     * @return the value, mapped as the class description lists
     * @throws PickleException as {@link #load(InputStream, String)}
     */
    static Object load(byte[] bytes, String source) throws PickleException {
        return Unpickler.load(bytes, source);
    }

    /**
     * Decodes numpy object arrays in {@code .npy} and {@code .npz} files through this restricted unpickler, for
     * {@link Npz#readAny(Path, java.util.Set, ObjectArrayReader)} and
     * {@link Npy#readAny(Path, ObjectArrayReader)}. Naive conversions of SMPL files store the sparse
     * {@code J_regressor} this way ({@code np.savez(..., J_regressor=csc_matrix)}):
     *
     * <pre>{@code
     * Map<String, Object> model = Npz.readAny(path, null, SmplPickle.objectArrayReader());
     * CscMatrix jRegressor = (CscMatrix) model.get("J_regressor");
     * }</pre>
     *
     * <p>The same globals and limits apply as to {@link #read(Path)}, and values map as the class description
     * lists; the object array itself becomes its one element when it is 0-d (what Python's {@code a[()]}
     * gives), otherwise an {@code ArrayList} of its elements in C order.
     *
     * @return the reader; stateless and thread-safe. Its {@code read} throws a {@link PickleException} naming the
     *         source and the byte offset if the pickle is malformed, names a global outside the allow-list, or
     *         exceeds a limit.
     */
    public static ObjectArrayReader objectArrayReader() {
        return OBJECT_ARRAYS;
    }

    private static final ObjectArrayReader OBJECT_ARRAYS = (bytes, source) -> Unpickler.load(bytes, source, true);

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dict(Object value, String source) throws PickleException {
        if (!(value instanceof Map<?, ?> map)) {
            throw new PickleException(source + ": expected the pickle to hold a dict, found a "
                    + Unpickler.typeName(value));
        }
        for (Object k : map.keySet()) {
            if (!(k instanceof String)) {
                throw new PickleException(source + ": expected a dict with string keys, found a key of type "
                        + Unpickler.typeName(k) + ": " + k);
            }
        }
        return (Map<String, Object>) map;
    }
}
