package dev.smplr.smpl.training;

import dev.smplr.core.internal.Checks;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

/**
 * The trainers' command line: declared {@code --name} options, each a flag or one value of a {@link Kind}, parsed
 * with one-line errors that name the option, what it expects and what it got
 * ({@code --steps: expected an integer > 0, got x}), and a usage text made from the declarations. Every trainer's
 * {@code main} and {@code smplr train KIND} go through the same declaration, so a command recorded in a manifest
 * ({@link Values#command()}) runs the same way from either.
 *
 * <pre>{@code
 * TrainerArgs cli = TrainerArgs.builder("smplr train regressor")
 *         .option("--preset", Kind.STRING, null, "network sizes").choices("demo", "paper").defaultValue("demo")
 *         .option("--steps", Kind.LONG, "N", "total steps").positive()
 *         .option("--out", Kind.PATH, "DIR", "the run directory").required()
 *         .flag("--resume", "continue from the latest checkpoint")
 *         .build();
 * TrainerArgs.Values v = cli.parse(args);
 * v.ifLong("--steps", builder::steps).ifFlag("--resume", () -> builder.resume(true));
 * }</pre>
 *
 * <p>Syntax: {@code --name value} or {@code --name=value}; flags take no value. Each option at most once; no
 * positional arguments. Choices match ignoring case and come back spelled as declared. Numbers are Java's
 * ({@link Long#parseLong}, {@link Double#parseDouble}); doubles must be finite. Immutable and thread-safe once built.
 */
public final class TrainerArgs {
    /** What an option holds. */
    public enum Kind {
        /** Present or absent, no value. */
        FLAG,
        /** A 32-bit integer. */
        INT,
        /** A 64-bit integer. */
        LONG,
        /** A finite double. */
        DOUBLE,
        /** Any non-empty text, or one of declared choices. */
        STRING,
        /** A file or directory path (not checked for existence). */
        PATH
    }

    /** The lower bound of a number. */
    private enum Bound {
        NONE(""), POSITIVE(" > 0"), NON_NEGATIVE(" >= 0");

        final String text;

        Bound(String text) {
            this.text = text;
        }
    }

    /** One declared option; {@code label} names its value in the usage, {@code choices} is empty for any value. */
    private record Option(String name, Kind kind, String label, String help, Bound bound, List<String> choices,
            String defaultValue, boolean required) {
        /** What the value must be, for messages: "an integer &gt; 0", "demo or paper". */
        String expected() {
            return switch (kind) {
                case FLAG -> "no value";
                case INT, LONG -> "an integer" + bound.text;
                case DOUBLE -> "a finite number" + bound.text;
                case STRING -> choices.isEmpty() ? "a value" : alternatives(choices, "or");
                case PATH -> "a path";
            };
        }

        String display() {
            return kind == Kind.FLAG ? name : name + " " + label;
        }
    }

