package dev.smplr.io;

import dev.smplr.io.internal.AtomicFiles;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * numpy {@code .npz} files: a zip archive of {@code .npy} entries, stored or deflated, as {@code np.savez}
 * and {@code np.savez_compressed} write them. The key of an entry is its name without {@code .npy}
 * ({@code posedirs.npy} is {@code posedirs}); entries whose name does not end in {@code .npy}, and
 * directories, are skipped.
 *
 * <p>Reading goes through {@link ZipFile}, so a selective read decompresses only the entries asked for. Each
 * entry is checked as it streams: its bytes are counted against the size the archive declares (a lying size
 * cannot force an allocation larger than twice the bytes really present) and its CRC-32 is verified. Corrupt
 * archives and entries (bad deflate data, CRC mismatch, truncation) are {@link FileFormatException}s naming
 * the file and entry, e.g. {@code model.npz:posedirs.npy}.
 */
public final class Npz {

    /** Entries get a fixed timestamp so that the same arrays always give the same bytes. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Npz() {
    }

    /**
     * Reads every array of an {@code .npz} file.
     *
     * @param file the file
     * @return key to array, in the order of the archive
     * @throws FileFormatException if the file is not a zip archive, an entry is corrupt or not a valid
     *                             {@code .npy}, holds an object array, or two entries have the same key
     * @throws IOException         if the file cannot be read
     */
    public static Map<String, NdArray> read(Path file) throws IOException {
        return read(file, null);
    }

