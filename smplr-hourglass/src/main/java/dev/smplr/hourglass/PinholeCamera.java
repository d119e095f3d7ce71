package dev.smplr.hourglass;

import dev.smplr.core.internal.Checks;

/**
 * A pinhole camera without distortion: focal lengths and principal point in pixels, and the image size.
 *
 * <p>Frame: the camera frame has X right, Y down, Z away from the camera (forward), in metres. A point
 * {@code (X, Y, Z)} with {@code Z > 0} projects to
 * <pre>
 * u = fx · X / Z + cx,   v = fy · Y / Z + cy
 * </pre>
 * Pixel coordinates are continuous: pixel {@code (col, row)} covers {@code [col, col + 1) × [row, row + 1)}
 * and its centre is at {@code (col + 0.5, row + 0.5)}; the image spans {@code [0, width] × [0, height]}, so a
 * centred principal point is {@code (width / 2, height / 2)}.
 *
 * @param fx     focal length along u, pixels, &gt; 0
 * @param fy     focal length along v, pixels, &gt; 0
 * @param cx     principal point u, pixels
 * @param cy     principal point v, pixels
 * @param width  image width, pixels, &gt; 0
 * @param height image height, pixels, &gt; 0
 */
public record PinholeCamera(float fx, float fy, float cx, float cy, int width, int height) {
    /** The Blender camera of the release: focal length in millimetres. */
    private static final float BLENDER_FOCAL_MM = 50f;
    /** The Blender camera of the release: sensor width in millimetres. */
    private static final float BLENDER_SENSOR_MM = 36f;

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a focal length is not finite and positive, the principal point is not
     *                                  finite, or a size is not positive
     */
    public PinholeCamera {
        if (!(fx > 0 && Float.isFinite(fx))) {
            throw new IllegalArgumentException("fx: expected a finite focal length > 0 pixels, got " + fx);
        }
        if (!(fy > 0 && Float.isFinite(fy))) {
            throw new IllegalArgumentException("fy: expected a finite focal length > 0 pixels, got " + fy);
        }
        Checks.finite("cx", cx);
        Checks.finite("cy", cy);
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "width, height: expected an image size > 0, got " + width + "×" + height);
        }
    }

    /**
     * The camera of the release's Blender renders (SPEC.md section 8): a 50 mm lens on a 36 mm sensor, fitted to
     * the larger image side as Blender's automatic sensor fit does, square pixels, principal point at the image
     * centre. For 640×480: {@code fx = fy = 640 · 50 / 36 = 888.9} px, principal point (320, 240).
     *
     * @param width  image width, pixels, &gt; 0
     * @param height image height, pixels, &gt; 0
     * @return the camera
     * @throws IllegalArgumentException if a size is not positive
     */
    public static PinholeCamera blender(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "width, height: expected an image size > 0, got " + width + "×" + height);
        }
        float f = Math.max(width, height) * BLENDER_FOCAL_MM / BLENDER_SENSOR_MM;
        return new PinholeCamera(f, f, width / 2f, height / 2f, width, height);
    }

    /**
     * Projects points given in the camera frame to pixels: {@code u = fx·X/Z + cx, v = fy·Y/Z + cy}.
     *
     * @param pointsCam points (n, 3) in the camera frame, metres: point i at {@code 3*i..3*i+2}, each with
     *                  {@code Z > 0}. Not modified.
     * @return pixels (n, 2): point i at {@code (u, v) = 2*i..2*i+1}
     * @throws IllegalArgumentException if the length is not a non-zero multiple of 3, a value is not finite, or a
     *                                  point has {@code Z <= 0} (at or behind the camera)
     */
    public float[] project(float[] pointsCam) {
        int n = Checks.batch("pointsCam", pointsCam, 3, "n×3 camera-frame points");
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            float z = pointsCam[3 * i + 2];
            if (!(z > 0)) {
                throw new IllegalArgumentException("pointsCam[" + i + "]: expected Z > 0 (in front of the camera), got "
                        + z);
            }
            out[2 * i] = fx * pointsCam[3 * i] / z + cx;
            out[2 * i + 1] = fy * pointsCam[3 * i + 1] / z + cy;
        }
        return out;
    }

    /**
     * The same camera looking at a square window of the image, resampled to {@code size × size}: the intrinsics
     * whose projections are pixel coordinates in that crop. With {@code crop = scale · pixel + offset}:
     * {@code fx' = scale·fx, cx' = scale·cx + offsetU} (and likewise for v).
     *
     * @param scale   crop pixels per original pixel, finite, &gt; 0
     * @param offsetU added to u after scaling, pixels
     * @param offsetV added to v after scaling, pixels
     * @param size    the crop's side, pixels, &gt; 0
     * @return the crop's camera
     * @throws IllegalArgumentException if the scale is not finite and positive, an offset is not finite, or the
     *                                  size is not positive
     */
    public PinholeCamera cropped(float scale, float offsetU, float offsetV, int size) {
        if (!(scale > 0 && Float.isFinite(scale))) {
            throw new IllegalArgumentException("scale: expected a finite value > 0, got " + scale);
        }
        Checks.finite("offsetU", offsetU);
        Checks.finite("offsetV", offsetV);
        return new PinholeCamera(scale * fx, scale * fy, scale * cx + offsetU, scale * cy + offsetV, size, size);
    }
}
