package dev.smplr.smpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.smplr.core.Gender;
import dev.smplr.core.JointGroup;
import dev.smplr.core.Metrics;
import dev.smplr.core.Pipeline;
import dev.smplr.core.PipelineResult;
import dev.smplr.core.Rotations;
import dev.smplr.core.SmplrPoints;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SmplFitterTest {
    private static final SmplModel BODY = SmplModel.demo(Gender.NEUTRAL);
    private static final SmplFitter FITTER = SmplFitter.of(BODY);
    private static final TrainingSet SET = TrainingSet.builder().seed(77)
            .sampler(PoseSampler.anatomical(10, Gender.NEUTRAL)).build();

    @Test
    void fit_exactPointsFromPerturbedStart_recoversPointsAndShape() {
        for (int s = 0; s < 3; s++) {
            TrainingSample t = SET.sample(s);
            float[] pose = Rotations.matrixToAxisAngle(t.rotations());
            SmplEstimate start = FitEvaluation.perturb(pose, t.betas(), Gender.NEUTRAL, new SplittableRandom(s));
            SmplEstimate e = FITTER.fit(t.points(), start);
            assertThat(Metrics.mpjpe(BODY.smplrPoints(e.params()), t.points())).as("MPJPE mm").isLessThan(1.0);
            assertThat(Metrics.pve(FitEvaluation.rootRelativeVertices(BODY, e.params().pose(), e.params().betas()),
                    FitEvaluation.rootRelativeVertices(BODY, pose, t.betas()))).as("per-vertex mm").isLessThan(10.0);
            // betas are only partly observable from 41 points (the per-vertex bound above covers the shape)
            for (int b = 0; b < 10; b++) {
                assertThat(e.params().betas()[b]).as("beta %d", b).isCloseTo(t.betas()[b], within(0.5f));
            }
            assertThat(e.gender()).isEqualTo(Gender.NEUTRAL);
            assertThat(e.rotations()).containsExactly(Rotations.axisAngleToMatrix(e.params().pose()), within(1e-6f));
        }
    }

    @Test
    void fit_fromNothing_alignsTheRootAndRecoversThePoints() {
        TrainingSample t = SET.sample(10);
        SmplEstimate e = FITTER.fit(t.points(), null);
        assertThat(Metrics.mpjpe(BODY.smplrPoints(e.params()), t.points())).isLessThan(1.0);
    }

    @Test
    void fit_otherParametrisationsSolversAndJacobians_recoverThePoints() {
        TrainingSample t = SET.sample(3);
        float[] pose = Rotations.matrixToAxisAngle(t.rotations());
        SmplEstimate start = FitEvaluation.perturb(pose, t.betas(), Gender.NEUTRAL, new SplittableRandom(3));
        List<SmplFitter> variants = List.of(
                SmplFitter.builder(BODY).rotation(SmplFitter.Rotation.SIX_D).build(),
                SmplFitter.builder(BODY).jacobian(SmplFitter.JacobianMode.FINITE_DIFFERENCES).iterations(30).build(),
                SmplFitter.builder(BODY).solver(SmplFitter.Solver.COMMONS_MATH).build());
        for (SmplFitter f : variants) {
            SmplEstimate e = f.fit(t.points(), start);
            assertThat(Metrics.mpjpe(BODY.smplrPoints(e.params()), t.points())).as(f.toString()).isLessThan(1.5);
        }
    }

    @Test
    void fit_fixedBetas_keepsTheInitialBetas_andTranslationIsRecoveredWhenFitted() {
        TrainingSample t = SET.sample(4);
        float[] pose = Rotations.matrixToAxisAngle(t.rotations());
        SmplEstimate start = FitEvaluation.perturb(pose, t.betas(), Gender.NEUTRAL, new SplittableRandom(4));
        SmplEstimate fixed = SmplFitter.builder(BODY).fitBetas(false).build().fit(t.points(), start);
        assertThat(fixed.params().betas()).containsExactly(start.params().betas());

        float[] shift = {0.1f, -0.2f, 0.3f};
        float[] moved = t.points().clone();
        for (int i = 0; i < moved.length; i++) {
            moved[i] += shift[i % 3];
        }
        SmplEstimate e = SmplFitter.builder(BODY).fitTranslation(true).build().fit(moved, start);
        for (int k = 0; k < 3; k++) {
            assertThat(e.params().transl()[k]).isCloseTo(shift[k], within(0.002f));
        }
    }

    @Test
    void jacobian_ofTheFitProblem_matchesFiniteDifferences() {
        TrainingSample t = SET.sample(5);
        float[] pose = Rotations.matrixToAxisAngle(t.rotations());
        for (SmplFitter.Rotation rotation : SmplFitter.Rotation.values()) {
            SmplFitter f = SmplFitter.builder(BODY).rotation(rotation).fitTranslation(true)
                    .robustLoss(SmplFitter.RobustLoss.SQUARED, 1).limitPrior(0).betaPrior(0).build();
            FitProblem p = new FitProblem(f);
            double[] ones = new double[41];
            Arrays.fill(ones, 1);
            p.target(t.points(), ones, t.betas(), new float[3], null);
            double[] x = p.start(pose, t.betas(), new float[] {0.01f, 0.02f, 0.03f});
            int m = p.residualCount();
            double[] r = new double[m];
            double[] jr = new double[m * p.n];
            p.residuals(x, r, jr);
            double h = 1e-3;
            double worst = 0;
            double scale = 0;
            for (int q = 0; q < p.n; q++) {
                double[] xp = x.clone();
                xp[q] += h;
                float[] plus = p.pointsOf(xp);
                double[] xm = x.clone();
                xm[q] -= h;
                float[] minus = p.pointsOf(xm);
                for (int i = 0; i < SmplrPoints.VALUES; i++) {
                    double fd = ((double) plus[i] - minus[i]) / (2 * h);
                    scale = Math.max(scale, Math.abs(fd));
                    worst = Math.max(worst, Math.abs(fd - jr[p.n * i + q]));
                }
            }
            assertThat(worst / scale).as(rotation + " relative error").isLessThan(1e-3);
        }
    }

    @Test
    void linearize_gradient_isTheCostsGradientWithEveryTerm() {
        TrainingSample t = SET.sample(6);
        float[] pose = Rotations.matrixToAxisAngle(t.rotations());
        for (int k = 3; k < 72; k++) {
            pose[k] *= 2.2f; // well outside the joint limits
        }
        float[] target = SET.sample(7).points(); // far from this pose: large residuals, Huber's linear part
        for (SmplFitter.Rotation rotation : SmplFitter.Rotation.values()) {
            SmplFitter f = SmplFitter.builder(BODY).rotation(rotation).robustLoss(SmplFitter.RobustLoss.HUBER, 0.05)
                    .betaPrior(1e-3).limitPrior(1e-2).smoothness(1e-3).build();
            FitProblem p = new FitProblem(f);
            double[] c = new double[41];
            for (int i = 0; i < 41; i++) {
                c[i] = 0.5 + (i % 3);
            }
            double[] previous = p.start(new float[72], new float[10], new float[3]);
            p.target(target, c, t.betas(), new float[3], previous);
            double[] x = p.start(pose, t.betas(), new float[3]);
            double[] a = new double[p.n * p.n];
            double[] g = new double[p.n];
            p.linearize(x, a, g);
            double h = 1e-4;
            double worst = 0;
            double scale = 0;
            for (int q = 0; q < p.n; q++) {
                double[] xp = x.clone();
                xp[q] += h;
                double[] xm = x.clone();
                xm[q] -= h;
                double fd = (p.cost(xp) - p.cost(xm)) / (2 * h);
                scale = Math.max(scale, Math.abs(fd));
                worst = Math.max(worst, Math.abs(fd - g[q]));
            }
            assertThat(worst / scale).as(rotation + " relative error").isLessThan(2e-3);
        }
    }

    @Test
    void fit_targetsAndZeroConfidence_ignoreThosePointsEntirely() {
        TrainingSample t = SET.sample(8);
        float[] pose = Rotations.matrixToAxisAngle(t.rotations());
        SmplEstimate start = FitEvaluation.perturb(pose, t.betas(), Gender.NEUTRAL, new SplittableRandom(8));
        float[] garbage = t.points().clone();
        for (int i = 3 * SmplrPoints.JOINTS; i < garbage.length; i++) {
            garbage[i] = Float.NaN; // every landmark missing
        }
        SmplFitter jointsOnly = SmplFitter.builder(BODY).targets("joints").build();
        SmplEstimate a = jointsOnly.fit(garbage, start);
        assertSameFit(a, jointsOnly.fit(t.points(), start));
        float[] confidence = new float[41];
        Arrays.fill(confidence, 0, SmplrPoints.JOINTS, 1f);
        assertSameFit(FITTER.fit(garbage, confidence, start), a);
        float[] weights = confidence.clone();
        assertSameFit(SmplFitter.builder(BODY).weights(weights).build().fit(garbage, start), a);

        // a joint group: the fit follows its joints, not the others
        SmplFitter group = SmplFitter.builder(BODY).targets(JointGroup.ALL).build();
        float[] moved = t.points().clone();
        moved[3 * 9] += 0.2f; // spine3 is not in the "All" group
        assertSameFit(group.fit(moved, start), group.fit(t.points(), start));
        // a weight changes the fit
        float[] heavy = new float[41];
        Arrays.fill(heavy, 1f);
        heavy[9] = 100f;
        SmplEstimate weighted = SmplFitter.builder(BODY).weights(heavy).build().fit(moved, start);
        SmplEstimate plain = FITTER.fit(moved, start);
        double dWeighted = distance(BODY.smplrPoints(weighted.params()), moved, 9);
        double dPlain = distance(BODY.smplrPoints(plain.params()), moved, 9);
        assertThat(dWeighted).isLessThan(0.5 * dPlain);
    }

    @Test
    void fit_robustLoss_downWeightsAnOutlier() {
        TrainingSample t = SET.sample(9);
        float[] pose = Rotations.matrixToAxisAngle(t.rotations());
        SmplEstimate start = FitEvaluation.perturb(pose, t.betas(), Gender.NEUTRAL, new SplittableRandom(9));
        float[] outlier = t.points().clone();
        int bad = SmplrPoints.JOINTS + 11; // the left hand landmark
        outlier[3 * bad] += 0.3f;
        int[] others = new int[40];
        for (int i = 0, k = 0; i < 41; i++) {
            if (i != bad) {
                others[k++] = i;
            }
        }
        SmplEstimate squared = SmplFitter.builder(BODY).robustLoss(SmplFitter.RobustLoss.SQUARED, 1).build()
                .fit(outlier, start);
        SmplEstimate gm = SmplFitter.builder(BODY).robustLoss(SmplFitter.RobustLoss.GEMAN_MCCLURE, 0.02).build()
                .fit(outlier, start);
        double eSquared = Metrics.mpjpe(BODY.smplrPoints(squared.params()), t.points(), others);
        double eGm = Metrics.mpjpe(BODY.smplrPoints(gm.params()), t.points(), others);
        assertThat(eGm).isLessThan(2.0);
        assertThat(eSquared).isGreaterThan(3 * eGm);
    }

    @Test
    void fitAll_equalsOneByOne_onAnyNumberOfThreads() {
        List<float[]> frames = new ArrayList<>();
        List<SmplEstimate> starts = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            TrainingSample t = SET.sample(20 + s);
            frames.add(t.points());
            starts.add(s % 2 == 0 ? null : FitEvaluation.perturb(Rotations.matrixToAxisAngle(t.rotations()),
                    t.betas(), Gender.NEUTRAL, new SplittableRandom(s)));
        }
        SmplFitter f = SmplFitter.builder(BODY).iterations(10).build();
        List<SmplEstimate> one = f.fitAll(frames, starts, 1);
        for (int s = 0; s < 6; s++) {
            assertSameFit(one.get(s), f.fit(frames.get(s), starts.get(s)));
        }
        List<SmplEstimate> two = f.fitAll(frames, starts, 2);
        List<SmplEstimate> common = f.fitAll(frames, starts);
        for (int s = 0; s < 6; s++) {
            assertSameFit(two.get(s), one.get(s));
            assertSameFit(common.get(s), one.get(s));
        }
        assertThatThrownBy(() -> f.fitAll(frames, starts.subList(0, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initials");
        List<float[]> broken = new ArrayList<>(frames);
        broken.set(4, new float[5]);
        assertThatThrownBy(() -> f.fitAll(broken, null, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("frames[4]");
    }

    @Test
    void fitSequence_startsEachFrameFromThePrevious_andSmoothnessPullsTowardIt() {
        TrainingSample t = SET.sample(30);
        float[] pose = Rotations.matrixToAxisAngle(t.rotations());
        List<float[]> frames = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            float[] p = pose.clone();
            p[3 * 18 + 1] -= 0.1f * k; // the left elbow bends on
            frames.add(BODY.smplrPoints(SmplParams.of(p, t.betas(), null)));
        }
        List<SmplEstimate> free = FITTER.fitSequence(frames, null);
        for (int k = 0; k < 4; k++) {
            assertThat(Metrics.mpjpe(BODY.smplrPoints(free.get(k).params()), frames.get(k))).isLessThan(1.0);
        }
        List<SmplEstimate> stiff = SmplFitter.builder(BODY).smoothness(10).build().fitSequence(frames, null);
        // frame 0 has no predecessor; later frames are held near it
        assertThat(stiff.get(0).params()).isEqualTo(free.get(0).params());
        int elbow = 3 * 18 + 1;
        double moveFree = Math.abs(free.get(3).params().pose()[elbow] - free.get(0).params().pose()[elbow]);
        double moveStiff = Math.abs(stiff.get(3).params().pose()[elbow] - stiff.get(0).params().pose()[elbow]);
        assertThat(moveFree).isCloseTo(0.3, within(0.02));
        assertThat(moveStiff).isLessThan(0.1 * moveFree);
    }

    @Test
    void refine_inAPipeline_fitsFromTheRegressorsEstimate() {
        TrainingSample t = SET.sample(11);
        float[] pose = Rotations.matrixToAxisAngle(t.rotations());
        SmplEstimate start = FitEvaluation.perturb(pose, t.betas(), Gender.NEUTRAL, new SplittableRandom(11));
        Pipeline pipeline = Pipeline.builder().regressor(points -> start).refiner(FITTER).body(BODY).build();
        PipelineResult r = pipeline.runFromPoints(t.points());
        assertThat(r.estimate()).isSameAs(start);
        assertThat(r.refined()).isInstanceOf(SmplEstimate.class);
        assertThat(r.timings()).containsKey(Pipeline.Stage.REFINE);
        assertThat(Metrics.mpjpe(r.bodyPoints(), t.points())).isLessThan(1.0);
    }

    @Test
    void fit_badInput_throwsNamingTheArgument() {
        float[] points = SET.sample(0).points();
        float[] nan = points.clone();
        nan[3 * 17 + 1] = Float.NaN;
        assertThatThrownBy(() -> FITTER.fit(nan, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("points41[17]: NaN in y");
        assertThatThrownBy(() -> FITTER.fit(new float[122], null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("points41: expected 123 values (41×3 root-relative points), got 122");
        assertThatThrownBy(() -> FITTER.fit(null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("points41");
        assertThatThrownBy(() -> FITTER.fit(points, new float[41], null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("every point has weight 0");
        assertThatThrownBy(() -> FITTER.fit(points, new float[40], null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("confidence: expected 41 values");
        float[] negative = new float[41];
        Arrays.fill(negative, 1f);
        negative[3] = -1f;
        assertThatThrownBy(() -> FITTER.fit(points, negative, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("confidence[3]: expected 0 or more");
        SmplEstimate tooManyBetas = new SmplEstimate(SmplParams.of(new float[72], new float[11], null),
                Gender.NEUTRAL, Rotations.axisAngleToMatrix(new float[72]));
        assertThatThrownBy(() -> FITTER.fit(points, tooManyBetas)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("initial.betas: expected at most 10");
    }

    @Test
    void builder_badSettings_throwWithTheCurrentValue() {
        SmplFitter.Builder b = SmplFitter.builder(BODY);
        assertThatThrownBy(() -> b.iterations(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("iterations: expected 1 or more, got 0 (current 50)");
        assertThatThrownBy(() -> b.damping(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("damping");
        assertThatThrownBy(() -> b.betaPrior(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("betaPrior");
        assertThatThrownBy(() -> b.robustLoss(SmplFitter.RobustLoss.HUBER, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scale");
        assertThatThrownBy(() -> b.targets(41)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("points");
        assertThatThrownBy(() -> b.targets(new int[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> b.targets("left_kneee")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown point 'left_kneee'").hasMessageContaining("left_knee");
        assertThatThrownBy(() -> b.weights(new float[40])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("perPoint");
        assertThatThrownBy(() -> b.betaCount(11)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("betaCount");
        assertThatThrownBy(() -> SmplFitter.of(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("body");
        SmplFitter f = b.iterations(7).build();
        assertThat(f.toBuilder().build().toString()).isEqualTo(f.toString()).contains("7 iterations");
    }

    private static void assertSameFit(SmplEstimate actual, SmplEstimate expected) {
        assertThat(actual.params()).isEqualTo(expected.params());
        assertThat(actual.rotations()).containsExactly(expected.rotations());
        assertThat(actual.gender()).isEqualTo(expected.gender());
    }

    private static double distance(float[] a, float[] b, int point) {
        double s = 0;
        for (int k = 0; k < 3; k++) {
            double d = a[3 * point + k] - b[3 * point + k];
            s += d * d;
        }
        return Math.sqrt(s);
    }
}
