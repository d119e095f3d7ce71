package dev.smplr.hourglass;

import dev.smplr.core.KinematicTree;
import dev.smplr.smpl.SmplModel;
import java.util.random.RandomGenerator;

/**
 * Clothing-like vertex colours for a body model's mesh: skin, hair, a shirt, trousers and shoes, each garment a
 * random colour with a random pattern (plain, stripes, plaid or mottled noise), for {@link SyntheticImageSource}.
 * Most shirts also have a front that differs from their back (a V or scoop neckline, a chest print), as real
 * clothes do: without such cues a body seen from behind looks like its mirror image seen from the front, and a
 * network cannot tell its left limbs from its right.
 *
 * <p>Parts. Each vertex of the rest mesh ({@code v_template}, β = 0) is given to the nearest bone segment of
 * the rest skeleton (parent joint to child joint, plus short segments past the head, hands and feet), which
 * names its region (head, neck, torso, hips, upper arm, forearm, hand, thigh, shin, foot) and its position
 * along the bone ({@code t} in [0, 1]). This stands in for the dominant skinning joint, which the model does
 * not expose, and works for any SMPL-structured mesh. An outfit then maps regions to garments: the waist height
 * splits the torso into shirt and trousers, the sleeve length cuts the arms at a {@code t}, the trouser length
 * cuts the legs, the collar height splits the neck, and a hairline plane tilted backwards marks hair.
 *
 * <p>Patterns are functions of the rest position, so they follow the body when it moves. Colours are packed
 * {@code 0xRRGGBB}, one per vertex, for {@link ColoredMesh#perVertex}.
 */
final class Clothing {
    static final byte HEAD = 0;
    static final byte NECK = 1;
    static final byte TORSO = 2;
    static final byte HIPS = 3;
    static final byte UPPER_ARM = 4;
    static final byte FOREARM = 5;
    static final byte HAND = 6;
    static final byte THIGH = 7;
    static final byte SHIN = 8;
    static final byte FOOT = 9;

    /** Region of the segment that ends at SMPL joint c (its parent to c), for c = 0..23 (0 unused). */
    private static final byte[] SEGMENT_REGION = {
        TORSO, HIPS, HIPS, TORSO, THIGH, THIGH, TORSO, SHIN, SHIN, TORSO, FOOT, FOOT,
        TORSO, TORSO, TORSO, NECK, TORSO, TORSO, UPPER_ARM, UPPER_ARM, FOREARM, FOREARM, HAND, HAND};
    /** Segments past the leaf joints: joint, region, length in metres (along parent → joint). */
    private static final int[] LEAF_JOINTS = {15, 22, 23, 10, 11};
    private static final byte[] LEAF_REGION = {HEAD, HAND, HAND, FOOT, FOOT};
    private static final float[] LEAF_LENGTH = {0.24f, 0.10f, 0.10f, 0.08f, 0.08f};

    private static final int[][] SKIN_TONES = {
        {255, 224, 196}, {241, 194, 160}, {224, 172, 128}, {198, 140, 100}, {160, 105, 70}, {120, 78, 50},
        {85, 55, 35}};
    private static final int[][] HAIR_COLORS = {
        {25, 18, 14}, {55, 35, 22}, {95, 62, 35}, {150, 110, 60}, {205, 170, 110}, {140, 60, 28}, {170, 170, 170}};

    private Clothing() {
    }

    /** A model's per-vertex regions, computed once per model. */
    static final class Layout {
        final int vertexCount;
        /** (V): the region of each vertex. */
        final byte[] region;
        /** (V): the position along the vertex's segment, 0 at the parent joint, 1 at the child. */
        final float[] along;
        /** (V, 3): the rest positions (canonical frame: Y up, +X left, +Z front), metres. */
        final float[] rest;
        final float pelvisY;
        final float neckY;
        final float headY;
        final float headZ;
        /** Height and depth of spine3 (SMPL joint 9), the chest's centre; front-facing vertices lie ahead of it. */
        final float chestY;
        final float chestZ;

