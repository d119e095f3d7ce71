package dev.smplr.smpl.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingMonitorTest {
    @TempDir
    Path tmp;

    @Test
    void errorSeries_keepsTheMillimetreMetricsOnly() {
        var points = List.of(new TrainingMonitor.Point(1, 1.0));
        Map<String, List<TrainingMonitor.Point>> metrics = new java.util.LinkedHashMap<>();
        metrics.put("val_mpjpe_mm", points);
        metrics.put("lr", points);
        metrics.put("pve_mm", points);
        metrics.put("genderAccuracy", points);
        assertThat(TrainingMonitor.errorSeries(metrics)).containsOnlyKeys("val_mpjpe_mm", "pve_mm");
        assertThat(TrainingMonitor.errorSeries(Map.of("lr", points))).isEmpty();
    }

    @Test
    void chart_logScaleOnlyAcrossADecade() {
        var narrow = List.of(new TrainingMonitor.Point(1, 0.8), new TrainingMonitor.Point(2, 0.5));
        var wide = List.of(new TrainingMonitor.Point(1, 12.0), new TrainingMonitor.Point(2, 0.5));
        // within one decade a log axis would carry no labels
        assertThat(TrainingMonitor.chart("t", "loss", Map.of("loss", narrow), true).getStyler().isYAxisLogarithmic())
                .isFalse();
        assertThat(TrainingMonitor.chart("t", "loss", Map.of("loss", wide), true).getStyler().isYAxisLogarithmic())
                .isTrue();
        assertThat(TrainingMonitor.chart("t", "mm", Map.of("mm", wide), false).getStyler().isYAxisLogarithmic())
                .isFalse();
    }

    @Test
    void history_averagesWindows_logsValidation_andWritesReport() throws IOException {
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        try (TrainingMonitor m = new TrainingMonitor("test", 10, 0, 2, log)) {
            for (int s = 1; s <= 10; s++) {
                m.step(s, s);
            }
            m.validation(10, Map.of("mpjpe_mm", 42.0));
            assertThat(m.loss()).extracting(TrainingMonitor.Point::value).containsExactly(1.5, 3.5, 5.5, 7.5, 9.5);
            assertThat(m.loss()).extracting(TrainingMonitor.Point::step).containsExactly(2L, 4L, 6L, 8L, 10L);
            m.writeReport(tmp);
        }
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("test step 10:").contains("mpjpe_mm 42");
        assertThat(Files.readAllLines(tmp.resolve("history.csv"))).contains("loss,2,1.5", "mpjpe_mm,10,42.0");
        BufferedImage png = ImageIO.read(tmp.resolve("loss-curve.png").toFile());
        assertThat(png.getWidth()).isEqualTo(900);
        assertThat(png.getHeight()).isEqualTo(720);
    }

    @Test
    void state_restore_roundTrips() throws IOException {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Map<String, Object> state;
        try (TrainingMonitor m = new TrainingMonitor("a", 4, 0, 1, quiet)) {
            m.step(1, 0.5);
            m.step(2, 0.25);
            m.validation(2, Map.of("err", 3.0));
            state = m.state();
        }
        Object json = Json.parse(Json.write(state));
        @SuppressWarnings("unchecked")
        Manifest history = new Manifest("state", "", (Map<String, Object>) json);
        try (TrainingMonitor r = new TrainingMonitor("a", 4, 2, 1, quiet)) {
            r.restore(history);
            assertThat(r.loss()).containsExactly(new TrainingMonitor.Point(1, 0.5), new TrainingMonitor.Point(2, 0.25));
            assertThat(r.validationHistory().get("err")).containsExactly(new TrainingMonitor.Point(2, 3.0));
        }
    }

    @Test
    void constructor_badSteps_throws() {
        assertThatThrownBy(() -> new TrainingMonitor("x", 5, 6, 1, System.out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startStep");
    }
}
