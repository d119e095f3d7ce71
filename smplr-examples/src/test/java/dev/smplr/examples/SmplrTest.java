package dev.smplr.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line's contract: help everywhere, a version, one-line errors with exit codes 2 and 1. */
class SmplrTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"", "demo", "fit", "export", "info", "train", "eval"})
    void run_help_exitsZeroAndPrintsUsage(String command) {
        Cli r = command.isEmpty() ? Cli.run("--help") : Cli.run(command, "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: smplr" + (command.isEmpty() ? "" : " " + command));
        assertThat(r.err()).isEmpty();
    }

    @Test
    void quietLibraryLogs_setsWarnButKeepsTheUsersLevels() {
        Properties none = new Properties();
        Smplr.quietLibraryLogs(none);
        assertThat(none).containsEntry("org.slf4j.simpleLogger.defaultLogLevel", "warn")
                .containsEntry("org.slf4j.simpleLogger.log.org.deeplearning4j.nn.conf.inputs.InputType", "error");

        Properties users = new Properties();
        users.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        Smplr.quietLibraryLogs(users);
        assertThat(users).containsEntry("org.slf4j.simpleLogger.defaultLogLevel", "debug").hasSize(2);
    }

    @Test
    void run_version_printsVersionLine() {
        Cli r = Cli.run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("smplr ").contains("Java");
    }

    @Test
    void run_unknownOption_usageErrorOnOneLine() {
        Cli r = Cli.run("export", "--colour", "red", "--out", dir.resolve("a.obj").toString());
        assertThat(r.code()).isEqualTo(Smplr.USAGE);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("smplr export: Unknown option").contains("'--colour'").endsWith("(see smplr export --help)");
    }

    @Test
    void run_unknownCommand_usageError() {
        Cli r = Cli.run("fly");
        assertThat(r.code()).isEqualTo(Smplr.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains("fly");
    }

    @Test
    void run_unknownPreset_usageErrorNamingTheChoices() {
        Cli r = Cli.run("train", "dae", "--preset", "huge", "--out", dir.toString());
        assertThat(r.code()).isEqualTo(Smplr.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains("huge").contains("demo or paper");
    }

    @Test
    void run_unknownKind_usageError() {
        Cli r = Cli.run("eval", "gan");
        assertThat(r.code()).isEqualTo(Smplr.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains("gan").contains("dae, regressor, hourglass");
    }

    @Test
    void run_weightsDirectoryWithoutManifest_failureOnOneLine() {
        Cli r = Cli.run("eval", "hourglass", "--weights", dir.toString());
        assertThat(r.code()).isEqualTo(Smplr.FAILURE);
        assertThat(r.errLines()).singleElement().asString().startsWith("smplr eval: ")
                .contains(dir.resolve("manifest.json").toString()).contains("hourglass weights directory");
    }

    @Test
    void run_verbose_addsTheStackTrace() {
        Cli r = Cli.run("eval", "hourglass", "--weights", dir.toString(), "--verbose");
        assertThat(r.code()).isEqualTo(Smplr.FAILURE);
        assertThat(r.errLines().size()).isGreaterThan(3);
        assertThat(r.err()).contains("at dev.smplr.examples.Stages");
    }

    @Test
    void run_nonPositiveSteps_usageError() {
        Cli r = Cli.run("train", "dae", "--steps", "0", "--out", dir.toString());
        assertThat(r.code()).isEqualTo(Smplr.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains("--steps");
    }

    @Test
    void run_missingRequiredOption_usageError() {
        Cli r = Cli.run("fit");
        assertThat(r.code()).isEqualTo(Smplr.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains("--points");
    }

    @Test
    void run_evalMissingWeightsDirectory_usageError() {
        Cli r = Cli.run("eval", "dae", "--weights", dir.resolve("nope").toString());
        assertThat(r.code()).isEqualTo(Smplr.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains("--weights: no such directory");
    }
}
