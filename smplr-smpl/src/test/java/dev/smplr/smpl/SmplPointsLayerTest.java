package dev.smplr.smpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.smplr.core.Rotations;
import dev.smplr.core.SmplrPoints;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SmplPointsLayerTest {
    private static final int V = 300;
    private static final int B = 10;
    private static final ModelData DATA = SyntheticModels.data(V, B, 7);
    private static final SmplModel MODEL = SmplModel.of(DATA);
    private static final SmplPointsLayer LAYER = SmplPointsLayer.of(MODEL);

    @Test
    void forward_orthonormalRotations_equalsSmplrPointsBitForBit() {
        Random rnd = new Random(1);
        SmplPointsLayer.Tape tape = LAYER.newTape();
        for (int trial = 0; trial < 5; trial++) {
            float[] pose = randomPose(rnd, 0.6);
            float[] betas = randomBetas(rnd, B);
            float[] points = new float[SmplrPoints.VALUES];
            LAYER.forward(Rotations.axisAngleToMatrix(pose), betas, points, tape);
            assertThat(points).containsExactly(MODEL.smplrPoints(SmplParams.of(pose, betas, null)));
        }
    }

    @Test
    void forward_nonOrthonormalRotations_equalsFullModelAndFloat64Reference() {
        Random rnd = new Random(2);
        SmplPointsLayer.Tape tape = LAYER.newTape();
        for (int trial = 0; trial < 5; trial++) {
            float[] rotations = rawRotations(rnd);
            float[] betas = randomBetas(rnd, B);
            float[] points = new float[SmplrPoints.VALUES];
            LAYER.forward(rotations, betas, points, tape);
            float[] full = MODEL.smplrPoints(MODEL.forwardRotations(rotations, betas, null));
            double[] reference = referencePoints(toDouble(rotations), toDouble(betas));
            for (int i = 0; i < points.length; i++) {
                assertThat(points[i]).as("point value %d", i).isCloseTo(full[i], within(1e-6f));
                assertThat((double) points[i]).as("point value %d", i).isCloseTo(reference[i], within(1e-5));
            }
        }
    }

    @Test
    void backward_orthonormalRotations_matchesFiniteDifferences() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 3; trial++) {
            checkGradient(Rotations.axisAngleToMatrix(randomPose(rnd, 0.8)), randomBetas(rnd, B), rnd);
        }
    }

    @Test
    void backward_nonOrthonormalRotations_matchesFiniteDifferences() {
        Random rnd = new Random(4);
        for (int trial = 0; trial < 3; trial++) {
            checkGradient(rawRotations(rnd), randomBetas(rnd, B), rnd);
        }
    }

    @Test
    void backward_fewerBetasAndZeroBetas_matchesFiniteDifferences() {
        Random rnd = new Random(5);
        checkGradient(rawRotations(rnd), randomBetas(rnd, 4), rnd);
        checkGradient(rawRotations(rnd), new float[B], rnd);
        // the rest pose: every pose feature is zero, so the forward pass skips them, but the gradient must not
        checkGradient(Rotations.axisAngleToMatrix(new float[72]), randomBetas(rnd, B), rnd);
    }

    @Test
    void axisAngleGradient_throughTheLayer_matchesFiniteDifferencesOfThePose() {
        Random rnd = new Random(9);
        float[] pose = randomPose(rnd, 1.2);
        for (int k = 0; k < 3; k++) {
            pose[3 * 4 + k] = 0; // at rest: the series branch
            pose[3 * 9 + k] = (float) (2e-5 * (k + 1)); // tiny: the series branch
            pose[3 * 13 + k] = (float) (3e-3 * (k - 1)); // small: the closed form
        }
        float[] betas = randomBetas(rnd, B);
        float[] g = randomVector(rnd, SmplrPoints.VALUES);
        SmplPointsLayer.Tape tape = LAYER.newTape();
        LAYER.forward(Rotations.axisAngleToMatrix(pose), betas, new float[SmplrPoints.VALUES], tape);
        float[] gradRotations = new float[216];
        LAYER.backward(tape, g, gradRotations, new float[B]);
        float[] gradPose = new float[72];
        SmplPointsLayer.axisAngleGradient(pose, gradRotations, gradPose);

        double[] theta = toDouble(pose);
        double[] b = toDouble(betas);
        double h = 1e-5;
        double[] numeric = new double[72];
        for (int i = 0; i < 72; i++) {
            double keep = theta[i];
            theta[i] = keep + h;
            double plus = dot(g, referencePoints(rodrigues(theta), b));
            theta[i] = keep - h;
            double minus = dot(g, referencePoints(rodrigues(theta), b));
            theta[i] = keep;
            numeric[i] = (plus - minus) / (2 * h);
        }
        assertClose("dL/dtheta", gradPose, numeric);
    }

    @Test
    void axisAngleGradient_smallAndLargeAngles_matchesFiniteDifferencesOfRodrigues() {
        Random rnd = new Random(10);
        double[] angles = {0, 3e-5, 9e-5, 1.1e-4, 1e-3, 0.5, 2, 3.1};
        int n = angles.length;
        float[] theta = new float[3 * n];
        float[] g = randomVector(rnd, 9 * n);
        for (int j = 0; j < n; j++) {
            double[] axis = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
            double norm = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
            for (int k = 0; k < 3; k++) {
                theta[3 * j + k] = (float) (angles[j] * axis[k] / norm);
            }
        }
        float[] grad = new float[3 * n];
        SmplPointsLayer.axisAngleGradient(theta, g, grad);
        double h = 1e-7;
        double[] r = new double[9];
        for (int j = 0; j < n; j++) {
            double[] numeric = new double[3];
            for (int i = 0; i < 3; i++) {
                double[] t = {theta[3 * j], theta[3 * j + 1], theta[3 * j + 2]};
                double keep = t[i];
                double[] side = new double[2];
                for (int s = 0; s < 2; s++) {
                    t[i] = keep + (s == 0 ? h : -h);
                    ReferenceLbs.rodrigues(t[0], t[1], t[2], r, 0);
                    for (int e = 0; e < 9; e++) {
                        side[s] += g[9 * j + e] * r[e];
                    }
                }
                numeric[i] = (side[0] - side[1]) / (2 * h);
            }
            double scale = Math.max(Math.abs(numeric[0]), Math.max(Math.abs(numeric[1]), Math.abs(numeric[2])));
            for (int i = 0; i < 3; i++) {
                assertThat((double) grad[3 * j + i]).as("angle %s, component %d", angles[j], i)
                        .isCloseTo(numeric[i], within(2e-6 * scale));
            }
        }
    }

    @Test
    void axisAngleGradient_badArguments_throwNamingTheArgument() {
        assertThatThrownBy(() -> SmplPointsLayer.axisAngleGradient(new float[6], new float[9], new float[6]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gradRotations");
        assertThatThrownBy(() -> SmplPointsLayer.axisAngleGradient(new float[6], new float[18], new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gradAxisAngles");
        assertThatThrownBy(() -> SmplPointsLayer.axisAngleGradient(new float[] {0, Float.NaN, 0}, new float[9],
                new float[3])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("axisAngles");
    }

    @Test
    void jacobian_matchesCentralDifferencesOfLocalIncrementsAndBetas() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 3; trial++) {
            float[] pose = randomPose(rnd, 1.0);
            if (trial == 2) {
                Arrays.fill(pose, 3, 72, 0f); // body at rest: zero pose features, still a full Jacobian
            }
            float[] rotations = Rotations.axisAngleToMatrix(pose);
            float[] betas = randomBetas(rnd, trial == 1 ? 4 : B);
            SmplPointsLayer.Tape tape = LAYER.newTape();
            LAYER.forward(rotations, betas, new float[SmplrPoints.VALUES], tape);
            double[] jr = new double[123 * 72];
            double[] jb = new double[123 * betas.length];
            LAYER.jacobian(tape, jr, jb);

            double[] r = toDouble(rotations);
            double[] b = toDouble(betas);
            double h = 1e-4;
            double[] inc = new double[9];
            double[] fd = new double[123 * 72];
            for (int j = 0; j < 24; j++) {
                for (int a = 0; a < 3; a++) {
                    double[][] side = new double[2][];
                    for (int s = 0; s < 2; s++) {
                        double[] e = new double[3];
                        e[a] = s == 0 ? h : -h;
                        ReferenceLbs.rodrigues(e[0], e[1], e[2], inc, 0);
                        double[] moved = r.clone();
                        // R_j exp([e]x)
                        for (int row = 0; row < 3; row++) {
                            for (int c = 0; c < 3; c++) {
                                double sum = 0;
                                for (int k = 0; k < 3; k++) {
                                    sum += r[9 * j + 3 * row + k] * inc[3 * k + c];
                                }
                                moved[9 * j + 3 * row + c] = sum;
                            }
                        }
                        side[s] = referencePoints(moved, b);
                    }
                    for (int i = 0; i < 123; i++) {
                        fd[72 * i + 3 * j + a] = (side[0][i] - side[1][i]) / (2 * h);
                    }
                }
            }
            assertRelative("d points / d omega", jr, fd, 1e-3);
            double[] fdb = new double[123 * b.length];
            for (int k = 0; k < b.length; k++) {
                double keep = b[k];
                b[k] = keep + h;
                double[] plus = referencePoints(r, b);
                b[k] = keep - h;
                double[] minus = referencePoints(r, b);
                b[k] = keep;
                for (int i = 0; i < 123; i++) {
                    fdb[b.length * i + k] = (plus[i] - minus[i]) / (2 * h);
                }
            }
            assertRelative("d points / d beta", jb, fdb, 1e-3);
        }
    }

    @Test
    void jacobian_transposeTimesUpstream_equalsBackwardThroughLocalIncrements() {
        Random rnd = new Random(12);
        float[] rotations = Rotations.axisAngleToMatrix(randomPose(rnd, 1.2));
        float[] betas = randomBetas(rnd, B);
        float[] g = randomVector(rnd, SmplrPoints.VALUES);
        SmplPointsLayer.Tape tape = LAYER.newTape();
        LAYER.forward(rotations, betas, new float[SmplrPoints.VALUES], tape);
        double[] jr = new double[123 * 72];
        double[] jb = new double[123 * B];
        LAYER.jacobian(tape, jr, jb);
        float[] gradR = new float[216];
        float[] gradB = new float[B];
        LAYER.backward(tape, g, gradR, gradB);
        double[] fromBackward = new double[72];
        double[] fromJacobian = new double[72];
        for (int j = 0; j < 24; j++) {
            for (int a = 0; a < 3; a++) {
                // dL/domega_ja = sum_rc dL/dR[r][c] (R [e_a]x)[r][c]
                double s = 0;
                for (int row = 0; row < 3; row++) {
                    for (int c = 0; c < 3; c++) {
                        double d = 0;
                        for (int k = 0; k < 3; k++) {
                            double skew = skew(a, k, c);
                            d += rotations[9 * j + 3 * row + k] * skew;
                        }
                        s += gradR[9 * j + 3 * row + c] * d;
                    }
                }
                fromBackward[3 * j + a] = s;
                double t = 0;
                for (int i = 0; i < 123; i++) {
                    t += g[i] * jr[72 * i + 3 * j + a];
                }
                fromJacobian[3 * j + a] = t;
            }
        }
        assertRelative("J^T g vs backward", fromJacobian, fromBackward, 1e-4);
        double[] betaJ = new double[B];
        double[] betaB = new double[B];
        for (int k = 0; k < B; k++) {
            for (int i = 0; i < 123; i++) {
                betaJ[k] += g[i] * jb[B * i + k];
            }
            betaB[k] = gradB[k];
        }
        assertRelative("J_beta^T g vs backward", betaJ, betaB, 1e-4);
    }

    @Test
    void jacobian_badArguments_throw() {
        SmplPointsLayer.Tape tape = LAYER.newTape();
        assertThatThrownBy(() -> LAYER.jacobian(tape, new double[123 * 72], null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tape");
        Random rnd = new Random(13);
        LAYER.forward(rawRotations(rnd), new float[B], new float[SmplrPoints.VALUES], tape);
        assertThatThrownBy(() -> LAYER.jacobian(tape, new double[123 * 72], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not orthonormal");
        LAYER.forward(Rotations.axisAngleToMatrix(new float[72]), new float[B], new float[SmplrPoints.VALUES], tape);
        assertThatThrownBy(() -> LAYER.jacobian(tape, new double[100], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jacRotations");
        assertThatThrownBy(() -> LAYER.jacobian(tape, new double[123 * 72], new double[123]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jacBetas");
    }

    /** [e_a]x[k][c]. */
    private static double skew(int a, int k, int c) {
        double[][][] e = {
            {{0, 0, 0}, {0, 0, -1}, {0, 1, 0}},
            {{0, 0, 1}, {0, 0, 0}, {-1, 0, 0}},
            {{0, -1, 0}, {1, 0, 0}, {0, 0, 0}},
        };
        return e[a][k][c];
    }

    /** max |analytic − numeric| / max |numeric| below {@code tol}. */
    private static void assertRelative(String what, double[] analytic, double[] numeric, double tol) {
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < numeric.length; i++) {
            scale = Math.max(scale, Math.abs(numeric[i]));
            worst = Math.max(worst, Math.abs(analytic[i] - numeric[i]));
        }
        assertThat(scale).as(what + " scale").isGreaterThan(1e-3);
        assertThat(worst / scale).as(what + " relative error").isLessThan(tol);
    }

    @Test
    void backward_zeroUpstreamGradient_givesZero() {
        Random rnd = new Random(6);
        SmplPointsLayer.Tape tape = LAYER.newTape();
        LAYER.forward(rawRotations(rnd), randomBetas(rnd, B), new float[SmplrPoints.VALUES], tape);
        float[] gradRotations = new float[216];
        float[] gradBetas = new float[B];
        Arrays.fill(gradRotations, 5f);
        Arrays.fill(gradBetas, 5f);
        LAYER.backward(tape, new float[SmplrPoints.VALUES], gradRotations, gradBetas);
        assertThat(gradRotations).containsOnly(0f);
        assertThat(gradBetas).containsOnly(0f);
    }

    @Test
    void forwardBackward_reusedTape_equalsFreshTapes() {
        Random rnd = new Random(8);
        SmplPointsLayer.Tape shared = LAYER.newTape();
        for (int trial = 0; trial < 6; trial++) {
            float[] rotations = trial % 2 == 0 ? rawRotations(rnd) : Rotations.axisAngleToMatrix(randomPose(rnd, 1));
            float[] betas = randomBetas(rnd, trial % 3 == 0 ? 3 : B);
            float[] g = randomVector(rnd, SmplrPoints.VALUES);
            float[] p1 = new float[SmplrPoints.VALUES];
            float[] r1 = new float[216];
            float[] b1 = new float[betas.length];
            LAYER.forward(rotations, betas, p1, shared);
            LAYER.backward(shared, g, r1, b1);
            SmplPointsLayer.Tape fresh = LAYER.newTape();
            float[] p2 = new float[SmplrPoints.VALUES];
            float[] r2 = new float[216];
            float[] b2 = new float[betas.length];
            LAYER.forward(rotations, betas, p2, fresh);
            LAYER.backward(fresh, g, r2, b2);
            assertThat(p1).containsExactly(p2);
            assertThat(r1).containsExactly(r2);
            assertThat(b1).containsExactly(b2);
        }
    }

    @Test
    void forward_badArguments_throwNamingTheArgument() {
        SmplPointsLayer.Tape tape = LAYER.newTape();
        float[] rotations = Rotations.axisAngleToMatrix(new float[72]);
        float[] betas = new float[B];
        float[] points = new float[SmplrPoints.VALUES];
        assertThatThrownBy(() -> LAYER.forward(new float[215], betas, points, tape))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rotations");
        float[] nanRotations = rotations.clone();
        nanRotations[40] = Float.NaN;
        assertThatThrownBy(() -> LAYER.forward(nanRotations, betas, points, tape))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rotations");
        assertThatThrownBy(() -> LAYER.forward(rotations, new float[] {1, Float.NaN}, points, tape))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("betas");
        assertThatThrownBy(() -> LAYER.forward(rotations, new float[B + 1], points, tape))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("betas")
                .hasMessageContaining(String.valueOf(B));
        assertThatThrownBy(() -> LAYER.forward(rotations, betas, new float[122], tape))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("points41");
        assertThatThrownBy(() -> LAYER.forward(rotations, betas, points, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tape");
        SmplPointsLayer.Tape other = SmplPointsLayer.of(SyntheticModels.model(V, 3, 1)).newTape();
        assertThatThrownBy(() -> LAYER.forward(rotations, betas, points, other))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tape");
        assertThatThrownBy(() -> SmplPointsLayer.of(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model");
    }

    @Test
    void backward_badArguments_throwNamingTheArgument() {
        SmplPointsLayer.Tape tape = LAYER.newTape();
        float[] g = new float[SmplrPoints.VALUES];
        assertThatThrownBy(() -> LAYER.backward(tape, g, new float[216], new float[B]))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tape");
        LAYER.forward(Rotations.axisAngleToMatrix(new float[72]), new float[B], new float[SmplrPoints.VALUES], tape);
        assertThatThrownBy(() -> LAYER.backward(tape, new float[120], new float[216], new float[B]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gradPoints");
        float[] nan = g.clone();
        nan[7] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> LAYER.backward(tape, nan, new float[216], new float[B]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gradPoints");
        assertThatThrownBy(() -> LAYER.backward(tape, g, new float[24], new float[B]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gradRotations");
        assertThatThrownBy(() -> LAYER.backward(tape, g, new float[216], new float[B - 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gradBetas");
        assertThatThrownBy(() -> LAYER.backward(null, g, new float[216], new float[B]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tape");
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * Checks the analytic gradient of L = g · points against central differences of the float64 reference, for
     * every rotation entry and every beta. L is quadratic in each single input (each R_j and J enter the chain
     * once, x_l and A_j are linear in each), so central differences are exact up to rounding.
     */
    private static void checkGradient(float[] rotations, float[] betas, Random rnd) {
        float[] g = randomVector(rnd, SmplrPoints.VALUES);
        SmplPointsLayer.Tape tape = LAYER.newTape();
        LAYER.forward(rotations, betas, new float[SmplrPoints.VALUES], tape);
        float[] gradRotations = new float[216];
        float[] gradBetas = new float[betas.length];
        LAYER.backward(tape, g, gradRotations, gradBetas);

        double[] r = toDouble(rotations);
        double[] b = toDouble(betas);
        double h = 1e-3;
        double[] fdRotations = new double[216];
        for (int i = 0; i < 216; i++) {
            double keep = r[i];
            r[i] = keep + h;
            double plus = dot(g, referencePoints(r, b));
            r[i] = keep - h;
            double minus = dot(g, referencePoints(r, b));
            r[i] = keep;
            fdRotations[i] = (plus - minus) / (2 * h);
        }
        double[] fdBetas = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            double keep = b[i];
            b[i] = keep + h;
            double plus = dot(g, referencePoints(r, b));
            b[i] = keep - h;
            double minus = dot(g, referencePoints(r, b));
            b[i] = keep;
            fdBetas[i] = (plus - minus) / (2 * h);
        }
        assertClose("dL/dR", gradRotations, fdRotations);
        assertClose("dL/dbeta", gradBetas, fdBetas);
    }

    private static void assertClose(String what, float[] analytic, double[] numeric) {
        double scale = 0;
        for (double x : numeric) {
            scale = Math.max(scale, Math.abs(x));
        }
        assertThat(scale).as(what + " scale").isGreaterThan(1e-3);
        for (int i = 0; i < numeric.length; i++) {
            double tol = 1e-4 * scale + 1e-3 * Math.abs(numeric[i]);
            assertThat((double) analytic[i]).as("%s[%d]", what, i).isCloseTo(numeric[i], within(tol));
        }
    }

    /** The 41 points in float64 from the official-layout arrays, written from the formulas (dense weights). */
    private static double[] referencePoints(double[] rot, double[] betas) {
        int nb = DATA.shapeCount();
        float[] vt = DATA.vTemplate();
        float[] sd = DATA.shapeDirs();
        float[] pd = DATA.poseDirs();
        float[] jr = DATA.jRegressor();
        float[] w = DATA.lbsWeights();
        int[] parents = DATA.parents();
        int[] lm = DATA.landmarkVertices();
        double[] shaped = new double[3 * V];
        for (int i = 0; i < 3 * V; i++) {
            double s = vt[i];
            for (int k = 0; k < betas.length; k++) {
                s += sd[i * nb + k] * betas[k];
            }
            shaped[i] = s;
        }
        double[] joints = new double[72];
        for (int j = 0; j < 24; j++) {
            for (int v = 0; v < V; v++) {
                for (int k = 0; k < 3; k++) {
                    joints[3 * j + k] += jr[j * V + v] * shaped[3 * v + k];
                }
            }
        }
        double[] feature = new double[207];
        for (int f = 0; f < 207; f++) {
            feature[f] = rot[9 + f] - (f % 9 % 4 == 0 ? 1 : 0);
        }
        // G_j as 4x4 (row-major 16)
        double[][] global = new double[24][];
        for (int j = 0; j < 24; j++) {
            double[] local = new double[16];
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    local[4 * r + c] = rot[9 * j + 3 * r + c];
                }
                local[4 * r + 3] = joints[3 * j + r] - (j == 0 ? 0 : joints[3 * parents[j] + r]);
            }
            local[15] = 1;
            global[j] = j == 0 ? local : mul4(global[parents[j]], local);
        }
        double[] out = new double[123];
        for (int p = 0; p < 23; p++) {
            for (int k = 0; k < 3; k++) {
                out[3 * p + k] = global[p + 1][4 * k + 3] - global[0][4 * k + 3];
            }
        }
        for (int l = 0; l < 18; l++) {
            int v = lm[l];
            double[] x = new double[3];
            for (int k = 0; k < 3; k++) {
                double s = shaped[3 * v + k];
                for (int f = 0; f < 207; f++) {
                    s += pd[(3 * v + k) * 207 + f] * feature[f];
                }
                x[k] = s;
            }
            for (int k = 0; k < 3; k++) {
                double s = 0;
                for (int j = 0; j < 24; j++) {
                    double[] gj = global[j];
                    // A_j (x, 1) = Rg_j (x − J_j) + t_j
                    double a = gj[4 * k + 3];
                    for (int c = 0; c < 3; c++) {
                        a += gj[4 * k + c] * (x[c] - joints[3 * j + c]);
                    }
                    s += w[24 * v + j] * a;
                }
                out[3 * (23 + l) + k] = s - global[0][4 * k + 3];
            }
        }
        return out;
    }

    /** Rodrigues in float64 for every joint, from the test reference. */
    private static double[] rodrigues(double[] pose) {
        double[] r = new double[216];
        for (int j = 0; j < 24; j++) {
            ReferenceLbs.rodrigues(pose[3 * j], pose[3 * j + 1], pose[3 * j + 2], r, 9 * j);
        }
        return r;
    }

    private static double[] mul4(double[] a, double[] b) {
        double[] c = new double[16];
        for (int r = 0; r < 4; r++) {
            for (int k = 0; k < 4; k++) {
                double s = 0;
                for (int m = 0; m < 4; m++) {
                    s += a[4 * r + m] * b[4 * m + k];
                }
                c[4 * r + k] = s;
            }
        }
        return c;
    }

    private static double dot(float[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static float[] randomPose(Random rnd, double scale) {
        float[] pose = new float[72];
        for (int i = 0; i < pose.length; i++) {
            pose[i] = (float) (scale * (2 * rnd.nextDouble() - 1));
        }
        return pose;
    }

    /** Raw regressor-like matrices: tanh of a rotation plus noise, neither orthonormal nor unit-determinant. */
    private static float[] rawRotations(Random rnd) {
        float[] r = Rotations.axisAngleToMatrix(randomPose(rnd, 0.7));
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) Math.tanh(r[i] + 0.3 * rnd.nextGaussian());
        }
        return r;
    }

    private static float[] randomBetas(Random rnd, int n) {
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            b[i] = (float) (1.5 * rnd.nextGaussian());
        }
        return b;
    }

    private static float[] randomVector(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
