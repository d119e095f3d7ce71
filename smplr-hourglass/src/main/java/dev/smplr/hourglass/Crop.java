package dev.smplr.hourglass;

import dev.smplr.core.internal.Checks;
import java.awt.image.BufferedImage;

/**
 * A square window of an image, resampled to {@code size × size}, and the map from the image's pixels to the
 * crop's: {@code crop = scale · pixel + offset}, i.e.
 * <pre>
 * u' = scale · u + offsetU,   v' = scale · v + offsetV
 * </pre>
 * in continuous pixel coordinates (a pixel's centre at {@code +0.5}, see {@link PinholeCamera}). Points are
 * projected into the crop with {@link #toCrop(float[])}, or directly with the crop's camera
 * {@link #camera(PinholeCamera)}.
 *
 * <p>The release's rule ({@link #around}, SPEC.md section 8): the window is the projection of a ±1.25 m cube
 * at the root's depth, side {@code l = f · 2.5 / Z_root} pixels, centred on the projected root; the parts
 * outside the image are black (zero-filled) and the window is resized bilinearly.
 *
 * @param image   the crop, {@link BufferedImage#TYPE_INT_RGB}, {@code size × size}; kept, not copied
 * @param scale   crop pixels per image pixel, &gt; 0
 * @param offsetU added to u after scaling, crop pixels
 * @param offsetV added to v after scaling, crop pixels
 */
public record Crop(BufferedImage image, float scale, float offsetU, float offsetV) {
    /** Half the side of the cube the release's window frames, metres. */
    public static final float HALF_EXTENT_METRES = 1.25f;

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the image is null or not square, or the scale or an offset is not
     *                                  finite, or the scale is not positive
     */
    public Crop {
        Checks.notNull("image", image);
        if (image.getWidth() != image.getHeight()) {
            throw new IllegalArgumentException(
                    "image: expected a square crop, got " + image.getWidth() + "×" + image.getHeight());
        }
        if (!(scale > 0 && Float.isFinite(scale))) {
            throw new IllegalArgumentException("scale: expected a finite value > 0, got " + scale);
        }
        Checks.finite("offsetU", offsetU);
        Checks.finite("offsetV", offsetV);
    }

    /**
     * The release's crop: the window of side {@code l = max(fx, fy) · 2.5 / Z} pixels (the projection of a ±1.25
     * m cube at the root's depth) centred on the root's projection {@code (u_r, v_r)}, resized to
     * {@code size × size}. The map is {@code scale = size / l}, {@code offset = size/2 − scale · (u_r, v_r)}: the
     * root lands on the crop's centre and a point 1.25 m to its right, at its depth, on the crop's right edge.
     *
     * @param camera  the camera that took the image; its size must be the image's
     * @param rootCam the root (pelvis) in the camera frame (3), metres, {@code Z > 0}. Not modified.
     * @param image   the image. Not modified.
     * @param size    the crop's side, pixels, &gt; 0 (the networks use 256)
     * @return the crop
     * @throws IllegalArgumentException if an argument is null, the image's size is not the camera's, the root is
     *                                  not 3 finite values with {@code Z > 0}, or the size is not positive
     */
    public static Crop around(PinholeCamera camera, float[] rootCam, BufferedImage image, int size) {
        Checks.notNull("camera", camera);
        Checks.notNull("image", image);
        if (image.getWidth() != camera.width() || image.getHeight() != camera.height()) {
            throw new IllegalArgumentException("image: expected the camera's size " + camera.width() + "×"
                    + camera.height() + ", got " + image.getWidth() + "×" + image.getHeight());
        }
        float[] w = window(camera, rootCam);
        return square(image, w[0], w[1], w[2], size);
    }

    /**
     * The crop's camera for the release's window without resampling any image: the intrinsics whose projections
     * are crop pixels, so a scene can be rendered straight into the crop ({@code size × size}).
     *
     * @param camera  the full image's camera
     * @param rootCam the root in the camera frame (3), metres, {@code Z > 0}. Not modified.
     * @param size    the crop's side, pixels, &gt; 0
     * @return the crop's camera
     * @throws IllegalArgumentException if an argument is null, the root is not 3 finite values with
     *                                  {@code Z > 0}, or the size is not positive
     */
    public static PinholeCamera cameraAround(PinholeCamera camera, float[] rootCam, int size) {
        Checks.notNull("camera", camera);
        checkSize(size);
        float[] w = window(camera, rootCam);
        float scale = size / w[2];
        return camera.cropped(scale, size / 2f - scale * w[0], size / 2f - scale * w[1], size);
    }

    /**
     * Any square window: centre {@code (centreU, centreV)} and side {@code side} in image pixels, resized to
     * {@code size × size} by bilinear interpolation between pixel centres; samples outside the image are
     * black.
     *
     * @param image   the image (alpha, if any, is ignored). Not modified.
     * @param centreU the window's centre, u, image pixels
     * @param centreV the window's centre, v, image pixels
     * @param side    the window's side, image pixels, finite, &gt; 0
     * @param size    the crop's side, pixels, &gt; 0
     * @return the crop
     * @throws IllegalArgumentException if the image is null, a value is not finite, or the side or size is not
     *                                  positive
     */
    public static Crop square(BufferedImage image, float centreU, float centreV, float side, int size) {
        Checks.notNull("image", image);
        Checks.finite("centreU", centreU);
        Checks.finite("centreV", centreV);
        if (!(side > 0 && Float.isFinite(side))) {
            throw new IllegalArgumentException("side: expected a finite window side > 0 pixels, got " + side);
        }
        checkSize(size);
        float scale = size / side;
        float offsetU = size / 2f - scale * centreU;
        float offsetV = size / 2f - scale * centreV;
        int[] src = ImageTensors.rgb(image);
        int[] dst = resample(src, image.getWidth(), image.getHeight(), scale, offsetU, offsetV, size);
        return new Crop(ImageTensors.image(dst, size, size), scale, offsetU, offsetV);
    }

