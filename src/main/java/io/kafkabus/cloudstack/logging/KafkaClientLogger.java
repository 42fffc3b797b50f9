package io.kafkabus.cloudstack.logging;

import java.util.regex.Pattern;

import org.slf4j.event.Level;

/**
 * A logger of the bundled Kafka client, kept quiet unless the server's logger of the same name asks
 * for DEBUG: then every line goes through as the client wrote it. Otherwise the client's INFO lines
 * (reconnections, re-bootstraps, its settings at each producer creation: several a second while
 * Kafka is away) are not forwarded, the bus itself reporting the state they describe, and its WARN
 * and ERROR lines are forwarded once per problem (logger and message pattern, numbers aside), then at the growing
 * periods of {@link RateLimitedLogger} with a count, a WARN line with its error's cause in place of the stack trace.
 */
final class KafkaClientLogger extends ForwardingLogger {
    private static final long serialVersionUID = 1L;
    /** Numbers in a line the client formatted itself ({@code "Attempt 3 to make call..."}, its OAuth login's) make no new problem. */
    private static final Pattern NUMBERS = Pattern.compile("[0-9]+");

    private final ForwardingLogger server;
    private final transient RateLimitedLogger problems;

    KafkaClientLogger(ForwardingLogger server) {
        this(server, new RateLimitedLogger(server));
    }

    KafkaClientLogger(ForwardingLogger server, RateLimitedLogger problems) {
        super(server.getName());
        this.server = server;
        this.problems = problems;
    }

    @Override
    boolean isEnabled(Level level) {
        return server.isEnabled(level == Level.INFO ? Level.DEBUG : level);
    }

    @Override
    void forward(Level level, String messagePattern, String message, Throwable throwable) {
        if (level.toInt() < Level.WARN.toInt() || server.isEnabled(Level.DEBUG)) {
            write(level, message, throwable);
        } else {
            // A warning's stack trace (the OAuth login's retries: 50 lines each) is for DEBUG; its cause is enough here.
            boolean warning = level == Level.WARN && throwable != null;
            problems.log(level, NUMBERS.matcher(messagePattern).replaceAll("#"),
                    warning ? message + " (" + ErrorText.describe(throwable) + ")" : message, warning ? null : throwable);
        }
    }

    @Override
    void write(Level level, String message, Throwable throwable) {
        server.write(level, message, throwable);
    }
}
