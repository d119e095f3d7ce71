package dev.smplr.smpl.training;

import dev.smplr.io.internal.AtomicFiles;
import dev.smplr.smpl.SmplModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A weights directory (API.md): the network files plus {@code manifest.json}, which records
 * <pre>
 * formatVersion  this class's {@link #FORMAT_VERSION}
 * kind           what the files are ("dae", "regressor", "hourglass")
 * ...            the caller's fields: preset, config, body, training {command, seed, steps, wallSeconds, data},
 *                metrics
 * files          { name: SHA-256 } of every network file
 * environment    library, DL4J, Java and OS versions
 * </pre>
 * Writing is atomic per file and the manifest comes last, so a reader never sees a manifest whose files are
 * not all complete (an interrupted save leaves the old manifest, whose checksums then name the file that
 * changed). Reading checks the format version, the kind and every checksum, and names the file and key that
 * are wrong. A directory may also be read from classpath resources ({@link #readResources}), which is how the
 * demo weights ship.
 *
 * <p>Support for the trainers of smplr-smpl, smplr-dae and smplr-hourglass; not part of the stable API.
 */
public final class WeightsDirectory {
    /** The manifest's file name. */
    public static final String MANIFEST = "manifest.json";
    /** The manifest format written and read. */
    public static final int FORMAT_VERSION = 1;

    /** Writes one file's bytes; must not close the stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * What was read: the manifest and each listed file's bytes (checksums verified).
     *
     * @param manifest the parsed manifest
     * @param files    file name to bytes, unmodifiable; the arrays must not be modified
     */
    public record Contents(Manifest manifest, Map<String, byte[]> files) {
        /** @return a stream over a listed file's bytes; an IOException naming the file if it is not listed */
        public InputStream open(String name) throws IOException {
            byte[] bytes = files.get(name);
            if (bytes == null) {
                throw new IOException(manifest.source() + ": expected a file named " + name + " in key files, found "
                        + files.keySet());
            }
            return new ByteArrayInputStream(bytes);
        }
    }

    private WeightsDirectory() {
    }

    /**
     * Writes the files, then the manifest, each atomically; creates the directory if needed.
     *
     * @param dir    the directory
     * @param kind   what the weights are, e.g. "regressor"
     * @param fields the manifest fields between kind and files, in order (Json value types)
     * @param files  file name (no directory parts) to its content writer, in order
     * @throws IOException if writing fails; files already replaced stay replaced, the manifest is then the old one
     */
    public static void write(Path dir, String kind, Map<String, Object> fields, Map<String, Content> files)
            throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> checksums = new LinkedHashMap<>();
        for (Map.Entry<String, Content> f : files.entrySet()) {
            String name = f.getKey();
            if (name.contains("/") || name.contains("\\") || name.equals(MANIFEST) || name.startsWith(".")) {
                throw new IllegalArgumentException("files: expected plain file names other than " + MANIFEST
                        + ", found " + name);
            }
            MessageDigest digest = sha256();
            AtomicFiles.write(dir.resolve(name), out -> f.getValue().writeTo(new DigestingStream(out, digest)));
            checksums.put(name, HexFormat.of().formatHex(digest.digest()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("formatVersion", FORMAT_VERSION);
        m.put("kind", kind);
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (e.getKey().equals("formatVersion") || e.getKey().equals("kind") || e.getKey().equals("files")) {
                throw new IllegalArgumentException("fields: key " + e.getKey() + " is written by WeightsDirectory");
            }
            m.put(e.getKey(), e.getValue());
        }
        m.put("files", checksums);
        m.put("environment", environment());
        byte[] json = Json.write(m).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve(MANIFEST), out -> out.write(json));
    }

    /**
     * Reads and verifies a weights directory.
     *
     * @param dir  the directory
     * @param kind the expected kind
     * @throws IOException naming the file and key if the manifest is missing, not JSON, of another format version
     *                     or kind, or a listed file is missing or has another checksum
     */
    public static Contents read(Path dir, String kind) throws IOException {
        Path manifestPath = dir.resolve(MANIFEST);
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "expected a weights directory with " + MANIFEST);
        }
        if (!Files.isRegularFile(manifestPath)) {
            throw new NoSuchFileException(manifestPath.toString(), null,
                    "expected the manifest of a " + kind + " weights directory");
        }
        return read(manifestPath.toString(), Files.readAllBytes(manifestPath), kind, name -> {
            Path p = dir.resolve(name);
            return Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
        });
    }

    /**
     * Reads and verifies a weights directory shipped as classpath resources.
     *
     * @param anchor a class whose class loader sees the resources
     * @param dir    the absolute resource directory, e.g. {@code "/dev/smplr/dae/demo"}
     * @param kind   the expected kind
     * @throws IOException as {@link #read(Path, String)}
     */
    public static Contents readResources(Class<?> anchor, String dir, String kind) throws IOException {
        String base = dir.endsWith("/") ? dir : dir + "/";
        byte[] manifest = resource(anchor, base + MANIFEST);
        if (manifest == null) {
            throw new NoSuchFileException("classpath:" + base + MANIFEST, null,
                    "expected the shipped " + kind + " weights (is the module's jar complete?)");
        }
        return read("classpath:" + base + MANIFEST, manifest, kind, name -> resource(anchor, base + name));
    }

    /**
     * The manifest's description of a body model, for the {@code body} field.
     *
     * @return {source, gender, vertices, shapes, fingerprint}
     */
    public static Map<String, Object> describe(SmplModel body) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", body.source());
        m.put("gender", body.gender().name());
        m.put("vertices", body.vertexCount());
        m.put("shapes", body.shapeCount());
        m.put("fingerprint", body.fingerprint());
        return m;
    }

    /**
     * Checks that weights were trained for this body (the manifest's {@code body.fingerprint}).
     *
     * @throws IOException naming both bodies if they differ
     */
    public static void checkBody(Manifest manifest, SmplModel body) throws IOException {
        Manifest b = manifest.object("body");
        String expected = b.string("fingerprint");
        if (!expected.equals(body.fingerprint())) {
            throw new IOException(manifest.source() + ": these weights were trained for the body "
                    + b.get("source") + " (fingerprint " + expected + "), not for " + body.source() + " (fingerprint "
                    + body.fingerprint() + "); train them for this body or load the matching weights");
        }
    }

    /** @return the SHA-256 of bytes, lowercase hex */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private interface Source {
        byte[] bytes(String name) throws IOException;
    }

    private static Contents read(String source, byte[] manifestBytes, String kind, Source files) throws IOException {
        Object parsed;
        try {
            parsed = Json.parse(new String(manifestBytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": not JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map)) {
            throw new IOException(source + ": expected a JSON object, found " + Json.write(parsed).trim());
        }
        @SuppressWarnings("unchecked")
        Manifest m = Manifest.root(source, (Map<String, Object>) parsed);
        long version = m.integer("formatVersion");
        if (version != FORMAT_VERSION) {
            throw new IOException(source + ": key formatVersion expected " + FORMAT_VERSION + ", found " + version
                    + " (written by another version of smplr-java)");
        }
        String foundKind = m.string("kind");
        if (!foundKind.equals(kind)) {
            throw new IOException(source + ": key kind expected \"" + kind + "\", found \"" + foundKind
                    + "\" (these are " + foundKind + " weights)");
        }
        Manifest listed = m.object("files");
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        for (String name : listed.values().keySet()) {
            String expected = listed.string(name);
            byte[] b = files.bytes(name);
            if (b == null) {
                throw new NoSuchFileException(source.replace(MANIFEST, name), null,
                        "listed in " + MANIFEST + " but missing");
            }
            String found = sha256(b);
            if (!found.equals(expected)) {
                throw new IOException(source.replace(MANIFEST, name) + ": SHA-256 expected " + expected + " (from "
                        + MANIFEST + "), found " + found + ": the file was changed or is incomplete");
            }
            bytes.put(name, b);
        }
        return new Contents(m, Collections.unmodifiableMap(bytes));
    }

    private static byte[] resource(Class<?> anchor, String name) throws IOException {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    private static Map<String, Object> environment() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("smplr", version(WeightsDirectory.class));
        m.put("dl4j", version(org.deeplearning4j.nn.graph.ComputationGraph.class));
        m.put("java", System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return m;
    }

    private static String version(Class<?> type) {
        String v = type.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Passes bytes through to the target and into a digest. */
    private static final class DigestingStream extends OutputStream {
        private final OutputStream out;
        private final MessageDigest digest;

        DigestingStream(OutputStream out, MessageDigest digest) {
            this.out = out;
            this.digest = digest;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() {
            // The caller owns the stream: ModelSerializer closes what it is given, AtomicFiles must still force it.
        }
    }
}
