package dev.smplr.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import de.javagl.jgltf.model.AccessorByteData;
import de.javagl.jgltf.model.AccessorFloatData;
import de.javagl.jgltf.model.AccessorIntData;
import de.javagl.jgltf.model.AccessorModel;
import de.javagl.jgltf.model.GltfModel;
import de.javagl.jgltf.model.MeshPrimitiveModel;
import de.javagl.jgltf.model.NodeModel;
import de.javagl.jgltf.model.SkinModel;
import de.javagl.jgltf.model.io.GltfModelReader;
import dev.smplr.core.KinematicTree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshWriterTest {

    @TempDir
    Path dir;

    /** The regular octahedron (vertices ±e_k), faces counter-clockwise seen from outside. */
    static final float[] OCTA_V = {1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1};
    static final int[] OCTA_F = {
        0, 2, 4, 2, 1, 4, 1, 3, 4, 3, 0, 4,
        2, 0, 5, 1, 2, 5, 3, 1, 5, 0, 3, 5};

    /** A random closed-ish mesh: a jittered grid surface with random triangles, deterministic. */
    static Mesh randomMesh(long seed, int v, int f) {
        Random r = new Random(seed);
        float[] verts = new float[3 * v];
        for (int i = 0; i < verts.length; i++) {
            verts[i] = (float) (r.nextGaussian() * 0.5);
        }
        int[] faces = new int[3 * f];
        for (int i = 0; i < f; i++) {
            int a = r.nextInt(v);
            int b = (a + 1 + r.nextInt(v - 1)) % v;
            int c;
            do {
                c = r.nextInt(v);
            } while (c == a || c == b);
            faces[3 * i] = a;
            faces[3 * i + 1] = b;
            faces[3 * i + 2] = c;
        }
        return new Mesh(verts, faces);
    }

    // ---- vertexNormals ----

    @Test
    void vertexNormals_octahedron_pointAlongVertexDirection() {
        float[] n = MeshWriter.vertexNormals(OCTA_V, OCTA_F);
        // by symmetry the four faces around +e_k sum to a multiple of e_k
        for (int i = 0; i < n.length; i++) {
            assertThat(n[i]).as("n[%d]", i).isCloseTo(OCTA_V[i], within(1e-7f));
        }
    }

    @Test
    void vertexNormals_flippedWinding_pointInward() {
        int[] flipped = OCTA_F.clone();
        for (int f = 0; f < flipped.length; f += 3) {
            int t = flipped[f + 1];
            flipped[f + 1] = flipped[f + 2];
            flipped[f + 2] = t;
        }
        float[] n = MeshWriter.vertexNormals(OCTA_V, flipped);
        for (int i = 0; i < n.length; i++) {
            assertThat(n[i]).isCloseTo(-OCTA_V[i], within(1e-7f));
        }
    }

    @Test
    void vertexNormals_twoTrianglesOfDifferentArea_weightByArea() {
        // vertex 0 at the origin; triangle A in the xy plane (area 2, normal +z), triangle B in the
        // xz plane... oriented so its normal is +y (area 0.5). Weighted sum: 2*(0,0,1) + 0.5*(0,1,0).
        float[] v = {0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 1, 1, 0, 0};
        int[] f = {0, 1, 2, 0, 3, 4};
        float[] n = MeshWriter.vertexNormals(v, f);
        double len = Math.hypot(2, 0.5);
        assertThat(n[0]).isCloseTo(0f, within(1e-7f));
        assertThat(n[1]).isCloseTo((float) (0.5 / len), within(1e-7f));
        assertThat(n[2]).isCloseTo((float) (2 / len), within(1e-7f));
        // vertex 1 is only on triangle A
        assertThat(Arrays.copyOfRange(n, 3, 6)).containsExactly(0f, 0f, 1f);
    }

    @Test
    void vertexNormals_unusedOrDegenerate_isZero() {
        float[] v = {0, 0, 0, 1, 0, 0, 2, 0, 0, 5, 5, 5};
        int[] f = {0, 1, 2}; // collinear: zero area; vertex 3 unused
        assertThat(MeshWriter.vertexNormals(v, f)).containsOnly(0f);
    }

    @Test
    void vertexNormals_randomMesh_matchFloat64Reference() {
        Mesh m = randomMesh(7, 200, 600);
        float[] n = MeshWriter.vertexNormals(m.vertices(), m.faces());
        double[] ref = referenceNormals(m.vertices(), m.faces());
        for (int i = 0; i < n.length; i++) {
            assertThat((double) n[i]).as("n[%d]", i).isCloseTo(ref[i], within(2e-6));
        }
    }

    /** Unit face normal times area, summed per vertex, normalised: the same sum written another way. */
    static double[] referenceNormals(float[] v, int[] faces) {
        double[] acc = new double[v.length];
        for (int f = 0; f < faces.length; f += 3) {
            double[][] p = new double[3][3];
            for (int k = 0; k < 3; k++) {
                for (int c = 0; c < 3; c++) {
                    p[k][c] = v[3 * faces[f + k] + c];
                }
            }
            double[] u = {p[1][0] - p[0][0], p[1][1] - p[0][1], p[1][2] - p[0][2]};
            double[] w = {p[2][0] - p[0][0], p[2][1] - p[0][1], p[2][2] - p[0][2]};
            double[] cr = {u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]};
            double norm = Math.sqrt(cr[0] * cr[0] + cr[1] * cr[1] + cr[2] * cr[2]);
            if (norm == 0) {
                continue;
            }
            double area = norm / 2;
            for (int k = 0; k < 3; k++) {
                for (int c = 0; c < 3; c++) {
                    acc[3 * faces[f + k] + c] += area * cr[c] / norm;
                }
            }
        }
        for (int i = 0; i < acc.length; i += 3) {
            double l = Math.sqrt(acc[i] * acc[i] + acc[i + 1] * acc[i + 1] + acc[i + 2] * acc[i + 2]);
            for (int c = 0; c < 3 && l > 0; c++) {
                acc[i + c] /= l;
            }
        }
        return acc;
    }

    @Test
    void vertexNormals_badInput_throwNamingArgument() {
        assertThatThrownBy(() -> MeshWriter.vertexNormals(new float[7], new int[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vertices")
                .hasMessageContaining("7");
        assertThatThrownBy(() -> MeshWriter.vertexNormals(new float[] {0, Float.NaN, 0}, new int[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vertices[0]")
                .hasMessageContaining("y");
        assertThatThrownBy(() -> MeshWriter.vertexNormals(new float[9], new int[] {0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("faces")
                .hasMessageContaining("2");
        assertThatThrownBy(() -> MeshWriter.vertexNormals(new float[9], new int[] {0, 1, 2, 0, 3, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("faces[1]")
                .hasMessageContaining("3").hasMessageContaining("[0, 3)");
        assertThatThrownBy(() -> MeshWriter.vertexNormals(new float[9], new int[] {0, -1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("faces[0]");
        assertThatThrownBy(() -> MeshWriter.vertexNormals(null, new int[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vertices");
    }

    // ---- OBJ ----

    @Test
    void writeObj_roundTrip_positionsBitExactFacesIdentical() throws IOException {
        Mesh m = randomMesh(11, 100, 150);
        float[] v = m.vertices().clone();
        // values whose shortest text has an exponent, and zeros
        v[0] = 1e-7f;
        v[1] = -3.0e9f;
        v[2] = Float.MIN_VALUE;
        v[3] = -0.0f;
        v[4] = 123456.79f;
        v[5] = 0.1f;
        Path file = dir.resolve("m.obj");
        for (boolean normals : new boolean[] {false, true}) {
            MeshWriter.writeObj(file, v, m.faces(), normals);
            Mesh back = MeshReader.readObj(file);
            for (int i = 0; i < v.length; i++) {
                assertThat(back.vertices()[i]).as("v[%d]", i).isEqualTo(v[i] == 0 ? 0f : v[i]);
            }
            assertThat(back.faces()).containsExactly(m.faces());
        }
        assertThat(Files.readAllLines(file)).filteredOn(l -> !l.startsWith("#"))
                .allSatisfy(l -> assertThat(l).doesNotContain("E").doesNotContain(","));
    }

    @Test
    void writeObj_withNormals_writesVnAndFaceForm() throws IOException {
        Path file = dir.resolve("octa.obj");
        MeshWriter.writeObj(file, OCTA_V, OCTA_F, true);
        List<String> lines = Files.readAllLines(file);
        List<String> vn = lines.stream().filter(l -> l.startsWith("vn ")).toList();
        List<String> f = lines.stream().filter(l -> l.startsWith("f ")).toList();
        assertThat(lines.stream().filter(l -> l.startsWith("v "))).hasSize(6);
        assertThat(vn).hasSize(6);
        assertThat(vn.get(0)).isEqualTo("vn 1 0 0");
        assertThat(vn.get(5)).isEqualTo("vn 0 0 -1");
        assertThat(f).hasSize(8);
        assertThat(f.get(0)).isEqualTo("f 1//1 3//3 5//5");
    }

    @Test
    void writeObj_vertexWithoutNormal_getsPlusZ() throws IOException {
        Path file = dir.resolve("lonely.obj");
        MeshWriter.writeObj(file, new float[] {0, 0, 0, 1, 0, 0, 0, 1, 0, 9, 9, 9}, new int[] {0, 1, 2}, true);
        assertThat(Files.readAllLines(file)).contains("vn 0 0 1").doesNotContain("vn 0 0 0");
        MeshWriter.writeObj(file, OCTA_V, new int[0], false);
        assertThat(MeshReader.readObj(file).faces()).isEmpty();
    }

    @Test
    void writeObj_replacesExistingFileAndLeavesNoTemporary() throws IOException {
        Path file = dir.resolve("m.obj");
        Files.writeString(file, "old content that is longer than the new one ".repeat(100));
        MeshWriter.writeObj(file, OCTA_V, OCTA_F, false);
        assertThat(MeshReader.readObj(file)).isEqualTo(new Mesh(OCTA_V, OCTA_F));
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("m.obj");
        }
    }

    @Test
    void writeObj_targetCannotBeReplaced_throwsAndRemovesTemporary() throws IOException {
        Path blocker = dir.resolve("busy.obj");
        Files.createDirectory(blocker);
        Files.writeString(blocker.resolve("inside"), "x"); // a non-empty directory cannot be replaced
        assertThatThrownBy(() -> MeshWriter.writeObj(blocker, OCTA_V, OCTA_F, true)).isInstanceOf(IOException.class);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("busy.obj");
        }
    }

    @Test
    void writeObj_badInput_throwsBeforeWriting() {
        Path file = dir.resolve("bad.obj");
        assertThatThrownBy(() -> MeshWriter.writeObj(file, new float[0], new int[0], false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vertices");
        assertThatThrownBy(() -> MeshWriter.writeObj(file, OCTA_V, new int[] {0, 1, 6}, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("faces[0]");
        assertThatThrownBy(() -> MeshWriter.writeObj(null, OCTA_V, OCTA_F, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("file");
        assertThat(file).doesNotExist();
    }

    // ---- PLY ----

    /** A minimal binary little-endian PLY reader for what writePly emits: header lines, then the records. */
    record Ply(List<String> header, float[] vertexProps, int propsPerVertex, int[] faces) {
        static Ply read(Path file) throws IOException {
            byte[] all = Files.readAllBytes(file);
            String ascii = new String(all, StandardCharsets.ISO_8859_1);
            int end = ascii.indexOf("end_header\n") + "end_header\n".length();
            List<String> header = List.of(ascii.substring(0, end - 1).split("\n"));
            int v = -1;
            int f = -1;
            int props = 0;
            for (String h : header) {
                if (h.startsWith("element vertex ")) {
                    v = Integer.parseInt(h.substring(15));
                } else if (h.startsWith("element face ")) {
                    f = Integer.parseInt(h.substring(13));
                } else if (h.startsWith("property float ")) {
                    props++;
                }
            }
            ByteBuffer b = ByteBuffer.wrap(all, end, all.length - end).order(ByteOrder.LITTLE_ENDIAN);
            float[] vp = new float[v * props];
            for (int i = 0; i < vp.length; i++) {
                vp[i] = b.getFloat();
            }
            int[] faces = new int[3 * f];
            for (int i = 0; i < f; i++) {
                assertThat(b.get()).as("face %d corner count", i).isEqualTo((byte) 3);
                faces[3 * i] = b.getInt();
                faces[3 * i + 1] = b.getInt();
                faces[3 * i + 2] = b.getInt();
            }
            assertThat(b.remaining()).as("bytes after the last face").isZero();
            return new Ply(header, vp, props, faces);
        }
    }

    @Test
    void writePly_parsesBack() throws IOException {
        Mesh m = randomMesh(3, 50, 80);
        Path file = dir.resolve("m.ply");
        MeshWriter.writePly(file, m.vertices(), m.faces());
        Ply p = Ply.read(file);
        assertThat(p.header()).containsExactly("ply", "format binary_little_endian 1.0", "comment smplr-java",
                "element vertex 50", "property float x", "property float y", "property float z",
                "element face 80", "property list uchar int vertex_indices", "end_header");
        assertThat(p.vertexProps()).containsExactly(m.vertices());
        assertThat(p.faces()).containsExactly(m.faces());
        assertThat(Files.size(file)).isEqualTo(
                String.join("\n", p.header()).length() + 1 + 50 * 12 + 80 * 13);
    }

    @Test
    void writePly_withNormals_interleavesNxNyNz() throws IOException {
        Path file = dir.resolve("octa.ply");
        MeshWriter.writePly(file, OCTA_V, OCTA_F, true);
        Ply p = Ply.read(file);
        assertThat(p.header()).contains("property float nx", "property float ny", "property float nz");
        assertThat(p.propsPerVertex()).isEqualTo(6);
        float[] n = MeshWriter.vertexNormals(OCTA_V, OCTA_F);
        for (int i = 0; i < 6; i++) {
            for (int c = 0; c < 3; c++) {
                assertThat(p.vertexProps()[6 * i + c]).isEqualTo(OCTA_V[3 * i + c]);
                assertThat(p.vertexProps()[6 * i + 3 + c]).isEqualTo(n[3 * i + c]);
            }
        }
        assertThat(p.faces()).containsExactly(OCTA_F);
    }

    @Test
    void writePly_badInput_throws() {
        assertThatThrownBy(() -> MeshWriter.writePly(dir.resolve("x.ply"), new float[] {0, 0, Float.POSITIVE_INFINITY},
                new int[0])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vertices[0]");
    }

    // ---- GLB ----

    /** The raw GLB container, checked against the binary glTF layout independently of any glTF library. */
    record Glb(String json, byte[] bin) {
        static Glb read(Path file) throws IOException {
            byte[] all = Files.readAllBytes(file);
            ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(b.getInt()).as("magic").isEqualTo(0x46546C67);
            assertThat(b.getInt()).as("version").isEqualTo(2);
            assertThat(b.getInt()).as("length").isEqualTo(all.length);
            int jsonLen = b.getInt();
            assertThat(b.getInt()).as("chunk 0 type").isEqualTo(0x4E4F534A);
            assertThat(jsonLen % 4).as("JSON chunk length %% 4").isZero();
            String json = new String(all, 20, jsonLen, StandardCharsets.UTF_8);
            assertThat(json.strip()).startsWith("{").endsWith("}");
            assertThat(json.substring(json.lastIndexOf('}') + 1)).matches(" {0,3}");
            b.position(20 + jsonLen);
            int binLen = b.getInt();
            assertThat(b.getInt()).as("chunk 1 type").isEqualTo(0x004E4942);
            assertThat(binLen % 4).as("BIN chunk length %% 4").isZero();
            assertThat(b.remaining()).as("bytes after the BIN chunk header").isEqualTo(binLen);
            byte[] bin = Arrays.copyOfRange(all, b.position(), all.length);
            return new Glb(json, bin);
        }
    }

    static GltfModel readGltf(Path file) throws IOException {
        return new GltfModelReader().read(file);
    }

    static float[] floats(AccessorModel a) {
        AccessorFloatData d = (AccessorFloatData) a.getAccessorData();
        float[] out = new float[d.getTotalNumComponents()];
        for (int i = 0; i < out.length; i++) {
            out[i] = d.get(i);
        }
        return out;
    }

    @Test
    void writeGlb_mesh_structureAndDataReadBack() throws IOException {
        Mesh m = randomMesh(5, 300, 500);
        Path file = dir.resolve("m.glb");
        MeshWriter.writeGlb(file, m.vertices(), m.faces());

        Glb raw = Glb.read(file);
        assertThat(raw.bin()).hasSize(300 * 12 * 2 + 500 * 12);
        assertThat(raw.json()).contains("\"version\":\"2.0\"");
        // positions are the first view: bit-exact, little-endian, tightly packed
        ByteBuffer b = ByteBuffer.wrap(raw.bin()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < m.vertices().length; i++) {
            assertThat(Float.floatToRawIntBits(b.getFloat()))
                    .isEqualTo(Float.floatToRawIntBits(m.vertices()[i]));
        }

        GltfModel g = readGltf(file);
        assertThat(g.getAssetModel().getGenerator()).isEqualTo("smplr-java");
        assertThat(g.getBufferModels()).hasSize(1);
        assertThat(g.getBufferModels().get(0).getByteLength()).isEqualTo(raw.bin().length);
        assertThat(g.getMeshModels()).hasSize(1);
        assertThat(g.getNodeModels()).hasSize(1);
        assertThat(g.getSkinModels()).isEmpty();
        assertThat(g.getSceneModels().get(0).getNodeModels()).hasSize(1);
        MeshPrimitiveModel prim = g.getMeshModels().get(0).getMeshPrimitiveModels().get(0);
        assertThat(prim.getMode()).isEqualTo(4);
        assertThat(prim.getAttributes()).containsOnlyKeys("POSITION", "NORMAL");

        AccessorModel pos = prim.getAttributes().get("POSITION");
        assertThat(pos.getCount()).isEqualTo(300);
        assertThat(pos.getComponentType()).isEqualTo(GlbEncoder.FLOAT);
        assertThat(floats(pos)).containsExactly(m.vertices());
        float[] min = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE};
        float[] max = {-Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
        for (int i = 0; i < m.vertices().length; i++) {
            min[i % 3] = Math.min(min[i % 3], m.vertices()[i]);
            max[i % 3] = Math.max(max[i % 3], m.vertices()[i]);
        }
        for (int c = 0; c < 3; c++) {
            // the JSON text is the float's exact value, so the double read back equals it exactly
            assertThat(pos.getMin()[c].doubleValue()).isEqualTo((double) min[c]);
            assertThat(pos.getMax()[c].doubleValue()).isEqualTo((double) max[c]);
        }

        AccessorModel nrm = prim.getAttributes().get("NORMAL");
        assertThat(nrm.getCount()).isEqualTo(300);
        float[] n = floats(nrm);
        float[] expected = MeshWriter.vertexNormals(m.vertices(), m.faces());
        for (int i = 0; i < n.length; i += 3) {
            boolean none = expected[i] == 0 && expected[i + 1] == 0 && expected[i + 2] == 0;
            assertThat(Arrays.copyOfRange(n, i, i + 3)).containsExactly(
                    none ? new float[] {0, 0, 1} : Arrays.copyOfRange(expected, i, i + 3));
            double len = Math.sqrt(n[i] * n[i] + n[i + 1] * n[i + 1] + n[i + 2] * n[i + 2]);
            assertThat(len).isCloseTo(1, within(1e-6));
        }

        AccessorModel idx = prim.getIndices();
        assertThat(idx.getComponentType()).isEqualTo(GlbEncoder.UNSIGNED_INT);
        assertThat(idx.getCount()).isEqualTo(1500);
        AccessorIntData id = (AccessorIntData) idx.getAccessorData();
        for (int i = 0; i < 1500; i++) {
            assertThat(id.get(i)).isEqualTo(m.faces()[i]);
        }
    }

    @Test
    void writeGlb_smplSkeletonWithSkin_hierarchyTransformsAndWeights() throws IOException {
        KinematicTree tree = KinematicTree.smpl();
        int j = tree.size();
        assertThat(j).isEqualTo(24);
        Random r = new Random(42);
        float[] joints = new float[3 * j];
        for (int i = 0; i < joints.length; i++) {
            joints[i] = (float) r.nextGaussian() * 0.3f;
        }
        Mesh m = randomMesh(9, 120, 200);
        int v = m.vertexCount();
        float[] w = new float[v * j];
        for (int p = 0; p < v; p++) {
            int influences = 1 + r.nextInt(7); // some vertices have more than four
            for (int k = 0; k < influences; k++) {
                w[p * j + r.nextInt(j)] = r.nextFloat();
            }
        }
        w[3] = w[5] = 0.5f; // vertex 0: a tie; the lower joint must win
        for (int k = 6; k < j; k++) {
            w[k] = 0;
        }
        w[0] = w[1] = w[2] = w[4] = 0.5f;

        Path file = dir.resolve("skinned.glb");
        MeshWriter.writeGlb(file, m.vertices(), m.faces(), MeshWriter.Skeleton.of(tree, joints, w));
        Glb.read(file);
        GltfModel g = readGltf(file);

        List<NodeModel> nodes = g.getNodeModels();
        assertThat(nodes).hasSize(1 + j);
        assertThat(g.getSceneModels().get(0).getNodeModels()).containsExactly(nodes.get(0), nodes.get(1));
        for (int k = 0; k < j; k++) {
            NodeModel node = nodes.get(1 + k);
            assertThat(node.getName()).isEqualTo(tree.name(k));
            NodeModel parent = node.getParent();
            if (tree.parent(k) < 0) {
                assertThat(parent).isNull();
            } else {
                assertThat(parent).isSameAs(nodes.get(1 + tree.parent(k)));
            }
            float[] global = node.computeGlobalTransform(null); // column-major 4x4
            for (int c = 0; c < 3; c++) {
                assertThat(global[12 + c]).as("joint %d axis %d", k, c).isCloseTo(joints[3 * k + c], within(1e-6f));
            }
        }

        SkinModel skin = g.getSkinModels().get(0);
        assertThat(nodes.get(0).getSkinModel()).isSameAs(skin);
        assertThat(skin.getJoints()).containsExactlyElementsOf(nodes.subList(1, 1 + j));
        assertThat(skin.getInverseBindMatrices().getCount()).isEqualTo(j);
        for (int k = 0; k < j; k++) {
            float[] ibm = skin.getInverseBindMatrix(k, null);
            float[] global = nodes.get(1 + k).computeGlobalTransform(null);
            // ibm * global = identity for a pure translation: ibm translation = -global translation
            for (int c = 0; c < 3; c++) {
                assertThat(ibm[12 + c]).isCloseTo(-global[12 + c], within(1e-6f));
            }
            assertThat(ibm[0]).isEqualTo(1f);
            assertThat(ibm[15]).isEqualTo(1f);
        }

        MeshPrimitiveModel prim = g.getMeshModels().get(0).getMeshPrimitiveModels().get(0);
        AccessorModel ja = prim.getAttributes().get("JOINTS_0");
        AccessorModel wa = prim.getAttributes().get("WEIGHTS_0");
        assertThat(ja.getComponentType()).isEqualTo(GlbEncoder.UNSIGNED_BYTE);
        assertThat(ja.getCount()).isEqualTo(v);
        assertThat(wa.getCount()).isEqualTo(v);
        AccessorByteData jd = (AccessorByteData) ja.getAccessorData();
        float[] wd = floats(wa);
        for (int p = 0; p < v; p++) {
            int row = p;
            // independent reference: stable sort of joint indices by weight, descending
            Integer[] order = new Integer[j];
            for (int k = 0; k < j; k++) {
                order[k] = k;
            }
            Arrays.sort(order, Comparator.comparingDouble((Integer k) -> -w[row * j + k]));
            double sum = 0;
            for (int s = 0; s < 4; s++) {
                sum += w[p * j + order[s]];
            }
            for (int s = 0; s < 4; s++) {
                int joint = w[p * j + order[s]] == 0 ? 0 : order[s]; // unused slots name joint 0
                assertThat(jd.getInt(p, s)).as("vertex %d slot %d joint", p, s).isEqualTo(joint);
                assertThat((double) wd[4 * p + s]).as("vertex %d slot %d weight", p, s)
                        .isCloseTo(w[p * j + order[s]] / sum, within(1e-7));
            }
            assertThat((double) wd[4 * p] + wd[4 * p + 1] + wd[4 * p + 2] + wd[4 * p + 3])
                    .isCloseTo(1, within(1e-6));
        }
        assertThat(jd.getInt(0, 0)).isEqualTo(0);
        assertThat(jd.getInt(0, 3)).isEqualTo(3); // ties 0,1,2,3,4,5: the four lowest win
    }

    @Test
    void writeGlb_skeletonWithoutWeights_nodesButNoSkin() throws IOException {
        String[] names = {"root", "a", "b\"quoted\"", "c"};
        int[] parents = {-1, 0, 1, 0};
        float[] joints = {1, 2, 3, 1, 3, 3, 1, 3, 5, 0, 0, 0};
        Path file = dir.resolve("bones.glb");
        MeshWriter.writeGlb(file, OCTA_V, OCTA_F, new MeshWriter.Skeleton(joints, parents, names, null));
        GltfModel g = readGltf(file);
        assertThat(g.getSkinModels()).isEmpty();
        assertThat(g.getNodeModels()).hasSize(5);
        NodeModel root = g.getNodeModels().get(1);
        assertThat(root.getTranslation()).containsExactly(1, 2, 3);
        assertThat(root.getChildren()).extracting(NodeModel::getName).containsExactly("a", "c");
        assertThat(g.getNodeModels().get(2).getTranslation()).containsExactly(0, 1, 0);
        assertThat(g.getNodeModels().get(3).getName()).isEqualTo("b\"quoted\"");
        assertThat(g.getNodeModels().get(3).getTranslation()).containsExactly(0, 0, 2);
        assertThat(g.getNodeModels().get(4).getTranslation()).containsExactly(-1, -2, -3);
        assertThat(g.getMeshModels().get(0).getMeshPrimitiveModels().get(0).getAttributes())
                .containsOnlyKeys("POSITION", "NORMAL");
    }

    @Test
    void writeGlb_manyJoints_usesUnsignedShortJoints() throws IOException {
        int j = 300;
        float[] joints = new float[3 * j];
        int[] parents = new int[j];
        String[] names = new String[j];
        for (int k = 0; k < j; k++) {
            joints[3 * k] = k * 0.01f;
            parents[k] = k - 1;
            names[k] = "j" + k;
        }
        float[] w = new float[6 * j];
        for (int p = 0; p < 6; p++) {
            w[p * j + 250 + p] = 1;
        }
        Path file = dir.resolve("long.glb");
        MeshWriter.writeGlb(file, OCTA_V, OCTA_F, new MeshWriter.Skeleton(joints, parents, names, w));
        AccessorModel ja = readGltf(file).getMeshModels().get(0).getMeshPrimitiveModels().get(0)
                .getAttributes().get("JOINTS_0");
        assertThat(ja.getComponentType()).isEqualTo(GlbEncoder.UNSIGNED_SHORT);
        for (int p = 0; p < 6; p++) {
            assertThat(((de.javagl.jgltf.model.AccessorShortData) ja.getAccessorData()).getInt(p, 0))
                    .isEqualTo(250 + p);
        }
    }

    @Test
    void writeGlb_badInput_throwsNamingArgument() {
        Path file = dir.resolve("bad.glb");
        assertThatThrownBy(() -> MeshWriter.writeGlb(file, OCTA_V, new int[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("faces");
        float[] joints = {0, 0, 0, 0, 1, 0};
        String[] names = {"a", "b"};
        int[] parents = {-1, 0};
        assertThatThrownBy(() -> MeshWriter.writeGlb(file, OCTA_V, OCTA_F,
                new MeshWriter.Skeleton(joints, parents, names, new float[2 * 5])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lbsWeights")
                .hasMessageContaining("6×2");
        float[] zeroRow = new float[12];
        Arrays.fill(zeroRow, 0, 10, 1);
        assertThatThrownBy(() -> MeshWriter.writeGlb(file, OCTA_V, OCTA_F,
                new MeshWriter.Skeleton(joints, parents, names, zeroRow)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lbsWeights[5]");
        assertThat(file).doesNotExist();
    }

    @Test
    void skeleton_badInput_throwsNamingArgument() {
        float[] joints = {0, 0, 0, 0, 1, 0};
        assertThatThrownBy(() -> new MeshWriter.Skeleton(joints, new int[] {0, 0}, new String[] {"a", "b"}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parents[0]");
        assertThatThrownBy(() -> new MeshWriter.Skeleton(joints, new int[] {-1, 1}, new String[] {"a", "b"}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parents[1]");
        assertThatThrownBy(() -> new MeshWriter.Skeleton(joints, new int[] {-1}, new String[] {"a", "b"}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parents");
        assertThatThrownBy(() -> new MeshWriter.Skeleton(joints, new int[] {-1, 0}, new String[] {"a", null}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names[1]");
        assertThatThrownBy(() -> new MeshWriter.Skeleton(joints, new int[] {-1, 0}, new String[] {"a", "b"},
                new float[] {1, -0.5f})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lbsWeights[0]");
        assertThatThrownBy(() -> new MeshWriter.Skeleton(joints, new int[] {-1, 0}, new String[] {"a", "b"},
                new float[3])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lbsWeights");
        assertThatThrownBy(() -> new MeshWriter.Skeleton(new float[] {0, 0}, new int[] {-1}, new String[] {"a"},
                null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("joints");
    }

    @Test
    void writeGlb_jsonHasNoLocaleSensitiveNumbers() throws IOException {
        java.util.Locale saved = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMANY);
            Path file = dir.resolve("de.glb");
            float[] v = OCTA_V.clone();
            v[0] = 0.5f;
            MeshWriter.writeGlb(file, v, OCTA_F);
            MeshWriter.writeObj(dir.resolve("de.obj"), v, OCTA_F, true);
            assertThat(Glb.read(file).json()).contains("0.5").doesNotContain("0,5");
            assertThat(Files.readString(dir.resolve("de.obj"))).contains("v 0.5 0 0");
        } finally {
            java.util.Locale.setDefault(saved);
        }
    }
}
