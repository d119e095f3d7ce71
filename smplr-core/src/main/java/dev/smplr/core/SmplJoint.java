package dev.smplr.core;

/**
 * SMPL's 24 joints in SMPL order, with their parents (SMPL.md). {@link #ordinal()} is the SMPL joint index.
 * This table and {@link SmplrLandmark} are the one place the schema is written down; {@link KinematicTree}
 * and {@link SmplrPoints} derive everything from them.
 */
public enum SmplJoint {
    PELVIS("pelvis", -1),
    LEFT_HIP("left_hip", 0),
    RIGHT_HIP("right_hip", 0),
    SPINE1("spine1", 0),
    LEFT_KNEE("left_knee", 1),
    RIGHT_KNEE("right_knee", 2),
    SPINE2("spine2", 3),
    LEFT_ANKLE("left_ankle", 4),
    RIGHT_ANKLE("right_ankle", 5),
    SPINE3("spine3", 6),
    LEFT_FOOT("left_foot", 7),
    RIGHT_FOOT("right_foot", 8),
    NECK("neck", 9),
    LEFT_COLLAR("left_collar", 9),
    RIGHT_COLLAR("right_collar", 9),
    HEAD("head", 12),
    LEFT_SHOULDER("left_shoulder", 13),
    RIGHT_SHOULDER("right_shoulder", 14),
    LEFT_ELBOW("left_elbow", 16),
    RIGHT_ELBOW("right_elbow", 17),
    LEFT_WRIST("left_wrist", 18),
    RIGHT_WRIST("right_wrist", 19),
    LEFT_HAND("left_hand", 20),
    RIGHT_HAND("right_hand", 21);

    /** Number of SMPL joints, 24. */
    public static final int COUNT = 24;

    private final String jointName;
    private final int parent;

    SmplJoint(String jointName, int parent) {
        this.jointName = jointName;
        this.parent = parent;
    }

    /** @return the SMPL name, e.g. {@code "left_hip"} */
    public String jointName() {
        return jointName;
    }

    /** @return the parent's SMPL index, -1 for the pelvis */
    public int parentIndex() {
        return parent;
    }

    /** @return the parent joint, or {@code null} for the pelvis */
    public SmplJoint parent() {
        return parent < 0 ? null : values()[parent];
    }

    /** @return the point index of this joint in the 41-point SMPLR ordering, -1 for the pelvis (the root) */
    public int pointIndex() {
        return ordinal() - 1;
    }
}
