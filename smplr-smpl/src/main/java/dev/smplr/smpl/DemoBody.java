package dev.smplr.smpl;

import dev.smplr.core.Gender;
import dev.smplr.core.KinematicTree;
import dev.smplr.core.RestSkeleton;
import dev.smplr.core.SmplJoint;
import dev.smplr.core.SmplrLandmark;
import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * The embedded demo body (SPEC.md 15.10): a procedurally generated, SMPL-structured body model made by this
 * project's code, deterministic, in SMPL's layouts and canonical frame (T-pose, Y up, +X the body's left,
 * +Z its front, metres, pelvis at the origin), with the proportions of {@link RestSkeleton}.
 *
 * <p><b>Mesh.</b> A closed quad cage is box-modelled: a 4×8×2 box for the torso, with legs, arms and
 * neck/head extruded from patches of it and feet extruded from the front of the ankles. Every cage vertex is
 * placed on an ellipse around a point of a bone (its ring), with radii per part; two Catmull–Clark steps make
 * the smooth mesh, and each quad is split into two triangles. Extrusion and subdivision keep the mesh closed
 * and consistently oriented, so the triangles are watertight and counter-clockwise seen from outside. The
 * topology is the same for every gender and shape.
 *
 * <p><b>Shape.</b> The cage positions are a function of a few body parameters: the joints (bone lengths and
 * offsets), girths and torso profile. Each shape direction is the central difference of the subdivided mesh
 * at ±1 unit of one parameter change, so {@code shapedirs} are in metres per unit beta:
 * <table>
 * <caption>Shape directions (per unit beta)</caption>
 * <tr><th>beta</th><th>meaning</th><th>parameter change</th></tr>
 * <tr><td>0</td><td>height</td><td>uniform scale +3.5 % about the pelvis (about +6 cm of stature)</td></tr>
 * <tr><td>1</td><td>weight</td><td>every girth +7 %, belly +1 cm</td></tr>
 * <tr><td>2</td><td>shoulder width</td><td>collars ±0.4 cm, shoulders ±1 cm outwards (arms follow)</td></tr>
 * <tr><td>3</td><td>hip width</td><td>hip joints ±0.8 cm outwards, hip flesh +1 cm each side</td></tr>
 * <tr><td>4</td><td>leg length</td><td>thigh and shin +6 % (about +4.5 cm)</td></tr>
 * <tr><td>5</td><td>arm length</td><td>upper arm, forearm and hand +7 % (about +4 cm each arm)</td></tr>
 * <tr><td>6</td><td>torso length</td><td>vertical extent of the spine, neck and collar bones +8 %</td></tr>
 * <tr><td>7</td><td>belly</td><td>belly front +2.5 cm</td></tr>
 * <tr><td>8</td><td>head size</td><td>head +6 %</td></tr>
 * <tr><td>9</td><td>chest depth</td><td>chest front +1.5 cm, back +0.8 cm</td></tr>
 * </table>
 * The female body is 3.5 % shorter than the neutral one, with narrower shoulders, wider hips, a narrower
 * waist, breasts and slimmer arms and neck; the male body is 3 % taller with broader shoulders, a deeper
 * chest, narrower hips and stronger arms and neck. The neutral skeleton is {@link RestSkeleton}'s.
 *
 * <p><b>Joints.</b> Row j of {@code J_regressor} averages the vertices around joint j (a slab across the
 * bone, or a ball for the hips and collars), with the minimum-norm change from equal weights that puts the
 * average exactly on the joint; rows sum to 1. So J_regressor·v_template reproduces the skeleton to float
 * precision, and joints follow the surface under shape changes.
 *
 * <p><b>Skinning.</b> Each cage ring gets weights on its bone, blended 50/50 at the joints it straddles; the
 * same subdivision that smooths the surface smooths the weights; each row keeps its 4 largest weights,
 * renormalised to sum 1.
 *
 * <p><b>Pose blend shapes.</b> Knees and elbows bulge outwards, radially from the bone, by
 * {@code c * (1 - cos angle)} (c = 1.5 cm at the knees, 1.2 cm at the elbows, Gaussian falloff of 6 cm along
 * the bone), which offsets part of the volume linear blend skinning loses when the joint flexes. It is linear
 * in the pose features: {@code 1 - cos angle = -(trace(R - I)) / 2}, so only the three diagonal features of
 * those joints are used, and it is zero for the zero pose.
 *
 * <p><b>Landmarks.</b> The mesh vertex nearest to each {@link RestSkeleton} landmark on the neutral body (the
 * same ids for every gender).
 */
final class DemoBody {
    /** The {@code source} of the demo body's {@link ModelData}. */
    static final String SOURCE = "demo body";
    /** Shape components, 10. */
    static final int SHAPES = 10;

    private static final int J = SmplJoint.COUNT;
    private static final int TORSO = 0;
    private static final int LEG = 1;
    private static final int FOOT = 2;
    private static final int ARM = 3;
    private static final int HEAD = 4;
    private static final double[] UP = {0, 1, 0};
    /** ring index of a cap's centre vertex */
    private static final int CAP = 99;

    // joints
    private static final int PELVIS = 0;
    private static final int SPINE1 = 3;
    private static final int SPINE2 = 6;
    private static final int SPINE3 = 9;
    private static final int NECK = 12;
    private static final int HEAD_J = 15;
    private static final int[] HIP = {2, 1};
    private static final int[] KNEE = {5, 4};
    private static final int[] ANKLE = {8, 7};
    private static final int[] TOE = {11, 10};
    private static final int[] COLLAR = {14, 13};
    private static final int[] SHOULDER = {17, 16};
    private static final int[] ELBOW = {19, 18};
    private static final int[] WRIST = {21, 20};
    private static final int[] HAND = {23, 22};

