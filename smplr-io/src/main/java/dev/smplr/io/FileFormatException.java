package dev.smplr.io;

import java.io.IOException;

/**
 * A file, or an entry inside one, is not in the format its reader expects: bad magic, a malformed header,
 * an unsupported type, sizes that do not fit the bytes present, truncated or corrupted data.
 *
 * <p>The message names the source (file name, zip entry or key), the offset or field, and what was expected
 * versus found, e.g. {@code model.npz:posedirs.npy: offset 128: expected 34,222,320 data bytes, found 1,024}.
 */
public class FileFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, where, expected versus found
     */
    public FileFormatException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, where, expected versus found
     * @param cause   the underlying exception, e.g. a {@link java.util.zip.ZipException}
     */
    public FileFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