        Layout(float[] rest, byte[] region, float[] along, float[] joints) {
            this.vertexCount = region.length;
            this.region = region;
            this.along = along;
            this.rest = rest;
            this.pelvisY = joints[1];
            this.neckY = joints[3 * 12 + 1];
            this.headY = joints[3 * 15 + 1];
            this.headZ = joints[3 * 15 + 2];
            this.chestY = joints[3 * 9 + 1];
            this.chestZ = joints[3 * 9 + 2];
        }
    }

    /**
     * The regions of a model's rest mesh (β = 0): each vertex goes to its nearest segment.
     *
     * @param model the body model
     * @return the layout
     */
    static Layout layout(SmplModel model) {
        float[] v = model.template();
        float[] j = model.restJoints(new float[0]);
        KinematicTree tree = KinematicTree.smpl();
        int segments = 23 + LEAF_JOINTS.length;
        float[] a = new float[3 * segments];
        float[] b = new float[3 * segments];
        byte[] segRegion = new byte[segments];
        for (int c = 1; c < 24; c++) {
            int p = tree.parent(c);
            int s = c - 1;
            System.arraycopy(j, 3 * p, a, 3 * s, 3);
            System.arraycopy(j, 3 * c, b, 3 * s, 3);
            segRegion[s] = SEGMENT_REGION[c];
        }
        for (int k = 0; k < LEAF_JOINTS.length; k++) {
            int c = LEAF_JOINTS[k];
            int p = tree.parent(c);
            int s = 23 + k;
            double dx = j[3 * c] - j[3 * p], dy = j[3 * c + 1] - j[3 * p + 1], dz = j[3 * c + 2] - j[3 * p + 2];
            double len = Math.sqrt(dx * dx + dy * dy + dz * dz);
            double scale = len > 0 ? LEAF_LENGTH[k] / len : 0;
            System.arraycopy(j, 3 * c, a, 3 * s, 3);
            b[3 * s] = (float) (j[3 * c] + scale * dx);
            b[3 * s + 1] = (float) (j[3 * c + 1] + scale * dy);
            b[3 * s + 2] = (float) (j[3 * c + 2] + scale * dz);
            segRegion[s] = LEAF_REGION[k];
        }
        int n = v.length / 3;
        byte[] region = new byte[n];
        float[] along = new float[n];
        for (int i = 0; i < n; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int s = 0; s < segments; s++) {
                // t = clamp(((x − a)·(b − a)) / |b − a|², 0, 1); distance to a + t (b − a)
                double ex = b[3 * s] - a[3 * s], ey = b[3 * s + 1] - a[3 * s + 1], ez = b[3 * s + 2] - a[3 * s + 2];
                double wx = v[3 * i] - a[3 * s], wy = v[3 * i + 1] - a[3 * s + 1], wz = v[3 * i + 2] - a[3 * s + 2];
                double ee = ex * ex + ey * ey + ez * ez;
                double t = ee > 0 ? Math.max(0, Math.min(1, (wx * ex + wy * ey + wz * ez) / ee)) : 0;
                double dx = wx - t * ex, dy = wy - t * ey, dz = wz - t * ez;
                double d = dx * dx + dy * dy + dz * dz;
                if (d < best) {
                    best = d;
                    region[i] = segRegion[s];
                    along[i] = (float) t;
                }
            }
        }
        return new Layout(v, region, along, j);
    }

    /**
     * A random outfit's vertex colours.
     *
     * @param layout the model's layout
     * @param rng    the source of randomness; advanced
     * @return V colours {@code 0xRRGGBB}
     */
    static int[] colors(Layout layout, RandomGenerator rng) {
        float[] skin = skinTone(rng);
        boolean bald = rng.nextFloat() < 0.12f;
        float[] hair = mix(HAIR_COLORS[rng.nextInt(HAIR_COLORS.length)], rng, 15);
        float hairline = 0.02f + 0.07f * rng.nextFloat();
        float hairBack = 0.6f + 1.4f * rng.nextFloat(); // larger: hair lower down the back of the head
        Garment shirt = Garment.random(rng, false);
        Garment trousers = Garment.random(rng, true);
        Garment shoes = new Garment(shoeColor(rng), shoeColor(rng), 0, 0.1f, 0, 0, rng.nextLong());
        float waist = layout.pelvisY + 0.03f + 0.12f * rng.nextFloat();
        float collar = layout.neckY - 0.08f * rng.nextFloat();
        // Front-only features, as real clothes have: a neckline lower in front (V or scoop) and a chest print.
        // They tell the front from the back, which a symmetric outfit cannot: seen from behind, a mirrored pose
        // has the same silhouette with left and right swapped.
        Neckline neckline = rng.nextFloat() < 0.8f ? Neckline.random(rng) : null;
        Print print = rng.nextFloat() < 0.7f ? Print.random(layout, shirt, rng) : null;
        // Sleeves: 0 sleeveless, to t on the upper arm (short), or 1 + t on the forearm (long).
        float sleeve = switch (rng.nextInt(5)) {
            case 0 -> 0.05f;
            case 1, 2 -> 0.3f + 0.5f * rng.nextFloat();
            default -> 1.7f + 0.3f * rng.nextFloat();
        };
        // Legs: shorts end on the thigh, trousers on the shin.
        float legs = rng.nextFloat() < 0.25f ? 0.35f + 0.55f * rng.nextFloat() : 1.85f + 0.15f * rng.nextFloat();
        float gloss = 0.5f + 0.5f * rng.nextFloat();
        long skinSeed = rng.nextLong();

        int n = layout.vertexCount;
        int[] out = new int[n];
        float[] c = new float[3];
        for (int i = 0; i < n; i++) {
            float x = layout.rest[3 * i], y = layout.rest[3 * i + 1], z = layout.rest[3 * i + 2];
            float t = layout.along[i];
            Garment g;
            switch (layout.region[i]) {
                case HEAD, NECK -> {
                    boolean isHair = !bald && (y - layout.headY) + hairBack * (layout.headZ - z) > hairline;
                    g = isHair ? null : Garment.SKIN;
                    if (isHair) {
                        float shade = 0.85f + 0.3f * Noise.value(40 * x, 40 * y, 40 * z, skinSeed);
                        set(c, hair, shade);
                        out[i] = pack(c);
                        continue;
                    }
                }
                case TORSO -> {
                    boolean front = z > layout.chestZ;
                    if (y < waist) {
                        g = trousers;
                    } else if (y > collar || front && neckline != null && neckline.open(x, y, collar)) {
                        g = Garment.SKIN;
                    } else if (front && print != null && print.covers(x, y)) {
                        set(c, print.color, 1);
                        out[i] = pack(c);
                        continue;
                    } else {
                        g = shirt;
                    }
                }
                case HIPS -> g = trousers;
                case UPPER_ARM -> g = t < sleeve ? shirt : Garment.SKIN;
                case FOREARM -> g = 1 + t < sleeve ? shirt : Garment.SKIN;
                case THIGH -> g = t < legs ? trousers : Garment.SKIN;
                case SHIN -> g = 1 + t < legs ? trousers : Garment.SKIN;
                case FOOT -> g = shoes;
                default -> g = Garment.SKIN;
            }
            if (g == Garment.SKIN) {
                float shade = 0.93f + 0.14f * Noise.value(12 * x, 12 * y, 12 * z, skinSeed);
                set(c, skin, shade);
            } else {
                g.color(x, y, z, c);
                float shade = 1 - 0.2f * gloss * Noise.value(9 * x, 9 * y, 9 * z, g.seed ^ 0x5bd1e995L);
                c[0] *= shade;
                c[1] *= shade;
                c[2] *= shade;
            }
            out[i] = pack(c);
        }
        return out;
    }

    /** A neckline below the collar at the front: a V ({@code v}) or a scoop, {@code drop} metres deep at x = 0. */
    private record Neckline(boolean v, float drop, float halfWidth) {
        static Neckline random(RandomGenerator rng) {
            return new Neckline(rng.nextBoolean(), 0.06f + 0.12f * rng.nextFloat(), 0.07f + 0.07f * rng.nextFloat());
        }

        /** Whether front point (x, y) is skin, below a collar at height {@code collar}. */
        boolean open(float x, float y, float collar) {
            float u = Math.abs(x) / halfWidth;
            if (u >= 1) {
                return false;
            }
            float depth = v ? drop * (1 - u) : drop * (float) Math.sqrt(1 - u * u);
            return y > collar - depth;
        }
    }

    /** A print on the front of the shirt: an axis-aligned box (rest x, y) in a colour that stands out. */
    private record Print(float[] color, float centerY, float halfWidth, float halfHeight) {
        static Print random(Layout layout, Garment shirt, RandomGenerator rng) {
            float[] color;
            float r = rng.nextFloat();
            if (r < 0.3f) {
                color = new float[] {235, 235, 230};
            } else if (r < 0.5f) {
                color = new float[] {20, 20, 22};
            } else {
                color = Backgrounds.randomColor(rng);
            }
            // Keep it visible: push it away from the shirt's main colour when the two are close.
            float[] base = shirt.c0;
            float dist = Math.abs(color[0] - base[0]) + Math.abs(color[1] - base[1]) + Math.abs(color[2] - base[2]);
            if (dist < 150) {
                for (int k = 0; k < 3; k++) {
                    color[k] = base[k] > 128 ? base[k] * 0.25f : 255 - 0.25f * (255 - base[k]);
                }
            }
            float halfHeight = 0.04f + 0.06f * rng.nextFloat();
            return new Print(color, layout.chestY - 0.02f + 0.06f * rng.nextFloat(), 0.05f + 0.07f * rng.nextFloat(),
                    halfHeight);
        }

        boolean covers(float x, float y) {
            return Math.abs(x) < halfWidth && Math.abs(y - centerY) < halfHeight;
        }
    }

    /** A garment: two colours and a pattern that mixes them as a function of the rest position. */
    private record Garment(float[] c0, float[] c1, int pattern, float period, float angle, float sharp, long seed) {
        static final Garment SKIN = new Garment(new float[3], new float[3], 0, 1, 0, 0, 0);

        static Garment random(RandomGenerator rng, boolean trousers) {
            float[] c0 = trousers ? trouserColor(rng) : Backgrounds.randomColor(rng);
            float[] c1 = Backgrounds.randomColor(rng);
            if (rng.nextFloat() < 0.4f) {
                // A lighter or darker shade of the same colour, as in many printed fabrics.
                float s = 0.5f + rng.nextFloat();
                c1 = new float[] {Math.min(255, s * c0[0]), Math.min(255, s * c0[1]), Math.min(255, s * c0[2])};
            }
            int pattern = trousers ? (rng.nextFloat() < 0.7f ? 0 : 3) : rng.nextInt(4);
            float period = 0.04f + 0.14f * rng.nextFloat();
            float angle = rng.nextFloat() < 0.7f ? 0 : (float) (Math.PI * rng.nextFloat());
            float sharp = 1 + 6 * rng.nextFloat();
            return new Garment(c0, c1, pattern, period, angle, sharp, rng.nextLong());
        }

        /** The colour at rest position (x, y, z), 0..255 per channel, into {@code out}. */
        void color(float x, float y, float z, float[] out) {
            float m;
            switch (pattern) {
                case 1 -> m = stripe(y * (float) Math.cos(angle) + x * (float) Math.sin(angle));
                case 2 -> m = Math.max(stripe(y), stripe(x + 0.7f * z)); // plaid
                case 3 -> {
                    float s = Noise.value(x / period, y / period, z / period, seed);
                    m = Math.max(0, Math.min(1, 0.5f + sharp * 0.5f * (s - 0.5f)));
                }
                default -> m = 0;
            }
            for (int k = 0; k < 3; k++) {
                out[k] = (1 - m) * c0[k] + m * c1[k];
            }
        }

        private float stripe(float s) {
            float w = (float) Math.sin(2 * Math.PI * s / period);
            return Math.max(0, Math.min(1, 0.5f + 0.5f * sharp * w));
        }
    }

    private static float[] skinTone(RandomGenerator rng) {
        float t = rng.nextFloat() * (SKIN_TONES.length - 1);
        int k = Math.min(SKIN_TONES.length - 2, (int) t);
        float w = t - k;
        float[] c = new float[3];
        for (int i = 0; i < 3; i++) {
            c[i] = (1 - w) * SKIN_TONES[k][i] + w * SKIN_TONES[k + 1][i] + 8 * (float) rng.nextGaussian();
        }
        return c;
    }

    private static float[] trouserColor(RandomGenerator rng) {
        return switch (rng.nextInt(5)) {
            case 0, 1 -> new float[] {30 + 30 * rng.nextFloat(), 50 + 40 * rng.nextFloat(), 100 + 60 * rng.nextFloat()};
            case 2 -> {
                float g = 20 + 100 * rng.nextFloat();
                yield new float[] {g, g, g};
            }
            case 3 -> new float[] {170 + 40 * rng.nextFloat(), 150 + 30 * rng.nextFloat(), 100 + 30 * rng.nextFloat()};
            default -> Backgrounds.randomColor(rng);
        };
    }

    private static float[] shoeColor(RandomGenerator rng) {
        if (rng.nextFloat() < 0.6f) {
            float g = rng.nextFloat() < 0.7f ? 15 + 60 * rng.nextFloat() : 200 + 50 * rng.nextFloat();
            return new float[] {g, g, g};
        }
        return Backgrounds.randomColor(rng);
    }

    private static float[] mix(int[] base, RandomGenerator rng, float jitter) {
        return new float[] {base[0] + jitter * (float) rng.nextGaussian(), base[1] + jitter * (float) rng.nextGaussian(),
            base[2] + jitter * (float) rng.nextGaussian()};
    }

    private static void set(float[] out, float[] c, float shade) {
        out[0] = c[0] * shade;
        out[1] = c[1] * shade;
        out[2] = c[2] * shade;
    }

    private static int pack(float[] c) {
        int r = (int) Math.max(0, Math.min(255, c[0] + 0.5f));
        int g = (int) Math.max(0, Math.min(255, c[1] + 0.5f));
        int b = (int) Math.max(0, Math.min(255, c[2] + 0.5f));
        return (r << 16) | (g << 8) | b;
    }

    /** Smooth 3D value noise in [0, 1]: hashed lattice values, smoothstep-interpolated (trilinear). */
    static final class Noise {
        private Noise() {
        }

        static float value(float x, float y, float z, long seed) {
            int ix = (int) Math.floor(x), iy = (int) Math.floor(y), iz = (int) Math.floor(z);
            float fx = smooth(x - ix), fy = smooth(y - iy), fz = smooth(z - iz);
            float c000 = lattice(ix, iy, iz, seed), c100 = lattice(ix + 1, iy, iz, seed);
            float c010 = lattice(ix, iy + 1, iz, seed), c110 = lattice(ix + 1, iy + 1, iz, seed);
            float c001 = lattice(ix, iy, iz + 1, seed), c101 = lattice(ix + 1, iy, iz + 1, seed);
            float c011 = lattice(ix, iy + 1, iz + 1, seed), c111 = lattice(ix + 1, iy + 1, iz + 1, seed);
            float y0 = lerp(lerp(c000, c100, fx), lerp(c010, c110, fx), fy);
            float y1 = lerp(lerp(c001, c101, fx), lerp(c011, c111, fx), fy);
            return lerp(y0, y1, fz);
        }

        private static float lattice(int x, int y, int z, long seed) {
            long h = seed ^ (x * 0x9E3779B97F4A7C15L) ^ (y * 0xC2B2AE3D27D4EB4FL) ^ (z * 0x165667B19E3779F9L);
            h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
            h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
            h ^= h >>> 31;
            return (h >>> 40) / (float) (1 << 24);
        }

        private static float smooth(float t) {
            return t * t * (3 - 2 * t);
        }

        private static float lerp(float a, float b, float t) {
            return a + t * (b - a);
        }
    }
}