    /**
     * A cage ring around a bone: centre {@code J[from] + t (J[to] - J[from]) + along d}, d the unit bone
     * direction, offset by (oa, ob) in the ring frame; radii on the + and - sides of the frame's two axes; the
     * ring tilts by {@code lift * b} along d (the head's rings: the chin hangs lower than the skull's base).
     */
    private record Station(int from, int to, double t, double along, double raP, double raN, double rbP,
            double rbN, double oa, double ob, double lift) {
        Station(int from, int to, double t, double along, double raP, double raN, double rbP, double rbN,
                double oa, double ob) {
            this(from, to, t, along, raP, raN, rbP, rbN, oa, ob, 0);
        }
    }

    // Legs (left; mirrored): a = +x (lateral on the left), b = +z (front).
    private static final Station[] LEG_STATIONS = {
        new Station(1, 4, 0.28, 0, 0.100, 0.072, 0.115, 0.100, 0, 0),
        new Station(1, 4, 0.62, 0, 0.080, 0.065, 0.080, 0.078, 0, 0),
        new Station(1, 4, 1.00, 0, 0.052, 0.052, 0.058, 0.050, 0, 0),
        new Station(4, 7, 0.28, 0, 0.050, 0.048, 0.048, 0.065, 0, 0),
        new Station(4, 7, 0.62, 0, 0.042, 0.040, 0.040, 0.048, 0, 0),
        new Station(4, 7, 0.96, 0, 0.034, 0.033, 0.035, 0.038, 0, 0),
        new Station(4, 7, 1.00, 0.055, 0.036, 0.036, 0.050, 0.065, 0, -0.01),
    };
    private static final Station LEG_CAP = new Station(4, 7, 1.0, 0.10, 0, 0, 0, 0, 0, -0.035);
    /** foot rings: distance from the ankle along the foot, half width, top and bottom relative to the ankle */
    private static final double[][] FOOT_STATIONS = {
        {0.070, 0.043, -0.013, -0.103},
        {0.125, 0.048, -0.033, -0.105},
        {0.185, 0.045, -0.058, -0.105},
        {0.220, 0.035, -0.073, -0.100},
    };
    // Arms (left; same frame on the right): a = +z (front), b = +y (up).
    private static final Station[] ARM_STATIONS = {
        new Station(16, 18, 0.10, 0, 0.065, 0.068, 0.058, 0.060, 0, 0),
        new Station(16, 18, 0.50, 0, 0.052, 0.056, 0.048, 0.048, 0, 0),
        new Station(16, 18, 1.00, 0, 0.040, 0.042, 0.040, 0.038, 0, 0),
        new Station(18, 20, 0.35, 0, 0.042, 0.041, 0.036, 0.036, 0, 0),
        new Station(18, 20, 1.00, 0, 0.030, 0.030, 0.020, 0.020, 0, 0),
        new Station(20, 22, 0.60, 0, 0.046, 0.042, 0.019, 0.019, 0, 0),
        new Station(20, 22, 1.00, 0.055, 0.042, 0.040, 0.015, 0.013, 0, 0),
    };
    private static final Station ARM_CAP = new Station(20, 22, 1.0, 0.095, 0, 0, 0, 0, 0, 0);
    // Neck and head: a = +x, b = +z (front).
    private static final Station[] HEAD_STATIONS = {
        new Station(12, 15, 0.35, 0, 0.052, 0.052, 0.050, 0.056, 0, 0.005, -0.01),
        new Station(12, 15, 1.00, 0, 0.062, 0.062, 0.090, 0.068, 0, 0, -0.03),
        new Station(12, 15, 1.00, 0.050, 0.074, 0.074, 0.100, 0.092, 0, 0.01, -0.01),
        new Station(12, 15, 1.00, 0.105, 0.079, 0.079, 0.100, 0.100, 0, 0.005, 0),
        new Station(12, 15, 1.00, 0.160, 0.070, 0.070, 0.085, 0.090, 0, 0, 0),
    };
    private static final Station HEAD_CAP = new Station(12, 15, 1.0, 0.215, 0, 0, 0, 0, 0, -0.01);

    private DemoBody() {
    }

