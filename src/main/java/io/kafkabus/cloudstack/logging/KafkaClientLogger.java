package io.kafkabus.cloudstack.logging;

import org.slf4j.event.Level;

/**
 * A logger of the bundled Kafka client, kept quiet unless the server's logger of the same name asks
 * for DEBUG: then every line goes through as the client wrote it. Otherwise the client's INFO lines
 * (reconnections, re-bootstraps, its settings at each producer creation: several a second while
 * Kafka is away) are not forwarded, the bus itself reporting the state they describe, and its WARN
 * and ERROR lines are forwarded once per problem (logger and message pattern), then at the growing
 * periods of {@link RateLimitedLogger} with a count.
 */
final class KafkaClientLogger extends ForwardingLogger {
    private static final long serialVersionUID = 1L;

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
            problems.log(level, messagePattern, message, throwable);
        }
    }

    @Override
    void write(Level level, String message, Throwable throwable) {
        server.write(level, message, throwable);
    }
}
