package dev.smplr.hourglass;

import dev.smplr.core.PointEstimator;
import dev.smplr.core.internal.Checks;
import dev.smplr.smpl.NoiseModel;
import dev.smplr.smpl.training.Manifest;
import dev.smplr.smpl.training.WeightsDirectory;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Stage 1 of the pipeline: a square person crop to the 41 SMPLR points, root-relative, in the camera frame (X right,
 * Y down, Z away, metres), by the volumetric stacked hourglass and soft-argmax over the last stack's point volumes
 * (SPEC.md section 6).
 *
 * <p>Input: a square crop of any size, framed as the training crops were (the release's window: a ±1.25 m cube
 * at the person's root depth, centred on the root; {@link #cropPerson} approximates it from a person box). It is
 * resized bilinearly to the network's input size and per-image standardised. Any {@link BufferedImage} type is
 * accepted: colour types are read as RGB with alpha dropped (not composited); grayscale (8- or 16-bit) images are
 * converted to RGB by the image's colour model, i.e. the gray value on all three channels.
 *
 * <p>Thread-safe: inference on the one network is serialised.
 */
public final class HourglassEstimator implements PointEstimator {
    /** The weights directory kind. */
    static final String KIND = "hourglass";
    /** The network file in a weights directory. */
    static final String NETWORK_FILE = "network.zip";
    /** Where the demo weights ship. */
    static final String DEMO_RESOURCES = "/dev/smplr/hourglass/demo";
    /** The share of the crop side a person's box takes in {@link #cropPerson} (1.75 m of the 2.5 m window). */
    static final float BOX_FILL = 0.7f;
    private static final int[][] MIRROR_PAIRS = NoiseModel.mirrorPairs();

    private final ComputationGraph graph;
    private final HourglassConfig config;
    private final VoxelGrid grid;
    private final Manifest manifest;
    /**
     * The inference engine: the same forward pass as {@code graph.output(false, x)} on GEMM-based NHWC kernels,
     * 5–9× faster than DL4J's convolutions here (BENCHMARKS.md); the graph is kept for saving and training.
     */
    private final FastHourglass fast;
    private final boolean flipAveraging;

    HourglassEstimator(ComputationGraph graph, HourglassConfig config, Manifest manifest) {
        this.graph = graph;
        this.fast = FastHourglass.from(graph, config);
        this.config = config;
        this.grid = VoxelGrid.of(config);
        this.manifest = manifest;
        this.flipAveraging = false;
    }

    private HourglassEstimator(HourglassEstimator base, boolean flipAveraging) {
        this.graph = base.graph;
        this.fast = base.fast;
        this.config = base.config;
        this.grid = base.grid;
        this.manifest = base.manifest;
        this.flipAveraging = flipAveraging;
    }

    /**
     * This estimator with test-time flip averaging on or off: each crop also goes through the network mirrored
     * left to right, that estimate is mirrored back (left and right points swapped, X negated) and the two are
     * averaged. It doubles the inference cost; the result is exactly mirror-symmetric (the estimate of a mirrored
     * crop is the mirrored estimate). Measured on the 200 held-out images with the shipped demo weights: README.
     * Shares the network with this estimator.
     *
     * @param on whether to average with the mirrored crop
     * @return an estimator with the setting (this one if unchanged)
     */
    public HourglassEstimator withFlipAveraging(boolean on) {
        return on == flipAveraging ? this : new HourglassEstimator(this, on);
    }

    /** @return whether {@link #withFlipAveraging} is on */
    public boolean flipAveraging() {
        return flipAveraging;
    }

    /**
     * Loads a weights directory written by {@link HourglassTrainer}.
     *
     * @param dir the directory
     * @return the estimator
     * @throws IOException naming the file and key if the manifest is missing or malformed, of another format or
     *                     kind, a checksum differs, or the network does not match the manifest's config
     * @throws IllegalArgumentException if dir is null
     */
    public static HourglassEstimator load(Path dir) throws IOException {
        return of(read(dir));
    }

    /**
     * A weights directory's network, config and manifest, checked against each other; what {@link #load} reads
     * before it builds the inference engine, for a trainer that only needs the weights.
     */
    record Weights(ComputationGraph graph, HourglassConfig config, Manifest manifest) {
    }

    /** As {@link #load}, without the inference engine. */
    static Weights read(Path dir) throws IOException {
        Checks.notNull("dir", dir);
        return weights(WeightsDirectory.read(dir, KIND));
    }

    /**
     * The shipped demo weights: the {@link HourglassConfig#demo()} network trained on {@link SyntheticImageSource}
     * crops of the demo body; its manifest records the training run and its validation error.
     *
     * @return the estimator
     * @throws UncheckedIOException if the shipped resources are missing or corrupt
     */
    public static HourglassEstimator demo() {
        try {
            return of(weights(WeightsDirectory.readResources(HourglassEstimator.class, DEMO_RESOURCES, KIND)));
        } catch (IOException e) {
            throw new UncheckedIOException("demo hourglass weights: " + e.getMessage(), e);
        }
    }

    private static HourglassEstimator of(Weights w) {
        return new HourglassEstimator(w.graph(), w.config(), w.manifest());
    }

    private static Weights weights(WeightsDirectory.Contents contents) throws IOException {
        Manifest m = contents.manifest();
        HourglassConfig config = config(m.object("config"));
        ComputationGraph graph;
        try (var in = contents.open(NETWORK_FILE)) {
            graph = ModelSerializer.restoreComputationGraph(in, false);
        } catch (RuntimeException e) {
            throw new IOException(m.source() + ": " + NETWORK_FILE + " is not a DL4J network: " + e.getMessage(), e);
        }
        long expected = HourglassNetwork.build(config).numParams();
        if (graph.numParams() != expected || graph.getNumOutputArrays() != config.stacks()) {
            throw new IOException(m.source() + ": key config: expected a network with " + expected + " parameters and "
                    + config.stacks() + " outputs, found " + graph.numParams() + " and " + graph.getNumOutputArrays());
        }
        return new Weights(graph, config, m);
    }

    /** The config's fields for a manifest; {@link #config(Manifest)} reads them back. */
    static Map<String, Object> describe(HourglassConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stacks", c.stacks());
        m.put("features", c.features());
        m.put("depth", c.depth());
        m.put("depthBins", c.depthBins());
        m.put("inputSize", c.inputSize());
        m.put("pointCount", c.pointCount());
        m.put("limbVolumes", c.limbVolumes());
        m.put("dropout", c.dropout());
        m.put("bnDecay", c.bnDecay());
        m.put("bnEps", c.bnEps());
        m.put("seed", c.seed());
        m.put("loss", c.loss().name());
        m.put("integralWeight", c.integralWeight());
        return m;
    }

    static HourglassConfig config(Manifest m) throws IOException {
        HourglassLoss loss;
        try {
            loss = HourglassLoss.valueOf(m.string("loss"));
        } catch (IllegalArgumentException e) {
            throw m.error("loss", "one of SIGMOID_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY", m.get("loss"));
        }
        try {
            return new HourglassConfig(m.integer("stacks", 1, 64), m.integer("features", 8, 4096),
                    m.integer("depth", 1, 8), m.integer("depthBins", 2, 1024), m.integer("inputSize", 1, 8192),
                    m.integer("pointCount", 41, 41), m.integer("limbVolumes", 0, 4), m.number("dropout"),
                    m.number("bnDecay"), m.number("bnEps"), m.integer("seed"), loss,
                    // absent from manifests written before the integral term existed
                    m.has("integralWeight") ? m.number("integralWeight") : 0);
        } catch (IllegalArgumentException e) {
            throw new IOException(m.source() + ": key config: " + e.getMessage(), e);
        }
    }

    /** @return the network's configuration */
    public HourglassConfig config() {
        return config;
    }

    /** @return the weights' manifest (training run, metrics) */
    public Manifest manifest() {
        return manifest;
    }

    /**
     * The 41 points of one person crop.
     *
     * @param crop a square image of any size &gt; 0, framed as described on the class. Not modified.
     * @return (41, 3) root-relative camera-frame points, metres, point i at {@code 3*i..3*i+2}
     * @throws IllegalArgumentException if crop is null, empty or not square
     */
    @Override
    public float[] estimate(BufferedImage crop) {
        return estimate(List.of(checkCrop("crop", crop))).get(0);
    }

    /**
     * The 41 points of each crop, in batches of up to 16 through the network.
     *
     * @param crops square crops, each as for {@link #estimate(BufferedImage)}. Not modified.
     * @return one 123-value array per crop, in order
     * @throws IllegalArgumentException if the list or a crop is null, or a crop is empty or not square (the message
     *                                  names its index)
     */
    @Override
    public List<float[]> estimate(List<BufferedImage> crops) {
        Checks.notNull("crops", crops);
        for (int i = 0; i < crops.size(); i++) {
            checkCrop("crops[" + i + "]", crops.get(i));
        }
        int size = config.inputSize();
        int plane = 3 * size * size;
        // 16 network inputs per batch: 8 crops and their mirror images with flip averaging
        int perBatch = flipAveraging ? 8 : 16;
        List<float[]> result = new ArrayList<>(crops.size());
        for (int first = 0; first < crops.size(); first += perBatch) {
            int m = Math.min(perBatch, crops.size() - first);
            int inputs = flipAveraging ? 2 * m : m;
            float[] images = new float[inputs * plane];
            for (int k = 0; k < m; k++) {
                BufferedImage c = crops.get(first + k);
                BufferedImage resized = c.getWidth() == size && c.getType() == BufferedImage.TYPE_INT_RGB ? c
                        : Crop.square(c, c.getWidth() / 2f, c.getHeight() / 2f, c.getWidth(), size).image();
                ImageTensors.standardize(resized, images, k * plane);
                if (flipAveraging) {
                    mirrorImage(images, k * plane, (m + k) * plane, size);
                }
            }
            INDArray x = Nd4j.create(images, new long[] {inputs, 3, size, size});
            float[] logits = fast.lastOutput(x).ravel().toFloatVector(); // synchronized inside
            float[] points = grid.softArgmax(logits, inputs);
            for (int k = 0; k < m; k++) {
                float[] p = java.util.Arrays.copyOfRange(points, 123 * k, 123 * k + 123);
                if (flipAveraging) {
                    float[] back = mirrorPoints(java.util.Arrays.copyOfRange(points, 123 * (m + k),
                            123 * (m + k) + 123));
                    for (int v = 0; v < p.length; v++) {
                        p[v] = 0.5f * (p[v] + back[v]);
                    }
                }
                result.add(p);
            }
        }
        return result;
    }

    /** Copies the CHW image at {@code from} to {@code to}, mirrored left to right. */
    private static void mirrorImage(float[] images, int from, int to, int size) {
        for (int row = 0; row < 3 * size; row++) {
            int src = from + row * size;
            int dst = to + row * size + size - 1;
            for (int col = 0; col < size; col++) {
                images[dst - col] = images[src + col];
            }
        }
    }

    /**
     * The points of a mirrored crop mapped back to the crop: X negated (the crop is centred on the root), left and
     * right points swapped ({@link NoiseModel#mirrorPairs()}).
     *
     * @param points (41, 3) root-relative camera-frame points. Modified and returned.
     * @return {@code points}
     */
    static float[] mirrorPoints(float[] points) {
        for (int[] pair : MIRROR_PAIRS) {
            for (int a = 0; a < 3; a++) {
                float t = points[3 * pair[0] + a];
                points[3 * pair[0] + a] = points[3 * pair[1] + a];
                points[3 * pair[1] + a] = t;
            }
        }
        for (int i = 0; i < HourglassConfig.POINTS; i++) {
            points[3 * i] = -points[3 * i];
        }
        return points;
    }

    /**
     * A square crop around a person's bounding box, framed like the training crops: centred on the box's centre,
     * side {@code max(width, height) / 0.7} (a 1.75 m person fills about 70 % of the release's 2.5 m window),
     * black outside the image, resampled to {@code size × size}.
     *
     * @param image  the full image. Not modified.
     * @param x      the box's left edge, pixels
     * @param y      the box's top edge, pixels
     * @param width  the box's width, pixels, &gt; 0
     * @param height the box's height, pixels, &gt; 0
     * @param size   the crop's side, pixels, &gt; 0
     * @return the crop and its map to the image's pixels
     * @throws IllegalArgumentException if the image is null or a size is not positive
     */
    public static Crop cropPerson(BufferedImage image, int x, int y, int width, int height, int size) {
        Checks.notNull("image", image);
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("width, height: expected a box > 0, got " + width + "×" + height);
        }
        float side = Math.max(width, height) / BOX_FILL;
        return Crop.square(image, x + width / 2f, y + height / 2f, side, size);
    }

    private static BufferedImage checkCrop(String name, BufferedImage crop) {
        Checks.notNull(name, crop);
        if (crop.getWidth() <= 0 || crop.getHeight() <= 0 || crop.getWidth() != crop.getHeight()) {
            throw new IllegalArgumentException(name + ": expected a square image of side > 0, got "
                    + crop.getWidth() + "×" + crop.getHeight());
        }
        return crop;
    }

    /** Σ over n examples and 41 points of the Euclidean distance, in mm. */
    static double errorSumMm(float[] predicted, int predOff, float[] truth, int truthOff, int n) {
        double sum = 0;
        for (int i = 0; i < n * 41; i++) {
            double dx = predicted[predOff + 3 * i] - truth[truthOff + 3 * i];
            double dy = predicted[predOff + 3 * i + 1] - truth[truthOff + 3 * i + 1];
            double dz = predicted[predOff + 3 * i + 2] - truth[truthOff + 3 * i + 2];
            sum += Math.sqrt(dx * dx + dy * dy + dz * dz);
        }
        return sum * 1000;
    }

    @Override
    public String toString() {
        return "HourglassEstimator[" + config + (flipAveraging ? ", flip averaging" : "") + "]";
    }
}
