package io.kafkabus.cloudstack;

import static io.kafkabus.cloudstack.testing.Conditions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.testing.LogCapture;
import io.kafkabus.cloudstack.testing.Ports;
import io.kafkabus.cloudstack.testing.TestBuses;

/** When Kafka does not take events, the operator's WARN names the cause, against real brokers and sockets. */
class KafkaCausesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String RETRIED = "; events wait in the spool and are retried: ";

    @TempDir
    Path dir;

    @Test
    void withNoBrokerReachableTheWarningSaysSoAndNamesTheAddressTried() throws Exception {
        int closedPort = Ports.closed();
        try (LogCapture log = LogCapture.attach(Level.WARN, "io.kafkabus.cloudstack")) {
            KafkaEventBus bus = TestBuses.configured("unreachableBus", dir, "127.0.0.1:" + closedPort, "events",
                    "max.block.ms", "300");
            bus.start();
            for (int n = 0; n < 3; n++) {
                bus.publish(TestBuses.numbered(n, 2));
            }
            String expected = "Kafka event bus unreachableBus: no Kafka broker is reachable" + RETRIED
                    + "bootstrap.servers 127.0.0.1:" + closedPort + " (connection refused)";
            await(() -> log.messages().contains(expected), WAIT, "the outage explained: " + log.messages());
            bus.stop();
            assertEquals(3, bus.statistics().pending(), "kept for the next start");
            assertTrue(log.messages().stream().noneMatch(m -> m.contains("not present in metadata")), log.messages().toString());
        }
    }

    @Test
    void aPortThatIsNotAKafkaListenerIsToldApartFromABrokerThatIsDown() throws Exception {
        // What a client speaking plaintext to a TLS listener (or to anything else) meets: a socket that never
        // answers. The producer's close waits for its requests to time out: request.timeout.ms keeps that short.
        try (ServerSocket notKafka = new ServerSocket(0);
             LogCapture log = LogCapture.attach(Level.WARN, "io.kafkabus.cloudstack")) {
            KafkaEventBus bus = TestBuses.configured("wrongListenerBus", dir, "127.0.0.1:" + notKafka.getLocalPort(),
                    "events", "max.block.ms", "300", "request.timeout.ms", "2000");
            bus.start();
            bus.publish(TestBuses.numbered(0, 1));
            String expected = "Kafka event bus wrongListenerBus: Kafka brokers accept connections but the bus gets no "
                    + "metadata from them (does security.protocol match the brokers' listener on these ports?)" + RETRIED
                    + "bootstrap.servers 127.0.0.1:" + notKafka.getLocalPort() + " (accepts connections); TimeoutException: "
                    + "Topic events not present in metadata after 300 ms.";
            await(() -> log.messages().contains(expected), WAIT, "the outage explained: " + log.messages());
            bus.stop();
            assertEquals(1, bus.statistics().pending());
        }
    }
}
