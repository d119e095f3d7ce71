package dev.smplr.smpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smplr.core.KinematicTree;
import dev.smplr.core.RestSkeleton;
import org.junit.jupiter.api.Test;

/** The sign conventions JointLimits documents, checked with forward kinematics on the rest skeleton. */
class JointLimitsTest {

    /** Moves joint {@code moved} by rotating {@code joint} about {@code axis}; returns the change of its coordinate. */
    private static float delta(int joint, int axis, float angle, int moved, int coordinate) {
        float[] rest = RestSkeleton.joints();
        float[] pose = new float[72];
        pose[3 * joint + axis] = angle;
        float[] posed = KinematicTree.smpl().forwardKinematics(rest, pose);
        return posed[3 * moved + coordinate] - rest[3 * moved + coordinate];
    }

    @Test
    void signs_matchTheDocumentedAnatomy() {
        int x = 0;
        int y = 1;
        int z = 2;
        assertThat(delta(1, x, -1f, 4, z)).as("hip flexion: knee forward").isPositive();
        assertThat(delta(4, x, 1f, 7, z)).as("knee flexion: ankle backward").isNegative();
        assertThat(delta(3, x, 0.5f, 12, z)).as("spine forward bend: neck forward").isPositive();
        assertThat(delta(7, x, 0.5f, 10, y)).as("plantar flexion: toes down").isNegative();
        assertThat(delta(16, z, 1f, 18, y)).as("left arm up").isPositive();
        assertThat(delta(17, z, -1f, 19, y)).as("right arm up").isPositive();
        assertThat(delta(18, y, -1.5f, 20, z)).as("left elbow flexion: wrist forward").isPositive();
        assertThat(delta(19, y, 1.5f, 21, z)).as("right elbow flexion: wrist forward").isPositive();
        assertThat(delta(1, z, 0.5f, 4, x)).as("left hip abduction: knee outward (+X)").isPositive();
        assertThat(delta(2, z, -0.5f, 5, x)).as("right hip abduction: knee outward (-X)").isNegative();
    }

    @Test
    void limits_allowTheseMotionsAndForbidHyperextension() {
        assertThat(JointLimits.lower(4, 0)).isZero(); // knees do not bend forward
        assertThat(JointLimits.upper(18, 1)).isZero(); // nor elbows backward
        assertThat(JointLimits.upper(19, 1)).isGreaterThan(2f);
        for (int j = 1; j < 24; j++) {
            for (int a = 0; a < 3; a++) {
                assertThat(JointLimits.lower(j, a)).isLessThan(JointLimits.upper(j, a));
            }
        }
    }

    @Test
    void violationAndClamp_agree() {
        float[] pose = new float[72];
        pose[0] = 5f; // global orientation: never limited
        pose[3 * 4] = -0.5f; // knee bent forward by 0.5
        pose[3 * 18 + 1] = 0.25f; // left elbow backward by 0.25
        float[] out = new float[72];
        double sum = JointLimits.violation(pose, out);
        assertThat(out[0]).isZero();
        assertThat(out[12]).isEqualTo(-0.5f);
        assertThat(out[55]).isEqualTo(0.25f);
        assertThat(sum).isCloseTo(0.25 + 0.0625, org.assertj.core.api.Assertions.within(1e-6));
        float[] clamped = JointLimits.clamp(pose);
        assertThat(JointLimits.violation(clamped, out)).isZero();
        assertThat(clamped[0]).isEqualTo(5f);
    }

    @Test
    void badInput_isRejected() {
        assertThatThrownBy(() -> JointLimits.lower(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("global orientation");
        assertThatThrownBy(() -> JointLimits.upper(1, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("axis");
        assertThatThrownBy(() -> JointLimits.clamp(new float[71])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("pose: expected 72");
    }
}