    /**
     * Reads some arrays of an {@code .npz} file; the other entries are not decompressed.
     *
     * @param file the file
     * @param keys the keys to read, or {@code null} for all. Not modified.
     * @return key to array for the requested keys, in the order of the archive
     * @throws FileFormatException if a requested key is missing (the message lists those present), the file is
     *                             not a zip archive, a requested entry is corrupt or not a valid {@code .npy},
     *                             or holds an object array
     * @throws IOException         if the file cannot be read
     */
    public static Map<String, NdArray> read(Path file, Set<String> keys) throws IOException {
        Map<String, Object> any = readAny(file, keys, null);
        Map<String, NdArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : any.entrySet()) {
            out.put(e.getKey(), (NdArray) e.getValue());
        }
        return out;
    }

    /**
     * Reads some arrays of an {@code .npz} file, decoding object arrays (pickles) with {@code objects}.
     *
     * @param file    the file
     * @param keys    the keys to read, or {@code null} for all. Not modified.
     * @param objects decodes object arrays, or {@code null} to refuse them
     * @return key to value, in the order of the archive: an {@link NdArray}, or for an object array what
     *         {@code objects} returned
     * @throws FileFormatException if a requested key is missing, the file is not a zip archive, a requested
     *                             entry is corrupt or not a valid {@code .npy}, or holds an object array and
     *                             {@code objects} is {@code null}
     * @throws IOException         if the file cannot be read, or {@code objects} fails
     */
    public static Map<String, Object> readAny(Path file, Set<String> keys, ObjectArrayReader objects)
            throws IOException {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        Map<String, Object> out = new LinkedHashMap<>();
        Set<String> present = new LinkedHashSet<>();
        try (ZipFile zip = open(file)) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (true) {
                ZipEntry e;
                try {
                    if (!entries.hasMoreElements()) {
                        break;
                    }
                    e = entries.nextElement();
                } catch (RuntimeException ex) {
                    throw new FileFormatException(name + ": corrupt zip directory: " + reason(ex), ex);
                }
                String entry = e.getName();
                if (e.isDirectory() || !entry.endsWith(".npy")) {
                    continue;
                }
                String key = entry.substring(0, entry.length() - ".npy".length());
                if (!present.add(key)) {
                    throw new FileFormatException(name + ": two entries named '" + entry + "'");
                }
                if (keys == null || keys.contains(key)) {
                    out.put(key, readEntry(zip, e, name + ":" + entry, objects));
                }
            }
        }
        if (keys != null) {
            for (String k : keys) {
                if (!out.containsKey(k)) {
                    throw new FileFormatException(name + ": no entry '" + k + ".npy' (key '" + k
                            + "'); the file holds " + present);
                }
            }
        }
        return out;
    }

    private static ZipFile open(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException | EOFException e) {
            // EOFException: the end-of-central-directory record points past the end of the file.
            throw new FileFormatException(file + ": not a valid zip archive: " + reason(e), e);
        } catch (RuntimeException e) {
            throw new FileFormatException(file + ": corrupt zip archive: " + reason(e), e);
        }
    }

    private static Object readEntry(ZipFile zip, ZipEntry e, String source, ObjectArrayReader objects)
            throws IOException {
        long size = e.getSize();
        long crc = e.getCrc();
        // Largest valid .npy: 12-byte preamble, the header cap, the data cap.
        if (size > 12L + NpyHeader.HEADER_CAP + BoundedReads.MAX_ARRAY) {
            throw new FileFormatException(source + ": declared size " + BoundedReads.count(size)
                    + " bytes exceeds what this reader supports");
        }
        try (InputStream raw = zip.getInputStream(e)) {
            CheckedInputStream checked = new CheckedInputStream(raw, new CRC32());
            EntryStream in = new EntryStream(checked, size, source);
            Object value = Npy.read(in, source, size, false, objects);
            in.drain();
            if (size >= 0 && in.count != size) {
                throw new FileFormatException(source + ": entry ended after " + BoundedReads.count(in.count)
                        + " bytes, expected its declared " + BoundedReads.count(size));
            }
            long actual = checked.getChecksum().getValue();
            if (crc >= 0 && actual != crc) {
                throw new FileFormatException(source + ": CRC-32 mismatch: expected "
                        + String.format("%08x", crc) + " (declared), computed " + String.format("%08x", actual));
            }
            return value;
        } catch (FileFormatException ex) {
            throw ex;
        } catch (ZipException | EOFException ex) {
            throw new FileFormatException(source + ": corrupt entry: " + reason(ex), ex);
        } catch (RuntimeException ex) {
            throw new FileFormatException(source + ": corrupt entry: " + reason(ex), ex);
        } catch (IOException ex) {
            throw new IOException(source + ": " + reason(ex), ex);
        }
    }

    /** @return the exception's message, or its type when it has none (EOFException from the JDK's zip code) */
    private static String reason(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    /**
     * Counts the bytes of an entry and refuses more than its declared size; turns runtime failures of the
     * JDK's zip streams on hostile data into {@link FileFormatException}s.
     */
    private static final class EntryStream extends FilterInputStream {
        private final long declared;
        private final String source;
        long count;

        EntryStream(InputStream in, long declared, String source) {
            super(in);
            this.declared = declared;
            this.source = source;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int r = read(one, 0, 1);
            return r < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r;
            try {
                r = in.read(b, off, len);
            } catch (RuntimeException ex) {
                throw new FileFormatException(source + ": corrupt entry at byte " + count + ": " + reason(ex), ex);
            }
            if (r > 0) {
                count += r;
                if (declared >= 0 && count > declared) {
                    throw new FileFormatException(source + ": entry holds more than its declared "
                            + BoundedReads.count(declared) + " bytes");
                }
            }
            return r;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] scratch = new byte[(int) Math.min(n, 8192)];
            int r = read(scratch, 0, scratch.length);
            return Math.max(r, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        /** Reads to the end, so the count and CRC cover the whole entry; bounded by the declared size check. */
        void drain() throws IOException {
            byte[] scratch = new byte[8192];
            while (read(scratch, 0, scratch.length) >= 0) {
                // discard: trailing bytes after the data are allowed, as numpy ignores them
            }
        }
    }

    /**
     * Writes an {@code .npz} file atomically: to a temporary file in the same directory, then renamed over
     * {@code file}. Each array becomes the entry {@code key + ".npy"}, as {@code np.savez} names them.
     *
     * @param arrays   key to array, written in iteration order. Not modified.
     * @param file     the file to create or replace
     * @param compress {@code true} to deflate the entries ({@code np.savez_compressed}), {@code false} to store
     *                 them ({@code np.savez})
     * @throws IllegalArgumentException if a key is empty or a value is missing, naming the key; or if a uint32
     *                                  element is outside {@code [0, 2^32)}
     * @throws IOException              if the file cannot be written
     */
    public static void write(Map<String, NdArray> arrays, Path file, boolean compress) throws IOException {
        Objects.requireNonNull(arrays, "arrays");
        Objects.requireNonNull(file, "file");
        for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty()) {
                throw new IllegalArgumentException("arrays: expected non-empty keys, found "
                        + (e.getKey() == null ? "null" : "''"));
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("arrays: key '" + e.getKey() + "' has no array (null)");
            }
        }
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                entry.setTimeLocal(ENTRY_TIME);
                if (compress) {
                    entry.setMethod(ZipEntry.DEFLATED);
                } else {
                    // Stored entries need size and CRC up front: encode once to measure, once to write.
                    CRC32 crc = new CRC32();
                    CountingStream counter = new CountingStream(new CheckedOutputStream(OutputStream.nullOutputStream(), crc));
                    Npy.write(e.getValue(), counter);
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(counter.count);
                    entry.setCompressedSize(counter.count);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                Npy.write(e.getValue(), zip);
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        long count;

        CountingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
