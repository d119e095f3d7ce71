package dev.smplr.core;

import dev.smplr.core.internal.Checks;
import java.util.Arrays;

/**
 * An immutable kinematic tree: node names and parents, nodes in topological order (every parent index is
 * smaller than its child's, node 0 is the only root).
 *
 * <p>Two trees come with the library: {@link #smpl()}, SMPL's 24 joints, and {@link #smplr()}, the 42-node
 * SMPLR tree of SPEC.md 15.2 (root, SMPL joints 1..23, then the 18 landmarks with their parents). Arrays of
 * node positions are flat {@code (size, 3)}: node {@code k} at {@code 3*k..3*k+2}.
 */
public final class KinematicTree {
    private static final KinematicTree SMPL = smplTree();
    private static final KinematicTree SMPLR = smplrTree();

    private final String[] names;
    private final int[] parents;

    private KinematicTree(String[] names, int[] parents) {
        this.names = names;
        this.parents = parents;
    }

    /**
     * A tree from names and parents.
     *
     * @param names   one name per node. Copied.
     * @param parents the parent of each node: -1 for node 0, else an index smaller than the node's. Copied.
     * @return the tree
     * @throws IllegalArgumentException if the lengths differ, a name is null or repeated, or the parents are not
     *                                  a tree in topological order (naming the first offending node)
     */
    public static KinematicTree of(String[] names, int[] parents) {
        Checks.notNull("names", names);
        Checks.notNull("parents", parents);
        if (names.length != parents.length || names.length == 0) {
            throw new IllegalArgumentException("names and parents: expected the same non-zero length, got "
                    + names.length + " and " + parents.length);
        }
        if (parents[0] != -1) {
            throw new IllegalArgumentException("parents[0]: expected -1 (the root), got " + parents[0]);
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int k = 0; k < names.length; k++) {
            if (names[k] == null || !seen.add(names[k])) {
                throw new IllegalArgumentException("names[" + k + "]: " + (names[k] == null ? "null" : "repeated '"
                        + names[k] + "'"));
            }
            if (k > 0 && (parents[k] < 0 || parents[k] >= k)) {
                throw new IllegalArgumentException("parents[" + k + "]: expected a node in [0, " + k
                        + ") (a tree in topological order), got " + parents[k]);
            }
        }
        return new KinematicTree(names.clone(), parents.clone());
    }

    /** @return SMPL's 24-joint tree ({@link SmplJoint}) */
    public static KinematicTree smpl() {
        return SMPL;
    }

    /**
     * @return the 42-node SMPLR tree: node 0 the root (pelvis), nodes 1..23 SMPL joints 1..23 with SMPL parents,
     *         nodes 24..41 the landmarks with the parents of SPEC.md 15.2 ({@link SmplrLandmark#parentNode()})
     */
    public static KinematicTree smplr() {
        return SMPLR;
    }

    private static KinematicTree smplTree() {
        SmplJoint[] joints = SmplJoint.values();
        String[] names = new String[joints.length];
        int[] parents = new int[joints.length];
        for (SmplJoint j : joints) {
            names[j.ordinal()] = j.jointName();
            parents[j.ordinal()] = j.parentIndex();
        }
        return of(names, parents);
    }

    private static KinematicTree smplrTree() {
        String[] names = new String[SmplrPoints.NODES];
        int[] parents = new int[SmplrPoints.NODES];
        for (SmplJoint j : SmplJoint.values()) {
            names[j.ordinal()] = j.jointName();
            parents[j.ordinal()] = j.parentIndex();
        }
        for (SmplrLandmark l : SmplrLandmark.values()) {
            names[l.node()] = l.landmarkName();
            parents[l.node()] = l.parentNode();
        }
        return of(names, parents);
    }

    /** @return the number of nodes */
    public int size() {
        return parents.length;
    }

    /**
     * @param node a node index
     * @return its parent, -1 for the root
     * @throws IllegalArgumentException if the node is out of range
     */
    public int parent(int node) {
        return parents[Checks.index("node", node, parents.length)];
    }

    /**
     * @param node a node index
     * @return its name
     * @throws IllegalArgumentException if the node is out of range
     */
    public String name(int node) {
        return names[Checks.index("node", node, names.length)];
    }

