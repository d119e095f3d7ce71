package dev.smplr.smpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.smplr.core.Gender;
import dev.smplr.core.Rotations;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PoseSamplerTest {

    @Test
    void anatomical_staysWithinLimits_andClipsBetas() {
        PoseSampler sampler = PoseSampler.anatomical();
        SplittableRandom rnd = new SplittableRandom(3);
        float[] violation = new float[72];
        float maxBeta = 0;
        for (int i = 0; i < 2000; i++) {
            PoseSampler.Sample s = sampler.sample(rnd);
            assertThat(JointLimits.violation(s.params().pose(), violation)).isZero();
            assertThat(s.params().betas()).hasSize(10);
            for (float b : s.params().betas()) {
                maxBeta = Math.max(maxBeta, Math.abs(b));
            }
        }
        assertThat(maxBeta).isLessThanOrEqualTo(3f).isGreaterThan(2.5f);
    }

    @Test
    void anatomical_isSeededAndReproducible() {
        PoseSampler sampler = PoseSampler.anatomical();
        SplittableRandom a = new SplittableRandom(9);
        SplittableRandom b = new SplittableRandom(9);
        for (int i = 0; i < 10; i++) {
            assertThat(sampler.sample(a)).isEqualTo(sampler.sample(b));
        }
    }

    @Test
    void globalOrientation_isUniformOverSo3_andGendersBalanced() {
        PoseSampler sampler = PoseSampler.anatomical();
        SplittableRandom rnd = new SplittableRandom(4);
        int n = 6000;
        double[] meanUp = new double[3];
        double meanTrace = 0;
        Map<Gender, Integer> counts = new EnumMap<>(Gender.class);
        float[] r = new float[9];
        for (int i = 0; i < n; i++) {
            PoseSampler.Sample s = sampler.sample(rnd);
            Rotations.axisAngleToMatrix(s.params().pose(), 0, r, 0);
            meanUp[0] += r[1] / n; // R · (0, 1, 0)
            meanUp[1] += r[4] / n;
            meanUp[2] += r[7] / n;
            meanTrace += (r[0] + r[4] + r[8]) / n;
            counts.merge(s.gender(), 1, Integer::sum);
        }
        // uniform rotations: the rotated up vector averages to 0, E[trace R] = 0
        for (double m : meanUp) {
            assertThat(m).isCloseTo(0, within(0.04));
        }
        assertThat(meanTrace).isCloseTo(0, within(0.06));
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(1800, 2200));
    }

    @Test
    void anatomical_rejectsBadConfiguration() {
        assertThatThrownBy(() -> PoseSampler.anatomical(-1, Gender.MALE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("betaCount");
        assertThatThrownBy(() -> PoseSampler.anatomical(10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("genders");
    }
}
