package dev.smplr.smpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.smplr.core.Gender;
import dev.smplr.core.KinematicTree;
import dev.smplr.core.RestSkeleton;
import dev.smplr.core.SmplrLandmark;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoBodyTest {
    private static final Map<Gender, ModelData> MODELS = new EnumMap<>(Gender.class);

    @BeforeAll
    static void build() {
        for (Gender g : Gender.values()) {
            MODELS.put(g, DemoBody.create(g));
        }
    }

    private static ModelData neutral() {
        return MODELS.get(Gender.NEUTRAL);
    }

    @Test
    void create_neutral_hasSmplSizedClosedGenusZeroMesh() {
        ModelData m = neutral();
        int v = m.vertexCount();
        assertThat(v).isBetween(5000, 7000);
        // closed genus-0 triangle mesh: V - E + F = 2 with E = 3F/2, so F = 2V - 4
        assertThat(m.faces().length / 3).isEqualTo(2 * v - 4);
        assertThat(m.shapeCount()).isEqualTo(10);
        assertThat(m.source()).isEqualTo("demo body");
        assertThat(Arrays.equals(m.parents(), KinematicTree.smpl().parents())).isTrue();
    }

    @Test
    void create_twice_givesEqualArrays() {
        ModelData a = DemoBody.create(Gender.FEMALE);
        ModelData b = DemoBody.create(Gender.FEMALE);
        assertThat(Arrays.equals(a.vTemplate(), b.vTemplate())).isTrue();
        assertThat(Arrays.equals(a.shapeDirs(), b.shapeDirs())).isTrue();
        assertThat(Arrays.equals(a.poseDirs(), b.poseDirs())).isTrue();
        assertThat(Arrays.equals(a.jRegressor(), b.jRegressor())).isTrue();
        assertThat(Arrays.equals(a.lbsWeights(), b.lbsWeights())).isTrue();
        assertThat(Arrays.equals(a.faces(), b.faces())).isTrue();
        assertThat(Arrays.equals(a.landmarkVertices(), b.landmarkVertices())).isTrue();
        assertThat(a.vTemplate()).isNotSameAs(b.vTemplate());
    }

    @Test
    void create_null_throws() {
        assertThatThrownBy(() -> DemoBody.create(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gender");
    }

    @Test
    void create_everyGender_sameTopologyAndLandmarks() {
        for (Gender g : Gender.values()) {
            ModelData m = MODELS.get(g);
            assertThat(m.gender()).isEqualTo(g);
            assertThat(Arrays.equals(m.faces(), neutral().faces())).isTrue();
            assertThat(Arrays.equals(m.landmarkVertices(), neutral().landmarkVertices())).isTrue();
        }
    }

    @Test
    void create_everyGender_meshIsWatertightAndConsistentlyOriented() {
        int[] f = neutral().faces();
        Set<Long> directed = new HashSet<>();
        for (int t = 0; t < f.length / 3; t++) {
            for (int i = 0; i < 3; i++) {
                int a = f[3 * t + i];
                int b = f[3 * t + (i + 1) % 3];
                if (a == b || !directed.add(edge(a, b))) {
                    throw new AssertionError("face " + t + ": degenerate or repeated directed edge " + a + "→" + b);
                }
            }
        }
        long unpaired = directed.stream().filter(e -> !directed.contains(edge((int) e.longValue(), (int) (e >>> 32))))
                .count();
        assertThat(unpaired).as("directed edges without an opposite").isZero();
        // every vertex is used
        boolean[] used = new boolean[neutral().vertexCount()];
        for (int i : f) {
            used[i] = true;
        }
        assertThat(used).doesNotContain(false);
    }

    @Test
    void create_everyGender_volumeIsHumanAndPositive() {
        for (Gender g : Gender.values()) {
            double litres = 1000 * volume(ReferenceLbs.toDouble(MODELS.get(g).vTemplate()), neutral().faces());
            assertThat(litres).as(g.name()).isBetween(50.0, 100.0);
        }
    }

    @Test
    void create_neutral_facesPointAwayFromTheNearestBone() {
        double[] v = ReferenceLbs.toDouble(neutral().vTemplate());
        int[] f = neutral().faces();
        double[][] bones = bones(RestSkeleton.nodes());
        int outward = 0;
        for (int t = 0; t < f.length / 3; t++) {
            double[] c = new double[3];
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < 3; k++) {
                    c[k] += v[3 * f[3 * t + i] + k] / 3;
                }
            }
            double[] q = nearestOnBones(c, bones);
            double[] n = normal(v, f[3 * t], f[3 * t + 1], f[3 * t + 2]);
            if (n[0] * (c[0] - q[0]) + n[1] * (c[1] - q[1]) + n[2] * (c[2] - q[2]) > 0) {
                outward++;
            }
        }
        // a few faces in the armpits and the crotch are nearest to a neighbouring bone
        assertThat(outward / (double) (f.length / 3)).isGreaterThan(0.99);
    }

    @Test
    void create_everyGender_everyJointIsInsideTheBody() {
        for (Gender g : Gender.values()) {
            ModelData m = MODELS.get(g);
            double[] v = ReferenceLbs.toDouble(m.vTemplate());
            double[] joints = ReferenceLbs.joints(m, v);
            for (int j = 0; j < ModelData.JOINTS; j++) {
                assertThat(winding(v, m.faces(), joints, j)).as("%s joint %d", g, j).isCloseTo(1.0, within(1e-6));
            }
            double[] outside = {0, 0, 0.5};
            assertThat(winding(v, m.faces(), outside, 0)).isCloseTo(0.0, within(1e-6));
        }
    }

    @Test
    void jRegressor_neutral_reproducesRestSkeletonWithin1mm() {
        ModelData m = neutral();
        double[] joints = ReferenceLbs.joints(m, ReferenceLbs.toDouble(m.vTemplate()));
        float[] rest = RestSkeleton.joints();
        double worst = 0;
        for (int i = 0; i < joints.length; i++) {
            worst = Math.max(worst, Math.abs(joints[i] - rest[i]));
        }
        assertThat(worst).isLessThan(1e-5);
    }

    @Test
    void jRegressor_everyGender_rowsSumToOne() {
        for (Gender g : Gender.values()) {
            ModelData m = MODELS.get(g);
            int nv = m.vertexCount();
            for (int j = 0; j < ModelData.JOINTS; j++) {
                double sum = 0;
                int nonZero = 0;
                for (int i = 0; i < nv; i++) {
                    sum += m.jRegressor()[j * nv + i];
                    nonZero += m.jRegressor()[j * nv + i] != 0 ? 1 : 0;
                }
                assertThat(sum).as("%s row %d", g, j).isCloseTo(1.0, within(1e-5));
                assertThat(nonZero).as("%s row %d", g, j).isBetween(20, 1500);
            }
        }
    }

    @Test
    void jRegressor_legLengthShape_movesAnklesDown() {
        ModelData m = neutral();
        double[] betas = new double[10];
        double[] rest = ReferenceLbs.joints(m, shaped(m, betas));
        betas[4] = 2;
        double[] longLegs = ReferenceLbs.joints(m, shaped(m, betas));
        // ankle (7) lower by about 2 × 6 % of the 0.75 m leg; pelvis and neck stay
        assertThat(rest[3 * 7 + 1] - longLegs[3 * 7 + 1]).isBetween(0.06, 0.12);
        assertThat(longLegs[3 * 12 + 1] - rest[3 * 12 + 1]).isCloseTo(0.0, within(0.01));
    }

    @Test
    void landmarkVertices_neutral_nearRestSkeletonLandmarksOnTheirSide() {
        ModelData m = neutral();
        float[] v = m.vTemplate();
        float[] nodes = RestSkeleton.nodes();
        for (SmplrLandmark l : SmplrLandmark.values()) {
            int id = m.landmarkVertices()[l.ordinal()];
            int n = l.node();
            double d = Math.sqrt(sq(v[3 * id] - nodes[3 * n]) + sq(v[3 * id + 1] - nodes[3 * n + 1])
                    + sq(v[3 * id + 2] - nodes[3 * n + 2]));
            assertThat(d).as(l.landmarkName()).isLessThan(0.03);
            if (l.landmarkName().contains("left")) {
                assertThat(v[3 * id]).as(l.landmarkName()).isGreaterThan(0.03f);
            } else if (l.landmarkName().contains("right")) {
                assertThat(v[3 * id]).as(l.landmarkName()).isLessThan(-0.03f);
            }
        }
    }

    @Test
    void lbsWeights_everyGender_atMostFourNonNegativeSummingToOne() {
        for (Gender g : Gender.values()) {
            ModelData m = MODELS.get(g);
            float[] w = m.lbsWeights();
            for (int i = 0; i < m.vertexCount(); i++) {
                double sum = 0;
                int nonZero = 0;
                float min = 0;
                for (int j = 0; j < ModelData.JOINTS; j++) {
                    float x = w[ModelData.JOINTS * i + j];
                    min = Math.min(min, x);
                    sum += x;
                    nonZero += x != 0 ? 1 : 0;
                }
                if (min < 0 || nonZero < 1 || nonZero > 4 || Math.abs(sum - 1) > 1e-6) {
                    throw new AssertionError(g + " vertex " + i + ": min " + min + ", " + nonZero
                            + " non-zero weights, sum " + sum);
                }
            }
        }
    }

    @Test
    void lbsWeights_neutral_handsFollowTheirWrists() {
        ModelData m = neutral();
        int hand = m.landmarkVertices()[SmplrLandmark.HAND_LEFT.ordinal()];
        int foot = m.landmarkVertices()[SmplrLandmark.FOOT_RIGHT.ordinal()];
        assertThat(m.lbsWeights()[24 * hand + 22] + m.lbsWeights()[24 * hand + 20]).isGreaterThan(0.99f);
        assertThat(m.lbsWeights()[24 * foot + 11] + m.lbsWeights()[24 * foot + 8]).isGreaterThan(0.99f);
    }

    @Test
    void pose_armsDownKneeBent_keepsVolumeAndStaysClosed() {
        ModelData m = neutral();
        double[] pose = new double[72];
        pose[3 * 16 + 2] = -1.2;
        pose[3 * 17 + 2] = 1.2;
        pose[3 * 18 + 1] = -1.5;
        pose[3 * 4] = 1.5;
        double[] posed = ReferenceLbs.vertices(m, new double[10], pose);
        double rest = volume(ReferenceLbs.toDouble(m.vTemplate()), m.faces());
        assertThat(volume(posed, m.faces()) / rest).isBetween(0.95, 1.03);
        // no edge stretches or collapses by more than a factor 3 (no candy-wrapper)
        double[] v0 = ReferenceLbs.toDouble(m.vTemplate());
        int[] f = m.faces();
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (int t = 0; t < f.length / 3; t++) {
            int a = f[3 * t];
            int b = f[3 * t + 1];
            double ratio = dist(posed, a, b) / dist(v0, a, b);
            lo = Math.min(lo, ratio);
            hi = Math.max(hi, ratio);
        }
        assertThat(lo).isGreaterThan(1 / 3.0);
        assertThat(hi).isLessThan(3.0);
    }

    @Test
    void shapeDirs_height_growsMonotonicallyBy5To8CmPerUnit() {
        ModelData m = neutral();
        double previous = Double.NEGATIVE_INFINITY;
        double[] heights = new double[7];
        for (int b = -3; b <= 3; b++) {
            double[] betas = new double[10];
            betas[0] = b;
            double[] v = shaped(m, betas);
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < v.length / 3; i++) {
                lo = Math.min(lo, v[3 * i + 1]);
                hi = Math.max(hi, v[3 * i + 1]);
            }
            heights[b + 3] = hi - lo;
            assertThat(hi - lo).isGreaterThan(previous);
            previous = hi - lo;
        }
        assertThat(heights[3]).isBetween(1.6, 1.8);
        assertThat((heights[5] - heights[1]) / 4).isBetween(0.05, 0.08);
    }

    @Test
    void shapeDirs_everyComponent_nonZeroAndCentimetreSized() {
        ModelData m = neutral();
        int nb = m.shapeCount();
        for (int b = 0; b < nb; b++) {
            double max = 0;
            for (int i = 0; i < m.shapeDirs().length / nb; i++) {
                max = Math.max(max, Math.abs(m.shapeDirs()[i * nb + b]));
            }
            assertThat(max).as("shape %d", b).isBetween(0.005, 0.06);
        }
    }

    @Test
    void create_femaleAndMale_differInShouldersAndHips() {
        Map<Gender, double[]> joints = new EnumMap<>(Gender.class);
        Map<Gender, Double> hipWidth = new EnumMap<>(Gender.class);
        for (Gender g : Gender.values()) {
            ModelData m = MODELS.get(g);
            joints.put(g, ReferenceLbs.joints(m, ReferenceLbs.toDouble(m.vTemplate())));
            int l = m.landmarkVertices()[SmplrLandmark.HIP_LEFT.ordinal()];
            int r = m.landmarkVertices()[SmplrLandmark.HIP_RIGHT.ordinal()];
            hipWidth.put(g, (double) m.vTemplate()[3 * l] - m.vTemplate()[3 * r]);
        }
        double fShoulders = joints.get(Gender.FEMALE)[3 * 16] - joints.get(Gender.FEMALE)[3 * 17];
        double nShoulders = joints.get(Gender.NEUTRAL)[3 * 16] - joints.get(Gender.NEUTRAL)[3 * 17];
        double mShoulders = joints.get(Gender.MALE)[3 * 16] - joints.get(Gender.MALE)[3 * 17];
        assertThat(fShoulders).isLessThan(nShoulders - 0.02);
        assertThat(mShoulders).isGreaterThan(nShoulders + 0.02);
        assertThat(hipWidth.get(Gender.FEMALE)).isGreaterThan(hipWidth.get(Gender.NEUTRAL) + 0.01);
        assertThat(hipWidth.get(Gender.MALE)).isLessThan(hipWidth.get(Gender.NEUTRAL));
        // hips relative to shoulders: the female ratio is the largest
        assertThat(hipWidth.get(Gender.FEMALE) / fShoulders).isGreaterThan(hipWidth.get(Gender.MALE) / mShoulders);
    }

    @Test
    void poseDirs_onlyKneeAndElbowDiagonals_smallBulge() {
        ModelData m = neutral();
        float[] pd = m.poseDirs();
        int nf = ModelData.POSE_FEATURES;
        double max = 0;
        for (int i = 0; i < pd.length; i++) {
            if (pd[i] != 0) {
                int feature = i % nf;
                int joint = feature / 9 + 1;
                int entry = feature % 9;
                assertThat(joint).isIn(4, 5, 18, 19);
                assertThat(entry).isIn(0, 4, 8);
                max = Math.max(max, Math.abs(pd[i]));
            }
        }
        assertThat(max).isBetween(0.002, 0.05);
        // a 90° knee bend pushes the knee's surface out radially by about 1.5 cm at most
        double[] pose = new double[72];
        pose[3 * 4] = Math.PI / 2;
        double[] bent = ReferenceLbs.vertices(m, new double[10], pose);
        double[] pose0 = new double[72];
        double[] noBlend = ReferenceLbs.vertices(withoutPoseDirs(m), new double[10], pose);
        double worst = 0;
        for (int i = 0; i < bent.length; i++) {
            worst = Math.max(worst, Math.abs(bent[i] - noBlend[i]));
        }
        assertThat(worst).isBetween(0.005, 0.016);
        // and nothing for the zero pose (up to float32 weights summing to 1 within 1e-7)
        double[] rest = ReferenceLbs.vertices(m, new double[10], pose0);
        double[] template = ReferenceLbs.toDouble(m.vTemplate());
        double drift = 0;
        for (int i = 0; i < rest.length; i++) {
            drift = Math.max(drift, Math.abs(rest[i] - template[i]));
        }
        assertThat(drift).isLessThan(1e-6);
    }

    @Test
    void render_neutralFront_looksLikeAPersonInTPose() {
        ModelData m = neutral();
        BufferedImage img = MeshImages.render(ReferenceLbs.toDouble(m.vTemplate()), m.faces(), MeshImages.FRONT,
                400, 2.0, -0.1);
        // rows at world heights: head one narrow run, shoulders a wide run (the arms), knees two runs (legs)
        int[] head = runs(img, 0.66, 2.0, -0.1);
        int[] arms = runs(img, 0.45, 2.0, -0.1);
        int[] knees = runs(img, -0.45, 2.0, -0.1);
        assertThat(head[0]).isEqualTo(1);
        assertThat(head[1] / 200.0).isBetween(0.12, 0.2);
        assertThat(arms[0]).isEqualTo(1);
        assertThat(arms[1] / 200.0).isBetween(1.5, 1.8);
        assertThat(knees[0]).isEqualTo(2);
        // left-right mirror symmetry of the silhouette
        int same = 0;
        int covered = 0;
        for (int y = 0; y < 400; y++) {
            for (int x = 0; x < 400; x++) {
                boolean a = img.getRGB(x, y) != MeshImages.BACKGROUND;
                boolean b = img.getRGB(399 - x, y) != MeshImages.BACKGROUND;
                covered += a || b ? 1 : 0;
                same += a && b ? 1 : 0;
            }
        }
        assertThat(same / (double) covered).isGreaterThan(0.95);
    }

    // ---------------------------------------------------------------- helpers (float64 references)

    /** @return {count of covered runs, total covered pixels} of the image row at world height y */
    private static int[] runs(BufferedImage img, double y, double metres, double centreY) {
        int size = img.getWidth();
        int row = (int) (size / 2.0 - size / metres * (y - centreY));
        int count = 0;
        int pixels = 0;
        boolean inside = false;
        for (int x = 0; x < size; x++) {
            boolean c = img.getRGB(x, row) != MeshImages.BACKGROUND;
            if (c && !inside) {
                count++;
            }
            pixels += c ? 1 : 0;
            inside = c;
        }
        return new int[] {count, pixels};
    }

    private static ModelData withoutPoseDirs(ModelData m) {
        return new ModelData(m.gender(), m.vTemplate(), m.shapeDirs(), m.shapeCount(), new float[m.poseDirs().length],
                m.jRegressor(), m.lbsWeights(), m.faces(), m.parents(), m.landmarkVertices(), m.source());
    }

    private static double[] shaped(ModelData m, double[] betas) {
        double[] v = ReferenceLbs.toDouble(m.vTemplate());
        int nb = m.shapeCount();
        for (int i = 0; i < v.length; i++) {
            for (int b = 0; b < betas.length; b++) {
                v[i] += betas[b] * m.shapeDirs()[i * nb + b];
            }
        }
        return v;
    }

    private static long edge(int a, int b) {
        return ((long) a << 32) | (b & 0xffffffffL);
    }

    /** Signed volume by the divergence theorem: sum over faces of a · (b × c) / 6. */
    private static double volume(double[] v, int[] f) {
        double sum = 0;
        for (int t = 0; t < f.length / 3; t++) {
            int a = 3 * f[3 * t];
            int b = 3 * f[3 * t + 1];
            int c = 3 * f[3 * t + 2];
            sum += v[a] * (v[b + 1] * v[c + 2] - v[b + 2] * v[c + 1])
                    - v[a + 1] * (v[b] * v[c + 2] - v[b + 2] * v[c])
                    + v[a + 2] * (v[b] * v[c + 1] - v[b + 1] * v[c]);
        }
        return sum / 6;
    }

    /** Generalised winding number of point p (Van Oosterom–Strackee solid angles / 4π): 1 inside, 0 outside. */
    private static double winding(double[] v, int[] f, double[] points, int p) {
        double sum = 0;
        for (int t = 0; t < f.length / 3; t++) {
            double[][] r = new double[3][3];
            double[] len = new double[3];
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < 3; k++) {
                    r[i][k] = v[3 * f[3 * t + i] + k] - points[3 * p + k];
                }
                len[i] = Math.sqrt(dot(r[i], r[i]));
            }
            double det = dot(r[0], cross(r[1], r[2]));
            double den = len[0] * len[1] * len[2] + dot(r[0], r[1]) * len[2] + dot(r[0], r[2]) * len[1]
                    + dot(r[1], r[2]) * len[0];
            sum += 2 * Math.atan2(det, den);
        }
        return sum / (4 * Math.PI);
    }

    /** Bone segments (parent, child) of the SMPLR tree, so leaves reach the head top, hands and toes. */
    private static double[][] bones(float[] nodes) {
        KinematicTree tree = KinematicTree.smplr();
        double[][] segs = new double[tree.size() - 1][];
        for (int n = 1; n < tree.size(); n++) {
            int p = tree.parent(n);
            boolean leafExtension = n == 33 || n == 34 || n == 35 || n == 40 || n == 41;
            segs[n - 1] = n < 24 || leafExtension
                    ? new double[] {nodes[3 * p], nodes[3 * p + 1], nodes[3 * p + 2], nodes[3 * n], nodes[3 * n + 1],
                        nodes[3 * n + 2]}
                    : null;
        }
        return segs;
    }

    private static double[] nearestOnBones(double[] c, double[][] bones) {
        double best = Double.POSITIVE_INFINITY;
        double[] q = null;
        for (double[] s : bones) {
            if (s == null) {
                continue;
            }
            double[] d = {s[3] - s[0], s[4] - s[1], s[5] - s[2]};
            double[] w = {c[0] - s[0], c[1] - s[1], c[2] - s[2]};
            double t = Math.max(0, Math.min(1, dot(w, d) / dot(d, d)));
            double[] p = {s[0] + t * d[0], s[1] + t * d[1], s[2] + t * d[2]};
            double e = sq(c[0] - p[0]) + sq(c[1] - p[1]) + sq(c[2] - p[2]);
            if (e < best) {
                best = e;
                q = p;
            }
        }
        return q;
    }

    private static double[] normal(double[] v, int a, int b, int c) {
        double[] u = {v[3 * b] - v[3 * a], v[3 * b + 1] - v[3 * a + 1], v[3 * b + 2] - v[3 * a + 2]};
        double[] w = {v[3 * c] - v[3 * a], v[3 * c + 1] - v[3 * a + 1], v[3 * c + 2] - v[3 * a + 2]};
        return cross(u, w);
    }

    private static double dist(double[] v, int a, int b) {
        return Math.sqrt(sq(v[3 * a] - v[3 * b]) + sq(v[3 * a + 1] - v[3 * b + 1]) + sq(v[3 * a + 2] - v[3 * b + 2]));
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double sq(double x) {
        return x * x;
    }
}
