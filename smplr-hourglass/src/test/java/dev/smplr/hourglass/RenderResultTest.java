package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RenderResultTest {
    @Test
    void accessors_describeOneConsistentRender() {
        PinholeCamera camera = new PinholeCamera(100, 100, 40, 30, 80, 60);
        TestMeshes.Mesh sphere = TestMeshes.icosphere(0.3, 0, 0, 2, 2);
        RenderResult r = MeshRenderer.defaults().render(camera,
                ColoredMesh.uniform(sphere.vertices(), sphere.faces(), 0x808080));
        assertThat(r.width()).isEqualTo(80);
        assertThat(r.height()).isEqualTo(60);
        assertThat(r.depth()).hasSize(80 * 60);
        int covered = 0;
        for (int i = 0; i < r.mask().length; i++) {
            if (r.mask()[i]) {
                covered++;
                assertThat(r.faceIds()[i]).isBetween(0, sphere.faceCount() - 1);
                assertThat(r.depth()[i]).isBetween(1.69f, 2.01f);
            } else {
                assertThat(r.faceIds()[i]).isEqualTo(-1);
                assertThat(r.depth()[i]).isEqualTo(Float.POSITIVE_INFINITY);
            }
        }
        assertThat(r.coveredPixels()).isEqualTo(covered).isPositive();
        assertThat(r.toString()).isEqualTo("RenderResult[80×60, " + covered + " pixels covered]");
    }
}
