package dev.smplr.smpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.smplr.core.Gender;
import dev.smplr.core.Rotations;
import dev.smplr.core.SmplrFeatures;
import dev.smplr.smpl.training.WeightsDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmplRegressorTest {
    /** A small untrained regressor for the demo bodies (random weights: the tests check plumbing, not accuracy). */
    static SmplRegressor untrained(boolean jointsOnly, double band) {
        return untrained(jointsOnly, true, band);
    }

    static SmplRegressor untrained(boolean jointsOnly, boolean canonical, double band) {
        RegressorConfig shape = RegressorConfig.builder().kind(RegressorConfig.Kind.SHAPE).fce1(16).fce2(16).fce3(8)
                .fce4(8).fce41(8).fce42(8).fce5(8).fce43(8).seed(3).build();
        RegressorConfig pose = shape.toBuilder().kind(RegressorConfig.Kind.POSE).seed(4).build();
        float[] template = SmplrFeatures.templateDistances(SmplModel.demo(Gender.NEUTRAL)
                .smplrPoints(SmplParams.zero()));
        Map<String, Object> provenance = Map.of("preset", "custom",
                "body", WeightsDirectory.describe(SmplModel.demo(Gender.NEUTRAL)),
                "bodies", List.of(WeightsDirectory.describe(SmplModel.demo(Gender.FEMALE)),
                        WeightsDirectory.describe(SmplModel.demo(Gender.NEUTRAL))),
                "metrics", Map.of("mpjpe24_mm", 1.5));
        return new SmplRegressor(new SmplRegressor.Nets(RegressorNetwork.build(shape), RegressorNetwork.build(pose)),
                shape, pose, template, jointsOnly, canonical, band, true, provenance);
    }

    private static List<float[]> samples(int count) {
        TrainingSet set = TrainingSet.builder().seed(11).build();
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(set.sample(i).points());
        }
        return out;
    }

    @Test
    void saveLoad_roundTrip_givesIdenticalEstimates(@TempDir Path dir) throws IOException {
        SmplRegressor r = untrained(false, 0.5);
        List<float[]> pts = samples(5);
        r.save(dir);
        SmplRegressor back = SmplRegressor.load(dir);
        assertThat(back.regress(pts)).isEqualTo(r.regress(pts));
        assertThat(back.withProjection(false).regress(pts.get(0))).isEqualTo(r.withProjection(false).regress(pts.get(0)));
        assertThat(back.templateDistances()).containsExactly(r.templateDistances());
        assertThat(back.metrics()).containsEntry("mpjpe24_mm", 1.5);
        assertThat(back.shapeConfig()).isEqualTo(r.shapeConfig());
        assertThat(back.poseConfig()).isEqualTo(r.poseConfig());
    }

    @Test
    void load_anotherBody_throwsNamingBoth(@TempDir Path dir) throws IOException {
        untrained(false, 0.5).save(dir);
        SmplModel other = SyntheticModels.model(300, 10, 5);
        assertThatThrownBy(() -> SmplRegressor.load(dir, other)).isInstanceOf(IOException.class)
                .hasMessageContaining(SmplModel.demo(Gender.NEUTRAL).fingerprint())
                .hasMessageContaining(other.fingerprint()).hasMessageContaining("manifest.json");
        // every body listed in the manifest is accepted
        assertThat(SmplRegressor.load(dir, SmplModel.demo(Gender.FEMALE))).isNotNull();
        assertThatThrownBy(() -> SmplRegressor.load(dir, SmplModel.demo(Gender.MALE)))
                .hasMessageContaining(SmplModel.demo(Gender.MALE).fingerprint());
    }

    @Test
    void load_badDirectory_throwsNamingFileAndKey(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> SmplRegressor.load(dir.resolve("missing"))).isInstanceOf(IOException.class)
                .hasMessageContaining("missing");
        untrained(false, 0.5).save(dir);
        Path manifest = dir.resolve("manifest.json");
        String text = Files.readString(manifest, StandardCharsets.UTF_8);
        Files.writeString(manifest, text.replace("\"fce1\": 16", "\"fce1\": \"16\""), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SmplRegressor.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("manifest.json").hasMessageContaining("shapeConfig.fce1");
        Files.writeString(manifest, text, StandardCharsets.UTF_8);
        byte[] pose = Files.readAllBytes(dir.resolve(SmplRegressor.POSE_FILE));
        pose[pose.length / 2] ^= 1;
        Files.write(dir.resolve(SmplRegressor.POSE_FILE), pose);
        assertThatThrownBy(() -> SmplRegressor.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining(SmplRegressor.POSE_FILE).hasMessageContaining("SHA-256");
    }

    @Test
    void regress_projectionOn_givesRotationsWhosePoseMatches() {
        SmplRegressor r = untrained(false, 0.5);
        SmplEstimate e = r.regress(samples(1).get(0));
        float[] rot = e.rotations();
        for (int j = 0; j < 24; j++) {
            double[] m = new double[9];
            for (int k = 0; k < 9; k++) {
                m[k] = rot[9 * j + k];
            }
            double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6])
                    + m[2] * (m[3] * m[7] - m[4] * m[6]);
            assertThat(det).as("det R_%d", j).isCloseTo(1, within(1e-4));
            for (int a = 0; a < 3; a++) {
                for (int c = 0; c < 3; c++) {
                    double dot = m[a] * m[c] + m[3 + a] * m[3 + c] + m[6 + a] * m[6 + c];
                    assertThat(dot).isCloseTo(a == c ? 1 : 0, within(1e-4));
                }
            }
        }
        float[] fromPose = Rotations.axisAngleToMatrix(e.pose());
        for (int k = 0; k < rot.length; k++) {
            assertThat(fromPose[k]).isCloseTo(rot[k], within(1e-4f));
        }
        assertThat(e.betas()).hasSize(10);
        assertThat(e.transl()).containsExactly(0, 0, 0);
    }

    @Test
    void regress_projectionOff_keepsRawOutputsAndProjectedPose() {
        SmplRegressor r = untrained(false, false, 0.5);
        float[] p = samples(1).get(0);
        SmplEstimate on = r.regress(p);
        SmplEstimate off = r.withProjection(false).regress(p);
        assertThat(r.withProjection(false).projection()).isFalse();
        assertThat(r.withProjection(true)).isSameAs(r);
        assertThat(off.pose()).containsExactly(on.pose());
        assertThat(off.betas()).containsExactly(on.betas());
        float[] n = SmplrFeatures.normalizedRelativeJoints(p);
        float[] raw = r.outputs(n, SmplrFeatures.relativeDistances(p, r.templateDistances()), 1)[1];
        assertThat(off.rotations()).containsExactly(raw);
        assertThat(Rotations.projectToRotation(raw)).containsExactly(on.rotations());
        for (float v : raw) {
            assertThat(v).isBetween(-1f, 1f);
        }
    }

    @Test
    void regress_bodyFrame_rotatesOnlyTheRoot() {
        SmplRegressor r = untrained(false, 0.5).withProjection(false);
        float[] p = samples(1).get(0);
        float[] q = Rotations.axisAngleToMatrix(new float[] {1.1f, -0.4f, 2.3f});
        float[] rotated = new float[123];
        for (int i = 0; i < 41; i++) {
            Rotations.rotate(q, 0, p, 3 * i, rotated, 3 * i);
        }
        float[] a = r.regress(p).rotations();
        float[] b = r.regress(rotated).rotations();
        float[] expectedRoot = new float[9];
        Rotations.multiply(q, 0, a, 0, expectedRoot, 0);
        for (int k = 0; k < 9; k++) {
            assertThat(b[k]).as("root entry %d", k).isCloseTo(expectedRoot[k], within(1e-3f));
        }
        for (int k = 9; k < 216; k++) {
            assertThat(b[k]).as("rotation entry %d", k).isCloseTo(a[k], within(1e-3f));
        }
        assertThat(r.canonicalFrame()).isTrue();
    }

    @Test
    void regress_batch_equalsOneByOne() {
        SmplRegressor r = untrained(false, 0.5);
        List<float[]> pts = samples(4);
        List<SmplEstimate> batch = r.regress(pts);
        for (int i = 0; i < pts.size(); i++) {
            SmplEstimate one = r.regress(pts.get(i));
            for (int k = 0; k < 216; k++) {
                assertThat(batch.get(i).rotations()[k]).isCloseTo(one.rotations()[k], within(1e-5f));
            }
            assertThat(batch.get(i).gender()).isEqualTo(one.gender());
        }
        assertThat(r.regress(List.of())).isEmpty();
    }

    /** 70 samples: split over threads in chunks, with the body frame; equal to single calls, in order. */
    @Test
    void regress_largeBatch_equalsOneByOne() {
        SmplRegressor r = SmplRegressor.demo();
        List<float[]> pts = samples(70);
        List<SmplEstimate> batch = r.regress(pts);
        assertThat(batch).hasSize(70);
        for (int i = 0; i < pts.size(); i++) {
            SmplEstimate one = r.regress(pts.get(i));
            for (int k = 0; k < 216; k++) {
                assertThat(batch.get(i).rotations()[k]).isCloseTo(one.rotations()[k], within(1e-5f));
            }
            for (int k = 0; k < 72; k++) {
                assertThat(batch.get(i).params().pose()[k]).isCloseTo(one.params().pose()[k], within(1e-4f));
            }
            for (int k = 0; k < 10; k++) {
                assertThat(batch.get(i).params().betas()[k]).isCloseTo(one.params().betas()[k], within(1e-5f));
            }
            assertThat(batch.get(i).gender()).isEqualTo(one.gender());
        }
        List<float[]> bad = new ArrayList<>(pts);
        bad.set(66, new float[123]); // every point at the root: no body frame
        assertThatThrownBy(() -> r.regress(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("batch[66]: ");
    }

    @Test
    void regress_jointsOnly_ignoresTheLandmarks() {
        SmplRegressor r = untrained(true, 0.5);
        float[] p = samples(1).get(0);
        float[] moved = p.clone();
        for (int k = 3 * 23; k < 123; k++) {
            moved[k] += 0.05f * ((k % 3) - 1) + 0.01f;
        }
        assertThat(r.regress(moved)).isEqualTo(r.regress(p));
        assertThat(untrained(false, 0.5).regress(moved)).isNotEqualTo(untrained(false, 0.5).regress(p));
    }

    @Test
    void demo_shippedWeights_areForTheDemoBodiesAndMatchTheirMetrics() throws IOException {
        SmplRegressor demo = SmplRegressor.demo();
        assertThat(SmplRegressor.demo()).isSameAs(demo);
        assertThat(demo.projection()).isTrue();
        for (Gender g : Gender.values()) {
            demo.checkBody("demo", SmplModel.demo(g));
        }
        assertThatThrownBy(() -> demo.checkBody("demo", SyntheticModels.model(300, 10, 5)))
                .isInstanceOf(IOException.class);
        assertThat(demo.templateDistances()).containsExactly(SmplrFeatures.templateDistances(
                SmplModel.demo(Gender.NEUTRAL).smplrPoints(SmplParams.zero())), within(1e-6f));
        // re-measured on 100 of the same held-out samples, the error agrees with the recorded 1000-sample metric
        TrainingSet clean = TrainingSet.builder().seed(1).randomOrientation(true).build();
        double recorded = demo.metrics().get("mpjpe24_mm");
        double measured = RegressorTrainer.evaluate(SmplModel::demo, demo, clean, RegressorTrainer.EVALUATION_FIRST,
                100).get("mpjpe24_mm");
        assertThat(measured).isCloseTo(recorded, within(0.25 * recorded));
    }

    @Test
    void gender_bandAndSign() {
        assertThat(SmplRegressor.gender(0f, 0)).isEqualTo(Gender.MALE);
        assertThat(SmplRegressor.gender(-1e-6f, 0)).isEqualTo(Gender.FEMALE);
        assertThat(SmplRegressor.gender(0.49f, 0.5)).isEqualTo(Gender.NEUTRAL);
        assertThat(SmplRegressor.gender(-0.49f, 0.5)).isEqualTo(Gender.NEUTRAL);
        assertThat(SmplRegressor.gender(0.5f, 0.5)).isEqualTo(Gender.MALE);
        assertThat(SmplRegressor.gender(-0.7f, 0.5)).isEqualTo(Gender.FEMALE);
    }

    @Test
    void regress_badInput_throwsNamingArgumentAndShape() {
        SmplRegressor r = untrained(false, 0.5);
        assertThatThrownBy(() -> r.regress((float[]) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("points41");
        assertThatThrownBy(() -> r.regress(new float[122])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("points41").hasMessageContaining("123").hasMessageContaining("122");
        float[] nan = samples(1).get(0).clone();
        nan[40] = Float.NaN;
        assertThatThrownBy(() -> r.regress(nan)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("points41").hasMessageContaining("NaN");
        float[] degenerate = samples(1).get(0).clone();
        System.arraycopy(degenerate, 0, degenerate, 3 * 3, 3); // L_knee onto L_hip: a zero-length bone
        assertThatThrownBy(() -> r.regress(degenerate)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("points41");
        List<float[]> batch = new ArrayList<>(samples(2));
        batch.add(new float[3]);
        assertThatThrownBy(() -> r.regress(batch)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch[2]");
        assertThatThrownBy(() -> r.regress((List<float[]>) null)).hasMessageContaining("batch");
    }
}
