package dev.smplr.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.smplr.core.Metrics;
import dev.smplr.core.RestSkeleton;
import dev.smplr.core.SmplJoint;
import dev.smplr.core.SmplrFeatures;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The example's bone-length denoiser against a hand computation, and its effect on noise. */
class CustomPipelineExampleTest {
    private static final float[] REST = RestSkeleton.points41();
    private static final float[] TEMPLATE = SmplrFeatures.templateDistances(REST);

    private static float[] noisy(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] noisy = REST.clone();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (float) (0.02 * rnd.nextGaussian());
        }
        return noisy;
    }

    @Test
    void denoise_leftHip_templateLengthAlongTheNoisyDirection() {
        float[] in = noisy(1);
        float[] out = new CustomPipelineExample.BoneLengthDenoiser(TEMPLATE).denoise(in);
        // the left hip (point 0) hangs from the root at the origin
        int hip = SmplJoint.LEFT_HIP.ordinal() - 1;
        double len = Math.sqrt((double) in[0] * in[0] + (double) in[1] * in[1] + (double) in[2] * in[2]);
        for (int k = 0; k < 3; k++) {
            assertThat((double) out[3 * hip + k]).isCloseTo(in[3 * hip + k] * TEMPLATE[hip] / len, within(1e-6));
        }
    }

    @Test
    void denoise_restPoints_unchanged() {
        float[] out = new CustomPipelineExample.BoneLengthDenoiser(TEMPLATE).denoise(REST);
        for (int i = 0; i < REST.length; i++) {
            assertThat(out[i]).isCloseTo(REST[i], within(1e-5f));
        }
    }

    @Test
    void denoise_noisyPoints_boneLengthsBecomeTheTemplates() {
        float[] in = noisy(3);
        float[] out = new CustomPipelineExample.BoneLengthDenoiser(TEMPLATE).denoise(in);
        assertThat(Metrics.boneLengthError(in, REST)).isGreaterThan(5);
        assertThat(Metrics.boneLengthError(out, REST)).isLessThan(0.01);
    }

    @Test
    void main_runs() {
        CustomPipelineExample.main(new String[] {"5"});
    }
}
