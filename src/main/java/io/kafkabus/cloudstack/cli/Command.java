package io.kafkabus.cloudstack.cli;

import java.util.List;

/** One command of the plugin jar's command line. */
interface Command {
    /** The word that selects it: {@code java -jar <jar> <name>}. */
    String name();

    /** One line for the list of commands. */
    String summary();

    /** The argument part of the usage line, e.g. {@code [FILE]}. */
    String arguments();

    /** What it does, how to read its output, and its exit codes: the body of its {@code --help}. */
    String description();

    /** Its options; {@code --help} is added to every command. */
    List<Option> options();

    /**
     * Runs it.
     *
     * @return an {@link ExitCode}
     * @throws UsageException when the arguments are wrong (exit code {@link ExitCode#USAGE})
     */
    int run(CommandLine line, Console console) throws UsageException;
}
