package dev.smplr.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code smplr eval}: measure a network on synthetic validation data. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a network (the shipped demo weights, or a weights directory) on seeded synthetic "
            + "validation data and print its errors in mm.")
final class EvalCommand implements Callable<Integer> {
    @Parameters(paramLabel = "KIND", description = "What to evaluate: ${COMPLETION-CANDIDATES}.")
    Stages.Kind kind;

    @Option(names = "--weights", paramLabel = "DIR",
            description = "A weights directory (default: the shipped demo weights).")
    Path weights;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "1000",
            description = "Validation samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "12345",
            description = "Seed of the validation samples (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (weights != null && !Files.isDirectory(weights)) {
            throw new Smplr.UsageException("--weights: no such directory: " + weights);
        }
        if (samples <= 0) {
            throw new Smplr.UsageException("--samples: expected a count > 0, got " + samples);
        }
        Map<String, Double> metrics = Stages.evaluate(new Stages.EvalRequest(kind, weights, samples, seed));
        int width = metrics.keySet().stream().mapToInt(String::length).max().orElse(0);
        metrics.forEach((k, v) -> spec.commandLine().getOut().printf(Locale.ROOT, "%-" + width + "s  %.2f%n", k, v));
        return 0;
    }
}
