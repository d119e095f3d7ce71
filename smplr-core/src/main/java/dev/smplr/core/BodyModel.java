package dev.smplr.core;

/**
 * Stage 4 of the {@link Pipeline}: a body model that turns pose and shape into a mesh. Implemented by
 * {@code dev.smplr.smpl.SmplModel}.
 */
public interface BodyModel {
    /**
     * @param estimate pose and shape; betas beyond those given count as zero, and more betas than the model has
     *                 are an error (never silently dropped)
     * @return the posed mesh, root joint at its rest position, no translation
     */
    BodyMesh pose(BodyEstimate estimate);

    /**
     * @param mesh a mesh this model produced
     * @return the 41 SMPLR points of it, root-relative (SPEC.md 2.1–2.2), 123 values
     */
    float[] smplrPoints(BodyMesh mesh);

    /** @return the triangles (F, 3), vertex indices, counter-clockwise seen from outside */
    int[] faces();
}
