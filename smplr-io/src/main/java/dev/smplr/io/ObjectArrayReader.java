package dev.smplr.io;

import java.io.IOException;

/**
 * Reads the payload of a numpy object array ({@code descr '|O'}), which {@code np.save} stores as a pickle
 * after the {@code .npy} header.
 *
 * <p>{@link Npy} and {@link Npz} never unpickle anything themselves: an object array is an error unless the
 * caller passes one of these to {@link Npy#readAny(java.io.InputStream, String, ObjectArrayReader)} or
 * {@link Npz#readAny(java.nio.file.Path, java.util.Set, ObjectArrayReader)}. Plug in a restricted unpickler
 * that resolves only the globals it knows (numpy arrays, scipy sparse matrices); never a general one, since a
 * pickle can run arbitrary code.
 *
 * {@link SmplPickle#objectArrayReader()} is such a reader:
 *
 * <pre>{@code
 * Map<String, Object> model = Npz.readAny(path, null, SmplPickle.objectArrayReader());
 * }</pre>
 */
@FunctionalInterface
public interface ObjectArrayReader {

    /**
     * Decodes one object array.
     *
     * @param pickleBytes the bytes after the {@code .npy} header, up to the end of the file or zip entry: a
     *                    pickle (protocol 2 to 5) of the whole object ndarray. Owned by the reader.
     * @param source      the file or zip entry, for error messages, e.g. {@code model.npz:J_regressor.npy}
     * @return the decoded value, returned unchanged by {@code readAny}
     * @throws IOException if the pickle is malformed or holds something the reader refuses; the message
     *                     should name {@code source}
     */
    Object read(byte[] pickleBytes, String source) throws IOException;
}
