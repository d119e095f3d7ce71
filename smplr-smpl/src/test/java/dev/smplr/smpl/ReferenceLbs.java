package dev.smplr.smpl;

/**
 * Test helper: a float64 SMPL forward pass over {@link ModelData} written straight from SMPL.md (textbook
 * Rodrigues), to pose the demo body in tests and pictures. Not the production forward.
 */
final class ReferenceLbs {
    private ReferenceLbs() {
    }

    /**
     * @param m     the model
     * @param betas shape coefficients (at most B)
     * @param pose  24 × 3 axis-angle
     * @return posed vertices (V, 3)
     */
    static double[] vertices(ModelData m, double[] betas, double[] pose) {
        int nv = m.vertexCount();
        int nb = m.shapeCount();
        int nj = ModelData.JOINTS;
        double[] vs = new double[3 * nv];
        for (int i = 0; i < 3 * nv; i++) {
            double x = m.vTemplate()[i];
            for (int b = 0; b < betas.length; b++) {
                x += betas[b] * m.shapeDirs()[i * nb + b];
            }
            vs[i] = x;
        }
        double[] jt = joints(m, vs);
        double[] rot = new double[9 * nj];
        for (int j = 0; j < nj; j++) {
            rodrigues(pose[3 * j], pose[3 * j + 1], pose[3 * j + 2], rot, 9 * j);
        }
        int nf = ModelData.POSE_FEATURES;
        double[] feat = new double[nf];
        for (int j = 1; j < nj; j++) {
            for (int e = 0; e < 9; e++) {
                feat[9 * (j - 1) + e] = rot[9 * j + e] - (e % 4 == 0 ? 1 : 0);
            }
        }
        for (int i = 0; i < 3 * nv; i++) {
            double d = 0;
            for (int q = 0; q < nf; q++) {
                d += m.poseDirs()[i * nf + q] * feat[q];
            }
            vs[i] += d;
        }
        // G_j (3×4) = G_parent · [R_j | J_j - J_parent]
        double[] g = new double[12 * nj];
        for (int j = 0; j < nj; j++) {
            int p = m.parents()[j];
            double[] local = new double[12];
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    local[4 * r + c] = rot[9 * j + 3 * r + c];
                }
                local[4 * r + 3] = jt[3 * j + r] - (p < 0 ? 0 : jt[3 * p + r]);
            }
            if (p < 0) {
                System.arraycopy(local, 0, g, 0, 12);
            } else {
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < 4; c++) {
                        double s = c == 3 ? g[12 * p + 4 * r + 3] : 0;
                        for (int k = 0; k < 3; k++) {
                            s += g[12 * p + 4 * r + k] * local[4 * k + c];
                        }
                        g[12 * j + 4 * r + c] = s;
                    }
                }
            }
        }
        // A_j = G_j with the rest joint removed
        for (int j = 0; j < nj; j++) {
            for (int r = 0; r < 3; r++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += g[12 * j + 4 * r + k] * jt[3 * j + k];
                }
                g[12 * j + 4 * r + 3] -= s;
            }
        }
        double[] out = new double[3 * nv];
        for (int i = 0; i < nv; i++) {
            double[] t = new double[12];
            for (int j = 0; j < nj; j++) {
                double w = m.lbsWeights()[nj * i + j];
                if (w != 0) {
                    for (int e = 0; e < 12; e++) {
                        t[e] += w * g[12 * j + e];
                    }
                }
            }
            for (int r = 0; r < 3; r++) {
                out[3 * i + r] = t[4 * r] * vs[3 * i] + t[4 * r + 1] * vs[3 * i + 1] + t[4 * r + 2] * vs[3 * i + 2]
                        + t[4 * r + 3];
            }
        }
        return out;
    }

    /** @return J_regressor · v, (24, 3) */
    static double[] joints(ModelData m, double[] v) {
        int nv = m.vertexCount();
        double[] jt = new double[3 * ModelData.JOINTS];
        for (int j = 0; j < ModelData.JOINTS; j++) {
            for (int i = 0; i < nv; i++) {
                double w = m.jRegressor()[j * nv + i];
                if (w != 0) {
                    for (int k = 0; k < 3; k++) {
                        jt[3 * j + k] += w * v[3 * i + k];
                    }
                }
            }
        }
        return jt;
    }

    static void rodrigues(double x, double y, double z, double[] out, int off) {
        double angle = Math.sqrt(x * x + y * y + z * z);
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        double kx = angle == 0 ? 0 : x / angle;
        double ky = angle == 0 ? 0 : y / angle;
        double kz = angle == 0 ? 0 : z / angle;
        double t = 1 - c;
        out[off] = c + t * kx * kx;
        out[off + 1] = t * kx * ky - s * kz;
        out[off + 2] = t * kx * kz + s * ky;
        out[off + 3] = t * ky * kx + s * kz;
        out[off + 4] = c + t * ky * ky;
        out[off + 5] = t * ky * kz - s * kx;
        out[off + 6] = t * kz * kx - s * ky;
        out[off + 7] = t * kz * ky + s * kx;
        out[off + 8] = c + t * kz * kz;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
