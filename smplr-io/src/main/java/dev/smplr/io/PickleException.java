package dev.smplr.io;


/**
 * A pickle file that this library refuses or cannot read: a global outside the allow-list, a truncated or
 * malformed byte stream, or values of the wrong type. The message names the file, the byte offset and the
 * problem, for example {@code SMPL_NEUTRAL.pkl: offset 1234: global 'os.system' is not allowed}.
 */
public class PickleException extends FileFormatException {

    /**
     * @param message the message, naming the file, the offset and the problem
     */
    public PickleException(String message) {
        super(message);
    }

    /**
     * @param message the message, naming the file, the offset and the problem
     * @param cause   the underlying problem
     */
    public PickleException(String message, Throwable cause) {
        super(message, cause);
    }
}
