package dev.smplr.examples;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code smplr info MODEL}: what an SMPL model file holds. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Show what an SMPL model file (.pkl or .npz) holds: format, vertices, faces, shape and pose "
            + "blend shapes, joint regressor, kinematic tree, gender and landmarks.",
            "A file of another kind is named as such, on one line, with exit code 1."})
final class InfoCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "The model file: an official SMPL .pkl or a converted .npz.")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Inputs.requireFile(file, "MODEL");
        Map<String, String> info = ModelInfo.describe(file);
        int width = info.keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, String> e : info.entrySet()) {
            spec.commandLine().getOut().printf("%-" + width + "s  %s%n", e.getKey(), e.getValue());
        }
        return 0;
    }
}
