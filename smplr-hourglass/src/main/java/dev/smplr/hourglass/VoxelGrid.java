package dev.smplr.hourglass;

import dev.smplr.core.internal.Checks;

/**
 * The voxel grid of the volumetric hourglass (SPEC.md section 6, decisions 14.2 and 15.1): a cube of side
 * {@value #CUBE_METRES} m centred on the root, in the camera frame (X right, Y down, Z away, metres), cut into
 * {@code size} columns (X), {@code size} rows (Y) and {@code depthBins} bins (Z). A point maps to continuous voxel
 * coordinates
 * <pre>
 * v_x = (X / 2.5 + 0.5) · size,   v_y = (Y / 2.5 + 0.5) · size,   v_z = (Z / 2.5 + 0.5) · depthBins
 * </pre>
 * and cell (row i, column j, bin k) sits at grid coordinate (x = j, y = i, z = k); the inverse
 * {@code X = (v_x / size − 0.5) · 2.5} is exact, so the half-cell offset cancels.
 *
 * <p>Head layout (one example): volume p (points 0..40, then limbs) of depth bin d at channel
 * {@code c = d·volumes + p}, and the flattened value of cell (i, j) of that channel at
 * {@code c·size² + i·size + j}; {@link #index} computes it.
 *
 * @param size      cells along X and Y, &gt; 0 (64 in the paper)
 * @param depthBins cells along Z, &gt; 0 (16 in the paper)
 * @param volumes   volumes per depth bin, ≥ 41 (45 in the paper: 41 points, 4 limbs)
 */
record VoxelGrid(int size, int depthBins, int volumes) {
    /** Side of the cube, metres. */
    static final float CUBE_METRES = 2.5f;

    VoxelGrid {
        if (size <= 0 || depthBins <= 0 || volumes < HourglassConfig.POINTS) {
            throw new IllegalArgumentException("size, depthBins, volumes: expected > 0, > 0, >= 41, got " + size
                    + ", " + depthBins + ", " + volumes);
        }
    }

    /** The grid of a configuration's output volumes. */
    static VoxelGrid of(HourglassConfig config) {
        return new VoxelGrid(config.outputSize(), config.depthBins(), config.volumes());
    }

    /** @return cells per depth bin: {@code size²} */
    int cells() {
        return size * size;
    }

    /** @return values per example: {@code depthBins · volumes · size²} */
    int values() {
        return depthBins * volumes * cells();
    }

    /** @return the flattened index of volume p, bin d, row i, column j within one example */
    int index(int p, int d, int i, int j) {
        return ((d * volumes + p) * size + i) * size + j;
    }

    /**
     * Metres to continuous voxel coordinates, {@code v = (X / 2.5 + 0.5) · (size, size, depthBins)} per axis.
     *
     * @param points (n, 3) camera-frame root-relative points, metres, at {@code 3*i..3*i+2}. Not modified.
     * @param out    (n, 3) voxel coordinates (x, y, z). Modified.
     */
    void toVoxels(float[] points, float[] out) {
        int n = points.length / 3;
        for (int i = 0; i < n; i++) {
            out[3 * i] = (points[3 * i] / CUBE_METRES + 0.5f) * size;
            out[3 * i + 1] = (points[3 * i + 1] / CUBE_METRES + 0.5f) * size;
            out[3 * i + 2] = (points[3 * i + 2] / CUBE_METRES + 0.5f) * depthBins;
        }
    }

    /**
     * Soft-argmax decoding of the 41 point volumes of one example: per point p, softmax over all
     * {@code depthBins·size²} cells of its volume, the expected grid coordinate, then voxels to metres:
     * <pre>
     * w_dij = exp(x_pdij − max),   v = Σ w·(j, i, d) / Σ w,   X = (v_x / size − 0.5) · 2.5 (likewise Y, Z)
     * </pre>
     * Limb volumes are not decoded.
     *
     * @param logits    the head output, {@link #values()} values from {@code logitsOff}, layout {@link #index}.
     *                  Not modified.
     * @param logitsOff index of the example's first value
     * @param out       (41, 3) points, metres. Modified.
     * @param outOff    index of the first value written
     */
    void softArgmax(float[] logits, int logitsOff, float[] out, int outOff) {
        int c = cells();
        int pointCount = HourglassConfig.POINTS;
        for (int p = 0; p < pointCount; p++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int d = 0; d < depthBins; d++) {
                int base = logitsOff + (d * volumes + p) * c;
                for (int k = 0; k < c; k++) {
                    max = Math.max(max, logits[base + k]);
                }
            }
            // sum = Σ w, sx = Σ w·j, sy = Σ w·i, sz = Σ w·d with w = exp(x − max) ≤ 1
            double sum = 0;
            double sx = 0;
            double sy = 0;
            double sz = 0;
            for (int d = 0; d < depthBins; d++) {
                int base = logitsOff + (d * volumes + p) * c;
                double binSum = 0;
                for (int i = 0; i < size; i++) {
                    int row = base + i * size;
                    double rowSum = 0;
                    for (int j = 0; j < size; j++) {
                        float w = (float) Math.exp(logits[row + j] - max);
                        rowSum += w;
                        sx += w * j;
                    }
                    binSum += rowSum;
                    sy += rowSum * i;
                }
                sum += binSum;
                sz += binSum * d;
            }
            out[outOff + 3 * p] = (float) ((sx / sum / size - 0.5) * CUBE_METRES);
            out[outOff + 3 * p + 1] = (float) ((sy / sum / size - 0.5) * CUBE_METRES);
            out[outOff + 3 * p + 2] = (float) ((sz / sum / depthBins - 0.5) * CUBE_METRES);
        }
    }

    /**
     * Soft-argmax of a batch: {@code n} examples laid out one after another.
     *
     * @param logits (n, values()) head outputs. Not modified.
     * @param n      examples
     * @return (n, 41·3) points, metres
     */
    float[] softArgmax(float[] logits, int n) {
        Checks.notNull("logits", logits);
        if ((long) n * values() != logits.length) {
            throw new IllegalArgumentException("logits: expected " + n + "×" + values() + " values, got "
                    + logits.length);
        }
        float[] out = new float[n * 3 * HourglassConfig.POINTS];
        java.util.stream.IntStream.range(0, n).parallel()
                .forEach(e -> softArgmax(logits, e * values(), out, e * 3 * HourglassConfig.POINTS));
        return out;
    }
}
