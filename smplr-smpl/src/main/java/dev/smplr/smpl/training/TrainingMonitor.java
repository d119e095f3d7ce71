package dev.smplr.smpl.training;

import dev.smplr.io.internal.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * What a long training run shows and leaves behind: a progress bar with the running loss, one log line per
 * validation, and on {@link #writeReport(Path)} a {@code history.csv} and a {@code loss-curve.png} (training
 * loss, averaged per {@code every} steps, above the validation errors in mm, or every validation metric when none is
 * in mm, both against the step). The history goes
 * into checkpoints through {@link #state()} and comes back with {@link #restore(Manifest)}, so a resumed run
 * draws one continuous curve.
 *
 * <p>On a console the bar redraws itself every second; when the output goes to a file it prints one plain line
 * every 30 seconds, so logs stay readable.
 *
 * <p>Not thread-safe: one trainer thread reports to it. Support for the trainers of smplr-smpl, smplr-dae and
 * smplr-hourglass; not part of the stable API.
 */
public final class TrainingMonitor implements AutoCloseable {
    /** A point of a curve. */
    public record Point(long step, double value) {
    }

    private final String task;
    private final int every;
    private final PrintStream log;
    private final ProgressBar bar;
    private final List<Point> loss = new ArrayList<>();
    private final Map<String, List<Point>> validation = new LinkedHashMap<>();
    private double windowSum;
    private int windowCount;
    private long lastStep;

    /**
     * @param task       the progress bar's label, e.g. "regressor Ω"
     * @param totalSteps the steps the run will reach
     * @param startStep  the step it starts from (0, or the resumed checkpoint's)
     * @param every      training-loss points are averages over this many steps (≥ 1)
     * @param log        where validation lines go (the progress bar draws on stderr), e.g. System.out
     */
    public TrainingMonitor(String task, long totalSteps, long startStep, int every, PrintStream log) {
        if (totalSteps < 1 || startStep < 0 || startStep > totalSteps) {
            throw new IllegalArgumentException("steps: expected 0 ≤ startStep ≤ totalSteps, 1 ≤ totalSteps, found "
                    + startStep + " and " + totalSteps);
        }
        if (every < 1) {
            throw new IllegalArgumentException("every: expected ≥ 1, found " + every);
        }
        this.task = task;
        this.every = every;
        this.log = log;
        this.lastStep = startStep;
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalSteps)
                .startsFrom(startStep, Duration.ZERO).setStyle(ProgressBarStyle.ASCII).showSpeed();
        if (System.console() == null) {
            // Redirected to a file or a CI log: one plain line every 30 s instead of a redraw every second.
            builder.setUpdateIntervalMillis(30_000).setConsumer(new DelegatingProgressBarConsumer(System.err::println));
        } else {
            builder.setUpdateIntervalMillis(1000);
        }
        this.bar = builder.build();
    }

    /**
     * Records the training loss after a step and moves the bar.
     *
     * @param step the number of steps done (increasing)
     * @param lossValue the step's training loss
     */
    public void step(long step, double lossValue) {
        windowSum += lossValue;
        windowCount++;
        if (windowCount == every) {
            loss.add(new Point(step, windowSum / windowCount));
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4g", windowSum / windowCount));
            windowSum = 0;
            windowCount = 0;
        }
        lastStep = step;
        bar.stepTo(step);
    }

    /**
     * Records validation metrics and prints them as one line.
     *
     * @param step    the number of steps done
     * @param metrics metric name (with its unit, e.g. "mpjpe_mm") to value
     */
    public void validation(long step, Map<String, Double> metrics) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s step %d:", task, step));
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            validation.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new Point(step, e.getValue()));
            line.append(String.format(Locale.ROOT, " %s %.4g", e.getKey(), e.getValue()));
        }
        log.println(line);
        log.flush();
    }

    /** @return the averaged training loss so far (unmodifiable view) */
    public List<Point> loss() {
        return java.util.Collections.unmodifiableList(loss);
    }

    /** @return the validation history by metric (unmodifiable view of the map) */
    public Map<String, List<Point>> validationHistory() {
        return java.util.Collections.unmodifiableMap(validation);
    }

    /** @return the history as Json values, for a checkpoint's state under the key {@code "history"} */
    public Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss", flatten(loss));
        Map<String, Object> v = new LinkedHashMap<>();
        validation.forEach((k, points) -> v.put(k, flatten(points)));
        m.put("validation", v);
        return m;
    }

    /**
     * Restores the history saved by {@link #state()}.
     *
     * @throws IOException naming the key if it is malformed
     */
    public void restore(Manifest history) throws IOException {
        loss.clear();
        validation.clear();
        loss.addAll(unflatten(history, "loss"));
        Manifest v = history.object("validation");
        for (String k : v.values().keySet()) {
            validation.put(k, new ArrayList<>(unflatten(v, k)));
        }
    }

    /**
     * Writes {@code history.csv} and {@code loss-curve.png} into a directory, each atomically.
     *
     * @throws IOException if writing fails
     */
    public void writeReport(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("series,step,value\n");
        for (Point p : loss) {
            csv.append("loss,").append(p.step()).append(',').append(p.value()).append('\n');
        }
        validation.forEach((k, points) -> points.forEach(
                p -> csv.append(k).append(',').append(p.step()).append(',').append(p.value()).append('\n')));
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve("history.csv"), out -> out.write(bytes));

        List<XYChart> charts = new ArrayList<>();
        charts.add(chart(task + ": training loss", "loss", Map.of("loss", loss), true));
        if (!validation.isEmpty()) {
            Map<String, List<Point>> errors = errorSeries(validation);
            charts.add(errors.isEmpty() ? chart(task + ": validation", "value", validation, false)
                    : chart(task + ": validation", "error (mm)", errors, false));
        }
        AtomicFiles.write(dir.resolve("loss-curve.png"),
                out -> BitmapEncoder.saveBitmap(charts, charts.size(), 1, out, BitmapEncoder.BitmapFormat.PNG));
    }

    /** Finishes the progress bar. */
    @Override
    public void close() {
        bar.stepTo(lastStep);
        bar.close();
    }

    /**
     * The metrics in millimetres ({@code *_mm}), which share one axis; the rest (learning rate, accuracy, speed)
     * would be flat lines at the bottom of it and stay in the history and the log lines.
     */
    static Map<String, List<Point>> errorSeries(Map<String, List<Point>> metrics) {
        Map<String, List<Point>> out = new LinkedHashMap<>();
        metrics.forEach((k, v) -> {
            if (k.endsWith("_mm")) {
                out.put(k, v);
            }
        });
        return out;
    }

    static XYChart chart(String title, String yTitle, Map<String, List<Point>> series, boolean logY) {
        XYChart c = new XYChartBuilder().width(900).height(360).title(title).xAxisTitle("step").yAxisTitle(yTitle)
                .build();
        boolean positive = true;
        boolean any = false;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, List<Point>> s : series.entrySet()) {
            List<Point> points = s.getValue();
            if (points.isEmpty()) {
                continue;
            }
            double[] x = new double[points.size()];
            double[] y = new double[points.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = points.get(i).step();
                y[i] = points.get(i).value();
                positive &= y[i] > 0;
                min = Math.min(min, y[i]);
                max = Math.max(max, y[i]);
            }
            any = true;
            c.addSeries(s.getKey(), x, y).setMarker(points.size() > 50 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        // xchart labels a log axis at powers of ten only: within one decade it would show no numbers at all
        c.getStyler().setYAxisLogarithmic(logY && positive && any && max >= 10 * min);
        c.getStyler().setLegendVisible(series.size() > 1 || !logY);
        // Equally spaced steps put xchart's x ticks at data values, and its fit check lets long labels such as
        // 1,060 and 1,410 run together; slanted, they stay apart.
        c.getStyler().setXAxisLabelRotation(30);
        return c;
    }

    private static List<Object> flatten(List<Point> points) {
        List<Object> out = new ArrayList<>(2 * points.size());
        for (Point p : points) {
            out.add(p.step());
            out.add(p.value());
        }
        return out;
    }

    private static List<Point> unflatten(Manifest m, String key) throws IOException {
        Object v = m.get(key);
        if (!(v instanceof List<?> list) || list.size() % 2 != 0) {
            throw m.error(key, "a list of step, value pairs", v);
        }
        List<Point> out = new ArrayList<>(list.size() / 2);
        for (int i = 0; i < list.size(); i += 2) {
            if (!(list.get(i) instanceof Long step) || !(list.get(i + 1) instanceof Number value)) {
                throw m.error(key, "a list of step, value pairs", "entry " + i / 2 + " = " + list.get(i) + ", "
                        + list.get(i + 1));
            }
            out.add(new Point(step, value.doubleValue()));
        }
        return out;
    }
}
