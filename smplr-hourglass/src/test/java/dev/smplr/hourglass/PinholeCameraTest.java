package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PinholeCameraTest {
    @Test
    void blender_640x480_isTheReleaseCamera() {
        PinholeCamera c = PinholeCamera.blender(640, 480);
        // 50 mm lens on a 36 mm sensor across 640 px.
        assertThat((double) c.fx()).isCloseTo(888.889, within(1e-3));
        assertThat(c.fy()).isEqualTo(c.fx());
        assertThat(c.cx()).isEqualTo(320f);
        assertThat(c.cy()).isEqualTo(240f);
        assertThat(c.width()).isEqualTo(640);
        assertThat(c.height()).isEqualTo(480);
    }

    @Test
    void blender_portrait_fitsTheSensorToTheLargerSide() {
        PinholeCamera c = PinholeCamera.blender(480, 640);
        assertThat((double) c.fx()).isCloseTo(888.889, within(1e-3));
        assertThat(c.cx()).isEqualTo(240f);
    }

    @Test
    void project_matchesThePinholeFormulaInDouble() {
        PinholeCamera c = new PinholeCamera(500, 450, 310, 250, 640, 480);
        float[] p = {0.3f, -0.2f, 2.5f, -1.1f, 0.7f, 4.2f, 0, 0, 1};
        float[] uv = c.project(p);
        assertThat(uv).hasSize(6);
        for (int i = 0; i < 3; i++) {
            double u = 500.0 * p[3 * i] / p[3 * i + 2] + 310;
            double v = 450.0 * p[3 * i + 1] / p[3 * i + 2] + 250;
            assertThat((double) uv[2 * i]).isCloseTo(u, within(1e-4));
            assertThat((double) uv[2 * i + 1]).isCloseTo(v, within(1e-4));
        }
        // X right, Y down: a point up and to the right lands right of and above the principal point.
        float[] q = c.project(new float[] {0.1f, -0.1f, 2});
        assertThat(q[0]).isGreaterThan(310f);
        assertThat(q[1]).isLessThan(250f);
    }

    @Test
    void project_pointBehindCamera_throwsNamingThePoint() {
        PinholeCamera c = PinholeCamera.blender(640, 480);
        assertThatThrownBy(() -> c.project(new float[] {0, 0, 1, 0, 0, -0.5f}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(
                        "pointsCam[1]: expected Z > 0 (in front of the camera), got -0.5");
        assertThatThrownBy(() -> c.project(new float[] {0, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pointsCam").hasMessageContaining(
                        "got 2");
        assertThatThrownBy(() -> c.project(new float[] {0, Float.NaN, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN in y");
    }

    @Test
    void constructor_badValues_throw() {
        assertThatThrownBy(() -> new PinholeCamera(0, 1, 0, 0, 10, 10)).hasMessageContaining("fx");
        assertThatThrownBy(() -> new PinholeCamera(1, Float.NaN, 0, 0, 10, 10)).hasMessageContaining("fy");
        assertThatThrownBy(() -> new PinholeCamera(1, 1, Float.POSITIVE_INFINITY, 0, 10, 10))
                .hasMessageContaining("cx");
        assertThatThrownBy(() -> new PinholeCamera(1, 1, 0, 0, 10, 0)).hasMessageContaining("10×0");
        assertThatThrownBy(() -> PinholeCamera.blender(-1, 10)).hasMessageContaining("-1×10");
    }

    @Test
    void cropped_projectsIntoTheCrop() {
        PinholeCamera c = new PinholeCamera(500, 450, 310, 250, 640, 480);
        PinholeCamera crop = c.cropped(0.5f, -20, 30, 256);
        float[] p = {0.3f, -0.2f, 2.5f};
        float[] uv = c.project(p);
        float[] uvCrop = crop.project(p);
        assertThat((double) uvCrop[0]).isCloseTo(0.5 * uv[0] - 20, within(1e-4));
        assertThat((double) uvCrop[1]).isCloseTo(0.5 * uv[1] + 30, within(1e-4));
        assertThat(crop.width()).isEqualTo(256);
        assertThat(crop.height()).isEqualTo(256);
        assertThatThrownBy(() -> c.cropped(0, 0, 0, 256)).hasMessageContaining("scale");
    }
}
