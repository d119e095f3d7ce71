package dev.smplr.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.smplr.core.Gender;
import dev.smplr.core.Pipeline;
import dev.smplr.core.PipelineResult;
import dev.smplr.core.SmplrPoints;
import dev.smplr.hourglass.ColoredMesh;
import dev.smplr.hourglass.Crop;
import dev.smplr.hourglass.MeshRenderer;
import dev.smplr.hourglass.PinholeCamera;
import dev.smplr.io.MeshReader;
import dev.smplr.smpl.SmplModel;
import dev.smplr.smpl.SmplOutput;
import dev.smplr.smpl.SmplParams;
import dev.smplr.smpl.training.Json;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's output on a synthetic scene made here: the demo body in a seeded pose, turned into the camera frame by
 * its global orientation (a half turn about X), rendered into the release's crop, and a fake pipeline whose
 * estimator is off by 5 cm along X, whose denoiser returns the truth and whose regressor bends an elbow.
 */
class DemoReportTest {
    private static final float[] ROOT = {0.1f, 0.05f, 4f};
    private static final float OFFSET = 0.05f;

    static SmplModel body;
    static SmplParams truth;
    static float[] truthPoints;
    static SmplParams estimate;
    static DemoReport.Input input;
    static PipelineResult result;

    @TempDir
    Path dir;

    @BeforeAll
    static void scene() {
        body = SmplModel.demo(Gender.NEUTRAL);
        float[] pose = ExportCommand.randomPose(5);
        pose[0] = (float) Math.PI; // canonical (Y up, facing +Z) to camera (Y down, facing the camera)
        truth = SmplParams.of(pose, new float[] {0.5f, -0.3f}, null);
        SmplOutput posed = body.forward(truth);
        truthPoints = body.smplrPoints(posed);
        PinholeCamera camera = Crop.cameraAround(PinholeCamera.blender(640, 480), ROOT, 256);
        BufferedImage crop = MeshRenderer.builder().background(0x404850).build()
                .render(camera, ColoredMesh.uniform(placed(posed.vertices(), posed.joints()), body.faces(),
                        0xD8B39A)).image();
        input = new DemoReport.Input(crop, camera, ROOT, truthPoints, truth);

        float[] bent = truth.pose().clone();
        bent[3 * 18 + 1] -= 0.6f;
        estimate = SmplParams.of(bent, truth.betas(), null);
        Pipeline pipeline = Pipeline.builder()
                .estimator(c -> {
                    float[] p = truthPoints.clone();
                    for (int i = 0; i < p.length; i += 3) {
                        p[i] += OFFSET;
                    }
                    return p;
                })
                .denoiser(p -> truthPoints.clone())
                .regressor(p -> estimate)
                .body(body)
                .build();
        result = pipeline.run(crop);
    }

