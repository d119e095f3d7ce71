package dev.smplr.examples;

import dev.smplr.smpl.training.TrainerArgs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code smplr train KIND ARGS}: train one of the networks and write its weights directory. Every argument after
 * {@code KIND} that picocli does not know itself ({@code --help}, {@code --version}, {@code --verbose}) goes to
 * that kind's trainer as written, so the trainer's own parser ({@link TrainerArgs}) owns the options, their
 * defaults and their messages, and the command a manifest records ({@code smplr train KIND ARGS}) runs again as it
 * stands. {@code smplr train KIND --help} appends the trainer's options to the usage.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        customSynopsis = "smplr train [-hV] [--verbose] KIND --out DIR [TRAINER-OPTION...]",
        description = {"Train a network on synthetic data and write a weights directory (network files and a "
            + "manifest.json with the preset, seed, steps, data, metrics and this command).",
            "Every option after KIND goes to that network's trainer as written; "
                + "smplr train KIND --help lists them."})
final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "KIND", description = "What to train: ${COMPLETION-CANDIDATES}.")
    Stages.Kind kind;

    /** Everything picocli does not know: the trainer's arguments, in their order. */
    @Unmatched
    List<String> trainerArgs = new ArrayList<>();

    private CommandSpec spec;

    /** Injects the spec and makes the help's footer the trainer's options (KIND is parsed by then). */
    @Spec
    void spec(CommandSpec value) {
        spec = value;
        value.usageMessage().sectionMap().put(UsageMessageSpec.SECTION_KEY_FOOTER, help -> trainerHelp());
    }

    @Override
    public Integer call() throws IOException {
        String[] args = trainerArgs.toArray(String[]::new);
        TrainerArgs cli = Stages.trainerCommandLine(kind);
        TrainerArgs.Values values;
        try {
            values = cli.parse(args); // checked before any work: a usage error, not a failure
        } catch (IllegalArgumentException e) {
            throw new Smplr.UsageException(e.getMessage(), cli.program() + " --help");
        }
        Stages.train(kind, args);
        spec.commandLine().getOut().println("wrote " + values.path("--out"));
        return 0;
    }

    private String trainerHelp() {
        if (kind == null) {
            return "\nEach KIND has its own options: smplr train dae --help, smplr train regressor --help, "
                    + "smplr train hourglass --help.\n";
        }
        TrainerArgs cli = Stages.trainerCommandLine(kind);
        return "\nOptions of " + cli.program() + ":\n" + cli.optionHelp();
    }
}
