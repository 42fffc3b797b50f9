package io.kafkabus.cloudstack.logging;

import io.kafkabus.cloudstack.config.ClassNames;

/** An error as one line of a log: for operators, who need its cause, not its stack trace. */
public final class ErrorText {
    private ErrorText() {
    }

    /**
     * The error and its root cause, by simple class name, and any class named in their messages by
     * its standard name: the relocated package of the bundled client means nothing to an operator.
     */
    public static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == error ? oneLine(error) : oneLine(error) + " (cause: " + oneLine(root) + ")";
    }

    /** Its first line only: some of the client's messages carry a whole stack trace (its OAuth login's). */
    private static String oneLine(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName()
                : error.getClass().getSimpleName() + ": " + ClassNames.standardNames(error.getMessage().lines().findFirst().orElse(""));
    }
}
