package io.kafkabus.cloudstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.naming.ConfigurationException;

import org.apache.cloudstack.framework.events.Event;
import org.apache.cloudstack.framework.events.EventBusException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.delivery.BusStatistics;
import io.kafkabus.cloudstack.testing.Delivered;
import io.kafkabus.cloudstack.testing.KafkaCluster;
import io.kafkabus.cloudstack.testing.LogCapture;
import io.kafkabus.cloudstack.testing.TestBuses;

/** The bus as CloudStack drives it, against a real broker. */
class KafkaEventBusTest {
    private static final Duration READ = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private KafkaCluster kafka;
    private String topic;

    @BeforeEach
    void topic() {
        kafka = KafkaCluster.shared();
        topic = "bus-" + UUID.randomUUID();
        kafka.createTopic(topic, 3);
    }

    @Test
    void eventsPublishedBeforeAndAfterStartArriveInOrderPerResource() throws Exception {
        KafkaEventBus bus = TestBuses.configured("orderBus", dir, kafka.bootstrapServers(), topic);
        for (int n = 0; n < 50; n++) {
            bus.publish(TestBuses.numbered(n, 5)); // before start(): CloudStack does this
        }
        bus.start();
        for (int n = 50; n < 200; n++) {
            bus.publish(TestBuses.numbered(n, 5));
        }
        Delivered delivered = new Delivered(kafka.consume(topic, 200, READ));
        bus.stop();
        assertEquals(200, delivered.distinct());
        assertEquals(List.of(), delivered.keysOutOfOrder());
        assertEquals(0, delivered.duplicates());
        BusStatistics stats = bus.statistics();
        assertEquals(200, stats.accepted());
        assertEquals(200, stats.spooled());
        assertEquals(200, stats.delivered());
        assertEquals(0, stats.pending());
        assertEquals(0, stats.failed() + stats.dropped());
        assertTrue(stats.durable());
    }

    @Test
    void theRecordCarriesKeyHeadersAndEnvelope() throws Exception {
        KafkaEventBus bus = TestBuses.configured("shapeBus", dir, kafka.bootstrapServers(), topic);
        bus.start();
        Event event = new Event("management-server", "ActionEvent", "VM.START", "VirtualMachine", "vm-42");
        event.setDescription("{\"status\":\"Completed\"}");
        event.setEventUuid("11111111-2222-4333-8444-555555555555");
        bus.publish(event);
        ConsumerRecord<byte[], byte[]> record = kafka.consume(topic, 1, READ).get(0);
        bus.stop();
        assertEquals("vm-42", new String(record.key(), StandardCharsets.UTF_8));
        assertEquals("11111111-2222-4333-8444-555555555555", header(record, "id"));
        assertEquals("ActionEvent", header(record, "category"));
        assertEquals("VM.START", header(record, "type"));
        assertEquals("management-server", header(record, "source"));
        String value = new String(record.value(), StandardCharsets.UTF_8);
        assertTrue(value.contains("\"id\":\"11111111-2222-4333-8444-555555555555\"") && value.contains("\"description\":{\"status\":\"Completed\"}"), value);
    }

    @Test
    void theUpstreamValueFormatSendsTheDescriptionText() throws Exception {
        KafkaEventBus bus = TestBuses.configured("upstreamBus", dir, kafka.bootstrapServers(), topic, "value.format", "description");
        bus.start();
        Event event = TestBuses.numbered(7, 1);
        bus.publish(event);
        ConsumerRecord<byte[], byte[]> record = kafka.consume(topic, 1, READ).get(0);
        bus.stop();
        assertEquals(event.getDescription(), new String(record.value(), StandardCharsets.UTF_8));
        assertEquals("resource-0", new String(record.key(), StandardCharsets.UTF_8));
    }

    @Test
    void brokenEventsAreCountedNotThrown() throws Exception {
        KafkaEventBus bus = TestBuses.configured("brokenBus", dir, kafka.bootstrapServers(), topic);
        bus.start();
        bus.publish(null);
        Event throwing = new Event("management-server", "ActionEvent", "VM.STOP", "VirtualMachine", "vm-1") {
            @Override
            public String getEventType() {
                throw new IllegalStateException("boom");
            }
        };
        bus.publish(throwing);
        List<ConsumerRecord<byte[], byte[]>> records = kafka.consume(topic, 1, READ);
        bus.stop();
        assertEquals(1, records.size(), "the event whose getter throws is still delivered");
        assertEquals(1, bus.statistics().failed(), "publish(null) is counted");
        assertEquals(2, bus.statistics().accepted());
    }

