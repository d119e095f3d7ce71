package dev.smplr.hourglass;

import dev.smplr.core.internal.Checks;
import java.util.Arrays;

/**
 * A rigid motion {@code x' = R·x + t}: a rotation (3×3, row-major, entry {@code (r, c)} at {@code 3*r + c})
 * and a translation (3), metres. Arrays are copied in; the accessors return the kept arrays, which must not be
 * modified.
 *
 * <p>Placing a body: a body model's canonical frame has Y up, +X the body's left and +Z the body's front; the
 * camera frame has X right, Y down and Z away from the camera. A body standing upright and facing the camera is
 * turned into the camera frame by {@link #CANONICAL_TO_CAMERA}{@code  = diag(1, −1, −1)} (a half turn about X):
 * up becomes −Y (image up), the front becomes −Z (towards the camera), and the body's left becomes +X (the
 * image's right, as in a photograph of someone facing you). {@link #canonicalToCamera} and
 * {@link #uprightFacingCamera} build such placements; {@link #withPointAt} picks the translation that puts a
 * chosen point (the root) where it should be.
 *
 * @param rotation    3×3 rotation, row-major; orthonormal with determinant +1 to within 1e-3
 * @param translation 3 values, metres
 */
public record RigidTransform(float[] rotation, float[] translation) {
    /** How far {@code R·Rᵀ} may be from the identity, entry by entry, and {@code det R} from 1. */
    private static final double ORTHONORMAL_TOLERANCE = 1e-3;

    private static final float[] CANONICAL_TO_CAMERA_ROTATION = {1, 0, 0, 0, -1, 0, 0, 0, -1};

    /**
     * The canonical body frame (Y up, +X body-left, +Z body-front) to the camera frame (X right, Y down, Z
     * forward) for a body facing the camera: {@code diag(1, −1, −1)}, no translation.
     */
    public static final RigidTransform CANONICAL_TO_CAMERA =
            new RigidTransform(CANONICAL_TO_CAMERA_ROTATION, new float[3]);

    /**
     * Checks and copies the arrays.
     *
     * @throws IllegalArgumentException if a length is wrong, a value is not finite, or the rotation is not
     *                                  orthonormal with determinant +1 (within 1e-3)
     */
    public RigidTransform {
        rotation = Checks.rows("rotation", rotation, 3, 3, "3×3 rotation, row-major").clone();
        translation = Checks.rows("translation", translation, 1, 3, "x, y, z translation").clone();
        checkRotation(rotation);
    }

    /** @return the identity transform */
    public static RigidTransform identity() {
        return new RigidTransform(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new float[3]);
    }

    /**
     * From a body model's canonical frame to the camera frame: {@code x_cam = C · R · x + t} with
     * {@code C = diag(1, −1, −1)}. {@code R} is a rotation in the canonical frame (identity: upright, facing the
     * camera).
     *
     * @param rotation    R, 3×3 in the canonical frame. Not modified.
     * @param translation t, the camera-frame position of the canonical origin, metres. Not modified.
     * @return the transform
     * @throws IllegalArgumentException if a length is wrong, a value is not finite, or R is not a rotation
     */
    public static RigidTransform canonicalToCamera(float[] rotation, float[] translation) {
        Checks.rows("rotation", rotation, 3, 3, "3×3 rotation, row-major");
        checkRotation(rotation);
        return new RigidTransform(mul(CANONICAL_TO_CAMERA_ROTATION, rotation), translation);
    }

    /**
     * A body standing upright, turned by {@code yaw} about its vertical axis, then moved into the camera frame:
     * {@code x_cam = C · R_y(yaw) · x + t}. Yaw 0 faces the camera; yaw π/2 turns the body's front towards
     * the image's right (+X), so that the camera sees the body's right side.
     *
     * @param yaw         rotation about the canonical Y (up) axis, radians, right-handed
     * @param translation t, the camera-frame position of the canonical origin, metres. Not modified.
     * @return the transform
     * @throws IllegalArgumentException if yaw is not finite or the translation is not 3 finite values
     */
    public static RigidTransform uprightFacingCamera(float yaw, float[] translation) {
        Checks.finite("yaw", yaw);
        float c = (float) Math.cos(yaw);
        float s = (float) Math.sin(yaw);
        // R_y(yaw) = [[c, 0, s], [0, 1, 0], [-s, 0, c]]
        return canonicalToCamera(new float[] {c, 0, s, 0, 1, 0, -s, 0, c}, translation);
    }

    /**
     * The same rotation with the translation that maps {@code source} onto {@code target}:
     * {@code t = target − R·source}.
     *
     * @param source a point before the transform (e.g. the root joint in the canonical frame). Not modified.
     * @param target where it should land (e.g. the root in the camera frame). Not modified.
     * @return the transform
     * @throws IllegalArgumentException if a point is not 3 finite values
     */
    public RigidTransform withPointAt(float[] source, float[] target) {
        Checks.rows("source", source, 1, 3, "x, y, z");
        Checks.rows("target", target, 1, 3, "x, y, z");
        float[] t = new float[3];
        for (int r = 0; r < 3; r++) {
            t[r] = target[r] - (rotation[3 * r] * source[0] + rotation[3 * r + 1] * source[1]
                    + rotation[3 * r + 2] * source[2]);
        }
        return new RigidTransform(rotation, t);
    }

