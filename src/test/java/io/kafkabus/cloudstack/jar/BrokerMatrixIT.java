package io.kafkabus.cloudstack.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.cloudstack.framework.events.Event;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import io.kafkabus.cloudstack.KafkaEventBus;
import io.kafkabus.cloudstack.testing.Delivered;
import io.kafkabus.cloudstack.testing.TestBuses;
import io.kafkabus.cloudstack.testing.VersionedBroker;

/**
 * The bus against real brokers of every Kafka release in {@code broker.matrix.versions} (the
 * {@code broker-matrix} profile: the oldest the bundled client supports that runs here, a 3.x in
 * KRaft mode, the newest 4.x), each a process of its own started from Maven Central's jars and
 * shared by this class's tests: every category delivered once in per-key order, a broker outage in
 * mid-stream, and the built jar's own (relocated, shipped) client through {@code check}.
 */
@EnabledIfSystemProperty(named = "broker.matrix.versions", matches = ".+")
@ParameterizedClass(name = "Kafka {0}")
@MethodSource("versions")
class BrokerMatrixIT {
    private static final Duration READ = Duration.ofSeconds(60);
    private static final List<String> CATEGORIES = List.of("ActionEvent", "AlertEvent", "UsageEvent", "ResourceStateEvent",
            "AsyncJobEvent");
    private static VersionedBroker broker;
    private static long started;

    @Parameter
    String version;

    @TempDir
    Path dir;

    static Stream<String> versions() {
        return Arrays.stream(System.getProperty("broker.matrix.versions").split(",")).map(String::trim);
    }

    @BeforeParameterizedClassInvocation
    static void startBroker(String version) throws Exception {
        started = System.nanoTime();
        broker = VersionedBroker.start(version, Paths.get(System.getProperty("broker.matrix.jars")),
                Paths.get(System.getProperty("java.io.tmpdir"), "broker-matrix", version));
        System.out.printf(Locale.ROOT, "BrokerMatrixIT Kafka %s (%s) ready in %d ms%n", version,
                broker.onZooKeeper() ? "ZooKeeper" : "KRaft", Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    @AfterParameterizedClassInvocation
    static void stopBroker() throws Exception {
        broker.close();
        System.out.printf(Locale.ROOT, "BrokerMatrixIT Kafka %s: %d ms in all%n", broker.version(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /**
     * Event {@code n}: the categories in turn, each on one of seven resources (an alert has none: its
     * key is its category and type), carrying {@code n} so that loss, duplicates and order show.
     */
    private static Event event(int n) {
        String category = CATEGORIES.get(n % CATEGORIES.size());
        String resource = category.equals("AlertEvent") ? null : "resource-" + (n % 7);
        Event event = new Event("management-server", category, category.equals("AlertEvent") ? "ALERT.MEMORY" : "VM.START",
                resource == null ? null : "VirtualMachine", resource);
        event.setDescription("{\"n\":" + n + ",\"status\":\"Completed\"}");
        return event;
    }

    private static void publish(KafkaEventBus bus, int from, int to) throws Exception {
        for (int n = from; n < to; n++) {
            bus.publish(event(n));
        }
    }

    private String newTopic() {
        String topic = "matrix-" + version.replace('.', '-') + "-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopic(topic, 3);
        return topic;
    }

    /** Every event of {@code 0..published-1} read, each key's first copies in publish order; returns what was read. */
    private static Delivered assertEveryEventInOrder(List<ConsumerRecord<byte[], byte[]>> records, int published) {
        Delivered delivered = new Delivered(records);
        assertEquals(Set.of(), delivered.missingOf(published), "events lost\n" + broker.log());
        assertEquals(published, delivered.distinct());
        assertEquals(List.of(), delivered.keysOutOfOrder(), "per-key order");
        return delivered;
    }

    @Test
    void everyCategoryIsDeliveredOnceInPerKeyOrder() throws Exception {
        String topic = newTopic();
        KafkaEventBus bus = TestBuses.configured("matrix", dir, broker.bootstrapServers(), topic);
        bus.start();
        publish(bus, 0, 100);
        List<ConsumerRecord<byte[], byte[]>> records = broker.consume(topic, 100, READ);
        bus.stop();

        // Nothing failed, so nothing was sent twice (README, "Delivery guarantees").
        assertEquals(0, assertEveryEventInOrder(records, 100).duplicates(), "events read twice");
        Map<String, Long> perCategory = records.stream().collect(Collectors.groupingBy(r -> header(r, "category"), Collectors.counting()));
        assertEquals(CATEGORIES.stream().collect(Collectors.toMap(c -> c, c -> 20L)), perCategory);
        assertEquals(0, bus.statistics().pending());
    }

    @Test
    void aBrokerStoppedAndRestartedInMidStreamLosesNothing() throws Exception {
        String topic = newTopic();
        KafkaEventBus bus = TestBuses.configured("outage", dir, broker.bootstrapServers(), topic);
        bus.start();
        try {
            publish(bus, 0, 200);
            broker.stopBroker();
            publish(bus, 200, 400);
            assertTrue(bus.statistics().pending() > 0, "the outage is felt: events wait in the spool");
        } finally {
            broker.startBroker();
        }
        publish(bus, 400, 600);
        List<ConsumerRecord<byte[], byte[]>> records = broker.consume(topic, 600, READ);
        bus.stop();

        Delivered delivered = assertEveryEventInOrder(records, 600);
        assertEquals(0, bus.statistics().pending());
        // At least once: records in flight when the broker went away may be there twice, with one id.
        System.out.printf(Locale.ROOT, "BrokerMatrixIT Kafka %s outage: published=600 read=%d duplicates=%d%n", version,
                delivered.distinct(), delivered.duplicates());
    }

    /** The shipped client, relocated in the built jar, as an operator runs it: writes a test event and reads it back. */
    @Test
    void theBuiltJarsCheckWritesAndReadsBackATestEvent() {
        String topic = newTopic();
        Path file = TestBuses.writeProperties(dir, broker.bootstrapServers(), topic);
        PluginCommand run = PluginCommand.run(READ, "check", file.toString(), "--send-test-event");

        assertEquals(0, run.exitCode, run.toString());
        assertTrue(run.out.matches("(?s).*OK test event [-0-9a-f]{36} written to topic " + topic
                + " partition \\d offset \\d+ and read back, round trip \\d+ ms; .*"), run.toString());
        assertTrue(run.out.endsWith("SUMMARY 0 problem(s), 0 warning(s): nothing found that would stop the bus\n"), run.toString());
        assertEquals(1, broker.consume(topic, 1, READ).size());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
