package dev.smplr.smpl;

import dev.smplr.io.CscMatrix;
import dev.smplr.io.NdArray;
import dev.smplr.io.NdArray.DType;
import dev.smplr.io.Npy;
import dev.smplr.io.Npz;
import dev.smplr.io.internal.PickleWriter;
import dev.smplr.io.internal.PickleWriter.Flavor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes any {@link ModelData} in the layouts real SMPL files have (SMPL.md), so that loaders are tested without
 * a licensed model file:
 * <ul>
 *   <li>{@link #writePkl}: the official {@code .pkl}, a protocol-2 pickle of one dict, as Python 2 cPickle
 *       wrote it ({@link Flavor#PY2}: {@code numpy.core.multiarray}, {@code scipy.sparse.csc}, byte strings) or as
 *       a Python 3 conversion ({@link Flavor#PY3}: {@code numpy._core}, {@code scipy.sparse._csc}, BINUNICODE);</li>
 *   <li>{@link #writeNpz}: a converted {@code .npz}, float64, dense {@code J_regressor};</li>
 *   <li>{@link #writeNaiveNpz}: a naive conversion whose {@code J_regressor} is a 0-d object array holding a
 *       pickled {@code csc_matrix}, as {@code np.savez(J_regressor=csc_matrix)} writes it.</li>
 * </ul>
 * All three also hold this library's extra key {@code landmark_vertices} (18,) int64, which the reader needs for
 * meshes other than SMPL's 6890 vertices; remove it from the map of {@link #pklDict} or {@link #npzArrays} to
 * write a file without it. None holds a {@code gender} key: the reader takes the gender from the file name.
 */
public final class SmplFileFixtures {

    private SmplFileFixtures() {
    }

    /**
     * The dict of an official {@code .pkl}, in the official key order, with float64 arrays: {@code J_regressor_prior}
     * and {@code J_regressor} csc_matrix (24, V) with int32 indices, {@code f} uint32, {@code kintree_table} uint32
     * with the root's parent 4294967295, {@code J}, {@code weights_prior}, {@code weights}, {@code vert_sym_idxs},
     * {@code posedirs}, {@code pose_training_info} (a dict of str and float), {@code bs_style} 'lbs',
     * {@code bs_type} 'lrotmin', {@code v_template}, {@code shapedirs} a chumpy Ch; then {@code landmark_vertices}.
     *
     * @param m the model
     * @param w the writer (its flavour decides the chumpy and scipy spellings)
     * @return a new mutable map, for {@link #writePkl(Map, Path, PickleWriter)}
     */
    public static Map<String, Object> pklDict(ModelData m, PickleWriter w) {
        int v = m.vertexCount();
        CscMatrix jr = csc(m.jRegressor(), ModelData.JOINTS, v);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("pose_reg", 0.0001);
        training.put("shape_reg", 0.01);
        training.put("dataset", "synthetic");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("J_regressor_prior", jr);
        d.put("f", NdArray.of(DType.UINT32, new int[] {m.faces().length / 3, 3}, longs(m.faces())));
        d.put("J_regressor", jr);
        d.put("kintree_table", NdArray.of(DType.UINT32, new int[] {2, ModelData.JOINTS}, kintree(m, 0xFFFF_FFFFL)));
        d.put("J", f8(new int[] {ModelData.JOINTS, 3}, joints(m)));
        d.put("weights_prior", f8(new int[] {v, ModelData.JOINTS}, m.lbsWeights()));
        d.put("weights", f8(new int[] {v, ModelData.JOINTS}, m.lbsWeights()));
        long[] sym = new long[v];
        for (int i = 0; i < v; i++) {
            sym[i] = v - 1 - i;
        }
        d.put("vert_sym_idxs", NdArray.of(new int[] {v}, sym));
        d.put("posedirs", f8(new int[] {v, 3, ModelData.POSE_FEATURES}, m.poseDirs()));
        d.put("pose_training_info", training);
        d.put("bs_style", "lbs");
        d.put("bs_type", "lrotmin");
        d.put("v_template", f8(new int[] {v, 3}, m.vTemplate()));
        d.put("shapedirs", w.chumpy(f8(new int[] {v, 3, m.shapeCount()}, m.shapeDirs())));
        d.put("landmark_vertices", NdArray.of(new int[] {m.landmarkVertices().length}, longs(m.landmarkVertices())));
        return d;
    }

    /**
     * Writes {@code m} as an official {@code .pkl} ({@link #pklDict}).
     *
     * @param m      the model
     * @param file   the file
     * @param flavor which Python wrote it
     * @throws IOException if the file cannot be written
     */
    public static void writePkl(ModelData m, Path file, Flavor flavor) throws IOException {
        PickleWriter w = new PickleWriter(flavor);
        writePkl(pklDict(m, w), file, w);
    }

    /**
     * Pickles a (possibly altered) dict.
     *
     * @param dict the values, as {@link PickleWriter} takes them
     * @param file the file
     * @param w    the writer that made the dict's chumpy and scipy objects
     * @throws IOException if the file cannot be written
     */
    public static void writePkl(Map<String, Object> dict, Path file, PickleWriter w) throws IOException {
        Files.write(file, w.dump(dict));
    }

    /**
     * The arrays of a converted {@code .npz}: float64, dense {@code J_regressor}, {@code kintree_table} int64 with
     * the root's parent -1, {@code f} uint32, {@code J}, {@code bs_style}/{@code bs_type} as 0-d unicode arrays,
     * then {@code landmark_vertices}.
     *
     * @param m the model
     * @return a new mutable map, for {@link Npz#write}
     */
    public static Map<String, NdArray> npzArrays(ModelData m) {
        int v = m.vertexCount();
        Map<String, NdArray> a = new LinkedHashMap<>();
        a.put("v_template", f8(new int[] {v, 3}, m.vTemplate()));
        a.put("shapedirs", f8(new int[] {v, 3, m.shapeCount()}, m.shapeDirs()));
        a.put("posedirs", f8(new int[] {v, 3, ModelData.POSE_FEATURES}, m.poseDirs()));
        a.put("J_regressor", f8(new int[] {ModelData.JOINTS, v}, m.jRegressor()));
        a.put("weights", f8(new int[] {v, ModelData.JOINTS}, m.lbsWeights()));
        a.put("kintree_table", NdArray.of(new int[] {2, ModelData.JOINTS}, kintree(m, -1)));
        a.put("f", NdArray.of(DType.UINT32, new int[] {m.faces().length / 3, 3}, longs(m.faces())));
        a.put("J", f8(new int[] {ModelData.JOINTS, 3}, joints(m)));
        a.put("bs_style", NdArray.ofString("lbs"));
        a.put("bs_type", NdArray.ofString("lrotmin"));
        a.put("landmark_vertices", NdArray.of(new int[] {m.landmarkVertices().length}, longs(m.landmarkVertices())));
        return a;
    }

    /**
     * Writes {@code m} as a converted {@code .npz} ({@link #npzArrays}), deflated.
     *
     * @param m    the model
     * @param file the file
     * @throws IOException if the file cannot be written
     */
    public static void writeNpz(ModelData m, Path file) throws IOException {
        Npz.write(npzArrays(m), file, true);
    }

    /**
     * Writes {@code m} as a naive {@code .npz} conversion: the arrays of {@link #npzArrays}, but
     * {@code J_regressor} a 0-d object array ({@code descr '|O'}) whose data is a pickle of the
     * {@code csc_matrix}, as numpy writes one (Python 3 spellings; protocol 2).
     *
     * @param m        the model
     * @param file     the file
     * @param compress deflate the entries ({@code np.savez_compressed}) or store them ({@code np.savez})
     * @throws IOException if the file cannot be written
     */
    public static void writeNaiveNpz(ModelData m, Path file, boolean compress) throws IOException {
        Map<String, NdArray> arrays = npzArrays(m);
        PickleWriter w = new PickleWriter(Flavor.PY3);
        CscMatrix jr = csc(m.jRegressor(), ModelData.JOINTS, m.vertexCount());
        byte[] pickle = w.dump(new PickleWriter.ObjectArray(new int[0], List.of(w.cscMatrix(jr))));
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setMethod(compress ? ZipOutputStream.DEFLATED : ZipOutputStream.STORED);
            for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
                ByteArrayOutputStream npy = new ByteArrayOutputStream();
                if (e.getKey().equals("J_regressor")) {
                    npy.write(objectArrayHeader());
                    npy.write(pickle);
                } else {
                    Npy.write(e.getValue(), npy);
                }
                putEntry(zip, e.getKey() + ".npy", npy.toByteArray(), compress);
            }
        }
    }

    /** numpy's version 1.0 header of a 0-d object array, padded to 64 bytes with a newline at the end. */
    private static byte[] objectArrayHeader() {
        String dict = "{'descr': '|O', 'fortran_order': False, 'shape': (), }";
        int total = (10 + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(total - 10 - dict.length() - 1) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(),
            (byte) (header.length() >> 8)});
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static void putEntry(ZipOutputStream zip, String name, byte[] data, boolean compress)
            throws IOException {
        ZipEntry entry = new ZipEntry(name);
        if (!compress) {
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(data);
            entry.setSize(data.length);
            entry.setCompressedSize(data.length);
            entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }

    // ---- conversions -----------------------------------------------------------------------------------------

    /** A dense row-major (rows, cols) matrix as scipy's csc_matrix, column by column, rows ascending. */
    static CscMatrix csc(float[] dense, int rows, int cols) {
        int[] indptr = new int[cols + 1];
        List<Integer> idx = new ArrayList<>();
        List<Double> data = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                float x = dense[r * cols + c];
                if (x != 0) {
                    idx.add(r);
                    data.add((double) x);
                }
            }
            indptr[c + 1] = idx.size();
        }
        return new CscMatrix(rows, cols, indptr, idx.stream().mapToInt(Integer::intValue).toArray(),
                data.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** J = J_regressor · v_template in float64, (24, 3). */
    static double[] joints(ModelData m) {
        int v = m.vertexCount();
        double[] j = new double[3 * ModelData.JOINTS];
        for (int r = 0; r < ModelData.JOINTS; r++) {
            for (int i = 0; i < v; i++) {
                for (int k = 0; k < 3; k++) {
                    j[3 * r + k] += (double) m.jRegressor()[r * v + i] * m.vTemplate()[3 * i + k];
                }
            }
        }
        return j;
    }

    private static long[] kintree(ModelData m, long rootParent) {
        long[] k = new long[2 * ModelData.JOINTS];
        for (int j = 0; j < ModelData.JOINTS; j++) {
            k[j] = m.parents()[j] < 0 ? rootParent : m.parents()[j];
            k[ModelData.JOINTS + j] = j;
        }
        return k;
    }

    static NdArray f8(int[] shape, float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return NdArray.of(shape, d);
    }

    private static NdArray f8(int[] shape, double[] values) {
        return NdArray.of(shape, values);
    }

    static long[] longs(int[] values) {
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = values[i];
        }
        return l;
    }
}
