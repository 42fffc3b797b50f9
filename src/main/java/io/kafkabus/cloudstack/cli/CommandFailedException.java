package io.kafkabus.cloudstack.cli;

/** A command could not do its job; the message, one plain line, says why (exit code {@link ExitCode#PROBLEMS}). */
final class CommandFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    CommandFailedException(String message) {
        super(message);
    }
}
