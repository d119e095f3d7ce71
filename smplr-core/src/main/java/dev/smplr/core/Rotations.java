package dev.smplr.core;

import dev.smplr.core.internal.Checks;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * 3D rotations on flat {@code float[]} arrays: axis-angle (Rodrigues) to matrix and back, projection of any
 * 3×3 matrix to the nearest rotation, the continuous 6D representation, and 3×3 products.
 *
 * <p>Layouts: an axis-angle is 3 values {@code (x, y, z)} = angle × unit axis, in radians; a rotation matrix
 * is 3×3 row-major, entry {@code (r, c)} at {@code 3*r + c}; a batch of n axis-angles is (n, 3), item i at
 * {@code 3*i..3*i+2}; a batch of n matrices is (n, 3, 3), entry {@code (i, r, c)} at {@code 9*i + 3*r + c};
 * a 6D value is the first two <em>columns</em> of the matrix, {@code [r00, r10, r20, r01, r11, r21]}.
 *
 * <p>Every method comes in up to three forms, EJML style: one item with offsets
 * {@code (in, inOff, out, outOff)}, which allocates nothing (except {@link #projectToRotation}); n items
 * into a caller's buffer {@code (in, inOff, out, outOff, count)}, the fast path for loops; and n items
 * allocating the result {@code (in)}. Each item reads its whole input before it writes, so one-item calls
 * may use the same array and overlapping ranges for input and output, and batched calls may work in place
 * (same array, same offset, same stride); other overlaps are rejected.
 *
 * <p>Arithmetic is in double and results are rounded to float once; against a float64 reference the
 * conversions are accurate to about 1e-7 per element. Inputs are checked: wrong lengths or offsets, NaN
 * and infinities throw {@link IllegalArgumentException} naming the argument.
 *
 * <p>Rodrigues: smplx ({@code batch_rodrigues} in {@code lbs.py}) adds 1e-8 to each component before taking
 * the norm, to avoid dividing by zero. This class uses the exact formula instead, with Taylor series of
 * {@code sin θ / θ} and {@code (1 − cos θ) / θ²} near 0, so that θ = 0 gives exactly the identity and tiny
 * angles stay accurate; the two differ by less than 2e-8 (see SMPL.md).
 *
 * <p>Thread-safe: no shared mutable state; EJML decompositions (the projection's fallback) are allocated per call.
 */
public final class Rotations {
    /** Below this θ² the Rodrigues coefficients come from their series (θ below 1e-3). */
    private static final double SERIES_THETA_SQ = 1e-6;
    /** Below this θ the log map's factor θ / sin θ comes from its series. */
    private static final double SERIES_THETA = 1e-4;
    /**
     * 6D input whose columns make an angle with sine below this is rejected: the second column's direction
     * would be mostly rounding noise of the float input.
     */
    private static final double PARALLEL_SINE = 1e-6;
    private static final char[] XYZ = {'x', 'y', 'z'};

    private Rotations() {
    }

    // ---------------------------------------------------------------------------------------------------------
    // axis-angle -> matrix

    /**
     * Rodrigues' formula: the rotation matrix of one axis-angle.
     *
     * <pre>
     * θ = |a|,  K = skew(a / θ)
     * R = I + sin θ K + (1 − cos θ) K²
     *   = cos θ I + (sin θ / θ) skew(a) + ((1 − cos θ) / θ²) a aᵀ
     * </pre>
     * <p>The coefficients come from their series for θ below 1e-3; θ = 0 gives exactly the identity. Any
     * angle is accepted (π, 2π, 20 rad).
     *
     * @param axisAngle    axis-angle (3), radians, at {@code axisAngleOff}. Not modified.
     * @param axisAngleOff offset of the axis-angle in {@code axisAngle}
     * @param matrix       rotation matrix (3, 3) row-major, written at {@code matrixOff}. Modified.
     * @param matrixOff    offset of the matrix in {@code matrix}
     * @throws IllegalArgumentException if an array is null, too short for its offset, or the axis-angle
     *                                  holds NaN or an infinity
     */
    public static void axisAngleToMatrix(float[] axisAngle, int axisAngleOff, float[] matrix, int matrixOff) {
        input("axisAngle", axisAngle, axisAngleOff, 1, 3, "axis-angle", false);
        output("matrix", matrix, matrixOff, 1, 9, "3×3 rotation matrix", false);
        rodrigues(axisAngle, axisAngleOff, matrix, matrixOff);
    }

    /**
     * Rodrigues' formula for {@code count} axis-angles into a caller's buffer; see
     * {@link #axisAngleToMatrix(float[], int, float[], int)}. Allocates nothing.
     *
     * @param axisAngles    axis-angles (count, 3) from {@code axisAnglesOff}: item i at
     *                      {@code axisAnglesOff + 3*i}. Not modified.
     * @param axisAnglesOff offset of the first axis-angle
     * @param matrices      rotation matrices (count, 3, 3) from {@code matricesOff}: entry (i, r, c) at
     *                      {@code matricesOff + 9*i + 3*r + c}. Modified.
     * @param matricesOff   offset of the first matrix
     * @param count         number of rotations, 0 or more
     * @throws IllegalArgumentException if {@code count} is negative, an array is null or too short, the
     *                                  axis-angles hold NaN or an infinity, or both arrays are the same with
     *                                  overlapping ranges
     */
    public static void axisAngleToMatrix(float[] axisAngles, int axisAnglesOff, float[] matrices, int matricesOff,
                                         int count) {
        count(count);
        input("axisAngles", axisAngles, axisAnglesOff, count, 3, "axis-angle", true);
        output("matrices", matrices, matricesOff, count, 9, "3×3 rotation matrix", true);
        overlap("axisAngles", axisAngles, axisAnglesOff, 3, "matrices", matrices, matricesOff, 9, count);
        for (int i = 0; i < count; i++) {
            rodrigues(axisAngles, axisAnglesOff + 3 * i, matrices, matricesOff + 9 * i);
        }
    }

    /**
     * Rodrigues' formula for n axis-angles, allocating the result; see
     * {@link #axisAngleToMatrix(float[], int, float[], int)}.
     *
     * @param axisAngles axis-angles (n, 3), n at least 1: item i at {@code 3*i}. Not modified.
     * @return rotation matrices (n, 3, 3): entry (i, r, c) at {@code 9*i + 3*r + c}
     * @throws IllegalArgumentException if {@code axisAngles} is null, empty, not a multiple of 3 long, or
     *                                  holds NaN or an infinity
     */
    public static float[] axisAngleToMatrix(float[] axisAngles) {
        int n = Checks.batch("axisAngles", axisAngles, 3, "n×3 axis-angle");
        float[] matrices = new float[9 * n];
        for (int i = 0; i < n; i++) {
            rodrigues(axisAngles, 3 * i, matrices, 9 * i);
        }
        return matrices;
    }

    private static void rodrigues(float[] a, int aOff, float[] m, int mOff) {
        double x = a[aOff];
        double y = a[aOff + 1];
        double z = a[aOff + 2];
        double t2 = x * x + y * y + z * z;
        double sinc;  // sin θ / θ
        double versc; // (1 − cos θ) / θ²
        double cos;
        if (t2 < SERIES_THETA_SQ) {
            // Series to θ⁴; the next terms are below 1e-21 here, and θ = 0 needs no division.
            sinc = 1 - t2 / 6 * (1 - t2 / 20);
            versc = 0.5 * (1 - t2 / 12 * (1 - t2 / 30));
            cos = 1 - t2 * versc;
        } else {
            // Half-angle forms: two trig calls instead of three, and 1 − cos θ = 2 sin²(θ/2) has no
            // cancellation.
            double t = Math.sqrt(t2);
            double sh = Math.sin(0.5 * t);
            double ch = Math.cos(0.5 * t);
            sinc = 2 * sh * ch / t;
            versc = 2 * sh * sh / t2;
            cos = 1 - 2 * sh * sh;
        }
        // R = cos θ I + sinc skew(a) + versc a aᵀ
        double sx = sinc * x;
        double sy = sinc * y;
        double sz = sinc * z;
        double vxy = versc * x * y;
        double vxz = versc * x * z;
        double vyz = versc * y * z;
        m[mOff] = (float) (cos + versc * x * x);
        m[mOff + 1] = (float) (vxy - sz);
        m[mOff + 2] = (float) (vxz + sy);
        m[mOff + 3] = (float) (vxy + sz);
        m[mOff + 4] = (float) (cos + versc * y * y);
        m[mOff + 5] = (float) (vyz - sx);
        m[mOff + 6] = (float) (vxz - sy);
        m[mOff + 7] = (float) (vyz + sx);
        m[mOff + 8] = (float) (cos + versc * z * z);
    }

    // ---------------------------------------------------------------------------------------------------------
    // matrix -> axis-angle

    /**
     * The log map: the axis-angle of one rotation matrix, with the angle in [0, π].
     *
     * <pre>
     * cos θ = (tr R − 1) / 2,   w = (R₂₁ − R₁₂, R₀₂ − R₂₀, R₁₀ − R₀₁) / 2 = sin θ u
     * θ ≤ π/2:  θ = atan2(|w|, cos θ),  a = (θ / sin θ) w        (θ / sin θ from its series below 1e-4)
     * θ &gt; π/2:  u = the largest column of (R + Rᵀ)/2 − cos θ I = (1 − cos θ) u uᵀ, normalised,
     *           its sign chosen so that u · w ≥ 0;  θ = atan2(u · w, cos θ),  a = θ u
     * </pre>
     * <p>Near π the antisymmetric part w vanishes and would give the axis with little precision, so the
     * axis comes from the symmetric part. At exactly π both ±π u are the same rotation; either may be
     * returned.
     *
     * <p>The input is assumed to be a rotation (orthonormal, det +1). For other matrices the result is not
     * meaningful: project them first with {@link #projectToRotation(float[], int, float[], int)}.
     *
     * @param matrix       rotation matrix (3, 3) row-major at {@code matrixOff}. Not modified.
     * @param matrixOff    offset of the matrix in {@code matrix}
     * @param axisAngle    axis-angle (3), radians, angle in [0, π], written at {@code axisAngleOff}. Modified.
     * @param axisAngleOff offset of the axis-angle in {@code axisAngle}
     * @throws IllegalArgumentException if an array is null, too short for its offset, or the matrix holds
     *                                  NaN or an infinity
     */
    public static void matrixToAxisAngle(float[] matrix, int matrixOff, float[] axisAngle, int axisAngleOff) {
        input("matrix", matrix, matrixOff, 1, 9, "3×3 rotation matrix", false);
        output("axisAngle", axisAngle, axisAngleOff, 1, 3, "axis-angle", false);
        log(matrix, matrixOff, axisAngle, axisAngleOff);
    }

    /**
     * The log map for {@code count} rotation matrices into a caller's buffer; see
     * {@link #matrixToAxisAngle(float[], int, float[], int)}. Allocates nothing.
     *
     * @param matrices      rotation matrices (count, 3, 3) from {@code matricesOff}. Not modified.
     * @param matricesOff   offset of the first matrix
     * @param axisAngles    axis-angles (count, 3) from {@code axisAnglesOff}. Modified.
     * @param axisAnglesOff offset of the first axis-angle
     * @param count         number of rotations, 0 or more
     * @throws IllegalArgumentException if {@code count} is negative, an array is null or too short, the
     *                                  matrices hold NaN or an infinity, or both arrays are the same with
     *                                  overlapping ranges
     */
    public static void matrixToAxisAngle(float[] matrices, int matricesOff, float[] axisAngles, int axisAnglesOff,
                                         int count) {
        count(count);
        input("matrices", matrices, matricesOff, count, 9, "3×3 rotation matrix", true);
        output("axisAngles", axisAngles, axisAnglesOff, count, 3, "axis-angle", true);
        overlap("matrices", matrices, matricesOff, 9, "axisAngles", axisAngles, axisAnglesOff, 3, count);
        for (int i = 0; i < count; i++) {
            log(matrices, matricesOff + 9 * i, axisAngles, axisAnglesOff + 3 * i);
        }
    }

    /**
     * The log map for n rotation matrices, allocating the result; see
     * {@link #matrixToAxisAngle(float[], int, float[], int)}.
     *
     * @param matrices rotation matrices (n, 3, 3), n at least 1. Not modified.
     * @return axis-angles (n, 3), angles in [0, π]
     * @throws IllegalArgumentException if {@code matrices} is null, empty, not a multiple of 9 long, or holds
     *                                  NaN or an infinity
     */
    public static float[] matrixToAxisAngle(float[] matrices) {
        int n = Checks.batch("matrices", matrices, 9, "n×3×3 rotation matrices");
        float[] axisAngles = new float[3 * n];
        for (int i = 0; i < n; i++) {
            log(matrices, 9 * i, axisAngles, 3 * i);
        }
        return axisAngles;
    }

    private static void log(float[] m, int mOff, float[] a, int aOff) {
        double r00 = m[mOff];
        double r01 = m[mOff + 1];
        double r02 = m[mOff + 2];
        double r10 = m[mOff + 3];
        double r11 = m[mOff + 4];
        double r12 = m[mOff + 5];
        double r20 = m[mOff + 6];
        double r21 = m[mOff + 7];
        double r22 = m[mOff + 8];
        double cos = 0.5 * (r00 + r11 + r22 - 1);
        // w = sin θ u, from the antisymmetric part (R − Rᵀ)/2
        double wx = 0.5 * (r21 - r12);
        double wy = 0.5 * (r02 - r20);
        double wz = 0.5 * (r10 - r01);
        if (cos >= 0) {
            double sin = Math.sqrt(wx * wx + wy * wy + wz * wz);
            double theta = Math.atan2(sin, cos);
            double factor = theta < SERIES_THETA
                    ? 1 + theta * theta * (1.0 / 6 + theta * theta * (7.0 / 360)) // θ / sin θ
                    : theta / sin;
            a[aOff] = (float) (factor * wx);
            a[aOff + 1] = (float) (factor * wy);
            a[aOff + 2] = (float) (factor * wz);
            return;
        }
        // θ > π/2: S = (R + Rᵀ)/2 − cos θ I = (1 − cos θ) u uᵀ is well conditioned; its column with the
        // largest diagonal entry (at least (1 − cos θ)/3 for a rotation, so never zero here) is ±u.
        double s00 = r00 - cos;
        double s11 = r11 - cos;
        double s22 = r22 - cos;
        double ux;
        double uy;
        double uz;
        if (s00 >= s11 && s00 >= s22) {
            ux = s00;
            uy = 0.5 * (r01 + r10);
            uz = 0.5 * (r02 + r20);
        } else if (s11 >= s22) {
            ux = 0.5 * (r01 + r10);
            uy = s11;
            uz = 0.5 * (r12 + r21);
        } else {
            ux = 0.5 * (r02 + r20);
            uy = 0.5 * (r12 + r21);
            uz = s22;
        }
        double norm = Math.sqrt(ux * ux + uy * uy + uz * uz);
        ux /= norm;
        uy /= norm;
        uz /= norm;
        double sin = ux * wx + uy * wy + uz * wz; // sin θ along the axis: less noisy than |w|
        if (sin < 0) {
            ux = -ux;
            uy = -uy;
            uz = -uz;
            sin = -sin;
        }
        double theta = Math.atan2(sin, cos);
        a[aOff] = (float) (theta * ux);
        a[aOff + 1] = (float) (theta * uy);
        a[aOff + 2] = (float) (theta * uz);
    }

    // ---------------------------------------------------------------------------------------------------------
    // projection to the nearest rotation

    /**
     * The rotation nearest to any 3×3 matrix in the Frobenius norm (the orthogonal polar factor with
     * det +1):
     *
     * <pre>
     * M = U diag(σ) Vᵀ  (SVD),   R = U diag(1, 1, d) Vᵀ,   d = det(U Vᵀ) = ±1
     * </pre>
     * <p>where the ±1 goes with the smallest singular value. R minimises {@code ‖M − R‖_F} over rotations,
     * and det R = +1 also for reflections (det M &lt; 0). A rotation is returned unchanged (to float
     * rounding). For rank-deficient M the nearest rotation is not unique and one of them is returned.
     *
     * <p>Computed by Newton's iteration for the polar factor when det M is safely positive (the usual case: a
     * near-rotation, about 0.1–0.3 µs), else by an EJML SVD (reflections, near-singular matrices), allocated per
     * call when needed; the batched forms allocate at most one per call and reuse it.
     *
     * @param matrix    any 3×3 matrix, row-major, at {@code matrixOff}. Not modified.
     * @param matrixOff offset of the matrix in {@code matrix}
     * @param rotation  the nearest rotation (3, 3) row-major, written at {@code rotationOff}. Modified.
     * @param rotationOff offset of the rotation in {@code rotation}
     * @throws IllegalArgumentException if an array is null, too short for its offset, the matrix holds NaN
     *                                  or an infinity, or the SVD does not converge
     */
    public static void projectToRotation(float[] matrix, int matrixOff, float[] rotation, int rotationOff) {
        input("matrix", matrix, matrixOff, 1, 9, "3×3 matrix", false);
        output("rotation", rotation, rotationOff, 1, 9, "3×3 rotation matrix", false);
        new Projector().project("matrix", -1, matrix, matrixOff, rotation, rotationOff);
    }

    /**
     * The nearest rotations to {@code count} 3×3 matrices into a caller's buffer; see
     * {@link #projectToRotation(float[], int, float[], int)}. May work in place
     * ({@code matrices == rotations}, same offset).
     *
     * @param matrices     3×3 matrices (count, 3, 3) from {@code matricesOff}. Not modified (unless the
     *                     same array as {@code rotations}).
     * @param matricesOff  offset of the first matrix
     * @param rotations    nearest rotations (count, 3, 3) from {@code rotationsOff}. Modified.
     * @param rotationsOff offset of the first rotation
     * @param count        number of matrices, 0 or more
     * @throws IllegalArgumentException if {@code count} is negative, an array is null or too short, the
     *                                  matrices hold NaN or an infinity, both arrays are the same with
     *                                  overlapping but different ranges, or an SVD does not converge
     */
    public static void projectToRotation(float[] matrices, int matricesOff, float[] rotations, int rotationsOff,
                                         int count) {
        count(count);
        input("matrices", matrices, matricesOff, count, 9, "3×3 matrix", true);
        output("rotations", rotations, rotationsOff, count, 9, "3×3 rotation matrix", true);
        overlap("matrices", matrices, matricesOff, 9, "rotations", rotations, rotationsOff, 9, count);
        if (count == 0) {
            return;
        }
        Projector projector = new Projector();
        for (int i = 0; i < count; i++) {
            projector.project("matrices", i, matrices, matricesOff + 9 * i, rotations, rotationsOff + 9 * i);
        }
    }

    /**
     * The nearest rotations to n 3×3 matrices, allocating the result; see
     * {@link #projectToRotation(float[], int, float[], int)}.
     *
     * @param matrices 3×3 matrices (n, 3, 3), n at least 1. Not modified.
     * @return the nearest rotations (n, 3, 3)
     * @throws IllegalArgumentException if {@code matrices} is null, empty, not a multiple of 9 long, holds
     *                                  NaN or an infinity, or an SVD does not converge
     */
    public static float[] projectToRotation(float[] matrices) {
        int n = Checks.batch("matrices", matrices, 9, "n×3×3 matrices");
        float[] rotations = new float[9 * n];
        Projector projector = new Projector();
        for (int i = 0; i < n; i++) {
            projector.project("matrices", i, matrices, 9 * i, rotations, 9 * i);
        }
        return rotations;
    }

    /** The polar iteration is used when det M ≥ this · (‖M‖_F/√3)³, i.e. M is far from singular and not a reflection. */
    private static final double POLAR_MIN_DET = 1e-4;
    /** The polar iteration stops when an update moves the iterate by less than this (Frobenius). */
    private static final double POLAR_STEP = 1e-8;
    private static final int POLAR_MAX_ITERATIONS = 30;

    /**
     * The nearest rotation by Newton's iteration for the orthogonal polar factor (Higham, "Computing the polar
     * decomposition with applications", 1986), in double:
     *
     * <pre>
     * X₀ = M,   X_{k+1} = ½ (γ_k X_k + γ_k⁻¹ X_k⁻ᵀ),   γ_k = (‖X_k⁻¹‖_F / ‖X_k‖_F)^½ while far, then 1
     * </pre>
     * <p>X_k → U Vᵀ (M = U Σ Vᵀ) quadratically; with det M &gt; 0 that is the nearest rotation, the SVD's result.
     * X⁻ᵀ is the cofactor matrix over det X. Each step costs about 60 flops against about 1.5 µs for EJML's
     * general SVD. The iteration stops when a step moves X by less than {@value #POLAR_STEP}, so the error of the
     * result is of the order of that step squared.
     *
     * @return false, writing nothing, when det M is not safely positive (a reflection, a near-singular matrix,
     *         NaN) or the iteration did not settle: the caller falls back to the SVD
     */
    private static boolean polar(float[] m, int mOff, float[] r, int rOff) {
        double a0 = m[mOff];
        double a1 = m[mOff + 1];
        double a2 = m[mOff + 2];
        double a3 = m[mOff + 3];
        double a4 = m[mOff + 4];
        double a5 = m[mOff + 5];
        double a6 = m[mOff + 6];
        double a7 = m[mOff + 7];
        double a8 = m[mOff + 8];
        double norm2 = a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3 + a4 * a4 + a5 * a5 + a6 * a6 + a7 * a7 + a8 * a8;
        double det0 = a0 * (a4 * a8 - a5 * a7) - a1 * (a3 * a8 - a5 * a6) + a2 * (a3 * a7 - a4 * a6);
        // (‖M‖_F/√3)³ bounds det M from above (AM–GM on the singular values)
        double mean = Math.sqrt(norm2 / 3);
        if (!(det0 >= POLAR_MIN_DET * mean * mean * mean)) {
            return false;
        }
        boolean scaled = true;
        for (int it = 0; it < POLAR_MAX_ITERATIONS; it++) {
            // cofactors: X⁻ᵀ = C / det X
            double c0 = a4 * a8 - a5 * a7;
            double c1 = a5 * a6 - a3 * a8;
            double c2 = a3 * a7 - a4 * a6;
            double c3 = a2 * a7 - a1 * a8;
            double c4 = a0 * a8 - a2 * a6;
            double c5 = a1 * a6 - a0 * a7;
            double c6 = a1 * a5 - a2 * a4;
            double c7 = a2 * a3 - a0 * a5;
            double c8 = a0 * a4 - a1 * a3;
            double det = a0 * c0 + a1 * c1 + a2 * c2;
            double g = 1;
            if (scaled) {
                double x2 = a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3 + a4 * a4 + a5 * a5 + a6 * a6 + a7 * a7 + a8 * a8;
                double c2sum = c0 * c0 + c1 * c1 + c2 * c2 + c3 * c3 + c4 * c4 + c5 * c5 + c6 * c6 + c7 * c7
                        + c8 * c8;
                g = Math.sqrt(Math.sqrt(c2sum / (det * det) / x2)); // (‖X⁻¹‖/‖X‖)^½
            }
            double p = 0.5 * g;
            double q = 0.5 / (g * det);
            double b0 = p * a0 + q * c0;
            double b1 = p * a1 + q * c1;
            double b2 = p * a2 + q * c2;
            double b3 = p * a3 + q * c3;
            double b4 = p * a4 + q * c4;
            double b5 = p * a5 + q * c5;
            double b6 = p * a6 + q * c6;
            double b7 = p * a7 + q * c7;
            double b8 = p * a8 + q * c8;
            double step = (b0 - a0) * (b0 - a0) + (b1 - a1) * (b1 - a1) + (b2 - a2) * (b2 - a2)
                    + (b3 - a3) * (b3 - a3) + (b4 - a4) * (b4 - a4) + (b5 - a5) * (b5 - a5)
                    + (b6 - a6) * (b6 - a6) + (b7 - a7) * (b7 - a7) + (b8 - a8) * (b8 - a8);
            a0 = b0;
            a1 = b1;
            a2 = b2;
            a3 = b3;
            a4 = b4;
            a5 = b5;
            a6 = b6;
            a7 = b7;
            a8 = b8;
            if (!(step < 1e-4)) {
                if (!(step < Double.MAX_VALUE)) {
                    return false; // overflow or NaN
                }
                continue;
            }
            scaled = false; // near U Vᵀ the scaling only delays the quadratic convergence
            if (step < POLAR_STEP * POLAR_STEP) {
                r[rOff] = (float) a0;
                r[rOff + 1] = (float) a1;
                r[rOff + 2] = (float) a2;
                r[rOff + 3] = (float) a3;
                r[rOff + 4] = (float) a4;
                r[rOff + 5] = (float) a5;
                r[rOff + 6] = (float) a6;
                r[rOff + 7] = (float) a7;
                r[rOff + 8] = (float) a8;
                return true;
            }
        }
        return false;
    }

    /**
     * The projection of one matrix at a time: the polar iteration when it applies, else an EJML SVD (made on first
     * need); not thread-safe, so each call makes its own.
     */
    private static final class Projector {
        private SingularValueDecomposition_F64<DMatrixRMaj> svd;
        private DMatrixRMaj a;
        private DMatrixRMaj u;
        private DMatrixRMaj v;

        void project(String name, int index, float[] m, int mOff, float[] r, int rOff) {
            if (polar(m, mOff, r, rOff)) {
                return;
            }
            if (svd == null) {
                svd = DecompositionFactory_DDRM.svd(3, 3, true, true, false);
                a = new DMatrixRMaj(3, 3);
                u = new DMatrixRMaj(3, 3);
                v = new DMatrixRMaj(3, 3);
            }
            double[] ad = a.data;
            for (int k = 0; k < 9; k++) {
                ad[k] = m[mOff + k]; // refilled every time: decompose may overwrite its input
            }
            if (!svd.decompose(a)) {
                throw new IllegalArgumentException(
                        (index < 0 ? name : name + "[" + index + "]") + ": SVD did not converge");
            }
            u = svd.getU(u, false);
            v = svd.getV(v, false);
            double[] sigma = svd.getSingularValues();
            double[] ud = u.data;
            double[] vd = v.data;
            // Flip the singular vector pair of the smallest σ when U Vᵀ is a reflection.
            int flip = -1;
            if (det3(ud) * det3(vd) < 0) {
                flip = 0;
                for (int k = 1; k < 3; k++) {
                    if (sigma[k] < sigma[flip]) {
                        flip = k;
                    }
                }
            }
            // R[i][j] = sum_k d_k U[i][k] V[j][k]
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double sum = 0;
                    for (int k = 0; k < 3; k++) {
                        double term = ud[3 * i + k] * vd[3 * j + k];
                        sum += k == flip ? -term : term;
                    }
                    r[rOff + 3 * i + j] = (float) sum;
                }
            }
        }

        private static double det3(double[] d) {
            return d[0] * (d[4] * d[8] - d[5] * d[7])
                    - d[1] * (d[3] * d[8] - d[5] * d[6])
                    + d[2] * (d[3] * d[7] - d[4] * d[6]);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 6D representation (Zhou et al., "On the Continuity of Rotation Representations in Neural Networks",
    // CVPR 2019)

    /**
     * The rotation matrix of one 6D value by Gram–Schmidt. The 6D value holds two 3-vectors a₁, a₂ (any
     * length, not necessarily orthogonal), which become the matrix's first two columns:
     *
     * <pre>
     * b₁ = a₁ / |a₁|,   b₂ = normalise(a₂ − (b₁ · a₂) b₁),   b₃ = b₁ × b₂,   R = [b₁ b₂ b₃] (columns)
     * </pre>
     * <p>Layout: {@code [a₁x, a₁y, a₁z, a₂x, a₂y, a₂z]}, the first two columns of R, i.e.
     * {@code [r00, r10, r20, r01, r11, r21]} as in the paper (pytorch3d's {@code rotation_6d_to_matrix}
     * uses rows instead).
     *
     * @param sixD    6D value (6) at {@code sixDOff}. Not modified.
     * @param sixDOff offset of the value in {@code sixD}
     * @param matrix  rotation matrix (3, 3) row-major, written at {@code matrixOff}. Modified.
     * @param matrixOff offset of the matrix in {@code matrix}
     * @throws IllegalArgumentException if an array is null, too short for its offset, the value holds NaN
     *                                  or an infinity, a₁ or a₂ is zero, or they are parallel (sine of their
     *                                  angle below 1e-6)
     */
    public static void rotation6dToMatrix(float[] sixD, int sixDOff, float[] matrix, int matrixOff) {
        input("sixD", sixD, sixDOff, 1, 6, "6D rotation", false);
        output("matrix", matrix, matrixOff, 1, 9, "3×3 rotation matrix", false);
        gramSchmidt("sixD", -1, sixD, sixDOff, matrix, matrixOff);
    }

    /**
     * Rotation matrices of {@code count} 6D values into a caller's buffer; see
     * {@link #rotation6dToMatrix(float[], int, float[], int)}. Allocates nothing.
     *
     * @param sixDs       6D values (count, 6) from {@code sixDsOff}: item i at {@code sixDsOff + 6*i}.
     *                    Not modified.
     * @param sixDsOff    offset of the first value
     * @param matrices    rotation matrices (count, 3, 3) from {@code matricesOff}. Modified.
     * @param matricesOff offset of the first matrix
     * @param count       number of rotations, 0 or more
     * @throws IllegalArgumentException if {@code count} is negative, an array is null or too short, the
     *                                  values hold NaN or an infinity, one is degenerate (zero or parallel
     *                                  columns), or both arrays are the same with overlapping ranges
     */
    public static void rotation6dToMatrix(float[] sixDs, int sixDsOff, float[] matrices, int matricesOff,
                                          int count) {
        count(count);
        input("sixDs", sixDs, sixDsOff, count, 6, "6D rotation", true);
        output("matrices", matrices, matricesOff, count, 9, "3×3 rotation matrix", true);
        overlap("sixDs", sixDs, sixDsOff, 6, "matrices", matrices, matricesOff, 9, count);
        for (int i = 0; i < count; i++) {
            gramSchmidt("sixDs", i, sixDs, sixDsOff + 6 * i, matrices, matricesOff + 9 * i);
        }
    }

    /**
     * Rotation matrices of n 6D values, allocating the result; see
     * {@link #rotation6dToMatrix(float[], int, float[], int)}.
     *
     * @param sixDs 6D values (n, 6), n at least 1: item i at {@code 6*i}. Not modified.
     * @return rotation matrices (n, 3, 3)
     * @throws IllegalArgumentException if {@code sixDs} is null, empty, not a multiple of 6 long, holds NaN
     *                                  or an infinity, or one is degenerate (zero or parallel columns)
     */
    public static float[] rotation6dToMatrix(float[] sixDs) {
        int n = Checks.batch("sixDs", sixDs, 6, "n×6 6D rotations");
        float[] matrices = new float[9 * n];
        for (int i = 0; i < n; i++) {
            gramSchmidt("sixDs", i, sixDs, 6 * i, matrices, 9 * i);
        }
        return matrices;
    }

    private static void gramSchmidt(String name, int index, float[] s, int sOff, float[] m, int mOff) {
        double a1x = s[sOff];
        double a1y = s[sOff + 1];
        double a1z = s[sOff + 2];
        double a2x = s[sOff + 3];
        double a2y = s[sOff + 4];
        double a2z = s[sOff + 5];
        double n1 = Math.sqrt(a1x * a1x + a1y * a1y + a1z * a1z);
        double n2 = Math.sqrt(a2x * a2x + a2y * a2y + a2z * a2z);
        if (n1 == 0 || n2 == 0) {
            throw new IllegalArgumentException((index < 0 ? name : name + "[" + index + "]")
                    + ": expected two non-zero columns, got |a1| = " + n1 + ", |a2| = " + n2);
        }
        double b1x = a1x / n1;
        double b1y = a1y / n1;
        double b1z = a1z / n1;
        // a2 minus its component along b1
        double d = b1x * a2x + b1y * a2y + b1z * a2z;
        double px = a2x - d * b1x;
        double py = a2y - d * b1y;
        double pz = a2z - d * b1z;
        double np = Math.sqrt(px * px + py * py + pz * pz);
        if (!(np > PARALLEL_SINE * n2)) {
            throw new IllegalArgumentException((index < 0 ? name : name + "[" + index + "]")
                    + ": columns a1 and a2 are parallel (sine of their angle " + (np / n2)
                    + ", expected at least " + PARALLEL_SINE + ")");
        }
        double b2x = px / np;
        double b2y = py / np;
        double b2z = pz / np;
        // b3 = b1 × b2
        double b3x = b1y * b2z - b1z * b2y;
        double b3y = b1z * b2x - b1x * b2z;
        double b3z = b1x * b2y - b1y * b2x;
        m[mOff] = (float) b1x;
        m[mOff + 1] = (float) b2x;
        m[mOff + 2] = (float) b3x;
        m[mOff + 3] = (float) b1y;
        m[mOff + 4] = (float) b2y;
        m[mOff + 5] = (float) b3y;
        m[mOff + 6] = (float) b1z;
        m[mOff + 7] = (float) b2z;
        m[mOff + 8] = (float) b3z;
    }

    /**
     * The 6D value of one rotation matrix: its first two columns,
     * {@code [r00, r10, r20, r01, r11, r21]}. The inverse of
     * {@link #rotation6dToMatrix(float[], int, float[], int)} on rotations.
     *
     * @param matrix    rotation matrix (3, 3) row-major at {@code matrixOff}. Not modified.
     * @param matrixOff offset of the matrix in {@code matrix}
     * @param sixD      6D value (6), written at {@code sixDOff}. Modified.
     * @param sixDOff   offset of the value in {@code sixD}
     * @throws IllegalArgumentException if an array is null, too short for its offset, or the matrix holds
     *                                  NaN or an infinity
     */
    public static void matrixToRotation6d(float[] matrix, int matrixOff, float[] sixD, int sixDOff) {
        input("matrix", matrix, matrixOff, 1, 9, "3×3 rotation matrix", false);
        output("sixD", sixD, sixDOff, 1, 6, "6D rotation", false);
        columns(matrix, matrixOff, sixD, sixDOff);
    }

    /**
     * The 6D values of {@code count} rotation matrices into a caller's buffer; see
     * {@link #matrixToRotation6d(float[], int, float[], int)}. Allocates nothing.
     *
     * @param matrices    rotation matrices (count, 3, 3) from {@code matricesOff}. Not modified.
     * @param matricesOff offset of the first matrix
     * @param sixDs       6D values (count, 6) from {@code sixDsOff}. Modified.
     * @param sixDsOff    offset of the first value
     * @param count       number of rotations, 0 or more
     * @throws IllegalArgumentException if {@code count} is negative, an array is null or too short, the
     *                                  matrices hold NaN or an infinity, or both arrays are the same with
     *                                  overlapping ranges
     */
    public static void matrixToRotation6d(float[] matrices, int matricesOff, float[] sixDs, int sixDsOff,
                                          int count) {
        count(count);
        input("matrices", matrices, matricesOff, count, 9, "3×3 rotation matrix", true);
        output("sixDs", sixDs, sixDsOff, count, 6, "6D rotation", true);
        overlap("matrices", matrices, matricesOff, 9, "sixDs", sixDs, sixDsOff, 6, count);
        for (int i = 0; i < count; i++) {
            columns(matrices, matricesOff + 9 * i, sixDs, sixDsOff + 6 * i);
        }
    }

    /**
     * The 6D values of n rotation matrices, allocating the result; see
     * {@link #matrixToRotation6d(float[], int, float[], int)}.
     *
     * @param matrices rotation matrices (n, 3, 3), n at least 1. Not modified.
     * @return 6D values (n, 6)
     * @throws IllegalArgumentException if {@code matrices} is null, empty, not a multiple of 9 long, or holds
     *                                  NaN or an infinity
     */
    public static float[] matrixToRotation6d(float[] matrices) {
        int n = Checks.batch("matrices", matrices, 9, "n×3×3 rotation matrices");
        float[] sixDs = new float[6 * n];
        for (int i = 0; i < n; i++) {
            columns(matrices, 9 * i, sixDs, 6 * i);
        }
        return sixDs;
    }

    private static void columns(float[] m, int mOff, float[] s, int sOff) {
        float r00 = m[mOff];
        float r01 = m[mOff + 1];
        float r10 = m[mOff + 3];
        float r11 = m[mOff + 4];
        float r20 = m[mOff + 6];
        float r21 = m[mOff + 7];
        s[sOff] = r00;
        s[sOff + 1] = r10;
        s[sOff + 2] = r20;
        s[sOff + 3] = r01;
        s[sOff + 4] = r11;
        s[sOff + 5] = r21;
    }

    // ---------------------------------------------------------------------------------------------------------
    // 3×3 helpers

    /**
     * 3×3 matrix product {@code out = a b}, {@code out[r][c] = sum_k a[r][k] b[k][c]}, each sum in double and
     * rounded once. All inputs are read before {@code out} is written, so {@code out} may be the same array
     * and range as {@code a} or {@code b}.
     *
     * @param a      3×3 matrix, row-major, at {@code aOff}. Not modified.
     * @param aOff   offset of {@code a}
     * @param b      3×3 matrix, row-major, at {@code bOff}. Not modified.
     * @param bOff   offset of {@code b}
     * @param out    3×3 product, row-major, written at {@code outOff}. Modified.
     * @param outOff offset of {@code out}
     * @throws IllegalArgumentException if an array is null, too short for its offset, or an input holds NaN
     *                                  or an infinity
     */
    public static void multiply(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        input("a", a, aOff, 1, 9, "3×3 matrix", false);
        input("b", b, bOff, 1, 9, "3×3 matrix", false);
        output("out", out, outOff, 1, 9, "3×3 matrix", false);
        // float × float is exact in double, so each entry is rounded once.
        double a00 = a[aOff];
        double a01 = a[aOff + 1];
        double a02 = a[aOff + 2];
        double a10 = a[aOff + 3];
        double a11 = a[aOff + 4];
        double a12 = a[aOff + 5];
        double a20 = a[aOff + 6];
        double a21 = a[aOff + 7];
        double a22 = a[aOff + 8];
        double b00 = b[bOff];
        double b01 = b[bOff + 1];
        double b02 = b[bOff + 2];
        double b10 = b[bOff + 3];
        double b11 = b[bOff + 4];
        double b12 = b[bOff + 5];
        double b20 = b[bOff + 6];
        double b21 = b[bOff + 7];
        double b22 = b[bOff + 8];
        out[outOff] = (float) (a00 * b00 + a01 * b10 + a02 * b20);
        out[outOff + 1] = (float) (a00 * b01 + a01 * b11 + a02 * b21);
        out[outOff + 2] = (float) (a00 * b02 + a01 * b12 + a02 * b22);
        out[outOff + 3] = (float) (a10 * b00 + a11 * b10 + a12 * b20);
        out[outOff + 4] = (float) (a10 * b01 + a11 * b11 + a12 * b21);
        out[outOff + 5] = (float) (a10 * b02 + a11 * b12 + a12 * b22);
        out[outOff + 6] = (float) (a20 * b00 + a21 * b10 + a22 * b20);
        out[outOff + 7] = (float) (a20 * b01 + a21 * b11 + a22 * b21);
        out[outOff + 8] = (float) (a20 * b02 + a21 * b12 + a22 * b22);
    }

    /**
     * 3×3 transpose {@code out[r][c] = a[c][r]}; the inverse of a rotation. {@code out} may be the same array
     * and range as {@code a} (in place).
     *
     * @param a      3×3 matrix, row-major, at {@code aOff}. Not modified (unless it is {@code out}).
     * @param aOff   offset of {@code a}
     * @param out    3×3 transpose, row-major, written at {@code outOff}. Modified.
     * @param outOff offset of {@code out}
     * @throws IllegalArgumentException if an array is null, too short for its offset, or {@code a} holds NaN
     *                                  or an infinity
     */
    public static void transpose(float[] a, int aOff, float[] out, int outOff) {
        input("a", a, aOff, 1, 9, "3×3 matrix", false);
        output("out", out, outOff, 1, 9, "3×3 matrix", false);
        float a00 = a[aOff];
        float a01 = a[aOff + 1];
        float a02 = a[aOff + 2];
        float a10 = a[aOff + 3];
        float a11 = a[aOff + 4];
        float a12 = a[aOff + 5];
        float a20 = a[aOff + 6];
        float a21 = a[aOff + 7];
        float a22 = a[aOff + 8];
        out[outOff] = a00;
        out[outOff + 1] = a10;
        out[outOff + 2] = a20;
        out[outOff + 3] = a01;
        out[outOff + 4] = a11;
        out[outOff + 5] = a21;
        out[outOff + 6] = a02;
        out[outOff + 7] = a12;
        out[outOff + 8] = a22;
    }

    /**
     * Matrix times 3-vector {@code out = r v}, {@code out[i] = sum_k r[i][k] v[k]}, each sum in double and
     * rounded once. {@code out} may be the same array and range as {@code v}.
     *
     * @param r      3×3 matrix, row-major, at {@code rOff}. Not modified.
     * @param rOff   offset of {@code r}
     * @param v      3-vector at {@code vOff}. Not modified (unless it is {@code out}).
     * @param vOff   offset of {@code v}
     * @param out    3-vector, written at {@code outOff}. Modified.
     * @param outOff offset of {@code out}
     * @throws IllegalArgumentException if an array is null, too short for its offset, or an input holds NaN
     *                                  or an infinity
     */
    public static void rotate(float[] r, int rOff, float[] v, int vOff, float[] out, int outOff) {
        input("r", r, rOff, 1, 9, "3×3 matrix", false);
        input("v", v, vOff, 1, 3, "3-vector", false);
        output("out", out, outOff, 1, 3, "3-vector", false);
        double x = v[vOff];
        double y = v[vOff + 1];
        double z = v[vOff + 2];
        out[outOff] = (float) (r[rOff] * x + r[rOff + 1] * y + r[rOff + 2] * z);
        out[outOff + 1] = (float) (r[rOff + 3] * x + r[rOff + 4] * y + r[rOff + 5] * z);
        out[outOff + 2] = (float) (r[rOff + 6] * x + r[rOff + 7] * y + r[rOff + 8] * z);
    }

    // ---------------------------------------------------------------------------------------------------------
    // argument checks for ranges at offsets (Checks covers whole arrays); messages are built only on failure

    private static void count(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count: expected 0 or more, got " + count);
        }
    }

    /** Range check, then every value finite: {@code name[i]: NaN in y} or {@code name: NaN at component 4}. */
    private static void input(String name, float[] values, int off, int count, int stride, String shape,
                              boolean batched) {
        output(name, values, off, count, stride, shape, batched);
        int end = off + count * stride;
        for (int k = off; k < end; k++) {
            float v = values[k];
            if (!Float.isFinite(v)) {
                int item = (k - off) / stride;
                int component = (k - off) % stride;
                throw new IllegalArgumentException((batched ? name + "[" + item + "]" : name) + ": " + v
                        + (stride == 3 ? " in " + XYZ[component] : " at component " + component));
            }
        }
    }

    /** Range check only: {@code count} items of {@code stride} values fit from {@code off}. */
    private static void output(String name, float[] values, int off, int count, int stride, String shape,
                               boolean batched) {
        Checks.notNull(name, values);
        if (off < 0) {
            throw new IllegalArgumentException(name + "Off: expected 0 or more, got " + off);
        }
        long needed = (long) count * stride;
        if (off + needed > values.length) {
            throw new IllegalArgumentException(name + ": expected " + needed + " values ("
                    + (batched ? count + "×" + stride + " " : "") + shape + ") from offset " + off
                    + ", got length " + values.length);
        }
    }

    /**
     * Batched kernels read item i and then write item i, so the same array is safe only for one item, or
     * for the same offset and stride (item-for-item in place).
     */
    private static void overlap(String inName, float[] in, int inOff, int inStride,
                                String outName, float[] out, int outOff, int outStride, int count) {
        if (in != out || count <= 1 || (inOff == outOff && inStride == outStride)) {
            return;
        }
        long inEnd = inOff + (long) count * inStride;
        long outEnd = outOff + (long) count * outStride;
        if (inOff < outEnd && outOff < inEnd) {
            throw new IllegalArgumentException(inName + " and " + outName + " are the same array with overlapping"
                    + " ranges [" + inOff + ", " + inEnd + ") and [" + outOff + ", " + outEnd + "); expected"
                    + " separate ranges, or the same offset for item-for-item in-place use");
        }
    }
}