    /**
     * Builds the demo body of one gender.
     *
     * @param gender the gender
     * @return the model arrays, new for each call
     * @throws IllegalArgumentException if {@code gender} is null
     */
    static ModelData create(Gender gender) {
        if (gender == null) {
            throw new IllegalArgumentException("gender: null");
        }
        Topology top = Topology.INSTANCE;
        Params base = Params.of(gender);
        int nc = top.cageVertices;
        // stacked cage attributes: template (3), 10 × (plus, minus) shapes (60), weights (24)
        int dim = 3 + 6 * SHAPES + J;
        double[] cage = new double[nc * dim];
        put(cage, dim, 0, top.positions(base));
        for (int b = 0; b < SHAPES; b++) {
            put(cage, dim, 3 + 6 * b, top.positions(base.shaped(b, 1)));
            put(cage, dim, 6 + 6 * b, top.positions(base.shaped(b, -1)));
        }
        double[] cw = top.cageWeights();
        for (int v = 0; v < nc; v++) {
            System.arraycopy(cw, J * v, cage, dim * v + 3 + 6 * SHAPES, J);
        }
        double[] fine = top.s2.apply(top.s1.apply(cage, dim), dim);
        int nv = top.vertices;

        float[] vTemplate = new float[3 * nv];
        float[] shapeDirs = new float[3 * nv * SHAPES];
        double[] v0 = new double[3 * nv];
        for (int v = 0; v < nv; v++) {
            for (int k = 0; k < 3; k++) {
                double x = fine[dim * v + k];
                v0[3 * v + k] = x;
                vTemplate[3 * v + k] = (float) x;
                for (int b = 0; b < SHAPES; b++) {
                    // shapeDirs[v,k,b] = (v(beta_b = +1) - v(beta_b = -1)) / 2
                    double d = 0.5 * (fine[dim * v + 3 + 6 * b + k] - fine[dim * v + 6 + 6 * b + k]);
                    shapeDirs[(3 * v + k) * SHAPES + b] = (float) d;
                }
            }
        }
        double[] weights = new double[J * nv];
        for (int v = 0; v < nv; v++) {
            System.arraycopy(fine, dim * v + 3 + 6 * SHAPES, weights, J * v, J);
        }
        keepLargest(weights, nv, 4);
        double[] joints = base.joints();
        scale(joints, base.scale);

        float[] w = new float[J * nv];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) weights[i];
        }
        float[] jReg = jointRegressor(v0, weights, joints, nv);
        float[] poseDirs = poseDirs(v0, weights, joints, nv);
        double[] neutral = gender == Gender.NEUTRAL ? v0 : top.template(Params.of(Gender.NEUTRAL));
        int[] landmarks = landmarks(neutral, nv);
        return new ModelData(gender, vTemplate, shapeDirs, SHAPES, poseDirs, jReg, w, top.triangles.clone(),
                KinematicTree.smpl().parents(), landmarks, SOURCE);
    }

    private static void put(double[] dst, int dim, int off, double[] xyz) {
        for (int v = 0; v < xyz.length / 3; v++) {
            System.arraycopy(xyz, 3 * v, dst, dim * v + off, 3);
        }
    }

    private static void scale(double[] a, double s) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= s;
        }
    }

    /** Keeps the {@code keep} largest weights of each row (ties to the lower joint), renormalised to sum 1. */
    private static void keepLargest(double[] w, int rows, int keep) {
        boolean[] kept = new boolean[J];
        for (int v = 0; v < rows; v++) {
            Arrays.fill(kept, false);
            for (int n = 0; n < keep; n++) {
                int best = -1;
                for (int j = 0; j < J; j++) {
                    if (!kept[j] && w[J * v + j] > 0 && (best < 0 || w[J * v + j] > w[J * v + best])) {
                        best = j;
                    }
                }
                if (best >= 0) {
                    kept[best] = true;
                }
            }
            double sum = 0;
            for (int j = 0; j < J; j++) {
                if (!kept[j]) {
                    w[J * v + j] = 0;
                }
                sum += w[J * v + j];
            }
            for (int j = 0; j < J; j++) {
                w[J * v + j] /= sum;
            }
        }
    }

    // ---------------------------------------------------------------- joint regressor

    /**
     * Row j: the vertices near joint j (within {@code radius} of it, and within {@code slab} of the plane
     * through it across {@code axis} when a slab is given), weighted by the minimum-norm change of equal
     * weights that makes their average the joint: {@code w_i = 1/n + mu + lambda . (v_i - J_j)}, with
     * {@code sum w_i = 1} and {@code sum w_i (v_i - J_j) = 0}.
     */
    private static float[] jointRegressor(double[] v, double[] weights, double[] joints, int nv) {
        float[] reg = new float[J * nv];
        int[] parents = KinematicTree.smpl().parents();
        for (int j = 0; j < J; j++) {
            double[] axis;
            double slab;
            double radius;
            if (j == PELVIS || j == SPINE1 || j == SPINE2 || j == SPINE3) {
                axis = new double[] {0, 1, 0};
                slab = 0.03;
                radius = 0.25;
            } else if (j == NECK || j == HEAD_J) {
                axis = new double[] {0, 1, 0};
                slab = 0.02;
                radius = 0.10;
            } else if (j == HIP[0] || j == HIP[1] || j == COLLAR[0] || j == COLLAR[1]) {
                axis = null;
                slab = 0;
                radius = j == HIP[0] || j == HIP[1] ? 0.12 : 0.13;
            } else if (j == TOE[0] || j == TOE[1]) {
                int a = parents[j];
                axis = unit(joints[3 * j] - joints[3 * a], 0, joints[3 * j + 2] - joints[3 * a + 2]);
                slab = 0.02;
                radius = 0.08;
            } else {
                int a = parents[j];
                axis = unit(joints[3 * j] - joints[3 * a], joints[3 * j + 1] - joints[3 * a + 1],
                        joints[3 * j + 2] - joints[3 * a + 2]);
                boolean small = j >= 18;
                slab = j == HAND[0] || j == HAND[1] ? 0.015 : small ? 0.025 : 0.03;
                radius = j == HAND[0] || j == HAND[1] ? 0.07 : small ? 0.08 : j == 16 || j == 17 ? 0.11 : 0.12;
            }
            int[] sel = new int[nv];
            int n = 0;
            for (int i = 0; i < nv; i++) {
                double dx = v[3 * i] - joints[3 * j];
                double dy = v[3 * i + 1] - joints[3 * j + 1];
                double dz = v[3 * i + 2] - joints[3 * j + 2];
                if (dx * dx + dy * dy + dz * dz > radius * radius) {
                    continue;
                }
                if (axis != null && Math.abs(dx * axis[0] + dy * axis[1] + dz * axis[2]) > slab) {
                    continue;
                }
                sel[n++] = i;
            }
            // normal equations of the 4 constraints: [n, sum p; sum p, sum p p^T] [mu; lambda] = [0; -sum p / n]
            double[] m = new double[16];
            double[] rhs = new double[4];
            for (int s = 0; s < n; s++) {
                int i = sel[s];
                double[] p = {1, v[3 * i] - joints[3 * j], v[3 * i + 1] - joints[3 * j + 1],
                    v[3 * i + 2] - joints[3 * j + 2]};
                for (int r = 0; r < 4; r++) {
                    for (int c = 0; c < 4; c++) {
                        m[4 * r + c] += p[r] * p[c];
                    }
                    rhs[r] -= p[r] / n;
                }
            }
            rhs[0] = 0;
            double[] x = solve4(m, rhs);
            for (int s = 0; s < n; s++) {
                int i = sel[s];
                double wi = 1.0 / n + x[0] + x[1] * (v[3 * i] - joints[3 * j])
                        + x[2] * (v[3 * i + 1] - joints[3 * j + 1]) + x[3] * (v[3 * i + 2] - joints[3 * j + 2]);
                reg[j * nv + i] = (float) wi;
            }
        }
        return reg;
    }

    /** Gaussian elimination with partial pivoting, 4×4; inputs modified. */
    private static double[] solve4(double[] m, double[] b) {
        for (int c = 0; c < 4; c++) {
            int p = c;
            for (int r = c + 1; r < 4; r++) {
                if (Math.abs(m[4 * r + c]) > Math.abs(m[4 * p + c])) {
                    p = r;
                }
            }
            for (int k = 0; k < 4; k++) {
                double t = m[4 * c + k];
                m[4 * c + k] = m[4 * p + k];
                m[4 * p + k] = t;
            }
            double t = b[c];
            b[c] = b[p];
            b[p] = t;
            for (int r = c + 1; r < 4; r++) {
                double f = m[4 * r + c] / m[4 * c + c];
                for (int k = c; k < 4; k++) {
                    m[4 * r + k] -= f * m[4 * c + k];
                }
                b[r] -= f * b[c];
            }
        }
        double[] x = new double[4];
        for (int r = 3; r >= 0; r--) {
            double s = b[r];
            for (int k = r + 1; k < 4; k++) {
                s -= m[4 * r + k] * x[k];
            }
            x[r] = s / m[4 * r + r];
        }
        return x;
    }

    // ---------------------------------------------------------------- pose blend shapes

    private static float[] poseDirs(double[] v, double[] weights, double[] joints, int nv) {
        int f = ModelData.POSE_FEATURES;
        float[] pd = new float[3 * nv * f];
        int[] parents = KinematicTree.smpl().parents();
        int[] bulging = {KNEE[0], KNEE[1], ELBOW[0], ELBOW[1]};
        for (int j : bulging) {
            double amplitude = j == KNEE[0] || j == KNEE[1] ? 0.015 : 0.012;
            double sigma = 0.06;
            int p = parents[j];
            int child = j + (j >= ELBOW[1] ? 2 : 3); // knee → ankle, elbow → wrist in SMPL's numbering
            double[] d = unit(joints[3 * child] - joints[3 * p], joints[3 * child + 1] - joints[3 * p + 1],
                    joints[3 * child + 2] - joints[3 * p + 2]);
            for (int i = 0; i < nv; i++) {
                double share = weights[J * i + j] + weights[J * i + p];
                if (share == 0) {
                    continue;
                }
                double[] r = {v[3 * i] - joints[3 * j], v[3 * i + 1] - joints[3 * j + 1],
                    v[3 * i + 2] - joints[3 * j + 2]};
                double s = r[0] * d[0] + r[1] * d[1] + r[2] * d[2];
                double[] radial = unit(r[0] - s * d[0], r[1] - s * d[1], r[2] - s * d[2]);
                double g = amplitude * share * Math.exp(-(s / sigma) * (s / sigma));
                for (int k = 0; k < 3; k++) {
                    // displacement = g n (1 - cos angle) = -(g n / 2) trace(R_j - I): the 3 diagonal features
                    float e = (float) (-0.5 * g * radial[k]);
                    for (int c = 0; c < 3; c++) {
                        pd[(3 * i + k) * f + 9 * (j - 1) + 4 * c] += e;
                    }
                }
            }
        }
        return pd;
    }

    // ---------------------------------------------------------------- landmarks

    private static int[] landmarks(double[] v, int nv) {
        float[] nodes = RestSkeleton.nodes();
        int[] ids = new int[SmplrLandmark.COUNT];
        for (SmplrLandmark l : SmplrLandmark.values()) {
            int node = l.node();
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < nv; i++) {
                double dx = v[3 * i] - nodes[3 * node];
                double dy = v[3 * i + 1] - nodes[3 * node + 1];
                double dz = v[3 * i + 2] - nodes[3 * node + 2];
                double d = dx * dx + dy * dy + dz * dz;
                if (d < best) {
                    best = d;
                    ids[l.ordinal()] = i;
                }
            }
        }
        return ids;
    }

    private static double[] unit(double x, double y, double z) {
        double n = Math.sqrt(x * x + y * y + z * z);
        return n == 0 ? new double[] {0, 0, 0} : new double[] {x / n, y / n, z / n};
    }

    // ---------------------------------------------------------------- parameters

    /** The body parameters the cage is a function of; metres. */
    private static final class Params {
        double scale = 1;
        double girth = 1;
        double armGirth = 1;
        double legGirth = 1;
        double neckGirth = 1;
        double headScale = 1;
        double hipFlesh;
        double waist;
        double belly;
        double chestFront;
        double chestBack;
        double breast = 0.03;
        /** per-joint scale of the bone vector J_j - J_parent, (24, 3) */
        final double[] boneScale = new double[3 * J];
        /** per-joint offset added to the bone vector, (24, 3) */
        final double[] boneShift = new double[3 * J];

        Params() {
            Arrays.fill(boneScale, 1);
        }

        static Params of(Gender gender) {
            Params p = new Params();
            if (gender == Gender.FEMALE) {
                p.scale = 0.965;
                p.shiftSides(COLLAR, -0.005);
                p.shiftSides(SHOULDER, -0.012);
                p.shiftSides(HIP, 0.006);
                p.hipFlesh = 0.015;
                p.waist = -0.012;
                p.breast = 0.075;
                p.armGirth = 0.9;
                p.neckGirth = 0.88;
                p.legGirth = 1.04;
                p.chestBack = -0.005;
                p.headScale = 0.97;
            } else if (gender == Gender.MALE) {
                p.scale = 1.03;
                p.shiftSides(COLLAR, 0.005);
                p.shiftSides(SHOULDER, 0.013);
                p.shiftSides(HIP, -0.004);
                p.hipFlesh = -0.01;
                p.waist = 0.005;
                p.chestFront = 0.01;
                p.breast = 0;
                p.armGirth = 1.1;
                p.neckGirth = 1.12;
                p.legGirth = 0.98;
            }
            return p;
        }

        /** Moves the joints {@code pair} (right, left) outwards by {@code dx}, their subtrees with them. */
        void shiftSides(int[] pair, double dx) {
            boneShift[3 * pair[0]] -= dx;
            boneShift[3 * pair[1]] += dx;
        }

        Params copy() {
            Params p = new Params();
            p.scale = scale;
            p.girth = girth;
            p.armGirth = armGirth;
            p.legGirth = legGirth;
            p.neckGirth = neckGirth;
            p.headScale = headScale;
            p.hipFlesh = hipFlesh;
            p.waist = waist;
            p.belly = belly;
            p.chestFront = chestFront;
            p.chestBack = chestBack;
            p.breast = breast;
            System.arraycopy(boneScale, 0, p.boneScale, 0, boneScale.length);
            System.arraycopy(boneShift, 0, p.boneShift, 0, boneShift.length);
            return p;
        }

        /** @return these parameters with shape component {@code b} moved by {@code beta} units */
        Params shaped(int b, double beta) {
            Params p = copy();
            switch (b) {
                case 0 -> p.scale *= 1 + 0.035 * beta;
                case 1 -> {
                    p.girth *= 1 + 0.07 * beta;
                    p.belly += 0.01 * beta;
                }
                case 2 -> {
                    p.shiftSides(COLLAR, 0.004 * beta);
                    p.shiftSides(SHOULDER, 0.010 * beta);
                }
                case 3 -> {
                    p.shiftSides(HIP, 0.008 * beta);
                    p.hipFlesh += 0.01 * beta;
                }
                case 4 -> p.scaleBones(new int[] {4, 5, 7, 8}, 1 + 0.06 * beta, 1 + 0.06 * beta);
                case 5 -> p.scaleBones(new int[] {18, 19, 20, 21, 22, 23}, 1 + 0.07 * beta, 1 + 0.07 * beta);
                case 6 -> p.scaleBones(new int[] {3, 6, 9, 12, 13, 14}, 1, 1 + 0.08 * beta);
                case 7 -> p.belly += 0.025 * beta;
                case 8 -> p.headScale *= 1 + 0.06 * beta;
                case 9 -> {
                    p.chestFront += 0.015 * beta;
                    p.chestBack += 0.008 * beta;
                }
                default -> throw new IllegalArgumentException("shape component: expected 0..9, got " + b);
            }
            return p;
        }

        private void scaleBones(int[] joints, double xz, double y) {
            for (int j : joints) {
                boneScale[3 * j] *= xz;
                boneScale[3 * j + 1] *= y;
                boneScale[3 * j + 2] *= xz;
            }
        }

        /** @return the joints before the global scale: {@code J'_j = J'_p + S_j (J_j - J_p) + T_j}, (24, 3) */
        double[] joints() {
            float[] rest = RestSkeleton.joints();
            int[] parents = KinematicTree.smpl().parents();
            double[] out = new double[3 * J];
            for (int j = 0; j < J; j++) {
                int p = parents[j];
                for (int k = 0; k < 3; k++) {
                    out[3 * j + k] = p < 0 ? rest[3 * j + k]
                            : out[3 * p + k] + boneScale[3 * j + k] * (rest[3 * j + k] - rest[3 * p + k])
                                    + boneShift[3 * j + k];
                }
            }
            return out;
        }
    }

    // ---------------------------------------------------------------- topology and cage

    /** The cage topology, the roles of its vertices, and the two subdivision steps; built once. */
    private static final class Topology {
        static final Topology INSTANCE = new Topology();
        private static final int NX = 4;
        private static final int NY = 8;
        private static final int NZ = 2;

        final int cageVertices;
        final int vertices;
        final int[] triangles;
        final QuadMesh.Subdivision s1;
        final QuadMesh.Subdivision s2;
        /** per cage vertex: part, ring, side (0 right, 1 left), lattice i, j, k (torso) */
        private final int[] part;
        private final int[] ring;
        private final int[] side;
        private final int[] lattice;
        /** per cage vertex: ring coordinates on the square [-1, 1]² boundary (a, b) */
        private final double[] ca;
        private final double[] cb;

        private Topology() {
            QuadMesh m = new QuadMesh();
            int[] id = m.addBox(NX, NY, NZ);
            int max = 4096;
            part = new int[max];
            ring = new int[max];
            side = new int[max];
            lattice = new int[3 * max];
            ca = new double[max];
            cb = new double[max];
            Arrays.fill(lattice, -1);
            for (int i = 0; i <= NX; i++) {
                for (int j = 0; j <= NY; j++) {
                    for (int k = 0; k <= NZ; k++) {
                        int v = id[(i * (NY + 1) + j) * (NZ + 1) + k];
                        if (v >= 0) {
                            part[v] = TORSO;
                            lattice[3 * v] = i;
                            lattice[3 * v + 1] = j;
                            lattice[3 * v + 2] = k;
                        }
                    }
                }
            }
            int[][] legPatch = {patch(m, q -> q[1] == 0 && q[0] <= 2), patch(m, q -> q[1] == 0 && q[0] >= 2)};
            int[][] armPatch = {patch(m, q -> q[0] == 0 && q[1] >= 6), patch(m, q -> q[0] == NX && q[1] >= 6)};
            int[] neckPatch = patch(m, q -> q[1] == NY && q[0] >= 1 && q[0] <= 3);
            for (int s = 0; s < 2; s++) {
                final int sd = s;
                QuadMesh.Extrusion last = null;
                for (int r = 1; r <= LEG_STATIONS.length; r++) {
                    last = grow(m, legPatch[s], LEG, r, s, v -> lattice[3 * v] >= 0
                            ? new double[] {lattice[3 * v] - (sd == 1 ? 3 : 1), lattice[3 * v + 2] - 1}
                            : new double[] {ca[v], cb[v]});
                }
                // the foot: the two front quads of the last leg band (ankle ring above, heel ring below)
                int[] front = Arrays.stream(last.walls())
                        .filter(f -> cb[m.corner(f, 0)] == 1 && cb[m.corner(f, 1)] == 1).toArray();
                int heelRing = LEG_STATIONS.length;
                for (int r = 1; r <= FOOT_STATIONS.length; r++) {
                    grow(m, front, FOOT, r, s, v -> part[v] == LEG
                            ? new double[] {ca[v], ring[v] == heelRing ? -1 : 1}
                            : new double[] {ca[v], cb[v]});
                }
                for (int r = 1; r <= ARM_STATIONS.length; r++) {
                    grow(m, armPatch[s], ARM, r, s, v -> lattice[3 * v] >= 0
                            ? new double[] {lattice[3 * v + 2] - 1, lattice[3 * v + 1] - 7}
                            : new double[] {ca[v], cb[v]});
                }
            }
            for (int r = 1; r <= HEAD_STATIONS.length; r++) {
                grow(m, neckPatch, HEAD, r, 0, v -> lattice[3 * v] >= 0
                        ? new double[] {lattice[3 * v] - 2, lattice[3 * v + 2] - 1}
                        : new double[] {ca[v], cb[v]});
            }
            cageVertices = m.vertexCount();
            s1 = new QuadMesh.Subdivision(m.quads(), cageVertices);
            s2 = new QuadMesh.Subdivision(s1.fineQuads(), s1.fineVertices());
            vertices = s2.fineVertices();
            int[] q = s2.fineQuads();
            triangles = new int[q.length / 4 * 6];
            for (int f = 0; f < q.length / 4; f++) {
                // split along corner → face point: a fan around each coarse face point
                triangles[6 * f] = q[4 * f];
                triangles[6 * f + 1] = q[4 * f + 1];
                triangles[6 * f + 2] = q[4 * f + 2];
                triangles[6 * f + 3] = q[4 * f];
                triangles[6 * f + 4] = q[4 * f + 2];
                triangles[6 * f + 5] = q[4 * f + 3];
            }
        }

        /** @return the quads all of whose corners are torso lattice points satisfying {@code inPatch} */
        private int[] patch(QuadMesh m, Predicate<int[]> inPatch) {
            return IntStream.range(0, m.faceCount()).filter(f -> {
                for (int i = 0; i < 4; i++) {
                    int v = m.corner(f, i);
                    if (!inPatch.test(new int[] {lattice[3 * v], lattice[3 * v + 1], lattice[3 * v + 2]})) {
                        return false;
                    }
                }
                return true;
            }).toArray();
        }

        private QuadMesh.Extrusion grow(QuadMesh m, int[] patch, int p, int r, int s,
                IntFunction<double[]> coords) {
            QuadMesh.Extrusion e = m.extrude(patch);
            for (int n = 0; n < e.newRing().length; n++) {
                int v = e.newRing()[n];
                double[] c = coords.apply(e.oldRing()[n]);
                part[v] = p;
                ring[v] = r;
                side[v] = s;
                ca[v] = c[0];
                cb[v] = c[1];
            }
            for (int v : e.interior()) {
                part[v] = p;
                ring[v] = CAP;
                side[v] = s;
                lattice[3 * v] = -1;
                ca[v] = 0;
                cb[v] = 0;
            }
            return e;
        }

        /** @return the subdivided template (V, 3) of these parameters */
        double[] template(Params p) {
            return s2.apply(s1.apply(positions(p), 3), 3);
        }

        /** @return the cage positions (cageVertices, 3) of these parameters */
        double[] positions(Params p) {
            double[] jt = p.joints();
            double[] out = new double[3 * cageVertices];
            for (int v = 0; v < cageVertices; v++) {
                double[] x = switch (part[v]) {
                    case TORSO -> torso(v, jt, p);
                    case LEG -> limb(v, jt, LEG_STATIONS, LEG_CAP, p.legGirth * p.girth, 1, true, null,
                            new double[] {1, 0, 0}, new double[] {0, 0, 1});
                    case FOOT -> foot(v, jt, p);
                    case ARM -> limb(v, jt, ARM_STATIONS, ARM_CAP, p.armGirth * p.girth, 1, false, null,
                            new double[] {0, 0, 1}, new double[] {0, 1, 0});
                    // the neck → head bone leans forward 35°: the head's rings stack vertically
                    default -> limb(v, jt, HEAD_STATIONS, HEAD_CAP, p.headScale, p.headScale, false, UP,
                            new double[] {1, 0, 0}, new double[] {0, 0, 1});
                };
                if (part[v] == HEAD && ring[v] <= 2) {
                    // neck rings: neck girth, not head size
                    double[] c = ringCentre(HEAD_STATIONS[ring[v] - 1], jt, 1, 1, UP);
                    double f = p.neckGirth * Math.sqrt(p.girth) / p.headScale;
                    for (int k = 0; k < 3; k++) {
                        x[k] = c[k] + f * (x[k] - c[k]);
                    }
                }
                for (int k = 0; k < 3; k++) {
                    out[3 * v + k] = p.scale * x[k];
                }
            }
            return out;
        }

        /** Right-side joint of a left-side joint index in the station tables. */
        private static int mirror(int j, int s) {
            if (s == 1) {
                return j;
            }
            return switch (j) {
                case 1, 4, 7, 10, 13, 16, 18, 20, 22 -> j + 1;
                default -> j;
            };
        }

        private static double[] ringCentre(Station st, double[] jt, int s, double alongScale, double[] axis) {
            int a = mirror(st.from(), s);
            int b = mirror(st.to(), s);
            double[] d = axis != null ? axis
                    : unit(jt[3 * b] - jt[3 * a], jt[3 * b + 1] - jt[3 * a + 1], jt[3 * b + 2] - jt[3 * a + 2]);
            double[] c = new double[3];
            for (int k = 0; k < 3; k++) {
                c[k] = jt[3 * a + k] + st.t() * (jt[3 * b + k] - jt[3 * a + k]) + alongScale * st.along() * d[k];
            }
            return c;
        }

        private double[] limb(int v, double[] jt, Station[] stations, Station capStation, double girth,
                double alongScale, boolean mirrorA, double[] axis, double[] refA, double[] refB) {
            int s = side[v];
            Station st = ring[v] == CAP ? capStation : stations[ring[v] - 1];
            int a = mirror(st.from(), s);
            int b = mirror(st.to(), s);
            double[] d = axis != null ? axis
                    : unit(jt[3 * b] - jt[3 * a], jt[3 * b + 1] - jt[3 * a + 1], jt[3 * b + 2] - jt[3 * a + 2]);
            double[] c = ringCentre(st, jt, s, alongScale, axis);
            double[] ea = orthonormal(refA, d, null);
            double[] eb = orthonormal(refB, d, ea);
            double sign = mirrorA && s == 0 ? -1 : 1;
            double na = ca[v];
            double nb = cb[v];
            double len = Math.hypot(na, nb);
            if (len > 0) {
                na /= len;
                nb /= len;
            }
            // on the mirrored side, +a is the medial side: swap the radii and mirror the offset
            double raP = sign > 0 ? st.raP() : st.raN();
            double raN = sign > 0 ? st.raN() : st.raP();
            double ra = girth * (na >= 0 ? raP : raN);
            double rb = girth * (nb >= 0 ? st.rbP() : st.rbN());
            double oa = sign * st.oa() * girth;
            double ob = st.ob() * girth;
            double[] x = new double[3];
            for (int k = 0; k < 3; k++) {
                x[k] = c[k] + (oa + ra * na) * ea[k] + (ob + rb * nb) * eb[k] + st.lift() * nb * d[k];
            }
            return x;
        }

        private static double[] orthonormal(double[] ref, double[] d, double[] e) {
            double[] r = ref.clone();
            double t = r[0] * d[0] + r[1] * d[1] + r[2] * d[2];
            for (int k = 0; k < 3; k++) {
                r[k] -= t * d[k];
            }
            if (e != null) {
                double u = r[0] * e[0] + r[1] * e[1] + r[2] * e[2];
                for (int k = 0; k < 3; k++) {
                    r[k] -= u * e[k];
                }
            }
            return unit(r[0], r[1], r[2]);
        }

        private double[] foot(int v, double[] jt, Params p) {
            int s = side[v];
            int ankle = ANKLE[s];
            int toe = TOE[s];
            double[] f = unit(jt[3 * toe] - jt[3 * ankle], 0, jt[3 * toe + 2] - jt[3 * ankle + 2]);
            double[] st = FOOT_STATIONS[ring[v] - 1];
            double width = st[1] * Math.sqrt(p.girth * p.legGirth);
            double y = cb[v] > 0 ? st[2] : st[3];
            // lateral axis (f_z, 0, -f_x) points to +x on both feet
            return new double[] {jt[3 * ankle] + st[0] * f[0] + width * ca[v] * f[2],
                jt[3 * ankle + 1] + y,
                jt[3 * ankle + 2] + st[0] * f[2] - width * ca[v] * f[0]};
        }

        private double[] torso(int v, double[] jt, Params p) {
            int i = lattice[3 * v];
            int j = lattice[3 * v + 1];
            int k = lattice[3 * v + 2];
            double u = (i - 2) / 2.0;
            double w = k - 1;
            int s = u > 0 ? 1 : 0;
            double sgn = u > 0 ? 1 : -1;
            double g = p.girth;
            double hipX = 0.5 * (jt[3 * HIP[1]] - jt[3 * HIP[0]]);
            double shX = 0.5 * (jt[3 * SHOULDER[1]] - jt[3 * SHOULDER[0]]);
            double hipY = 0.5 * (jt[3 * HIP[1] + 1] + jt[3 * HIP[0] + 1]);
            if (Math.abs(u) == 1 && j >= 6) {
                // the arm's root ring around the shoulder joint: a = +z (front), b = +y (up)
                int sh = SHOULDER[s];
                double na = w;
                double nb = j - 7;
                double len = Math.hypot(na, nb);
                na /= len;
                nb /= len;
                double ag = p.armGirth * g;
                double ra = ag * (na >= 0 ? 0.075 : 0.08);
                double rb = ag * (nb >= 0 ? 0.06 : 0.085);
                double inset = nb < 0 ? 0.06 : 0.04;
                return new double[] {jt[3 * sh] - sgn * inset, jt[3 * sh + 1] + rb * nb, jt[3 * sh + 2] + ra * na};
            }
            if (j == 0) {
                double x;
                double y;
                double z;
                if (Math.abs(u) == 1) {
                    x = sgn * (hipX + 0.13 + p.hipFlesh) * g;
                    y = hipY - 0.035;
                    z = (w > 0 ? 0.07 : w < 0 ? -0.09 : -0.01) * g;
                } else if (u != 0) {
                    x = sgn * 0.095 * g;
                    y = w > 0 ? -0.145 : -0.165;
                    z = (w > 0 ? 0.10 : -0.115) * g;
                } else {
                    x = 0;
                    y = w > 0 ? -0.095 : w < 0 ? -0.12 : -0.165;
                    z = (w > 0 ? 0.09 : w < 0 ? -0.105 : -0.01) * g;
                }
                return new double[] {x, y, z};
            }
            if (j == NY) {
                // neck base
                double na = 2 * u;
                double nb = w;
                double len = Math.hypot(na, nb);
                na /= len;
                nb /= len;
                double r = 0.062 * p.neckGirth * Math.sqrt(g);
                return new double[] {r * na, jt[3 * NECK + 1] - 0.015 - 0.025 * nb, jt[3 * NECK + 2] + 0.01 + r * nb};
            }
            double y;
            double a;
            double bf;
            double bb;
            switch (j) {
                case 1 -> {
                    y = jt[3 * PELVIS + 1] - 0.06;
                    a = hipX + 0.135 + p.hipFlesh;
                    bf = 0.105;
                    bb = -0.13;
                }
                case 2 -> {
                    y = jt[3 * PELVIS + 1] + 0.025;
                    a = hipX + 0.125 + 0.8 * p.hipFlesh;
                    bf = 0.16 + p.belly;
                    bb = -0.115;
                }
                case 3 -> {
                    y = jt[3 * SPINE1 + 1] - 0.015;
                    a = 0.150 + p.waist;
                    bf = 0.15 + p.belly;
                    bb = -0.10;
                }
                case 4 -> {
                    y = jt[3 * SPINE2 + 1] - 0.05;
                    a = 0.152 + 0.5 * p.waist;
                    bf = 0.12 + 0.5 * p.belly + 0.3 * p.chestFront;
                    bb = -0.10 - 0.3 * p.chestBack;
                }
                case 5 -> {
                    y = jt[3 * SPINE3 + 1] - 0.025;
                    a = 0.160;
                    bf = 0.115 + 0.7 * p.chestFront;
                    bb = -0.11 - p.chestBack;
                }
                case 6 -> {
                    y = 0.5 * (jt[3 * SHOULDER[0] + 1] + jt[3 * SHOULDER[1] + 1]) - 0.09;
                    a = shX - 0.02;
                    bf = 0.135 + p.chestFront;
                    bb = -0.115 - p.chestBack;
                }
                default -> {
                    y = 0.5 * (jt[3 * SHOULDER[0] + 1] + jt[3 * SHOULDER[1] + 1]) - 0.005;
                    a = shX - 0.015;
                    bf = 0.09 + 0.5 * p.chestFront;
                    bb = -0.105 - p.chestBack;
                }
            }
            // a rounded box: superellipse of exponent 3 through the ring's angle on the lattice rectangle
            double th = Math.atan2(w, u);
            double c = Math.cos(th);
            double sn = Math.sin(th);
            double x = a * g * Math.signum(c) * Math.pow(Math.abs(c), 2.0 / 3);
            double z = (sn >= 0 ? bf : -bb) * g * Math.signum(sn) * Math.pow(Math.abs(sn), 2.0 / 3);
            if (w > 0 && Math.abs(u) == 0.5) {
                z += j == 6 ? p.breast : j == 5 ? 0.6 * p.breast : 0;
            }
            return new double[] {x, y, z};
        }

        /** @return the cage skinning weights (cageVertices, 24); see the class comment */
        double[] cageWeights() {
            double[] w = new double[J * cageVertices];
            for (int v = 0; v < cageVertices; v++) {
                int o = J * v;
                int s = side[v];
                int r = ring[v];
                switch (part[v]) {
                    case TORSO -> torsoWeights(v, w, o);
                    case LEG -> {
                        switch (r) {
                            case 1 -> mix(w, o, HIP[s], 0.85, PELVIS);
                            case 2 -> w[o + HIP[s]] = 1;
                            case 3 -> mix(w, o, HIP[s], 0.5, KNEE[s]);
                            case 4, 5 -> w[o + KNEE[s]] = 1;
                            case 6 -> mix(w, o, KNEE[s], 0.5, ANKLE[s]);
                            default -> w[o + ANKLE[s]] = 1;
                        }
                    }
                    case FOOT -> {
                        switch (r) {
                            case 1 -> w[o + ANKLE[s]] = 1;
                            case 2 -> mix(w, o, ANKLE[s], 0.5, TOE[s]);
                            default -> w[o + TOE[s]] = 1;
                        }
                    }
                    case ARM -> {
                        switch (r) {
                            case 1 -> mix(w, o, SHOULDER[s], 0.7, COLLAR[s]);
                            case 2 -> w[o + SHOULDER[s]] = 1;
                            case 3 -> mix(w, o, SHOULDER[s], 0.5, ELBOW[s]);
                            case 4 -> w[o + ELBOW[s]] = 1;
                            case 5 -> mix(w, o, ELBOW[s], 0.5, WRIST[s]);
                            case 6 -> w[o + WRIST[s]] = 1;
                            case 7 -> mix(w, o, HAND[s], 0.7, WRIST[s]);
                            default -> w[o + HAND[s]] = 1;
                        }
                    }
                    default -> {
                        switch (r) {
                            case 1 -> w[o + NECK] = 1;
                            case 2 -> mix(w, o, NECK, 0.5, HEAD_J);
                            default -> w[o + HEAD_J] = 1;
                        }
                    }
                }
            }
            return w;
        }

        private void torsoWeights(int v, double[] w, int o) {
            int i = lattice[3 * v];
            int j = lattice[3 * v + 1];
            int k = lattice[3 * v + 2];
            double au = Math.abs(i - 2) / 2.0;
            int s = i > 2 ? 1 : 0;
            if (au == 1 && j >= 6) {
                w[o + SPINE3] = 0.35;
                w[o + COLLAR[s]] = 0.45;
                w[o + SHOULDER[s]] = 0.2;
                return;
            }
            switch (j) {
                case 0 -> {
                    if (au == 0) {
                        w[o + PELVIS] = 1;
                    } else {
                        mix(w, o, PELVIS, 0.5, HIP[s]);
                    }
                }
                case 1 -> {
                    if (au > 0 && k == 0) {
                        mix(w, o, PELVIS, 0.7, HIP[s]);
                    } else if (au == 1) {
                        mix(w, o, PELVIS, 0.8, HIP[s]);
                    } else {
                        w[o + PELVIS] = 1;
                    }
                }
                case 2 -> w[o + PELVIS] = 1;
                case 3 -> mix(w, o, PELVIS, 0.5, SPINE1);
                case 4 -> mix(w, o, SPINE1, 0.6, SPINE2);
                case 5 -> mix(w, o, SPINE2, 0.5, SPINE3);
                case 6 -> mix(w, o, SPINE3, 0.85, SPINE2);
                case 7 -> {
                    if (au == 0.5) {
                        mix(w, o, SPINE3, 0.8, COLLAR[s]);
                    } else {
                        w[o + SPINE3] = 1;
                    }
                }
                default -> mix(w, o, SPINE3, 0.5, NECK);
            }
        }

        private static void mix(double[] w, int o, int a, double wa, int b) {
            w[o + a] += wa;
            w[o + b] += 1 - wa;
        }
    }
}
