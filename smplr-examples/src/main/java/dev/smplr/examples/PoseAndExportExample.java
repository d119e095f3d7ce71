package dev.smplr.examples;

import dev.smplr.core.Gender;
import dev.smplr.core.KinematicTree;
import dev.smplr.core.SmplJoint;
import dev.smplr.io.MeshWriter;
import dev.smplr.smpl.SmplModel;
import dev.smplr.smpl.SmplOutput;
import dev.smplr.smpl.SmplParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Posing an SMPL body by hand and exporting it: bend an elbow and a knee, make the body taller, write OBJ (with
 * normals) and GLB (with the skeleton, for Blender or a glTF viewer). Pass a licensed SMPL file to use it instead
 * of the embedded demo body.
 *
 * <p>Run: {@code java -cp smplr-examples.jar dev.smplr.examples.PoseAndExportExample [out-dir] [model.pkl]}.
 */
public final class PoseAndExportExample {
    private PoseAndExportExample() {
    }

    /**
     * @param args optional output directory (default {@code out}) and SMPL model file
     * @throws IOException if the model cannot be read or a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "out");
        SmplModel smpl = args.length > 1 ? SmplModel.load(Path.of(args[1])) : SmplModel.demo(Gender.FEMALE);

        float[] pose = new float[SmplParams.POSE_SIZE];              // 24 joints × axis-angle, radians
        pose[3 * SmplJoint.LEFT_ELBOW.ordinal() + 1] = -1.2f;           // bend the left elbow
        pose[3 * SmplJoint.RIGHT_KNEE.ordinal()] = 0.9f;                 // and the right knee
        float[] betas = {1.5f, 0, 0, 0, 0, 0, 0, 0, 0, 0};           // first shape component: taller
        SmplOutput body = smpl.forward(SmplParams.of(pose, betas, null));

        Files.createDirectories(out);
        Path obj = out.resolve("posed.obj");
        Path glb = out.resolve("posed.glb");
        MeshWriter.writeObj(obj, body.vertices(), smpl.faces(), true);
        MeshWriter.writeGlb(glb, body.vertices(), smpl.faces(),
                MeshWriter.Skeleton.of(KinematicTree.smpl(), body.joints(), null));
        System.out.println("wrote " + obj + " and " + glb + " (" + smpl + ")");
    }
}
