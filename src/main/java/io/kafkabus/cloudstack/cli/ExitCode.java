package io.kafkabus.cloudstack.cli;

/** The exit codes of every command, as the README documents them. */
final class ExitCode {
    /** Done; for {@code check}: nothing found that would stop the bus (warnings may be printed). */
    static final int OK = 0;
    /** The command ran and found problems ({@code check}), or could not do its job (brokers unreachable, no spool). */
    static final int PROBLEMS = 1;
    /** The command line itself is wrong: unknown command or option, a missing value. */
    static final int USAGE = 2;

    private ExitCode() {
    }
}
