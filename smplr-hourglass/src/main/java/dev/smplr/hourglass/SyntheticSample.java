package dev.smplr.hourglass;

import dev.smplr.core.Gender;
import dev.smplr.core.SmplrPoints;
import dev.smplr.core.internal.Checks;
import dev.smplr.smpl.SmplParams;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Objects;

/**
 * One synthetic training image from {@link SyntheticImageSource}: the person crop, its 41 ground-truth points
 * and the body that was drawn, with the camera and placement that relate them.
 *
 * <p>Frames: {@code points41} are root-relative, in the camera frame (X right, Y down, Z away from the camera),
 * metres (SPEC.md 15.1). {@code params} describe the body in the body model's canonical frame ("the world"): the
 * posed mesh is {@code model.forward(params)}, and {@code bodyToCamera} moves it in front of the camera, so
 * {@code root = bodyToCamera.apply(joint 0)}, {@code points41[i] = R · (point_i − joint 0)} with R the
 * rotation of {@code bodyToCamera}, and {@code camera.project(root + points41[i])} is point i's pixel in the
 * crop.
 *
 * <p>Arrays and the image are kept, not copied: they must not be modified. {@code equals} compares the
 * array contents and the crop's pixels.
 *
 * @param crop         the crop, {@link BufferedImage#TYPE_INT_RGB}, {@code size × size}
 * @param points41     the 41 SMPLR points (123 values), root-relative, camera frame, metres; point i at
 *                     {@code 3*i..3*i+2}
 * @param params       the body's pose, betas and translation in the model's canonical frame
 * @param gender       the body model the sample was drawn with, or null if unknown
 * @param camera       the crop's camera (its projections are crop pixels), or null if unknown
 * @param root         the root (pelvis, SMPL joint 0) in the camera frame (3 values), metres, or null if unknown
 * @param bodyToCamera the canonical frame to the camera frame, or null if unknown
 * @param mask         the body's coverage of the crop before occluders and padding, {@code size × size},
 *                     row-major ({@code row * size + col}), or null if unknown
 */
public record SyntheticSample(BufferedImage crop, float[] points41, SmplParams params, Gender gender,
        PinholeCamera camera, float[] root, RigidTransform bodyToCamera, boolean[] mask) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the crop is null or not square, the points are not 123 finite values,
     *                                  the params are null, the root is not 3 finite values, or the mask is not
     *                                  {@code size × size} values
     */
    public SyntheticSample {
        Checks.notNull("crop", crop);
        if (crop.getWidth() != crop.getHeight()) {
            throw new IllegalArgumentException(
                    "crop: expected a square image, got " + crop.getWidth() + "×" + crop.getHeight());
        }
        Checks.rows("points41", points41, SmplrPoints.COUNT, 3, "41×3 root-relative points");
        Checks.notNull("params", params);
        if (root != null) {
            Checks.rows("root", root, 1, 3, "x, y, z in the camera frame");
        }
        if (mask != null && mask.length != crop.getWidth() * crop.getHeight()) {
            throw new IllegalArgumentException("mask: expected " + crop.getWidth() + "×" + crop.getHeight() + " = "
                    + crop.getWidth() * crop.getHeight() + " values, got " + mask.length);
        }
    }

    /**
     * The three components of the API (SPEC API.md); the rest are unknown (null).
     *
     * @param crop     the square crop
     * @param points41 the 41 root-relative camera-frame points. Kept.
     * @param params   the body's parameters
     * @throws IllegalArgumentException as the canonical constructor
     */
    public SyntheticSample(BufferedImage crop, float[] points41, SmplParams params) {
        this(crop, points41, params, null, null, null, null, null);
    }

    /**
     * Same as {@link #SyntheticSample(BufferedImage, float[], SmplParams)}.
     *
     * @param crop     the square crop
     * @param points41 the 41 root-relative camera-frame points. Kept.
     * @param params   the body's parameters
     * @return the sample
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static SyntheticSample of(BufferedImage crop, float[] points41, SmplParams params) {
        return new SyntheticSample(crop, points41, params);
    }

    /** @return the crop's side, pixels */
    public int size() {
        return crop.getWidth();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SyntheticSample s && Arrays.equals(points41, s.points41) && params.equals(s.params)
                && gender == s.gender && Objects.equals(camera, s.camera) && Arrays.equals(root, s.root)
                && Objects.equals(bodyToCamera, s.bodyToCamera) && Arrays.equals(mask, s.mask)
                && crop.getWidth() == s.crop.getWidth()
                && Arrays.equals(ImageTensors.rgb(crop), ImageTensors.rgb(s.crop));
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(points41) + params.hashCode()) + Objects.hashCode(camera);
    }

    @Override
    public String toString() {
        return "SyntheticSample[" + size() + "×" + size() + " crop, " + gender + ", root "
                + (root == null ? "unknown" : Arrays.toString(root)) + "]";
    }
}
