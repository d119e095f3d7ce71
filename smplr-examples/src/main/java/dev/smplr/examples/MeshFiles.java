package dev.smplr.examples;

import dev.smplr.core.KinematicTree;
import dev.smplr.io.MeshWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a posed body as OBJ, binary PLY or GLB (with its SMPL skeleton), chosen by the file's extension. */
final class MeshFiles {
    /** The extensions {@link #write} knows. */
    static final List<String> EXTENSIONS = List.of("obj", "ply", "glb");

    private MeshFiles() {
    }

    /**
     * @param file     the file; its extension picks the format
     * @param vertices (V, 3), metres. Not modified.
     * @param faces    (F, 3) vertex ids. Not modified.
     * @param joints   (24, 3) SMPL joints for the GLB skeleton, or null for none. Not modified.
     * @throws IllegalArgumentException if the extension is not obj, ply or glb
     * @throws IOException              if the file cannot be written
     */
    static void write(Path file, float[] vertices, int[] faces, float[] joints) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        switch (checkExtension(file, "file")) {
            case "obj" -> MeshWriter.writeObj(file, vertices, faces, true);
            case "ply" -> MeshWriter.writePly(file, vertices, faces, true);
            default -> {
                if (joints == null) {
                    MeshWriter.writeGlb(file, vertices, faces);
                } else {
                    MeshWriter.writeGlb(file, vertices, faces,
                            MeshWriter.Skeleton.of(KinematicTree.smpl(), joints, null));
                }
            }
        }
    }

    /**
     * @param file   the output file
     * @param option the option that named it
     * @return its extension
     * @throws Smplr.UsageException if the extension is not obj, ply or glb
     */
    static String checkExtension(Path file, String option) {
        String ext = Inputs.extension(file);
        if (!EXTENSIONS.contains(ext)) {
            throw new Smplr.UsageException(option + ": expected a .obj, .ply or .glb file name, got " + file);
        }
        return ext;
    }
}
