package dev.smplr.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The joint and landmark tables against SPEC.md 2.1, 2.2 and 9. */
class SchemaTest {

    @Test
    void smplrLandmark_vertexIdsAreTheRelease() {
        assertThat(SmplrLandmark.smplVertices()).containsExactly(3042, 4428, 3503, 4311, 822, 4361, 877, 4386,
                898, 3222, 6620, 2544, 2820, 1258, 4116, 5365, 5989, 331);
        assertThat(SmplrLandmark.HEAD_TOP.node()).isEqualTo(41);
        assertThat(SmplrLandmark.BREAST_LEFT.pointIndex()).isEqualTo(23);
    }

    @Test
    void smplrPoints_orderJointsThenLandmarks() {
        assertThat(SmplrPoints.name(0)).isEqualTo("left_hip");
        assertThat(SmplrPoints.name(22)).isEqualTo("right_hand");
        assertThat(SmplrPoints.name(23)).isEqualTo("breast_left");
        assertThat(SmplrPoints.name(40)).isEqualTo("head_top");
        assertThat(SmplJoint.LEFT_HIP.pointIndex()).isZero();
        assertThat(SmplJoint.PELVIS.pointIndex()).isEqualTo(-1);
        assertThat(SmplJoint.HEAD.parent()).isEqualTo(SmplJoint.NECK);
        assertThatThrownBy(() -> SmplrPoints.name(41)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 41");
    }

    @Test
    void jointGroups_areTheReleaseGroups() {
        assertThat(JointGroup.ALL.smplJoints()).containsExactly(1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 18, 19, 20,
                21);
        assertThat(JointGroup.FOOT.points()).containsExactly(6, 7, 9, 10);
        int covered = Arrays.stream(JointGroup.values()).filter(g -> g != JointGroup.ALL)
                .mapToInt(g -> g.smplJoints().length).sum();
        assertThat(covered).isEqualTo(21); // all but the root and the two hands
    }

    @Test
    void gather_picksJointsAndLandmarkVerticesRelativeToTheRoot() {
        float[] joints = new float[72];
        for (int i = 0; i < 72; i++) {
            joints[i] = i;
        }
        float[] vertices = new float[3 * 50];
        for (int i = 0; i < vertices.length; i++) {
            vertices[i] = 1000 + i;
        }
        int[] ids = new int[18];
        for (int l = 0; l < 18; l++) {
            ids[l] = 2 * l;
        }
        float[] p = SmplrPoints.gather(joints, vertices, ids);
        assertThat(p).hasSize(123);
        assertThat(new float[] {p[0], p[1], p[2]}).containsExactly(3, 3, 3);
        assertThat(p[3 * 23]).isEqualTo(1000f);
        assertThat(p[3 * 40 + 2]).isEqualTo(1000 + 3 * 34 + 2 - 2);
        ids[5] = 50;
        assertThatThrownBy(() -> SmplrPoints.gather(joints, vertices, ids))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("landmarkVertices[5]: vertex 50");
    }

    @Test
    void gender_fromScore() {
        assertThat(Gender.fromScore(0f)).isEqualTo(Gender.MALE);
        assertThat(Gender.fromScore(-0.1f)).isEqualTo(Gender.FEMALE);
        assertThatThrownBy(() -> Gender.fromScore(Float.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
