package dev.smplr.hourglass;

import dev.smplr.core.internal.Checks;
import java.awt.image.BufferedImage;
import java.util.random.RandomGenerator;

/**
 * Random procedural backgrounds for synthetic images (no photo dataset ships with the project): smooth value
 * noise through a random palette, linear gradients, soft stripes and rotated checkers, sometimes two of them
 * blended through a noise mask, plus a little grain. The same generator state gives the same image.
 */
final class Backgrounds {
    private static final int KINDS = 4;

    private Backgrounds() {
    }

    /**
     * A random background.
     *
     * @param width  pixels, &gt; 0
     * @param height pixels, &gt; 0
     * @param rng    the source of randomness; advanced
     * @return a new {@link BufferedImage#TYPE_INT_RGB} image
     */
    static BufferedImage random(int width, int height, RandomGenerator rng) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("width, height: expected a size > 0, got " + width + "×" + height);
        }
        Checks.notNull("rng", rng);
        float[] a = layer(width, height, rng);
        if (rng.nextDouble() < 0.5) {
            float[] b = layer(width, height, rng);
            float[] t = valueNoise(width, height, 1 + rng.nextInt(4), 2, rng);
            float sharp = 1 + 6 * rng.nextFloat();
            for (int i = 0; i < width * height; i++) {
                float m = clamp01((t[i] - 0.5f) * sharp + 0.5f);
                for (int c = 0; c < 3; c++) {
                    a[3 * i + c] = (1 - m) * a[3 * i + c] + m * b[3 * i + c];
                }
            }
        }
        float grain = 8 * rng.nextFloat();
        int[] rgb = new int[width * height];
        for (int i = 0; i < rgb.length; i++) {
            int r = channel(a[3 * i] + grain * (float) rng.nextGaussian());
            int g = channel(a[3 * i + 1] + grain * (float) rng.nextGaussian());
            int b = channel(a[3 * i + 2] + grain * (float) rng.nextGaussian());
            rgb[i] = (r << 16) | (g << 8) | b;
        }
        return ImageTensors.image(rgb, width, height);
    }

    /** One pattern as (H·W, 3) values 0..255. */
    private static float[] layer(int width, int height, RandomGenerator rng) {
        int kind = rng.nextInt(KINDS);
        float[] c0 = randomColor(rng);
        float[] c1 = randomColor(rng);
        float[] out = new float[3 * width * height];
        float[] t;
        switch (kind) {
            case 0 -> {
                t = valueNoise(width, height, 2 + rng.nextInt(7), 1 + rng.nextInt(4), rng);
                float[] c2 = randomColor(rng);
                for (int i = 0; i < width * height; i++) {
                    float s = t[i];
                    float[] lo = s < 0.5f ? c0 : c1;
                    float[] hi = s < 0.5f ? c1 : c2;
                    float w = s < 0.5f ? 2 * s : 2 * s - 1;
                    for (int c = 0; c < 3; c++) {
                        out[3 * i + c] = (1 - w) * lo[c] + w * hi[c];
                    }
                }
                return out;
            }
            case 1 -> t = gradient(width, height, rng);
            case 2 -> t = stripes(width, height, rng);
            default -> t = checker(width, height, rng);
        }
        for (int i = 0; i < width * height; i++) {
            for (int c = 0; c < 3; c++) {
                out[3 * i + c] = (1 - t[i]) * c0[c] + t[i] * c1[c];
            }
        }
        return out;
    }

    /**
     * Fractal value noise in [0, 1]: random values on a lattice of {@code cells} cells across the larger side,
     * smoothstep-interpolated, summed over {@code octaves} octaves of doubling frequency and halving amplitude.
     */
    static float[] valueNoise(int width, int height, int cells, int octaves, RandomGenerator rng) {
        float[] out = new float[width * height];
        float amplitude = 1;
        float total = 0;
        int n = cells;
        int side = Math.max(width, height);
        for (int o = 0; o < octaves; o++) {
            int gx = n + 2;
            float[] lattice = new float[gx * gx];
            for (int i = 0; i < lattice.length; i++) {
                lattice[i] = rng.nextFloat();
            }
            float step = (float) n / side;
            for (int y = 0; y < height; y++) {
                float fy = (y + 0.5f) * step;
                int iy = (int) fy;
                float ty = smooth(fy - iy);
                for (int x = 0; x < width; x++) {
                    float fx = (x + 0.5f) * step;
                    int ix = (int) fx;
                    float tx = smooth(fx - ix);
                    float top = (1 - tx) * lattice[iy * gx + ix] + tx * lattice[iy * gx + ix + 1];
                    float bottom = (1 - tx) * lattice[(iy + 1) * gx + ix] + tx * lattice[(iy + 1) * gx + ix + 1];
                    out[y * width + x] += amplitude * ((1 - ty) * top + ty * bottom);
                }
            }
            total += amplitude;
            amplitude /= 2;
            n *= 2;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= total;
        }
        return out;
    }

    private static float[] gradient(int width, int height, RandomGenerator rng) {
        double angle = 2 * Math.PI * rng.nextDouble();
        float ca = (float) Math.cos(angle), sa = (float) Math.sin(angle);
        float half = 0.5f * (Math.abs(ca) * width + Math.abs(sa) * height);
        float[] t = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float d = ca * (x - width / 2f) + sa * (y - height / 2f);
                t[y * width + x] = clamp01(0.5f + 0.5f * d / half);
            }
        }
        return t;
    }

    private static float[] stripes(int width, int height, RandomGenerator rng) {
        double angle = Math.PI * rng.nextDouble();
        float ca = (float) Math.cos(angle), sa = (float) Math.sin(angle);
        float period = Math.max(width, height) / (2 + 18 * rng.nextFloat());
        float sharp = 1 + 9 * rng.nextFloat(); // 1: sine-like, 10: nearly hard-edged
        float phase = rng.nextFloat();
        float[] t = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float s = (float) Math.sin(2 * Math.PI * ((ca * x + sa * y) / period + phase));
                t[y * width + x] = clamp01(0.5f + 0.5f * sharp * s);
            }
        }
        return t;
    }

    private static float[] checker(int width, int height, RandomGenerator rng) {
        double angle = Math.PI / 2 * rng.nextDouble();
        float ca = (float) Math.cos(angle), sa = (float) Math.sin(angle);
        float cell = Math.max(width, height) / (3 + 17 * rng.nextFloat());
        float[] t = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float u = (ca * x + sa * y) / cell;
                float v = (-sa * x + ca * y) / cell;
                t[y * width + x] = ((int) Math.floor(u) + (int) Math.floor(v) & 1) == 0 ? 0 : 1;
            }
        }
        return t;
    }

    /** A random colour (0..255 per channel) from HSV with any hue, saturation and a value of at least 0.08. */
    static float[] randomColor(RandomGenerator rng) {
        float h = rng.nextFloat() * 6;
        float s = rng.nextFloat();
        float v = 0.08f + 0.92f * rng.nextFloat();
        int sector = Math.min(5, (int) h);
        float f = h - sector;
        float p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
        float[] rgb = switch (sector) {
            case 0 -> new float[] {v, t, p};
            case 1 -> new float[] {q, v, p};
            case 2 -> new float[] {p, v, t};
            case 3 -> new float[] {p, q, v};
            case 4 -> new float[] {t, p, v};
            default -> new float[] {v, p, q};
        };
        for (int c = 0; c < 3; c++) {
            rgb[c] *= 255;
        }
        return rgb;
    }

    private static float smooth(float t) {
        return t * t * (3 - 2 * t);
    }

    private static float clamp01(float t) {
        return t < 0 ? 0 : Math.min(t, 1);
    }

    private static int channel(float c) {
        return c <= 0 ? 0 : Math.min(255, (int) (c + 0.5f));
    }
}
