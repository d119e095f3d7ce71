package dev.smplr.hourglass;

import dev.smplr.core.internal.Checks;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.TexturePaint;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.random.RandomGenerator;

/**
 * Random occluders painted over an image, standing in for the release's Pascal VOC object cut-outs: ellipses,
 * rotated (rounded) rectangles, star-like polygons and thick strokes, filled with a flat colour, a gradient or
 * a procedural texture. The same generator state paints the same shapes.
 */
final class Occluders {
    /** Occluder size as a fraction of the image's smaller side. */
    private static final float MIN_SIZE = 0.1f;
    private static final float MAX_SIZE = 0.5f;

    private Occluders() {
    }

    /**
     * Paints {@code count} random shapes over the image, each 10 % to 50 % of its smaller side across, centred
     * anywhere in it.
     *
     * @param image the image. Modified.
     * @param rng   the source of randomness; advanced
     * @param count the number of shapes, &ge; 0
     */
    static void paint(BufferedImage image, RandomGenerator rng, int count) {
        Checks.notNull("image", image);
        Checks.notNull("rng", rng);
        if (count < 0) {
            throw new IllegalArgumentException("count: expected >= 0 shapes, got " + count);
        }
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int w = image.getWidth();
            int h = image.getHeight();
            float base = Math.min(w, h);
            for (int k = 0; k < count; k++) {
                float size = base * (MIN_SIZE + (MAX_SIZE - MIN_SIZE) * rng.nextFloat());
                double cx = w * rng.nextDouble();
                double cy = h * rng.nextDouble();
                Shape shape = shape(rng, size);
                AffineTransform at = new AffineTransform();
                at.translate(cx, cy);
                at.rotate(2 * Math.PI * rng.nextDouble());
                Shape placed = at.createTransformedShape(shape);
                g.setPaint(paint(rng, cx, cy, size));
                int kind = rng.nextInt(8);
                if (kind == 0) {
                    // A thick stroke: poles, cables, limbs of other people.
                    g.setStroke(new BasicStroke(size * (0.05f + 0.15f * rng.nextFloat()), BasicStroke.CAP_ROUND,
                            BasicStroke.JOIN_ROUND));
                    g.draw(placed);
                } else {
                    g.fill(placed);
                }
            }
        } finally {
            g.dispose();
        }
    }

    /** A shape of about {@code size} across, centred on the origin. */
    private static Shape shape(RandomGenerator rng, float size) {
        float aspect = 0.3f + 0.7f * rng.nextFloat();
        float a = size / 2;
        float b = a * aspect;
        switch (rng.nextInt(4)) {
            case 0:
                return new Ellipse2D.Float(-a, -b, 2 * a, 2 * b);
            case 1:
                return new Rectangle2D.Float(-a, -b, 2 * a, 2 * b);
            case 2: {
                float arc = 2 * b * rng.nextFloat();
                return new RoundRectangle2D.Float(-a, -b, 2 * a, 2 * b, arc, arc);
            }
            default: {
                int n = 3 + rng.nextInt(8);
                Path2D.Float p = new Path2D.Float();
                for (int i = 0; i < n; i++) {
                    double angle = 2 * Math.PI * (i + 0.6 * rng.nextDouble()) / n;
                    double r = a * (0.35 + 0.65 * rng.nextDouble());
                    double x = r * Math.cos(angle);
                    double y = r * aspect * Math.sin(angle);
                    if (i == 0) {
                        p.moveTo(x, y);
                    } else {
                        p.lineTo(x, y);
                    }
                }
                p.closePath();
                return p;
            }
        }
    }

    private static Paint paint(RandomGenerator rng, double cx, double cy, float size) {
        Color c0 = color(rng);
        switch (rng.nextInt(3)) {
            case 0:
                return c0;
            case 1: {
                double angle = 2 * Math.PI * rng.nextDouble();
                float dx = (float) (size / 2 * Math.cos(angle));
                float dy = (float) (size / 2 * Math.sin(angle));
                return new GradientPaint((float) cx - dx, (float) cy - dy, c0, (float) cx + dx, (float) cy + dy,
                        color(rng));
            }
            default: {
                int tile = 8 + rng.nextInt(40);
                BufferedImage texture = Backgrounds.random(tile, tile, rng);
                return new TexturePaint(texture, new Rectangle2D.Float(0, 0, tile, tile));
            }
        }
    }

    private static Color color(RandomGenerator rng) {
        float[] c = Backgrounds.randomColor(rng);
        return new Color((int) c[0], (int) c[1], (int) c[2]);
    }
}