    @Test
    void anEventTheTopicRefusesForGoodIsCountedAndDoesNotHoldUpTheRest() throws Exception {
        String small = "small-" + UUID.randomUUID();
        kafka.createTopic(small, 1, (short) 1, Map.of("max.message.bytes", "2000"));
        KafkaEventBus bus = TestBuses.configured("refusedBus", dir, kafka.bootstrapServers(), small, "compression.type", "none");
        bus.start();
        bus.publish(TestBuses.numbered(0, 1));
        Event huge = TestBuses.numbered(1, 1);
        huge.setDescription("{\"n\":1,\"body\":\"" + "x".repeat(10_000) + "\"}");
        bus.publish(huge);
        bus.publish(TestBuses.numbered(2, 1));
        Delivered delivered = new Delivered(kafka.consume(small, 2, READ));
        bus.stop();
        assertEquals(Set.of(0, 2), delivered.numbers());
        assertEquals(1, bus.statistics().failed());
        assertEquals(0, bus.statistics().pending());
    }

    @Test
    void aDescriptionLargerThanKafkaAcceptsIsDeliveredShortened() throws Exception {
        KafkaEventBus bus = TestBuses.configured("hugeBus", dir, kafka.bootstrapServers(), topic);
        bus.start();
        Event huge = new Event("management-server", "AlertEvent", "ALERT.MEMORY", null, null);
        huge.setDescription("{\"body\":\"" + "\u00e9".repeat(2_000_000) + "\"}");
        bus.publish(huge);
        List<ConsumerRecord<byte[], byte[]>> records = kafka.consume(topic, 1, READ);
        bus.stop();
        assertEquals(1, records.size());
        String value = new String(records.get(0).value(), StandardCharsets.UTF_8);
        assertTrue(value.contains("\"descriptionTruncated\":true"), value.substring(0, 200));
        assertEquals("AlertEvent:ALERT.MEMORY", new String(records.get(0).key(), StandardCharsets.UTF_8));
        assertEquals(0, bus.statistics().failed());
    }

    @Test
    void stopIsIdempotentAndLaterEventsAreRefusedVisibly() throws Exception {
        KafkaEventBus bus = TestBuses.configured("stopBus", dir, kafka.bootstrapServers(), topic);
        bus.start();
        bus.publish(TestBuses.numbered(0, 1));
        kafka.consume(topic, 1, READ);
        assertEquals(3, threadsOf("stopBus").size(), "sender, fsync and producer threads, named after the bus: " + threadsOf("stopBus"));
        assertTrue(bus.stop());
        assertTrue(bus.stop());
        EventBusException e = assertThrows(EventBusException.class, () -> bus.publish(TestBuses.numbered(1, 1)));
        assertTrue(e.getMessage().contains("stopped"), e.getMessage());
        assertEquals(1, bus.statistics().dropped());
        assertEquals(1, bus.statistics().delivered(), "stop() flushed the first event");
        assertEquals(List.of(), threadsOf("stopBus"), "stop() ends every thread the bus started");
    }

