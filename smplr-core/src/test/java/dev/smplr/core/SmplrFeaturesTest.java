package dev.smplr.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SmplrFeaturesTest {

    @Test
    void normalizedRelativeJoints_hasUnitRowsAlongTheBones() {
        Random rnd = new Random(5);
        float[] rest = TestData.restNodes();
        float[] posed = KinematicTree.smplr().forwardKinematics(rest, TestData.randomAxisAngles(rnd, 42, 2));
        float[] points = new float[123];
        for (int i = 0; i < 123; i++) {
            points[i] = posed[3 + i] - posed[i % 3];
        }
        float[] n = SmplrFeatures.normalizedRelativeJoints(points);
        assertThat(n).hasSize(123);
        for (int k = 1; k < 42; k++) {
            int p = KinematicTree.smplr().parent(k);
            double[] r = new double[3];
            double len = 0;
            for (int a = 0; a < 3; a++) {
                r[a] = posed[3 * k + a] - posed[3 * p + a];
                len += r[a] * r[a];
            }
            len = Math.sqrt(len);
            double norm = 0;
            for (int a = 0; a < 3; a++) {
                float v = n[3 * (k - 1) + a];
                norm += v * v;
                assertThat((double) v).as("bone %d axis %d", k, a).isCloseTo(r[a] / len, within(1e-6));
            }
            assertThat(Math.sqrt(norm)).as("|n_%d|", k).isCloseTo(1.0, within(1e-6));
        }
    }

    @Test
    void relativeDistances_isZeroOnTheTemplate_andTracksScaling() {
        float[] rest = TestData.restPoints41();
        float[] template = SmplrFeatures.templateDistances(rest);
        assertThat(SmplrFeatures.relativeDistances(rest, template)).containsOnly(0f);
        float[] scaled = rest.clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= 1.1f;
        }
        float[] b = SmplrFeatures.relativeDistances(scaled, template);
        for (int k = 0; k < 41; k++) {
            assertThat(b[k]).isCloseTo(0.1f * template[k], within(1e-6f));
        }
        // N does not see a uniform scale
        assertThat(SmplrFeatures.normalizedRelativeJoints(scaled))
                .containsExactly(SmplrFeatures.normalizedRelativeJoints(rest), within(1e-6f));
    }

    @Test
    void templateDistances_ofTheRestSkeletonAreCloseToTheRelease() {
        // rest-skeleton.csv is the mean of four real SMPL bodies; the release's d* come from the SMPL template.
        float[] ours = SmplrFeatures.templateDistances(TestData.restPoints41());
        float[] release = SmplrFeatures.releaseTemplateDistances();
        for (int k = 0; k < 23; k++) {
            assertThat(ours[k]).as("joint bone %d", k + 1).isCloseTo(release[k], within(0.03f));
        }
    }

    @Test
    void batchedOverloads_matchSingle() {
        float[] rest = TestData.restPoints41();
        float[] template = SmplrFeatures.templateDistances(rest);
        float[] two = new float[246];
        System.arraycopy(rest, 0, two, 123, 123);
        float[] n = new float[250];
        SmplrFeatures.normalizedRelativeJoints(two, 123, n, 7);
        float[] expected = SmplrFeatures.normalizedRelativeJoints(rest);
        for (int i = 0; i < 123; i++) {
            assertThat(n[7 + i]).isEqualTo(expected[i]);
        }
        float[] b = new float[45];
        SmplrFeatures.relativeDistances(two, 123, template, b, 2);
        for (int i = 0; i < 41; i++) {
            assertThat(b[2 + i]).isEqualTo(0f);
        }
    }

    @Test
    void features_rejectBadInput() {
        float[] rest = TestData.restPoints41();
        assertThatThrownBy(() -> SmplrFeatures.normalizedRelativeJoints(new float[120]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("points41: expected 123 values (41×3 root-relative points), got 120");
        float[] nan = rest.clone();
        nan[3 * 17 + 1] = Float.NaN;
        assertThatThrownBy(() -> SmplrFeatures.normalizedRelativeJoints(nan))
                .hasMessage("points41[17]: NaN in y");
        float[] inf = rest.clone();
        inf[0] = Float.NEGATIVE_INFINITY;
        assertThatThrownBy(() -> SmplrFeatures.relativeDistances(inf, new float[41]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("points41[0]: -Infinity in x");
        assertThatThrownBy(() -> SmplrFeatures.relativeDistances(rest, new float[42]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("template: expected 41");
        float[] badTemplate = new float[41];
        badTemplate[3] = Float.NaN;
        assertThatThrownBy(() -> SmplrFeatures.relativeDistances(rest, badTemplate))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("template[3]: NaN");
        float[] collapsed = rest.clone();
        // head top (node 41, point 40) on the head (node 15, point 14)
        System.arraycopy(collapsed, 3 * 14, collapsed, 3 * 40, 3);
        assertThatThrownBy(() -> SmplrFeatures.normalizedRelativeJoints(collapsed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bone 41 (head → head_top) has length 0.0");
        assertThatThrownBy(() -> SmplrFeatures.templateDistances(collapsed))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("restPoints41: bone 41");
    }
}
