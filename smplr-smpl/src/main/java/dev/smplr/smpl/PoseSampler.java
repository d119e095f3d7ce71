package dev.smplr.smpl;

import dev.smplr.core.Gender;
import java.io.IOException;
import java.nio.file.Path;
import java.util.random.RandomGenerator;

/**
 * A source of body poses and shapes for training data (SPEC.md 15.9). The default,
 * {@link #anatomical()}, draws each body-joint component uniformly within {@link JointLimits}, the global
 * orientation uniformly over SO(3), betas from N(0, 1) clipped to ±3, and a gender uniformly; users plug in
 * real motion data by implementing this interface.
 *
 * <p>Implementations must be deterministic given the generator's state, so seeded data sets are reproducible.
 */
@FunctionalInterface
public interface PoseSampler {

    /**
     * A sampled body.
     *
     * @param params pose, betas and (zero) translation
     * @param gender which body model the sample is for
     */
    record Sample(SmplParams params, Gender gender) {
        /** @throws IllegalArgumentException if an argument is null */
        public Sample {
            if (params == null || gender == null) {
                throw new IllegalArgumentException("params/gender: null");
            }
        }
    }

    /**
     * @param random the generator to draw from. Modified (advanced).
     * @return the next sample
     */
    Sample sample(RandomGenerator random);

    /** @return the default sampler: anatomical limits, SO(3) orientation, 10 betas, female/male/neutral */
    static PoseSampler anatomical() {
        return anatomical(10, Gender.values());
    }

    /**
     * @param betaCount how many betas to draw
     * @param genders   the genders to draw from, uniformly. Copied.
     * @return the anatomical sampler
     * @throws IllegalArgumentException if {@code betaCount} is negative or no gender is given
     */
    static PoseSampler anatomical(int betaCount, Gender... genders) {
        return new AnatomicalPoseSampler(betaCount, genders);
    }

    /**
     * Frames of a real motion file (SPEC.md 15.9): an AMASS-style {@code .npz} with {@code poses} (T, 72) axis-angle
     * values, {@code betas} and optionally {@code gender} (a 0-d string {@code 'female'}, {@code 'male'} or
     * {@code 'neutral'}; neutral when absent). Each sample is a frame drawn uniformly, with the file's betas and
     * gender and no translation. SMPL+H (D = 156) and SMPL-X (D = 165) poses are accepted: their first 66 values
     * are SMPL's body joints 0..21; SMPL's hand joints 22 and 23 are not in those files and are set to zero.
     * The file is read whole into memory (72 floats per frame).
     *
     * @param file      the {@code .npz} file
     * @param betaCount how many betas to keep (the first ones); the file must have at least this many
     * @return the sampler
     * @throws IOException              if the file cannot be read, a key is missing or has the wrong shape or
     *                                  non-finite values, or the gender is unknown; the message names the file
     *                                  and key ({@link dev.smplr.io.FileFormatException})
     * @throws IllegalArgumentException if {@code file} is null or {@code betaCount} is negative
     */
    static PoseSampler fromMotionFile(Path file, int betaCount) throws IOException {
        return MotionFileSampler.read(file, betaCount);
    }

    /**
     * {@link #fromMotionFile(Path, int)} keeping 10 betas.
     *
     * @param file the {@code .npz} file
     * @return the sampler
     * @throws IOException if the file is not a valid motion file (see {@link #fromMotionFile(Path, int)})
     */
    static PoseSampler fromMotionFile(Path file) throws IOException {
        return fromMotionFile(file, 10);
    }
}
