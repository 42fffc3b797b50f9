package io.kafkabus.cloudstack.cli;

import java.io.PrintStream;

/**
 * Where a command writes: results on standard output (one line per finding or event, safe to pipe),
 * progress and errors on standard error, so that a step taking more than a second never looks hung.
 */
final class Console {
    private final PrintStream out;
    private final PrintStream err;

    Console(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** One line of the command's result. */
    void println(String line) {
        out.println(line);
        out.flush();
    }

    /** What the command is doing now, before a step that can take over a second. */
    void progress(String step) {
        err.println("... " + step);
        err.flush();
    }

    /** Why the command could not run, or a note beside its result. */
    void error(String line) {
        err.println(line);
        err.flush();
    }
}
