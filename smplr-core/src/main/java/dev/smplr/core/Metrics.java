package dev.smplr.core;

import dev.smplr.core.internal.Checks;
import java.util.EnumMap;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Error metrics of the field, in <strong>millimetres</strong>, on point sets given in metres as flat
 * {@code (n, 3)} arrays. Sums are taken in double.
 *
 * <ul>
 *   <li>MPJPE: mean Euclidean distance per point, no alignment (the SMPLR protocol, SPEC.md 9);</li>
 *   <li>PA-MPJPE: the same after similarity Procrustes alignment (scale, rotation, translation) of the
 *       prediction onto the target;</li>
 *   <li>PVE: mean per-vertex Euclidean distance between two meshes;</li>
 *   <li>bone-length error: mean absolute difference of bone lengths over a tree;</li>
 *   <li>{@link #groupErrors}: MPJPE per {@link JointGroup}.</li>
 * </ul>
 */
public final class Metrics {
    private static final double MM = 1000.0;

    private Metrics() {
    }

    /**
     * Mean per-point Euclidean distance.
     *
     * @param predicted predicted points (n, 3), metres. Not modified.
     * @param target    target points (n, 3), metres. Not modified.
     * @return the mean distance in mm
     * @throws IllegalArgumentException if the arrays are empty, differ in length, are not a multiple of 3, or
     *                                  hold a non-finite value
     */
    public static double mpjpe(float[] predicted, float[] target) {
        int n = pair(predicted, target);
        return meanDistance(toDouble(predicted), toDouble(target), n);
    }

    /**
     * MPJPE over a subset of points.
     *
     * @param predicted predicted points (n, 3), metres. Not modified.
     * @param target    target points (n, 3), metres. Not modified.
     * @param points    the indices of the points to average over. Not modified.
     * @return the mean distance in mm
     * @throws IllegalArgumentException as {@link #mpjpe(float[], float[])}, or if {@code points} is empty or
     *                                  holds an index out of range
     */
    public static double mpjpe(float[] predicted, float[] target, int[] points) {
        int n = pair(predicted, target);
        Checks.notNull("points", points);
        if (points.length == 0) {
            throw new IllegalArgumentException("points: expected at least one index, got none");
        }
        double sum = 0;
        for (int i : points) {
            Checks.index("points", i, n);
            sum += distance(predicted, target, i);
        }
        return MM * sum / points.length;
    }

    /**
     * Distance of every point, in mm.
     *
     * @param predicted predicted points (n, 3), metres. Not modified.
     * @param target    target points (n, 3), metres. Not modified.
     * @return n distances in mm, a new array
     * @throws IllegalArgumentException as {@link #mpjpe(float[], float[])}
     */
    public static double[] pointErrors(float[] predicted, float[] target) {
        int n = pair(predicted, target);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = MM * distance(predicted, target, i);
        }
        return out;
    }

    /**
     * Per-vertex error: the mean Euclidean distance between corresponding vertices of two meshes.
     *
     * @param predicted predicted vertices (V, 3), metres. Not modified.
     * @param target    target vertices (V, 3), metres. Not modified.
     * @return the mean distance in mm
     * @throws IllegalArgumentException as {@link #mpjpe(float[], float[])}
     */
    public static double pve(float[] predicted, float[] target) {
        return mpjpe(predicted, target);
    }

    /**
     * MPJPE after aligning the prediction to the target with the similarity transform
     * {@code x -> s·R·x + t} that minimises the squared error (Umeyama: SVD of the cross-covariance, det R = +1).
     *
     * @param predicted predicted points (n, 3), n ≥ 3, metres. Not modified.
     * @param target    target points (n, 3), metres. Not modified.
     * @return the mean distance after alignment, in mm
     * @throws IllegalArgumentException as {@link #mpjpe(float[], float[])}, or if fewer than 3 points are given
     */
    public static double paMpjpe(float[] predicted, float[] target) {
        int n = pair(predicted, target);
        if (n < 3) {
            throw new IllegalArgumentException("predicted: expected at least 3 points for Procrustes, got " + n);
        }
        double[] x = toDouble(predicted);
        double[] y = toDouble(target);
        return meanDistance(procrustesAlign(x, y, n), y, n);
    }

    /**
     * Mean absolute bone-length difference over the bones of a tree.
     *
     * @param tree      the tree whose bones are measured; positions include its root
     * @param predicted predicted node positions (size, 3). Not modified.
     * @param target    target node positions (size, 3). Not modified.
     * @return the mean absolute difference in mm
     * @throws IllegalArgumentException if a length is wrong or a value is not finite
     */
    public static double boneLengthError(KinematicTree tree, float[] predicted, float[] target) {
        Checks.notNull("tree", tree);
        String shape = tree.size() + "×3 node positions";
        Checks.rows("predicted", predicted, tree.size(), 3, shape);
        Checks.rows("target", target, tree.size(), 3, shape);
        float[] lp = tree.boneLengths(predicted);
        float[] lt = tree.boneLengths(target);
        double sum = 0;
        for (int k = 0; k < lp.length; k++) {
            sum += Math.abs((double) lp[k] - lt[k]);
        }
        return MM * sum / lp.length;
    }

    /**
     * Bone-length error of two SMPLR point sets over the 41 bones of the 42-node tree (root at the origin).
     *
     * @param predicted41 41 predicted root-relative points. Not modified.
     * @param target41    41 target root-relative points. Not modified.
     * @return the mean absolute bone-length difference in mm
     * @throws IllegalArgumentException if a length is wrong or a value is not finite
     */
    public static double boneLengthError(float[] predicted41, float[] target41) {
        Checks.rows("predicted41", predicted41, SmplrPoints.COUNT, 3, SmplrPoints.SHAPE);
        Checks.rows("target41", target41, SmplrPoints.COUNT, 3, SmplrPoints.SHAPE);
        return boneLengthError(KinematicTree.smplr(), withRoot(predicted41), withRoot(target41));
    }

    /**
     * MPJPE per evaluation group (SPEC.md 9) of two SMPLR point sets; the root's error is 0 by construction.
     *
     * @param predicted41 41 predicted root-relative points. Not modified.
     * @param target41    41 target root-relative points. Not modified.
     * @return the error of every {@link JointGroup}, in mm, in group order
     * @throws IllegalArgumentException if a length is wrong or a value is not finite
     */
    public static Map<JointGroup, Double> groupErrors(float[] predicted41, float[] target41) {
        Checks.rows("predicted41", predicted41, SmplrPoints.COUNT, 3, SmplrPoints.SHAPE);
        Checks.rows("target41", target41, SmplrPoints.COUNT, 3, SmplrPoints.SHAPE);
        Map<JointGroup, Double> out = new EnumMap<>(JointGroup.class);
        for (JointGroup g : JointGroup.values()) {
            out.put(g, mpjpe(predicted41, target41, g.points()));
        }
        return out;
    }

    /**
     * Aligns {@code x} to {@code y} with the best similarity transform; package-private for tests.
     *
     * @return the aligned copy of x
     */
    static double[] procrustesAlign(double[] x, double[] y, int n) {
        double[] mx = mean(x, n);
        double[] my = mean(y, n);
        // M[a][b] = sum_i (x_i - mx)_a (y_i - my)_b ; varX = sum_i |x_i - mx|^2
        DMatrixRMaj m = new DMatrixRMaj(3, 3);
        double varX = 0;
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < 3; a++) {
                double xa = x[3 * i + a] - mx[a];
                varX += xa * xa;
                for (int b = 0; b < 3; b++) {
                    m.add(a, b, xa * (y[3 * i + b] - my[b]));
                }
            }
        }
        double[] out = new double[3 * n];
        if (varX == 0) {
            // All predicted points coincide: the best similarity maps them to the target's mean.
            for (int i = 0; i < n; i++) {
                System.arraycopy(my, 0, out, 3 * i, 3);
            }
            return out;
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(3, 3, true, true, false);
        if (!svd.decompose(m)) {
            throw new IllegalArgumentException("predicted: Procrustes SVD did not converge");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj v = svd.getV(null, false);
        double[] s = svd.getSingularValues();
        // R = V · diag(1, 1, d) · Uᵀ with d = sign(det(V Uᵀ)) so that det R = +1; the reflection, if any, is
        // taken on the smallest singular value.
        int smallest = 0;
        for (int i = 1; i < 3; i++) {
            if (s[i] < s[smallest]) {
                smallest = i;
            }
        }
        DMatrixRMaj vut = new DMatrixRMaj(3, 3);
        CommonOps_DDRM.multTransB(v, u, vut);
        double d = CommonOps_DDRM.det(vut) < 0 ? -1 : 1;
        DMatrixRMaj vd = v.copy();
        for (int r = 0; r < 3; r++) {
            vd.set(r, smallest, vd.get(r, smallest) * d);
        }
        DMatrixRMaj rot = new DMatrixRMaj(3, 3);
        CommonOps_DDRM.multTransB(vd, u, rot);
        double trace = 0;
        for (int i = 0; i < 3; i++) {
            trace += s[i] * (i == smallest ? d : 1);
        }
        double scale = trace / varX;
        for (int i = 0; i < n; i++) {
            double x0 = x[3 * i] - mx[0];
            double x1 = x[3 * i + 1] - mx[1];
            double x2 = x[3 * i + 2] - mx[2];
            for (int a = 0; a < 3; a++) {
                out[3 * i + a] = scale * (rot.get(a, 0) * x0 + rot.get(a, 1) * x1 + rot.get(a, 2) * x2) + my[a];
            }
        }
        return out;
    }

    private static int pair(float[] predicted, float[] target) {
        Checks.notNull("predicted", predicted);
        Checks.notNull("target", target);
        int n = Checks.batch("predicted", predicted, 3, "n×3 points");
        if (target.length != predicted.length) {
            throw new IllegalArgumentException("target: expected " + predicted.length
                    + " values (the length of predicted), got " + target.length);
        }
        Checks.finite("target", target, 3);
        return n;
    }

    private static double distance(float[] a, float[] b, int i) {
        double dx = (double) a[3 * i] - b[3 * i];
        double dy = (double) a[3 * i + 1] - b[3 * i + 1];
        double dz = (double) a[3 * i + 2] - b[3 * i + 2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    private static double meanDistance(double[] a, double[] b, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double dx = a[3 * i] - b[3 * i];
            double dy = a[3 * i + 1] - b[3 * i + 1];
            double dz = a[3 * i + 2] - b[3 * i + 2];
            sum += Math.sqrt(dx * dx + dy * dy + dz * dz);
        }
        return MM * sum / n;
    }

    private static double[] mean(double[] p, int n) {
        double[] m = new double[3];
        for (int i = 0; i < n; i++) {
            m[0] += p[3 * i];
            m[1] += p[3 * i + 1];
            m[2] += p[3 * i + 2];
        }
        m[0] /= n;
        m[1] /= n;
        m[2] /= n;
        return m;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static float[] withRoot(float[] points41) {
        float[] p = new float[3 * SmplrPoints.NODES];
        System.arraycopy(points41, 0, p, 3, points41.length);
        return p;
    }
}
