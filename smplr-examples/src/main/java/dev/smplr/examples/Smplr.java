package dev.smplr.examples;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code smplr} command line, the main class of the executable {@code smplr-examples.jar}:
 * <pre>
 * smplr demo    [--seed N] [--out DIR]                           the pipeline on a synthetic image, with a picture
 * smplr fit     --points FILE [--model M] [--denoise] [--refine]  41 points to SMPL parameters and a mesh
 * smplr export  [--model M] [--pose FILE | --random-pose SEED] [--betas B,..] --out MESH   pose and export a body
 * smplr info    MODEL                                            what an SMPL model file holds
 * smplr train   dae|regressor|hourglass --out DIR [--preset P] [--steps N] [--seed N] [--resume] [...]   the trainer's options
 * smplr eval    dae|regressor|hourglass [--weights DIR] [--samples N] [--seed N]
 * </pre>
 * Every command takes {@code --help}; {@code smplr --version} prints the version. With no command it runs
 * {@code demo}.
 *
 * <p>Errors are one line on standard error, {@code smplr <command>: <what went wrong>}, and the exit code says
 * which kind: 2 for a usage error (an unknown option, a missing argument, a value that cannot be parsed, an input
 * file that does not exist), 1 for a failure while running (a file that cannot be read or has the wrong content,
 * a weights directory without its manifest). {@code --verbose} adds the stack trace.
 *
 * <p>The libraries' own logs (ND4J's backend report at start-up, DL4J's) are shown from level warn up, so that
 * they do not bury the results; {@code -Dorg.slf4j.simpleLogger.defaultLogLevel=info} shows them all.
 */
@Command(name = "smplr", mixinStandardHelpOptions = true, versionProvider = Smplr.Version.class,
        description = "3D human pose and shape from a single image with SMPLR (SMPL reverse).",
        subcommands = {DemoCommand.class, FitCommand.class, ExportCommand.class, InfoCommand.class,
            TrainCommand.class, EvalCommand.class})
public final class Smplr implements Callable<Integer> {
    /** Exit code of a usage error. */
    static final int USAGE = 2;
    /** Exit code of a failure while running. */
    static final int FAILURE = 1;

    @Option(names = "--verbose", description = "Print stack traces with errors.",
            scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @Spec
    CommandSpec spec;

    Smplr() {
    }

    /**
     * Runs the command line and exits with its exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        quietLibraryLogs(System.getProperties());
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /**
     * Sets slf4j-simple's levels unless the user has: warn by default, and error for DL4J's {@code InputType},
     * which in 1.0.0-M2.1 warns of "a size of zero" while it reads a saved hourglass graph's configuration, a
     * warning meant for model import that says nothing here (the graph loads whole and its outputs are tested).
     *
     * @param properties the system properties, read by slf4j-simple when its first logger is made
     */
    static void quietLibraryLogs(Properties properties) {
        properties.putIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        properties.putIfAbsent("org.slf4j.simpleLogger.log.org.deeplearning4j.nn.conf.inputs.InputType", "error");
    }

    /**
     * Runs the command line without exiting (for tests and for embedding).
     *
     * @param args the arguments
     * @param out  where results and help go
     * @param err  where errors go: one line each
     * @return the exit code: 0, 1 (failure while running) or 2 (usage error)
     */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** @return the command line with this program's error handling */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Smplr());
        cl.setParameterExceptionHandler(Smplr::usageError);
        cl.setExecutionExceptionHandler(Smplr::failure);
        return cl;
    }

    /** No command: the demo, the README's main job. */
    @Override
    public Integer call() throws Exception {
        CommandLine demo = spec.commandLine().getSubcommands().get("demo");
        return demo.execute();
    }

    /** One line: the message and where to find the usage; exit code 2. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        cl.getErr().println(prefix(cl) + oneLine(e.getMessage()) + " (see " + cl.getCommandSpec().qualifiedName()
                + " --help)");
        if (verbose(cl.getParseResult())) {
            e.printStackTrace(cl.getErr());
        }
        return USAGE;
    }

    /** One line: what failed; exit code 1, or 2 for an {@link UsageException}. */
    private static int failure(Exception e, CommandLine cl, ParseResult full) {
        boolean usage = e instanceof UsageException;
        String help = usage && ((UsageException) e).help != null ? ((UsageException) e).help
                : cl.getCommandSpec().qualifiedName() + " --help";
        cl.getErr().println(prefix(cl) + oneLine(message(e)) + (usage ? " (see " + help + ")" : ""));
        if (verbose(full)) {
            e.printStackTrace(cl.getErr());
        }
        return usage ? USAGE : FAILURE;
    }

    private static String prefix(CommandLine cl) {
        return cl.getCommandSpec().qualifiedName() + ": ";
    }

    /** The message, or the exception's kind when it has none (an unexpected failure). */
    static String message(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName() + (e.getCause() != null ? ": " + message(e.getCause()) : "");
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return m + ": no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return m + ": permission denied";
        }
        return m;
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    private static boolean verbose(ParseResult pr) {
        for (ParseResult p = pr; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A usage problem found while running (an input file that does not exist): reported as one line with exit
     * code 2, like the parser's own errors.
     */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** The help to point to, e.g. {@code smplr train regressor --help}; null for the command's own. */
        final String help;

        UsageException(String message) {
            this(message, null);
        }

        UsageException(String message, String help) {
            super(message);
            this.help = help;
        }
    }

    /** The version from the jar's manifest ({@code Implementation-Version}), or "development" from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Smplr.class.getPackage().getImplementationVersion();
            return new String[] {"smplr " + (v == null ? "(development build)" : v) + ", Java "
                    + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch")};
        }
    }
}
