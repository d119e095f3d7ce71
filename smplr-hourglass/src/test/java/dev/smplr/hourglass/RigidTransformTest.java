package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RigidTransformTest {
    @Test
    void canonicalToCamera_upFrontAndLeftLandWhereAPhotoShowsThem() {
        RigidTransform t = RigidTransform.CANONICAL_TO_CAMERA;
        // Canonical: +Y up, +Z the body's front, +X the body's left.
        assertThat(t.apply(new float[] {0, 1, 0})).containsExactly(0, -1, 0); // up -> image up (-Y)
        assertThat(t.apply(new float[] {0, 0, 1})).containsExactly(0, 0, -1); // front -> towards the camera
        assertThat(t.apply(new float[] {1, 0, 0})).containsExactly(1, 0, 0); // body-left -> image right
    }

    @Test
    void uprightFacingCamera_placesABodyInFrontOfTheCamera() {
        float[] root = {0, 0.9f, 0};
        RigidTransform t = RigidTransform.uprightFacingCamera(0, new float[3]).withPointAt(root,
                new float[] {0, 0, 5});
        float[] head = t.apply(new float[] {0, 1.6f, 0.05f});
        float[] nose = t.apply(new float[] {0, 1.6f, 0.15f});
        float[] leftHand = t.apply(new float[] {0.8f, 1.4f, 0});
        assertThat(t.apply(root)).containsExactly(0, 0, 5);
        PinholeCamera camera = PinholeCamera.blender(640, 480);
        float[] uv = camera.project(new float[] {head[0], head[1], head[2], leftHand[0], leftHand[1], leftHand[2],
                0, 0, 5});
        assertThat(uv[1]).as("head above the root in the image").isLessThan(uv[5]);
        assertThat(uv[2]).as("the body's left hand on the image's right").isGreaterThan(uv[4]);
        assertThat(nose[2]).as("the face is nearer the camera than the back of the head").isLessThan(head[2]);
    }

    @Test
    void uprightFacingCamera_quarterTurnShowsTheRightSide() {
        RigidTransform t = RigidTransform.uprightFacingCamera((float) (Math.PI / 2), new float[] {0, 0, 3});
        float[] front = t.apply(new float[] {0, 0, 1});
        float[] right = t.apply(new float[] {-1, 0, 0});
        assertThat((double) front[0]).isCloseTo(1, within(1e-6)); // front points to the image's right
        assertThat((double) right[2]).isCloseTo(2, within(1e-6)); // the right side faces the camera
    }

    @Test
    void canonicalToCamera_matchesTheProductWithTheFlip() {
        float c = (float) Math.cos(0.7), s = (float) Math.sin(0.7);
        float[] rx = {1, 0, 0, 0, c, -s, 0, s, c};
        RigidTransform t = RigidTransform.canonicalToCamera(rx, new float[] {1, 2, 3});
        float[] p = {0.3f, -0.4f, 0.5f};
        float[] out = t.apply(p);
        // Reference in double: C·(Rx·p) + t with C = diag(1, -1, -1).
        double y = c * p[1] - s * p[2], z = s * p[1] + c * p[2];
        assertThat((double) out[0]).isCloseTo(p[0] + 1, within(1e-6));
        assertThat((double) out[1]).isCloseTo(-y + 2, within(1e-6));
        assertThat((double) out[2]).isCloseTo(-z + 3, within(1e-6));
    }

    @Test
    void inverseAndThen_roundTrip() {
        RigidTransform t = RigidTransform.uprightFacingCamera(1.1f, new float[] {0.2f, -0.3f, 4});
        RigidTransform u = RigidTransform.canonicalToCamera(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1},
                new float[] {1, 1, 1});
        float[] p = {0.5f, 1.2f, -0.7f, 3, 2, 1};
        float[] back = t.inverse().apply(t.apply(p));
        for (int i = 0; i < p.length; i++) {
            assertThat((double) back[i]).isCloseTo(p[i], within(1e-5));
        }
        float[] composed = t.then(u).apply(p);
        float[] stepwise = u.apply(t.apply(p));
        for (int i = 0; i < p.length; i++) {
            assertThat((double) composed[i]).isCloseTo(stepwise[i], within(1e-5));
        }
    }

    @Test
    void apply_inPlace_sameAsCopy() {
        RigidTransform t = RigidTransform.uprightFacingCamera(0.3f, new float[] {0, 0, 2});
        float[] p = {1, 2, 3, 4, 5, 6};
        float[] expected = t.apply(p);
        t.apply(p, 0, p, 0, 2);
        assertThat(p).containsExactly(expected);
        assertThatThrownBy(() -> t.apply(p, 0, p, 3, 1)).hasMessageContaining("same array");
        assertThatThrownBy(() -> t.apply(p, 3, new float[6], 0, 2)).hasMessageContaining("out of bounds");
    }

    @Test
    void constructor_notARotation_throws() {
        assertThatThrownBy(() -> new RigidTransform(new float[] {2, 0, 0, 0, 1, 0, 0, 0, 1}, new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rotation: expected an orthonormal");
        assertThatThrownBy(() -> new RigidTransform(new float[] {-1, 0, 0, 0, 1, 0, 0, 0, 1}, new float[3]))
                .hasMessageContaining("determinant +1");
        assertThatThrownBy(() -> new RigidTransform(new float[8], new float[3])).hasMessageContaining(
                "rotation: expected 9 values");
        assertThatThrownBy(() -> RigidTransform.uprightFacingCamera(0, new float[2])).hasMessageContaining(
                "translation");
    }

    @Test
    void record_copiesInAndComparesContents() {
        float[] r = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        float[] t = {1, 2, 3};
        RigidTransform a = new RigidTransform(r, t);
        t[0] = 9;
        assertThat(a.translation()[0]).isEqualTo(1f);
        assertThat(a).isEqualTo(new RigidTransform(r, new float[] {1, 2, 3}));
        assertThat(a.hashCode()).isEqualTo(new RigidTransform(r, new float[] {1, 2, 3}).hashCode());
        assertThat(a).isEqualTo(RigidTransform.identity().withPointAt(new float[3], new float[] {1, 2, 3}));
        assertThat(a.toString()).contains("[1.0, 2.0, 3.0]");
    }
}