    /**
     * This transform followed by {@code next}: {@code x' = R_n·(R·x + t) + t_n}.
     *
     * @param next the transform applied second
     * @return the composition
     * @throws IllegalArgumentException if next is null
     */
    public RigidTransform then(RigidTransform next) {
        Checks.notNull("next", next);
        float[] t = new float[3];
        applyRotation(next.rotation, translation, 0, t, 0);
        for (int r = 0; r < 3; r++) {
            t[r] += next.translation[r];
        }
        return new RigidTransform(mul(next.rotation, rotation), t);
    }

    /** @return the inverse, {@code x = Rᵀ·(x' − t)} */
    public RigidTransform inverse() {
        float[] rt = {rotation[0], rotation[3], rotation[6], rotation[1], rotation[4], rotation[7], rotation[2],
                rotation[5], rotation[8]};
        float[] t = new float[3];
        applyRotation(rt, translation, 0, t, 0);
        return new RigidTransform(rt, new float[] {-t[0], -t[1], -t[2]});
    }

    /**
     * Applies the transform to points: {@code out_i = R·p_i + t}.
     *
     * @param points (n, 3), point i at {@code 3*i..3*i+2}, n &gt; 0. Not modified.
     * @return the moved points (n, 3)
     * @throws IllegalArgumentException if the length is not a non-zero multiple of 3 or a value is not finite
     */
    public float[] apply(float[] points) {
        int n = Checks.batch("points", points, 3, "n×3 points");
        float[] out = new float[3 * n];
        apply(points, 0, out, 0, n);
        return out;
    }

    /**
     * Applies the transform to {@code count} points in place or into another buffer; allocates nothing. Each
     * point is read before it is written, so {@code src} and {@code dst} may be the same array at the same
     * offset.
     *
     * @param src    source points. Not modified (unless it is {@code dst}).
     * @param srcOff index of the first source value
     * @param dst    destination. Modified.
     * @param dstOff index of the first destination value
     * @param count  number of points
     * @throws IllegalArgumentException if an array is null or a range is out of bounds
     */
    public void apply(float[] src, int srcOff, float[] dst, int dstOff, int count) {
        Checks.notNull("src", src);
        Checks.notNull("dst", dst);
        if (count < 0 || srcOff < 0 || dstOff < 0 || (long) srcOff + 3L * count > src.length
                || (long) dstOff + 3L * count > dst.length) {
            throw new IllegalArgumentException("apply: " + count + " points at src[" + srcOff + "] (length "
                    + src.length + "), dst[" + dstOff + "] (length " + dst.length + ") out of bounds");
        }
        if (src == dst && srcOff != dstOff) {
            throw new IllegalArgumentException("src and dst: the same array at different offsets ("
                    + srcOff + ", " + dstOff + ")");
        }
        float r00 = rotation[0], r01 = rotation[1], r02 = rotation[2];
        float r10 = rotation[3], r11 = rotation[4], r12 = rotation[5];
        float r20 = rotation[6], r21 = rotation[7], r22 = rotation[8];
        float tx = translation[0], ty = translation[1], tz = translation[2];
        for (int i = 0; i < count; i++) {
            int s = srcOff + 3 * i;
            int d = dstOff + 3 * i;
            float x = src[s], y = src[s + 1], z = src[s + 2];
            dst[d] = r00 * x + r01 * y + r02 * z + tx;
            dst[d + 1] = r10 * x + r11 * y + r12 * z + ty;
            dst[d + 2] = r20 * x + r21 * y + r22 * z + tz;
        }
    }

    private static void applyRotation(float[] r, float[] v, int vOff, float[] out, int outOff) {
        float x = v[vOff], y = v[vOff + 1], z = v[vOff + 2];
        out[outOff] = r[0] * x + r[1] * y + r[2] * z;
        out[outOff + 1] = r[3] * x + r[4] * y + r[5] * z;
        out[outOff + 2] = r[6] * x + r[7] * y + r[8] * z;
    }

    /** {@code a·b} for 3×3 row-major matrices, summed in double. */
    private static float[] mul(float[] a, float[] b) {
        float[] out = new float[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                // out[r,c] = sum_k a[r,k] * b[k,c]
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += (double) a[3 * r + k] * b[3 * k + c];
                }
                out[3 * r + c] = (float) s;
            }
        }
        return out;
    }

    private static void checkRotation(float[] r) {
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                // (R·Rᵀ)[i,j] = sum_k R[i,k] R[j,k]
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += (double) r[3 * i + k] * r[3 * j + k];
                }
                if (Math.abs(s - (i == j ? 1 : 0)) > ORTHONORMAL_TOLERANCE) {
                    throw new IllegalArgumentException("rotation: expected an orthonormal 3×3 matrix, but (R·Rᵀ)["
                            + i + "," + j + "] = " + s);
                }
            }
        }
        double det = r[0] * ((double) r[4] * r[8] - (double) r[5] * r[7])
                - r[1] * ((double) r[3] * r[8] - (double) r[5] * r[6])
                + r[2] * ((double) r[3] * r[7] - (double) r[4] * r[6]);
        if (Math.abs(det - 1) > ORTHONORMAL_TOLERANCE) {
            throw new IllegalArgumentException("rotation: expected determinant +1 (a rotation), got " + det);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RigidTransform t && Arrays.equals(rotation, t.rotation)
                && Arrays.equals(translation, t.translation);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(rotation) + Arrays.hashCode(translation);
    }

    @Override
    public String toString() {
        return "RigidTransform[rotation=" + Arrays.toString(rotation) + ", translation="
                + Arrays.toString(translation) + "]";
    }
}
