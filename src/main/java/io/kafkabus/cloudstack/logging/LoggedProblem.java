package io.kafkabus.cloudstack.logging;

/** The latest problem a {@link RateLimitedLogger} was given: its line, without a repeat count, and when. Immutable. */
public final class LoggedProblem {
    /** No problem yet: an empty line at epoch 0. */
    public static final LoggedProblem NONE = new LoggedProblem("", 0);

    private final String line;
    private final long epochMs;

    LoggedProblem(String line, long epochMs) {
        this.line = line;
        this.epochMs = epochMs;
    }

    /** The problem and its detail, as logged; empty when there was none. */
    public String line() { return line; }
    /** When it last occurred, in ms since the epoch; 0 when there was none. */
    public long epochMs() { return epochMs; }
}
