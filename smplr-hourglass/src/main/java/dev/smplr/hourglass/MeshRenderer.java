package dev.smplr.hourglass;

import dev.smplr.core.internal.Checks;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * A z-buffer triangle rasterizer in pure Java: renders a {@link ColoredMesh} (camera frame) through a
 * {@link PinholeCamera} into a {@link BufferedImage#TYPE_INT_RGB} image, with its depth buffer, coverage mask
 * and visible-face buffer.
 *
 * <p>How it draws, in two passes:
 * <ol>
 *   <li>Visibility. Each face is culled if it faces away (when {@link Builder#cullBackFaces(boolean)} is on: a
 *       face is front-facing when its outward normal {@code n = (v1 − v0) × (v2 − v0)} points towards the
 *       camera, {@code n · v0 < 0}, i.e. its vertices are counter-clockwise seen from outside), clipped against
 *       the near plane {@code Z = near}, projected, snapped to 1/256 pixel and scanned over its bounding box
 *       (clamped to the image) with integer edge functions and the top-left fill rule, so faces that share an
 *       edge cover every pixel centre along it exactly once. The depth test interpolates {@code 1/Z} linearly
 *       in screen space (which is exact for a plane under perspective) and keeps the nearest face per
 *       pixel.</li>
 *   <li>Shading, once per covered pixel: the pixel centre's ray is intersected with its face, which gives
 *       perspective-correct barycentric weights for the smooth vertex normals (area-weighted averages of the
 *       face normals, recomputed each call) and the colours. Light is ambient + Lambert + Blinn-Phong
 *       specular (white) from one or two directional lights:
 *       <pre>
 *       c = albedo · (ambient + Σ_l I_l · max(0, n·L_l)) + 255 · Σ_l I_l · ks · max(0, n·H_l)^shininess
 *       </pre>
 *       with {@code H_l = normalize(L_l + V)}, V the unit vector from the surface to the camera, clamped to
 *       0..255. With culling off, back faces are lit as seen from the camera (their normal is flipped).</li>
 * </ol>
 * No antialiasing: each pixel shows the face at its centre.
 *
 * <p>Projected coordinates are limited to ±2<sup>20</sup> pixels (integer edge functions must not overflow);
 * a face beyond that, after near-plane clipping, is skipped. Such faces lie within centimetres of the camera.
 *
 * <p>Immutable and thread-safe: each call allocates its own buffers.
 */
public final class MeshRenderer {
    private static final int SUBPIXEL_BITS = 8;
    private static final int ONE = 1 << SUBPIXEL_BITS;
    private static final int HALF = ONE >> 1;
    /** Largest projected coordinate, pixels: products of two fixed-point differences stay below 2^62. */
    private static final double GUARD = 1 << 20;
    /** Vertex states in pass 1. */
    private static final byte PROJECTED = 0;
    private static final byte BEHIND = 1;
    private static final byte FAR_OUT = 2;

    private final float ambient;
    /** (L, 4): unit direction towards the light in the camera frame, then intensity. */
    private final float[] lights;
    private final float specular;
    private final int shininess;
    private final boolean cullBackFaces;
    private final float near;
    private final int background;
    private final int wireframeColor;
    private final float wireframeWidth;
    private final Builder settings;

    private MeshRenderer(Builder b) {
        this.ambient = b.ambient;
        int count = b.fillIntensity > 0 ? 2 : 1;
        this.lights = new float[4 * count];
        putLight(lights, 0, b.key, b.keyIntensity);
        if (count == 2) {
            putLight(lights, 4, b.fill, b.fillIntensity);
        }
        this.specular = b.specular;
        this.shininess = b.shininess;
        this.cullBackFaces = b.cullBackFaces;
        this.near = b.near;
        this.background = b.background;
        this.wireframeColor = b.wireframeColor;
        this.wireframeWidth = b.wireframeWidth;
        this.settings = b.copy();
    }

    /**
     * The default renderer: a key light from the upper left front, a weak fill light from the right, ambient
     * 0.25, specular 0.2 with shininess 24, back faces culled, near plane 1 cm, black background.
     *
     * @return the renderer
     */
    public static MeshRenderer defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults of {@link #defaults()} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this renderer's settings, to make variants */
    public Builder toBuilder() {
        return settings.copy();
    }

    /**
     * Renders the mesh over the background colour.
     *
     * @param camera the camera; the image has its size
     * @param mesh   the mesh, in the camera frame
     * @return the image, depth, mask and visible faces
     * @throws IllegalArgumentException if an argument is null
     */
    public RenderResult render(PinholeCamera camera, ColoredMesh mesh) {
        Checks.notNull("camera", camera);
        Checks.notNull("mesh", mesh);
        int[] base = new int[camera.width() * camera.height()];
        Arrays.fill(base, background);
        return draw(camera, mesh, base, 1f, false);
    }

    /**
     * Renders the mesh over an image: pixels the mesh covers are replaced, the others keep the image's colour.
     *
     * @param camera     the camera; its size must be the image's
     * @param mesh       the mesh, in the camera frame
     * @param background the image behind the mesh (alpha, if any, is ignored). Not modified.
     * @return a new image with the mesh, and the depth, mask and visible faces
     * @throws IllegalArgumentException if an argument is null or the image's size is not the camera's
     */
    public RenderResult render(PinholeCamera camera, ColoredMesh mesh, BufferedImage background) {
        return composite(camera, mesh, background, "background", 1f, false);
    }

    /**
     * Draws the mesh semi-transparently over a photo, for looking at a fit: where the mesh covers a pixel,
     * {@code out = (1 − alpha) · photo + alpha · shaded}; with {@code wireframe}, the visible edges of the mesh
     * are drawn about {@link Builder#wireframe(int, float) width} pixels wide in the wireframe colour, opaque.
     *
     * @param camera    the camera the mesh is seen through; its size must be the photo's
     * @param mesh      the mesh, in the camera frame
     * @param photo     the picture. Not modified.
     * @param alpha     the mesh's opacity in [0, 1]
     * @param wireframe whether to draw the visible edges
     * @return a new image, and the depth, mask and visible faces
     * @throws IllegalArgumentException if an argument is null, alpha is outside [0, 1], or the photo's size is
     *                                  not the camera's
     */
    public RenderResult overlay(PinholeCamera camera, ColoredMesh mesh, BufferedImage photo, float alpha,
            boolean wireframe) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha: expected a value in [0, 1], got " + alpha);
        }
        return composite(camera, mesh, photo, "photo", alpha, wireframe);
    }

    private RenderResult composite(PinholeCamera camera, ColoredMesh mesh, BufferedImage image, String name,
            float alpha, boolean wireframe) {
        Checks.notNull("camera", camera);
        Checks.notNull("mesh", mesh);
        Checks.notNull(name, image);
        if (image.getWidth() != camera.width() || image.getHeight() != camera.height()) {
            throw new IllegalArgumentException(name + ": expected the camera's size " + camera.width() + "×"
                    + camera.height() + ", got " + image.getWidth() + "×" + image.getHeight());
        }
        return draw(camera, mesh, ImageTensors.rgb(image), alpha, wireframe);
    }

    // ---------------------------------------------------------------------------------------------------------

    private RenderResult draw(PinholeCamera cam, ColoredMesh mesh, int[] rgb, float alpha, boolean wireframe) {
        int width = cam.width();
        int height = cam.height();
        float[] v = mesh.vertexArray();
        int[] faces = mesh.faceArray();
        int vertexCount = v.length / 3;
        int faceCount = faces.length / 3;

        // Per vertex: snapped pixel coordinates and 1/Z (for vertices in front of the near plane), smooth normals.
        long[] sx = new long[vertexCount];
        long[] sy = new long[vertexCount];
        float[] iz = new float[vertexCount];
        byte[] state = new byte[vertexCount];
        project(cam, v, sx, sy, iz, state);
        float[] normals = vertexNormals(v, faces);

        Raster raster = new Raster(width, height);
        float[] clip = new float[3 * 4];
        for (int f = 0; f < faceCount; f++) {
            int i0 = faces[3 * f], i1 = faces[3 * f + 1], i2 = faces[3 * f + 2];
            if (cullBackFaces && facing(v, i0, i1, i2) >= 0) {
                continue;
            }
            int s0 = state[i0], s1 = state[i1], s2 = state[i2];
            if (s0 == PROJECTED && s1 == PROJECTED && s2 == PROJECTED) {
                raster.triangle(sx[i0], sy[i0], iz[i0], sx[i1], sy[i1], iz[i1], sx[i2], sy[i2], iz[i2], f);
            } else if ((s0 == BEHIND || s1 == BEHIND || s2 == BEHIND)
                    && (s0 != BEHIND || s1 != BEHIND || s2 != BEHIND)) {
                int n = clipNear(v, i0, i1, i2, near, clip);
                rasterFan(cam, clip, n, raster, f);
            }
            // Otherwise: all behind the near plane, or a vertex beyond the guard band.
        }

        float[] depth = new float[width * height];
        boolean[] mask = new boolean[width * height];
        int covered = shade(cam, mesh, normals, sx, sy, state, raster, rgb, depth, mask, alpha, wireframe);
        return new RenderResult(ImageTensors.image(rgb, width, height), depth, mask, raster.ids, covered);
    }

    /** {@code n · v0} with {@code n = (v1 − v0) × (v2 − v0)}: negative when the face is seen from its front. */
    private static double facing(float[] v, int i0, int i1, int i2) {
        double ax = v[3 * i0], ay = v[3 * i0 + 1], az = v[3 * i0 + 2];
        double e1x = v[3 * i1] - ax, e1y = v[3 * i1 + 1] - ay, e1z = v[3 * i1 + 2] - az;
        double e2x = v[3 * i2] - ax, e2y = v[3 * i2 + 1] - ay, e2z = v[3 * i2 + 2] - az;
        return (e1y * e2z - e1z * e2y) * ax + (e1z * e2x - e1x * e2z) * ay + (e1x * e2y - e1y * e2x) * az;
    }

    /**
     * Projects every vertex once: fixed-point pixel coordinates (1/256 px) and 1/Z, and its state: in front of
     * the near plane and within the guard band, behind the near plane, or in front but beyond the guard band.
     */
    private void project(PinholeCamera cam, float[] v, long[] sx, long[] sy, float[] iz, byte[] state) {
        double fx = cam.fx(), fy = cam.fy(), cx = cam.cx(), cy = cam.cy();
        for (int i = 0; i < sx.length; i++) {
            double z = v[3 * i + 2];
            if (!(z >= near)) {
                state[i] = BEHIND;
                continue;
            }
            double u = fx * v[3 * i] / z + cx;
            double w = fy * v[3 * i + 1] / z + cy;
            if (Math.abs(u) < GUARD && Math.abs(w) < GUARD) {
                sx[i] = Math.round(u * ONE);
                sy[i] = Math.round(w * ONE);
                iz[i] = (float) (1 / z);
                state[i] = PROJECTED;
            } else {
                state[i] = FAR_OUT;
            }
        }
    }

    /**
     * Smooth normals (V, 3): per vertex the sum of the unnormalised normals of its faces (so larger faces weigh
     * more), normalised; zero for a vertex in no face or only degenerate ones.
     */
    static float[] vertexNormals(float[] v, int[] faces) {
        float[] n = new float[v.length];
        for (int f = 0; f < faces.length; f += 3) {
            int a = 3 * faces[f], b = 3 * faces[f + 1], c = 3 * faces[f + 2];
            float e1x = v[b] - v[a], e1y = v[b + 1] - v[a + 1], e1z = v[b + 2] - v[a + 2];
            float e2x = v[c] - v[a], e2y = v[c + 1] - v[a + 1], e2z = v[c + 2] - v[a + 2];
            float nx = e1y * e2z - e1z * e2y;
            float ny = e1z * e2x - e1x * e2z;
            float nz = e1x * e2y - e1y * e2x;
            n[a] += nx;
            n[a + 1] += ny;
            n[a + 2] += nz;
            n[b] += nx;
            n[b + 1] += ny;
            n[b + 2] += nz;
            n[c] += nx;
            n[c + 1] += ny;
            n[c + 2] += nz;
        }
        for (int i = 0; i < n.length; i += 3) {
            double len = Math.sqrt((double) n[i] * n[i] + (double) n[i + 1] * n[i + 1] + (double) n[i + 2] * n[i + 2]);
            if (len > 0) {
                n[i] /= len;
                n[i + 1] /= len;
                n[i + 2] /= len;
            }
        }
        return n;
    }

    /**
     * Clips a face against {@code Z >= near} (Sutherland–Hodgman against one plane): writes the 3 or 4 vertices
     * of the part in front, in order, to {@code out} (4, 3) and returns their number.
     */
    private static int clipNear(float[] v, int i0, int i1, int i2, float near, float[] out) {
        int[] idx = {i0, i1, i2};
        int n = 0;
        for (int k = 0; k < 3; k++) {
            int a = 3 * idx[k];
            int b = 3 * idx[(k + 1) % 3];
            float za = v[a + 2], zb = v[b + 2];
            boolean inA = za >= near, inB = zb >= near;
            if (inA) {
                out[3 * n] = v[a];
                out[3 * n + 1] = v[a + 1];
                out[3 * n + 2] = v[a + 2];
                n++;
            }
            if (inA != inB) {
                float t = (near - za) / (zb - za);
                out[3 * n] = v[a] + t * (v[b] - v[a]);
                out[3 * n + 1] = v[a + 1] + t * (v[b + 1] - v[a + 1]);
                out[3 * n + 2] = near;
                n++;
            }
        }
        return n;
    }

    private static void rasterFan(PinholeCamera cam, float[] p, int n, Raster raster, int face) {
        double fx = cam.fx(), fy = cam.fy(), cx = cam.cx(), cy = cam.cy();
        long[] x = new long[n];
        long[] y = new long[n];
        float[] iz = new float[n];
        for (int k = 0; k < n; k++) {
            double z = p[3 * k + 2];
            double u = fx * p[3 * k] / z + cx;
            double w = fy * p[3 * k + 1] / z + cy;
            if (!(Math.abs(u) < GUARD && Math.abs(w) < GUARD)) {
                return;
            }
            x[k] = Math.round(u * ONE);
            y[k] = Math.round(w * ONE);
            iz[k] = (float) (1 / z);
        }
        for (int k = 1; k + 1 < n; k++) {
            raster.triangle(x[0], y[0], iz[0], x[k], y[k], iz[k], x[k + 1], y[k + 1], iz[k + 1], face);
        }
    }

    /** Pass 2: shades every covered pixel once and composites it over {@code rgb}; fills depth and mask. */
    private int shade(PinholeCamera cam, ColoredMesh mesh, float[] normals, long[] sx, long[] sy, byte[] state,
            Raster raster, int[] rgb, float[] depth, boolean[] mask, float alpha, boolean wireframe) {
        int width = raster.width;
        int height = raster.height;
        float[] v = mesh.vertexArray();
        int[] faces = mesh.faceArray();
        int[] colors = mesh.colorArray();
        boolean perFace = mesh.colorsPerFace();
        float invFx = 1 / cam.fx(), invFy = 1 / cam.fy(), cx = cam.cx(), cy = cam.cy();
        float[] zbuf = raster.invZ;
        int[] ids = raster.ids;
        float halfWire = wireframeWidth / 2;
        int lightCount = lights.length / 4;
        int covered = 0;
        for (int row = 0; row < height; row++) {
            for (int col = 0; col < width; col++) {
                int idx = row * width + col;
                int f = ids[idx];
                if (f < 0) {
                    depth[idx] = Float.POSITIVE_INFINITY;
                    continue;
                }
                covered++;
                mask[idx] = true;
                float z = 1 / zbuf[idx];
                depth[idx] = z;

                int i0 = faces[3 * f], i1 = faces[3 * f + 1], i2 = faces[3 * f + 2];
                int a = 3 * i0, b = 3 * i1, c = 3 * i2;
                // Ray through the pixel centre, d = ((u − cx)/fx, (v − cy)/fy, 1), from the camera centre.
                float dx = (col + 0.5f - cx) * invFx;
                float dy = (row + 0.5f - cy) * invFy;
                // Möller–Trumbore with origin 0: the hit point is v0 + s1·e1 + s2·e2.
                float e1x = v[b] - v[a], e1y = v[b + 1] - v[a + 1], e1z = v[b + 2] - v[a + 2];
                float e2x = v[c] - v[a], e2y = v[c + 1] - v[a + 1], e2z = v[c + 2] - v[a + 2];
                float px = dy * e2z - e2y, py = e2x - dx * e2z, pz = dx * e2y - dy * e2x; // d × e2
                float det = e1x * px + e1y * py + e1z * pz;
                float tx = -v[a], ty = -v[a + 1], tz = -v[a + 2];
                float s1;
                float s2;
                if (Math.abs(det) > 1e-20f) {
                    float qx = ty * e1z - tz * e1y, qy = tz * e1x - tx * e1z, qz = tx * e1y - ty * e1x; // t × e1
                    float invDet = 1 / det;
                    s1 = (tx * px + ty * py + tz * pz) * invDet;
                    s2 = (dx * qx + dy * qy + qz) * invDet;
                    // The centre is inside the snapped projection; rounding can put it a hair outside.
                    s1 = Math.max(0, s1);
                    s2 = Math.max(0, s2);
                    float sum = s1 + s2;
                    if (sum > 1) {
                        s1 /= sum;
                        s2 /= sum;
                    }
                } else {
                    s1 = 1f / 3;
                    s2 = 1f / 3;
                }
                float s0 = 1 - s1 - s2;

                // Face normal, and whether the face is seen from its back (then its normals are flipped).
                float fnx = e1y * e2z - e1z * e2y, fny = e1z * e2x - e1x * e2z, fnz = e1x * e2y - e1y * e2x;
                float side = fnx * v[a] + fny * v[a + 1] + fnz * v[a + 2] > 0 ? -1 : 1;
                float nx = side * (s0 * normals[a] + s1 * normals[b] + s2 * normals[c]);
                float ny = side * (s0 * normals[a + 1] + s1 * normals[b + 1] + s2 * normals[c + 1]);
                float nz = side * (s0 * normals[a + 2] + s1 * normals[b + 2] + s2 * normals[c + 2]);
                float len = (float) Math.sqrt(nx * nx + ny * ny + nz * nz);
                if (!(len > 1e-12f)) {
                    nx = side * fnx;
                    ny = side * fny;
                    nz = side * fnz;
                    len = (float) Math.sqrt(nx * nx + ny * ny + nz * nz);
                }
                float invLen = 1 / len;
                nx *= invLen;
                ny *= invLen;
                nz *= invLen;

                // V: from the surface point P = d·z towards the camera, -P / |P|.
                float vl = (float) (1 / Math.sqrt(dx * dx + dy * dy + 1));
                float vx = -dx * vl, vy = -dy * vl, vz = -vl;

                float diffuse = ambient;
                float spec = 0;
                for (int l = 0; l < lightCount; l++) {
                    float lx = lights[4 * l], ly = lights[4 * l + 1], lz = lights[4 * l + 2];
                    float intensity = lights[4 * l + 3];
                    float ndl = nx * lx + ny * ly + nz * lz;
                    if (ndl > 0) {
                        diffuse += intensity * ndl;
                        if (specular > 0) {
                            float hx = lx + vx, hy = ly + vy, hz = lz + vz;
                            float hl = (float) Math.sqrt(hx * hx + hy * hy + hz * hz);
                            float ndh = hl > 0 ? (nx * hx + ny * hy + nz * hz) / hl : 0;
                            if (ndh > 0) {
                                spec += intensity * specular * pow(ndh, shininess);
                            }
                        }
                    }
                }

                float r;
                float g;
                float bl;
                if (perFace) {
                    int col0 = colors[f];
                    r = (col0 >>> 16) & 0xFF;
                    g = (col0 >>> 8) & 0xFF;
                    bl = col0 & 0xFF;
                } else {
                    int ca = colors[i0], cb = colors[i1], cc = colors[i2];
                    r = s0 * ((ca >>> 16) & 0xFF) + s1 * ((cb >>> 16) & 0xFF) + s2 * ((cc >>> 16) & 0xFF);
                    g = s0 * ((ca >>> 8) & 0xFF) + s1 * ((cb >>> 8) & 0xFF) + s2 * ((cc >>> 8) & 0xFF);
                    bl = s0 * (ca & 0xFF) + s1 * (cb & 0xFF) + s2 * (cc & 0xFF);
                }
                float highlight = 255 * spec;
                r = r * diffuse + highlight;
                g = g * diffuse + highlight;
                bl = bl * diffuse + highlight;

                if (wireframe && onEdge(sx, sy, state, i0, i1, i2, col + 0.5, row + 0.5, halfWire)) {
                    rgb[idx] = wireframeColor;
                } else if (alpha >= 1) {
                    rgb[idx] = pack(r, g, bl);
                } else {
                    int under = rgb[idx];
                    float keep = 1 - alpha;
                    rgb[idx] = pack(alpha * clamp(r) + keep * ((under >>> 16) & 0xFF),
                            alpha * clamp(g) + keep * ((under >>> 8) & 0xFF), alpha * clamp(bl) + keep * (under & 0xFF));
                }
            }
        }
        return covered;
    }

    /**
     * Whether the pixel centre {@code (u, v)} lies within {@code halfWidth} pixels of an edge of the projected
     * face; false for faces crossing the near plane (their vertices have no projection).
     */
    private static boolean onEdge(long[] sx, long[] sy, byte[] state, int i0, int i1, int i2, double u, double w,
            float halfWidth) {
        if (state[i0] != PROJECTED || state[i1] != PROJECTED || state[i2] != PROJECTED) {
            return false;
        }
        double h = halfWidth * (double) ONE;
        double pu = u * ONE, pw = w * ONE;
        return edgeDistance(sx[i0], sy[i0], sx[i1], sy[i1], pu, pw) < h
                || edgeDistance(sx[i1], sy[i1], sx[i2], sy[i2], pu, pw) < h
                || edgeDistance(sx[i2], sy[i2], sx[i0], sy[i0], pu, pw) < h;
    }

    /** Distance from {@code (u, v)} to the line through a and b, in the units of the arguments. */
    private static double edgeDistance(double ax, double ay, double bx, double by, double u, double v) {
        double ex = bx - ax, ey = by - ay;
        double len = Math.sqrt(ex * ex + ey * ey);
        return len > 0 ? Math.abs(ex * (v - ay) - ey * (u - ax)) / len : 0;
    }

    /** {@code x^n} for integer n ≥ 1 by repeated squaring: Math.pow would cost more than the rest of a pixel. */
    private static float pow(float x, int n) {
        float result = 1;
        float base = x;
        int e = n;
        while (e > 0) {
            if ((e & 1) != 0) {
                result *= base;
            }
            base *= base;
            e >>= 1;
        }
        return result;
    }

    private static float clamp(float c) {
        return c < 0 ? 0 : Math.min(c, 255);
    }

    private static int pack(float r, float g, float b) {
        int ri = (int) (clamp(r) + 0.5f);
        int gi = (int) (clamp(g) + 0.5f);
        int bi = (int) (clamp(b) + 0.5f);
        return (ri << 16) | (gi << 8) | bi;
    }

    private static void putLight(float[] out, int off, float[] direction, float intensity) {
        double len = Math.sqrt(direction[0] * direction[0] + direction[1] * direction[1]
                + direction[2] * direction[2]);
        out[off] = (float) (direction[0] / len);
        out[off + 1] = (float) (direction[1] / len);
        out[off + 2] = (float) (direction[2] / len);
        out[off + 3] = intensity;
    }

    @Override
    public String toString() {
        return "MeshRenderer[" + settings + "]";
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * Pass 1 buffers: {@code 1/Z} of the nearest face per pixel (0 where none, i.e. infinitely far) and its
     * index (−1 where none).
     */
    static final class Raster {
        final int width;
        final int height;
        final float[] invZ;
        final int[] ids;

        Raster(int width, int height) {
            this.width = width;
            this.height = height;
            this.invZ = new float[width * height];
            this.ids = new int[width * height];
            Arrays.fill(ids, -1);
        }

        /**
         * Scans one projected triangle: pixel centres inside it (top-left rule on its edges) whose
         * {@code 1/Z} is larger than the stored one take its depth and id. Coordinates are fixed-point pixels
         * (1/256 px), within the guard band.
         *
         * @param x0  u of vertex 0
         * @param y0  v of vertex 0
         * @param aiz 1/Z of vertex 0
         * @param x1  u of vertex 1
         * @param y1  v of vertex 1
         * @param biz 1/Z of vertex 1
         * @param x2  u of vertex 2
         * @param y2  v of vertex 2
         * @param ciz 1/Z of vertex 2
         * @param id  the face index to store
         */
        void triangle(long x0, long y0, float aiz, long x1, long y1, float biz, long x2, long y2, float ciz, int id) {
            float iz0 = aiz, iz1 = biz, iz2 = ciz;
            long area = (x1 - x0) * (y2 - y0) - (y1 - y0) * (x2 - x0);
            if (area == 0) {
                return;
            }
            if (area < 0) {
                // Make the area positive (clockwise on screen, as v points down) by swapping b and c.
                long t = x1;
                x1 = x2;
                x2 = t;
                t = y1;
                y1 = y2;
                y2 = t;
                float tz = iz1;
                iz1 = iz2;
                iz2 = tz;
                area = -area;
            }
            // Pixel (col, row) has its centre at fixed-point (col·ONE + HALF, row·ONE + HALF).
            long minX = Math.min(x0, Math.min(x1, x2)), maxX = Math.max(x0, Math.max(x1, x2));
            long minY = Math.min(y0, Math.min(y1, y2)), maxY = Math.max(y0, Math.max(y1, y2));
            int col0 = (int) Math.max(0, Math.floorDiv(minX - HALF + ONE - 1, ONE));
            int col1 = (int) Math.min(width - 1, Math.floorDiv(maxX - HALF, ONE));
            int row0 = (int) Math.max(0, Math.floorDiv(minY - HALF + ONE - 1, ONE));
            int row1 = (int) Math.min(height - 1, Math.floorDiv(maxY - HALF, ONE));
            if (col0 > col1 || row0 > row1) {
                return;
            }
            // Edge function of a→b at p: E = (bx − ax)(py − ay) − (by − ay)(px − ax); positive inside.
            // w0 uses edge 1→2, w1 edge 2→0, w2 edge 0→1 (each is the weight of the opposite vertex × area).
            long dx12 = x2 - x1, dy12 = y2 - y1;
            long dx20 = x0 - x2, dy20 = y0 - y2;
            long dx01 = x1 - x0, dy01 = y1 - y0;
            // Top-left rule: a centre exactly on an edge belongs to the face only for a top edge (horizontal,
            // face below it: dy = 0, dx > 0) or a left edge (dy < 0). Elsewhere require E > 0, i.e. E − 1 ≥ 0.
            long bias0 = topLeft(dx12, dy12) ? 0 : -1;
            long bias1 = topLeft(dx20, dy20) ? 0 : -1;
            long bias2 = topLeft(dx01, dy01) ? 0 : -1;
            long px = (long) col0 * ONE + HALF;
            long py = (long) row0 * ONE + HALF;
            long w0Row = dx12 * (py - y1) - dy12 * (px - x1);
            long w1Row = dx20 * (py - y2) - dy20 * (px - x2);
            long w2Row = dx01 * (py - y0) - dy01 * (px - x0);
            long w0StepX = -dy12 * ONE, w1StepX = -dy20 * ONE, w2StepX = -dy01 * ONE;
            long w0StepY = dx12 * ONE, w1StepY = dx20 * ONE, w2StepY = dx01 * ONE;
            // 1/Z = (w0·iz0 + w1·iz1 + w2·iz2) / area: affine in screen space, so it steps by a constant.
            double invArea = 1.0 / area;
            float izStepX = (float) ((w0StepX * (double) iz0 + w1StepX * (double) iz1 + w2StepX * (double) iz2)
                    * invArea);
            for (int row = row0; row <= row1; row++) {
                long w0 = w0Row + bias0, w1 = w1Row + bias1, w2 = w2Row + bias2;
                float iz = (float) ((w0Row * (double) iz0 + w1Row * (double) iz1 + w2Row * (double) iz2) * invArea);
                int idx = row * width + col0;
                for (int col = col0; col <= col1; col++) {
                    if ((w0 | w1 | w2) >= 0 && iz > invZ[idx]) {
                        invZ[idx] = iz;
                        ids[idx] = id;
                    }
                    w0 += w0StepX;
                    w1 += w1StepX;
                    w2 += w2StepX;
                    iz += izStepX;
                    idx++;
                }
                w0Row += w0StepY;
                w1Row += w1StepY;
                w2Row += w2StepY;
            }
        }

        private static boolean topLeft(long dx, long dy) {
            return dy < 0 || (dy == 0 && dx > 0);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * Settings for a {@link MeshRenderer}. Each setter checks its value at once; the builder can be reused and
     * {@link #build()} copies it. Directions are in the camera frame (X right, Y down, Z away from the camera)
     * and point from the surface towards the light; they need not be unit length.
     */
    public static final class Builder {
        private float ambient = 0.25f;
        private float[] key = {-1f, -1.5f, -2f};
        private float keyIntensity = 0.7f;
        private float[] fill = {1.5f, -0.3f, -1f};
        private float fillIntensity = 0.3f;
        private float specular = 0.2f;
        private int shininess = 24;
        private boolean cullBackFaces = true;
        private float near = 0.01f;
        private int background = 0x000000;
        private int wireframeColor = 0xFFFFFF;
        private float wireframeWidth = 1f;

        private Builder() {
        }

        private Builder copy() {
            Builder b = new Builder();
            b.ambient = ambient;
            b.key = key.clone();
            b.keyIntensity = keyIntensity;
            b.fill = fill.clone();
            b.fillIntensity = fillIntensity;
            b.specular = specular;
            b.shininess = shininess;
            b.cullBackFaces = cullBackFaces;
            b.near = near;
            b.background = background;
            b.wireframeColor = wireframeColor;
            b.wireframeWidth = wireframeWidth;
            return b;
        }

        /**
         * @param ambient light that reaches every surface, a multiple of the albedo, finite, &ge; 0 (default
         *                0.25)
         * @return this builder
         * @throws IllegalArgumentException if ambient is negative or not finite
         */
        public Builder ambient(float ambient) {
            this.ambient = nonNegative("ambient", ambient);
            return this;
        }

        /**
         * The main directional light (default: from the upper left front, {@code (−1, −1.5, −2)}, intensity
         * 0.7).
         *
         * @param x         direction towards the light, camera X (right)
         * @param y         camera Y (down)
         * @param z         camera Z (away from the camera; a light behind the camera has z &lt; 0)
         * @param intensity finite, &ge; 0
         * @return this builder
         * @throws IllegalArgumentException if the direction is zero or not finite, or the intensity is negative
         *                                  or not finite
         */
        public Builder light(float x, float y, float z, float intensity) {
            key = direction("light", x, y, z);
            keyIntensity = nonNegative("light intensity", intensity);
            return this;
        }

        /**
         * The second directional light (default: from the right front, {@code (1.5, −0.3, −1)}, intensity 0.3).
         * Intensity 0 turns it off.
         *
         * @param x         direction towards the light, camera X (right)
         * @param y         camera Y (down)
         * @param z         camera Z (away from the camera)
         * @param intensity finite, &ge; 0
         * @return this builder
         * @throws IllegalArgumentException if the direction is zero or not finite, or the intensity is negative
         *                                  or not finite
         */
        public Builder fillLight(float x, float y, float z, float intensity) {
            fill = direction("fillLight", x, y, z);
            fillIntensity = nonNegative("fillLight intensity", intensity);
            return this;
        }

        /**
         * Blinn-Phong highlights (default 0.2, shininess 24).
         *
         * @param strength  ks, finite, &ge; 0 (0 turns highlights off)
         * @param shininess the exponent, 1 to 1024
         * @return this builder
         * @throws IllegalArgumentException if a value is out of range
         */
        public Builder specular(float strength, int shininess) {
            float s = nonNegative("specular strength", strength);
            if (shininess < 1 || shininess > 1024) {
                throw new IllegalArgumentException("shininess: expected 1 to 1024, got " + shininess);
            }
            this.specular = s;
            this.shininess = shininess;
            return this;
        }

        /**
         * @param cull whether faces seen from behind (vertices clockwise as seen) are skipped (default true);
         *             with false, both sides are drawn and lit
         * @return this builder
         */
        public Builder cullBackFaces(boolean cull) {
            this.cullBackFaces = cull;
            return this;
        }

        /**
         * @param near the near plane, metres, finite, &gt; 0 (default 0.01): parts of faces with {@code Z < near}
         *             are clipped away
         * @return this builder
         * @throws IllegalArgumentException if near is not finite and positive
         */
        public Builder near(float near) {
            if (!(near > 0 && Float.isFinite(near))) {
                throw new IllegalArgumentException("near: expected a finite distance > 0 metres, got " + near);
            }
            this.near = near;
            return this;
        }

        /**
         * @param rgb the colour behind the mesh for {@link MeshRenderer#render(PinholeCamera, ColoredMesh)},
         *            {@code 0xRRGGBB} (default black; a top alpha byte is ignored)
         * @return this builder
         */
        public Builder background(int rgb) {
            this.background = rgb & 0xFFFFFF;
            return this;
        }

        /**
         * @param rgb   the colour of wireframe edges in {@link MeshRenderer#overlay}, {@code 0xRRGGBB} (default
         *              white; a top alpha byte is ignored)
         * @param width the line width, pixels, 0.5 to 16 (default 1)
         * @return this builder
         * @throws IllegalArgumentException if the width is out of range
         */
        public Builder wireframe(int rgb, float width) {
            if (!(width >= 0.5f && width <= 16)) {
                throw new IllegalArgumentException("wireframe width: expected 0.5 to 16 pixels, got " + width);
            }
            this.wireframeColor = rgb & 0xFFFFFF;
            this.wireframeWidth = width;
            return this;
        }

        /** @return a renderer with these settings */
        public MeshRenderer build() {
            return new MeshRenderer(this);
        }

        @Override
        public String toString() {
            return "ambient=" + ambient + ", light=" + Arrays.toString(key) + "×" + keyIntensity + ", fillLight="
                    + Arrays.toString(fill) + "×" + fillIntensity + ", specular=" + specular + "^" + shininess
                    + ", cullBackFaces=" + cullBackFaces + ", near=" + near + ", background="
                    + String.format("%06X", background) + ", wireframe=" + String.format("%06X", wireframeColor)
                    + "×" + wireframeWidth;
        }

        private static float nonNegative(String name, float value) {
            if (!(value >= 0 && Float.isFinite(value))) {
                throw new IllegalArgumentException(name + ": expected a finite value >= 0, got " + value);
            }
            return value;
        }

        private static float[] direction(String name, float x, float y, float z) {
            if (!(Float.isFinite(x) && Float.isFinite(y) && Float.isFinite(z)) || (x == 0 && y == 0 && z == 0)) {
                throw new IllegalArgumentException(
                        name + ": expected a finite non-zero direction, got (" + x + ", " + y + ", " + z + ")");
            }
            return new float[] {x, y, z};
        }
    }
}
