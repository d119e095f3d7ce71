package dev.smplr.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code smplr train}: train one of the networks and write its weights directory. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a network on synthetic data and write a weights directory (network files and a "
            + "manifest.json with the preset, seed, steps, data and metrics).")
final class TrainCommand implements Callable<Integer> {
    @Parameters(paramLabel = "KIND", description = "What to train: ${COMPLETION-CANDIDATES}.")
    Stages.Kind kind;

    @Option(names = "--preset", paramLabel = "PRESET", defaultValue = "demo",
            description = "Network and schedule sizes: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Stages.Preset preset;

    @Option(names = "--steps", paramLabel = "N", description = "Optimisation steps (default: the preset's).")
    Integer steps;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The weights directory to write.")
    Path out;

    @Option(names = "--resume", description = "Continue from the latest checkpoint in --out.")
    boolean resume;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (steps != null && steps <= 0) {
            throw new Smplr.UsageException("--steps: expected a count > 0, got " + steps);
        }
        Stages.train(new Stages.TrainRequest(kind, preset, steps, seed, out, resume));
        spec.commandLine().getOut().println("wrote " + out);
        return 0;
    }
}
