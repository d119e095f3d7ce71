package dev.smplr.hourglass;

import static dev.smplr.hourglass.TestMeshes.channel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.smplr.hourglass.TestMeshes.Mesh;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MeshRendererTest {
    private static final int SIZE = 256;
    private static final PinholeCamera CAMERA = new PinholeCamera(300, 300, 128, 128, SIZE, SIZE);
    private static final int GREY = 0xC8C8C8;

    // ---------------------------------------------------------------------------------------------- geometry

    @Test
    void render_sphereOnAxis_coversItsPerspectiveSilhouette() {
        double r = 0.5, z = 3;
        Mesh sphere = TestMeshes.icosphere(r, 0, 0, z, 4);
        RenderResult result = MeshRenderer.defaults().render(CAMERA, uniform(sphere));

        // The cone tangent to a sphere on the axis cuts the image plane in a circle of radius f·r/√(z² − r²).
        double radius = 300 * r / Math.sqrt(z * z - r * r);
        assertThat((double) result.coveredPixels()).isCloseTo(Math.PI * radius * radius,
                within(0.02 * Math.PI * radius * radius));
        double sumU = 0, sumV = 0;
        boolean[] mask = result.mask();
        for (int row = 0; row < SIZE; row++) {
            for (int col = 0; col < SIZE; col++) {
                double du = col + 0.5 - 128, dv = row + 0.5 - 128;
                double rho = Math.hypot(du, dv);
                boolean in = mask[row * SIZE + col];
                if (in) {
                    sumU += col + 0.5;
                    sumV += row + 0.5;
                }
                if (rho < radius - 1.5) {
                    assertThat(in).as("pixel (%d, %d) inside the disc", col, row).isTrue();
                } else if (rho > radius + 1.5) {
                    assertThat(in).as("pixel (%d, %d) outside the disc", col, row).isFalse();
                }
            }
        }
        assertThat(sumU / result.coveredPixels()).isCloseTo(128, within(0.3));
        assertThat(sumV / result.coveredPixels()).isCloseTo(128, within(0.3));
        // Through the principal point the nearest surface is at z − r.
        assertThat((double) result.depth()[128 * SIZE + 128]).isCloseTo(z - r, within(1e-3));
    }

    @Test
    void render_sphere_depthMatchesRayCast() {
        double r = 0.5, z = 3;
        Mesh sphere = TestMeshes.icosphere(r, 0.1, -0.05, z, 4);
        RenderResult result = MeshRenderer.defaults().render(CAMERA, uniform(sphere));
        float[] depth = result.depth();
        int centre = 128 * SIZE + 128;
        assertThat(depth[centre] > 0).isTrue();
        int checked = 0;
        for (int row = 0; row < SIZE; row++) {
            for (int col = 0; col < SIZE; col++) {
                double[] hit = raySphere(col, row, 0.1, -0.05, z, r);
                int idx = row * SIZE + col;
                if (hit == null) {
                    continue;
                }
                if (hit[1] > 0.5 * r) { // facing the camera within 60°: not grazing
                    assertThat((double) depth[idx]).as("depth at (%d, %d)", col, row).isCloseTo(hit[0],
                            within(2e-3));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(3000);
        assertThat(result.depth()[0]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(result.faceIds()[0]).isEqualTo(-1);
    }

    @Test
    void render_reversedWinding_showsTheFarSideFromInside() {
        double r = 0.5, z = 3;
        Mesh sphere = TestMeshes.icosphere(r, 0, 0, z, 3).reversed();
        RenderResult culled = MeshRenderer.defaults().render(CAMERA, uniform(sphere));
        // The near half now faces away and is culled; the inside of the far half faces the camera.
        assertThat((double) culled.depth()[128 * SIZE + 128]).isCloseTo(z + r, within(3e-3));

        RenderResult both = MeshRenderer.builder().cullBackFaces(false).build().render(CAMERA, uniform(sphere));
        assertThat((double) both.depth()[128 * SIZE + 128]).isCloseTo(z - r, within(3e-3));
    }

    @Test
    void render_triangleCounterClockwiseOnScreen_isVisible() {
        // On screen (u right, v down): v0 at the centre, v1 to its right, v2 above it; counter-clockwise as a
        // viewer sees the picture, i.e. the triangle is seen from its front.
        float[] v = {0, 0, 2, 0.5f, 0, 2, 0, -0.5f, 2};
        RenderResult front = MeshRenderer.defaults().render(CAMERA, ColoredMesh.uniform(v, new int[] {0, 1, 2},
                GREY));
        assertThat(front.coveredPixels()).isGreaterThan(1000);

        RenderResult back = MeshRenderer.defaults().render(CAMERA, ColoredMesh.uniform(v, new int[] {0, 2, 1},
                GREY));
        assertThat(back.coveredPixels()).isZero();

        RenderResult unculled = MeshRenderer.builder().cullBackFaces(false).build()
                .render(CAMERA, ColoredMesh.uniform(v, new int[] {0, 2, 1}, GREY));
        assertThat(unculled.mask()).isEqualTo(front.mask());
        // Lit as seen from the camera: both sides get the same light.
        assertThat(unculled.image().getRGB(140, 120)).isEqualTo(front.image().getRGB(140, 120));
    }

    @Test
    void render_triangle_maskIsThePixelCentresInsideItsProjection() {
        float[] v = {-0.7f, -0.4f, 2.5f, 0.6f, 0.3f, 1.8f, -0.2f, 0.5f, 3.1f};
        int[] faces = {0, 1, 2};
        RenderResult result = MeshRenderer.builder().cullBackFaces(false).build()
                .render(CAMERA, ColoredMesh.uniform(v, faces, GREY));
        float[] uv = CAMERA.project(v);
        int mismatches = 0;
        for (int row = 0; row < SIZE; row++) {
            for (int col = 0; col < SIZE; col++) {
                double margin = insideMargin(uv, col + 0.5, row + 0.5);
                boolean in = result.mask()[row * SIZE + col];
                if (Math.abs(margin) > 0.01) {
                    if (in != margin > 0) {
                        mismatches++;
                    }
                }
            }
        }
        assertThat(mismatches).isZero();
        // Each projected vertex is at a corner of the mask: a covered pixel centre lies within 2.5 px of it (the
        // corners are acute, so the nearest centre inside can be more than a pixel away), and the mask's extent
        // matches the vertices' to within two pixels.
        int minCol = SIZE, maxCol = -1, minRow = SIZE, maxRow = -1;
        for (int idx = 0; idx < SIZE * SIZE; idx++) {
            if (result.mask()[idx]) {
                minCol = Math.min(minCol, idx % SIZE);
                maxCol = Math.max(maxCol, idx % SIZE);
                minRow = Math.min(minRow, idx / SIZE);
                maxRow = Math.max(maxRow, idx / SIZE);
            }
        }
        for (int k = 0; k < 3; k++) {
            assertThat(nearestCovered(result.mask(), uv[2 * k], uv[2 * k + 1])).isLessThan(2.5);
        }
        assertThat(minCol + 0.5).isCloseTo(Math.min(uv[0], Math.min(uv[2], uv[4])), within(2.0));
        assertThat(maxCol + 0.5).isCloseTo(Math.max(uv[0], Math.max(uv[2], uv[4])), within(2.0));
        assertThat(minRow + 0.5).isCloseTo(Math.min(uv[1], Math.min(uv[3], uv[5])), within(2.0));
        assertThat(maxRow + 0.5).isCloseTo(Math.max(uv[1], Math.max(uv[3], uv[5])), within(1.0));
    }

    @Test
    void render_overlappingTriangles_nearerWinsInEitherOrder() {
        // Two large screen-facing triangles over the same pixels, at Z = 2 (red) and Z = 3 (blue).
        float[] v = {-1, 1, 2, 1, 1, 2, 0, -1, 2, -1.5f, 1.5f, 3, 1.5f, 1.5f, 3, 0, -1.5f, 3};
        int[] nearFirst = {0, 2, 1, 3, 5, 4};
        int[] farFirst = {3, 5, 4, 0, 2, 1};
        MeshRenderer renderer = MeshRenderer.builder().cullBackFaces(false).specular(0, 1).build();
        for (int[] faces : List.of(nearFirst, farFirst)) {
            int nearFace = faces[0] == 0 ? 0 : 1;
            int[] colors = nearFace == 0 ? new int[] {0xFF0000, 0x0000FF} : new int[] {0x0000FF, 0xFF0000};
            RenderResult result = renderer.render(CAMERA, ColoredMesh.perFace(v, faces, colors));
            int idx = 128 * SIZE + 128;
            assertThat(result.faceIds()[idx]).isEqualTo(nearFace);
            assertThat((double) result.depth()[idx]).isCloseTo(2, within(1e-5));
            int rgb = result.image().getRGB(128, 128) & 0xFFFFFF;
            assertThat(channel(rgb, 0)).isGreaterThan(0);
            assertThat(channel(rgb, 2)).isZero();
        }
    }

    @Test
    void render_sharedEdgesThroughPixelCentres_coverEachCentreOnce() {
        // A square in the plane Z = 1 with f = 300: its corners project to pixel centres (10.5, 10.5) and
        // (20.5, 20.5), and its diagonal runs through pixel centres.
        float lo = (10.5f - 128) / 300, hi = (20.5f - 128) / 300;
        float[] v = {lo, lo, 1, hi, lo, 1, hi, hi, 1, lo, hi, 1};
        int[] faces = {0, 3, 2, 0, 2, 1};
        MeshRenderer renderer = MeshRenderer.builder().cullBackFaces(false).build();
        RenderResult both = renderer.render(CAMERA, ColoredMesh.uniform(v, faces, GREY));
        RenderResult first = renderer.render(CAMERA, ColoredMesh.uniform(v, Arrays.copyOf(faces, 3), GREY));
        RenderResult second = renderer.render(CAMERA, ColoredMesh.uniform(v, Arrays.copyOfRange(faces, 3, 6),
                GREY));
        // Top-left rule: left and top edges in, right and bottom edges out -> columns and rows 10..19.
        assertThat(both.coveredPixels()).isEqualTo(100);
        for (int row = 0; row < SIZE; row++) {
            for (int col = 0; col < SIZE; col++) {
                int idx = row * SIZE + col;
                boolean expected = col >= 10 && col < 20 && row >= 10 && row < 20;
                assertThat(both.mask()[idx]).as("(%d, %d)", col, row).isEqualTo(expected);
                assertThat(first.mask()[idx] && second.mask()[idx]).as("(%d, %d) twice", col, row).isFalse();
            }
        }
        assertThat(first.coveredPixels() + second.coveredPixels()).isEqualTo(100);
    }

    @Test
    void render_jitteredGrid_hasNoHolesAndNoDoubleCoverage() {
        // An 8×8 grid of quads facing the camera, interior vertices jittered, so edges run in every direction.
        int n = 8;
        SplittableRandom rng = new SplittableRandom(7);
        float[] v = new float[3 * (n + 1) * (n + 1)];
        for (int j = 0; j <= n; j++) {
            for (int i = 0; i <= n; i++) {
                double x = -0.5 + (double) i / n, y = -0.5 + (double) j / n;
                if (i > 0 && i < n && j > 0 && j < n) {
                    x += (rng.nextDouble() - 0.5) * 0.5 / n;
                    y += (rng.nextDouble() - 0.5) * 0.5 / n;
                }
                int k = j * (n + 1) + i;
                v[3 * k] = (float) x;
                v[3 * k + 1] = (float) y;
                v[3 * k + 2] = (float) (2 + 0.3 * x); // tilted, so 1/Z varies across the plane
            }
        }
        int[] faces = new int[6 * n * n];
        int f = 0;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                int a = j * (n + 1) + i, b = a + 1, c = a + n + 1, d = c + 1;
                faces[f++] = a;
                faces[f++] = c;
                faces[f++] = b;
                faces[f++] = b;
                faces[f++] = c;
                faces[f++] = d;
            }
        }
        MeshRenderer renderer = MeshRenderer.defaults();
        RenderResult whole = renderer.render(CAMERA, ColoredMesh.uniform(v, faces, GREY));
        int sum = 0;
        for (int k = 0; k < faces.length; k += 3) {
            sum += renderer.render(CAMERA, ColoredMesh.uniform(v, Arrays.copyOfRange(faces, k, k + 3), GREY))
                    .coveredPixels();
        }
        assertThat(sum).as("pixels covered by faces one at a time").isEqualTo(whole.coveredPixels());
        // No holes: every pixel centre well inside the outer boundary is covered.
        float[] corners = CAMERA.project(new float[] {v[0], v[1], v[2], v[3 * n], v[3 * n + 1], v[3 * n + 2],
                v[3 * (n * (n + 1) + n)], v[3 * (n * (n + 1) + n) + 1], v[3 * (n * (n + 1) + n) + 2],
                v[3 * n * (n + 1)], v[3 * n * (n + 1) + 1], v[3 * n * (n + 1) + 2]});
        float[] t1 = {corners[0], corners[1], corners[2], corners[3], corners[4], corners[5]};
        float[] t2 = {corners[0], corners[1], corners[4], corners[5], corners[6], corners[7]};
        for (int row = 0; row < SIZE; row++) {
            for (int col = 0; col < SIZE; col++) {
                double m = Math.max(insideMargin(t1, col + 0.5, row + 0.5), insideMargin(t2, col + 0.5, row + 0.5));
                if (m > 0.01) {
                    assertThat(whole.mask()[row * SIZE + col]).as("(%d, %d)", col, row).isTrue();
                } else if (m < -0.01) {
                    assertThat(whole.mask()[row * SIZE + col]).as("(%d, %d)", col, row).isFalse();
                }
            }
        }
    }

    @Test
    void render_tiltedTriangleCrossingNearPlane_matchesRayCastDepth() {
        // A steep floor-like triangle: one vertex behind the camera, so it is clipped at the near plane.
        float[] v = {-3, 0.8f, -1, 3, 0.8f, -1, 0, 0.8f, 12};
        int[] faces = {0, 1, 2};
        float near = 0.5f;
        RenderResult result = MeshRenderer.builder().cullBackFaces(false).near(near).build()
                .render(CAMERA, ColoredMesh.uniform(v, faces, GREY));
        double[] a = {v[0], v[1], v[2]}, b = {v[3], v[4], v[5]}, c = {v[6], v[7], v[8]};
        int covered = 0, mismatches = 0, inReference = 0;
        for (int row = 0; row < SIZE; row++) {
            for (int col = 0; col < SIZE; col++) {
                int idx = row * SIZE + col;
                double[] d = {(col + 0.5 - 128) / 300, (row + 0.5 - 128) / 300, 1};
                double[] hit = rayTriangle(d, a, b, c);
                boolean ref = hit != null && hit[0] >= near;
                if (ref) {
                    inReference++;
                }
                if (ref != result.mask()[idx]) {
                    mismatches++;
                } else if (ref) {
                    covered++;
                    // Perspective-correct: 1/Z interpolated in screen space equals the ray-cast depth.
                    assertThat((double) result.depth()[idx]).as("depth (%d, %d)", col, row)
                            .isCloseTo(hit[0], within(1e-4 * hit[0]));
                }
            }
        }
        assertThat(inReference).isGreaterThan(5000);
        // Only pixel centres within rounding of an edge may differ.
        assertThat(mismatches).isLessThan(inReference / 200);
        assertThat(covered).isGreaterThan(5000);
        for (int idx = 0; idx < SIZE * SIZE; idx++) {
            if (result.mask()[idx]) {
                assertThat(result.depth()[idx]).isGreaterThanOrEqualTo(near * 0.999f);
            }
        }
    }

    @Test
    void render_meshBehindCamera_coversNothing() {
        Mesh sphere = TestMeshes.icosphere(0.5, 0, 0, -3, 2);
        RenderResult result = MeshRenderer.defaults().render(CAMERA, uniform(sphere));
        assertThat(result.coveredPixels()).isZero();
        assertThat(result.image().getRGB(128, 128) & 0xFFFFFF).isZero();
    }

    // ---------------------------------------------------------------------------------------------- shading

    @Test
    void render_lambertOnly_matchesCosineOfTheExactNormal() {
        double r = 0.5, z = 3;
        Mesh sphere = TestMeshes.icosphere(r, 0, 0, z, 4);
        // A light towards the upper right, seen from the camera: L = normalize(1, −1, −2).
        MeshRenderer renderer = MeshRenderer.builder().ambient(0.1f).light(1, -1, -2, 0.9f).fillLight(0, 0, -1, 0)
                .specular(0, 1).build();
        int albedo = 0xC89664;
        RenderResult result = renderer.render(CAMERA, ColoredMesh.uniform(sphere.vertices(), sphere.faces(),
                albedo));
        double ln = Math.sqrt(6);
        double[] light = {1 / ln, -1 / ln, -2 / ln};
        int checked = 0;
        for (int row = 0; row < SIZE; row++) {
            for (int col = 0; col < SIZE; col++) {
                double[] hit = raySphere(col, row, 0, 0, z, r);
                if (hit == null || hit[1] < 0.3 * r) {
                    continue;
                }
                double[] d = {(col + 0.5 - 128) / 300, (row + 0.5 - 128) / 300, 1};
                double[] n = {(d[0] * hit[0]) / r, (d[1] * hit[0]) / r, (d[2] * hit[0] - z) / r};
                double lambert = 0.1 + 0.9 * Math.max(0, n[0] * light[0] + n[1] * light[1] + n[2] * light[2]);
                int rgb = result.image().getRGB(col, row);
                for (int ch = 0; ch < 3; ch++) {
                    double expected = Math.min(255, channel(albedo, ch) * lambert);
                    assertThat((double) channel(rgb, ch)).as("(%d, %d) channel %d", col, row, ch)
                            .isCloseTo(expected, within(4.0));
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(3000);
    }

    @Test
    void render_defaultLights_litFromTheUpperFront() {
        Mesh sphere = TestMeshes.icosphere(0.5, 0, 0, 3, 4);
        RenderResult result = MeshRenderer.defaults().render(CAMERA, uniform(sphere));
        double top = 0, bottom = 0;
        for (int col = 108; col < 148; col++) {
            top += channel(result.image().getRGB(col, 100), 1);
            bottom += channel(result.image().getRGB(col, 156), 1);
        }
        assertThat(top).isGreaterThan(1.3 * bottom);
        // The rim facing away from both lights is the darkest part, but ambient keeps it above black.
        assertThat(channel(result.image().getRGB(128, 176), 1)).isGreaterThan(0);
    }

    @Test
    void render_specular_addsAWhiteHighlight() {
        Mesh sphere = TestMeshes.icosphere(0.5, 0, 0, 3, 4);
        ColoredMesh red = ColoredMesh.uniform(sphere.vertices(), sphere.faces(), 0xC00000);
        // Light from the camera: the highlight sits where the normal points at the camera, near the centre.
        MeshRenderer matte = MeshRenderer.builder().light(0, 0, -1, 0.8f).fillLight(0, 0, -1, 0).specular(0, 16)
                .build();
        MeshRenderer shiny = matte.toBuilder().specular(0.5f, 16).build();
        int m = matte.render(CAMERA, red).image().getRGB(128, 128);
        int s = shiny.render(CAMERA, red).image().getRGB(128, 128);
        assertThat(channel(m, 1)).isZero();
        assertThat(channel(s, 1)).isGreaterThan(100); // white added to green and blue
        assertThat(channel(s, 2)).isEqualTo(channel(s, 1));
    }

    @Test
    void render_perVertexColors_areInterpolatedAcrossFaces() {
        Mesh sphere = TestMeshes.icosphere(0.5, 0, 0, 3, 3);
        int[] colors = new int[sphere.vertexCount()];
        for (int i = 0; i < colors.length; i++) {
            colors[i] = sphere.vertices()[3 * i + 1] < 0 ? 0xFF0000 : 0x0000FF; // top (Y < 0) red
        }
        int[] faceColors = new int[sphere.faceCount()];
        for (int f = 0; f < faceColors.length; f++) {
            faceColors[f] = colors[sphere.faces()[3 * f]];
        }
        MeshRenderer renderer = MeshRenderer.builder().specular(0, 1).build();
        double smoothJump = largestRedFractionJump(renderer.render(CAMERA,
                ColoredMesh.perVertex(sphere.vertices(), sphere.faces(), colors)).image());
        double flatJump = largestRedFractionJump(renderer.render(CAMERA,
                ColoredMesh.perFace(sphere.vertices(), sphere.faces(), faceColors)).image());
        // Interpolated, red fades into blue over a face (about 8 px here); flat, it switches from one pixel to
        // the next.
        assertThat(smoothJump).isLessThan(0.4);
        assertThat(flatJump).isGreaterThan(0.9);
    }

    /** Down the middle column: red / (red + blue) near the top and bottom, and its largest step between rows. */
    private static double largestRedFractionJump(BufferedImage image) {
        double previous = Double.NaN;
        double largest = 0;
        double first = Double.NaN;
        double last = Double.NaN;
        for (int row = 88; row <= 168; row++) {
            int rgb = image.getRGB(128, row);
            double fraction = channel(rgb, 0) / (double) (channel(rgb, 0) + channel(rgb, 2));
            if (!Double.isNaN(previous)) {
                largest = Math.max(largest, Math.abs(fraction - previous));
            } else {
                first = fraction;
            }
            previous = fraction;
            last = fraction;
        }
        assertThat(first).as("top is red").isGreaterThan(0.95);
        assertThat(last).as("bottom is blue").isLessThan(0.05);
        return largest;
    }

    // ---------------------------------------------------------------------------------------------- compositing

    @Test
    void render_overBackground_keepsBackgroundOutsideMask() {
        BufferedImage background = Backgrounds.random(SIZE, SIZE, new SplittableRandom(3));
        int[] before = ImageTensors.rgb(background);
        Mesh sphere = TestMeshes.icosphere(0.5, 0.2, 0, 3, 3);
        RenderResult over = MeshRenderer.defaults().render(CAMERA, uniform(sphere), background);
        RenderResult plain = MeshRenderer.defaults().render(CAMERA, uniform(sphere));
        int[] after = ImageTensors.rgb(over.image());
        int[] alone = ImageTensors.rgb(plain.image());
        for (int i = 0; i < after.length; i++) {
            assertThat(after[i]).isEqualTo(over.mask()[i] ? alone[i] : before[i]);
        }
        assertThat(ImageTensors.rgb(background)).as("background not modified").isEqualTo(before);
    }

    @Test
    void overlay_halfAlpha_blendsMeshAndPhoto() {
        BufferedImage photo = Backgrounds.random(SIZE, SIZE, new SplittableRandom(5));
        int[] p = ImageTensors.rgb(photo);
        Mesh sphere = TestMeshes.icosphere(0.5, 0, 0, 3, 3);
        MeshRenderer renderer = MeshRenderer.defaults();
        int[] alone = ImageTensors.rgb(renderer.render(CAMERA, uniform(sphere)).image());
        RenderResult over = renderer.overlay(CAMERA, uniform(sphere), photo, 0.5f, false);
        int[] o = ImageTensors.rgb(over.image());
        for (int i = 0; i < o.length; i++) {
            for (int ch = 0; ch < 3; ch++) {
                double expected = over.mask()[i] ? 0.5 * channel(alone[i], ch) + 0.5 * channel(p[i], ch)
                        : channel(p[i], ch);
                assertThat((double) channel(o[i], ch)).isCloseTo(expected, within(1.0));
            }
        }
    }

    @Test
    void overlay_wireframe_drawsVisibleEdgesOnly() {
        Mesh sphere = TestMeshes.icosphere(0.5, 0, 0, 3, 1); // big faces, few edges
        MeshRenderer renderer = MeshRenderer.builder().wireframe(0x00FF00, 1).build();
        BufferedImage photo = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        RenderResult result = renderer.overlay(CAMERA, uniform(sphere), photo, 1f, true);
        int[] o = ImageTensors.rgb(result.image());
        int wire = 0;
        for (int i = 0; i < o.length; i++) {
            if (o[i] == 0x00FF00) {
                wire++;
                assertThat(result.mask()[i]).isTrue();
            }
        }
        assertThat(wire).isBetween(200, result.coveredPixels() / 2);
        // Without the wireframe the same overlay has no wire-coloured pixel.
        int[] plain = ImageTensors.rgb(renderer.overlay(CAMERA, uniform(sphere), photo, 1f, false).image());
        assertThat(Arrays.stream(plain).filter(c -> c == 0x00FF00).count()).isZero();
    }

    // ---------------------------------------------------------------------------------------------- contracts

    @Test
    void render_sameInput_sameOutputAcrossThreads() throws Exception {
        Mesh sphere = TestMeshes.icosphere(0.5, 0.1, 0.1, 3, 3);
        MeshRenderer renderer = MeshRenderer.defaults();
        int[] reference = ImageTensors.rgb(renderer.render(CAMERA, uniform(sphere)).image());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[]>> futures = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                futures.add(pool.submit(() -> ImageTensors.rgb(renderer.render(CAMERA, uniform(sphere)).image())));
            }
            for (Future<int[]> fu : futures) {
                assertThat(fu.get()).isEqualTo(reference);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void render_badArguments_throw() {
        Mesh sphere = TestMeshes.icosphere(0.5, 0, 0, 3, 1);
        MeshRenderer renderer = MeshRenderer.defaults();
        assertThatThrownBy(() -> renderer.render(null, uniform(sphere))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("camera");
        assertThatThrownBy(() -> renderer.render(CAMERA, uniform(sphere), new BufferedImage(10, 20,
                BufferedImage.TYPE_INT_RGB))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("background: expected the camera's size 256×256, got 10×20");
        BufferedImage photo = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        assertThatThrownBy(() -> renderer.overlay(CAMERA, uniform(sphere), photo, 1.5f, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha").hasMessageContaining("1.5");
    }

    @Test
    void builder_badValues_throwNamingTheSetting() {
        MeshRenderer.Builder b = MeshRenderer.builder();
        assertThatThrownBy(() -> b.ambient(-1)).hasMessageContaining("ambient").hasMessageContaining("-1");
        assertThatThrownBy(() -> b.light(0, 0, 0, 1)).hasMessageContaining("light");
        assertThatThrownBy(() -> b.fillLight(1, Float.NaN, 0, 1)).hasMessageContaining("fillLight");
        assertThatThrownBy(() -> b.specular(0.2f, 0)).hasMessageContaining("shininess");
        assertThatThrownBy(() -> b.near(0)).hasMessageContaining("near");
        assertThatThrownBy(() -> b.wireframe(0, 0.1f)).hasMessageContaining("wireframe width");
    }

    @Test
    void toBuilder_makesAnEqualRendererThatCanBeChanged() {
        MeshRenderer a = MeshRenderer.builder().ambient(0.4f).background(0x102030).build();
        MeshRenderer b = a.toBuilder().build();
        assertThat(b.toString()).isEqualTo(a.toString());
        Mesh sphere = TestMeshes.icosphere(0.5, 0, 0, 3, 2);
        assertThat(ImageTensors.rgb(b.render(CAMERA, uniform(sphere)).image()))
                .isEqualTo(ImageTensors.rgb(a.render(CAMERA, uniform(sphere)).image()));
        assertThat(b.render(CAMERA, uniform(sphere)).image().getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x102030);
        assertThat(a.toBuilder().cullBackFaces(false).build().toString()).contains("cullBackFaces=false");
    }

    @Test
    void vertexNormals_sphere_pointOutwardAndAreUnit() {
        Mesh sphere = TestMeshes.icosphere(0.5, 1, 2, 3, 2);
        float[] n = MeshRenderer.vertexNormals(sphere.vertices(), sphere.faces());
        float[] v = sphere.vertices();
        for (int i = 0; i < sphere.vertexCount(); i++) {
            double rx = (v[3 * i] - 1) / 0.5, ry = (v[3 * i + 1] - 2) / 0.5, rz = (v[3 * i + 2] - 3) / 0.5;
            assertThat(n[3 * i] * rx + n[3 * i + 1] * ry + n[3 * i + 2] * rz).isGreaterThan(0.99);
            assertThat(Math.sqrt(n[3 * i] * n[3 * i] + n[3 * i + 1] * n[3 * i + 1] + n[3 * i + 2] * n[3 * i + 2]))
                    .isCloseTo(1, within(1e-5));
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static ColoredMesh uniform(Mesh mesh) {
        return ColoredMesh.uniform(mesh.vertices(), mesh.faces(), GREY);
    }

    /**
     * The nearest intersection of the ray through pixel centre (col, row) with a sphere, in double: {depth Z,
     * r · cos(angle between the normal and the direction to the camera)}, or null if it misses.
     */
    private static double[] raySphere(int col, int row, double cx, double cy, double cz, double r) {
        double dx = (col + 0.5 - 128) / 300, dy = (row + 0.5 - 128) / 300, dz = 1;
        // |t·d − c|² = r²: a t² − 2 b t + c0 = 0
        double a = dx * dx + dy * dy + dz * dz;
        double b = dx * cx + dy * cy + dz * cz;
        double c0 = cx * cx + cy * cy + cz * cz - r * r;
        double disc = b * b - a * c0;
        if (disc < 0) {
            return null;
        }
        double t = (b - Math.sqrt(disc)) / a;
        double nz = (t * dz - cz) / r;
        double ndotv = -(dx * (t * dx - cx) + dy * (t * dy - cy) + dz * nz * r) / Math.sqrt(a) / r;
        return new double[] {t * dz, ndotv * r};
    }

    /** Ray from the origin along d against triangle abc: {Z of the hit} or null. */
    private static double[] rayTriangle(double[] d, double[] a, double[] b, double[] c) {
        double[] e1 = TestMeshes.sub(b, a), e2 = TestMeshes.sub(c, a);
        double[] n = TestMeshes.cross(e1, e2);
        double denom = n[0] * d[0] + n[1] * d[1] + n[2] * d[2];
        if (Math.abs(denom) < 1e-15) {
            return null;
        }
        double t = (n[0] * a[0] + n[1] * a[1] + n[2] * a[2]) / denom;
        if (t <= 0) {
            return null;
        }
        double[] p = {t * d[0], t * d[1], t * d[2]};
        for (double[][] e : new double[][][] {{a, b}, {b, c}, {c, a}}) {
            double[] s = TestMeshes.cross(TestMeshes.sub(e[1], e[0]), TestMeshes.sub(p, e[0]));
            if (s[0] * n[0] + s[1] * n[1] + s[2] * n[2] < 0) {
                return null;
            }
        }
        return new double[] {p[2]};
    }

    /** Signed distance in pixels from (u, v) to the nearest edge of the triangle uv (3, 2): positive inside. */
    private static double insideMargin(float[] uv, double u, double v) {
        double area = (uv[2] - uv[0]) * (uv[5] - uv[1]) - (uv[3] - uv[1]) * (uv[4] - uv[0]);
        double sign = Math.signum(area);
        double m = Double.POSITIVE_INFINITY;
        for (int k = 0; k < 3; k++) {
            double ax = uv[2 * k], ay = uv[2 * k + 1], bx = uv[2 * ((k + 1) % 3)], by = uv[2 * ((k + 1) % 3) + 1];
            double e = ((bx - ax) * (v - ay) - (by - ay) * (u - ax)) * sign / Math.hypot(bx - ax, by - ay);
            m = Math.min(m, e);
        }
        return m;
    }

    private static double nearestCovered(boolean[] mask, double u, double v) {
        double best = Double.POSITIVE_INFINITY;
        for (int row = 0; row < SIZE; row++) {
            for (int col = 0; col < SIZE; col++) {
                if (mask[row * SIZE + col]) {
                    best = Math.min(best, Math.hypot(col + 0.5 - u, row + 0.5 - v));
                }
            }
        }
        return best;
    }
}
