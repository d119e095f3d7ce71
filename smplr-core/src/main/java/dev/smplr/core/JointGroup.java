package dev.smplr.core;

/**
 * The evaluation joint groups of the SMPLR release (SPEC.md 9), on SMPL joint indices. {@link #ALL} is the
 * paper's 16-joint "All" set (it leaves out spine2, the feet, the collars and the hands).
 */
public enum JointGroup {
    HEAD(12, 15),
    TORSO(3, 6, 9),
    SHOULDER(13, 14, 16, 17),
    ELBOW(18, 19),
    WRIST(20, 21),
    HIP(1, 2),
    KNEE(4, 5),
    FOOT(7, 8, 10, 11),
    ALL(1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 18, 19, 20, 21);

    private final int[] joints;

    JointGroup(int... joints) {
        this.joints = joints;
    }

    /** @return the SMPL joint indices of the group, a new array */
    public int[] smplJoints() {
        return joints.clone();
    }

    /** @return the indices of the group's joints in the 41-point ordering, a new array */
    public int[] points() {
        int[] p = new int[joints.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = joints[i] - 1;
        }
        return p;
    }
}
