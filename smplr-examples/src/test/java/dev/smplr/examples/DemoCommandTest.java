package dev.smplr.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smplr.hourglass.PinholeCamera;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code smplr demo}: its input checks, the picture crop, and the fallback until the trained stages land. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void call_unreadableImage_oneLineFailure() throws Exception {
        Path bad = dir.resolve("person.png");
        Files.writeString(bad, "not a picture");
        Cli r = Cli.run("demo", "--image", bad.toString(), "--out", dir.toString());
        assertThat(r.code()).isEqualTo(Smplr.FAILURE);
        assertThat(r.errLines()).singleElement().asString().contains("person.png: not an image");
    }

    @Test
    void call_missingImage_usageError() {
        Cli r = Cli.run("demo", "--image", dir.resolve("none.png").toString());
        assertThat(r.code()).isEqualTo(Smplr.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains("--image: no such file");
    }

    @Test
    void call_synthetic_runsThePipelineAndWritesWhatItPromises() {
        Cli r = Cli.run("demo", "--seed", "3", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("estimate").contains("denoise").contains("regress").contains("body");
        for (String ext : new String[] {"png", "obj", "glb", "json"}) {
            assertThat(dir.resolve("demo-3." + ext)).isNotEmptyFile();
        }
    }

    @Test
    void fromPicture_landscape_centredSquareWithItsCamera() {
        BufferedImage picture = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        picture.setRGB(320, 240, 0xFFFFFF); // the centre pixel lands in the crop's centre
        DemoReport.Input in = DemoCommand.fromPicture(picture);
        assertThat(in.crop().getWidth()).isEqualTo(DemoCommand.CROP);
        PinholeCamera cam = in.camera();
        float scale = DemoCommand.CROP / 480f;
        assertThat(cam.fx()).isCloseTo(PinholeCamera.blender(640, 480).fx() * scale,
                org.assertj.core.data.Offset.offset(1e-3f));
        // the nominal root projects to the crop's centre
        float[] uv = cam.project(in.rootCam());
        assertThat(uv[0]).isCloseTo(128f, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(uv[1]).isCloseTo(128f, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(in.gtPoints41()).isNull();
    }
}
