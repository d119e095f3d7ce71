package dev.smplr.smpl;

import dev.smplr.core.Gender;
import dev.smplr.core.SmplJoint;
import java.util.random.RandomGenerator;

/** {@link PoseSampler#anatomical()}: uniform within {@link JointLimits}, SO(3) root, clipped normal betas. */
final class AnatomicalPoseSampler implements PoseSampler {
    private static final double BETA_CLIP = 3.0;

    private final int betaCount;
    private final Gender[] genders;

    AnatomicalPoseSampler(int betaCount, Gender[] genders) {
        if (betaCount < 0) {
            throw new IllegalArgumentException("betaCount: expected 0 or more, got " + betaCount);
        }
        if (genders == null || genders.length == 0) {
            throw new IllegalArgumentException("genders: expected at least one");
        }
        this.betaCount = betaCount;
        this.genders = genders.clone();
    }

    @Override
    public Sample sample(RandomGenerator random) {
        float[] pose = new float[3 * SmplJoint.COUNT];
        uniformRotation(random, pose);
        for (int j = 1; j < SmplJoint.COUNT; j++) {
            for (int a = 0; a < 3; a++) {
                float lo = JointLimits.lower(j, a);
                float hi = JointLimits.upper(j, a);
                pose[3 * j + a] = (float) (lo + (hi - lo) * random.nextDouble());
            }
        }
        float[] betas = new float[betaCount];
        for (int b = 0; b < betaCount; b++) {
            betas[b] = (float) Math.max(-BETA_CLIP, Math.min(BETA_CLIP, random.nextGaussian()));
        }
        Gender gender = genders[random.nextInt(genders.length)];
        return new Sample(new SmplParams(pose, betas, new float[3]), gender);
    }

    /** A rotation uniform over SO(3) (a normalised Gaussian quaternion), as axis-angle into pose[0..2]. */
    static void uniformRotation(RandomGenerator random, float[] pose) {
        double w;
        double x;
        double y;
        double z;
        double n;
        do {
            w = random.nextGaussian();
            x = random.nextGaussian();
            y = random.nextGaussian();
            z = random.nextGaussian();
            n = Math.sqrt(w * w + x * x + y * y + z * z);
        } while (n < 1e-6);
        if (w < 0) {
            w = -w;
            x = -x;
            y = -y;
            z = -z;
        }
        double s = Math.sqrt(x * x + y * y + z * z);
        double angle = 2 * Math.atan2(s, w);
        if (s > 0) {
            pose[0] = (float) (x / s * angle);
            pose[1] = (float) (y / s * angle);
            pose[2] = (float) (z / s * angle);
        }
    }

    @Override
    public String toString() {
        return "PoseSampler.anatomical(" + betaCount + " betas, " + java.util.Arrays.toString(genders) + ")";
    }
}
