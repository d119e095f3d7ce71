package dev.smplr.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smplr.io.MeshReader;
import dev.smplr.smpl.SmplModel;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job writes the files it promises, and the picture shows a body. */
class BodyDemoTest {
    @TempDir
    Path dir;

    @Test
    void main_writesObjGlbAndPng() throws Exception {
        BodyDemo.main(new String[] {"3", dir.toString()});
        assertThat(MeshReader.readObj(dir.resolve("demo-body.obj")).vertexCount())
                .isEqualTo(SmplModel.demo(dev.smplr.core.Gender.NEUTRAL).vertexCount());
        byte[] glb = Files.readAllBytes(dir.resolve("demo-body.glb"));
        assertThat(new String(glb, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("glTF");
        BufferedImage png = ImageIO.read(dir.resolve("demo-body.png").toFile());
        assertThat(png.getWidth()).isEqualTo(960);
        // the body covers a good part of the front view: count pixels differing from the background
        int body = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth() / 2; x++) {
                if ((png.getRGB(x, y) & 0xFFFFFF) != 0xF4F4F0) {
                    body++;
                }
            }
        }
        assertThat(body).isBetween(10_000, 150_000);
    }
}
