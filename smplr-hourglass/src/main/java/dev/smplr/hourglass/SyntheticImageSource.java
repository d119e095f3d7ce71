package dev.smplr.hourglass;

import dev.smplr.core.Gender;
import dev.smplr.core.Rotations;
import dev.smplr.core.SmplrPoints;
import dev.smplr.core.internal.Checks;
import dev.smplr.smpl.PoseSampler;
import dev.smplr.smpl.SmplModel;
import dev.smplr.smpl.SmplOutput;
import dev.smplr.smpl.SmplParams;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Synthetic person crops with exact 3D ground truth, for training and testing the hourglass: a sampled body,
 * dressed and lit at random, rendered over a procedural background with random occluders, cropped with the
 * release's rule. No image dataset ships with the project; this is its stand-in for the release's CLOTH3D
 * renders (SPEC.md section 8).
 *
 * <p><b>One sample</b> ({@link #sample(long)}):
 * <ol>
 *   <li>Body: the {@link PoseSampler} gives the pose of joints 1..23, the betas and the gender; the gender's
 *       {@link SmplModel} poses the mesh. Global orientation: by default the body stands upright in its
 *       canonical frame (Y up), turned by a yaw uniform over 360° about the vertical, then tilted by an angle
 *       uniform in [0, {@link Builder#maxTilt(float) maxTilt}] (default 0.15 rad ≈ 8.6°) about a horizontal axis
 *       of uniform direction: {@code R_root = R_tilt · R_y(yaw)}. {@link Builder#sampledOrientation(boolean)}
 *       keeps the sampler's own orientation instead (the anatomical sampler's is uniform over SO(3): upside-down
 *       and lying bodies included). The returned {@link SyntheticSample#params()} hold the orientation used.</li>
 *   <li>Camera: the release's Blender camera ({@link PinholeCamera#blender(int, int) 640×480}, f = 888.9 px)
 *       looks along the canonical −Z at the body: the body's frame is turned by
 *       {@link RigidTransform#CANONICAL_TO_CAMERA} (so yaw 0 faces the camera) and moved so that the root
 *       (pelvis) is at depth {@code Z} uniform in [3.9, 6.4] m and projects within ±120 × ±40 px of the image
 *       centre (uniform).</li>
 *   <li>Crop: the release's window, side {@code f · 2.5 / Z} px centred on the projected root, resampled to
 *       {@code size × size} (SPEC.md 8). The body is rendered straight into the crop through that window's
 *       camera ({@link Crop#cameraAround}) rather than rendered at 640×480 and resized: the same geometry,
 *       sharper, and the cost scales with the crop, not the image. The window often reaches past the 640×480
 *       image; the release fills that part black, which this source does with probability
 *       {@link Builder#paddingProbability(float)} (default 0.5) and otherwise leaves background there.</li>
 *   <li>Appearance: skin, hair, shirt, trousers and shoes with random colours, sleeve and leg lengths and
 *       patterns ({@code Clothing}); lighting: ambient in [0.15, 0.45], one key light from the camera's side of
 *       the body, a second light with probability 0.6, random specular strength.</li>
 *   <li>Background: a procedural image ({@code Backgrounds}) with probability
 *       {@link Builder#backgroundProbability(float)} (default 1), otherwise a random flat colour; then random
 *       occluders ({@code Occluders}, 1 to {@link Builder#maxOccluders(int) maxOccluders}) with probability
 *       {@link Builder#occluderProbability(float)} (default 0.35, the release's).</li>
 * </ol>
 * The ground truth ({@link SyntheticSample#points41()}) is {@link SmplModel#smplrPoints(SmplOutput)} of the same
 * posed body, turned into the camera frame: root-relative, X right, Y down, Z away from the camera, metres
 * (SPEC.md 15.1). Projected through {@link SyntheticSample#camera()} from {@link SyntheticSample#root()} they
 * land on the drawn body.
 *
 * <p><b>Determinism.</b> Sample {@code i} depends only on the seed and {@code i}: its generator is a
 * {@link SplittableRandom} seeded from both, split into independent streams for the body, the scene (camera,
 * lights, padding), the clothes, the background and the occluders. So samples can be made in any order and on
 * any thread, and {@link #fill} is parallel yet always gives the same values. Thread-safe.
 *
 * <p><b>Cost.</b> About 7 ms of CPU per 256×256 sample and 3.5 ms per 128×128 one (demo body, 6786 vertices;
 * one thread of a 2-core AMD EPYC); the procedural background and the rasterizer take most of it. See
 * {@code SyntheticImageSourceBenchmark} in {@code benchmarks/}.
 *
 * <pre>{@code
 * SyntheticImageSource source = SyntheticImageSource.demo(7);
 * float[] images = new float[32 * 3 * 256 * 256], points = new float[32 * 123];
 * source.fill(0, 32, images, points);   // standardised NCHW crops and their 41 points
 * }</pre>
 */
public final class SyntheticImageSource {
    /** The release's crop side, pixels. */
    public static final int DEFAULT_SIZE = 256;

    private final Function<Gender, SmplModel> models;
    private final PoseSampler sampler;
    private final int size;
    private final long seed;
    private final PinholeCamera imageCamera;
    private final float minDepth;
    private final float maxDepth;
    private final float maxOffsetU;
    private final float maxOffsetV;
    private final boolean sampledOrientation;
    private final float maxTilt;
    private final float maxYaw;
    private final float backgroundProbability;
    private final float occluderProbability;
    private final int maxOccluders;
    private final float paddingProbability;
    private final float minAmbient;
    private final float maxAmbient;
    private final float secondLightProbability;
    private final Builder settings;

    private final AtomicLong counter = new AtomicLong();
    private final Map<Gender, Body> bodies = new ConcurrentHashMap<>();

    /** A model with its faces and clothing layout, prepared once per gender. */
    private record Body(SmplModel model, int[] faces, Clothing.Layout layout) {
    }

    /** The independent random streams of one sample. */
    private record Streams(SplittableRandom body, SplittableRandom scene, SplittableRandom clothes,
            SplittableRandom background, SplittableRandom occluders) {
        static Streams of(long seed) {
            SplittableRandom master = new SplittableRandom(seed);
            return new Streams(master.split(), master.split(), master.split(), master.split(), master.split());
        }
    }

    /** What {@link #draw} made: the finished crop, the mesh's coverage and the crop's camera. */
    record Drawn(BufferedImage image, boolean[] mask, PinholeCamera camera) {
    }

    private SyntheticImageSource(Builder b) {
        this.models = b.models;
        this.sampler = b.sampler;
        this.size = b.size;
        this.seed = b.seed;
        this.imageCamera = b.imageCamera;
        this.minDepth = b.minDepth;
        this.maxDepth = b.maxDepth;
        this.maxOffsetU = b.maxOffsetU;
        this.maxOffsetV = b.maxOffsetV;
        this.sampledOrientation = b.sampledOrientation;
        this.maxTilt = b.maxTilt;
        this.maxYaw = b.maxYaw;
        this.backgroundProbability = b.backgroundProbability;
        this.occluderProbability = b.occluderProbability;
        this.maxOccluders = b.maxOccluders;
        this.paddingProbability = b.paddingProbability;
        this.minAmbient = b.minAmbient;
        this.maxAmbient = b.maxAmbient;
        this.secondLightProbability = b.secondLightProbability;
        this.settings = b.copy();
    }

    /**
     * The demo source: demo bodies ({@link SmplModel#demo}) of the sampled gender, {@link PoseSampler#anatomical()}
     * for joints 1..23 and betas, upright bodies with random yaw, 256×256 crops, procedural backgrounds and
     * occluders.
     *
     * @param seed the seed
     * @return the source
     */
    public static SyntheticImageSource demo(long seed) {
        return builder().seed(seed).build();
    }

    /** @return a builder holding the defaults of {@link #demo(long)} with seed 0 */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this source's settings, to make variants */
    public Builder toBuilder() {
        return settings.copy();
    }

    /** @return the crop's side, pixels */
    public int size() {
        return size;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /**
     * The next sample: {@link #sample(long)} of a counter that starts at 0 and is shared by all threads.
     *
     * @return the sample
     */
    public SyntheticSample next() {
        return sample(counter.getAndIncrement());
    }

    /**
     * Sample {@code index}: the same for the same settings, seed and index, whatever was made before and on
     * whichever thread.
     *
     * @param index the sample's index, 0 or more
     * @return the sample
     * @throws IllegalArgumentException if {@code index} is negative, or the sampler's body does not fit its model
     *                                  (too many betas)
     */
    public SyntheticSample sample(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index: expected 0 or more, got " + index);
        }
        Streams streams = Streams.of(mix(seed, index));
        PoseSampler.Sample s = sampler.sample(streams.body);
        SmplParams params = s.params();
        if (!sampledOrientation) {
            params = upright(params, streams.body);
        }
        return render(params, s.gender(), streams);
    }

    /**
     * A given body, drawn with the neutral model in the scene of the next counter value (as {@link #next()}):
     * camera, lighting, clothes, background and occluders are still seeded. The body's orientation is used as
     * given (the identity faces the camera, upright).
     *
     * @param params the pose, betas and translation
     * @return the sample
     * @throws IllegalArgumentException if {@code params} is null or does not fit the model, or the models give no
     *                                  neutral body ({@code models: no body model for NEUTRAL})
     */
    public SyntheticSample render(SmplParams params) {
        return render(params, Gender.NEUTRAL, counter.getAndIncrement());
    }

    /**
     * A given body in the scene of sample {@code index}: the camera, lighting, clothes, background and occluders
     * of {@link #sample(long) sample(index)}, with this body and model instead of the sampled one.
     *
     * @param params the pose, betas and translation; the orientation is used as given
     * @param gender which model draws it
     * @param index  the scene's index, 0 or more
     * @return the sample
     * @throws IllegalArgumentException if an argument is null, {@code index} is negative, or the params do not
     *                                  fit the model
     */
    public SyntheticSample render(SmplParams params, Gender gender, long index) {
        Checks.notNull("params", params);
        Checks.notNull("gender", gender);
        if (index < 0) {
            throw new IllegalArgumentException("index: expected 0 or more, got " + index);
        }
        Streams streams = Streams.of(mix(seed, index));
        // The streams are split in a fixed order, so leaving the body stream unused changes none of the others.
        return render(params, gender, streams);
    }

    /**
     * Fills samples {@code first .. first + count - 1}, one task per sample over the common fork-join pool. The
     * values are those of {@link #sample(long)}, whatever the number of threads.
     *
     * @param first      the first sample index, 0 or more
     * @param count      the number of samples, 0 or more
     * @param imagesNchw the crops, per-image standardised ({@code (x − mean) / max(std, 1/√(3·size²))} over the
     *                   0..255 values), NCHW: sample s, channel c (R, G, B), pixel (x, y) at
     *                   {@code ((s*3 + c)*size + y)*size + x}; at least {@code count·3·size²} values, or null to
     *                   skip. Modified.
     * @param points     the 41 points per sample, camera frame, root-relative: sample s at {@code 123*s}; at
     *                   least {@code count·123} values, or null to skip. Modified.
     * @throws IllegalArgumentException if {@code first} or {@code count} is negative, or an array is too short
     */
    public void fill(long first, int count, float[] imagesNchw, float[] points) {
        if (first < 0 || count < 0) {
            throw new IllegalArgumentException("first, count: expected 0 or more, got " + first + ", " + count);
        }
        int plane = 3 * size * size;
        checkLength("imagesNchw", imagesNchw, count, plane, "3×" + size + "×" + size);
        checkLength("points", points, count, SmplrPoints.VALUES, "41×3");
        IntStream.range(0, count).parallel().forEach(s -> {
            SyntheticSample x = sample(first + s);
            if (imagesNchw != null) {
                ImageTensors.standardize(x.crop(), imagesNchw, s * plane);
            }
            if (points != null) {
                System.arraycopy(x.points41(), 0, points, s * SmplrPoints.VALUES, SmplrPoints.VALUES);
            }
        });
    }

    private static void checkLength(String name, float[] a, int count, int stride, String shape) {
        if (a != null && a.length < (long) count * stride) {
            throw new IllegalArgumentException(name + ": expected at least " + count + "×" + shape + " = "
                    + (long) count * stride + " values, got " + a.length);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private SyntheticSample render(SmplParams params, Gender gender, Streams streams) {
        Body body = body(gender);
        SmplOutput posed = body.model.forward(params);
        float[] joints = posed.joints();
        float[] rootWorld = {joints[0], joints[1], joints[2]};
        float[] rootCam = rootPosition(streams.scene);
        RigidTransform bodyToCamera = RigidTransform.CANONICAL_TO_CAMERA.withPointAt(rootWorld, rootCam);
        // The points: root-relative in the model frame, turned by the rotation only (before the vertices move).
        float[] points = body.model.smplrPoints(posed);
        RigidTransform rotation = new RigidTransform(bodyToCamera.rotation(), new float[3]);
        rotation.apply(points, 0, points, 0, SmplrPoints.COUNT);

        // The posed output is this call's own: move its vertices into the camera frame in place.
        float[] vertices = posed.vertices();
        bodyToCamera.apply(vertices, 0, vertices, 0, vertices.length / 3);
        int[] colors = Clothing.colors(body.layout, streams.clothes);
        ColoredMesh mesh = ColoredMesh.perVertex(vertices, body.faces, colors);
        Drawn drawn = draw(mesh, rootCam, streams);
        return new SyntheticSample(drawn.image, points, params, gender, drawn.camera, rootCam, bodyToCamera,
                drawn.mask);
    }

    /**
     * Renders a camera-frame mesh into the release's crop around {@code rootCam}, with this source's lighting,
     * background, padding and occluders drawn from the scene, background and occluder streams.
     */
    Drawn draw(ColoredMesh mesh, float[] rootCam, SplittableRandom scene, SplittableRandom background,
            SplittableRandom occluders) {
        PinholeCamera camera = Crop.cameraAround(imageCamera, rootCam, size);
        MeshRenderer renderer = lighting(scene);
        boolean pad = scene.nextFloat() < paddingProbability;
        BufferedImage back;
        if (background.nextFloat() < backgroundProbability) {
            back = Backgrounds.random(size, size, background);
        } else {
            float[] c = Backgrounds.randomColor(background);
            int rgb = ((int) c[0] << 16) | ((int) c[1] << 8) | (int) c[2];
            int[] flat = new int[size * size];
            java.util.Arrays.fill(flat, rgb);
            back = ImageTensors.image(flat, size, size);
        }
        RenderResult result = renderer.render(camera, mesh, back);
        BufferedImage image = result.image();
        if (pad) {
            padOutsideImage(image, camera);
        }
        if (occluders.nextFloat() < occluderProbability) {
            Occluders.paint(image, occluders, 1 + occluders.nextInt(maxOccluders));
        }
        return new Drawn(image, result.mask(), camera);
    }

    private Drawn draw(ColoredMesh mesh, float[] rootCam, Streams streams) {
        return draw(mesh, rootCam, streams.scene, streams.background, streams.occluders);
    }

    /**
     * Blacks out the crop's pixels whose centres fall outside the full image, as the release's zero-filled crop
     * does. The crop camera is the image camera scaled by {@code s} and shifted: {@code u' = s·u + o}.
     */
    private void padOutsideImage(BufferedImage image, PinholeCamera crop) {
        float s = crop.fx() / imageCamera.fx();
        float ou = crop.cx() - s * imageCamera.cx();
        float ov = crop.cy() - s * imageCamera.cy();
        int w = imageCamera.width();
        int h = imageCamera.height();
        int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int row = 0; row < size; row++) {
            float v = (row + 0.5f - ov) / s;
            boolean rowOut = v < 0 || v >= h;
            for (int col = 0; col < size; col++) {
                float u = (col + 0.5f - ou) / s;
                if (rowOut || u < 0 || u >= w) {
                    data[row * size + col] = 0;
                }
            }
        }
    }

    /** The root's camera-frame position: depth uniform in range, projection uniform around the image centre. */
    float[] rootPosition(SplittableRandom rng) {
        float z = minDepth + (maxDepth - minDepth) * rng.nextFloat();
        float du = maxOffsetU * (2 * rng.nextFloat() - 1);
        float dv = maxOffsetV * (2 * rng.nextFloat() - 1);
        // Pixel (cx + du, cy + dv) at depth z: X = du·z/fx, Y = dv·z/fy.
        return new float[] {du * z / imageCamera.fx(), dv * z / imageCamera.fy(), z};
    }

    /** Random lights: directions towards the light in the camera frame (Z &lt; 0 is the camera's side). */
    private MeshRenderer lighting(SplittableRandom rng) {
        float ambient = minAmbient + (maxAmbient - minAmbient) * rng.nextFloat();
        MeshRenderer.Builder b = MeshRenderer.builder().ambient(ambient)
                .light(3 * rng.nextFloat() - 1.5f, -2 * rng.nextFloat() + 0.3f, -0.3f - 1.7f * rng.nextFloat(),
                        0.45f + 0.5f * rng.nextFloat())
                .specular(0.35f * rng.nextFloat(), 4 + rng.nextInt(60));
        if (rng.nextFloat() < secondLightProbability) {
            b.fillLight(4 * rng.nextFloat() - 2, 2 * rng.nextFloat() - 1, 1.5f - 2.5f * rng.nextFloat(),
                    0.1f + 0.35f * rng.nextFloat());
        } else {
            b.fillLight(1, 0, -1, 0);
        }
        return b.build();
    }

    /**
     * Replaces the global orientation by {@code R_tilt · R_y(yaw)}: yaw uniform over 360° (or in
     * [−maxYaw, maxYaw]), tilt uniform in [0, maxTilt] about a horizontal axis at a uniform angle.
     */
    private SmplParams upright(SmplParams params, SplittableRandom rng) {
        double u = rng.nextDouble();
        double yaw = maxYaw >= Math.PI ? 2 * Math.PI * u : maxYaw * (2 * u - 1);
        double tilt = maxTilt * rng.nextDouble();
        double phi = 2 * Math.PI * rng.nextDouble();
        float[] yawAa = {0, (float) yaw, 0};
        float[] tiltAa = {(float) (tilt * Math.cos(phi)), 0, (float) (tilt * Math.sin(phi))};
        float[] ry = new float[9];
        float[] rt = new float[9];
        float[] r = new float[9];
        Rotations.axisAngleToMatrix(yawAa, 0, ry, 0);
        Rotations.axisAngleToMatrix(tiltAa, 0, rt, 0);
        Rotations.multiply(rt, 0, ry, 0, r, 0);
        float[] pose = params.pose().clone();
        Rotations.matrixToAxisAngle(r, 0, pose, 0);
        return new SmplParams(pose, params.betas(), params.transl());
    }

    private Body body(Gender gender) {
        return bodies.computeIfAbsent(gender, g -> {
            SmplModel m = models.apply(g);
            if (m == null) {
                throw new IllegalArgumentException("models: no body model for " + g);
            }
            return new Body(m, m.faces(), Clothing.layout(m));
        });
    }

    /**
     * The generator seed of sample {@code index}: a 64-bit finaliser (Stafford's mix 13) of both, so nearby
     * indices start unrelated streams.
     */
    static long mix(long seed, long index) {
        long z = mix64(seed ^ 0x6A09E667F3BCC909L) + index * 0x9E3779B97F4A7C15L;
        return mix64(z);
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "SyntheticImageSource[seed=" + seed + ", " + settings + "]";
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * Settings for a {@link SyntheticImageSource}. Each setter checks its value at once and names the current
     * value in its message; {@link #build()} checks the rest. The builder can be reused.
     */
    public static final class Builder {
        private Function<Gender, SmplModel> models = SmplModel::demo;
        private PoseSampler sampler = PoseSampler.anatomical();
        private int size = DEFAULT_SIZE;
        private long seed;
        private PinholeCamera imageCamera = PinholeCamera.blender(640, 480);
        private float minDepth = 3.9f;
        private float maxDepth = 6.4f;
        private float maxOffsetU = 120;
        private float maxOffsetV = 40;
        private boolean sampledOrientation;
        private float maxTilt = 0.15f;
        private float maxYaw = (float) Math.PI;
        private float backgroundProbability = 1;
        private float occluderProbability = 0.35f;
        private int maxOccluders = 2;
        private float paddingProbability = 0.5f;
        private float minAmbient = 0.15f;
        private float maxAmbient = 0.45f;
        private float secondLightProbability = 0.6f;

        private Builder() {
        }

        private Builder copy() {
            Builder b = new Builder();
            b.models = models;
            b.sampler = sampler;
            b.size = size;
            b.seed = seed;
            b.imageCamera = imageCamera;
            b.minDepth = minDepth;
            b.maxDepth = maxDepth;
            b.maxOffsetU = maxOffsetU;
            b.maxOffsetV = maxOffsetV;
            b.sampledOrientation = sampledOrientation;
            b.maxTilt = maxTilt;
            b.maxYaw = maxYaw;
            b.backgroundProbability = backgroundProbability;
            b.occluderProbability = occluderProbability;
            b.maxOccluders = maxOccluders;
            b.paddingProbability = paddingProbability;
            b.minAmbient = minAmbient;
            b.maxAmbient = maxAmbient;
            b.secondLightProbability = secondLightProbability;
            return b;
        }

        /**
         * @param models the body model of each gender, called once per gender (default {@link SmplModel#demo})
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder models(Function<Gender, SmplModel> models) {
            this.models = Checks.notNull("models", models);
            return this;
        }

        /**
         * @param sampler the source of poses, betas and genders (default {@link PoseSampler#anatomical()})
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder sampler(PoseSampler sampler) {
            this.sampler = Checks.notNull("sampler", sampler);
            return this;
        }

        /**
         * @param size the crop's side, pixels, 8 to 4096 (default 256, the release's)
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder size(int size) {
            if (size < 8 || size > 4096) {
                throw new IllegalArgumentException("size: expected 8 to 4096 pixels, got " + size);
            }
            this.size = size;
            return this;
        }

        /** @param seed the seed (default 0) @return this builder */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param camera the camera of the full image the crop is taken from (default
         *               {@link PinholeCamera#blender(int, int) blender(640, 480)}, f = 888.9 px)
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder imageCamera(PinholeCamera camera) {
            this.imageCamera = Checks.notNull("camera", camera);
            return this;
        }

        /**
         * @param min the nearest root depth, metres, finite, &gt; 0 (default 3.9)
         * @param max the farthest root depth, metres, finite, &ge; min (default 6.4)
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder depth(float min, float max) {
            if (!(min > 0 && max >= min && Float.isFinite(max))) {
                throw new IllegalArgumentException("depth: expected finite 0 < min <= max metres, got [" + min + ", "
                        + max + "]");
            }
            this.minDepth = min;
            this.maxDepth = max;
            return this;
        }

        /**
         * @param maxU the largest horizontal distance of the projected root from the image centre, pixels,
         *             finite, &ge; 0 (default 120)
         * @param maxV the largest vertical distance, pixels, finite, &ge; 0 (default 40)
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder rootOffset(float maxU, float maxV) {
            if (!(maxU >= 0 && maxV >= 0 && Float.isFinite(maxU) && Float.isFinite(maxV))) {
                throw new IllegalArgumentException("rootOffset: expected finite values >= 0 pixels, got (" + maxU
                        + ", " + maxV + ")");
            }
            this.maxOffsetU = maxU;
            this.maxOffsetV = maxV;
            return this;
        }

        /**
         * @param on true: keep the sampler's global orientation (the anatomical sampler's is uniform over SO(3));
         *           false (default): upright with random yaw and a small tilt
         * @return this builder
         */
        public Builder sampledOrientation(boolean on) {
            this.sampledOrientation = on;
            return this;
        }

        /**
         * @param radians the largest tilt of an upright body from vertical, 0 to π (default 0.15)
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxTilt(float radians) {
            if (!(radians >= 0 && radians <= Math.PI)) {
                throw new IllegalArgumentException("maxTilt: expected 0 to π radians, got " + radians);
            }
            this.maxTilt = radians;
            return this;
        }

        /**
         * Limits the yaw of upright bodies to [−radians, radians] about facing the camera (yaw 0), e.g. for a
         * training curriculum that shows front views first. At π (the default) the yaw is uniform over 360° and
         * the samples are those of a source built without this call.
         *
         * @param radians the largest |yaw|, 0 to π (default π)
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxYaw(float radians) {
            if (!(radians >= 0 && radians <= (float) Math.PI)) {
                throw new IllegalArgumentException("maxYaw: expected 0 to π radians, got " + radians);
            }
            this.maxYaw = radians;
            return this;
        }

        /**
         * @param p the probability of a procedural background rather than a flat colour, 0 to 1 (default 1)
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder backgroundProbability(float p) {
            this.backgroundProbability = probability("backgroundProbability", p);
            return this;
        }

        /**
         * @param p the probability of occluders on a sample, 0 to 1 (default 0.35, the release's)
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder occluderProbability(float p) {
            this.occluderProbability = probability("occluderProbability", p);
            return this;
        }

        /**
         * @param max the most occluders on one sample, 1 to 16 (default 2); their number is uniform in 1..max
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxOccluders(int max) {
            if (max < 1 || max > 16) {
                throw new IllegalArgumentException("maxOccluders: expected 1 to 16, got " + max);
            }
            this.maxOccluders = max;
            return this;
        }

        /**
         * @param p the probability that the crop's part outside the full image is black, as the release's
         *          zero-filled crops, 0 to 1 (default 0.5)
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder paddingProbability(float p) {
            this.paddingProbability = probability("paddingProbability", p);
            return this;
        }

        /**
         * @param min the least ambient light, finite, &ge; 0 (default 0.15)
         * @param max the most, finite, &ge; min (default 0.45)
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder ambient(float min, float max) {
            if (!(min >= 0 && max >= min && Float.isFinite(max))) {
                throw new IllegalArgumentException("ambient: expected finite 0 <= min <= max, got [" + min + ", "
                        + max + "]");
            }
            this.minAmbient = min;
            this.maxAmbient = max;
            return this;
        }

        /**
         * @param p the probability of a second directional light, 0 to 1 (default 0.6)
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder secondLightProbability(float p) {
            this.secondLightProbability = probability("secondLightProbability", p);
            return this;
        }

        /** @return the source */
        public SyntheticImageSource build() {
            return new SyntheticImageSource(this);
        }

        @Override
        public String toString() {
            return "size=" + size + ", sampler=" + sampler + ", depth=[" + minDepth + ", " + maxDepth
                    + "], rootOffset=±(" + maxOffsetU + ", " + maxOffsetV + "), "
                    + (sampledOrientation ? "sampled orientation" : "upright, maxTilt=" + maxTilt
                    + (maxYaw < (float) Math.PI ? ", maxYaw=" + maxYaw : ""))
                    + ", background=" + backgroundProbability + ", occluders=" + occluderProbability + "×1.."
                    + maxOccluders + ", padding=" + paddingProbability + ", ambient=[" + minAmbient + ", "
                    + maxAmbient + "], secondLight=" + secondLightProbability;
        }

        private static float probability(String name, float p) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException(name + ": expected a probability in [0, 1], got " + p);
            }
            return p;
        }
    }
}
