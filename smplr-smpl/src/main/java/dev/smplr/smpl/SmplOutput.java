package dev.smplr.smpl;

import dev.smplr.core.BodyMesh;
import java.util.Arrays;

/**
 * A posed SMPL body. The arrays are kept as the model wrote them (not copied) and must not be modified.
 *
 * @param vertices (V, 3), metres: vertex v at {@code 3*v..3*v+2}
 * @param joints   (24, 3), metres, SMPL order: the translation of each joint's global transform, as smplx
 */
public record SmplOutput(float[] vertices, float[] joints) implements BodyMesh {

    /** @throws IllegalArgumentException if an array is null or not a multiple of 3 long */
    public SmplOutput {
        if (vertices == null || joints == null || vertices.length % 3 != 0 || joints.length % 3 != 0) {
            throw new IllegalArgumentException("vertices/joints: expected two (n, 3) arrays");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmplOutput s && Arrays.equals(vertices, s.vertices) && Arrays.equals(joints, s.joints);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(vertices) + Arrays.hashCode(joints);
    }

    @Override
    public String toString() {
        return "SmplOutput[" + vertices.length / 3 + " vertices, " + joints.length / 3 + " joints]";
    }
}
