package dev.smplr.smpl.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smplr.smpl.training.TrainerArgs.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerArgsTest {
    /** Every kind once; the shape of a trainer's declaration. */
    private static TrainerArgs cli() {
        return TrainerArgs.builder("smplr train thing")
                .option("--preset", Kind.STRING, null, "network sizes").choices("demo", "paper").defaultValue("demo")
                .option("--steps", Kind.LONG, "N", "total steps").positive().defaultValue("100")
                .option("--seed", Kind.LONG, "S", "data seed").defaultValue("1")
                .option("--out", Kind.PATH, "DIR", "the run directory").required()
                .option("--batch", Kind.INT, "B", "samples per step").positive()
                .option("--eval", Kind.INT, "N", "evaluation samples").nonNegative()
                .option("--lr", Kind.DOUBLE, "X", "initial learning rate").positive()
                .option("--shift", Kind.DOUBLE, null, "any offset")
                .option("--note", Kind.STRING, null, "free text")
                .flag("--resume", "continue from the latest checkpoint")
                .build();
    }

    @Test
    void printHelpIfAsked_printsTheUsageOnlyWhenAsked() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(cli().printHelpIfAsked(new String[] {"--out", "x", "--steps", "3"}, out)).isFalse();
        assertThat(bytes.size()).isZero();
        // without the required --out: help comes before any check of the other arguments
        assertThat(cli().printHelpIfAsked(new String[] {"--steps", "3", "--help"}, out)).isTrue();
        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(cli().usage());
        assertThat(cli().printHelpIfAsked(new String[] {"-h"}, out)).isTrue();
    }

    @Test
    void parse_everyKind_readsValuesAndDefaults() {
        TrainerArgs.Values v = cli().parse("--out", "runs/a", "--batch", "128", "--eval", "0", "--lr", "2.5e-3",
                "--shift", "-0.5", "--note", "hello", "--resume", "--seed", "-7", "--preset", "PAPER");
        assertThat(v.path("--out")).isEqualTo(Path.of("runs/a"));
        assertThat(v.intValue("--batch")).isEqualTo(128);
        assertThat(v.intValue("--eval")).isZero();
        assertThat(v.doubleValue("--lr")).isEqualTo(2.5e-3);
        assertThat(v.doubleValue("--shift")).isEqualTo(-0.5);
        assertThat(v.string("--note")).isEqualTo("hello");
        assertThat(v.flag("--resume")).isTrue();
        assertThat(v.longValue("--seed")).isEqualTo(-7L);
        assertThat(v.string("--preset")).as("a choice comes back as declared").isEqualTo("paper");
        assertThat(v.longValue("--steps")).as("default").isEqualTo(100L);
        assertThat(v.has("--steps")).isFalse();
        assertThat(v.has("--seed")).isTrue();
    }

    @Test
    void parse_equalsForm_sameAsSeparateValue() {
        TrainerArgs.Values v = cli().parse("--out=runs/b", "--steps=5", "--note=a=b");
        assertThat(v.path("--out")).isEqualTo(Path.of("runs/b"));
        assertThat(v.longValue("--steps")).isEqualTo(5L);
        assertThat(v.string("--note")).isEqualTo("a=b");
    }

    @Test
    void parse_absentOptionWithoutDefault_ifMethodsSkipAndFlagIsFalse() {
        TrainerArgs.Values v = cli().parse("--out", "o");
        List<Object> seen = new ArrayList<>();
        v.ifInt("--batch", seen::add).ifDouble("--lr", seen::add).ifString("--note", seen::add)
                .ifFlag("--resume", () -> seen.add("resume")).ifLong("--steps", seen::add)
                .ifPath("--out", seen::add).ifString("--preset", seen::add);
        assertThat(seen).containsExactly(100L, Path.of("o"), "demo");
        assertThat(v.flag("--resume")).isFalse();
        assertThatThrownBy(() -> v.intValue("--batch")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--batch").hasMessageContaining("no default");
    }

    @Test
    void parse_badValues_oneLineNamingOptionExpectationAndValue() {
        TrainerArgs c = cli();
        assertThatThrownBy(() -> c.parse("--out", "o", "--steps", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--steps: expected an integer > 0, got x");
        assertThatThrownBy(() -> c.parse("--out", "o", "--steps", "0"))
                .hasMessage("--steps: expected an integer > 0, got 0");
        assertThatThrownBy(() -> c.parse("--out", "o", "--steps", "99999999999999999999"))
                .hasMessage("--steps: expected an integer > 0, got 99999999999999999999");
        assertThatThrownBy(() -> c.parse("--out", "o", "--batch", "3000000000"))
                .as("beyond int").hasMessage("--batch: expected an integer > 0, got 3000000000");
        assertThatThrownBy(() -> c.parse("--out", "o", "--batch", "1.5"))
                .hasMessage("--batch: expected an integer > 0, got 1.5");
        assertThatThrownBy(() -> c.parse("--out", "o", "--eval", "-1"))
                .hasMessage("--eval: expected an integer >= 0, got -1");
        assertThatThrownBy(() -> c.parse("--out", "o", "--seed", "one"))
                .hasMessage("--seed: expected an integer, got one");
        assertThatThrownBy(() -> c.parse("--out", "o", "--lr", "0"))
                .hasMessage("--lr: expected a finite number > 0, got 0");
        assertThatThrownBy(() -> c.parse("--out", "o", "--lr", "NaN"))
                .hasMessage("--lr: expected a finite number > 0, got NaN");
        assertThatThrownBy(() -> c.parse("--out", "o", "--shift", "Infinity"))
                .hasMessage("--shift: expected a finite number, got Infinity");
        assertThatThrownBy(() -> c.parse("--out", "o", "--preset", "huge"))
                .hasMessage("--preset: expected demo or paper, got huge");
        assertThatThrownBy(() -> c.parse("--out", ""))
                .hasMessage("--out: expected a path, got an empty value");
        assertThatThrownBy(() -> c.parse("--out", "o", "--note="))
                .hasMessage("--note: expected a value, got an empty value");
        assertThatThrownBy(() -> c.parse("--out", "a\0b")).hasMessageStartingWith("--out: expected a path, got a");
    }

    @Test
    void parse_missingValue_namesOptionAndWhatIsMissing() {
        TrainerArgs c = cli();
        assertThatThrownBy(() -> c.parse("--out", "o", "--steps"))
                .hasMessage("--steps: expected an integer > 0, got nothing");
        assertThatThrownBy(() -> c.parse("--out", "--resume"))
                .hasMessage("--out: expected a path, got the option --resume");
        assertThatThrownBy(() -> c.parse("--note", "--bogus", "--out", "o"))
                .hasMessage("--note: expected a value, got the option --bogus");
        assertThatThrownBy(() -> c.parse("--resume=yes", "--out", "o"))
                .hasMessage("--resume: a flag takes no value, got yes");
        assertThatThrownBy(() -> c.parse("--steps", "3")).hasMessage("--out: required (DIR, the run directory), not given");
    }

    @Test
    void parse_unknownOption_listsTheKnownOnes() {
        assertThatThrownBy(() -> cli().parse("--out", "o", "--epochs", "3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option --epochs; known options: --preset, --steps, --seed, --out, --batch, "
                        + "--eval, --lr, --shift, --note, --resume");
        assertThatThrownBy(() -> cli().parse("--out", "o", "--epochs=3")).hasMessageStartingWith("unknown option --epochs;");
        assertThatThrownBy(() -> cli().parse("-s", "3")).hasMessageStartingWith("unknown option -s;");
        assertThatThrownBy(() -> cli().parse("--out", "o", "extra"))
                .hasMessageStartingWith("unexpected argument extra; known options: --preset,");
    }

    @Test
    void parse_optionTwice_rejected() {
        assertThatThrownBy(() -> cli().parse("--out", "o", "--steps", "10", "--steps", "20"))
                .hasMessage("--steps: given twice (10, then 20)");
        assertThatThrownBy(() -> cli().parse("--out", "o", "--resume", "--resume")).hasMessage("--resume: given twice");
    }

    @Test
    void parse_noArguments_onlyRequiredMissing() {
        TrainerArgs c = TrainerArgs.builder("p").flag("--x", "x").option("--n", Kind.INT, null, "n").build();
        TrainerArgs.Values v = c.parse();
        assertThat(v.flag("--x")).isFalse();
        assertThat(v.has("--n")).isFalse();
        assertThat(v.command()).isEqualTo("p");
    }

    @Test
    void command_recordsArgumentsVerbatim_quotedForAShell() {
        TrainerArgs.Values v = cli().parse("--out", "/work/runs/a b", "--note", "it's", "--steps", "3600",
                "--lr=1e-4", "--resume");
        assertThat(v.command()).isEqualTo("smplr train thing --out '/work/runs/a b' --note 'it'\\''s' --steps 3600 "
                + "--lr=1e-4 --resume");
    }

    @Test
    void command_parsedAgain_givesTheSameValues() {
        String[] args = {"--out", "/tmp/x", "--batch", "64", "--preset", "paper", "--resume"};
        TrainerArgs c = cli();
        String command = c.parse(args).command();
        String[] again = command.substring("smplr train thing ".length()).split(" ");
        TrainerArgs.Values v = c.parse(again);
        assertThat(v.command()).isEqualTo(command);
        assertThat(v.intValue("--batch")).isEqualTo(64);
        assertThat(v.string("--preset")).isEqualTo("paper");
    }

    @Test
    void usage_listsEveryOptionWithLabelHelpAndDefault() {
        String usage = cli().usage();
        assertThat(usage.lines().toList()).containsExactly(
                "Usage: smplr train thing --out DIR [options]",
                "  --preset demo|paper         network sizes (default: demo)",
                "  --steps N                   total steps (default: 100)",
                "  --seed S                    data seed (default: 1)",
                "  --out DIR                   the run directory (required)",
                "  --batch B                   samples per step",
                "  --eval N                    evaluation samples",
                "  --lr X                      initial learning rate",
                "  --shift X                   any offset",
                "  --note VALUE                free text",
                "  --resume                    continue from the latest checkpoint");
        assertThat(cli().optionHelp()).isEqualTo(usage.substring(usage.indexOf('\n') + 1));
        assertThat(cli().program()).isEqualTo("smplr train thing");
        assertThat(cli().names()).startsWith("--preset", "--steps").endsWith("--resume").hasSize(10);
    }

    @Test
    void values_wrongUse_illegalState() {
        TrainerArgs.Values v = cli().parse("--out", "o");
        assertThatThrownBy(() -> v.intValue("--steps")).isInstanceOf(IllegalStateException.class)
                .hasMessage("--steps: declared LONG, read as INT");
        assertThatThrownBy(() -> v.flag("--epochs")).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("--epochs: not declared");
        assertThatThrownBy(() -> v.has("--epochs")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void builder_badDeclarations_throw() {
        assertThatThrownBy(() -> TrainerArgs.builder(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("program:");
        assertThatThrownBy(() -> TrainerArgs.builder("p").flag("steps", "h"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("name: expected --lower-case-words, got steps");
        assertThatThrownBy(() -> TrainerArgs.builder("p").flag("--a", "h").flag("--a", "h"))
                .hasMessage("name: --a is already declared");
        assertThatThrownBy(() -> TrainerArgs.builder("p").option("--a", Kind.FLAG, null, "h"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrainerArgs.builder("p").positive()).isInstanceOf(IllegalStateException.class)
                .hasMessage("positive: no option declared yet");
        assertThatThrownBy(() -> TrainerArgs.builder("p").option("--a", Kind.STRING, null, "h").positive())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TrainerArgs.builder("p").option("--a", Kind.INT, null, "h").choices("x"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TrainerArgs.builder("p").option("--a", Kind.STRING, null, "h").choices())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrainerArgs.builder("p").flag("--a", "h").defaultValue("x"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TrainerArgs.builder("p").option("--a", Kind.PATH, null, "h").required()
                .defaultValue("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TrainerArgs.builder("p").option("--a", Kind.INT, null, "h").positive()
                .defaultValue("0").build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("default of --a: expected an integer > 0, got 0");
    }

    @Test
    void longValue_intOption_widens() {
        TrainerArgs.Values v = cli().parse("--out", "o", "--batch", "12");
        assertThat(v.longValue("--batch")).isEqualTo(12L);
        List<Long> seen = new ArrayList<>();
        v.ifLong("--batch", seen::add).ifLong("--eval", seen::add);
        assertThat(seen).containsExactly(12L);
        assertThatThrownBy(() -> v.longValue("--lr")).isInstanceOf(IllegalStateException.class)
                .hasMessage("--lr: declared DOUBLE, read as LONG");
    }

    @Test
    void runOptions_declaresTheCommonOptionsInOrder() {
        TrainerArgs cli = TrainerArgs.builder("p").runOptions("total steps", 500, "the data seed", "the run directory",
                "continue").everyOptions(Kind.INT, 40, 80).build();
        assertThat(cli.names()).containsExactly("--preset", "--steps", "--seed", "--out", "--resume",
                "--validate-every", "--checkpoint-every");
        assertThat(cli.optionHelp().lines()).containsExactly(
                "  --preset demo|paper         network sizes (default: demo)",
                "  --steps N                   total steps (default: 500)",
                "  --seed S                    the data seed (default: 1)",
                "  --out DIR                   the run directory (required)",
                "  --resume                    continue",
                "  --validate-every N          steps between validations (default: 40)",
                "  --checkpoint-every N        steps between checkpoints (default: 80)");
        TrainerArgs.Values v = cli.parse("--out", "o");
        assertThat(v.intValue("--validate-every")).isEqualTo(40);
        assertThat(v.longValue("--seed")).isEqualTo(TrainerArgs.DEFAULT_SEED);
        assertThatThrownBy(() -> cli.parse("--out", "o", "--checkpoint-every", "0"))
                .hasMessage("--checkpoint-every: expected an integer > 0, got 0");
    }

    @Test
    void everyOptions_zeroValidateEvery_hasNoDefaultAndSaysSo() {
        TrainerArgs cli = TrainerArgs.builder("p").everyOptions(Kind.LONG, 0, 50).build();
        assertThat(cli.optionHelp()).contains("  --validate-every N          steps between validations (default: "
                + "steps / 20)\n");
        TrainerArgs.Values v = cli.parse();
        assertThat(v.has("--validate-every")).isFalse();
        assertThat(v.longValue("--checkpoint-every")).isEqualTo(50L);
        assertThatThrownBy(() -> TrainerArgs.builder("p").everyOptions(Kind.DOUBLE, 1, 1))
                .hasMessage("kind: expected INT or LONG, got DOUBLE");
        assertThatThrownBy(() -> TrainerArgs.builder("p").everyOptions(Kind.INT, 1, 0))
                .hasMessageStartingWith("checkpointEvery: ");
    }

    @Test
    void chainedCommands_splitsAtBothJoins_inOrder() {
        String recorded = "t --steps 9" + TrainerArgs.RESUMED + "t --steps 9 --lr 1e-3" + TrainerArgs.STARTED_FROM
                + "t --init-from w";
        assertThat(TrainerArgs.chainedCommands(recorded))
                .containsExactly("t --steps 9", "t --steps 9 --lr 1e-3", "t --init-from w");
        assertThat(TrainerArgs.chainedCommands("t --steps 9")).containsExactly("t --steps 9");
        assertThatThrownBy(() -> TrainerArgs.chainedCommands(null)).hasMessageStartingWith("recorded");
    }
}
