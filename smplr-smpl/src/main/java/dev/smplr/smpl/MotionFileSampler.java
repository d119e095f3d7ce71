package dev.smplr.smpl;

import dev.smplr.core.Gender;
import dev.smplr.io.FileFormatException;
import dev.smplr.io.NdArray;
import dev.smplr.io.Npz;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * {@link PoseSampler#fromMotionFile(Path, int)}: frames of an AMASS-style motion file, drawn uniformly.
 *
 * <p>Keys: {@code poses} (T, D) axis-angle, {@code betas} (at least the requested count), {@code gender} (a 0-d
 * string, optional: {@link Gender#NEUTRAL} when absent). D = 72 is SMPL (24 joints, taken whole). Any other
 * D &ge; 66 is read as SMPL+H (D = 156) or SMPL-X (D = 165), whose first 66 values are SMPL's body joints 0..21
 * in SMPL order; SMPL's hand joints 22, 23 are not in those files (their hands are finger chains), so they are
 * set to zero, the hand held straight along the forearm.
 */
final class MotionFileSampler implements PoseSampler {
    private static final int BODY_VALUES = 66;

    private final String source;
    private final int frames;
    /** frames × 72 axis-angle values. */
    private final float[] poses;
    private final float[] betas;
    private final Gender gender;

    private MotionFileSampler(String source, int frames, float[] poses, float[] betas, Gender gender) {
        this.source = source;
        this.frames = frames;
        this.poses = poses;
        this.betas = betas;
        this.gender = gender;
    }

    static MotionFileSampler read(Path file, int betaCount) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file: null");
        }
        if (betaCount < 0) {
            throw new IllegalArgumentException("betaCount: expected 0 or more, got " + betaCount);
        }
        boolean hasGender = hasEntry(file, "gender.npy");
        Map<String, NdArray> arrays = Npz.read(file,
                hasGender ? Set.of("poses", "betas", "gender") : Set.of("poses", "betas"));
        NdArray p = arrays.get("poses");
        if (p.ndim() != 2 || p.dim(0) < 1 || p.dim(1) < BODY_VALUES || isText(p)) {
            throw new FileFormatException(file + ": key 'poses': expected a numeric (T, 72) array (or (T, D) with"
                    + " D >= 66 for SMPL+H/SMPL-X) with T >= 1, found " + p.describe());
        }
        int t = p.dim(0);
        int d = p.dim(1);
        float[] all = p.toFloatArray();
        int take = d == SmplParams.POSE_SIZE ? SmplParams.POSE_SIZE : BODY_VALUES;
        float[] poses = new float[t * SmplParams.POSE_SIZE];
        for (int f = 0; f < t; f++) {
            for (int k = 0; k < take; k++) {
                float v = all[f * d + k];
                if (!Float.isFinite(v)) {
                    throw new FileFormatException(file + ": key 'poses': expected finite values, found " + v
                            + " at frame " + f + ", value " + k);
                }
                poses[f * SmplParams.POSE_SIZE + k] = v;
            }
        }
        NdArray b = arrays.get("betas");
        if (b.ndim() > 1 || b.size() < betaCount || isText(b)) {
            throw new FileFormatException(file + ": key 'betas': expected a numeric vector of at least " + betaCount
                    + " values, found " + b.describe());
        }
        float[] betas = new float[betaCount];
        System.arraycopy(b.toFloatArray(), 0, betas, 0, betaCount);
        for (int i = 0; i < betaCount; i++) {
            if (!Float.isFinite(betas[i])) {
                throw new FileFormatException(file + ": key 'betas': expected finite values, found " + betas[i]
                        + " at " + i);
            }
        }
        Gender gender = hasGender ? gender(file, arrays.get("gender")) : Gender.NEUTRAL;
        return new MotionFileSampler(file.toString(), t, poses, betas, gender);
    }

    /** numpy {@code <U} or {@code |S} (older files store the gender as bytes). */
    private static boolean isText(NdArray a) {
        return a.dtype() == NdArray.DType.UNICODE || a.dtype() == NdArray.DType.BYTES;
    }

    private static Gender gender(Path file, NdArray g) throws IOException {
        if (!isText(g) || g.size() != 1) {
            throw new FileFormatException(file + ": key 'gender': expected a 0-d string 'female', 'male' or"
                    + " 'neutral', found " + g.describe());
        }
        String s = g.stringValue().trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "female", "f" -> Gender.FEMALE;
            case "male", "m" -> Gender.MALE;
            case "neutral", "n" -> Gender.NEUTRAL;
            default -> throw new FileFormatException(file + ": key 'gender': expected 'female', 'male' or"
                    + " 'neutral', found '" + g.stringValue() + "'");
        };
    }

    private static boolean hasEntry(Path file, String entry) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.getEntry(entry) != null;
        } catch (ZipException e) {
            throw new FileFormatException(file + ": not a valid zip archive: " + e.getMessage(), e);
        }
    }

    /** @return the number of frames */
    int frames() {
        return frames;
    }

    /** @return the body's gender */
    Gender gender() {
        return gender;
    }

    /** @param frame the frame @return its 72 pose values, a new array */
    float[] pose(int frame) {
        float[] out = new float[SmplParams.POSE_SIZE];
        System.arraycopy(poses, frame * SmplParams.POSE_SIZE, out, 0, SmplParams.POSE_SIZE);
        return out;
    }

    @Override
    public Sample sample(RandomGenerator random) {
        int f = random.nextInt(frames);
        return new Sample(new SmplParams(pose(f), betas, new float[3]), gender);
    }

    @Override
    public String toString() {
        return "PoseSampler.fromMotionFile(" + source + ", " + frames + " frames, " + betas.length + " betas, "
                + gender + ")";
    }
}
