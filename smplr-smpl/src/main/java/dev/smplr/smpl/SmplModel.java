package dev.smplr.smpl;

import dev.smplr.core.BodyEstimate;
import dev.smplr.core.BodyMesh;
import dev.smplr.core.BodyModel;
import dev.smplr.core.Gender;
import dev.smplr.core.Rotations;
import dev.smplr.core.SmplrPoints;
import dev.smplr.core.internal.Checks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The SMPL body model: pose θ (24×3 axis-angle), shape β and a translation to a posed mesh of V vertices and its
 * 24 joints, with the semantics of smplx's {@code lbs} (SMPL.md):
 *
 * <pre>
 * v_shaped = v_template + shapedirs · β                  (V, 3)   blendShapes
 * J        = J_regressor · v_shaped                       (24, 3)  regressJoints
 * R_j      = rodrigues(θ_j)                               (24, 3, 3)
 * feature  = concat_{j=1..23} (R_j − I), row-major        (207)
 * v_posed  = v_shaped + posedirs · feature                (V, 3)   blendPose
 * G_0 = [R_0 | J_0],  G_j = G_parent(j) · [R_j | J_j − J_parent(j)]            rigidChain
 * A_j = G_j − [0 | G_j · (J_j, 0)]
 * vertex_v = (Σ_j W[v,j] A_j) · (v_posed_v, 1) + transl  (V, 3)   skin
 * joint_j  = translation of G_j + transl                  (24, 3)
 * </pre>
 *
 * <p><b>Global orientation</b> θ_0 rotates the body about its pelvis joint J_0, not about the origin (as in
 * smplx, its issue #36): the posed body is {@code R_0 · (y − J_0) + J_0 + transl}, where y is the body posed
 * with θ_0 = 0. To rotate about the origin instead, pass the translation from
 * {@link #rerootTranslation(float[], float[], float[])}.
 *
 * <p><b>Speed.</b> At batch 1 the pass reads about 19.4 MB of model data (posedirs alone are 17.1 MB at V =
 * 6890), so the layouts are chosen for streaming: {@code posedirs} and {@code shapedirs} are kept transposed,
 * one contiguous row of 3V values per feature, so each blend is a few axpy passes that the JIT vectorizes
 * (dot products in float do not vectorize in Java: their order is fixed); features that are exactly zero
 * (joints at rest) are skipped; the blend weights are kept sparse (real SMPL rows have at most 4 non-zeros);
 * and the joints come from {@code J_regressor · v_template} and {@code J_regressor · shapedirs}, precomputed in
 * float64, so no pass needs the regressor. A batch streams the model data once per tile of vertices for all of
 * its bodies. Every path (single, batch, rotation matrices, joints only, SMPLR points) runs the same arithmetic
 * in the same order, so their results are bit-for-bit equal.
 *
 * <p><b>Precision.</b> The blends are float32 (as smplx's), the joints, the 24 transforms and the skinning
 * float64, rounded once; results are within 1e-5 m of a float64 evaluation of the formulas.
 *
 * <p>Immutable and thread-safe: each call that does not take a {@link Workspace} makes its own.
 */
public final class SmplModel implements BodyModel {
    /** Joints, 24. */
    private static final int JOINTS = ModelData.JOINTS;
    /** Pose-blend features, 207. */
    private static final int FEATURES = ModelData.POSE_FEATURES;
    /** Landmarks, 18. */
    private static final int LANDMARKS = SmplrPoints.LANDMARKS;
    /**
     * Values of the vertex arrays a batch pass handles at once (whole vertices): with 768 (3 KB a body), a
     * group's four posedirs rows stay in L1 and 64 bodies' tiles in L2, while the 207 rows of a tile (636 KB) are
     * read from memory once for all bodies. 768 measured best of 256..3072 (JMH, 2-core AMD EPYC, 512 KB L2); a
     * single body makes one pass over the whole array instead, which measured faster than tiles.
     */
    private static final int BATCH_TILE = 768;
    /** Bodies a batch pass takes at once, so that their tiles stay in L2. */
    private static final int BATCH_BODIES = 64;
    /** The fewest bodies worth handing to another thread. */
    private static final int MIN_CHUNK = 4;

    private static final java.util.Map<Gender, SmplModel> DEMO =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final Gender gender;
    private final String source;
    private final int vertexCount;
    private final int shapeCount;
    private final int[] faces;
    private final int[] landmarkVertices;
    private final int[] parents;

    /** {@code v_template} (V, 3): vertex v at {@code 3*v + k}. */
    private final float[] vTemplate;
    /** {@code shapedirs} transposed, (B, 3V): component b is row {@code shapeRows[b]}, value {@code 3*v + k}. */
    private final float[][] shapeRows;
    /** {@code posedirs} transposed, (207, 3V): feature f is row {@code poseRows[f]}, value {@code 3*v + k}. */
    private final float[][] poseRows;
    /** {@code J_regressor · v_template}, (24, 3), float64: joint j at {@code 3*j + k}. */
    private final double[] jTemplate;
    /** {@code J_regressor · shapedirs}, (24, 3, B), float64: {@code (3*j + k)*B + b}. */
    private final double[] jShapeDirs;
    /**
     * {@code weights} (V, 24) as compressed rows: vertex v's non-zero weights are {@code weightValues[p]} for
     * joints {@code weightJoints[p]}, {@code p} in {@code [weightStart[v], weightStart[v + 1])}, in joint order.
     */
    private final int[] weightStart;
    private final int[] weightJoints;
    private final float[] weightValues;
    /** {@code J_regressor} (24, V), dense, kept only so that {@link #save(Path)} can write the model back. */
    private final float[] jRegressor;
    /** The landmark vertices' rows of v_template, (18, 3). */
    private final float[] landmarkTemplate;
    /** The landmark vertices' columns of {@link #shapeRows}, (B, 18×3). */
    private final float[][] landmarkShapeRows;
    /** The landmark vertices' columns of {@link #poseRows}, (207, 18×3). */
    private final float[][] landmarkPoseRows;
    /** Lazily computed by {@link #fingerprint()}; racing threads compute the same value. */
    private volatile String fingerprint;

    private SmplModel(ModelData data) {
        gender = data.gender();
        source = data.source();
        vertexCount = data.vertexCount();
        shapeCount = data.shapeCount();
        faces = data.faces().clone();
        landmarkVertices = data.landmarkVertices().clone();
        parents = data.parents().clone();
        int n3 = 3 * vertexCount;
        vTemplate = data.vTemplate().clone();
        shapeRows = transpose(data.shapeDirs(), n3, shapeCount);
        poseRows = transpose(data.poseDirs(), n3, FEATURES);
        jTemplate = new double[3 * JOINTS];
        jShapeDirs = new double[3 * JOINTS * shapeCount];
        regressRestJoints(data, jTemplate, jShapeDirs);
        jRegressor = data.jRegressor().clone();

        float[] w = data.lbsWeights();
        weightStart = new int[vertexCount + 1];
        int nonZero = 0;
        for (float x : w) {
            nonZero += x != 0 ? 1 : 0;
        }
        weightJoints = new int[nonZero];
        weightValues = new float[nonZero];
        int p = 0;
        for (int v = 0; v < vertexCount; v++) {
            weightStart[v] = p;
            for (int j = 0; j < JOINTS; j++) {
                if (w[JOINTS * v + j] != 0) {
                    weightJoints[p] = j;
                    weightValues[p++] = w[JOINTS * v + j];
                }
            }
        }
        weightStart[vertexCount] = p;

        landmarkTemplate = new float[3 * LANDMARKS];
        landmarkShapeRows = new float[shapeCount][3 * LANDMARKS];
        landmarkPoseRows = new float[FEATURES][3 * LANDMARKS];
        for (int l = 0; l < LANDMARKS; l++) {
            for (int k = 0; k < 3; k++) {
                int i = 3 * landmarkVertices[l] + k;
                landmarkTemplate[3 * l + k] = vTemplate[i];
                for (int b = 0; b < shapeCount; b++) {
                    landmarkShapeRows[b][3 * l + k] = shapeRows[b][i];
                }
                for (int f = 0; f < FEATURES; f++) {
                    landmarkPoseRows[f][3 * l + k] = poseRows[f][i];
                }
            }
        }
    }

    /**
     * A model from validated arrays; derives the fast layouts (transposed blend shapes, sparse weights,
     * precomputed joint regression).
     *
     * @param data the official-layout arrays. Not modified, not kept.
     * @return the model
     */
    static SmplModel of(ModelData data) {
        return new SmplModel(data);
    }

    /**
     * The embedded demo body: a procedurally generated, SMPL-structured body made by this library (6786
     * vertices, SMPL's 24 joints and tree, 10 shape components, 207 pose blend shapes, its own 18 landmark
     * vertices), openly licensed, so the whole pipeline runs without a licensed SMPL file. Built on first use
     * (tens of milliseconds) and shared: the model is immutable.
     *
     * @param gender female, male or neutral proportions
     * @return the demo body
     * @throws IllegalArgumentException if {@code gender} is null
     */
    public static SmplModel demo(Gender gender) {
        Checks.notNull("gender", gender);
        return DEMO.computeIfAbsent(gender, g -> of(DemoBody.create(g)));
    }

    /**
     * Loads an official SMPL model file with all the shape components it has. The format is detected by
     * content: a Python pickle ({@code basicModel_*_lbs_10_207_0_v1.0.0.pkl}, {@code SMPL_NEUTRAL.pkl}, read by a
     * restricted unpickler that refuses anything but the numpy, scipy and chumpy objects SMPL files hold) or a
     * {@code .npz} (converted files, and what {@link #save(Path)} writes).
     *
     * @param file the model file
     * @return the model
     * @throws IOException if the file cannot be read, is not a pickle or npz, or holds an inconsistent model; the
     *                     message names the file, the key and what was expected and found
     */
    public static SmplModel load(Path file) throws IOException {
        return load(file, -1);
    }

    /**
     * Loads an official SMPL model file using its first {@code numBetas} shape components (SMPL v1.1 files hold
     * 300; many users want 10). Nothing is ever truncated silently: asking for more than the file has fails.
     *
     * @param file     the model file
     * @param numBetas how many shape components to use, or -1 for all the file has
     * @return the model
     * @throws IOException              as {@link #load(Path)}
     * @throws IllegalArgumentException if {@code numBetas} exceeds the components the file has, naming both
     */
    public static SmplModel load(Path file, int numBetas) throws IOException {
        Checks.notNull("file", file);
        return of(SmplFiles.read(file, numBetas));
    }

    /**
     * Writes the model as a {@code .npz} in the layout of converted SMPL files ({@code v_template},
     * {@code shapedirs}, {@code posedirs}, dense {@code J_regressor}, {@code weights}, {@code kintree_table},
     * {@code f}, ...) plus its gender and landmark vertex ids, float32, atomically. {@link #load(Path)} reads it
     * back to an identical model. Models loaded from licensed SMPL files stay under their licence when saved.
     *
     * @param file the destination, replaced if it exists
     * @throws IOException if the file cannot be written
     */
    public void save(Path file) throws IOException {
        Checks.notNull("file", file);
        SmplFiles.write(toData(), file);
    }

    /** @return the official-layout arrays this model was built from, rebuilt from its fast layouts */
    ModelData toData() {
        int n3 = 3 * vertexCount;
        float[] shapeDirs = new float[n3 * shapeCount];
        for (int b = 0; b < shapeCount; b++) {
            for (int i = 0; i < n3; i++) {
                shapeDirs[i * shapeCount + b] = shapeRows[b][i];
            }
        }
        float[] poseDirs = new float[n3 * FEATURES];
        for (int f = 0; f < FEATURES; f++) {
            for (int i = 0; i < n3; i++) {
                poseDirs[i * FEATURES + f] = poseRows[f][i];
            }
        }
        float[] weights = new float[vertexCount * JOINTS];
        for (int v = 0; v < vertexCount; v++) {
            for (int p = weightStart[v]; p < weightStart[v + 1]; p++) {
                weights[JOINTS * v + weightJoints[p]] = weightValues[p];
            }
        }
        return new ModelData(gender, vTemplate.clone(), shapeDirs, shapeCount, poseDirs, jRegressor.clone(),
                weights, faces.clone(), parents.clone(), landmarkVertices.clone(), source);
    }

    // ---------------------------------------------------------------------------------------------------------
    // what the model is

    /** @return V, the number of vertices (6890 for SMPL) */
    public int vertexCount() {
        return vertexCount;
    }

    /** @return B, the number of shape components the model carries; {@link SmplParams#betas()} may be shorter */
    public int shapeCount() {
        return shapeCount;
    }

    /** @return the model's gender */
    public Gender gender() {
        return gender;
    }

    /**
     * A short identity of this body for weights manifests: the first 16 hex digits of a SHA-256 over the gender,
     * the template, the shape directions, the joint regressor, the kinematic tree, the faces and the landmark
     * vertices. Trained regressors record it so that weights are not silently used with another body; the same
     * file loaded twice, or saved and loaded again, gives the same fingerprint.
     *
     * @return 16 lowercase hex digits
     */
    public String fingerprint() {
        String f = fingerprint;
        if (f == null) {
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
            ByteBuffer buf = ByteBuffer.allocate(4 * (vTemplate.length + jRegressor.length
                    + shapeCount * 3 * vertexCount + parents.length + faces.length + landmarkVertices.length + 2))
                    .order(ByteOrder.LITTLE_ENDIAN);
            buf.putInt(gender.ordinal()).putInt(shapeCount);
            for (float x : vTemplate) {
                buf.putFloat(x);
            }
            for (float[] row : shapeRows) {
                for (float x : row) {
                    buf.putFloat(x);
                }
            }
            for (float x : jRegressor) {
                buf.putFloat(x);
            }
            for (int[] ints : new int[][] {parents, faces, landmarkVertices}) {
                for (int x : ints) {
                    buf.putInt(x);
                }
            }
            digest.update(buf.array());
            f = HexFormat.of().formatHex(digest.digest()).substring(0, 16);
            fingerprint = f;
        }
        return f;
    }

    /** @return where the model came from (a file name, "demo body"), for messages and manifests */
    public String source() {
        return source;
    }

    /** @return the triangles (F, 3), vertex indices, counter-clockwise seen from outside; a copy */
    @Override
    public int[] faces() {
        return faces.clone();
    }

    /** @return the 18 SMPLR landmark vertex ids on this mesh ({@link dev.smplr.core.SmplrLandmark} order); a copy */
    public int[] landmarkVertices() {
        return landmarkVertices.clone();
    }

    /** @return {@code v_template} (V, 3), metres, vertex v at {@code 3*v..3*v+2}; a copy */
    public float[] template() {
        return vTemplate.clone();
    }

    /**
     * The rest joints of a shape, {@code J = J_regressor · (v_template + shapedirs · β)}.
     *
     * @param betas shape coefficients, at most {@link #shapeCount()}; missing ones are zero. Not modified.
     * @return joints (24, 3), metres, joint j at {@code 3*j..3*j+2}, a new array
     * @throws IllegalArgumentException if {@code betas} is null, holds NaN or an infinity, or has more values
     *                                  than the model has shape components
     */
    public float[] restJoints(float[] betas) {
        checkBetas(betas);
        double[] joints = new double[3 * JOINTS];
        regressJoints(betas, joints);
        float[] out = new float[3 * JOINTS];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) joints[i];
        }
        return out;
    }

    /**
     * The translation that makes the global orientation rotate the body about the origin rather than about its
     * pelvis joint: {@code transl + R_0 · J_0 − J_0}, with {@code R_0 = rodrigues(globalOrient)} and
     * {@code J_0} the pelvis of the shape. Then {@code forward(pose, betas, rerootTranslation(...))} gives
     * {@code R_0 · y + transl}, where y is the body posed with zero global orientation and no translation.
     *
     * @param globalOrient the global orientation θ_0, 3 axis-angle values (the first 3 of a pose). Not modified.
     * @param betas        shape coefficients, at most {@link #shapeCount()}. Not modified.
     * @param transl       the translation wanted about the origin, 3 values. Not modified.
     * @return the translation to put in {@link SmplParams}, a new array of 3
     * @throws IllegalArgumentException if a length is wrong, a value is not finite, or {@code betas} has more
     *                                  values than the model has shape components
     */
    public float[] rerootTranslation(float[] globalOrient, float[] betas, float[] transl) {
        Checks.rows("globalOrient", globalOrient, 1, 3, "axis-angle");
        Checks.rows("transl", transl, 1, 3, "x, y, z translation");
        checkBetas(betas);
        float[] r = new float[9];
        Rotations.axisAngleToMatrix(globalOrient, 0, r, 0);
        double[] joints = new double[3 * JOINTS];
        regressJoints(betas, joints);
        float[] out = new float[3];
        for (int k = 0; k < 3; k++) {
            double rj = r[3 * k] * joints[0] + r[3 * k + 1] * joints[1] + r[3 * k + 2] * joints[2];
            out[k] = (float) (transl[k] + rj - joints[k]);
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------
    // forward

    /**
     * The posed mesh and joints of one body (the formulas in the class Javadoc).
     *
     * @param params pose, shape (at most {@link #shapeCount()} betas; missing ones are zero) and translation.
     *               Not modified.
     * @return vertices (V, 3) and joints (24, 3), metres, new arrays
     * @throws IllegalArgumentException if {@code params} is null, its arrays were changed to a wrong length or a
     *                                  value that is not finite, or it has more betas than the model has shape
     *                                  components ({@code params.betas: expected at most 10 values (the shape
     *                                  components of ...), got 16})
     */
    public SmplOutput forward(SmplParams params) {
        SmplOutput out = newOutput();
        forward(params, out, newWorkspace());
        return out;
    }

    /**
     * {@link #forward(SmplParams)} into caller-owned arrays: the fast path for loops and benchmarks. Allocates
     * nothing.
     *
     * @param params    pose, shape and translation. Not modified.
     * @param out       receives vertices (V, 3) and joints (24, 3), e.g. from {@link #newOutput()}. Modified.
     * @param workspace scratch from {@link #newWorkspace()}, used by one thread at a time. Modified.
     * @throws IllegalArgumentException if an argument is null, the betas are too many, or {@code out} has the
     *                                  wrong sizes for this model or holds the input betas or transl
     */
    public void forward(SmplParams params, SmplOutput out, Workspace workspace) {
        checkParams("params", params);
        checkOutput(out, params.betas(), params.transl());
        Checks.notNull("workspace", workspace);
        Rotations.axisAngleToMatrix(params.pose(), 0, workspace.rotations, 0, JOINTS);
        prepare(workspace.rotations, params.betas(), params.transl(), out.joints(), workspace);
        posedVertices(params.betas(), workspace, out.vertices(), 0, 3 * vertexCount);
    }

    /**
     * The forward pass from rotation matrices instead of axis-angles (a regressor's output): R_j is taken as
     * given, also in the pose feature {@code R_j − I}; it need not be orthonormal.
     *
     * @param rotations local rotations (24, 3, 3), row-major: joint j at {@code 9*j + 3*r + c}. Not modified.
     * @param betas     shape coefficients, at most {@link #shapeCount()}. Not modified.
     * @param transl    translation, 3 values, or null for none. Not modified.
     * @return vertices (V, 3) and joints (24, 3), new arrays
     * @throws IllegalArgumentException if a length is wrong, a value is not finite, or the betas are too many
     */
    public SmplOutput forwardRotations(float[] rotations, float[] betas, float[] transl) {
        SmplOutput out = newOutput();
        forwardRotations(rotations, betas, transl, out, newWorkspace());
        return out;
    }

    /**
     * {@link #forwardRotations(float[], float[], float[])} into caller-owned arrays. Allocates nothing (except a
     * zero translation when {@code transl} is null).
     *
     * @param rotations local rotations (24, 3, 3), row-major. Not modified.
     * @param betas     shape coefficients, at most {@link #shapeCount()}. Not modified.
     * @param transl    translation, 3 values, or null for none. Not modified.
     * @param out       receives vertices (V, 3) and joints (24, 3). Modified.
     * @param workspace scratch from {@link #newWorkspace()}. Modified.
     * @throws IllegalArgumentException if a length is wrong, a value is not finite, the betas are too many, or
     *                                  {@code out} has the wrong sizes or holds the input betas or transl
     */
    public void forwardRotations(float[] rotations, float[] betas, float[] transl, SmplOutput out,
            Workspace workspace) {
        Checks.rows("rotations", rotations, JOINTS, 9, "24×3×3 rotation matrices");
        checkBetas(betas);
        float[] t = transl == null ? new float[3] : Checks.rows("transl", transl, 1, 3, "x, y, z translation");
        checkOutput(out, betas, t);
        Checks.notNull("workspace", workspace);
        System.arraycopy(rotations, 0, workspace.rotations, 0, 9 * JOINTS);
        prepare(workspace.rotations, betas, t, out.joints(), workspace);
        posedVertices(betas, workspace, out.vertices(), 0, 3 * vertexCount);
    }

    /**
     * The forward pass of a batch: the same results as {@link #forward(SmplParams)} one by one, bit for bit, but
     * faster per body: the blend shapes are streamed once per tile of vertices for all bodies (a GEMM of
     * {@code (n × 207) · (207 × 3V)} done as axpy passes), and split across the available cores (the common
     * fork-join pool and the calling thread).
     *
     * @param batch the parameters, 0 or more. Not modified.
     * @return one output per parameter set, in order
     * @throws IllegalArgumentException if the list or an element is null, or an element is bad as in
     *                                  {@link #forward(SmplParams)}, named {@code batch[i]}
     */
    public List<SmplOutput> forward(List<SmplParams> batch) {
        SmplParams[] items = Checks.notNull("batch", batch).toArray(new SmplParams[0]);
        int n = items.length;
        Workspace[] ws = new Workspace[n];
        SmplOutput[] outs = new SmplOutput[n];
        for (int i = 0; i < n; i++) {
            SmplParams p = items[i];
            checkParams("batch[" + i + "]", p);
            ws[i] = newWorkspace();
            outs[i] = newOutput();
            Rotations.axisAngleToMatrix(p.pose(), 0, ws[i].rotations, 0, JOINTS);
            prepare(ws[i].rotations, p.betas(), p.transl(), outs[i].joints(), ws[i]);
        }
        // Bodies are independent: split the batch over the cores (the common fork-join pool and this thread).
        // Measured at batch 64 on 2 cores: 24.6 ms on one thread, 16.3 ms on two (JMH); results are the same
        // bit for bit, since each body's arithmetic does not depend on which chunk it is in.
        int threads = Runtime.getRuntime().availableProcessors();
        int chunk = Math.max(MIN_CHUNK, Math.min(BATCH_BODIES, (n + threads - 1) / threads));
        java.util.stream.IntStream.range(0, (n + chunk - 1) / chunk).parallel().forEach(c -> {
            int first = c * chunk;
            int end = Math.min(n, first + chunk);
            float[][] betas = new float[end - first][];
            for (int i = first; i < end; i++) {
                betas[i - first] = items[i].betas();
            }
            batchPass(betas, Arrays.copyOfRange(ws, first, end), Arrays.copyOfRange(outs, first, end));
        });
        List<SmplOutput> result = new ArrayList<>(n);
        for (SmplOutput o : outs) {
            result.add(o);
        }
        return result;
    }

    /**
     * The joints only, without the mesh: {@code J = J_regressor·v_template + (J_regressor·shapedirs)·β}
     * (precomputed), then the rigid chain. Equal bit for bit to {@code forward(params).joints()}.
     *
     * @param params pose, shape and translation. Not modified.
     * @return posed joints (24, 3) + transl, metres, a new array
     * @throws IllegalArgumentException if {@code params} is bad as in {@link #forward(SmplParams)}
     */
    public float[] joints(SmplParams params) {
        checkParams("params", params);
        Workspace ws = newWorkspace();
        float[] joints = new float[3 * JOINTS];
        Rotations.axisAngleToMatrix(params.pose(), 0, ws.rotations, 0, JOINTS);
        prepareJoints(ws.rotations, params.betas(), params.transl(), joints, ws);
        return joints;
    }

    // ---------------------------------------------------------------------------------------------------------
    // SMPLR points and BodyModel

    /**
     * The 41 SMPLR points of an output of this model: joints 1..23 and the 18 landmark vertices, minus joint 0.
     *
     * @param output an output of {@link #forward(SmplParams)}. Not modified.
     * @return the 41 root-relative points (SPEC.md 2.1–2.2), 123 values, a new array
     * @throws IllegalArgumentException if {@code output} is null or not V vertices and 24 joints
     */
    public float[] smplrPoints(SmplOutput output) {
        checkOutput(output);
        return SmplrPoints.gather(output.joints(), output.vertices(), landmarkVertices);
    }

    /**
     * The 41 SMPLR points straight from parameters, without the mesh: only the 18 landmark vertices are blended
     * and skinned. Equal bit for bit to {@code smplrPoints(forward(params))}; the fast path for fitting and
     * training.
     *
     * @param params pose, shape and translation (the translation cancels out). Not modified.
     * @return the 41 root-relative points, 123 values, a new array
     * @throws IllegalArgumentException if {@code params} is bad as in {@link #forward(SmplParams)}
     */
    public float[] smplrPoints(SmplParams params) {
        checkParams("params", params);
        Workspace ws = newWorkspace();
        float[] joints = new float[3 * JOINTS];
        Rotations.axisAngleToMatrix(params.pose(), 0, ws.rotations, 0, JOINTS);
        prepare(ws.rotations, params.betas(), params.transl(), joints, ws);
        float[] landmarks = ws.landmarks;
        System.arraycopy(landmarkTemplate, 0, landmarks, 0, 3 * LANDMARKS);
        Lbs.addRows(landmarkShapeRows, params.betas(), ws.activeBetas, ws.activeBetaCount, landmarks, 0,
                3 * LANDMARKS);
        Lbs.addRows(landmarkPoseRows, ws.features, ws.activeFeatures, ws.activeFeatureCount, landmarks, 0,
                3 * LANDMARKS);
        for (int l = 0; l < LANDMARKS; l++) {
            int v = landmarkVertices[l];
            Lbs.skinVertex(weightJoints, weightValues, weightStart[v], weightStart[v + 1], ws.relative, ws.transl,
                    landmarks, 3 * l);
        }
        // SmplrPoints.gather's arithmetic, on the 18 vertices only
        float[] out = new float[SmplrPoints.VALUES];
        for (int p = 0; p < SmplrPoints.JOINTS; p++) {
            for (int k = 0; k < 3; k++) {
                out[3 * p + k] = joints[3 * (p + 1) + k] - joints[k];
            }
        }
        for (int l = 0; l < LANDMARKS; l++) {
            int p = SmplrPoints.JOINTS + l;
            for (int k = 0; k < 3; k++) {
                out[3 * p + k] = landmarks[3 * l + k] - joints[k];
            }
        }
        return out;
    }

    /**
     * {@link BodyModel}: poses a body from an estimate's pose and betas, with no translation.
     *
     * @param estimate pose (72 axis-angle values) and betas (at most {@link #shapeCount()}). Not modified.
     * @return the posed {@link SmplOutput}
     * @throws IllegalArgumentException if the estimate is null, its pose is not 72 finite values, or it has
     *                                  more betas than the model has shape components
     */
    @Override
    public SmplOutput pose(BodyEstimate estimate) {
        Checks.notNull("estimate", estimate);
        return forward(SmplParams.of(estimate.pose(), estimate.betas(), null));
    }

    /**
     * {@link BodyModel}: the 41 SMPLR points of a mesh this model produced.
     *
     * @param mesh vertices (V, 3) and joints (at least 24). Not modified.
     * @return the 41 root-relative points, 123 values, a new array
     * @throws IllegalArgumentException if the mesh is null or has the wrong number of vertices
     */
    @Override
    public float[] smplrPoints(BodyMesh mesh) {
        Checks.notNull("mesh", mesh);
        Checks.length("mesh.vertices", mesh.vertices(), 3 * vertexCount, vertexCount + "×3 vertices");
        return SmplrPoints.gather(mesh.joints(), mesh.vertices(), landmarkVertices);
    }

    // ---------------------------------------------------------------------------------------------------------
    // buffers

    /** @return scratch for the {@code forward} overloads that take one; small (a few KB) */
    public Workspace newWorkspace() {
        return new Workspace(shapeCount);
    }

    /** @return zeroed output arrays of this model's sizes: vertices (V, 3), joints (24, 3) */
    public SmplOutput newOutput() {
        return new SmplOutput(new float[3 * vertexCount], new float[3 * JOINTS]);
    }

    /**
     * Scratch for one forward pass at a time: rotations, pose features, joints and transforms. A workspace may be
     * reused for any number of passes on one thread; it must not be shared between threads running at once.
     */
    public static final class Workspace {
        /** R_j (24, 3, 3). */
        final float[] rotations = new float[9 * JOINTS];
        /** R_j − I for j = 1..23, (207). */
        final float[] features = new float[FEATURES];
        /** Indices of the non-zero features, in increasing order. */
        final int[] activeFeatures = new int[FEATURES];
        int activeFeatureCount;
        /** Indices of the non-zero betas, in increasing order. */
        final int[] activeBetas;
        int activeBetaCount;
        /** Rest joints J (24, 3), float64. */
        final double[] restJoints = new double[3 * JOINTS];
        /** Global transforms G_j (24, 3, 4): {@code 12*j + 4*r + c}, float64. */
        final double[] global = new double[12 * JOINTS];
        /** A_j = G_j − [0 | G_j (J_j, 0)] (24, 3, 4), float64. */
        final double[] relative = new double[12 * JOINTS];
        /** The translation of the pass. */
        final float[] transl = new float[3];
        /** The landmark vertices (18, 3) of {@link #smplrPoints(SmplParams)}. */
        final float[] landmarks = new float[3 * LANDMARKS];
        private final int shapeCount;

        private Workspace(int shapeCount) {
            this.shapeCount = shapeCount;
            this.activeBetas = new int[shapeCount];
        }

        @Override
        public String toString() {
            return "SmplModel.Workspace[" + shapeCount + " shape components]";
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // the steps

    /**
     * Everything but the vertex blend and skin: pose features, rest joints, the rigid chain and the posed joints.
     */
    private void prepare(float[] rotations, float[] betas, float[] transl, float[] joints, Workspace ws) {
        prepareJoints(rotations, betas, transl, joints, ws);
        ws.activeFeatureCount = Lbs.poseFeatures(rotations, ws.features, ws.activeFeatures);
        int count = 0;
        for (int b = 0; b < betas.length; b++) {
            if (betas[b] != 0) {
                ws.activeBetas[count++] = b;
            }
        }
        ws.activeBetaCount = count;
        Lbs.relativeTransforms(ws.global, ws.restJoints, ws.relative);
    }

    private void prepareJoints(float[] rotations, float[] betas, float[] transl, float[] joints, Workspace ws) {
        if (ws.shapeCount != shapeCount) {
            throw new IllegalArgumentException("workspace: made for " + ws.shapeCount
                    + " shape components, this model has " + shapeCount);
        }
        regressJoints(betas, ws.restJoints);
        Lbs.rigidChain(rotations, ws.restJoints, parents, ws.global);
        ws.transl[0] = transl[0];
        ws.transl[1] = transl[1];
        ws.transl[2] = transl[2];
        // joint_j = translation of G_j + transl
        for (int j = 0; j < JOINTS; j++) {
            joints[3 * j] = (float) (ws.global[12 * j + 3] + transl[0]);
            joints[3 * j + 1] = (float) (ws.global[12 * j + 7] + transl[1]);
            joints[3 * j + 2] = (float) (ws.global[12 * j + 11] + transl[2]);
        }
    }

    /**
     * blendShapes, blendPose and skin on values {@code [from, to)} of the vertex array (whole vertices).
     */
    private void posedVertices(float[] betas, Workspace ws, float[] vertices, int from, int to) {
        blendShapes(betas, ws, vertices, from, to);
        // v_posed[i] = v_shaped[i] + sum_f feature[f] * posedirs[i, f]
        Lbs.addRows(poseRows, ws.features, ws.activeFeatures, ws.activeFeatureCount, vertices, from, to);
        skin(ws, vertices, from, to);
    }

    /** v_shaped[i] = v_template[i] + sum_b betas[b] * shapedirs[i, b], for i in [from, to). */
    private void blendShapes(float[] betas, Workspace ws, float[] vertices, int from, int to) {
        System.arraycopy(vTemplate, from, vertices, from, to - from);
        Lbs.addRows(shapeRows, betas, ws.activeBetas, ws.activeBetaCount, vertices, from, to);
    }

    /** vertex_v = (sum_j W[v,j] A_j) · (v_posed_v, 1) + transl, in place, for the vertices in [from, to). */
    private void skin(Workspace ws, float[] vertices, int from, int to) {
        for (int v = from / 3; v < to / 3; v++) {
            Lbs.skinVertex(weightJoints, weightValues, weightStart[v], weightStart[v + 1], ws.relative, ws.transl,
                    vertices, 3 * v);
        }
    }

    /**
     * One tile of a batch: every body's values {@code [from, to)}. The pose blend runs group by group of four
     * features, all bodies inside, so a group's four posedirs rows (4 × 3 KB) stay in L1 while the bodies' tiles
     * (64 × 3 KB) stay in L2. Per body the arithmetic and its order are those of {@link #posedVertices}.
     */
    private void batchTile(float[][] betas, Workspace[] ws, SmplOutput[] outs, int from, int to) {
        int n = ws.length;
        int groups = 0;
        for (int b = 0; b < n; b++) {
            blendShapes(betas[b], ws[b], outs[b].vertices(), from, to);
            groups = Math.max(groups, ws[b].activeFeatureCount / 4);
        }
        for (int g = 0; g < groups; g++) {
            int a = 4 * g;
            for (int b = 0; b < n; b++) {
                Workspace w = ws[b];
                if (a + 4 <= w.activeFeatureCount) {
                    Lbs.addGroup(poseRows, w.features, w.activeFeatures, a, outs[b].vertices(), from, to);
                }
            }
        }
        for (int b = 0; b < n; b++) {
            Workspace w = ws[b];
            float[] v = outs[b].vertices();
            for (int a = w.activeFeatureCount & ~3; a < w.activeFeatureCount; a++) {
                int f = w.activeFeatures[a];
                Lbs.addRow(poseRows, w.features[f], f, v, from, to);
            }
            skin(w, v, from, to);
        }
    }

    /**
     * Blends and skins a block of bodies, tile by tile, on the calling thread. The batch is split across threads
     * by body (each thread streams the model data for its own bodies), not by tile.
     */
    private void batchPass(float[][] betas, Workspace[] ws, SmplOutput[] outs) {
        int n3 = 3 * vertexCount;
        for (int from = 0; from < n3; from += BATCH_TILE) {
            batchTile(betas, ws, outs, from, Math.min(n3, from + BATCH_TILE));
        }
    }

    /** regressJoints: J[j,k] = jTemplate[j,k] + sum_b jShapeDirs[j,k,b] * betas[b], in float64. */
    private void regressJoints(float[] betas, double[] joints) {
        int nb = betas.length;
        for (int m = 0; m < 3 * JOINTS; m++) {
            double sum = jTemplate[m];
            int row = m * shapeCount;
            for (int b = 0; b < nb; b++) {
                sum += jShapeDirs[row + b] * betas[b];
            }
            joints[m] = sum;
        }
    }

    /**
     * The rest-joint regression precomputed from the official arrays, in float64: {@code jTemplate[j,k] =
     * sum_v J_regressor[j,v] v_template[v,k]} and {@code jShapeDirs[j,k,b] = sum_v J_regressor[j,v]
     * shapedirs[v,k,b]}; the regressor's zeros (nearly all of it) are skipped.
     */
    private static void regressRestJoints(ModelData data, double[] jTemplate, double[] jShapeDirs) {
        int v = data.vertexCount();
        int nb = data.shapeCount();
        float[] jr = data.jRegressor();
        float[] vt = data.vTemplate();
        float[] sd = data.shapeDirs();
        for (int j = 0; j < JOINTS; j++) {
            for (int i = 0; i < v; i++) {
                double w = jr[j * v + i];
                if (w == 0) {
                    continue;
                }
                for (int k = 0; k < 3; k++) {
                    jTemplate[3 * j + k] += w * vt[3 * i + k];
                    for (int b = 0; b < nb; b++) {
                        jShapeDirs[(3 * j + k) * nb + b] += w * sd[(3 * i + k) * nb + b];
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // checks and layouts

    /** Parameters are checked when made, but their arrays are kept and could have been changed since. */
    private void checkParams(String name, SmplParams params) {
        Checks.notNull(name, params);
        Checks.rows(name + ".pose", params.pose(), JOINTS, 3, "24×3 axis-angle");
        Checks.rows(name + ".transl", params.transl(), 1, 3, "x, y, z translation");
        checkBetas(name + ".betas", params.betas());
    }

    private void checkBetas(float[] betas) {
        checkBetas("betas", betas);
    }

    private void checkBetas(String name, float[] betas) {
        Checks.finite(name, betas, 1);
        if (betas.length > shapeCount) {
            throw new IllegalArgumentException(name + ": expected at most " + shapeCount
                    + " values (the shape components of " + source + "), got " + betas.length);
        }
    }

    private void checkOutput(SmplOutput out) {
        Checks.notNull("out", out);
        Checks.length("out.vertices", out.vertices(), 3 * vertexCount, vertexCount + "×3 vertices");
        Checks.length("out.joints", out.joints(), 3 * JOINTS, "24×3 joints");
    }

    /** Also rejects outputs that are input arrays read after the outputs are written. */
    private void checkOutput(SmplOutput out, float[] betas, float[] transl) {
        checkOutput(out);
        if (out.joints() == betas || out.vertices() == betas || out.joints() == transl) {
            throw new IllegalArgumentException("out: its arrays must not be the input betas or transl");
        }
    }

    /** rows[c][r] = a[r*cols + c]: an (r, c) row-major matrix to its columns as rows. */
    private static float[][] transpose(float[] a, int rowCount, int cols) {
        float[][] rows = new float[cols][rowCount];
        for (int r = 0; r < rowCount; r++) {
            for (int c = 0; c < cols; c++) {
                rows[c][r] = a[r * cols + c];
            }
        }
        return rows;
    }

    // ---------------------------------------------------------------------------------------------------------
    // for SmplPointsLayer: the internal arrays, shared, never to be modified

    /** @return parents (24), -1 first */
    int[] parentsArray() {
        return parents;
    }

    /** @return {@code J_regressor · v_template} (24, 3), float64 */
    double[] jointTemplate() {
        return jTemplate;
    }

    /** @return {@code J_regressor · shapedirs} (24, 3, B), float64, {@code (3*j + k)*B + b} */
    double[] jointShapeDirs() {
        return jShapeDirs;
    }

    /** @return the landmark vertices' rows of v_template (18, 3) */
    float[] landmarkTemplateArray() {
        return landmarkTemplate;
    }

    /** @return the landmark vertices' shape directions (B, 18×3) */
    float[][] landmarkShapeRowsArray() {
        return landmarkShapeRows;
    }

    /** @return the landmark vertices' pose directions (207, 18×3) */
    float[][] landmarkPoseRowsArray() {
        return landmarkPoseRows;
    }

    /** @return the sparse weights' row starts (V + 1) */
    int[] weightStartArray() {
        return weightStart;
    }

    /** @return the sparse weights' joints */
    int[] weightJointsArray() {
        return weightJoints;
    }

    /** @return the sparse weights' values */
    float[] weightValuesArray() {
        return weightValues;
    }

    @Override
    public String toString() {
        return "SmplModel[" + gender + ", " + vertexCount + " vertices, " + shapeCount + " shape components, "
                + source + "]";
    }
}
