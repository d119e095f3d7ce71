package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smplr.smpl.SmplParams;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class SyntheticSampleTest {
    private static final BufferedImage CROP = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);

    @Test
    void constructor_threeComponents_restUnknown() {
        SyntheticSample s = new SyntheticSample(CROP, new float[123], SmplParams.zero());
        assertThat(s.gender()).isNull();
        assertThat(s.camera()).isNull();
        assertThat(s.root()).isNull();
        assertThat(s.bodyToCamera()).isNull();
        assertThat(s.mask()).isNull();
        assertThat(s.size()).isEqualTo(8);
        assertThat(SyntheticSample.of(CROP, new float[123], SmplParams.zero())).isEqualTo(s);
    }

    @Test
    void equals_comparesPixelsAndArrays() {
        BufferedImage other = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        SyntheticSample a = SyntheticSample.of(CROP, new float[123], SmplParams.zero());
        assertThat(SyntheticSample.of(other, new float[123], SmplParams.zero())).isEqualTo(a).hasSameHashCodeAs(a);
        other.setRGB(3, 4, 0x010203);
        assertThat(SyntheticSample.of(other, new float[123], SmplParams.zero())).isNotEqualTo(a);
        float[] points = new float[123];
        points[7] = 0.1f;
        assertThat(SyntheticSample.of(CROP, points, SmplParams.zero())).isNotEqualTo(a);
    }

    @Test
    void constructor_badArguments_throw() {
        assertThatThrownBy(() -> SyntheticSample.of(null, new float[123], SmplParams.zero()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("crop");
        assertThatThrownBy(() -> SyntheticSample.of(new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB),
                new float[123], SmplParams.zero())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("crop").hasMessageContaining("8×6");
        assertThatThrownBy(() -> SyntheticSample.of(CROP, new float[120], SmplParams.zero()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("points41")
                .hasMessageContaining("120");
        float[] nan = new float[123];
        nan[5] = Float.NaN;
        assertThatThrownBy(() -> SyntheticSample.of(CROP, nan, SmplParams.zero()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("points41");
        assertThatThrownBy(() -> SyntheticSample.of(CROP, new float[123], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("params");
        assertThatThrownBy(() -> new SyntheticSample(CROP, new float[123], SmplParams.zero(), null, null,
                new float[2], null, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("root");
        assertThatThrownBy(() -> new SyntheticSample(CROP, new float[123], SmplParams.zero(), null, null, null,
                null, new boolean[10])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mask")
                .hasMessageContaining("64");
    }
}
