package dev.smplr.examples;

import static org.assertj.core.api.Assertions.assertThat;

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
    void call_validPoints_reachesTheRegressorSeam() throws Exception {
        Path csv = dir.resolve("points.csv");
        Files.writeString(csv, "0.1,0.2,0.3\n".repeat(41));
        Cli r = Cli.run("fit", "--points", csv.toString(), "--out", dir.toString());
        // until SmplRegressor.demo() lands, the seam says so on one line
        assertThat(r.code()).isEqualTo(Smplr.FAILURE);
        assertThat(r.errLines()).singleElement().asString().contains("SmplRegressor.demo()");
    }
}
