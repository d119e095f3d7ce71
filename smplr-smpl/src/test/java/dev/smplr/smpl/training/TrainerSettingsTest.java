package dev.smplr.smpl.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smplr.smpl.training.TrainerArgs.Kind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TrainerSettingsTest {
    /** A trainer's builder in miniature: defaults 100 steps, validation steps / 20, checkpoints every 10. */
    private static final class Tiny extends TrainerSettings.Builder<Tiny> {
        Tiny(boolean outRequired) {
            super(100, 0, 10, "Tiny (API)", outRequired);
        }

        @Override
        public Tiny resume(boolean value) {
            return super.resume(value);
        }

        TrainerSettings build() {
            return settings();
        }
    }

    @Test
    void constructor_zeroValidateEvery_isStepsOverTwentyAtLeastOne() {
        PrintStream log = System.out;
        assertThat(new TrainerSettings(140, 0, null, false, 0, 5, log, "c").validateEvery()).isEqualTo(7);
        assertThat(new TrainerSettings(19, 0, null, false, 0, 5, log, "c").validateEvery()).isEqualTo(1);
        assertThat(new TrainerSettings(19, 0, null, false, 3, 5, log, "c").validateEvery()).isEqualTo(3);
    }

    @Test
    void constructor_badValues_throwNamingTheField() {
        PrintStream log = System.out;
        assertThatThrownBy(() -> new TrainerSettings(0, 0, null, false, 1, 1, log, "c"))
                .hasMessage("steps: expected at least 1, got 0");
        assertThatThrownBy(() -> new TrainerSettings(1, 0, null, false, -1, 1, log, "c"))
                .hasMessage("validateEvery: expected at least 1, or 0 for steps / 20, got -1");
        assertThatThrownBy(() -> new TrainerSettings(1, 0, null, false, 1, 0, log, "c"))
                .hasMessageStartingWith("checkpointEvery: ");
        assertThatThrownBy(() -> new TrainerSettings(1, 0, null, false, 1, 1, null, "c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("log");
    }

    @Test
    void builder_setters_reachTheSettings() {
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        TrainerSettings s = new Tiny(true).steps(40).seed(-3).out(Path.of("runs/x")).resume(true).validateEvery(4)
                .checkpointEvery(8).log(log).command("cmd").build();
        assertThat(s).isEqualTo(new TrainerSettings(40, -3, Path.of("runs/x"), true, 4, 8, log, "cmd"));
        assertThat(new Tiny(true).out(Path.of("o")).build())
                .isEqualTo(new TrainerSettings(100, 0, Path.of("o"), false, 5, 10, System.out, "Tiny (API)"));
    }

    @Test
    void builder_badValues_throwAtOnce() {
        Tiny b = new Tiny(true);
        assertThatThrownBy(() -> b.steps(0)).hasMessageContaining("steps");
        assertThatThrownBy(() -> b.validateEvery(0)).hasMessageContaining("validateEvery");
        assertThatThrownBy(() -> b.checkpointEvery(-1)).hasMessageContaining("checkpointEvery");
        assertThatThrownBy(() -> b.out(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out");
        assertThatThrownBy(() -> b.log(null)).hasMessageContaining("log");
        assertThatThrownBy(() -> b.command(null)).hasMessageContaining("command");
    }

    @Test
    void settings_missingOut_throwsWhereTheTrainerNeedsIt() {
        assertThatThrownBy(() -> new Tiny(true).build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("out: no output directory set");
        assertThat(new Tiny(false).out(null).build().out()).isNull();
        assertThatThrownBy(() -> new Tiny(false).resume(true).build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("resume: needs an output directory (out), found none");
    }

    @Test
    void runOptions_parsedValues_reachTheSettings() {
        TrainerArgs cli = TrainerArgs.builder("smplr train tiny").runOptions("steps", 100, "seed", "dir", "resume")
                .everyOptions(Kind.INT, 0, 10).build();
        TrainerSettings s = new Tiny(true).runOptions(cli.parse("--out", "o", "--steps", "60", "--resume",
                "--checkpoint-every", "6")).build();
        assertThat(s).isEqualTo(new TrainerSettings(60, TrainerArgs.DEFAULT_SEED, Path.of("o"), true, 3, 6,
                System.out, "smplr train tiny --out o --steps 60 --resume --checkpoint-every 6"));
        assertThat(new Tiny(true).runOptions(cli.parse("--out", "o", "--validate-every", "9")).build().validateEvery())
                .isEqualTo(9);
    }
}
