package dev.smplr.examples;

import dev.smplr.core.Gender;
import dev.smplr.core.KinematicTree;
import dev.smplr.core.Metrics;
import dev.smplr.core.SmplrFeatures;
import dev.smplr.core.SmplrPoints;
import dev.smplr.hourglass.ColoredMesh;
import dev.smplr.hourglass.MeshRenderer;
import dev.smplr.hourglass.PinholeCamera;
import dev.smplr.hourglass.RenderResult;
import dev.smplr.hourglass.RigidTransform;
import dev.smplr.io.MeshWriter;
import dev.smplr.smpl.PoseSampler;
import dev.smplr.smpl.SmplModel;
import dev.smplr.smpl.SmplOutput;
import dev.smplr.smpl.SmplParams;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * The main job until the end-to-end pipeline lands: the embedded demo body in a seeded random pose from the
 * anatomical sampler, its 41 SMPLR points and features, the errors of a noisy copy, and the body written as
 * OBJ, GLB and a rendered PNG with the 41 points drawn on it.
 *
 * <p>Run: {@code java -jar smplr-examples/target/smplr-examples.jar [seed] [output-dir]} (defaults 7 and
 * {@code out}).
 */
public final class BodyDemo {
    private static final int SKIN = 0xD8B39A;

    private BodyDemo() {
    }

    /**
     * @param args optional seed and output directory
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 7;
        Path out = Path.of(args.length > 1 ? args[1] : "out");
        Files.createDirectories(out);

        long t0 = System.nanoTime();
        SmplModel body = SmplModel.demo(Gender.NEUTRAL);
        long tBuild = System.nanoTime();

        // a random anatomical pose and shape, standing upright (the sampler's global orientation is dropped)
        SmplParams sampled = PoseSampler.anatomical().sample(new SplittableRandom(seed)).params();
        float[] pose = sampled.pose();
        pose[0] = 0;
        pose[1] = 0;
        pose[2] = 0;
        SmplParams params = SmplParams.of(pose, sampled.betas(), null);
        SmplOutput posed = body.forward(params);
        long tForward = System.nanoTime();
        float[] points = body.smplrPoints(posed);

        float[] template = SmplrFeatures.templateDistances(body.smplrPoints(SmplParams.zero()));
        float[] n = SmplrFeatures.normalizedRelativeJoints(points);
        float[] b = SmplrFeatures.relativeDistances(points, template);

        SplittableRandom noise = new SplittableRandom(seed + 1);
        float[] noisy = points.clone();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (float) (0.02 * noise.nextGaussian());
        }

        MeshWriter.writeObj(out.resolve("demo-body.obj"), posed.vertices(), body.faces(), true);
        MeshWriter.writeGlb(out.resolve("demo-body.glb"), posed.vertices(), body.faces(),
                MeshWriter.Skeleton.of(KinematicTree.smpl(), posed.joints(), null));
        long tRender = System.nanoTime();
        BufferedImage picture = render(body, posed, points);
        long tRendered = System.nanoTime();
        Path png = out.resolve("demo-body.png");
        ImageIO.write(picture, "png", png.toFile());

        System.out.printf(Locale.ROOT, "smplr body demo: seed %d, the embedded demo body (%d vertices, %d faces)%n%n",
                seed, body.vertexCount(), body.faces().length / 3);
        System.out.printf(Locale.ROOT, "betas: %s%n", java.util.Arrays.toString(params.betas()));
        System.out.printf(Locale.ROOT, "%n%-24s %26s %24s %9s%n", "point", "position (m)", "N (unit bone)", "B (mm)");
        for (int p = 0; p < SmplrPoints.COUNT; p++) {
            System.out.printf(Locale.ROOT, "%-24s (%7.3f %7.3f %7.3f)  (%6.3f %6.3f %6.3f) %9.1f%n",
                    SmplrPoints.name(p), points[3 * p], points[3 * p + 1], points[3 * p + 2],
                    n[3 * p], n[3 * p + 1], n[3 * p + 2], 1000 * b[p]);
        }
        System.out.printf(Locale.ROOT, "%nA noisy copy of the 41 points (20 mm per axis):%n");
        System.out.printf(Locale.ROOT, "  MPJPE %.1f mm, PA-MPJPE %.1f mm, bone-length error %.1f mm%n",
                Metrics.mpjpe(noisy, points), Metrics.paMpjpe(noisy, points), Metrics.boneLengthError(noisy, points));
        System.out.printf(Locale.ROOT, "%nbuild the demo body %.0f ms, one forward pass %.1f ms (cold JVM), render %.0f ms%n",
                (tBuild - t0) / 1e6, (tForward - tBuild) / 1e6, (tRendered - tRender) / 1e6);
        System.out.printf(Locale.ROOT, "wrote %s, %s, %s%n", out.resolve("demo-body.obj"), out.resolve("demo-body.glb"),
                png);
    }

    /** Front and side views of the posed body at 3 m, with the 41 points projected on the front view. */
    private static BufferedImage render(SmplModel body, SmplOutput posed, float[] points) {
        PinholeCamera camera = PinholeCamera.blender(480, 640);
        BufferedImage sheet = new BufferedImage(2 * camera.width(), camera.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        float[] root = java.util.Arrays.copyOf(posed.joints(), 3);
        MeshRenderer renderer = MeshRenderer.builder().background(0xF4F4F0).build();
        for (int view = 0; view < 2; view++) {
            RigidTransform place = RigidTransform.uprightFacingCamera(view == 0 ? 0f : (float) (Math.PI / 2),
                    new float[3]).withPointAt(root, new float[] {0, 0, 3.2f});
            ColoredMesh mesh = ColoredMesh.uniform(place.apply(posed.vertices()), body.faces(), SKIN);
            RenderResult result = renderer.render(camera, mesh);
            g.drawImage(result.image(), view * camera.width(), 0, null);
            if (view == 0) {
                float[] world = new float[points.length];
                for (int i = 0; i < points.length; i++) {
                    world[i] = points[i] + root[i % 3];
                }
                float[] uv = camera.project(place.apply(world));
                g.setStroke(new BasicStroke(1.5f));
                for (int p = 0; p < SmplrPoints.COUNT; p++) {
                    g.setColor(p < SmplrPoints.JOINTS ? new Color(0xC0392B) : new Color(0x2471A3));
                    g.fillOval(Math.round(uv[2 * p] - 3.5f), Math.round(uv[2 * p + 1] - 3.5f), 7, 7);
                }
            }
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString("demo body: front (red joints, blue landmarks) and side", 10, 20);
        g.dispose();
        return sheet;
    }
}
