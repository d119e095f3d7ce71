package dev.smplr.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads a byte count taken from an untrusted header without letting a lie force a large allocation: the
 * buffer starts small and doubles only as bytes actually arrive, so memory stays within twice what the input
 * really holds. Shared by the format readers of this package.
 */
final class BoundedReads {

    /** The largest Java array we allocate (a few bytes below {@code Integer.MAX_VALUE}, as the JDK does). */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** First buffer size when the byte count is not known to be present. */
    private static final int FIRST_CHUNK = 1 << 20;

    private BoundedReads() {
    }

    /**
     * Reads exactly {@code n} bytes.
     *
     * @param in      the stream. Modified (advanced by {@code n} bytes).
     * @param n       the byte count claimed by the input, at most {@link #MAX_ARRAY}
     * @param trusted whether {@code n} bytes are known to be present (a file whose size was checked): then the
     *                buffer is allocated at once, otherwise it grows as the bytes arrive
     * @param source  the file or entry, for messages
     * @param offset  the offset of the first byte, for messages
     * @param what    what the bytes are, for messages, e.g. {@code "data of float64 (2, 3)"}
     * @return the bytes
     * @throws FileFormatException if the stream ends early
     * @throws IOException         if the stream fails
     */
    static byte[] readExactly(InputStream in, long n, boolean trusted, String source, long offset, String what)
            throws IOException {
        if (n < 0 || n > MAX_ARRAY) {
            throw new FileFormatException(source + ": offset " + offset + ": " + what + " needs " + count(n)
                    + " bytes, more than this reader supports (" + count(MAX_ARRAY) + ")");
        }
        int total = (int) n;
        byte[] buf = new byte[trusted ? total : Math.min(total, FIRST_CHUNK)];
        int filled = 0;
        while (filled < total) {
            if (filled == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(total, 2L * buf.length));
            }
            int r = in.read(buf, filled, buf.length - filled);
            if (r < 0) {
                throw new FileFormatException(source + ": offset " + offset + ": truncated " + what
                        + ": expected " + count(n) + " bytes, found " + count(filled));
            }
            filled += r;
        }
        return buf;
    }

    /**
     * Reads to the end of the stream.
     *
     * @param in     the stream. Modified (read to its end).
     * @param cap    the most bytes accepted
     * @param source the file or entry, for messages
     * @param offset the offset of the first byte, for messages
     * @param what   what the bytes are, for messages
     * @return the bytes
     * @throws FileFormatException if more than {@code cap} bytes follow
     * @throws IOException         if the stream fails
     */
    static byte[] readToEnd(InputStream in, int cap, String source, long offset, String what) throws IOException {
        byte[] buf = new byte[Math.min(cap, 8192)];
        int filled = 0;
        while (true) {
            if (filled == buf.length) {
                if (buf.length == cap) {
                    if (in.read() < 0) {
                        return buf;
                    }
                    throw new FileFormatException(source + ": offset " + offset + ": " + what
                            + " is longer than " + count(cap) + " bytes, the most this reader accepts");
                }
                buf = Arrays.copyOf(buf, (int) Math.min(cap, 2L * buf.length));
            }
            int r = in.read(buf, filled, buf.length - filled);
            if (r < 0) {
                return filled == buf.length ? buf : Arrays.copyOf(buf, filled);
            }
            filled += r;
        }
    }

    /** @return {@code n} with thousands separators, e.g. {@code 34,222,320} */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