    /** v − J_0 + root. */
    private static float[] placed(float[] v, float[] joints) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] - joints[i % 3] + ROOT[i % 3];
        }
        return out;
    }

    /** Mean distance between root-relative vertices, in double: the reference for the mesh error. */
    private static double referencePveMm(SmplOutput a, SmplOutput b) {
        float[] va = a.vertices();
        float[] vb = b.vertices();
        double sum = 0;
        for (int v = 0; v < va.length / 3; v++) {
            double s = 0;
            for (int k = 0; k < 3; k++) {
                double d = ((double) va[3 * v + k] - a.joints()[k]) - ((double) vb[3 * v + k] - b.joints()[k]);
                s += d * d;
            }
            sum += Math.sqrt(s);
        }
        return 1000 * sum / (va.length / 3);
    }

    @Test
    void rows_perStage_errorsAgainstIndependentReferences() {
        List<DemoReport.Row> rows = DemoReport.rows(input, result, body, body.forward(truth));
        assertThat(rows).extracting(DemoReport.Row::stage).containsExactly(Pipeline.Stage.ESTIMATE,
                Pipeline.Stage.DENOISE, Pipeline.Stage.REGRESS, Pipeline.Stage.BODY); // no refine stage here
        assertThat(rows.get(0).mpjpe()).isCloseTo(1000 * OFFSET, within(0.01));
        assertThat(rows.get(0).paMpjpe()).isCloseTo(0, within(0.01)); // a translation: Procrustes removes it
        assertThat(rows.get(1).mpjpe()).isZero();
        assertThat(rows.get(2).mpjpe()).isNaN(); // the regressor has no points of its own
        double pve = referencePveMm(body.forward(estimate), body.forward(truth));
        assertThat(pve).isGreaterThan(5);
        assertThat(rows.get(3).pve()).isCloseTo(pve, within(0.01));
        assertThat(rows.get(3).mpjpe()).isGreaterThan(1); // the bent elbow moves its points
        assertThat(DemoReport.table(rows)).containsPattern("estimate +\\d+\\.\\d +50\\.0 +0\\.0 +-")
                .contains("total");
    }

    @Test
    void write_fourFiles_sheetShowsPointsAndBothMeshes() throws Exception {
        List<Path> files = DemoReport.write(dir, "demo-5", input, result, body);
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("demo-5.obj", "demo-5.glb", "demo-5.json", "demo-5.png");

        BufferedImage sheet = ImageIO.read(dir.resolve("demo-5.png").toFile());
        int size = 512; // a 256 crop is drawn at twice its size
        assertThat(sheet.getWidth()).isEqualTo(4 * size);
        int top = 24;
        // (c) and (d) differ from (a) where the meshes are drawn, and only there: about the body's silhouette
        int silhouette = differing(sheet, 0, 0, top, size, 0x404850);
        int recovered = differingPanels(sheet, 0, 2, top, size);
        int gtMesh = differingPanels(sheet, 0, 3, top, size);
        assertThat(silhouette).isGreaterThan(5000);
        assertThat(gtMesh).isBetween(silhouette * 8 / 10, silhouette * 12 / 10);
        assertThat(recovered).isBetween(silhouette * 7 / 10, silhouette * 13 / 10);
        assertThat(differingPanels(sheet, 2, 3, top, size)).isGreaterThan(50); // the bent elbow shows

        // (b): the estimated points are orange at their projections, the true ones green 5 cm (≈ 10 px) away
        PinholeCamera cam = input.camera().cropped(2, 0, 0, size);
        float[] head = new float[3];
        int node = SmplrPoints.COUNT - 1; // the head top, far from other points
        for (int k = 0; k < 3; k++) {
            head[k] = truthPoints[3 * node + k] + ROOT[k];
        }
        float[] uv = cam.project(head);
        int x = size + (int) uv[0];
        int y = top + (int) uv[1];
        assertThat(sheet.getRGB(x, y) & 0xFFFFFF).isEqualTo(0x27AE60);
        float[] uvEst = cam.project(new float[] {head[0] + OFFSET, head[1], head[2]});
        assertThat(sheet.getRGB(size + (int) uvEst[0], top + (int) uvEst[1]) & 0xFFFFFF).isEqualTo(0xE67E22);

        // the OBJ holds the recovered mesh root-relative in the viewer's frame diag(1, -1, -1)
        SmplOutput est = body.forward(estimate);
        float[] v = MeshReader.readObj(dir.resolve("demo-5.obj")).vertices();
        float[] j = est.joints();
        for (int i = 0; i < v.length; i += 997) {
            float d = est.vertices()[i] - j[i % 3];
            assertThat(v[i]).isEqualTo(i % 3 == 0 ? d : -d);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("demo-5.json")));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> stages = (Map<String, Map<String, Object>>) json.get("stages");
        assertThat((Double) stages.get("estimate").get("mpjpeMm")).isCloseTo(50, within(0.01));
        assertThat(stages.get("body")).containsKeys("timeMs", "mpjpeMm", "paMpjpeMm", "pveMm");
        assertThat(((List<?>) ((Map<?, ?>) json.get("estimate")).get("pose"))).hasSize(72);
    }

    @Test
    void write_withoutTruth_writesSheetWithoutErrors() throws Exception {
        DemoReport.Input bare = DemoReport.Input.withoutTruth(input.crop(), input.camera());
        Pipeline pipeline = Pipeline.builder().estimator(c -> truthPoints.clone()).build();
        List<Path> files = DemoReport.write(dir, "bare", bare, pipeline.run(input.crop()), body);
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("bare.json", "bare.png");
        assertThat(DemoReport.rows(bare, pipeline.run(input.crop()), body, null)).singleElement()
                .satisfies(r -> assertThat(r.mpjpe()).isNaN());
    }

    @Test
    void input_cameraSizeNotCrops_throws() {
        assertThatThrownBy(() -> new DemoReport.Input(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB),
                input.camera(), ROOT, null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("crop: expected the camera's size 256×256, got 64×64");
    }

    @Test
    void input_rootBehindCamera_throws() {
        assertThatThrownBy(() -> new DemoReport.Input(input.crop(), input.camera(), new float[] {0, 0, -1}, null,
                null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rootCam: expected Z > 0");
    }

    /** Pixels of panel {@code p} that differ from {@code rgb}. */
    private static int differing(BufferedImage sheet, int p, int unused, int top, int size, int rgb) {
        int n = 0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                n += (sheet.getRGB(p * size + x, top + y) & 0xFFFFFF) != rgb ? 1 : 0;
            }
        }
        return n;
    }

    /** Pixels where panels {@code a} and {@code b} differ. */
    private static int differingPanels(BufferedImage sheet, int a, int b, int top, int size) {
        int n = 0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                n += sheet.getRGB(a * size + x, top + y) != sheet.getRGB(b * size + x, top + y) ? 1 : 0;
            }
        }
        return n;
    }
}