    /** Live threads whose name mentions the bus: its sender, its syncer, its producer's network thread. */
    private static List<String> threadsOf(String busName) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.contains(busName)).collect(Collectors.toList());
    }

    @Test
    void aFullSpoolDropsLoudlyAndKeepsWhatItHas() throws Exception {
        // Nothing listens on this port: events pile up in a 1 MiB spool.
        KafkaEventBus bus = TestBuses.configured("fullBus", dir, "127.0.0.1:1", topic, "spool.max.bytes", "1048576", "spool.segment.bytes", "262144",
                "stop.timeout.ms", "0");
        bus.start();
        EventBusException dropped = null;
        int accepted = 0;
        while (dropped == null) {
            try {
                bus.publish(TestBuses.numbered(accepted, 3));
                accepted++;
            } catch (EventBusException e) {
                dropped = e;
            }
        }
        bus.stop();
        assertTrue(dropped.getMessage().contains("spool full") && dropped.getMessage().contains("spool.max.bytes"), dropped.getMessage());
        assertEquals(1, bus.statistics().dropped());
        assertEquals(accepted, bus.statistics().pending(), "everything accepted is still in the spool");
    }

    @Test
    void aOneLineSummaryIsLoggedPeriodically() throws Exception {
        try (LogCapture log = LogCapture.attach(Level.INFO, "io.kafkabus.cloudstack.delivery")) {
            KafkaEventBus bus = TestBuses.configured("summaryBus", dir, kafka.bootstrapServers(), topic,
                    "stats.log.interval.ms", "100");
            bus.start();
            bus.publish(TestBuses.numbered(0, 1));
            kafka.consume(topic, 1, READ);
            bus.stop();
            List<String> summaries = log.messages().stream()
                    .filter(m -> m.startsWith("Kafka event bus summaryBus: accepted=")).collect(Collectors.toList());
            assertTrue(summaries.stream().anyMatch(m -> m.contains("delivered=1") && m.contains("pending=0")
                    && m.contains("spoolBytes=") && m.contains("oldestUndeliveredAgeMs=0")), String.join("\n", log.messages()));
        }
    }

    @Test
    void aMissingPropertiesFileDisablesTheBusWithOneWarning() throws Exception {
        KafkaEventBus bus = new KafkaEventBus();
        bus.setPropertiesFile(dir.resolve("absent.properties").toString());
        try (LogCapture log = LogCapture.attach(Level.WARN, "io.kafkabus.cloudstack")) {
            assertTrue(bus.configure("absentBus", Map.of()));
            assertEquals(List.of("Kafka event bus absentBus is disabled: no kafka.producer.properties found in ["
                    + dir.resolve("absent.properties") + "]"), log.messages());
        }
        assertTrue(bus.start());
        bus.publish(TestBuses.numbered(0, 1));
        assertTrue(bus.stop());
        assertEquals(0, bus.statistics().accepted());
    }

    @Test
    void secretsNeverReachTheLog() throws Exception {
        // The client's settings dump shows only where an operator turned its logger up to DEBUG.
        try (LogCapture log = LogCapture.attach(Level.DEBUG, "io.kafkabus", "org.apache.kafka.common.config")) {
            KafkaEventBus bus = TestBuses.configured("secretBus", dir, kafka.bootstrapServers(), topic,
                    "ssl.truststore.password", "s3cr3t-truststore", "sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"s3cr3t-jaas\";");
            bus.start();
            bus.publish(TestBuses.numbered(0, 1));
            kafka.consume(topic, 1, READ);
            bus.stop();
            assertTrue(log.messages().stream().anyMatch(m -> m.contains("sasl.jaas.config")), "the producer's settings were logged");
            assertTrue(log.messages().stream().noneMatch(m -> m.contains("s3cr3t")), "a secret was logged");
        }
    }

    @Test
    void anInvalidFileFailsConfigureNamingTheKey() {
        Path file = TestBuses.writeProperties(dir, kafka.bootstrapServers(), topic, "spool.fsync", "sometimes");
        KafkaEventBus bus = new KafkaEventBus();
        bus.setPropertiesFile(file.toString());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> bus.configure("badBus", Map.of()));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("spool.fsync"), e.getMessage());
    }

    @Test
    void aTypoInAKeyIsOneWarningNamingTheNearestKnownKey() throws Exception {
        Path file = TestBuses.writeProperties(dir, kafka.bootstrapServers(), topic, "topik", "events");
        KafkaEventBus bus = new KafkaEventBus();
        bus.setPropertiesFile(file.toString());
        try (LogCapture log = LogCapture.attach(Level.WARN, "io.kafkabus.cloudstack")) {
            assertTrue(bus.configure("typoBus", Map.of()));
            assertEquals(List.of("Kafka event bus typoBus: unknown key 'topik' in " + file.toAbsolutePath() + " (nearest known "
                    + "key: 'topic'); it is passed to the Kafka producer, which ignores keys it does not know"), log.messages());
        } finally {
            bus.stop();
        }
    }

    @Test
    void aSecondBusOnTheSameSpoolIsDisabledAndTheFirstCarriesOn() throws Exception {
        KafkaEventBus first = TestBuses.configured("twinBus", dir, kafka.bootstrapServers(), topic);
        KafkaEventBus second = TestBuses.configured("twinBus", dir, kafka.bootstrapServers(), topic);
        first.start();
        second.start();
        first.publish(TestBuses.numbered(0, 1));
        second.publish(TestBuses.numbered(1, 1));
        List<ConsumerRecord<byte[], byte[]>> records = kafka.consume(topic, 1, READ);
        first.stop();
        second.stop();
        assertEquals(1, records.size(), "no duplicate delivery through the second wiring");
        assertEquals(0, second.statistics().accepted());
    }

    @Test
    void anUnusableSpoolDirectoryFallsBackToMemoryAndStillDelivers() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        KafkaEventBus bus = TestBuses.configured("memoryBus", dir, kafka.bootstrapServers(), topic, "spool.dir", notADirectory.toString());
        bus.start();
        bus.publish(TestBuses.numbered(0, 1));
        List<ConsumerRecord<byte[], byte[]>> records = kafka.consume(topic, 1, READ);
        bus.stop();
        assertEquals(1, records.size());
        assertFalse(bus.statistics().durable());
    }

    @Test
    void namesAreStable() throws Exception {
        KafkaEventBus bus = new KafkaEventBus();
        assertEquals("kafkaEventBus", bus.getName());
        bus.setName("fromXml");
        assertEquals("fromXml", bus.getName());
        bus.setPropertiesFile(dir.resolve("absent").toString());
        bus.configure("fromLifecycle", Map.of("k", "v"));
        assertEquals("fromLifecycle", bus.getName());
        assertEquals(Map.of("k", "v"), bus.getConfigParams());
        assertNotEquals(0, bus.getRunLevel());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void anInterruptedCallersEventIsStoredAndDeliveredAndItsInterruptFlagKept() throws Exception {
        KafkaEventBus bus = TestBuses.configured("interruptedBus", dir, kafka.bootstrapServers(), topic,
                "spool.segment.bytes", "65536", "spool.max.bytes", "16777216");
        bus.start();
        boolean[] flagAfter = new boolean[20];
        Thread cancelled = new Thread(() -> {
            for (int n = 0; n < 20; n++) {
                Thread.currentThread().interrupt(); // as Future.cancel(true) leaves a CloudStack job thread
                try {
                    bus.publish(TestBuses.numbered(n, 4));
                } catch (EventBusException e) {
                    throw new AssertionError(e);
                }
                flagAfter[n] = Thread.interrupted();
            }
        }, "cancelled-job");
        cancelled.start();
        cancelled.join();
        for (int n = 20; n < 40; n++) {
            bus.publish(TestBuses.numbered(n, 4)); // the others' events are not harmed either
        }
        Delivered delivered = new Delivered(kafka.consume(topic, 40, READ));
        bus.stop();
        for (int n = 0; n < 20; n++) {
            assertTrue(flagAfter[n], "publish() " + n + " left the caller's interrupt flag as it found it");
        }
        assertEquals(Set.of(), delivered.missingOf(40));
        assertEquals(List.of(), delivered.keysOutOfOrder());
        assertEquals(0, bus.statistics().dropped());
    }

    @Test
    void stopReturnsPromptlyWhenKafkaIsUnreachableAndKeepsTheEvents() throws Exception {
        // Nothing listens on this port. stop.timeout.ms is long: stop() must not wait it out.
        KafkaEventBus bus = TestBuses.configured("unreachableBus", dir, "127.0.0.1:1", topic, "stop.timeout.ms", "60000");
        bus.start();
        for (int n = 0; n < 10; n++) {
            bus.publish(TestBuses.numbered(n, 2));
        }
        long started = System.nanoTime();
        bus.stop();
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMs < 15_000, "stop() took " + tookMs + " ms with Kafka away");
        assertEquals(10, bus.statistics().pending(), "what Kafka did not take stays in the spool");

        KafkaEventBus restarted = TestBuses.configured("unreachableBus", dir, kafka.bootstrapServers(), topic);
        restarted.start();
        Delivered delivered = new Delivered(kafka.consume(topic, 10, READ));
        restarted.stop();
        assertEquals(Set.of(), delivered.missingOf(10));
    }
}
