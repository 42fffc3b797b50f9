package io.kafkabus.cloudstack.spool;

import java.io.IOException;

/**
 * Runs clean-up steps so that one failing does not skip the ones after it: closing a spool must
 * still record its progress and release its lock when forcing a file to disk failed.
 */
final class IoSteps {
    /** One step of a clean-up. */
    interface Step {
        void run() throws IOException;
    }

    private IoSteps() {
    }

    /**
     * Runs {@code step}; returns {@code failure}, or the step's failure if it is the first (later
     * ones are added to the first as suppressed).
     */
    static IOException run(IOException failure, Step step) {
        try {
            step.run();
            return failure;
        } catch (IOException | RuntimeException e) {
            IOException thrown = e instanceof IOException ? (IOException) e : new IOException(e);
            if (failure == null) {
                return thrown;
            }
            failure.addSuppressed(thrown);
            return failure;
        }
    }

    /** Runs {@code step} while {@code cause} is already being thrown; its failure is added to {@code cause}. */
    static void run(Throwable cause, Step step) {
        try {
            step.run();
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** Runs every step, each whatever the others did, and throws the first failure. */
    static void runAll(Step... steps) throws IOException {
        IOException failure = null;
        for (Step step : steps) {
            failure = run(failure, step);
        }
        if (failure != null) {
            throw failure;
        }
    }
}
