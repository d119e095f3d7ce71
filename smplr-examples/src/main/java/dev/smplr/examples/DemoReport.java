package dev.smplr.examples;

import dev.smplr.core.BodyEstimate;
import dev.smplr.core.BodyMesh;
import dev.smplr.core.BodyModel;
import dev.smplr.core.KinematicTree;
import dev.smplr.core.Metrics;
import dev.smplr.core.Pipeline;
import dev.smplr.core.PipelineResult;
import dev.smplr.core.SmplrPoints;
import dev.smplr.core.internal.Checks;
import dev.smplr.hourglass.ColoredMesh;
import dev.smplr.hourglass.MeshRenderer;
import dev.smplr.hourglass.PinholeCamera;
import dev.smplr.smpl.training.Json;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * What {@code smplr demo} writes for one image: {@code <name>.obj} and {@code <name>.glb} (the recovered mesh),
 * {@code <name>.json} (parameters, points, per-stage errors and timings) and {@code <name>.png}, a sheet of four
 * panels side by side:
 * <ol type="a">
 *   <li>the input crop;</li>
 *   <li>the 41 points projected into it, the estimate (orange) and the ground truth (green), with the bones of
 *       {@link KinematicTree#smplr()};</li>
 *   <li>the recovered mesh over the input, semi-transparent;</li>
 *   <li>the ground-truth mesh over the input;</li>
 * </ol>
 * with captions and the per-stage errors (mm) underneath.
 *
 * <p>Frames. The points of every stage are root-relative in the camera frame (X right, Y down, Z away), as the
 * estimator gives them and the regressor's global orientation reproduces them (SPEC 15.1). A stage's points are
 * drawn at {@code rootCam + p}; a posed mesh (root joint at its rest position) at {@code rootCam + v − J_0}.
 * The OBJ and GLB hold the recovered mesh root-relative and turned to the usual viewer frame (Y up, facing +Z):
 * {@code diag(1, −1, −1) · (v − J_0)}.
 */
final class DemoReport {
    private static final int ESTIMATE_COLOR = 0xE67E22;
    private static final int TRUTH_COLOR = 0x27AE60;
    private static final int MESH_COLOR = 0x5DADE2;
    private static final int TRUTH_MESH_COLOR = 0x82E0AA;
    private static final int CAPTION = 24;
    private static final int FOOTER = 44;
    /** Panels smaller than this are drawn at twice the crop's size, so that points and text stay legible. */
    private static final int MIN_PANEL = 320;

    private DemoReport() {
    }

    /**
     * One image and what is known about it.
     *
     * @param crop       the square person crop the pipeline ran on; kept, not copied
     * @param camera     the crop's camera (its size is the crop's)
     * @param rootCam    the root (pelvis) in the camera frame (3), metres, Z &gt; 0; copied
     * @param gtPoints41 the true 41 root-relative camera-frame points (123), or null; copied
     * @param gtEstimate the true pose and shape, global orientation in the camera frame, or null
     */
    record Input(BufferedImage crop, PinholeCamera camera, float[] rootCam, float[] gtPoints41,
            BodyEstimate gtEstimate) {
        /** @throws IllegalArgumentException if the crop's size is not the camera's or an array is malformed */
        Input {
            Checks.notNull("crop", crop);
            Checks.notNull("camera", camera);
            if (crop.getWidth() != camera.width() || crop.getHeight() != camera.height()) {
                throw new IllegalArgumentException("crop: expected the camera's size " + camera.width() + "×"
                        + camera.height() + ", got " + crop.getWidth() + "×" + crop.getHeight());
            }
            rootCam = Checks.rows("rootCam", rootCam, 1, 3, "x, y, z in the camera frame").clone();
            if (!(rootCam[2] > 0)) {
                throw new IllegalArgumentException("rootCam: expected Z > 0 (in front of the camera), got "
                        + rootCam[2]);
            }
            if (gtPoints41 != null) {
                gtPoints41 = Checks.rows("gtPoints41", gtPoints41, SmplrPoints.COUNT, 3, "41×3 points").clone();
            }
        }

        /**
         * An image without ground truth: the root is placed where the release's crop puts it, at the crop's centre
         * and at the depth at which the crop spans 2.5 m ({@code Z = fx · 2.5 / size}).
         *
         * @param crop   the square crop
         * @param camera its camera
         * @return the input
         */
        static Input withoutTruth(BufferedImage crop, PinholeCamera camera) {
            float z = camera.fx() * 2.5f / camera.width();
            float[] root = {(camera.width() / 2f - camera.cx()) * z / camera.fx(),
                (camera.height() / 2f - camera.cy()) * z / camera.fy(), z};
            return new Input(crop, camera, root, null, null);
        }
    }

    /**
     * One line of the error table.
     *
     * @param stage    the stage
     * @param millis   its wall time, ms
     * @param mpjpe    MPJPE of its points against the truth, mm, or NaN
     * @param paMpjpe  PA-MPJPE, mm, or NaN
     * @param pve      mean vertex error of its mesh against the true mesh (root-aligned), mm, or NaN
     */
    record Row(Pipeline.Stage stage, double millis, double mpjpe, double paMpjpe, double pve) {
    }

    /**
     * Writes the four files.
     *
     * @param dir    the output directory, created if needed
     * @param name   the files' base name, e.g. {@code demo-7}
     * @param input  the image and its ground truth
     * @param result what the pipeline produced
     * @param body   the body model the pipeline used (faces; poses the ground truth)
     * @return the files written: obj, glb (only with a mesh), json, png
     * @throws IOException if a file cannot be written
     */
    static List<Path> write(Path dir, String name, Input input, PipelineResult result, BodyModel body)
            throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        BodyMesh truth = input.gtEstimate() == null ? null : body.pose(input.gtEstimate());
        List<Row> rows = rows(input, result, body, truth);
        if (result.mesh() != null) {
            float[] j0 = result.mesh().joints();
            float[] v = viewerFrame(result.mesh().vertices(), j0);
            float[] joints = viewerFrame(j0, j0);
            for (String ext : List.of("obj", "glb")) {
                Path p = dir.resolve(name + "." + ext);
                MeshFiles.write(p, v, body.faces(), joints);
                written.add(p);
            }
        }
        Path json = dir.resolve(name + ".json");
        Files.writeString(json, Json.write(json(input, result, rows)), StandardCharsets.UTF_8);
        written.add(json);
        Path png = dir.resolve(name + ".png");
        ImageIO.write(sheet(input, result, body, truth, rows), "png", png.toFile());
        written.add(png);
        return written;
    }

    /**
     * The per-stage errors and timings.
     *
     * @param input  the truth
     * @param result the pipeline's output
     * @param body   the body model
     * @param truth  the true mesh posed by {@code body}, or null
     * @return one row per stage that ran, in pipeline order
     */
    static List<Row> rows(Input input, PipelineResult result, BodyModel body, BodyMesh truth) {
        float[] gt = input.gtPoints41();
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<Pipeline.Stage, Duration> e : result.timings().entrySet()) {
            Pipeline.Stage stage = e.getKey();
            float[] points = switch (stage) {
                case ESTIMATE -> result.estimated();
                case DENOISE -> result.denoised();
                case BODY -> result.bodyPoints();
                default -> null;
            };
            boolean compare = points != null && gt != null;
            double pve = Double.NaN;
            if (stage == Pipeline.Stage.BODY && truth != null && result.mesh() != null
                    && truth.vertices().length == result.mesh().vertices().length) {
                pve = Metrics.pve(rootRelative(result.mesh()), rootRelative(truth));
            }
            rows.add(new Row(stage, e.getValue().toNanos() / 1e6, compare ? Metrics.mpjpe(points, gt) : Double.NaN,
                    compare ? Metrics.paMpjpe(points, gt) : Double.NaN, pve));
        }
        return rows;
    }

    /**
     * @param rows the rows
     * @return the error table, one line per stage and a total, for the console
     */
    static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-10s %10s %12s %14s %10s%n", "stage",
                "time (ms)", "MPJPE (mm)", "PA-MPJPE (mm)", "PVE (mm)"));
        double total = 0;
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-10s %10.1f %12s %14s %10s%n",
                    r.stage().name().toLowerCase(Locale.ROOT), r.millis(), mm(r.mpjpe()), mm(r.paMpjpe()),
                    mm(r.pve())));
            total += r.millis();
        }
        return sb.append(String.format(Locale.ROOT, "%-10s %10.1f%n", "total", total)).toString();
    }

    private static String mm(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    /**
     * The four-panel picture.
     *
     * @param input  the image and truth
     * @param result the pipeline's output
     * @param body   the body model (faces)
     * @param truth  the true mesh, or null
     * @param rows   the errors for the footer
     * @return the sheet: four panels of the crop's size (twice it below {@value #MIN_PANEL} pixels), captions
     *         above, errors below
     */
    static BufferedImage sheet(Input input, PipelineResult result, BodyModel body, BodyMesh truth, List<Row> rows) {
        int scale = input.crop().getWidth() < MIN_PANEL ? 2 : 1;
        PinholeCamera cam = input.camera().cropped(scale, 0, 0, input.camera().width() * scale);
        int size = cam.width();
        BufferedImage photo = scaled(input.crop(), size);

        BufferedImage sheet = new BufferedImage(4 * size, CAPTION + size + FOOTER, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));

        // (a) the input
        panel(g, 0, size, "(a) input", photo);

        // (b) the points
        float[] estimated = result.estimated() != null ? result.estimated() : result.finalPoints();
        BufferedImage points = faded(photo);
        Graphics2D pg = points.createGraphics();
        pg.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        boolean drawn = skeleton(pg, cam, input.rootCam(), input.gtPoints41(), TRUTH_COLOR);
        drawn &= skeleton(pg, cam, input.rootCam(), estimated, ESTIMATE_COLOR);
        pg.dispose();
        String pointsCaption = "(b) 41 points: " + (result.estimated() != null ? "estimated" : "final")
                + " (orange)" + (input.gtPoints41() != null ? " vs truth (green)" : "")
                + (drawn ? "" : ", some behind the camera");
        panel(g, 1, size, pointsCaption, points);

        // (c) the recovered mesh, (d) the true mesh
        panel(g, 2, size, "(c) recovered mesh", result.mesh() == null ? note(photo, "no mesh: no regressor ran")
                : overlay(cam, result.mesh(), body.faces(), input.rootCam(), photo, MESH_COLOR));
        panel(g, 3, size, "(d) ground-truth mesh", truth == null ? note(photo, "no ground truth")
                : overlay(cam, truth, body.faces(), input.rootCam(), photo, TRUTH_MESH_COLOR));

        // the errors
        g.setColor(Color.DARK_GRAY);
        StringBuilder line1 = new StringBuilder("errors against the truth (mm):");
        StringBuilder line2 = new StringBuilder("time (ms):");
        for (Row r : rows) {
            String s = r.stage().name().toLowerCase(Locale.ROOT);
            if (!Double.isNaN(r.mpjpe())) {
                line1.append(String.format(Locale.ROOT, "   %s MPJPE %.1f, PA-MPJPE %.1f", s, r.mpjpe(), r.paMpjpe()));
            }
            if (!Double.isNaN(r.pve())) {
                line1.append(String.format(Locale.ROOT, ", mesh PVE %.1f", r.pve()));
            }
            line2.append(String.format(Locale.ROOT, "   %s %.1f", s, r.millis()));
        }
        if (input.gtPoints41() == null) {
            line1.setLength(0);
            line1.append("no ground truth: no errors");
        }
        g.drawString(line1.toString(), 8, CAPTION + size + 17);
        g.drawString(line2.toString(), 8, CAPTION + size + 35);
        g.dispose();
        return sheet;
    }

    private static void panel(Graphics2D g, int index, int size, String caption, BufferedImage image) {
        g.drawImage(image, index * size, CAPTION, null);
        g.setColor(Color.DARK_GRAY);
        g.drawString(caption, index * size + 6, CAPTION - 7);
    }

    /** Draws the bones and points; false if some point is at or behind the camera (nothing drawn then). */
    private static boolean skeleton(Graphics2D g, PinholeCamera cam, float[] root, float[] points41, int rgb) {
        if (points41 == null) {
            return true;
        }
        float[] nodes = new float[3 * SmplrPoints.NODES];
        System.arraycopy(root, 0, nodes, 0, 3);
        for (int i = 0; i < SmplrPoints.VALUES; i++) {
            nodes[3 + i] = points41[i] + root[i % 3];
        }
        for (int n = 0; n < SmplrPoints.NODES; n++) {
            if (!(nodes[3 * n + 2] > 0)) {
                return false;
            }
        }
        float[] uv = cam.project(nodes);
        KinematicTree tree = KinematicTree.smplr();
        g.setColor(new Color(rgb));
        g.setStroke(new BasicStroke(2f));
        for (int n = 1; n < tree.size(); n++) {
            int p = tree.parent(n);
            g.drawLine(Math.round(uv[2 * n]), Math.round(uv[2 * n + 1]), Math.round(uv[2 * p]),
                    Math.round(uv[2 * p + 1]));
        }
        for (int n = 0; n < tree.size(); n++) {
            // joints (nodes 0..23) larger than landmarks
            int r = n <= SmplrPoints.JOINTS ? 4 : 3;
            g.fillOval(Math.round(uv[2 * n]) - r, Math.round(uv[2 * n + 1]) - r, 2 * r, 2 * r);
        }
        return true;
    }

    private static BufferedImage overlay(PinholeCamera cam, BodyMesh mesh, int[] faces, float[] root,
            BufferedImage photo, int rgb) {
        float[] v = rootRelative(mesh);
        for (int i = 0; i < v.length; i++) {
            v[i] += root[i % 3];
        }
        ColoredMesh colored = ColoredMesh.uniform(v, faces, rgb);
        return MeshRenderer.defaults().overlay(cam, colored, photo, 0.7f, false).image();
    }

    /** @return the vertices minus the root joint J_0, a new array */
    private static float[] rootRelative(BodyMesh mesh) {
        float[] v = mesh.vertices().clone(); // implementations may return their own array
        float[] j = mesh.joints();
        for (int i = 0; i < v.length; i++) {
            v[i] -= j[i % 3];
        }
        return v;
    }

    /** {@code diag(1, −1, −1) · (p − J_0)}: camera frame (Y down) to a viewer's frame (Y up), root at 0. */
    private static float[] viewerFrame(float[] points, float[] joints) {
        float[] out = new float[points.length];
        for (int i = 0; i < points.length; i++) {
            float d = points[i] - joints[i % 3];
            out[i] = i % 3 == 0 ? d : -d;
        }
        return out;
    }

    private static BufferedImage scaled(BufferedImage src, int size) {
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, size, size, null);
        g.dispose();
        return out;
    }

    /** The photo washed towards white, so that the points stand out. */
    private static BufferedImage faded(BufferedImage photo) {
        BufferedImage out = new BufferedImage(photo.getWidth(), photo.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < photo.getHeight(); y++) {
            for (int x = 0; x < photo.getWidth(); x++) {
                int c = photo.getRGB(x, y);
                int r = 255 - (255 - (c >> 16 & 0xFF)) * 2 / 5;
                int gr = 255 - (255 - (c >> 8 & 0xFF)) * 2 / 5;
                int b = 255 - (255 - (c & 0xFF)) * 2 / 5;
                out.setRGB(x, y, r << 16 | gr << 8 | b);
            }
        }
        return out;
    }

    private static BufferedImage note(BufferedImage photo, String text) {
        BufferedImage out = faded(photo);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.drawString(text, 10, out.getHeight() / 2);
        g.dispose();
        return out;
    }

    private static Map<String, Object> json(Input input, PipelineResult r, List<Row> rows) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (r.estimate() != null) {
            m.put("estimate", params(r.estimate()));
        }
        if (input.gtEstimate() != null) {
            m.put("truth", params(input.gtEstimate()));
        }
        Map<String, Object> points = new LinkedHashMap<>();
        putIfPresent(points, "estimated", r.estimated());
        putIfPresent(points, "denoised", r.denoised());
        putIfPresent(points, "body", r.bodyPoints());
        putIfPresent(points, "truth", input.gtPoints41());
        m.put("points41", points);
        m.put("frame", "camera: X right, Y down, Z away; root-relative, metres");
        m.put("rootCam", input.rootCam());
        Map<String, Object> stages = new LinkedHashMap<>();
        for (Row row : rows) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("timeMs", row.millis());
            putIfNumber(s, "mpjpeMm", row.mpjpe());
            putIfNumber(s, "paMpjpeMm", row.paMpjpe());
            putIfNumber(s, "pveMm", row.pve());
            stages.put(row.stage().name().toLowerCase(Locale.ROOT), s);
        }
        m.put("stages", stages);
        return m;
    }

    /**
     * @param e an estimate
     * @return its pose, betas and gender as a JSON object
     */
    static Map<String, Object> params(BodyEstimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pose", e.pose());
        m.put("betas", e.betas());
        m.put("gender", e.gender() == null ? null : e.gender().name().toLowerCase(Locale.ROOT));
        return m;
    }

    private static void putIfPresent(Map<String, Object> m, String key, float[] v) {
        if (v != null) {
            m.put(key, v);
        }
    }

    private static void putIfNumber(Map<String, Object> m, String key, double v) {
        if (!Double.isNaN(v)) {
            m.put(key, v);
        }
    }
}
