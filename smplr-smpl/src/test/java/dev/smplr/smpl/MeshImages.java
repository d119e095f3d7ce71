package dev.smplr.smpl;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import dev.smplr.core.Gender;
import java.util.Arrays;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Test helper: an orthographic z-buffer rasteriser with Lambert shading, to look at meshes. Front view (camera
 * on +Z, the body's left on the image's right) and side view (camera on +X, the body's front on the left).
 * Triangles seen from behind are drawn red, so a wrongly oriented face shows.
 */
final class MeshImages {
    /** Camera on +Z looking at -Z. */
    static final int FRONT = 0;
    /** Camera on +X looking at -X. */
    static final int SIDE = 1;
    /** The background colour, as {@link BufferedImage#getRGB} returns it. */
    static final int BACKGROUND = 0xfff4f4f0;

    private MeshImages() {
    }

    /**
     * Renders one view.
     *
     * @param v     vertices (V, 3)
     * @param f     triangles (F, 3)
     * @param view  {@link #FRONT} or {@link #SIDE}
     * @param size  image width and height in pixels
     * @param metres the world extent shown across the image
     * @param centreY the world height at the image's centre
     * @return the image
     */
    static BufferedImage render(double[] v, int[] f, int view, int size, double metres, double centreY) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        double[] depth = new double[size * size];
        Arrays.fill(depth, Double.NEGATIVE_INFINITY);
        for (int p = 0; p < size * size; p++) {
            img.setRGB(p % size, p / size, BACKGROUND);
        }
        double s = size / metres;
        double[] sx = new double[v.length / 3];
        double[] sy = new double[v.length / 3];
        double[] sd = new double[v.length / 3];
        for (int i = 0; i < sx.length; i++) {
            double x = v[3 * i];
            double y = v[3 * i + 1];
            double z = v[3 * i + 2];
            sx[i] = size / 2.0 + s * (view == FRONT ? x : -z);
            sy[i] = size / 2.0 - s * (y - centreY);
            sd[i] = view == FRONT ? z : x;
        }
        double[] light = norm(new double[] {-0.4, 0.6, 1.0});
        if (view == SIDE) {
            light = norm(new double[] {1.0, 0.6, 0.4});
        }
        for (int t = 0; t < f.length / 3; t++) {
            int a = f[3 * t];
            int b = f[3 * t + 1];
            int c = f[3 * t + 2];
            double[] n = normal(v, a, b, c);
            double facing = view == FRONT ? n[2] : n[0];
            double lam = Math.max(0, n[0] * light[0] + n[1] * light[1] + n[2] * light[2]);
            int rgb;
            if (facing < 0) {
                rgb = 0xd02020;
            } else {
                int g = (int) (60 + 180 * lam);
                rgb = (g << 16) | ((int) (g * 0.93) << 8) | (int) (g * 0.85);
            }
            int x0 = (int) Math.max(0, Math.floor(Math.min(sx[a], Math.min(sx[b], sx[c]))));
            int x1 = (int) Math.min(size - 1, Math.ceil(Math.max(sx[a], Math.max(sx[b], sx[c]))));
            int y0 = (int) Math.max(0, Math.floor(Math.min(sy[a], Math.min(sy[b], sy[c]))));
            int y1 = (int) Math.min(size - 1, Math.ceil(Math.max(sy[a], Math.max(sy[b], sy[c]))));
            double area = (sx[b] - sx[a]) * (sy[c] - sy[a]) - (sx[c] - sx[a]) * (sy[b] - sy[a]);
            if (area == 0) {
                continue;
            }
            for (int py = y0; py <= y1; py++) {
                for (int px = x0; px <= x1; px++) {
                    double cx = px + 0.5;
                    double cy = py + 0.5;
                    double wa = ((sx[b] - cx) * (sy[c] - cy) - (sx[c] - cx) * (sy[b] - cy)) / area;
                    double wb = ((sx[c] - cx) * (sy[a] - cy) - (sx[a] - cx) * (sy[c] - cy)) / area;
                    double wc = 1 - wa - wb;
                    if (wa < 0 || wb < 0 || wc < 0) {
                        continue;
                    }
                    double d = wa * sd[a] + wb * sd[b] + wc * sd[c];
                    if (d > depth[py * size + px]) {
                        depth[py * size + px] = d;
                        img.setRGB(px, py, rgb);
                    }
                }
            }
        }
        return img;
    }

    /** Writes front and side views side by side into a PNG. */
    static void write(String path, double[] v, int[] f, int size, double metres, double centreY)
            throws IOException {
        BufferedImage out = new BufferedImage(2 * size, size, BufferedImage.TYPE_INT_RGB);
        out.getGraphics().drawImage(render(v, f, FRONT, size, metres, centreY), 0, 0, null);
        out.getGraphics().drawImage(render(v, f, SIDE, size, metres, centreY), size, 0, null);
        ImageIO.write(out, "png", new File(path));
    }

    /**
     * Writes pictures of the demo body to a folder (default {@code /tmp}): {@code demo-body-front.png} (neutral,
     * T-pose), {@code demo-body-posed.png} (arms down, left elbow and knee bent, right hip flexed),
     * {@code demo-body-female.png}, {@code demo-body-male.png}.
     *
     * @param args optional output folder
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        String dir = args.length > 0 ? args[0] : "/tmp";
        ModelData m = DemoBody.create(Gender.NEUTRAL);
        write(dir + "/demo-body-front.png", ReferenceLbs.toDouble(m.vTemplate()), m.faces(), 700, 1.9, -0.1);
        double[] pose = new double[72];
        pose[3 * 16 + 2] = -1.2;
        pose[3 * 17 + 2] = 1.2;
        pose[3 * 18 + 1] = -1.3;
        pose[3 * 4] = 1.4;
        pose[3 * 2] = -0.6;
        write(dir + "/demo-body-posed.png", ReferenceLbs.vertices(m, new double[10], pose), m.faces(), 700, 1.9,
                -0.1);
        for (Gender g : new Gender[] {Gender.FEMALE, Gender.MALE}) {
            ModelData mg = DemoBody.create(g);
            write(dir + "/demo-body-" + g.name().toLowerCase(Locale.ROOT) + ".png",
                    ReferenceLbs.toDouble(mg.vTemplate()), mg.faces(), 700, 1.9, -0.1);
        }
    }

    private static double[] normal(double[] v, int a, int b, int c) {
        double ux = v[3 * b] - v[3 * a];
        double uy = v[3 * b + 1] - v[3 * a + 1];
        double uz = v[3 * b + 2] - v[3 * a + 2];
        double wx = v[3 * c] - v[3 * a];
        double wy = v[3 * c + 1] - v[3 * a + 1];
        double wz = v[3 * c + 2] - v[3 * a + 2];
        return norm(new double[] {uy * wz - uz * wy, uz * wx - ux * wz, ux * wy - uy * wx});
    }

    private static double[] norm(double[] a) {
        double n = Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
        return n == 0 ? a : new double[] {a[0] / n, a[1] / n, a[2] / n};
    }
}
