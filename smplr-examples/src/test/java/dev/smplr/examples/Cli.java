package dev.smplr.examples;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Runs the command line in-process and captures its exit code, standard output and standard error. */
record Cli(int code, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Smplr.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Cli(code, out.toString(), err.toString());
    }

    /** @return the non-empty lines of standard error */
    List<String> errLines() {
        return err.lines().filter(l -> !l.isBlank()).toList();
    }
}