    /** @return the crop's side, pixels */
    public int size() {
        return image.getWidth();
    }

    /**
     * The camera of the original image seen through this crop (see {@link PinholeCamera#cropped}).
     *
     * @param original the camera of the image this crop was taken from
     * @return the crop's camera
     * @throws IllegalArgumentException if original is null
     */
    public PinholeCamera camera(PinholeCamera original) {
        Checks.notNull("original", original);
        return original.cropped(scale, offsetU, offsetV, size());
    }

    /**
     * Maps image pixels into the crop: {@code (u', v') = scale · (u, v) + (offsetU, offsetV)}.
     *
     * @param pixels (n, 2) image pixel coordinates, point i at {@code 2*i..2*i+1}. Not modified.
     * @return (n, 2) crop pixel coordinates
     * @throws IllegalArgumentException if the length is not a non-zero multiple of 2 or a value is not finite
     */
    public float[] toCrop(float[] pixels) {
        int n = Checks.batch("pixels", pixels, 2, "n×2 pixel coordinates");
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            out[2 * i] = scale * pixels[2 * i] + offsetU;
            out[2 * i + 1] = scale * pixels[2 * i + 1] + offsetV;
        }
        return out;
    }

    /**
     * Maps crop pixels back to the image: {@code (u, v) = ((u', v') − offset) / scale}.
     *
     * @param cropPixels (n, 2) crop pixel coordinates. Not modified.
     * @return (n, 2) image pixel coordinates
     * @throws IllegalArgumentException if the length is not a non-zero multiple of 2 or a value is not finite
     */
    public float[] toImage(float[] cropPixels) {
        int n = Checks.batch("cropPixels", cropPixels, 2, "n×2 pixel coordinates");
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            out[2 * i] = (cropPixels[2 * i] - offsetU) / scale;
            out[2 * i + 1] = (cropPixels[2 * i + 1] - offsetV) / scale;
        }
        return out;
    }

    @Override
    public String toString() {
        return "Crop[" + size() + "×" + size() + ", scale=" + scale + ", offset=(" + offsetU + ", " + offsetV + ")]";
    }

    /** {@code (u_r, v_r, l)}: the projected root and the window side. */
    private static float[] window(PinholeCamera camera, float[] rootCam) {
        Checks.rows("rootCam", rootCam, 1, 3, "x, y, z in the camera frame");
        float z = rootCam[2];
        if (!(z > 0)) {
            throw new IllegalArgumentException("rootCam: expected Z > 0 (in front of the camera), got " + z);
        }
        float[] uv = camera.project(rootCam);
        // The release projects r ± (1.25, 1.25, 0) and takes max(Δu, Δv).
        float side = Math.max(camera.fx(), camera.fy()) * 2 * HALF_EXTENT_METRES / z;
        return new float[] {uv[0], uv[1], side};
    }

    private static void checkSize(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size: expected a crop side > 0 pixels, got " + size);
        }
    }

    /**
     * Bilinear resampling: crop pixel {@code (i, j)} takes the image at {@code ((i + 0.5 − offsetU) / scale,
     * (j + 0.5 − offsetV) / scale)}, interpolating between the four nearest pixel centres, with black outside.
     */
    static int[] resample(int[] src, int width, int height, float scale, float offsetU, float offsetV,
            int size) {
        int[] dst = new int[size * size];
        double inv = 1.0 / scale;
        // Per column (and row) the source position, as the left (top) pixel index and the weight of the next.
        int[] x0 = new int[size];
        float[] wx = new float[size];
        for (int i = 0; i < size; i++) {
            double u = (i + 0.5 - offsetU) * inv - 0.5; // in pixel-index space, centres at integers
            double fl = Math.floor(u);
            x0[i] = (int) Math.max(-2, Math.min(width + 1, fl));
            wx[i] = (float) (u - fl);
        }
        for (int j = 0; j < size; j++) {
            double v = (j + 0.5 - offsetV) * inv - 0.5;
            double fl = Math.floor(v);
            int y0 = (int) Math.max(-2, Math.min(height + 1, fl));
            float wy = (float) (v - fl);
            for (int i = 0; i < size; i++) {
                int xa = x0[i];
                float w = wx[i];
                int p00 = pixel(src, width, height, xa, y0);
                int p10 = pixel(src, width, height, xa + 1, y0);
                int p01 = pixel(src, width, height, xa, y0 + 1);
                int p11 = pixel(src, width, height, xa + 1, y0 + 1);
                int rgb = 0;
                for (int shift = 16; shift >= 0; shift -= 8) {
                    float top = (1 - w) * ((p00 >>> shift) & 0xFF) + w * ((p10 >>> shift) & 0xFF);
                    float bottom = (1 - w) * ((p01 >>> shift) & 0xFF) + w * ((p11 >>> shift) & 0xFF);
                    int c = (int) ((1 - wy) * top + wy * bottom + 0.5f);
                    rgb |= Math.min(255, c) << shift;
                }
                dst[j * size + i] = rgb;
            }
        }
        return dst;
    }

    private static int pixel(int[] src, int width, int height, int x, int y) {
        return x < 0 || y < 0 || x >= width || y >= height ? 0 : src[y * width + x];
    }
}