    /**
     * @param name a node name
     * @return its index
     * @throws IllegalArgumentException if no node has that name
     */
    public int indexOf(String name) {
        for (int k = 0; k < names.length; k++) {
            if (names[k].equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("name: no node named '" + name + "' in " + Arrays.toString(names));
    }

    /** @return the parents, a copy (-1 for the root) */
    public int[] parents() {
        return parents.clone();
    }

    /**
     * Bone lengths: {@code |P[k] - P[parent(k)]|} for each non-root node.
     *
     * @param positions node positions (size, 3). Not modified.
     * @return {@code size - 1} lengths, bone {@code k} (node {@code k + 1}) at index {@code k}
     * @throws IllegalArgumentException if the length is wrong or a value is not finite
     */
    public float[] boneLengths(float[] positions) {
        Checks.rows("positions", positions, size(), 3, size() + "×3 node positions");
        float[] out = new float[size() - 1];
        for (int k = 1; k < size(); k++) {
            int p = parents[k];
            double dx = positions[3 * k] - positions[3 * p];
            double dy = positions[3 * k + 1] - positions[3 * p + 1];
            double dz = positions[3 * k + 2] - positions[3 * p + 2];
            out[k - 1] = (float) Math.sqrt(dx * dx + dy * dy + dz * dz);
        }
        return out;
    }

    /**
     * Joints-only forward kinematics with smplx semantics (SMPL.md): {@code G_0 = [R_0 | J_0]},
     * {@code G_k = G_parent(k) · [R_k | J_k - J_parent(k)]}, posed node {@code k} = translation of
     * {@code G_k}. The root stays at its rest position; global orientation rotates about it.
     *
     * @param restJoints rest positions (size, 3), metres. Not modified.
     * @param axisAngle  local rotations (size, 3), axis-angle, radians, relative to the parent. Not modified.
     * @return posed positions (size, 3), a new array
     * @throws IllegalArgumentException if a length is wrong or a value is not finite
     */
    public float[] forwardKinematics(float[] restJoints, float[] axisAngle) {
        int n = size();
        Checks.rows("restJoints", restJoints, n, 3, n + "×3 rest positions");
        Checks.rows("axisAngle", axisAngle, n, 3, n + "×3 axis-angle");
        float[] local = new float[9 * n];
        Rotations.axisAngleToMatrix(axisAngle, 0, local, 0, n);
        float[] posed = new float[3 * n];
        chain(restJoints, local, posed, new float[9 * n]);
        return posed;
    }

    /**
     * Forward kinematics from local rotation matrices, as {@link #forwardKinematics(float[], float[])}; the
     * fast path for loops: it allocates nothing and also returns the global rotations.
     *
     * @param restJoints      rest positions (size, 3). Not modified.
     * @param localRotations  local rotations (size, 3, 3), row-major: node k at {@code 9*k + 3*r + c}. Not
     *                        modified. Not checked for orthonormality.
     * @param posed           posed positions (size, 3). Modified.
     * @param globalRotations global rotations (size, 3, 3). Modified.
     * @throws IllegalArgumentException if a length is wrong, a value is not finite, or an output aliases an input
     */
    public void forwardKinematics(float[] restJoints, float[] localRotations, float[] posed,
            float[] globalRotations) {
        int n = size();
        Checks.rows("restJoints", restJoints, n, 3, n + "×3 rest positions");
        Checks.rows("localRotations", localRotations, n, 9, n + "×3×3 rotation matrices");
        Checks.length("posed", posed, 3 * n, n + "×3 positions");
        Checks.length("globalRotations", globalRotations, 9 * n, n + "×3×3 rotation matrices");
        if (posed == restJoints || globalRotations == localRotations) {
            throw new IllegalArgumentException("posed/globalRotations: must not be the same array as an input");
        }
        chain(restJoints, localRotations, posed, globalRotations);
    }

    // G_k = G_parent · [R_k | J_k − J_parent]: global rotation = Rg_parent · R_k,
    // position = Rg_parent · (J_k − J_parent) + position_parent.
    private void chain(float[] rest, float[] local, float[] posed, float[] global) {
        System.arraycopy(local, 0, global, 0, 9);
        posed[0] = rest[0];
        posed[1] = rest[1];
        posed[2] = rest[2];
        for (int k = 1; k < parents.length; k++) {
            int p = parents[k];
            int g = 9 * p;
            float dx = rest[3 * k] - rest[3 * p];
            float dy = rest[3 * k + 1] - rest[3 * p + 1];
            float dz = rest[3 * k + 2] - rest[3 * p + 2];
            posed[3 * k] = global[g] * dx + global[g + 1] * dy + global[g + 2] * dz + posed[3 * p];
            posed[3 * k + 1] = global[g + 3] * dx + global[g + 4] * dy + global[g + 5] * dz + posed[3 * p + 1];
            posed[3 * k + 2] = global[g + 6] * dx + global[g + 7] * dy + global[g + 8] * dz + posed[3 * p + 2];
            mul3(global, g, local, 9 * k, global, 9 * k);
        }
    }

    /**
     * {@code out = a·b} for 3×3 row-major matrices, unchecked: the inputs were validated once on entry, and
     * {@link Rotations#multiply}'s per-call checks cost more than the product in this 24-step loop.
     */
    private static void mul3(float[] a, int ao, float[] b, int bo, float[] out, int oo) {
        for (int r = 0; r < 3; r++) {
            float a0 = a[ao + 3 * r];
            float a1 = a[ao + 3 * r + 1];
            float a2 = a[ao + 3 * r + 2];
            out[oo + 3 * r] = a0 * b[bo] + a1 * b[bo + 3] + a2 * b[bo + 6];
            out[oo + 3 * r + 1] = a0 * b[bo + 1] + a1 * b[bo + 4] + a2 * b[bo + 7];
            out[oo + 3 * r + 2] = a0 * b[bo + 2] + a1 * b[bo + 5] + a2 * b[bo + 8];
        }
    }

    @Override
    public String toString() {
        return "KinematicTree[" + size() + " nodes, root '" + names[0] + "']";
    }
}
