package dev.smplr.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Encodes a mesh (and optionally a skeleton and skin) as a glTF 2.0 binary.
 *
 * <p>Written by hand rather than through jgltf-model: a {@code .glb} is a 12-byte header, a JSON chunk padded
 * with spaces and a binary chunk padded with zeros, and the JSON here is a few fixed objects. Doing it directly
 * keeps Jackson (jgltf's JSON layer) off this module's runtime classpath and puts the spec's details in one
 * readable place: the POSITION min/max, 4-byte alignment, and exact float text. The tests read the result
 * back with jgltf as an independent check.
 */
final class GlbEncoder {
    static final int MAGIC = 0x46546C67; // "glTF" little-endian
    static final int VERSION = 2;
    static final int CHUNK_JSON = 0x4E4F534A; // "JSON"
    static final int CHUNK_BIN = 0x004E4942; // "BIN\0"

    static final int UNSIGNED_BYTE = 5121;
    static final int UNSIGNED_SHORT = 5123;
    static final int UNSIGNED_INT = 5125;
    static final int FLOAT = 5126;
    private static final int ARRAY_BUFFER = 34962;
    private static final int ELEMENT_ARRAY_BUFFER = 34963;
    private static final int TRIANGLES = 4;

    private GlbEncoder() {
    }

    /**
     * @param vertices (V, 3), checked. Not modified.
     * @param faces    (F, 3), F &gt; 0, checked. Not modified.
     * @param normals  (V, 3) unit normals. Not modified.
     * @param skeleton joints and optional skin, or null. Not modified.
     * @return the file's bytes
     */
    static byte[] encode(float[] vertices, int[] faces, float[] normals, MeshWriter.Skeleton skeleton) {
        int v = vertices.length / 3;
        int j = skeleton == null ? 0 : skeleton.jointCount();
        float[] weights = skeleton == null ? null : skeleton.lbsWeights();
        if (weights != null && (long) v * j != weights.length) {
            throw new IllegalArgumentException("skeleton.lbsWeights: expected " + v + "×" + j + " = " + (long) v * j
                    + " values (V×J), got " + weights.length);
        }
        int jointBytes = j <= 256 ? 1 : 2;

        // Every view's length is a multiple of 4, so every view starts 4-byte aligned as glTF requires.
        long posBytes = 12L * v;
        long idxBytes = 4L * faces.length;
        long jointsBytes = weights == null ? 0 : 4L * jointBytes * v;
        long weightsBytes = weights == null ? 0 : 16L * v;
        long ibmBytes = weights == null ? 0 : 64L * j;
        long binBytes = 2 * posBytes + idxBytes + jointsBytes + weightsBytes + ibmBytes;
        if (binBytes > Integer.MAX_VALUE - (1 << 24)) {
            throw new IllegalArgumentException("vertices/faces: a .glb of " + binBytes
                    + " binary bytes exceeds the 2 GiB this writer supports");
        }
        ByteBuffer bin = ByteBuffer.allocate((int) binBytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] min = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE};
        float[] max = {-Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
        for (int i = 0; i < vertices.length; i++) {
            float x = vertices[i];
            bin.putFloat(x);
            min[i % 3] = Math.min(min[i % 3], x);
            max[i % 3] = Math.max(max[i % 3], x);
        }
        for (float x : normals) {
            bin.putFloat(x);
        }
        for (int x : faces) {
            bin.putInt(x);
        }
        if (weights != null) {
            putSkin(bin, weights, v, j, jointBytes);
            putInverseBindMatrices(bin, globalJoints(skeleton));
        }

        StringBuilder js = new StringBuilder(1024 + 128 * j);
        js.append("{\"asset\":{\"version\":\"2.0\",\"generator\":\"smplr-java\"},\"scene\":0,\"scenes\":[{\"nodes\":")
                .append(skeleton == null ? "[0]" : "[0,1]").append("}],");
        // nodes: 0 the mesh, 1 + k joint k
        js.append("\"nodes\":[{\"name\":\"mesh\",\"mesh\":0").append(weights != null ? ",\"skin\":0}" : "}");
        if (skeleton != null) {
            appendJointNodes(js, skeleton);
        }
        js.append("],\"meshes\":[{\"name\":\"mesh\",\"primitives\":[{\"attributes\":{\"POSITION\":0,\"NORMAL\":1");
        if (weights != null) {
            js.append(",\"JOINTS_0\":3,\"WEIGHTS_0\":4");
        }
        js.append("},\"indices\":2,\"mode\":").append(TRIANGLES).append("}]}],");
        if (weights != null) {
            js.append("\"skins\":[{\"inverseBindMatrices\":5,\"skeleton\":1,\"joints\":[");
            for (int k = 0; k < j; k++) {
                js.append(k == 0 ? "" : ",").append(k + 1);
            }
            js.append("]}],");
        }
        js.append("\"buffers\":[{\"byteLength\":").append(binBytes).append("}],\"bufferViews\":[");
        long offset = 0;
        offset = appendView(js, offset, posBytes, ARRAY_BUFFER);
        offset = appendView(js.append(','), offset, posBytes, ARRAY_BUFFER);
        offset = appendView(js.append(','), offset, idxBytes, ELEMENT_ARRAY_BUFFER);
        if (weights != null) {
            offset = appendView(js.append(','), offset, jointsBytes, ARRAY_BUFFER);
            offset = appendView(js.append(','), offset, weightsBytes, ARRAY_BUFFER);
            appendView(js.append(','), offset, ibmBytes, 0);
        }
        js.append("],\"accessors\":[");
        appendAccessor(js, 0, FLOAT, v, "VEC3");
        js.append(",\"min\":");
        appendFloats(js, min);
        js.append(",\"max\":");
        appendFloats(js, max);
        js.append('}');
        appendAccessor(js.append(','), 1, FLOAT, v, "VEC3").append('}');
        appendAccessor(js.append(','), 2, UNSIGNED_INT, faces.length, "SCALAR").append('}');
        if (weights != null) {
            appendAccessor(js.append(','), 3, jointBytes == 1 ? UNSIGNED_BYTE : UNSIGNED_SHORT, v, "VEC4").append('}');
            appendAccessor(js.append(','), 4, FLOAT, v, "VEC4").append('}');
            appendAccessor(js.append(','), 5, FLOAT, j, "MAT4").append('}');
        }
        js.append("]}");
        return assemble(js.toString().getBytes(StandardCharsets.UTF_8), bin.array());
    }

    /** Header, JSON chunk padded with spaces, BIN chunk padded with zeros (spec section 4.4 "Binary glTF"). */
    private static byte[] assemble(byte[] json, byte[] bin) {
        int jsonLen = pad4(json.length);
        int binLen = pad4(bin.length);
        ByteBuffer out = ByteBuffer.allocate(12 + 8 + jsonLen + 8 + binLen).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).putInt(VERSION).putInt(out.capacity());
        out.putInt(jsonLen).putInt(CHUNK_JSON).put(json);
        for (int i = json.length; i < jsonLen; i++) {
            out.put((byte) ' ');
        }
        out.putInt(binLen).putInt(CHUNK_BIN).put(bin); // zero padding: the buffer is zero-filled
        return out.array();
    }

    private static int pad4(int n) {
        return (n + 3) & ~3;
    }

    /**
     * JOINTS_0 and WEIGHTS_0: per vertex the four largest weights, ties to the lower joint index, divided by
     * their sum. Slots with weight 0 (fewer than four joints, or fewer than four non-zero weights) name joint 0:
     * the glTF validator warns about a zero weight paired with any other joint.
     */
    private static void putSkin(ByteBuffer bin, float[] weights, int v, int j, int jointBytes) {
        int[] idx = new int[4];
        float[] w = new float[4];
        ByteBuffer wbuf = bin.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        wbuf.position(bin.position() + 4 * jointBytes * v);
        for (int p = 0; p < v; p++) {
            java.util.Arrays.fill(idx, 0);
            java.util.Arrays.fill(w, -1f);
            int row = p * j;
            for (int k = 0; k < j; k++) {
                float x = weights[row + k];
                if (x > w[3]) { // strictly larger: an equal later joint does not displace an earlier one
                    int s = 3;
                    while (s > 0 && x > w[s - 1]) {
                        w[s] = w[s - 1];
                        idx[s] = idx[s - 1];
                        s--;
                    }
                    w[s] = x;
                    idx[s] = k;
                }
            }
            double sum = 0;
            for (int s = 0; s < 4; s++) {
                if (w[s] <= 0) { // unused slot (fewer than four joints or non-zero weights): joint 0, as glTF asks
                    w[s] = 0;
                    idx[s] = 0;
                }
                sum += w[s];
            }
            if (sum == 0) {
                throw new IllegalArgumentException("skeleton.lbsWeights[" + p + "]: all " + j
                        + " weights are zero, so the vertex follows no joint");
            }
            for (int s = 0; s < 4; s++) {
                if (jointBytes == 1) {
                    bin.put((byte) idx[s]);
                } else {
                    bin.putShort((short) idx[s]);
                }
                wbuf.putFloat((float) (w[s] / sum));
            }
        }
        bin.position(wbuf.position());
    }

    /** Joint positions as a viewer recomputes them: the root's, then each parent's plus the relative one. */
    private static float[] globalJoints(MeshWriter.Skeleton skeleton) {
        float[] joints = skeleton.joints();
        int[] parents = skeleton.parents();
        float[] global = new float[joints.length];
        for (int k = 0; k < parents.length; k++) {
            for (int c = 0; c < 3; c++) {
                float t = relative(joints, parents, k, c);
                global[3 * k + c] = parents[k] < 0 ? t : global[3 * parents[k] + c] + t;
            }
        }
        return global;
    }

    private static float relative(float[] joints, int[] parents, int k, int c) {
        int p = parents[k];
        return p < 0 ? joints[3 * k + c] : joints[3 * k + c] - joints[3 * p + c];
    }

    /** Inverse bind matrix of joint k: the translation by minus its global position, column-major 4×4. */
    private static void putInverseBindMatrices(ByteBuffer bin, float[] global) {
        for (int k = 0; k < global.length; k += 3) {
            bin.putFloat(1).putFloat(0).putFloat(0).putFloat(0);
            bin.putFloat(0).putFloat(1).putFloat(0).putFloat(0);
            bin.putFloat(0).putFloat(0).putFloat(1).putFloat(0);
            bin.putFloat(-global[k]).putFloat(-global[k + 1]).putFloat(-global[k + 2]).putFloat(1);
        }
    }

    private static void appendJointNodes(StringBuilder js, MeshWriter.Skeleton skeleton) {
        float[] joints = skeleton.joints();
        int[] parents = skeleton.parents();
        String[] names = skeleton.names();
        for (int k = 0; k < parents.length; k++) {
            js.append(",{\"name\":");
            appendString(js, names[k]);
            js.append(",\"translation\":");
            appendFloats(js, new float[] {relative(joints, parents, k, 0), relative(joints, parents, k, 1),
                    relative(joints, parents, k, 2)});
            boolean first = true;
            for (int c = k + 1; c < parents.length; c++) { // children come later: parents are topological
                if (parents[c] == k) {
                    js.append(first ? ",\"children\":[" : ",").append(c + 1);
                    first = false;
                }
            }
            js.append(first ? "}" : "]}");
        }
    }

    private static long appendView(StringBuilder js, long offset, long length, int target) {
        js.append("{\"buffer\":0,\"byteOffset\":").append(offset).append(",\"byteLength\":").append(length);
        if (target != 0) {
            js.append(",\"target\":").append(target);
        }
        js.append('}');
        return offset + length;
    }

    /** Appends an accessor object without its closing brace, so min/max can follow. */
    private static StringBuilder appendAccessor(StringBuilder js, int view, int componentType, int count,
            String type) {
        return js.append("{\"bufferView\":").append(view).append(",\"componentType\":").append(componentType)
                .append(",\"count\":").append(count).append(",\"type\":\"").append(type).append('"');
    }

    /**
     * Floats as the decimal of their exact double value: JSON readers parse doubles, and the validator
     * compares POSITION min/max with the data exactly, so the shortest float text ({@code 0.1}) would not do.
     */
    private static void appendFloats(StringBuilder js, float[] xs) {
        js.append('[');
        for (int i = 0; i < xs.length; i++) {
            js.append(i == 0 ? "" : ",").append(Double.toString(xs[i]));
        }
        js.append(']');
    }

    private static void appendString(StringBuilder js, String s) {
        js.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                js.append('\\').append(c);
            } else if (c < 0x20) {
                js.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                js.append(c);
            }
        }
        js.append('"');
    }
}
