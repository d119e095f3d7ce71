package dev.smplr.core;

/**
 * A posed body: vertices and joints, flat row-major, metres. Implemented by {@code dev.smplr.smpl.SmplOutput}.
 */
public interface BodyMesh {
    /** @return vertices (V, 3): vertex v at {@code 3*v..3*v+2} */
    float[] vertices();

    /** @return joints (J, 3): joint j at {@code 3*j..3*j+2}, SMPL order */
    float[] joints();
}