    /**
     * The default of {@code --seed} ({@link Builder#runOptions}): a command-line run is seeded as the shipped weights
     * were; the trainers' builders default to 0.
     */
    public static final long DEFAULT_SEED = 1;
    /** In a manifest's {@code training.command}, joins a resumed invocation's command to those before it. */
    public static final String RESUMED = " ; resumed: ";
    /** In a manifest's {@code training.command}, joins the command of a run started from other weights to theirs. */
    public static final String STARTED_FROM = " ; then, from its weights: ";
    private static final Pattern CHAIN = Pattern.compile(Pattern.quote(RESUMED) + "|" + Pattern.quote(STARTED_FROM));

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,+@%^-]+");
    private static final int HELP_COLUMN = 30;

    private final String program;
    private final Map<String, Option> options;

    private TrainerArgs(String program, Map<String, Option> options) {
        this.program = program;
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /**
     * @param recorded a manifest's {@code training.command}: one command, or several joined by {@link #RESUMED} and
     *                 {@link #STARTED_FROM}
     * @return the commands in the order they ran
     */
    public static List<String> chainedCommands(String recorded) {
        return List.of(CHAIN.split(Checks.notNull("recorded", recorded)));
    }

    /**
     * @param program the command as a user types it, e.g. {@code "smplr train regressor"}: the start of the usage
     *                and of {@link Values#command()}
     * @return a builder with no options
     * @throws IllegalArgumentException if {@code program} is null or blank
     */
    public static Builder builder(String program) {
        if (Checks.notNull("program", program).isBlank()) {
            throw new IllegalArgumentException("program: expected a command name, got a blank string");
        }
        return new Builder(program);
    }

    /** @return the command the arguments follow, e.g. {@code "smplr train regressor"} */
    public String program() {
        return program;
    }

    /** @return the declared option names in declaration order */
    public List<String> names() {
        return List.copyOf(options.keySet());
    }

    /**
     * Parses the arguments: every declared default is filled in, every required option checked.
     *
     * @param args the arguments after the program. Not modified.
     * @return the values
     * @throws IllegalArgumentException a one-line message: an unknown option (listing the known ones), a value that
     *         does not parse or is out of range ({@code --steps: expected an integer > 0, got x}), a missing value or
     *         required option, or an option given twice
     */
    public Values parse(String... args) {
        Checks.notNull("args", args);
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = Checks.notNull("args[" + i + "]", args[i]);
            int eq = a.startsWith("--") ? a.indexOf('=') : -1;
            String name = eq > 0 ? a.substring(0, eq) : a;
            Option o = options.get(name);
            if (o == null) {
                throw new IllegalArgumentException((a.startsWith("-") ? "unknown option " + name
                        : "unexpected argument " + quote(a)) + "; known options: " + String.join(", ", names()));
            }
            Object previous = values.get(name);
            String raw;
            if (o.kind == Kind.FLAG) {
                if (eq > 0) {
                    throw new IllegalArgumentException(name + ": a flag takes no value, got " + a.substring(eq + 1));
                }
                raw = null;
            } else if (eq > 0) {
                raw = a.substring(eq + 1);
            } else if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + ": expected " + o.expected() + ", got nothing");
            } else if (args[i + 1] != null && args[i + 1].startsWith("--") && args[i + 1].length() > 2) {
                // a forgotten value, as in "--out --resume": never take an option for a value
                throw new IllegalArgumentException(name + ": expected " + o.expected() + ", got the option "
                        + args[i + 1]);
            } else {
                raw = args[++i];
            }
            Object value = raw == null ? Boolean.TRUE : convert(o, raw);
            if (previous != null) {
                throw new IllegalArgumentException(name + ": given twice" + (raw == null ? ""
                        : " (" + previous + ", then " + value + ")"));
            }
            values.put(name, value);
        }
        Set<String> given = Set.copyOf(values.keySet());
        for (Option o : options.values()) {
            if (o.required && !values.containsKey(o.name)) {
                throw new IllegalArgumentException(o.name + ": required (" + o.label + ", " + o.help
                        + "), not given");
            }
            if (o.defaultValue != null && !values.containsKey(o.name)) {
                values.put(o.name, convert(o, o.defaultValue));
            }
        }
        return new Values(this, command(args), values, given);
    }

    /**
     * For a trainer's {@code main}: when the arguments ask for help ({@code --help} or {@code -h} anywhere), prints
     * {@link #usage()} and says so, and the caller returns without training.
     *
     * @param args the arguments after the program. Not modified.
     * @param out  where the usage goes
     * @return whether help was asked for (and printed)
     */
    public boolean printHelpIfAsked(String[] args, java.io.PrintStream out) {
        Checks.notNull("args", args);
        Checks.notNull("out", out);
        for (String a : args) {
            if ("--help".equals(a) || "-h".equals(a)) {
                out.print(usage());
                out.flush();
                return true;
            }
        }
        return false;
    }

    /**
     * The usage: {@code Usage: PROGRAM REQUIRED... [options]}, then {@link #optionHelp()}.
     *
     * @return the text, lines ending in {@code \n}
     */
    public String usage() {
        StringBuilder sb = new StringBuilder("Usage: ").append(program);
        for (Option o : options.values()) {
            if (o.required) {
                sb.append(' ').append(o.display());
            }
        }
        return sb.append(" [options]\n").append(optionHelp()).toString();
    }

    /**
     * One line per option in declaration order: name, value label, help, and the default or "(required)", e.g.
     * {@code   --steps N                   total steps (default: 20000)}.
     *
     * @return the text, lines ending in {@code \n}
     */
    public String optionHelp() {
        StringBuilder sb = new StringBuilder();
        for (Option o : options.values()) {
            String left = "  " + o.display();
            sb.append(left);
            sb.append(" ".repeat(Math.max(2, HELP_COLUMN - left.length())));
            sb.append(o.help);
            if (o.required) {
                sb.append(" (required)");
            } else if (o.defaultValue != null) {
                sb.append(" (default: ").append(o.defaultValue).append(')');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "TrainerArgs[" + program + ", " + String.join(" ", names()) + "]";
    }

    /** The command line that reproduces a parse: the program and the arguments, quoted for a POSIX shell. */
    private String command(String[] args) {
        StringBuilder sb = new StringBuilder(program);
        for (String a : args) {
            sb.append(' ').append(quote(a));
        }
        return sb.toString();
    }

    private static String quote(String a) {
        return PLAIN.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'";
    }

    private static Object convert(Option o, String raw) {
        try {
            Object value = switch (o.kind) {
                case FLAG -> throw new IllegalStateException("flags have no value");
                case INT -> Integer.parseInt(raw);
                case LONG -> Long.parseLong(raw);
                case DOUBLE -> Double.parseDouble(raw);
                case STRING -> choose(o, raw);
                case PATH -> raw.isEmpty() ? null : Path.of(raw);
            };
            if (value != null && inRange(o, value)) {
                return value;
            }
        } catch (NumberFormatException | InvalidPathException e) {
            // reported below, as any other bad value
        }
        throw new IllegalArgumentException(o.name + ": expected " + o.expected() + ", got "
                + (raw.isEmpty() ? "an empty value" : raw));
    }

    private static String choose(Option o, String raw) {
        if (o.choices.isEmpty()) {
            return raw.isEmpty() ? null : raw;
        }
        for (String c : o.choices) {
            if (c.equalsIgnoreCase(raw)) {
                return c;
            }
        }
        return null;
    }

    private static boolean inRange(Option o, Object value) {
        if (value instanceof Double d && !Double.isFinite(d)) {
            return false;
        }
        if (!(value instanceof Number n)) {
            return true;
        }
        double v = n instanceof Double ? n.doubleValue() : Long.signum(n.longValue());
        return switch (o.bound) {
            case NONE -> true;
            case POSITIVE -> v > 0;
            case NON_NEGATIVE -> v >= 0;
        };
    }

    private static String alternatives(List<String> items, String last) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " " + last + " " + items.get(items.size() - 1);
    }

    /**
     * Declares the options, in the order the usage lists them. Each of {@link #positive()}, {@link #nonNegative()},
     * {@link #choices(String...)}, {@link #defaultValue(String)} and {@link #required()} refines the option declared
     * last.
     */
    public static final class Builder {
        private final String program;
        private final Map<String, Option> options = new LinkedHashMap<>();
        private Option last;

        private Builder(String program) {
            this.program = program;
        }

        /**
         * Declares a flag.
         *
         * @param name the option, starting with {@code --}
         * @param help one line for the usage
         * @return this
         * @throws IllegalArgumentException if the name is malformed or already declared, or the help is null
         */
        public Builder flag(String name, String help) {
            return add(name, Kind.FLAG, null, help);
        }

        /**
         * Declares an option with one value.
         *
         * @param name  the option, starting with {@code --}
         * @param kind  what its value is; not {@link Kind#FLAG} (use {@link #flag})
         * @param label its value in the usage, e.g. {@code N} or {@code DIR}; null for a default per kind (the
         *              choices joined with {@code |} for a choice option)
         * @param help  one line for the usage
         * @return this
         * @throws IllegalArgumentException if the name is malformed or already declared, the kind is null or FLAG,
         *         or the help is null
         */
        public Builder option(String name, Kind kind, String label, String help) {
            if (Checks.notNull("kind", kind) == Kind.FLAG) {
                throw new IllegalArgumentException("kind: expected a kind with a value, got FLAG (use flag())");
            }
            return add(name, kind, label, help);
        }

        /**
         * Declares the options every trainer has, in this order: {@code --preset demo|paper} (network sizes, default
         * demo), {@code --steps N} (&gt; 0), {@code --seed S} (default {@link #DEFAULT_SEED}), {@code --out DIR}
         * (required) and the flag {@code --resume}: the command-line side of {@link TrainerSettings}.
         *
         * @param stepsHelp  the help of {@code --steps}
         * @param steps      its default
         * @param seedHelp   the help of {@code --seed}
         * @param outHelp    the help of {@code --out}
         * @param resumeHelp the help of {@code --resume}
         * @return this
         * @throws IllegalArgumentException if one of them is already declared, a help is null, or steps is below 1
         */
        public Builder runOptions(String stepsHelp, long steps, String seedHelp, String outHelp, String resumeHelp) {
            Checks.positive("steps", steps);
            return option("--preset", Kind.STRING, null, "network sizes").choices("demo", "paper").defaultValue("demo")
                    .option("--steps", Kind.LONG, "N", stepsHelp).positive().defaultValue(Long.toString(steps))
                    .option("--seed", Kind.LONG, "S", seedHelp).defaultValue(Long.toString(DEFAULT_SEED))
                    .option("--out", Kind.PATH, "DIR", outHelp).required()
                    .flag("--resume", resumeHelp);
        }

        /**
         * Declares {@code --validate-every N} (steps between validations) and {@code --checkpoint-every N} (steps
         * between checkpoints), both &gt; 0, in this order: {@link TrainerSettings#validateEvery()} and
         * {@link TrainerSettings#checkpointEvery()}.
         *
         * @param kind            INT or LONG
         * @param validateEvery   the default of {@code --validate-every}; 0 for none, TrainerSettings' steps / 20
         *                        (the help says so)
         * @param checkpointEvery the default of {@code --checkpoint-every}, at least 1
         * @return this
         * @throws IllegalArgumentException if the kind is not INT or LONG, a default is out of range, or an option is
         *         already declared
         */
        public Builder everyOptions(Kind kind, long validateEvery, long checkpointEvery) {
            if (kind != Kind.INT && kind != Kind.LONG) {
                throw new IllegalArgumentException("kind: expected INT or LONG, got " + kind);
            }
            if (validateEvery < 0) {
                throw new IllegalArgumentException("validateEvery: expected at least 1, or 0 for steps / 20, got "
                        + validateEvery);
            }
            Checks.positive("checkpointEvery", checkpointEvery);
            option("--validate-every", kind, "N", "steps between validations"
                    + (validateEvery == 0 ? " (default: steps / 20)" : "")).positive();
            if (validateEvery > 0) {
                defaultValue(Long.toString(validateEvery));
            }
            return option("--checkpoint-every", kind, "N", "steps between checkpoints").positive()
                    .defaultValue(Long.toString(checkpointEvery));
        }

        /**
         * The last option's value must be &gt; 0.
         *
         * @return this
         * @throws IllegalStateException if the last option is not INT, LONG or DOUBLE
         */
        public Builder positive() {
            return bound(Bound.POSITIVE);
        }

        /**
         * The last option's value must be &gt;= 0.
         *
         * @return this
         * @throws IllegalStateException if the last option is not INT, LONG or DOUBLE
         */
        public Builder nonNegative() {
            return bound(Bound.NON_NEGATIVE);
        }

        /**
         * The last option's value must be one of these (ignoring case); its default label becomes
         * {@code a|b|c}.
         *
         * @param values the choices, at least one
         * @return this
         * @throws IllegalStateException if the last option is not STRING
         * @throws IllegalArgumentException if there is no choice or one is null or empty
         */
        public Builder choices(String... values) {
            Option o = last("choices");
            if (o.kind != Kind.STRING) {
                throw new IllegalStateException(o.name + ": choices need a STRING option, not " + o.kind);
            }
            if (Checks.notNull("values", values).length == 0) {
                throw new IllegalArgumentException("values: expected at least one choice, got none");
            }
            for (int i = 0; i < values.length; i++) {
                if (Checks.notNull("values[" + i + "]", values[i]).isEmpty()) {
                    throw new IllegalArgumentException("values[" + i + "]: expected a choice, got an empty string");
                }
            }
            List<String> list = List.of(values);
            String label = o.label.equals(defaultLabel(o.kind)) ? String.join("|", list) : o.label;
            return replace(new Option(o.name, o.kind, label, o.help, o.bound, list, o.defaultValue, o.required));
        }

        /**
         * The last option's value when it is not given; it is checked like a given value at {@link #build()}, and
         * the usage shows it.
         *
         * @param value the default, as it would be typed
         * @return this
         * @throws IllegalStateException if the last option is a flag or required
         */
        public Builder defaultValue(String value) {
            Option o = last("defaultValue");
            if (o.kind == Kind.FLAG || o.required) {
                throw new IllegalStateException(o.name + ": a " + (o.required ? "required option" : "flag")
                        + " has no default");
            }
            return replace(new Option(o.name, o.kind, o.label, o.help, o.bound, o.choices,
                    Checks.notNull("value", value), o.required));
        }

        /**
         * The last option must be given.
         *
         * @return this
         * @throws IllegalStateException if the last option is a flag or has a default
         */
        public Builder required() {
            Option o = last("required");
            if (o.kind == Kind.FLAG || o.defaultValue != null) {
                throw new IllegalStateException(o.name + ": " + (o.kind == Kind.FLAG ? "a flag" : "an option with a "
                        + "default") + " cannot be required");
            }
            return replace(new Option(o.name, o.kind, o.label, o.help, o.bound, o.choices, null, true));
        }

        /**
         * @return the parser
         * @throws IllegalStateException if a default value does not satisfy its option
         */
        public TrainerArgs build() {
            for (Option o : options.values()) {
                if (o.defaultValue != null) {
                    try {
                        convert(o, o.defaultValue);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalStateException("default of " + e.getMessage(), e);
                    }
                }
            }
            return new TrainerArgs(program, options);
        }

        private Builder add(String name, Kind kind, String label, String help) {
            if (!Checks.notNull("name", name).matches("--[a-z0-9][a-z0-9-]*")) {
                throw new IllegalArgumentException("name: expected --lower-case-words, got " + name);
            }
            if (options.containsKey(name)) {
                throw new IllegalArgumentException("name: " + name + " is already declared");
            }
            Checks.notNull("help", help);
            last = new Option(name, kind, label == null ? defaultLabel(kind) : label, help, Bound.NONE, List.of(),
                    null, false);
            options.put(name, last);
            return this;
        }

        private Builder bound(Bound bound) {
            Option o = last(bound == Bound.POSITIVE ? "positive" : "nonNegative");
            if (o.kind != Kind.INT && o.kind != Kind.LONG && o.kind != Kind.DOUBLE) {
                throw new IllegalStateException(o.name + ": a bound needs a number option, not " + o.kind);
            }
            return replace(new Option(o.name, o.kind, o.label, o.help, bound, o.choices, o.defaultValue, o.required));
        }

        private Option last(String what) {
            if (last == null) {
                throw new IllegalStateException(what + ": no option declared yet");
            }
            return last;
        }

        private Builder replace(Option o) {
            options.put(o.name, o);
            last = o;
            return this;
        }

        private static String defaultLabel(Kind kind) {
            return switch (kind) {
                case FLAG -> "";
                case INT, LONG -> "N";
                case DOUBLE -> "X";
                case STRING -> "VALUE";
                case PATH -> "PATH";
            };
        }
    }

    /**
     * The parsed values: given ones and declared defaults. Reading an option that was never declared, with the
     * wrong kind, or with neither a value nor a default, is a programming error ({@link IllegalStateException}).
     */
    public static final class Values {
        private final TrainerArgs args;
        private final String command;
        private final Map<String, Object> values;
        private final Set<String> given;

        private Values(TrainerArgs args, String command, Map<String, Object> values, Set<String> given) {
            this.args = args;
            this.command = command;
            this.values = values;
            this.given = given;
        }

        /**
         * @return the program and the arguments as given (quoted where a shell needs it), to record in a manifest:
         *         running it again parses to the same values
         */
        public String command() {
            return command;
        }

        /**
         * @param name a declared option
         * @return whether it was given on the command line (a default does not count)
         */
        public boolean has(String name) {
            declared(name);
            return given.contains(name);
        }

        /**
         * @param name a declared flag
         * @return whether it was given
         */
        public boolean flag(String name) {
            return kind(name, Kind.FLAG) && values.containsKey(name);
        }

        /**
         * @param name a declared INT option with a value or default
         * @return the value
         */
        public int intValue(String name) {
            return (Integer) value(name, Kind.INT);
        }

        /**
         * @param name a declared LONG (or INT) option with a value or default
         * @return the value
         */
        public long longValue(String name) {
            return ((Number) value(name, integer(name))).longValue();
        }

        /**
         * @param name a declared DOUBLE option with a value or default
         * @return the value
         */
        public double doubleValue(String name) {
            return (Double) value(name, Kind.DOUBLE);
        }

        /**
         * @param name a declared STRING option with a value or default
         * @return the value (a choice as declared)
         */
        public String string(String name) {
            return (String) value(name, Kind.STRING);
        }

        /**
         * @param name a declared PATH option with a value or default
         * @return the value
         */
        public Path path(String name) {
            return (Path) value(name, Kind.PATH);
        }

        /**
         * Runs {@code action} if the flag was given.
         *
         * @param name   a declared flag
         * @param action what to do
         * @return this
         */
        public Values ifFlag(String name, Runnable action) {
            if (flag(name)) {
                action.run();
            }
            return this;
        }

        /**
         * Passes the value (given or default) to {@code action}, if there is one.
         *
         * @param name   a declared INT option
         * @param action what to do with it
         * @return this
         */
        public Values ifInt(String name, IntConsumer action) {
            if (present(name, Kind.INT)) {
                action.accept(intValue(name));
            }
            return this;
        }

        /**
         * As {@link #ifInt} for a LONG (or INT) option.
         *
         * @param name   a declared LONG or INT option
         * @param action what to do with it
         * @return this
         */
        public Values ifLong(String name, LongConsumer action) {
            if (present(name, integer(name))) {
                action.accept(longValue(name));
            }
            return this;
        }

        /**
         * As {@link #ifInt} for a DOUBLE option.
         *
         * @param name   a declared DOUBLE option
         * @param action what to do with it
         * @return this
         */
        public Values ifDouble(String name, DoubleConsumer action) {
            if (present(name, Kind.DOUBLE)) {
                action.accept(doubleValue(name));
            }
            return this;
        }

        /**
         * As {@link #ifInt} for a STRING option.
         *
         * @param name   a declared STRING option
         * @param action what to do with it
         * @return this
         */
        public Values ifString(String name, Consumer<String> action) {
            if (present(name, Kind.STRING)) {
                action.accept(string(name));
            }
            return this;
        }

        /**
         * As {@link #ifInt} for a PATH option.
         *
         * @param name   a declared PATH option
         * @param action what to do with it
         * @return this
         */
        public Values ifPath(String name, Consumer<Path> action) {
            if (present(name, Kind.PATH)) {
                action.accept(path(name));
            }
            return this;
        }

        @Override
        public String toString() {
            return values.toString();
        }

        private boolean present(String name, Kind kind) {
            kind(name, kind);
            return values.containsKey(name);
        }

        private Object value(String name, Kind kind) {
            kind(name, kind);
            Object v = values.get(name);
            if (v == null) {
                throw new IllegalStateException(name + ": not given and no default; ask has() or use if"
                        + kind.name().charAt(0) + kind.name().substring(1).toLowerCase(Locale.ROOT) + "()");
            }
            return v;
        }

        /** INT for an INT option, else LONG: a long reads both. */
        private Kind integer(String name) {
            return declared(name).kind == Kind.INT ? Kind.INT : Kind.LONG;
        }

        private boolean kind(String name, Kind kind) {
            Option o = declared(name);
            if (o.kind != kind) {
                throw new IllegalStateException(name + ": declared " + o.kind + ", read as " + kind);
            }
            return true;
        }

        private Option declared(String name) {
            Option o = args.options.get(name);
            if (o == null) {
                throw new IllegalStateException(name + ": not declared; declared: " + String.join(", ", args.names()));
            }
            return o;
        }
    }
}
