package dev.smplr.dae;

import dev.smplr.smpl.training.Json;
import dev.smplr.core.PointDenoiser;
import dev.smplr.core.internal.Checks;
import dev.smplr.core.internal.Tensors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained denoising autoencoder (SPEC 4): 41 noisy root-relative points in, 41 cleaned points out.
 *
 * <p>On disk a denoiser is a directory holding {@value #NETWORK_FILE} (the DL4J graph, written by
 * {@link ModelSerializer} without updater state) and {@value #MANIFEST_FILE} (format version, preset, full
 * configuration, seed, a training description, metrics, library/Java/OS versions and the SHA-256 of the
 * network file).
 *
 * <p>Thread safety: DL4J's {@code ComputationGraph.output} is not safe to call from several threads at once
 * (it shares workspaces and layer input fields), so every inference call locks the graph. Callers that need
 * parallel throughput should batch with {@link #denoise(List)} or load one denoiser per thread.
 */
public final class JointDenoiser implements PointDenoiser {
    /** The manifest format this class writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The network file inside a denoiser directory. */
    public static final String NETWORK_FILE = "network.zip";
    /** The manifest file inside a denoiser directory. */
    public static final String MANIFEST_FILE = "manifest.json";

    private final DenoiserConfig config;
    private final ComputationGraph graph;
    private final long seed;
    private final String training;
    private final Map<String, Double> metrics;

    JointDenoiser(DenoiserConfig config, ComputationGraph graph, long seed, String training,
                  Map<String, Double> metrics) {
        this.config = Checks.notNull("config", config);
        this.graph = Checks.notNull("graph", graph);
        this.seed = seed;
        this.training = Checks.notNull("training", training);
        this.metrics = Collections.unmodifiableMap(new LinkedHashMap<>(Checks.notNull("metrics", metrics)));
    }

    /**
     * Loads a denoiser saved by {@link #save(Path)}. The manifest's format version is checked first, then the
     * network file's SHA-256 against the manifest.
     *
     * @param dir the denoiser directory
     * @return the denoiser
     * @throws IOException if a file is missing or unreadable, the format version is not {@value #FORMAT_VERSION},
     *                     the checksum differs, or a manifest key is missing or malformed (the message names
     *                     the file, the key and the expected and found values)
     */
    public static JointDenoiser load(Path dir) throws IOException {
        Checks.notNull("dir", dir);
        Path manifestPath = dir.resolve(MANIFEST_FILE);
        Map<String, Object> manifest;
        try {
            Object parsed = Json.parse(Files.readString(manifestPath, StandardCharsets.UTF_8));
            if (!(parsed instanceof Map)) {
                throw new IOException(manifestPath + ": expected a JSON object, found " + parsed);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) parsed;
            manifest = m;
        } catch (IllegalArgumentException e) {
            throw new IOException(manifestPath + ": not JSON at " + e.getMessage(), e);
        }
        Manifest mf = new Manifest(manifestPath, manifest);
        Object version = manifest.get("formatVersion");
        if (!(version instanceof Long v && v == FORMAT_VERSION)) {
            throw new IOException(manifestPath + ": formatVersion expected " + FORMAT_VERSION + ", found "
                    + (version == null ? "none" : Json.write(version).trim()));
        }
        Path networkPath = dir.resolve(NETWORK_FILE);
        String expected = mf.string(manifest, "sha256");
        String found = sha256(networkPath);
        if (!expected.equalsIgnoreCase(found)) {
            throw new IOException(networkPath + ": SHA-256 expected " + expected + " (from " + MANIFEST_FILE
                    + "), found " + found);
        }
        DenoiserConfig config = mf.config();
        ComputationGraph graph = ModelSerializer.restoreComputationGraph(networkPath.toFile(), false);
        checkShape(networkPath, graph, config);
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : mf.object(manifest, "metrics").entrySet()) {
            metrics.put(e.getKey(), mf.number(mf.object(manifest, "metrics"), e.getKey()));
        }
        return new JointDenoiser(config, graph, mf.integer(manifest, "seed"),
                mf.string(manifest, "training"), metrics);
    }

    /**
     * Cleans one sample.
     *
     * @param points41 41 root-relative points, x y z per point, metres (123 values; 82 values, x y per point,
     *                 for a lifting denoiser). Not modified.
     * @return 41 cleaned points, a new array of 123 values
     * @throws IllegalArgumentException if the length is wrong or a value is not finite
     */
    @Override
    public float[] denoise(float[] points41) {
        int n = config.inputSize();
        Checks.length("points41", points41, n, "41×" + n / DenoiserConfig.POINTS + " points");
        Checks.finite("points41", points41, n / DenoiserConfig.POINTS);
        return Tensors.toFloats(output(Tensors.of(points41, 1, n)));
    }

    /**
     * Cleans a batch in one forward pass.
     *
     * @param batch samples as for {@link #denoise(float[])}. Not modified.
     * @return one new 123-value array per sample, in order
     * @throws IllegalArgumentException if the list is empty, or a sample is null, of the wrong length or not
     *                                  finite (naming its index)
     */
    public List<float[]> denoise(List<float[]> batch) {
        return Tensors.unstack(output(Tensors.batch("batch", batch, config.inputSize())));
    }

    private INDArray output(INDArray input) {
        synchronized (graph) {
            return graph.output(false, input)[0];
        }
    }

    /**
     * Writes {@value #NETWORK_FILE} and {@value #MANIFEST_FILE} into {@code dir} (created if needed). Each file
     * is written to a temporary file in the same directory and then renamed over the old one, the manifest
     * last; a reader that catches the pair half-replaced fails the checksum rather than loading a mismatch.
     *
     * @param dir the denoiser directory
     * @throws IOException if writing fails
     */
    public void save(Path dir) throws IOException {
        Checks.notNull("dir", dir);
        Files.createDirectories(dir);
        Path networkTmp = Files.createTempFile(dir, NETWORK_FILE, ".tmp");
        Path manifestTmp = null;
        try {
            synchronized (graph) {
                ModelSerializer.writeModel(graph, networkTmp.toFile(), false);
            }
            String checksum = sha256(networkTmp);
            manifestTmp = Files.createTempFile(dir, MANIFEST_FILE, ".tmp");
            Files.writeString(manifestTmp, Json.write(manifest(checksum)), StandardCharsets.UTF_8);
            move(networkTmp, dir.resolve(NETWORK_FILE));
            move(manifestTmp, dir.resolve(MANIFEST_FILE));
        } finally {
            Files.deleteIfExists(networkTmp);
            if (manifestTmp != null) {
                Files.deleteIfExists(manifestTmp);
            }
        }
    }

    /** The wrapped graph, for tests in this package. */
    ComputationGraph graphForTest() {
        return graph;
    }

    /**
     * @return the configuration the network was built with
     */
    public DenoiserConfig config() {
        return config;
    }

    /**
     * @return the training seed recorded in the manifest
     */
    public long seed() {
        return seed;
    }

    /**
     * @return a free-text description of how the network was trained
     */
    public String training() {
        return training;
    }

    /**
     * @return the recorded metrics by name (for example validation L1 in metres), unmodifiable
     */
    public Map<String, Double> metrics() {
        return metrics;
    }

    private Map<String, Object> manifest(String checksum) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("width1", config.width1());
        c.put("width2", config.width2());
        c.put("bottleneck", config.bottleneck());
        c.put("inputKeep", config.inputKeep());
        c.put("bottleneckKeep", config.bottleneckKeep());
        c.put("bnDecay", config.bnDecay());
        c.put("bnEps", config.bnEps());
        c.put("lifting", config.lifting());
        c.put("seed", config.seed());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("formatVersion", FORMAT_VERSION);
        m.put("preset", config.presetName());
        m.put("config", c);
        m.put("seed", seed);
        m.put("training", training);
        m.put("metrics", new LinkedHashMap<String, Object>(metrics));
        m.put("smplrVersion", version(JointDenoiser.class));
        m.put("dl4jVersion", version(ComputationGraph.class));
        m.put("java", System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("arch", System.getProperty("os.arch"));
        m.put("network", NETWORK_FILE);
        m.put("sha256", checksum);
        return m;
    }

    private static String version(Class<?> type) {
        String v = type.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void checkShape(Path file, ComputationGraph graph, DenoiserConfig config) throws IOException {
        long[] first = shapeOf(file, graph, "enc1_fc");
        long[] last = shapeOf(file, graph, DenoiserNetwork.OUT);
        if (first[0] != config.inputSize() || first[1] != config.width1() || last[0] != config.width1()
                || last[1] != config.outputSize()) {
            throw new IOException(file + ": expected enc1_fc W " + config.inputSize() + "×" + config.width1()
                    + " and out W " + config.width1() + "×" + config.outputSize() + " (from " + MANIFEST_FILE
                    + "), found " + first[0] + "×" + first[1] + " and " + last[0] + "×" + last[1]);
        }
    }

    private static long[] shapeOf(Path file, ComputationGraph graph, String layer) throws IOException {
        if (graph.getLayer(layer) == null) {
            throw new IOException(file + ": expected a layer named " + layer + ", found none");
        }
        return graph.getLayer(layer).getParam("W").shape();
    }

    /** Typed access to manifest keys with messages naming the file and key. */
    private record Manifest(Path file, Map<String, Object> root) {
        double number(Map<String, Object> m, String key) throws IOException {
            Object v = m.get(key);
            if (!(v instanceof Number d)) {
                throw new IOException(file + ": key " + key + " expected a number, found " + v);
            }
            return d.doubleValue();
        }

        long integer(Map<String, Object> m, String key) throws IOException {
            Object v = m.get(key);
            if (!(v instanceof Long l)) {
                throw new IOException(file + ": key " + key + " expected an integer, found " + v);
            }
            return l;
        }

        String string(Map<String, Object> m, String key) throws IOException {
            Object v = m.get(key);
            if (!(v instanceof String s)) {
                throw new IOException(file + ": key " + key + " expected a string, found " + v);
            }
            return s;
        }

        int width(Map<String, Object> m, String key) throws IOException {
            long v = integer(m, key);
            if (v < 1 || v > Integer.MAX_VALUE) {
                throw new IOException(file + ": key config." + key + " expected a width in [1, 2^31), found " + v);
            }
            return (int) v;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> object(Map<String, Object> m, String key) throws IOException {
            Object v = m.get(key);
            if (!(v instanceof Map)) {
                throw new IOException(file + ": key " + key + " expected an object, found " + v);
            }
            return (Map<String, Object>) v;
        }

        DenoiserConfig config() throws IOException {
            Map<String, Object> c = object(root, "config");
            Object lifting = c.get("lifting");
            if (!(lifting instanceof Boolean)) {
                throw new IOException(file + ": key config.lifting expected true or false, found " + lifting);
            }
            try {
                return new DenoiserConfig(width(c, "width1"), width(c, "width2"), width(c, "bottleneck"),
                        number(c, "inputKeep"), number(c, "bottleneckKeep"), number(c, "bnDecay"),
                        number(c, "bnEps"), (Boolean) lifting, integer(c, "seed"));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": key config." + e.getMessage(), e);
            }
        }
    }
}
