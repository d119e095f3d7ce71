package dev.smplr.hourglass;

import dev.smplr.core.internal.Checks;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Pixels in and out of {@link BufferedImage}s, and the network's input tensor.
 *
 * <p>Tensor layout: NCHW float32, the layout DL4J convolutions use by default: channels first, channel c of
 * pixel {@code (x, y)} at {@code c*H*W + y*W + x}, channels in the order R, G, B.
 */
final class ImageTensors {
    private ImageTensors() {
    }

    /**
     * The pixels of an image as packed {@code 0xRRGGBB}, row-major ({@code y*W + x}); a fresh array. Alpha is
     * dropped (not composited).
     */
    static int[] rgb(BufferedImage image) {
        Checks.notNull("image", image);
        int w = image.getWidth();
        int h = image.getHeight();
        int[] out;
        int type = image.getType();
        if (type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB) {
            // getDataElements copies rows and honours sub-images; getRGB would convert pixel by pixel.
            out = (int[]) image.getRaster().getDataElements(0, 0, w, h, new int[w * h]);
        } else {
            out = image.getRGB(0, 0, w, h, null, 0, w);
        }
        for (int i = 0; i < out.length; i++) {
            out[i] &= 0xFFFFFF;
        }
        return out;
    }

    /** A new {@link BufferedImage#TYPE_INT_RGB} image holding {@code rgb} (row-major, {@code 0xRRGGBB}). */
    static BufferedImage image(int[] rgb, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(rgb, 0, data, 0, width * height);
        return image;
    }

    /**
     * Per-image standardisation into a new (1, 3, H, W) tensor; see
     * {@link #standardize(BufferedImage, float[], int)}.
     */
    static float[] standardize(BufferedImage image) {
        Checks.notNull("image", image);
        float[] out = new float[3 * image.getWidth() * image.getHeight()];
        standardize(image, out, 0);
        return out;
    }

    /**
     * Per-image standardisation of the 0..255 RGB values, as the release does (TensorFlow's
     * {@code per_image_standardization}):
     * <pre>
     * out = (x − mean) / max(std, 1 / √(H·W·3))
     * </pre>
     * with mean and (population) standard deviation over all pixels and channels. Layout NCHW: channel c of
     * pixel {@code (x, y)} at {@code outOff + c*H*W + y*W + x}, channels R, G, B.
     *
     * @param image  the image. Not modified.
     * @param out    the tensor, at least {@code outOff + 3*H*W} values. Modified.
     * @param outOff index of the first value written
     */
    static void standardize(BufferedImage image, float[] out, int outOff) {
        Checks.notNull("image", image);
        Checks.notNull("out", out);
        int w = image.getWidth();
        int h = image.getHeight();
        int plane = w * h;
        if (outOff < 0 || (long) outOff + 3L * plane > out.length) {
            throw new IllegalArgumentException("out: expected at least " + (outOff + 3L * plane)
                    + " values (offset " + outOff + " + 3×" + h + "×" + w + "), got " + out.length);
        }
        int[] rgb = rgb(image);
        long sum = 0;
        long sumSq = 0;
        for (int p : rgb) {
            int r = (p >>> 16) & 0xFF;
            int g = (p >>> 8) & 0xFF;
            int b = p & 0xFF;
            sum += r + g + b;
            sumSq += r * r + g * g + b * b;
        }
        double n = 3.0 * plane;
        double mean = sum / n;
        // Exact integer sums, so the variance has no cancellation worse than one double rounding.
        double variance = Math.max(0, sumSq / n - mean * mean);
        double std = Math.max(Math.sqrt(variance), 1 / Math.sqrt(n));
        float m = (float) mean;
        float inv = (float) (1 / std);
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            out[outOff + i] = (((p >>> 16) & 0xFF) - m) * inv;
            out[outOff + plane + i] = (((p >>> 8) & 0xFF) - m) * inv;
            out[outOff + 2 * plane + i] = ((p & 0xFF) - m) * inv;
        }
    }
}
