package dev.smplr.core;

import java.util.Random;

/** Shared test fixtures: the SMPL-like rest skeleton of {@code shared/data/rest-skeleton.csv}, random poses. */
final class TestData {
    private TestData() {
    }

    /** @return the 42 rest nodes (root, 23 joints, 18 landmarks), metres, (42, 3) */
    static float[] restNodes() {
        return RestSkeleton.nodes();
    }

    /** @return the 41 root-relative rest points */
    static float[] restPoints41() {
        return RestSkeleton.points41();
    }

    /** @return the 24 SMPL rest joints */
    static float[] restJoints24() {
        return RestSkeleton.joints();
    }

    /** @return n×3 axis-angle values with angles up to {@code maxAngle} in random directions */
    static float[] randomAxisAngles(Random rnd, int n, double maxAngle) {
        float[] aa = new float[3 * n];
        for (int j = 0; j < n; j++) {
            double x = rnd.nextGaussian();
            double y = rnd.nextGaussian();
            double z = rnd.nextGaussian();
            double norm = Math.sqrt(x * x + y * y + z * z);
            double angle = rnd.nextDouble() * maxAngle;
            aa[3 * j] = (float) (x / norm * angle);
            aa[3 * j + 1] = (float) (y / norm * angle);
            aa[3 * j + 2] = (float) (z / norm * angle);
        }
        return aa;
    }

    /** Rodrigues in double, textbook closed form; identity at zero. Row-major 3×3. */
    static double[] rodrigues64(double x, double y, double z) {
        double t = Math.sqrt(x * x + y * y + z * z);
        if (t == 0) {
            return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
        }
        double kx = x / t;
        double ky = y / t;
        double kz = z / t;
        double c = Math.cos(t);
        double s = Math.sin(t);
        double v = 1 - c;
        return new double[] {
            c + kx * kx * v, kx * ky * v - kz * s, kx * kz * v + ky * s,
            ky * kx * v + kz * s, c + ky * ky * v, ky * kz * v - kx * s,
            kz * kx * v - ky * s, kz * ky * v + kx * s, c + kz * kz * v,
        };
    }
}
