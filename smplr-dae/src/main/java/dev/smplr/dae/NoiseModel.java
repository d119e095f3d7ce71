package dev.smplr.dae;

/**
 * The release's training noise (SPEC 4): each coordinate j of the 41 points gets independent U(−g_j, +g_j)
 * noise. g is the release's fixed table (metres), "pre-computed Gaussian noise" in its code, presumably the
 * per-coordinate standard deviation of the CNN's errors; x is the CLOTH3D camera-depth axis, hence larger.
 * Order: the 41 SMPLR points (SPEC 2.1), x y z per point.
 */
final class NoiseModel {
    private static final float[] RELEASE = {
            0.0083f, 0.0069f, 0.0052f, //  1 L_hip
            0.0080f, 0.0071f, 0.0050f, //  2 R_hip
            0.0085f, 0.0069f, 0.0053f, //  3 spine1
            0.0345f, 0.0222f, 0.0196f, //  4 L_knee
            0.0343f, 0.0231f, 0.0191f, //  5 R_knee
            0.0149f, 0.0089f, 0.0098f, //  6 spine2
            0.0535f, 0.0235f, 0.0242f, //  7 L_ankle
            0.0521f, 0.0223f, 0.0255f, //  8 R_ankle
            0.0167f, 0.0090f, 0.0108f, //  9 spine3
            0.0567f, 0.0243f, 0.0253f, // 10 L_foot
            0.0561f, 0.0226f, 0.0247f, // 11 R_foot
            0.0265f, 0.0106f, 0.0144f, // 12 neck
            0.0217f, 0.0104f, 0.0122f, // 13 L_collar
            0.0222f, 0.0103f, 0.0122f, // 14 R_collar
            0.0305f, 0.0119f, 0.0158f, // 15 head
            0.0262f, 0.0164f, 0.0174f, // 16 L_shoulder
            0.0270f, 0.0159f, 0.0166f, // 17 R_shoulder
            0.0441f, 0.0258f, 0.0281f, // 18 L_elbow
            0.0458f, 0.0256f, 0.0272f, // 19 R_elbow
            0.0648f, 0.0307f, 0.0358f, // 20 L_wrist
            0.0697f, 0.0295f, 0.0334f, // 21 R_wrist
            0.0757f, 0.0336f, 0.0406f, // 22 L_hand
            0.0817f, 0.0325f, 0.0375f, // 23 R_hand
            0.0206f, 0.0146f, 0.0150f, // 24 breast L
            0.0216f, 0.0148f, 0.0148f, // 25 breast R
            0.0113f, 0.0114f, 0.0105f, // 26 belly
            0.0129f, 0.0132f, 0.0087f, // 27 R hip lm
            0.0132f, 0.0129f, 0.0081f, // 28 L hip lm
            0.0177f, 0.0159f, 0.0144f, // 29 R upleg F
            0.0186f, 0.0153f, 0.0141f, // 30 L upleg F
            0.0161f, 0.0123f, 0.0104f, // 31 R upleg B
            0.0153f, 0.0116f, 0.0101f, // 32 L upleg B
            0.0596f, 0.0283f, 0.0295f, // 33 L foot lm
            0.0604f, 0.0263f, 0.0287f, // 34 R foot lm
            0.0851f, 0.0410f, 0.0486f, // 35 L hand lm
            0.0304f, 0.0172f, 0.0191f, // 36 L biceps
            0.0311f, 0.0198f, 0.0218f, // 37 L triceps
            0.0339f, 0.0178f, 0.0197f, // 38 R biceps
            0.0337f, 0.0204f, 0.0223f, // 39 R triceps
            0.0912f, 0.0416f, 0.0459f, // 40 R hand lm
            0.0392f, 0.0216f, 0.0291f, // 41 head top
    };

    private NoiseModel() {
    }

    /**
     * @return a new copy of the release's 123 half-widths g, metres
     */
    static float[] release() {
        return RELEASE.clone();
    }
}
