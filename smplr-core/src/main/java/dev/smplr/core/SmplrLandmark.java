package dev.smplr.core;

/**
 * The 18 SMPLR body-surface landmarks (SPEC.md 2.2), in SMPLR order, with the SMPL vertex each one picks and
 * its parent node in the 42-node tree (SPEC.md 15.2). Other body models pick their own vertices for the same
 * named places (the demo body does); the parent tree is shared.
 */
public enum SmplrLandmark {
    BREAST_LEFT("breast_left", 3042, 9),
    BREAST_RIGHT("breast_right", 4428, 9),
    BELLY("belly", 3503, 0),
    HIP_RIGHT("hip_right", 4311, 0),
    HIP_LEFT("hip_left", 822, 0),
    UPPER_LEG_RIGHT_FRONT("upper_leg_right_front", 4361, 2),
    UPPER_LEG_LEFT_FRONT("upper_leg_left_front", 877, 1),
    UPPER_LEG_RIGHT_BACK("upper_leg_right_back", 4386, 2),
    UPPER_LEG_LEFT_BACK("upper_leg_left_back", 898, 1),
    FOOT_LEFT("foot_left", 3222, 10),
    FOOT_RIGHT("foot_right", 6620, 11),
    HAND_LEFT("hand_left", 2544, 22),
    BICEPS_LEFT("biceps_left", 2820, 16),
    TRICEPS_LEFT("triceps_left", 1258, 16),
    BICEPS_RIGHT("biceps_right", 4116, 17),
    TRICEPS_RIGHT("triceps_right", 5365, 17),
    HAND_RIGHT("hand_right", 5989, 23),
    HEAD_TOP("head_top", 331, 15);

    /** Number of landmarks, 18. */
    public static final int COUNT = 18;

    private final String landmarkName;
    private final int smplVertex;
    private final int parentNode;

    SmplrLandmark(String landmarkName, int smplVertex, int parentNode) {
        this.landmarkName = landmarkName;
        this.smplVertex = smplVertex;
        this.parentNode = parentNode;
    }

    /** @return the name, e.g. {@code "head_top"} */
    public String landmarkName() {
        return landmarkName;
    }

    /** @return the 0-based vertex index on the official SMPL mesh (V = 6890) */
    public int smplVertex() {
        return smplVertex;
    }

    /** @return the parent node in the 42-node SMPLR tree: 0 for the root, else an SMPL joint index (1..23) */
    public int parentNode() {
        return parentNode;
    }

    /** @return the node index in the 42-node SMPLR tree (24..41) */
    public int node() {
        return SmplJoint.COUNT + ordinal();
    }

    /** @return the point index in the 41-point SMPLR ordering (23..40) */
    public int pointIndex() {
        return SmplrPoints.JOINTS + ordinal();
    }

    /** @return the 18 SMPL vertex ids in landmark order, a new array */
    public static int[] smplVertices() {
        int[] ids = new int[COUNT];
        for (SmplrLandmark l : values()) {
            ids[l.ordinal()] = l.smplVertex;
        }
        return ids;
    }
}
