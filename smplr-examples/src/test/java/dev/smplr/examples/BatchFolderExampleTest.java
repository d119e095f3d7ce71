package dev.smplr.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smplr.core.Gender;
import dev.smplr.core.Pipeline;
import dev.smplr.core.RestSkeleton;
import dev.smplr.io.MeshReader;
import dev.smplr.smpl.SmplModel;
import dev.smplr.smpl.SmplParams;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch example on a folder of two pictures, a broken one and a text file, with stand-in stages. */
class BatchFolderExampleTest {
    @TempDir
    Path dir;

    @Test
    void process_mixedFolder_processesPicturesAndSkipsTheBrokenOne() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        ImageIO.write(new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB), "png", in.resolve("a.png").toFile());
        ImageIO.write(new BufferedImage(100, 200, BufferedImage.TYPE_INT_RGB), "jpg", in.resolve("b.jpg").toFile());
        Files.writeString(in.resolve("c.png"), "broken");
        Files.writeString(in.resolve("notes.txt"), "not a picture, not listed");
        SmplModel body = SmplModel.demo(Gender.NEUTRAL);
        Pipeline pipeline = Pipeline.builder()
                .estimator(crop -> {
                    assertThat(crop.getWidth()).isEqualTo(256);
                    return RestSkeleton.points41();
                })
                .regressor(points -> SmplParams.zero())
                .body(body)
                .build();
        Path out = dir.resolve("out");
        BatchFolderExample.Summary s = BatchFolderExample.process(in, out, pipeline, body);
        assertThat(s).isEqualTo(new BatchFolderExample.Summary(2, 1));
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertThat(csv).hasSize(4);
        assertThat(csv.get(1)).startsWith("a.png,ok,");
        assertThat(csv.get(3)).isEqualTo("c.png,not a readable picture,");
        assertThat(MeshReader.readObj(out.resolve("b.obj")).vertexCount()).isEqualTo(body.vertexCount());
    }
}
