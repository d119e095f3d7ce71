package dev.smplr.dae;

import dev.smplr.core.PointDenoiser;
import dev.smplr.core.SmplrPoints;
import dev.smplr.core.internal.Checks;
import dev.smplr.core.internal.Tensors;
import dev.smplr.smpl.training.Manifest;
import dev.smplr.smpl.training.MlpKernel;
import dev.smplr.smpl.training.WeightsDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained denoising autoencoder (SPEC.md 4): 41 noisy root-relative points in, 41 cleaned points out; or, for a
 * lifting network, 41 image-plane points in, 41 root-relative 3D points out.
 *
 * <pre>{@code
 * JointDenoiser dae = JointDenoiser.demo();
 * float[] clean = dae.denoise(noisyPoints41);          // 123 values in, 123 out, metres
 * }</pre>
 *
 * <p><b>Files.</b> A denoiser is a weights directory ({@link WeightsDirectory}, kind {@value #KIND}) holding
 * {@value #NETWORK_FILE} (the DL4J graph, no updater state) and {@code manifest.json} with the preset, the full
 * configuration, the seed, the training description {command, seed, steps, wallSeconds, data}, the metrics and
 * the file's SHA-256. {@link #demo()} reads the shipped demo weights from the classpath
 * ({@code /dev/smplr/dae/demo/}).
 *
 * <p><b>Lifting.</b> A lifting denoiser ({@link DenoiserConfig#lifting()}) takes 2D points normalised as
 * {@link #imagePlane(float[], float, float, float, float)} defines: root-relative pixel offsets divided by the focal
 * length and multiplied by the root's depth, i.e. metres in the plane through the root parallel to the image
 * ({@code x = X·d/(d + Z)} for a camera-frame point (X, Y, Z) relative to a root at depth d). It returns 41
 * root-relative 3D points in the camera frame (X right, Y down, Z away from the camera). Call {@link #lift}; a
 * 3D denoiser is called through {@link #denoise(float[])}.
 *
 * <p><b>Speed and thread safety.</b> Inference runs in plain Java ({@link MlpKernel}) on weights copied from the
 * DL4J graph when the denoiser is made (the same numbers as the graph's forward pass to float rounding): DL4J's
 * per-call cost, about 10 ms, would dominate a single sample, and the kernel's batched matrix products also beat
 * the graph on batches. The copies are immutable, so any number of threads may call at once; a batch of 64 or more
 * is split over the common fork-join pool.
 */
public final class JointDenoiser implements PointDenoiser {
    /** The manifest's kind. */
    public static final String KIND = "dae";
    /** The network file inside a denoiser directory. */
    public static final String NETWORK_FILE = "network.zip";
    /** The classpath directory of the shipped demo weights. */
    public static final String DEMO_RESOURCES = "/dev/smplr/dae/demo";
    /** The classpath directory of the shipped demo lifter ({@link #demoLifter()}). */
    public static final String DEMO_LIFTER_RESOURCES = "/dev/smplr/dae/demo-lifter";

    /**
     * How a network was trained, as the manifest records it.
     *
     * @param command     the command line or API call
     * @param seed        the training seed
     * @param steps       the number of training steps
     * @param wallSeconds the training time, seconds (summed over resumed runs)
     * @param data        a description of the training data and noise
     */
    public record Training(String command, long seed, long steps, double wallSeconds, String data) {
        /** Checks that the strings are present. */
        public Training {
            Checks.notNull("command", command);
            Checks.notNull("data", data);
        }
    }

    private final DenoiserConfig config;
    private final ComputationGraph graph;
    private final long seed;
    private final Training training;
    private final Map<String, Double> metrics;
    /** The inference pass in plain Java (DL4J's per-call cost dominates a sample), compiled from the graph. */
    private final MlpKernel kernel;

    JointDenoiser(DenoiserConfig config, ComputationGraph graph, long seed, Training training,
                  Map<String, Double> metrics) {
        this.config = Checks.notNull("config", config);
        this.graph = Checks.notNull("graph", graph);
        this.seed = seed;
        this.training = Checks.notNull("training", training);
        this.metrics = Collections.unmodifiableMap(new LinkedHashMap<>(Checks.notNull("metrics", metrics)));
        synchronized (graph) {
            this.kernel = new MlpKernel(graph);
        }
    }

    /**
     * Loads a denoiser saved by {@link #save(Path)}: the manifest's format version, kind and checksum are checked
     * before the network is read.
     *
     * @param dir the denoiser directory
     * @return the denoiser
     * @throws IOException if the manifest or the network is missing or unreadable, the format version or kind is
     *                     another, the checksum differs, a manifest key is missing or malformed, or the network's
     *                     shape differs from the manifest's configuration (the message names the file, the key and
     *                     the expected and found values)
     */
    public static JointDenoiser load(Path dir) throws IOException {
        Checks.notNull("dir", dir);
        return read(WeightsDirectory.read(dir, KIND));
    }

    /**
     * The shipped demo denoiser: {@link DenoiserConfig#demo()} trained on the demo bodies with structured noise
     * (its manifest says how). Loaded once and shared.
     *
     * @return the demo denoiser
     * @throws UncheckedIOException if the resources are missing or damaged (an incomplete jar)
     */
    public static JointDenoiser demo() {
        return DemoHolder.DEMO;
    }

    /**
     * The shipped demo lifter: {@link DenoiserConfig#demo()} in lifting mode, trained on the demo bodies to map 41
     * image-plane points ({@link #imagePlane}) to 41 root-relative 3D points (its manifest says how). Loaded once
     * and shared.
     *
     * @return the demo lifter, for {@link #lift(float[])}
     * @throws UncheckedIOException if the resources are missing or damaged (an incomplete jar)
     */
    public static JointDenoiser demoLifter() {
        return LifterHolder.LIFTER;
    }

    /** Lazy, thread-safe holder of the demo weights (class initialisation runs once). */
    private static final class DemoHolder {
        static final JointDenoiser DEMO = loadShipped("denoiser", DEMO_RESOURCES);
    }

    /** Lazy holder of the demo lifter, apart from {@link DemoHolder} so that each loads only when asked for. */
    private static final class LifterHolder {
        static final JointDenoiser LIFTER = loadShipped("lifter", DEMO_LIFTER_RESOURCES);
    }

    private static JointDenoiser loadShipped(String what, String resources) {
        try {
            return read(WeightsDirectory.readResources(JointDenoiser.class, resources, KIND));
        } catch (IOException e) {
            throw new UncheckedIOException("the demo " + what + " (classpath " + resources + ") is unreadable: "
                    + e.getMessage(), e);
        }
    }

    private static JointDenoiser read(WeightsDirectory.Contents contents) throws IOException {
        Manifest m = contents.manifest();
        DenoiserConfig config = config(m);
        ComputationGraph graph;
        try (InputStream in = contents.open(NETWORK_FILE)) {
            graph = ModelSerializer.restoreComputationGraph(in, false);
        } catch (RuntimeException e) {
            throw new IOException(m.source().replace(WeightsDirectory.MANIFEST, NETWORK_FILE)
                    + ": not a DL4J network: " + e.getMessage(), e);
        }
        checkShape(m.source().replace(WeightsDirectory.MANIFEST, NETWORK_FILE), graph, config);
        Manifest t = m.object("training");
        Training training = new Training(t.string("command"), t.integer("seed"), t.integer("steps"),
                t.number("wallSeconds"), t.string("data"));
        return new JointDenoiser(config, graph, m.integer("seed"), training, m.numbers("metrics"));
    }

    /**
     * Cleans one sample.
     *
     * @param points41 41 root-relative points, x y z per point, metres (123 values). Not modified.
     * @return 41 cleaned points, a new array of 123 values
     * @throws IllegalArgumentException if the length is wrong or a value is not finite
     * @throws IllegalStateException if this is a lifting denoiser (call {@link #lift(float[])})
     */
    @Override
    public float[] denoise(float[] points41) {
        requireMode(false);
        return one("points41", points41);
    }

    /**
     * Cleans a batch in one forward pass.
     *
     * @param batch samples as for {@link #denoise(float[])}. Not modified.
     * @return one new 123-value array per sample, in order
     * @throws IllegalArgumentException if the list is empty, or a sample is null, of the wrong length or not
     *                                  finite (naming its index)
     * @throws IllegalStateException if this is a lifting denoiser (call {@link #lift(List)})
     */
    public List<float[]> denoise(List<float[]> batch) {
        requireMode(false);
        return many(batch);
    }

    /**
     * Lifts one sample of 41 image-plane points to 3D.
     *
     * @param points2d41 41 points, x y per point (82 values), root-relative image-plane coordinates in metres at
     *                   the root depth, as {@link #imagePlane(float[], float, float, float, float)} makes them.
     *                   Not modified.
     * @return 41 root-relative camera-frame 3D points, metres, a new array of 123 values
     * @throws IllegalArgumentException if the length is wrong or a value is not finite
     * @throws IllegalStateException if this is a 3D denoiser (call {@link #denoise(float[])})
     */
    public float[] lift(float[] points2d41) {
        requireMode(true);
        return one("points2d41", points2d41);
    }

    /**
     * Lifts a batch in one forward pass.
     *
     * @param batch samples as for {@link #lift(float[])}. Not modified.
     * @return one new 123-value array per sample, in order
     * @throws IllegalArgumentException if the list is empty, or a sample is null, of the wrong length or not
     *                                  finite (naming its index)
     * @throws IllegalStateException if this is a 3D denoiser
     */
    public List<float[]> lift(List<float[]> batch) {
        requireMode(true);
        return many(batch);
    }

    /**
     * The lifting input from pixel coordinates: {@code x_i = (u_i − u_root)·d/f}, {@code y_i = (v_i − v_root)·d/f},
     * with d the root's distance along the optical axis and f the focal length in pixels (of the image the pixels
     * are in, e.g. a crop's). If d is not known, any typical value (3–7 m, the training range) gives points of
     * the right size up to a global scale.
     *
     * @param pixels41  41 points, u v per point, pixels (82 values). Not modified.
     * @param rootU     the root's (pelvis's) u, pixels
     * @param rootV     the root's v, pixels
     * @param focal     the focal length, pixels, positive
     * @param rootDepth the root's depth, metres, positive
     * @return 82 values for {@link #lift(float[])}, a new array
     * @throws IllegalArgumentException if the length is wrong, a value is not finite, or focal or depth is not
     *                                  positive
     */
    public static float[] imagePlane(float[] pixels41, float rootU, float rootV, float focal, float rootDepth) {
        Checks.length("pixels41", pixels41, 2 * SmplrPoints.COUNT, "41×2 pixel coordinates");
        Checks.finite("pixels41", pixels41, 2);
        if (!Float.isFinite(rootU) || !Float.isFinite(rootV)) {
            throw new IllegalArgumentException("rootU, rootV: expected finite pixel coordinates, got " + rootU + ", "
                    + rootV);
        }
        if (!(focal > 0) || !Float.isFinite(focal)) {
            throw new IllegalArgumentException("focal: expected a positive focal length in pixels, got " + focal);
        }
        if (!(rootDepth > 0) || !Float.isFinite(rootDepth)) {
            throw new IllegalArgumentException("rootDepth: expected a positive depth in metres, got " + rootDepth);
        }
        float[] out = new float[2 * SmplrPoints.COUNT];
        float k = rootDepth / focal;
        for (int p = 0; p < SmplrPoints.COUNT; p++) {
            out[2 * p] = (pixels41[2 * p] - rootU) * k;
            out[2 * p + 1] = (pixels41[2 * p + 1] - rootV) * k;
        }
        return out;
    }

    private float[] one(String name, float[] input) {
        int n = config.inputSize();
        Checks.length(name, input, n, "41×" + n / DenoiserConfig.POINTS + " points");
        Checks.finite(name, input, n / DenoiserConfig.POINTS);
        return kernel.output(input, 1);
    }

    private List<float[]> many(List<float[]> batch) {
        int n = config.inputSize();
        float[] flat = Tensors.stack("batch", batch, n); // checks every sample
        int m = config.outputSize();
        float[] y = kernel.output(flat, batch.size());
        List<float[]> out = new java.util.ArrayList<>(batch.size());
        for (int s = 0; s < batch.size(); s++) {
            out.add(java.util.Arrays.copyOfRange(y, s * m, (s + 1) * m));
        }
        return out;
    }

    /** DL4J's own forward pass, the reference of the plain-Java one; for tests. */
    float[] graphOutput(float[] input) {
        return Tensors.toFloats(output(Tensors.of(input, 1, config.inputSize())));
    }

    private void requireMode(boolean lifting) {
        if (config.lifting() != lifting) {
            throw new IllegalStateException(lifting
                    ? "lift: this denoiser takes 3D points (lifting = false); call denoise"
                    : "denoise: this denoiser lifts 2D points (lifting = true); call lift");
        }
    }

    private INDArray output(INDArray input) {
        synchronized (graph) {
            return graph.output(false, input)[0];
        }
    }

    /**
     * Writes {@value #NETWORK_FILE} and {@code manifest.json} into {@code dir} (created if needed) through
     * {@link WeightsDirectory#write}: each file atomically, the manifest last.
     *
     * @param dir the denoiser directory
     * @throws IOException if writing fails
     */
    public void save(Path dir) throws IOException {
        Checks.notNull("dir", dir);
        Map<String, WeightsDirectory.Content> files = new LinkedHashMap<>();
        files.put(NETWORK_FILE, out -> {
            synchronized (graph) {
                ModelSerializer.writeModel(graph, out, false);
            }
        });
        WeightsDirectory.write(dir, KIND, manifestFields(), files);
    }

    /** The wrapped graph, for tests and the trainer in this package. */
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
     * @return how the network was trained
     */
    public Training training() {
        return training;
    }

    /**
     * @return the recorded metrics by name (validation errors in mm, for example {@code output_mm}), unmodifiable
     */
    public Map<String, Double> metrics() {
        return metrics;
    }

    @Override
    public String toString() {
        return "JointDenoiser[" + config.presetName() + (config.lifting() ? ", lifting" : "") + ", " + metrics + "]";
    }

    private Map<String, Object> manifestFields() {
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
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("command", training.command());
        t.put("seed", training.seed());
        t.put("steps", training.steps());
        t.put("wallSeconds", training.wallSeconds());
        t.put("data", training.data());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("preset", config.presetName());
        m.put("config", c);
        m.put("seed", seed);
        m.put("training", t);
        m.put("metrics", new LinkedHashMap<String, Object>(metrics));
        return m;
    }

    private static DenoiserConfig config(Manifest m) throws IOException {
        Manifest c = m.object("config");
        try {
            return new DenoiserConfig(c.integer("width1", 1, Integer.MAX_VALUE),
                    c.integer("width2", 1, Integer.MAX_VALUE), c.integer("bottleneck", 1, Integer.MAX_VALUE),
                    c.number("inputKeep"), c.number("bottleneckKeep"), c.number("bnDecay"), c.number("bnEps"),
                    c.bool("lifting"), c.integer("seed"));
        } catch (IllegalArgumentException e) {
            throw new IOException(m.source() + ": key config." + e.getMessage(), e);
        }
    }

    private static void checkShape(String file, ComputationGraph graph, DenoiserConfig config) throws IOException {
        long[] first = shapeOf(file, graph, "enc1_fc");
        long[] last = shapeOf(file, graph, DenoiserNetwork.OUT);
        if (first[0] != config.inputSize() || first[1] != config.width1() || last[0] != config.width1()
                || last[1] != config.outputSize()) {
            throw new IOException(file + ": expected enc1_fc W " + config.inputSize() + "×" + config.width1()
                    + " and out W " + config.width1() + "×" + config.outputSize() + " (from "
                    + WeightsDirectory.MANIFEST + "), found " + first[0] + "×" + first[1] + " and " + last[0] + "×"
                    + last[1]);
        }
    }

    private static long[] shapeOf(String file, ComputationGraph graph, String layer) throws IOException {
        if (graph.getLayer(layer) == null) {
            throw new IOException(file + ": expected a layer named " + layer + ", found none");
        }
        return graph.getLayer(layer).getParam("W").shape();
    }
}
