package dev.smplr.smpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.smplr.core.BodyEstimate;
import dev.smplr.core.Gender;
import dev.smplr.core.Rotations;
import dev.smplr.core.SmplrPoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SmplModelTest {
    private static final double TOLERANCE = 1e-5;
    private static final int V = 400;
    private static final int B = 10;
    private static final ModelData DATA = SyntheticModels.data(V, B, 1);
    private static final SmplModel MODEL = SmplModel.of(DATA);

    // ---------------------------------------------------------------------------------------------------------
    // against the float64 reference

    @Test
    void forward_matchesFloat64Reference_variedPoses() {
        Random rnd = new Random(2);
        List<float[]> poses = specialPoses(rnd);
        for (int t = 0; t < poses.size(); t++) {
            SmplParams p = SmplParams.of(poses.get(t), randomBetas(rnd, B), randomTransl(rnd));
            assertMatchesReference(DATA, p, MODEL.forward(p), "pose " + t);
        }
    }

    @Test
    void forward_batch17_matchesReferenceAndEqualsOneByOne() {
        Random rnd = new Random(3);
        List<SmplParams> batch = new ArrayList<>();
        List<float[]> special = specialPoses(rnd);
        for (int i = 0; i < 17; i++) {
            float[] pose = i < special.size() ? special.get(i) : randomPose(rnd, Math.PI);
            // varied beta counts: none, some, all
            batch.add(SmplParams.of(pose, randomBetas(rnd, i % (B + 1)), randomTransl(rnd)));
        }
        List<SmplOutput> outs = MODEL.forward(batch);
        assertThat(outs).hasSize(17);
        for (int i = 0; i < 17; i++) {
            assertMatchesReference(DATA, batch.get(i), outs.get(i), "body " + i);
            SmplOutput single = MODEL.forward(batch.get(i));
            assertThat(outs.get(i).vertices()).as("body %d vertices", i).containsExactly(single.vertices());
            assertThat(outs.get(i).joints()).as("body %d joints", i).containsExactly(single.joints());
        }
        assertThat(MODEL.forward(List.of())).isEmpty();
    }

    @Test
    void forward_realSize_matchesReference() {
        ModelData data = SyntheticModels.data(6890, 10, 5);
        SmplModel model = SmplModel.of(data);
        Random rnd = new Random(5);
        SmplParams p = SmplParams.of(randomPose(rnd, 2), randomBetas(rnd, 10), randomTransl(rnd));
        SmplOutput out = model.forward(p);
        assertMatchesReference(data, p, out, "V=6890");
        SmplOutput batched = model.forward(List.of(p, p)).get(1);
        assertThat(batched.vertices()).containsExactly(out.vertices());
        assertThat(model.smplrPoints(p)).containsExactly(model.smplrPoints(out));
    }

    @Test
    void forward_zeroPose_isShapedTemplateAndRestJoints() {
        Random rnd = new Random(4);
        float[] betas = randomBetas(rnd, B);
        SmplOutput out = MODEL.forward(SmplParams.of(new float[72], betas, null));
        double[] vShaped = shaped(DATA, betas);
        for (int i = 0; i < vShaped.length; i++) {
            assertThat((double) out.vertices()[i]).as("value %d", i).isCloseTo(vShaped[i], within(1e-6));
        }
        double[] joints = regress(DATA, vShaped);
        float[] rest = MODEL.restJoints(betas);
        for (int i = 0; i < joints.length; i++) {
            assertThat((double) out.joints()[i]).as("joint value %d", i).isCloseTo(joints[i], within(1e-6));
            assertThat((double) rest[i]).as("rest joint value %d", i).isCloseTo(joints[i], within(1e-6));
        }
        // the zero shape is the template
        assertThat(MODEL.forward(SmplParams.of(new float[72], new float[0], null)).vertices())
                .containsExactly(MODEL.template(), within(1e-6f));
    }

    @Test
    void forward_globalRotationAlone_isRigidAboutThePelvis() {
        Random rnd = new Random(6);
        float[] betas = randomBetas(rnd, B);
        float[] transl = randomTransl(rnd);
        SmplOutput rest = MODEL.forward(SmplParams.of(new float[72], betas, null));
        float[] pose = new float[72];
        pose[0] = 0.4f;
        pose[1] = -1.2f;
        pose[2] = 0.9f;
        SmplOutput posed = MODEL.forward(SmplParams.of(pose, betas, transl));
        double[] r = rodrigues64(pose, 0);
        float[] j0 = {rest.joints()[0], rest.joints()[1], rest.joints()[2]};
        assertRigid(r, rest.vertices(), j0, j0, transl, posed.vertices());
        assertRigid(r, rest.joints(), j0, j0, transl, posed.joints());
    }

    @Test
    void rerootTranslation_rotatesAboutTheOrigin() {
        Random rnd = new Random(7);
        float[] betas = randomBetas(rnd, 4);
        float[] transl = randomTransl(rnd);
        float[] pose = randomPose(rnd, 1.5);
        float[] unrotated = pose.clone();
        unrotated[0] = 0;
        unrotated[1] = 0;
        unrotated[2] = 0;
        SmplOutput y = MODEL.forward(SmplParams.of(unrotated, betas, null));
        float[] globalOrient = {pose[0], pose[1], pose[2]};
        float[] t = MODEL.rerootTranslation(globalOrient, betas, transl);
        SmplOutput posed = MODEL.forward(SmplParams.of(pose, betas, t));
        float[] origin = new float[3];
        assertRigid(rodrigues64(pose, 0), y.vertices(), origin, origin, transl, posed.vertices());
        assertRigid(rodrigues64(pose, 0), y.joints(), origin, origin, transl, posed.joints());
    }

    // ---------------------------------------------------------------------------------------------------------
    // every path agrees

    @Test
    void forwardRotations_rodriguesMatrices_equalsForward() {
        Random rnd = new Random(8);
        for (int t = 0; t < 5; t++) {
            SmplParams p = SmplParams.of(randomPose(rnd, 3), randomBetas(rnd, B), randomTransl(rnd));
            SmplOutput expected = MODEL.forward(p);
            SmplOutput out = MODEL.forwardRotations(Rotations.axisAngleToMatrix(p.pose()), p.betas(), p.transl());
            assertThat(out).isEqualTo(expected);
        }
    }

    @Test
    void forwardRotations_nonOrthonormal_matchesReference() {
        Random rnd = new Random(9);
        float[] rotations = Rotations.axisAngleToMatrix(randomPose(rnd, 2));
        for (int i = 0; i < rotations.length; i++) {
            rotations[i] += (float) (0.1 * rnd.nextGaussian());
        }
        float[] betas = randomBetas(rnd, B);
        float[] transl = randomTransl(rnd);
        SmplOutput out = MODEL.forwardRotations(rotations, betas, transl);
        double[][] ref = reference(DATA, toDouble(rotations), betas, transl);
        assertClose(out, ref, "non-orthonormal");
    }

    @Test
    void forward_fewerBetas_sameAsZeroPadded() {
        Random rnd = new Random(10);
        float[] pose = randomPose(rnd, 1);
        float[] betas = randomBetas(rnd, 3);
        float[] padded = java.util.Arrays.copyOf(betas, B);
        assertThat(MODEL.forward(SmplParams.of(pose, betas, null)))
                .isEqualTo(MODEL.forward(SmplParams.of(pose, padded, null)));
    }

    @Test
    void forward_workspaceReused_sameResults() {
        Random rnd = new Random(11);
        SmplModel.Workspace ws = MODEL.newWorkspace();
        SmplOutput out = MODEL.newOutput();
        for (int t = 0; t < 4; t++) {
            SmplParams p = SmplParams.of(randomPose(rnd, 2), randomBetas(rnd, t * 3), randomTransl(rnd));
            MODEL.forward(p, out, ws);
            assertThat(out).isEqualTo(MODEL.forward(p));
        }
    }

    @Test
    void joints_equalsForwardJoints() {
        Random rnd = new Random(12);
        for (int t = 0; t < 5; t++) {
            SmplParams p = SmplParams.of(randomPose(rnd, 3), randomBetas(rnd, B), randomTransl(rnd));
            assertThat(MODEL.joints(p)).containsExactly(MODEL.forward(p).joints());
        }
    }

    @Test
    void smplrPoints_params_equalsPointsOfForward() {
        Random rnd = new Random(13);
        for (int t = 0; t < 5; t++) {
            SmplParams p = SmplParams.of(randomPose(rnd, 3), randomBetas(rnd, t * 2), randomTransl(rnd));
            SmplOutput out = MODEL.forward(p);
            float[] points = MODEL.smplrPoints(p);
            assertThat(points).hasSize(123).containsExactly(MODEL.smplrPoints(out));
            assertThat(points).containsExactly(
                    SmplrPoints.gather(out.joints(), out.vertices(), DATA.landmarkVertices()));
        }
    }

    @Test
    void smplrPoints_output_isRootRelativeJointsThenLandmarks() {
        Random rnd = new Random(14);
        SmplParams p = SmplParams.of(randomPose(rnd, 1), randomBetas(rnd, B), randomTransl(rnd));
        SmplOutput out = MODEL.forward(p);
        float[] points = MODEL.smplrPoints(out);
        float[] j = out.joints();
        assertThat(points[0]).isEqualTo(j[3] - j[0]);
        int lastLandmark = DATA.landmarkVertices()[17];
        assertThat(points[3 * 40 + 2]).isEqualTo(out.vertices()[3 * lastLandmark + 2] - j[2]);
    }

    @Test
    void pose_bodyEstimate_isForwardWithoutTranslation() {
        Random rnd = new Random(15);
        float[] pose = randomPose(rnd, 1);
        float[] betas = randomBetas(rnd, B);
        BodyEstimate estimate = new BodyEstimate() {
            @Override
            public float[] pose() {
                return pose;
            }

            @Override
            public float[] betas() {
                return betas;
            }

            @Override
            public Gender gender() {
                return Gender.FEMALE;
            }
        };
        SmplOutput mesh = MODEL.pose(estimate);
        assertThat(mesh).isEqualTo(MODEL.forward(SmplParams.of(pose, betas, null)));
        assertThat(MODEL.smplrPoints((dev.smplr.core.BodyMesh) mesh)).containsExactly(MODEL.smplrPoints(mesh));
    }

    @Test
    void forward_concurrentThreads_identicalResults() throws Exception {
        Random rnd = new Random(16);
        List<SmplParams> params = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            params.add(SmplParams.of(randomPose(rnd, 2), randomBetas(rnd, B), randomTransl(rnd)));
        }
        List<SmplOutput> expected = new ArrayList<>();
        for (SmplParams p : params) {
            expected.add(MODEL.forward(p));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                int offset = thread;
                results.add(pool.submit(() -> {
                    boolean same = true;
                    for (int rep = 0; rep < 20; rep++) {
                        int i = (offset + rep) % 8;
                        same &= MODEL.forward(params.get(i)).equals(expected.get(i));
                        same &= java.util.Arrays.equals(MODEL.joints(params.get(i)), expected.get(i).joints());
                    }
                    return same;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdown();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // accessors and bad input

    @Test
    void accessors_describeTheModelAndReturnCopies() {
        assertThat(MODEL.vertexCount()).isEqualTo(V);
        assertThat(MODEL.shapeCount()).isEqualTo(B);
        assertThat(MODEL.gender()).isEqualTo(Gender.NEUTRAL);
        assertThat(MODEL.source()).isEqualTo("synthetic V=400 B=10 seed=1");
        assertThat(MODEL.faces()).containsExactly(DATA.faces());
        MODEL.faces()[0] = -5;
        MODEL.landmarkVertices()[0] = -5;
        MODEL.template()[0] = 99;
        assertThat(MODEL.faces()[0]).isEqualTo(DATA.faces()[0]);
        assertThat(MODEL.landmarkVertices()).containsExactly(DATA.landmarkVertices());
        assertThat(MODEL.template()).containsExactly(DATA.vTemplate());
    }

    @Test
    void forward_tooManyBetas_throwsNamingBothCounts() {
        SmplParams p = SmplParams.of(new float[72], new float[16], null);
        assertThatThrownBy(() -> MODEL.forward(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("params.betas: expected at most 10 values").hasMessageEndingWith("got 16");
        assertThatThrownBy(() -> MODEL.forward(List.of(SmplParams.zero(), p)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("batch[1].betas: expected at most 10");
        assertThatThrownBy(() -> MODEL.joints(p)).hasMessageContaining("got 16");
        assertThatThrownBy(() -> MODEL.smplrPoints(p)).hasMessageContaining("got 16");
        assertThatThrownBy(() -> MODEL.restJoints(new float[11])).hasMessageStartingWith("betas: expected at most 10");
        assertThatThrownBy(() -> MODEL.forwardRotations(new float[216], new float[11], null))
                .hasMessageStartingWith("betas: expected at most 10");
    }

    @Test
    void forward_badPoseOrNaN_throwsNamingTheArgument() {
        assertThatThrownBy(() -> SmplParams.of(new float[69], new float[0], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("pose: expected 72 values (24×3 axis-angle), got 69");
        SmplParams p = SmplParams.zero();
        p.pose()[3 * 5 + 2] = Float.NaN; // kept arrays can be changed after the check in SmplParams
        assertThatThrownBy(() -> MODEL.forward(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("params.pose[5]: NaN in z");
        SmplParams q = SmplParams.zero();
        q.betas()[2] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> MODEL.forward(q)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("params.betas[2]: Infinity");
        float[] rotations = new float[216];
        rotations[30] = Float.NaN;
        assertThatThrownBy(() -> MODEL.forwardRotations(rotations, new float[0], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("rotations[3]: NaN");
        assertThatThrownBy(() -> MODEL.forwardRotations(new float[207], new float[0], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("rotations: expected 216 values");
        assertThatThrownBy(() -> MODEL.forward((SmplParams) null)).hasMessage("params: null");
        assertThatThrownBy(() -> MODEL.forward(SmplParams.zero(), new SmplOutput(new float[3], new float[72]),
                MODEL.newWorkspace())).hasMessageStartingWith("out.vertices: expected 1200 values");
        assertThatThrownBy(() -> MODEL.forward(SmplParams.zero(), MODEL.newOutput(),
                SyntheticModels.model(300, 3, 1).newWorkspace())).hasMessageStartingWith("workspace: made for 3");
        assertThatThrownBy(() -> MODEL.rerootTranslation(new float[2], new float[0], new float[3]))
                .hasMessageStartingWith("globalOrient: expected 3 values");
    }

    @Test
    void forward_outputIsAnInput_throws() {
        SmplModel wide = SyntheticModels.model(300, 72, 2);
        SmplParams p = SmplParams.of(new float[72], new float[72], null);
        SmplOutput aliased = new SmplOutput(new float[900], p.betas());
        assertThatThrownBy(() -> wide.forward(p, aliased, wide.newWorkspace()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("out: its arrays must not be the input betas or transl");
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers

    private static void assertMatchesReference(ModelData data, SmplParams p, SmplOutput out, String what) {
        double[] rotations = new double[216];
        for (int j = 0; j < 24; j++) {
            System.arraycopy(rodrigues64(p.pose(), j), 0, rotations, 9 * j, 9);
        }
        assertClose(out, reference(data, rotations, p.betas(), p.transl()), what);
    }

    private static void assertClose(SmplOutput out, double[][] ref, String what) {
        assertThat(out.vertices()).hasSize(ref[0].length);
        for (int i = 0; i < ref[0].length; i++) {
            assertThat((double) out.vertices()[i]).as("%s vertex value %d", what, i).isCloseTo(ref[0][i],
                    within(TOLERANCE));
        }
        for (int i = 0; i < ref[1].length; i++) {
            assertThat((double) out.joints()[i]).as("%s joint value %d", what, i).isCloseTo(ref[1][i],
                    within(TOLERANCE));
        }
    }

    /** posed[i] = R (rest[i] − center) + pivot + transl for every point. */
    private static void assertRigid(double[] r, float[] rest, float[] center, float[] pivot, float[] transl,
            float[] posed) {
        for (int i = 0; i < rest.length / 3; i++) {
            for (int a = 0; a < 3; a++) {
                double expected = pivot[a] + transl[a];
                for (int b = 0; b < 3; b++) {
                    expected += r[3 * a + b] * (rest[3 * i + b] - center[b]);
                }
                assertThat((double) posed[3 * i + a]).as("point %d axis %d", i, a).isCloseTo(expected,
                        within(TOLERANCE));
            }
        }
    }

    /** Zero, tiny, exactly-π (in float), beyond π and 2π, and random poses. */
    private static List<float[]> specialPoses(Random rnd) {
        List<float[]> poses = new ArrayList<>();
        poses.add(new float[72]);
        float[] tiny = new float[72];
        java.util.Arrays.fill(tiny, 1e-12f);
        poses.add(tiny);
        float[] pi = new float[72];
        for (int j = 0; j < 24; j++) {
            pi[3 * j + j % 3] = (j % 2 == 0 ? 1 : -1) * (float) Math.PI;
        }
        poses.add(pi);
        poses.add(randomPose(rnd, 3 * Math.PI)); // beyond π and 2π
        float[] some = randomPose(rnd, 1);
        for (int j = 0; j < 24; j += 3) {
            some[3 * j] = 0;
            some[3 * j + 1] = 0;
            some[3 * j + 2] = 0; // joints at rest: their features are skipped
        }
        poses.add(some);
        for (int t = 0; t < 3; t++) {
            poses.add(randomPose(rnd, Math.PI));
        }
        return poses;
    }

    /** Random axes, angles uniform in [0, maxAngle). */
    private static float[] randomPose(Random rnd, double maxAngle) {
        float[] pose = new float[72];
        for (int j = 0; j < 24; j++) {
            double x = rnd.nextGaussian();
            double y = rnd.nextGaussian();
            double z = rnd.nextGaussian();
            double f = maxAngle * rnd.nextDouble() / Math.sqrt(x * x + y * y + z * z);
            pose[3 * j] = (float) (f * x);
            pose[3 * j + 1] = (float) (f * y);
            pose[3 * j + 2] = (float) (f * z);
        }
        return pose;
    }

    private static float[] randomBetas(Random rnd, int n) {
        float[] betas = new float[n];
        for (int b = 0; b < n; b++) {
            betas[b] = (float) (2 * rnd.nextGaussian());
        }
        return betas;
    }

    private static float[] randomTransl(Random rnd) {
        return new float[] {(float) rnd.nextGaussian(), (float) rnd.nextGaussian(), (float) (3 + rnd.nextGaussian())};
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    // ---------------------------------------------------------------------------------------------------------
    // the float64 reference: SMPL.md literally, dense, with 4×4 matrices

    /** Textbook Rodrigues of joint j's axis-angle, float64. */
    static double[] rodrigues64(float[] pose, int j) {
        double x = pose[3 * j];
        double y = pose[3 * j + 1];
        double z = pose[3 * j + 2];
        double theta = Math.sqrt(x * x + y * y + z * z);
        double[] r = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        if (theta == 0) {
            return r;
        }
        double kx = x / theta;
        double ky = y / theta;
        double kz = z / theta;
        double[] k = {0, -kz, ky, kz, 0, -kx, -ky, kx, 0};
        double[] k2 = mul3(k, k);
        double s = Math.sin(theta);
        double c = 1 - Math.cos(theta);
        for (int i = 0; i < 9; i++) {
            r[i] += s * k[i] + c * k2[i];
        }
        return r;
    }

    private static double[] mul3(double[] a, double[] b) {
        double[] out = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < 3; k++) {
                    out[3 * r + c] += a[3 * r + k] * b[3 * k + c];
                }
            }
        }
        return out;
    }

    private static double[] mul4(double[] a, double[] b) {
        double[] out = new double[16];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                for (int k = 0; k < 4; k++) {
                    out[4 * r + c] += a[4 * r + k] * b[4 * k + c];
                }
            }
        }
        return out;
    }

    /** v_shaped = v_template + shapedirs · β. */
    static double[] shaped(ModelData d, float[] betas) {
        int n3 = 3 * d.vertexCount();
        int nb = d.shapeCount();
        double[] out = new double[n3];
        for (int i = 0; i < n3; i++) {
            out[i] = d.vTemplate()[i];
            for (int b = 0; b < betas.length; b++) {
                out[i] += (double) d.shapeDirs()[i * nb + b] * betas[b];
            }
        }
        return out;
    }

    /** J = J_regressor · v_shaped, dense. */
    static double[] regress(ModelData d, double[] vShaped) {
        int v = d.vertexCount();
        double[] joints = new double[72];
        for (int j = 0; j < 24; j++) {
            for (int i = 0; i < v; i++) {
                for (int k = 0; k < 3; k++) {
                    joints[3 * j + k] += d.jRegressor()[j * v + i] * vShaped[3 * i + k];
                }
            }
        }
        return joints;
    }

    /** The whole forward pass from rotation matrices (24, 3, 3); returns {vertices, joints}. */
    static double[][] reference(ModelData d, double[] rotations, float[] betas, float[] transl) {
        int v = d.vertexCount();
        double[] vShaped = shaped(d, betas);
        double[] joints = regress(d, vShaped);
        double[] feature = new double[207];
        for (int j = 1; j < 24; j++) {
            for (int e = 0; e < 9; e++) {
                feature[9 * (j - 1) + e] = rotations[9 * j + e] - (e % 4 == 0 ? 1 : 0);
            }
        }
        double[] vPosed = vShaped.clone();
        for (int i = 0; i < 3 * v; i++) {
            for (int f = 0; f < 207; f++) {
                vPosed[i] += d.poseDirs()[i * 207 + f] * feature[f];
            }
        }
        double[][] g = new double[24][];
        double[][] a = new double[24][];
        for (int j = 0; j < 24; j++) {
            int p = d.parents()[j];
            double[] local = new double[16];
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    local[4 * r + c] = rotations[9 * j + 3 * r + c];
                }
                local[4 * r + 3] = joints[3 * j + r] - (p < 0 ? 0 : joints[3 * p + r]);
            }
            local[15] = 1;
            g[j] = p < 0 ? local : mul4(g[p], local);
            a[j] = g[j].clone();
            for (int r = 0; r < 3; r++) {
                double gj = 0;
                for (int c = 0; c < 3; c++) {
                    gj += g[j][4 * r + c] * joints[3 * j + c];
                }
                a[j][4 * r + 3] -= gj;
            }
        }
        double[] vertices = new double[3 * v];
        for (int i = 0; i < v; i++) {
            double[] t = new double[16];
            for (int j = 0; j < 24; j++) {
                double w = d.lbsWeights()[24 * i + j];
                for (int e = 0; e < 16; e++) {
                    t[e] += w * a[j][e];
                }
            }
            for (int r = 0; r < 3; r++) {
                vertices[3 * i + r] = t[4 * r] * vPosed[3 * i] + t[4 * r + 1] * vPosed[3 * i + 1]
                        + t[4 * r + 2] * vPosed[3 * i + 2] + t[4 * r + 3] + transl[r];
            }
        }
        double[] posedJoints = new double[72];
        for (int j = 0; j < 24; j++) {
            for (int r = 0; r < 3; r++) {
                posedJoints[3 * j + r] = g[j][4 * r + 3] + transl[r];
            }
        }
        return new double[][] {vertices, posedJoints};
    }
}
