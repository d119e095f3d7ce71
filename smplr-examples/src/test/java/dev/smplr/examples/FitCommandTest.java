package dev.smplr.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smplr.core.Gender;
import dev.smplr.smpl.PoseSampler;
import dev.smplr.smpl.SmplModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code smplr fit}: its input checks; the regression itself waits for the trained regressor. */
class FitCommandTest {
    @TempDir
    Path dir;

    @Test
    void call_missingPointsFile_usageError() {
        Cli r = Cli.run("fit", "--points", dir.resolve("nope.json").toString());
        assertThat(r.code()).isEqualTo(Smplr.USAGE);
        assertThat(r.errLines()).singleElement().asString().isEqualTo("smplr fit: --points: no such file: "
                + dir.resolve("nope.json") + " (see smplr fit --help)");
    }

    @Test
    void call_pointsFileWrongShape_oneLineNamingFileAndShape() throws Exception {
        Path csv = dir.resolve("points.csv");
        Files.writeString(csv, "0,0,0\n".repeat(40));
        Cli r = Cli.run("fit", "--points", csv.toString());
        assertThat(r.code()).isEqualTo(Smplr.FAILURE);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("smplr fit: " + csv + ": expected 41 points of x, y, z (41 rows of 3), found 40 rows");
    }

    @Test
    void call_degeneratePoints_oneLineNamingTheProblem() throws Exception {
        Path csv = dir.resolve("points.csv");
        Files.writeString(csv, "0.1,0.2,0.3\n".repeat(41));
        Cli r = Cli.run("fit", "--points", csv.toString(), "--out", dir.toString());
        assertThat(r.code()).isEqualTo(Smplr.FAILURE);
        assertThat(r.errLines()).singleElement().asString().contains("points41").contains("hips");
    }

    @Test
    void call_bodyPoints_writesParametersAndMeshes_andRefineFitsThem() throws Exception {
        SmplModel body = SmplModel.demo(Gender.NEUTRAL);
        float[] points = body.smplrPoints(PoseSampler.anatomical().sample(new java.util.Random(3)).params());
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 41; i++) {
            csv.append(points[3 * i]).append(',').append(points[3 * i + 1]).append(',').append(points[3 * i + 2])
                    .append('\n');
        }
        Path file = dir.resolve("points.csv");
        Files.writeString(file, csv);
        Cli r = Cli.run("fit", "--points", file.toString(), "--out", dir.toString(), "--refine");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(dir.resolve("fit.json")).isRegularFile();
        assertThat(dir.resolve("fit.obj")).isRegularFile();
        assertThat(dir.resolve("fit.glb")).isRegularFile();
        assertThat(r.out()).contains("fitted points vs input: MPJPE");
    }
}
