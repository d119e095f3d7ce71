package dev.smplr.smpl.training;

import dev.smplr.core.internal.Checks;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The settings every SMPLR trainer has, as one of its runs sees them; each trainer's builder extends
 * {@link Builder}, which holds them, checks each setter at once and makes this record at {@code build()}. Their
 * command-line options are {@link TrainerArgs.Builder#runOptions} and {@link TrainerArgs.Builder#everyOptions}.
 *
 * @param steps           total training steps, at least 1
 * @param seed            the data seed (what else it seeds is the trainer's to say)
 * @param out             the run directory (checkpoints, report, weights), or null where the trainer allows none
 * @param resume          continue from the latest checkpoint under {@code out/checkpoints}, if any
 * @param validateEvery   steps between validations, at least 1; 0 given to the constructor stands for
 *                        {@code max(1, steps / 20)}, 20 validations a run
 * @param checkpointEvery steps between checkpoints, at least 1
 * @param log             where progress and validation lines go
 * @param command         the command recorded in the manifest
 */
public record TrainerSettings(long steps, long seed, Path out, boolean resume, long validateEvery,
        long checkpointEvery, PrintStream log, String command) {
    /**
     * @throws IllegalArgumentException if steps or checkpointEvery is below 1, validateEvery is negative, or log or
     *         command is null
     */
    public TrainerSettings {
        Checks.positive("steps", steps);
        if (validateEvery < 0) {
            throw new IllegalArgumentException("validateEvery: expected at least 1, or 0 for steps / 20, got "
                    + validateEvery);
        }
        validateEvery = validateEvery > 0 ? validateEvery : Math.max(1, steps / 20);
        Checks.positive("checkpointEvery", checkpointEvery);
        Checks.notNull("log", log);
        Checks.notNull("command", command);
    }

    /**
     * The setters every trainer's builder shares; a trainer's builder extends it with its own type as {@code B}, so
     * that the setters return that builder. The defaults that differ between trainers are constructor arguments;
     * the rest: seed 0, resume off, log {@code System.out}.
     *
     * @param <B> the trainer's builder
     */
    public abstract static class Builder<B extends Builder<B>> {
        private final boolean outRequired;
        private long steps;
        private long seed;
        private Path out;
        private boolean resume;
        private long validateEvery;
        private long checkpointEvery;
        private PrintStream log = System.out;
        private String command;

        /**
         * @param steps           the default steps, at least 1
         * @param validateEvery   the default steps between validations; 0 for {@code steps / 20}
         * @param checkpointEvery the default steps between checkpoints, at least 1
         * @param command         the default command for the manifest, e.g. {@code "RegressorTrainer (API)"}
         * @param outRequired     whether {@code build()} needs a run directory (otherwise a run without one writes
         *                        nothing)
         */
        protected Builder(long steps, long validateEvery, long checkpointEvery, String command,
                boolean outRequired) {
            this.steps = steps;
            this.validateEvery = validateEvery;
            this.checkpointEvery = checkpointEvery;
            this.command = command;
            this.outRequired = outRequired;
        }

        /**
         * @param value total steps, at least 1 (the trainer's default: see its {@code builder()})
         * @return this
         * @throws IllegalArgumentException if below 1
         */
        public B steps(long value) {
            steps = Checks.positive("steps", value);
            return self();
        }

        /**
         * @param value the data seed (default 0); what else it seeds is on the trainer's class
         * @return this
         */
        public B seed(long value) {
            seed = value;
            return self();
        }

        /**
         * @param value the run directory: checkpoints, the training report and the final weights go there; null
         *              only where the trainer runs without one (then nothing is written)
         * @return this
         * @throws IllegalArgumentException if null and the trainer needs a directory
         */
        public B out(Path value) {
            out = outRequired ? Checks.notNull("out", value) : value;
            return self();
        }

        /**
         * Made public by the trainers that can start afresh on a directory with checkpoints.
         *
         * @param value continue from the latest checkpoint under {@code out/checkpoints}, if any (default false)
         * @return this
         */
        protected B resume(boolean value) {
            resume = value;
            return self();
        }

        /**
         * @param value steps between validations, at least 1 (the trainer's default: see its {@code builder()})
         * @return this
         * @throws IllegalArgumentException if below 1
         */
        public B validateEvery(long value) {
            validateEvery = Checks.positive("validateEvery", value);
            return self();
        }

        /**
         * @param value steps between checkpoints, at least 1 (the trainer's default: see its {@code builder()})
         * @return this
         * @throws IllegalArgumentException if below 1
         */
        public B checkpointEvery(long value) {
            checkpointEvery = Checks.positive("checkpointEvery", value);
            return self();
        }

        /**
         * @param value where progress and validation lines go (default System.out)
         * @return this
         * @throws IllegalArgumentException if null
         */
        public B log(PrintStream value) {
            log = Checks.notNull("log", value);
            return self();
        }

        /**
         * @param value the command recorded in the manifest
         * @return this
         * @throws IllegalArgumentException if null
         */
        public B command(String value) {
            command = Checks.notNull("command", value);
            return self();
        }

        /**
         * Sets what {@link TrainerArgs.Builder#runOptions} and {@link TrainerArgs.Builder#everyOptions} declared,
         * from parsed values: the command ({@link TrainerArgs.Values#command()}), {@code --steps}, {@code --seed},
         * {@code --out}, {@code --resume}, and {@code --validate-every} and {@code --checkpoint-every} where they
         * have a value.
         *
         * @param values parsed by a parser with both groups of options
         * @return this
         * @throws IllegalStateException if an option of those groups is not declared
         */
        public B runOptions(TrainerArgs.Values values) {
            command(values.command()).steps(values.longValue("--steps")).seed(values.longValue("--seed"))
                    .out(values.path("--out")).resume(values.flag("--resume"));
            values.ifLong("--validate-every", this::validateEvery).ifLong("--checkpoint-every", this::checkpointEvery);
            return self();
        }

        /**
         * The settings for {@code build()}.
         *
         * @return the settings as set
         * @throws IllegalStateException if the trainer needs a run directory and none was set, or resume is on
         *         without one
         */
        protected TrainerSettings settings() {
            if (out == null && outRequired) {
                throw new IllegalStateException("out: no output directory set");
            }
            if (out == null && resume) {
                throw new IllegalStateException("resume: needs an output directory (out), found none");
            }
            return new TrainerSettings(steps, seed, out, resume, validateEvery, checkpointEvery, log, command);
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }
    }
}
