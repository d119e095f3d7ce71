package dev.smplr.smpl;

import dev.smplr.core.BodyRegressor;
import dev.smplr.core.Gender;
import dev.smplr.core.Rotations;
import dev.smplr.core.SmplrFeatures;
import dev.smplr.core.SmplrPoints;
import dev.smplr.core.internal.Checks;
import dev.smplr.smpl.training.Manifest;
import dev.smplr.smpl.training.MlpKernel;
import dev.smplr.smpl.training.WeightsDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * SMPLR's regressors (SPEC 5): 41 root-relative points → SMPL parameters, with no optimisation loop. From the
 * points it computes the bone-length features B (41 values, bone length minus the template length d*) and the
 * bone-direction features N (123 values, {@link SmplrFeatures}); the shape regressor Ψ maps B to β₁..β₁₀ and a
 * gender score, the pose regressor Ω maps N to 24 row-major 3×3 matrices through tanh.
 *
 * <p><b>Rotations.</b> With the SO(3) projection on (the default, SPEC 15.3) each 3×3 output is replaced by the
 * nearest rotation (SVD, det +1, {@link Rotations#projectToRotation(float[])}); with it off
 * ({@link #withProjection(boolean) withProjection(false)}) the estimate keeps the raw matrices, as the paper
 * feeds them to SMPL. Either way the estimate's axis-angle pose is that of the projected matrices, since a
 * non-rotation has no axis-angle.
 *
 * <p><b>Gender</b> (SPEC 15.4): the 11th output s is trained towards −1 (female), +1 (male) and 0 (neutral).
 * With a neutral band b = 0 (the release's rule) s ≥ 0 is male and s &lt; 0 female; with b &gt; 0, written by the
 * trainer when its data held neutral bodies, s ≥ b is male, s ≤ −b female and anything between neutral.
 *
 * <p><b>Body frame</b> (a project decision beyond the release, on in the shipped weights): the points are first
 * rotated into the body's own frame F measured from the hips and spine, and Ω's root rotation is read relative to
 * it (world root = F·R₀'), so the networks need not learn the global orientation, which training draws uniformly
 * over SO(3). Without it ({@code canonicalFrame} false in the manifest) the networks see the points as given, as in
 * the release.
 *
 * <p><b>Features.</b> d* is the template of the body the weights were trained for, stored in the manifest. A
 * "joints only" regressor (an ablation) was trained with the 18 landmarks removed from its input: the N and B
 * entries of the landmark bones (points 23..40) are set to zero, here as in training.
 *
 * <p>On disk a regressor is a weights directory ({@link WeightsDirectory}, kind {@value #KIND}): {@code shape.zip}
 * and {@code pose.zip} (DL4J graphs without updater state) and {@code manifest.json} with the preset, both
 * configurations, the body and its fingerprint, d*, the feature and gender rules, the training run (command,
 * seed, steps, wall time, data) and its metrics.
 *
 * <p><b>Thread safety.</b> Inference runs in plain Java ({@link MlpKernel}, weights copied out of the graphs when
 * the regressor is made), so {@link #regress(float[])} and {@link #regress(List)} may be called from several
 * threads at once without locking; a batch of 64 or more is split into chunks of 32 samples (both networks, the
 * projection and the estimates) run on the common fork-join pool. The DL4J
 * graphs are kept only for {@link #save(Path)}, which locks them.
 */
public final class SmplRegressor implements BodyRegressor {
    /** The weights-directory kind. */
    public static final String KIND = "regressor";
    /** Ψ's file in a weights directory. */
    public static final String SHAPE_FILE = "shape.zip";
    /** Ω's file in a weights directory. */
    public static final String POSE_FILE = "pose.zip";
    /** Where the shipped demo weights live on the classpath. */
    static final String DEMO_RESOURCES = "/dev/smplr/smpl/demo-regressor";

    private static final int JOINTS = SmplrPoints.JOINTS;
    private static final String POINTS_SHAPE = "41×3 root-relative points";
    /** Ψ's outputs: 10 betas and the gender score. */
    private static final int SHAPE_OUTPUTS = 11;
    /** Samples per task when a batch is split over threads (batches of twice this or more). */
    private static final int CHUNK = 32;

    /**
     * The two graphs (for saving, locked together) and their inference kernels, compiled here: later changes to
     * the graphs are not seen by the kernels.
     */
    static final class Nets {
        final ComputationGraph shape;
        final ComputationGraph pose;
        final MlpKernel shapeKernel;
        final MlpKernel poseKernel;

        Nets(ComputationGraph shape, ComputationGraph pose) {
            this.shape = shape;
            this.pose = pose;
            this.shapeKernel = new MlpKernel(shape);
            this.poseKernel = new MlpKernel(pose);
        }
    }

    private final Nets nets;
    private final RegressorConfig shapeConfig;
    private final RegressorConfig poseConfig;
    private final float[] template;
    private final boolean jointsOnly;
    private final boolean canonical;
    private final double neutralBand;
    private final boolean projection;
    /** The manifest fields kept as written: preset, body, bodies, loss, training, metrics. */
    private final Map<String, Object> provenance;

    SmplRegressor(Nets nets, RegressorConfig shapeConfig, RegressorConfig poseConfig, float[] template,
            boolean jointsOnly, boolean canonical, double neutralBand, boolean projection,
            Map<String, Object> provenance) {
        this.canonical = canonical;
        this.nets = nets;
        this.shapeConfig = shapeConfig;
        this.poseConfig = poseConfig;
        this.template = Checks.length("template", template, SmplrFeatures.B_SIZE, "41 template distances").clone();
        this.jointsOnly = jointsOnly;
        this.neutralBand = Checks.belowOne("neutralBand", "a value", neutralBand);
        this.projection = projection;
        this.provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    /** Holds the shipped demo regressor, read on first use. */
    private static final class Demo {
        static final SmplRegressor INSTANCE = read();

        private static SmplRegressor read() {
            try {
                return fromContents(WeightsDirectory.readResources(SmplRegressor.class, DEMO_RESOURCES, KIND));
            } catch (IOException e) {
                throw new UncheckedIOException("the shipped demo regressor " + DEMO_RESOURCES + " is unreadable: "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * The regressor trained for the embedded demo body ({@link SmplModel#demo}), shipped with this module;
     * read once and shared (it is thread-safe). Its manifest records the training command and its metrics.
     *
     * @return the demo regressor, SO(3) projection on
     * @throws UncheckedIOException if the shipped weights are missing or damaged
     */
    public static SmplRegressor demo() {
        return Demo.INSTANCE;
    }

    /**
     * Loads a regressor saved by {@link #save(Path)} or written by {@link RegressorTrainer}.
     *
     * @param dir the weights directory
     * @return the regressor, SO(3) projection on
     * @throws IOException if the manifest or a network file is missing, unreadable, of another format version or
     *                     kind, fails its checksum, or a manifest key is missing or malformed (the message names
     *                     the file and key)
     * @throws IllegalArgumentException if {@code dir} is null
     */
    public static SmplRegressor load(Path dir) throws IOException {
        Checks.notNull("dir", dir);
        return fromContents(WeightsDirectory.read(dir, KIND));
    }

    /**
     * Loads a regressor and checks that it was trained for a body: the body's fingerprint must be the manifest's
     * {@code body} or one of its {@code bodies}.
     *
     * @param dir  the weights directory
     * @param body the body the estimates will drive
     * @return the regressor
     * @throws IOException as {@link #load(Path)}, or naming both bodies if the weights were trained for another
     * @throws IllegalArgumentException if an argument is null
     */
    public static SmplRegressor load(Path dir, SmplModel body) throws IOException {
        Checks.notNull("body", body);
        SmplRegressor r = load(dir);
        r.checkBody(dir.resolve(WeightsDirectory.MANIFEST).toString(), body);
        return r;
    }

    /**
     * Checks that this regressor was trained for a body (see {@link #load(Path, SmplModel)}).
     *
     * @param body the body
     * @throws IOException naming both bodies if not
     */
    void checkBody(String source, SmplModel body) throws IOException {
        Manifest m = new Manifest(source, "", provenance);
        if (m.has("bodies") && m.get("bodies") instanceof List<?> list) {
            for (Object b : list) {
                if (b instanceof Map<?, ?> map && body.fingerprint().equals(map.get("fingerprint"))) {
                    return;
                }
            }
        }
        WeightsDirectory.checkBody(m, body);
    }

    private static SmplRegressor fromContents(WeightsDirectory.Contents c) throws IOException {
        Manifest m = c.manifest();
        RegressorConfig shapeConfig = config(m.object("shapeConfig"), RegressorConfig.Kind.SHAPE);
        RegressorConfig poseConfig = config(m.object("poseConfig"), RegressorConfig.Kind.POSE);
        float[] template = floats(m, "templateDistances", SmplrFeatures.B_SIZE);
        Manifest features = m.object("features");
        boolean jointsOnly = features.bool("jointsOnly");
        boolean canonical = features.bool("canonicalFrame");
        double band = m.object("gender").number("neutralBand");
        if (!(band >= 0 && band < 1)) {
            throw new IOException(m.source() + ": key gender.neutralBand expected a number in [0, 1), found " + band);
        }
        ComputationGraph shape = graph(c, SHAPE_FILE, shapeConfig);
        ComputationGraph pose = graph(c, POSE_FILE, poseConfig);
        Map<String, Object> provenance = new LinkedHashMap<>();
        for (String key : List.of("preset", "body", "bodies", "loss", "training", "metrics")) {
            if (m.has(key)) {
                provenance.put(key, m.get(key));
            }
        }
        m.object("body").string("fingerprint");
        m.numbers("metrics");
        return new SmplRegressor(new Nets(shape, pose), shapeConfig, poseConfig, template, jointsOnly, canonical, band,
                true, provenance);
    }

    private static ComputationGraph graph(WeightsDirectory.Contents c, String name, RegressorConfig config)
            throws IOException {
        String source = c.manifest().source().replace(WeightsDirectory.MANIFEST, name);
        ComputationGraph g;
        try (InputStream in = c.open(name)) {
            g = ModelSerializer.restoreComputationGraph(in, false);
        } catch (RuntimeException e) {
            throw new IOException(source + ": not a DL4J network: " + e.getMessage(), e);
        }
        long in = g.layerInputSize("fce1_fc");
        long out = g.layerSize(RegressorNetwork.X2);
        if (in != config.inputSize() || out != config.outputSize()) {
            throw new IOException(source + ": expected a " + config.kind() + " network " + config.inputSize() + " → "
                    + config.outputSize() + " (from " + WeightsDirectory.MANIFEST + "), found " + in + " → " + out);
        }
        return g;
    }

    static Map<String, Object> configJson(RegressorConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", c.kind().name());
        m.put("fce1", c.fce1());
        m.put("fce2", c.fce2());
        m.put("fce3", c.fce3());
        m.put("fce4", c.fce4());
        m.put("fce41", c.fce41());
        m.put("fce42", c.fce42());
        m.put("fce5", c.fce5());
        m.put("fce43", c.fce43());
        m.put("bnDecay", c.bnDecay());
        m.put("bnEps", c.bnEps());
        m.put("seed", c.seed());
        return m;
    }

    private static RegressorConfig config(Manifest m, RegressorConfig.Kind kind) throws IOException {
        String k = m.string("kind");
        if (!k.equals(kind.name())) {
            throw m.error("kind", kind.name(), k);
        }
        int max = 1 << 16;
        try {
            return RegressorConfig.builder().kind(kind).fce1(m.integer("fce1", 1, max)).fce2(m.integer("fce2", 1, max))
                    .fce3(m.integer("fce3", 1, max)).fce4(m.integer("fce4", 1, max))
                    .fce41(m.integer("fce41", 1, max)).fce42(m.integer("fce42", 1, max))
                    .fce5(m.integer("fce5", 1, max)).fce43(m.integer("fce43", 1, max))
                    .bnDecay(m.number("bnDecay")).bnEps(m.number("bnEps")).seed(m.integer("seed")).build();
        } catch (IllegalArgumentException e) {
            throw new IOException(m.source() + ": key " + m.prefix() + " " + e.getMessage(), e);
        }
    }

    private static float[] floats(Manifest m, String key, int n) throws IOException {
        Object v = m.get(key);
        if (!(v instanceof List<?> list) || list.size() != n) {
            throw m.error(key, "a list of " + n + " numbers", v instanceof List<?> l ? l.size() + " values" : v);
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            if (!(list.get(i) instanceof Number x) || !Double.isFinite(x.doubleValue())) {
                throw m.error(key, "finite numbers", "entry " + i + " = " + list.get(i));
            }
            out[i] = x.floatValue();
        }
        return out;
    }

    static List<Object> list(float[] values) {
        List<Object> out = new ArrayList<>(values.length);
        for (float v : values) {
            out.add((double) v);
        }
        return out;
    }

    /**
     * Writes this regressor as a weights directory ({@code manifest.json}, {@code shape.zip}, {@code pose.zip}),
     * each file atomically, the manifest last. The projection switch is not stored (it is a choice at use).
     *
     * @param dir the directory, created if needed
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if {@code dir} is null
     */
    public void save(Path dir) throws IOException {
        Checks.notNull("dir", dir);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("preset", provenance.getOrDefault("preset", shapeConfig.presetName()));
        fields.put("shapeConfig", configJson(shapeConfig));
        fields.put("poseConfig", configJson(poseConfig));
        fields.put("body", provenance.get("body"));
        if (provenance.containsKey("bodies")) {
            fields.put("bodies", provenance.get("bodies"));
        }
        fields.put("templateDistances", list(template));
        Map<String, Object> features = new LinkedHashMap<>();
        features.put("jointsOnly", jointsOnly);
        features.put("canonicalFrame", canonical);
        fields.put("features", features);
        fields.put("gender", Map.of("neutralBand", neutralBand));
        if (provenance.containsKey("loss")) {
            fields.put("loss", provenance.get("loss"));
        }
        fields.put("training", provenance.getOrDefault("training", Map.of()));
        fields.put("metrics", provenance.getOrDefault("metrics", Map.of()));
        Map<String, WeightsDirectory.Content> files = new LinkedHashMap<>();
        synchronized (nets) {
            files.put(SHAPE_FILE, out -> ModelSerializer.writeModel(nets.shape, out, false));
            files.put(POSE_FILE, out -> ModelSerializer.writeModel(nets.pose, out, false));
            WeightsDirectory.write(dir, KIND, fields, files);
        }
    }

    /**
     * The same networks with the SO(3) projection switched on or off (SPEC 15.3); shares the graphs and kernels
     * with this regressor.
     *
     * @param on true: project each 3×3 output to the nearest rotation (default); false: keep the raw matrices
     *           (the paper's behaviour)
     * @return a regressor with that setting (this one if it already has it)
     */
    public SmplRegressor withProjection(boolean on) {
        return on == projection ? this : new SmplRegressor(nets, shapeConfig, poseConfig, template, jointsOnly,
                canonical, neutralBand, on, provenance);
    }

    /** Same graphs, other provenance (the trainer adds its metrics). */
    SmplRegressor withProvenance(Map<String, Object> values) {
        return new SmplRegressor(nets, shapeConfig, poseConfig, template, jointsOnly, canonical, neutralBand,
                projection, values);
    }

    /** @return whether each 3×3 output is projected to SO(3) */
    public boolean projection() {
        return projection;
    }

    /** @return whether this regressor ignores the 18 landmarks (the "joints only" ablation) */
    public boolean jointsOnly() {
        return jointsOnly;
    }

    /** @return whether the networks see the points in the body's own frame (see the class Javadoc) */
    public boolean canonicalFrame() {
        return canonical;
    }

    /** @return the template distances d* used for B, 41 values, metres, a new array */
    public float[] templateDistances() {
        return template.clone();
    }

    /** @return Ψ's configuration */
    public RegressorConfig shapeConfig() {
        return shapeConfig;
    }

    /** @return Ω's configuration */
    public RegressorConfig poseConfig() {
        return poseConfig;
    }

    /** @return the metrics recorded at training (name with unit → value), unmodifiable; empty if none */
    public Map<String, Double> metrics() {
        Map<String, Double> out = new LinkedHashMap<>();
        if (provenance.get("metrics") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (v instanceof Number n) {
                    out.put(String.valueOf(k), n.doubleValue());
                }
            });
        }
        return Collections.unmodifiableMap(out);
    }

    /** @return the manifest's provenance fields (preset, body, bodies, loss, training, metrics), unmodifiable */
    public Map<String, Object> provenance() {
        return provenance;
    }

    Nets nets() {
        return nets;
    }

    /**
     * Estimates SMPL parameters for one point set.
     *
     * @param points41 41 root-relative points (123 values, metres), SMPLR order (SPEC 2.1). Not modified.
     * @return the estimate: axis-angle pose (72), 10 betas, zero translation, gender, and the 24 matrices
     * @throws IllegalArgumentException if {@code points41} is null, not 123 values, holds NaN or an infinity, or
     *                                  has a zero-length bone
     */
    @Override
    public SmplEstimate regress(float[] points41) {
        Checks.rows("points41", points41, SmplrPoints.COUNT, 3, POINTS_SHAPE);
        return regressFlat(points41, 1, "points41").get(0);
    }

    /**
     * Estimates SMPL parameters for a batch, in one pass through each network; the same results as one by one
     * (to float rounding of the batched matrix products).
     *
     * @param batch point sets, each 123 values. Not modified.
     * @return one estimate per point set, in order
     * @throws IllegalArgumentException if {@code batch} or an element is null, an element is not 123 values, holds
     *                                  NaN or an infinity, or has a zero-length bone (the message names its index)
     */
    public List<SmplEstimate> regress(List<float[]> batch) {
        Checks.notNull("batch", batch);
        if (batch.isEmpty()) {
            return List.of();
        }
        float[] flat = new float[batch.size() * SmplrPoints.VALUES];
        for (int i = 0; i < batch.size(); i++) {
            float[] p = Checks.rows("batch[" + i + "]", batch.get(i), SmplrPoints.COUNT, 3, POINTS_SHAPE);
            System.arraycopy(p, 0, flat, i * SmplrPoints.VALUES, SmplrPoints.VALUES);
        }
        return regressFlat(flat, batch.size(), "batch");
    }

    /** Regresses {@code count} point sets stored back to back. */
    List<SmplEstimate> regressFlat(float[] points, int count, String name) {
        float[] n = new float[count * SmplrFeatures.N_SIZE];
        float[] b = new float[count * SmplrFeatures.B_SIZE];
        float[] frames = canonical ? new float[9 * count] : null;
        float[] body = canonical ? new float[SmplrPoints.VALUES] : null;
        // on this thread, so that a bad sample's message reaches the caller as thrown
        for (int i = 0; i < count; i++) {
            try {
                float[] src = points;
                int off = i * SmplrPoints.VALUES;
                if (canonical) {
                    BodyFrame.of(points, off, frames, 9 * i);
                    BodyFrame.toBody(frames, 9 * i, points, off, body, 0);
                    src = body;
                    off = 0;
                }
                features(src, off, template, jointsOnly, n, i * SmplrFeatures.N_SIZE, b, i * SmplrFeatures.B_SIZE);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException((count == 1 ? name : name + "[" + i + "]") + ": "
                        + e.getMessage(), e);
            }
        }
        SmplEstimate[] estimates = new SmplEstimate[count];
        if (count < 2 * CHUNK) {
            estimates(n, b, frames, 0, count, estimates);
        } else {
            // each chunk runs both networks and assembles its estimates: one parallel region, no shared scratch
            int chunks = (count + CHUNK - 1) / CHUNK;
            IntStream.range(0, chunks).parallel().forEach(c -> {
                int i0 = c * CHUNK;
                estimates(n, b, frames, i0, Math.min(count, i0 + CHUNK) - i0, estimates);
            });
        }
        return Arrays.asList(estimates);
    }

    /** Samples i0 .. i0+m−1 of the features through Ψ and Ω, on this thread, into {@code estimates}. */
    private void estimates(float[] n, float[] b, float[] frames, int i0, int m, SmplEstimate[] estimates) {
        float[] shape = new float[m * SHAPE_OUTPUTS];
        float[] pose = new float[m * SmplEstimate.ROTATIONS_SIZE];
        nets.shapeKernel.outputSequential(b, i0 * SmplrFeatures.B_SIZE, shape, 0, m);
        nets.poseKernel.outputSequential(n, i0 * SmplrFeatures.N_SIZE, pose, 0, m);
        float[] root = new float[9];
        float[] projected = new float[SmplEstimate.ROTATIONS_SIZE];
        float[] axisAngle = new float[SmplParams.POSE_SIZE];
        for (int k = 0; k < m; k++) {
            int o = k * SmplEstimate.ROTATIONS_SIZE;
            if (canonical) {
                System.arraycopy(pose, o, root, 0, 9);
                BodyFrame.toWorldMatrix(frames, 9 * (i0 + k), root, 0, pose, o);
            }
            estimates[i0 + k] = estimate(shape, k * SHAPE_OUTPUTS, pose, o, projected, axisAngle);
        }
    }

    /** Raw network outputs {Ψ (count×11), Ω (count×216)} for features, inference mode (no lock needed). */
    float[][] outputs(float[] n, float[] b, int count) {
        return new float[][] {nets.shapeKernel.output(b, count), nets.poseKernel.output(n, count)};
    }

    /**
     * N and B of one point set, with the landmark bones zeroed for a joints-only regressor.
     *
     * @throws IllegalArgumentException if a bone has zero length or a value is not finite
     */
    static void features(float[] points, int off, float[] template, boolean jointsOnly, float[] n, int nOff,
            float[] b, int bOff) {
        SmplrFeatures.normalizedRelativeJoints(points, off, n, nOff);
        SmplrFeatures.relativeDistances(points, off, template, b, bOff);
        if (jointsOnly) {
            // the bones of points 23..40 end at a landmark: no landmark reaches the network
            java.util.Arrays.fill(n, nOff + 3 * JOINTS, nOff + SmplrFeatures.N_SIZE, 0f);
            java.util.Arrays.fill(b, bOff + JOINTS, bOff + SmplrFeatures.B_SIZE, 0f);
        }
    }

    /**
     * The estimate of one sample's raw outputs; {@code projected} (216) and {@code axisAngle} (72) are scratch,
     * overwritten (the estimate copies what it keeps).
     */
    SmplEstimate estimate(float[] shape, int shapeOff, float[] pose, int poseOff, float[] projected,
            float[] axisAngle) {
        Rotations.projectToRotation(pose, poseOff, projected, 0, 24);
        Rotations.matrixToAxisAngle(projected, 0, axisAngle, 0, 24);
        float[] betas = Arrays.copyOfRange(shape, shapeOff, shapeOff + 10);
        Gender gender = gender(shape[shapeOff + 10], neutralBand);
        return new SmplEstimate(new SmplParams(axisAngle, betas, new float[3]), gender,
                projection ? projected : Arrays.copyOfRange(pose, poseOff, poseOff + SmplEstimate.ROTATIONS_SIZE));
    }

    /** SPEC 15.4 with a neutral band (see the class Javadoc). */
    static Gender gender(float score, double band) {
        if (band == 0) {
            return score >= 0 ? Gender.MALE : Gender.FEMALE;
        }
        return score >= band ? Gender.MALE : score <= -band ? Gender.FEMALE : Gender.NEUTRAL;
    }

    @Override
    public String toString() {
        return "SmplRegressor[" + provenance.getOrDefault("preset", "custom") + ", projection=" + projection
                + (jointsOnly ? ", joints only" : "") + "]";
    }
}
