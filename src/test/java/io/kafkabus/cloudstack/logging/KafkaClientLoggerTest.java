package io.kafkabus.cloudstack.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkabus.cloudstack.testing.LogCapture;

/** What the bundled Kafka client's lines become in the server's log while Kafka is away. */
class KafkaClientLoggerTest {
    private static final String CLIENT = "org.apache.kafka.clients.NetworkClientSampleForLoggingTest";
    private static final String PREFIX = "[Producer clientId=cloudstack-event-bus-kafkaEventBus] ";
    private static final String REFUSED = PREFIX + "Connection to node {} ({}) could not be established. Node may not be available.";
    private static final String BOOTSTRAP_LOST = PREFIX + "Bootstrap broker {} (id: {} rack: null) disconnected";

    private final AtomicLong now = new AtomicLong();
    private final ForwardingLogger server = Backend.LOG4J2.logger(CLIENT);
    private final Logger client = new KafkaClientLogger(server, new RateLimitedLogger(server,
            RateLimitedLogger.FIRST_PERIOD, RateLimitedLogger.LONGEST_PERIOD, now::get));

    /** Ten seconds of what the client writes with no broker reachable, ten lines a second. */
    private void tenSecondsOfOutage() {
        for (int tick = 0; tick < 10; tick++) {
            client.info(PREFIX + "Rebootstrapping with [{}]", "/127.0.0.1:9");
            client.info(PREFIX + "Node {} disconnected.", -1);
            client.warn(REFUSED, -1, "/127.0.0.1:9");
            client.warn(BOOTSTRAP_LOST, "127.0.0.1:9", -1);
            client.info("ProducerConfig values: \n\tacks = -1\n\tbatch.size = 16384\n");
            for (int i = 0; i < 5; i++) {
                client.debug(PREFIX + "Initiating connection to node {}", -1);
            }
            now.addAndGet(Duration.ofSeconds(1).toNanos());
        }
    }

    @Test
    void atInfoTheClientsInfoLinesAreDroppedAndEachWarningIsLoggedOnceThenWithItsCount() {
        try (LogCapture log = LogCapture.attach(Level.INFO, CLIENT)) {
            assertFalse(client.isInfoEnabled());
            assertTrue(client.isWarnEnabled());
            for (int i = 0; i < 7; i++) {
                tenSecondsOfOutage();
            }

            // 700 lines in 70 s: the two warnings at once, then a minute later with the count of their repeats.
            assertEquals(List.of(
                    PREFIX + "Connection to node -1 (/127.0.0.1:9) could not be established. Node may not be available.",
                    PREFIX + "Bootstrap broker 127.0.0.1:9 (id: -1 rack: null) disconnected",
                    PREFIX + "Connection to node -1 (/127.0.0.1:9) could not be established. Node may not be available. (59 more since last logged)",
                    PREFIX + "Bootstrap broker 127.0.0.1:9 (id: -1 rack: null) disconnected (59 more since last logged)"),
                    log.messages());
            assertTrue(log.events.stream().allMatch(e -> e.getLevel() == Level.WARN && e.getLoggerName().equals(CLIENT)));
        }
    }

    @Test
    void errorsKeepTheirLevelAndTheirException() {
        try (LogCapture log = LogCapture.attach(Level.INFO, CLIENT)) {
            IllegalStateException cause = new IllegalStateException("handshake failed");
            client.error(PREFIX + "Connection to node {} failed authentication due to: {}", -1, "SSL handshake failed", cause);
            client.error(PREFIX + "Connection to node {} failed authentication due to: {}", -1, "SSL handshake failed", cause);

            assertEquals(1, log.events.size());
            assertEquals(Level.ERROR, log.events.get(0).getLevel());
            assertSame(cause, log.events.get(0).getThrown());
        }
    }

    @Test
    void aLineTheClientFormattedItselfIsOneProblemWhateverItsNumbersAndAWarningShowsItsCauseNotItsStackTrace() {
        try (LogCapture log = LogCapture.attach(Level.INFO, CLIENT)) {
            // The OAuth login's retries while the token endpoint is down: formatted by the client, each with its stack trace.
            IllegalStateException cause = new IllegalStateException("Connection refused");
            for (int attempt = 1; attempt <= 7; attempt++) {
                client.warn(String.format("Attempt %d to make call resulted in an error; sleeping %d ms before retrying",
                        attempt, 100 << attempt), cause);
            }

            assertEquals(List.of("Attempt 1 to make call resulted in an error; sleeping 200 ms before retrying "
                    + "(IllegalStateException: Connection refused)"), log.messages());
            assertNull(log.events.get(0).getThrown(), "the warning's stack trace left for DEBUG");
        }
    }

    @Test
    void atDebugEveryLineGoesThroughUnchanged() {
        try (LogCapture log = LogCapture.attach(Level.DEBUG, CLIENT)) {
            assertTrue(client.isInfoEnabled());
            tenSecondsOfOutage();

            assertEquals(100, log.events.size());
            assertEquals(10, log.messages().stream().filter(m -> m.equals(PREFIX + "Node -1 disconnected.")).count());
            assertEquals(10, log.messages().stream().filter(m -> m.startsWith("ProducerConfig values:")).count());
            assertEquals(10, log.events.stream().filter(e -> e.getLevel() == Level.INFO && e.getMessage().getFormattedMessage()
                    .startsWith(PREFIX + "Rebootstrapping")).count());
            assertEquals(10, log.messages().stream().filter(m -> m.endsWith("Node may not be available.")).count());
            // The client's own code is where the line comes from, as for any logger.
            assertNotNull(log.sources.get(0));
            assertEquals(KafkaClientLoggerTest.class.getName(), log.sources.get(0).getClassName());
        }
    }

    @Test
    void onlyTheKafkaClientsLoggersAreKeptQuiet() {
        assertInstanceOf(KafkaClientLogger.class, LoggerFactory.getLogger(CLIENT));
        assertInstanceOf(KafkaClientLogger.class, LoggerFactory.getLogger("io.kafkabus.cloudstack.shaded.kafka.clients.Metadata"));
        assertFalse(LoggerFactory.getLogger("io.kafkabus.cloudstack.delivery.EventDelivery") instanceof KafkaClientLogger);
        assertFalse(LoggerFactory.getLogger("org.apache.kafkaesque.Other") instanceof KafkaClientLogger);
    }
}
