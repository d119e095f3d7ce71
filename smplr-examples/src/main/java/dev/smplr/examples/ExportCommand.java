package dev.smplr.examples;

import dev.smplr.smpl.PoseSampler;
import dev.smplr.smpl.SmplModel;
import dev.smplr.smpl.SmplOutput;
import dev.smplr.smpl.SmplParams;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code smplr export}: pose a body model and write the mesh. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Pose an SMPL body (a model file or the embedded demo body) and write the mesh as OBJ, PLY or "
            + "GLB (GLB carries the 24-joint skeleton).",
            "Without --pose or --random-pose the body stands in its rest pose."})
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "demo", converter = ModelSpec.Converter.class,
            description = "An SMPL .pkl/.npz file, or demo[:female|male|neutral] (default: ${DEFAULT-VALUE}).")
    ModelSpec model;

    @ArgGroup(exclusive = true)
    PoseSource poseSource;

    /** Where the pose comes from: a file or a seed. */
    static final class PoseSource {
        @Option(names = "--pose", paramLabel = "FILE", required = true,
                description = "72 axis-angle values (24 joints × 3) from JSON (an array, or key 'pose'), CSV or "
                    + "NPY.")
        Path file;

        @Option(names = "--random-pose", paramLabel = "SEED", required = true,
                description = "A random anatomical pose from this seed, standing upright.")
        Long seed;
    }

    @Option(names = "--betas", paramLabel = "B", split = ",",
            description = "Shape coefficients, comma-separated (default: all zero).")
    List<Float> betas;

    @Option(names = "--out", paramLabel = "MESH", required = true,
            description = "The mesh to write: .obj, .ply or .glb.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        MeshFiles.checkExtension(out, "--out");
        float[] pose = new float[SmplParams.POSE_SIZE];
        if (poseSource != null && poseSource.file != null) {
            Inputs.requireFile(poseSource.file, "--pose");
            pose = InputArrays.read(poseSource.file, List.of("pose"), 24, 3, "a pose of 24 joints × 3 axis-angle");
        } else if (poseSource != null) {
            pose = randomPose(poseSource.seed);
        }
        SmplModel body = model.load();
        float[] b = new float[betas == null ? 0 : betas.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = betas.get(i);
        }
        if (b.length > body.shapeCount()) {
            throw new Smplr.UsageException("--betas: " + b.length + " values, but " + model + " has "
                    + body.shapeCount() + " shape components");
        }
        SmplOutput posed = body.forward(SmplParams.of(pose, b, null));
        MeshFiles.write(out, posed.vertices(), body.faces(), posed.joints());
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %d vertices, %d faces (%s)%n", out,
                body.vertexCount(), body.faces().length / 3, model);
        return 0;
    }

    /** An anatomical pose, global orientation dropped so that the body stands upright. */
    static float[] randomPose(long seed) {
        float[] pose = PoseSampler.anatomical().sample(new SplittableRandom(seed)).params().pose();
        pose[0] = 0;
        pose[1] = 0;
        pose[2] = 0;
        return pose;
    }
}
