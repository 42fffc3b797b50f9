package io.kafkabus.cloudstack;

import static io.kafkabus.cloudstack.testing.Conditions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.testing.Delivered;
import io.kafkabus.cloudstack.testing.KafkaCluster;
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
    void tooFewInSyncReplicasIsNamedAndTheEventsFlowOnceTheReplicaIsBack() throws Exception {
        try (KafkaCluster kafka = KafkaCluster.start(2);
             LogCapture log = LogCapture.attach(Level.WARN, "io.kafkabus.cloudstack")) {
            String topic = "isr-" + UUID.randomUUID();
            kafka.createTopic(topic, 1, (short) 2, Map.of("min.insync.replicas", "2"));
            int leader = kafka.leaderOf(topic, 0);
            int follower = kafka.brokerIds().stream().filter(id -> id != leader).findFirst().orElseThrow();
            kafka.stopBroker(follower);
            KafkaEventBus bus = TestBuses.configured("isrBus", dir, kafka.bootstrapServers(), topic);
            bus.start();
            for (int n = 0; n < 5; n++) {
                bus.publish(TestBuses.numbered(n, 2));
            }
            String prefix = "Kafka event bus isrBus: too few in-sync replicas for acks=all (fewer brokers hold the "
                    + "partition than the topic's min.insync.replicas)" + RETRIED + "NotEnoughReplicasException";
            await(() -> log.messages().stream().anyMatch(m -> m.startsWith(prefix)), WAIT,
                    "the refusal explained: " + bus.statistics() + log.messages());
            assertEquals(0, bus.statistics().delivered());

            kafka.startBroker(follower);
            Delivered delivered = new Delivered(kafka.consume(topic, 5, WAIT));
            await(() -> bus.statistics().pending() == 0, WAIT, "all acknowledged: " + bus.statistics());
            bus.stop();
            assertEquals(Set.of(), delivered.missingOf(5));
            assertEquals(List.of(), delivered.keysOutOfOrder());
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
