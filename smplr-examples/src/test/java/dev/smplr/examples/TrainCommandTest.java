package dev.smplr.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smplr.dae.JointDenoiser;
import dev.smplr.smpl.training.Json;
import dev.smplr.smpl.training.TrainerArgs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code smplr train}: options after KIND reach the trainer as written; errors stay one line. */
class TrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void run_forwardedOptions_reachTheTrainerAndTheManifest() throws IOException {
        Path out = dir.resolve("dae");
        PrintStream stdout = System.out;
        Cli r;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)); // progress
        try {
            r = Cli.run("train", "dae", "--out", out.toString(), "--steps", "2", "--batch", "4", "--seed", "9",
                    "--no-structured");
        } finally {
            System.setOut(stdout);
        }
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("wrote " + out);
        JointDenoiser.Training t = JointDenoiser.load(out.resolve("weights")).training();
        assertThat(t.command()).isEqualTo("smplr train dae --out " + out + " --steps 2 --batch 4 --seed 9 "
                + "--no-structured");
        assertThat(t.steps()).isEqualTo(2);
        assertThat(t.seed()).isEqualTo(9);
        assertThat(t.data()).contains("batch 4");
    }

    @ParameterizedTest
    @CsvSource({
        "regressor, --batch, x, '--batch: expected an integer > 0, got x'",
        "regressor, --noise, loud, '--noise: expected release, graded or none, got loud'",
        "hourglass, --eval, -1, '--eval: expected an integer >= 0, got -1'",
        "dae, --validate-every, 0, '--validate-every: expected an integer > 0, got 0'"})
    void run_badForwardedValue_trainersMessageOnOneLine(String kind, String option, String value, String message) {
        Cli r = Cli.run("train", kind, "--out", dir.toString(), option, value);
        assertThat(r.code()).isEqualTo(Smplr.USAGE);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("smplr train: " + message + " (see smplr train " + kind + " --help)");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void run_unknownOption_oneLineListingTheTrainersOptions() {
        Cli r = Cli.run("train", "hourglass", "--out", dir.toString(), "--colour", "red");
        assertThat(r.code()).isEqualTo(Smplr.USAGE);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("smplr train: unknown option --colour; known options: --preset, --steps, --seed, --out")
                .contains("--validation").endsWith("(see smplr train hourglass --help)");
    }

    @Test
    void run_missingOut_usageError() {
        Cli r = Cli.run("train", "regressor", "--steps", "10");
        assertThat(r.code()).isEqualTo(Smplr.USAGE);
        assertThat(r.errLines()).singleElement().asString().startsWith("smplr train: --out: required");
    }

    @Test
    void run_kindHelp_listsTheTrainersOptions() {
        Cli r = Cli.run("train", "regressor", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("Usage: smplr train").contains("Options of smplr train regressor:")
                .contains(Stages.trainerCommandLine(Stages.Kind.regressor).optionHelp().lines().toList());
        assertThat(Cli.run("train", "hourglass", "--help").out()).contains("  --validation N");
        assertThat(Cli.run("train", "--help").out()).contains("smplr train regressor --help");
    }

    /** The commands the shipped weights record parse, through picocli and the trainer, to themselves. */
    @ParameterizedTest
    @CsvSource({"regressor, /dev/smplr/smpl/demo-regressor/manifest.json",
        "hourglass, /dev/smplr/hourglass/demo/manifest.json", "dae, /dev/smplr/dae/demo/manifest.json"})
    void parse_shippedManifestCommands_runAsWritten(String kind, String resource) throws IOException {
        String text;
        try (InputStream in = TrainCommandTest.class.getResourceAsStream(resource)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String recorded = (String) cast(cast(Json.parse(text)).get("training")).get("command");
        // resumed runs and runs started from earlier weights (--init-from) chain their commands
        for (String command : TrainerArgs.chainedCommands(recorded)) {
            // the DAE's was recorded as "DenoiserTrainer ARGS", before smplr train dae took every option
            String smplr = command.replaceFirst("^DenoiserTrainer ", "smplr train dae ");
            String[] words = smplr.split(" ");
            assertThat(Arrays.copyOf(words, 3)).containsExactly("smplr", "train", kind);
            CommandLine cl = Smplr.commandLine();
            CommandLine.ParseResult parsed = cl.parseArgs(Arrays.copyOfRange(words, 1, words.length));
            TrainCommand train = parsed.subcommand().commandSpec().commandLine().getCommand();
            assertThat(train.kind).isEqualTo(Stages.Kind.valueOf(kind));
            TrainerArgs.Values v = Stages.trainerCommandLine(train.kind)
                    .parse(train.trainerArgs.toArray(String[]::new));
            assertThat(v.command()).isEqualTo(smplr);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }
}
