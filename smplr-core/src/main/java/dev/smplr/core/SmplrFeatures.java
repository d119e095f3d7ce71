package dev.smplr.core;

import dev.smplr.core.internal.Checks;

/**
 * The SMPLR input features (SPEC.md 3) over the 42-node {@link KinematicTree#smplr() SMPLR tree}.
 *
 * <p>With {@code P[0] = 0} (the root) and {@code P[k] = points41[k - 1]}, each bone {@code k = 1..41} with
 * parent {@code p} gives {@code r_k = P[k] - P[p]} and {@code l_k = |r_k|}:
 * <ul>
 *   <li>N, the normalized relative joints: {@code n_k = r_k / l_k}, 41×3 = 123 values, bone by bone;</li>
 *   <li>B, the relative distances: {@code b_k = l_k - d*_k}, 41 values, metres, where {@code d*} are the bone
 *       lengths of the body model's rest template ({@link #templateDistances(float[])}).</li>
 * </ul>
 * No epsilon and no scale normalisation, as in the release: a zero-length bone is an error.
 */
public final class SmplrFeatures {
    /** Values in N, 123. */
    public static final int N_SIZE = 3 * SmplrPoints.COUNT;
    /** Values in B, 41. */
    public static final int B_SIZE = SmplrPoints.COUNT;

    private static final int[] PARENTS = KinematicTree.smplr().parents();

    /**
     * The 41 template distances of the SMPLR release (SPEC.md 2.4, bones 1..41), measured on an official SMPL
     * template. For cross-checking only: compute a body model's own with {@link #templateDistances(float[])}.
     */
    private static final float[] RELEASE_TEMPLATE = {
        0.1148f, 0.1127f, 0.1056f, 0.3656f, 0.3725f, 0.1277f, 0.3860f, 0.3862f, 0.0565f, 0.1289f,
        0.1286f, 0.2141f, 0.1446f, 0.1451f, 0.0801f, 0.0913f, 0.0955f, 0.2530f, 0.2472f, 0.2382f,
        0.2454f, 0.0813f, 0.0814f, 0.1461f, 0.1390f, 0.1461f, 0.1800f, 0.1817f, 0.1639f, 0.1663f,
        0.1886f, 0.1877f, 0.0672f, 0.0666f, 0.0772f, 0.1203f, 0.0927f, 0.1423f, 0.0912f, 0.0814f,
        0.1187f,
    };

    private SmplrFeatures() {
    }

    /**
     * N: the unit direction of each of the 41 bones.
     *
     * @param points41 41 root-relative points (123 values). Not modified.
     * @return N, 123 values, a new array
     * @throws IllegalArgumentException if the length is wrong, a value is not finite, or a bone has zero length
     */
    public static float[] normalizedRelativeJoints(float[] points41) {
        Checks.rows("points41", points41, SmplrPoints.COUNT, 3, SmplrPoints.SHAPE);
        float[] out = new float[N_SIZE];
        normalizedRelativeJoints(points41, 0, out, 0);
        return out;
    }

    /**
     * N into a caller's buffer, for batches: reads 123 values at {@code pointsOff}, writes 123 at {@code outOff}.
     * Checks that the values are finite and the bones non-degenerate, not the array bounds beyond Java's own.
     *
     * @param points    points. Not modified.
     * @param pointsOff offset of the set
     * @param out       N. Modified.
     * @param outOff    offset in {@code out}
     * @throws IllegalArgumentException if a value is not finite or a bone has zero length
     */
    public static void normalizedRelativeJoints(float[] points, int pointsOff, float[] out, int outOff) {
        double[] r = new double[3];
        for (int k = 1; k < SmplrPoints.NODES; k++) {
            double l = bone(points, pointsOff, k, r);
            if (!(l > 0) || !Double.isFinite(l)) {
                throw degenerate("points", k, l);
            }
            int o = outOff + 3 * (k - 1);
            out[o] = (float) (r[0] / l);
            out[o + 1] = (float) (r[1] / l);
            out[o + 2] = (float) (r[2] / l);
        }
    }

    /**
     * B: each bone's length minus the template's.
     *
     * @param points41 41 root-relative points (123 values). Not modified.
     * @param template the 41 template bone lengths {@code d*_1..d*_41}, metres ({@link #templateDistances}).
     *                 Not modified.
     * @return B, 41 values, metres, a new array
     * @throws IllegalArgumentException if a length is wrong or a value is not finite
     */
    public static float[] relativeDistances(float[] points41, float[] template) {
        Checks.rows("points41", points41, SmplrPoints.COUNT, 3, SmplrPoints.SHAPE);
        Checks.rows("template", template, B_SIZE, 1, "41 template bone lengths");
        float[] out = new float[B_SIZE];
        relativeDistances(points41, 0, template, out, 0);
        return out;
    }

    /**
     * B into a caller's buffer, for batches: reads 123 values at {@code pointsOff}, writes 41 at {@code outOff}.
     *
     * @param points    points. Not modified.
     * @param pointsOff offset of the set
     * @param template  41 template bone lengths. Not modified.
     * @param out       B. Modified.
     * @param outOff    offset in {@code out}
     */
    public static void relativeDistances(float[] points, int pointsOff, float[] template, float[] out,
            int outOff) {
        double[] r = new double[3];
        for (int k = 1; k < SmplrPoints.NODES; k++) {
            // rounded to float first, as templateDistances does, so B is exactly zero on the template
            out[outOff + k - 1] = (float) bone(points, pointsOff, k, r) - template[k - 1];
        }
    }

    /**
     * The template distances {@code d*}: the 41 bone lengths of a rest pose (the body model's β = 0 template,
     * SPEC.md 15.2).
     *
     * @param restPoints41 the 41 root-relative points of the rest template. Not modified.
     * @return 41 bone lengths, metres, a new array
     * @throws IllegalArgumentException if the length is wrong, a value is not finite, or a bone has zero length
     */
    public static float[] templateDistances(float[] restPoints41) {
        Checks.rows("restPoints41", restPoints41, SmplrPoints.COUNT, 3, SmplrPoints.SHAPE);
        float[] out = new float[B_SIZE];
        double[] r = new double[3];
        for (int k = 1; k < SmplrPoints.NODES; k++) {
            double l = bone(restPoints41, 0, k, r);
            if (!(l > 0)) {
                throw degenerate("restPoints41", k, l);
            }
            out[k - 1] = (float) l;
        }
        return out;
    }

    /**
     * @return the 41 template distances printed in the SMPLR release (SPEC.md 2.4), measured on an official
     *         SMPL template; for cross-checking a real SMPL file, a new array
     */
    public static float[] releaseTemplateDistances() {
        return RELEASE_TEMPLATE.clone();
    }

    /** Writes {@code r_k = P[k] - P[parent(k)]} (P[0] = origin) into {@code r}; returns {@code |r_k|}. */
    private static double bone(float[] points, int off, int k, double[] r) {
        int c = off + 3 * (k - 1);
        int p = PARENTS[k];
        r[0] = points[c];
        r[1] = points[c + 1];
        r[2] = points[c + 2];
        if (p > 0) {
            int q = off + 3 * (p - 1);
            r[0] -= points[q];
            r[1] -= points[q + 1];
            r[2] -= points[q + 2];
        }
        return Math.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
    }

    private static IllegalArgumentException degenerate(String name, int bone, double length) {
        String child = KinematicTree.smplr().name(bone);
        String parent = KinematicTree.smplr().name(PARENTS[bone]);
        return new IllegalArgumentException(name + ": bone " + bone + " (" + parent + " → " + child
                + ") has length " + length + "; N needs distinct, finite points");
    }
}
