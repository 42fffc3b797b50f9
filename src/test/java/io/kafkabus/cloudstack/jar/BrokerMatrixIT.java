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
import io.kafkabus.cloudstack.jar.ServerRun.Era;
import io.kafkabus.cloudstack.testing.Conditions;
import io.kafkabus.cloudstack.testing.Delivered;
import io.kafkabus.cloudstack.testing.TestBuses;
import io.kafkabus.cloudstack.testing.VersionedBroker;

/**
 * The bus against real brokers of every Kafka release in {@code broker.matrix.versions} (the
 * {@code broker-matrix} profile: the oldest the bundled client supports that runs here, a 3.x in
 * KRaft mode, the newest 4.x), each a process of its own started from Maven Central's jars and
 * shared by this class's tests. The built jar, with the relocated client it ships, in a simulated
 * management server and through {@code check}; the plugin's classes on the test class path (its
 * kafka-clients 4.3.1): every category delivered once in per-key order, and a broker outage in
 * mid-stream.
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

    /**
     * The broker stopped while the bus is sending, events published during the outage, the broker
     * restarted, more events after: nothing lost, each key in publish order. At least once: the
     * only events read twice are ones Kafka had written but not yet acknowledged when its process
     * went away (see README, "Supported versions"), each at most twice.
     */
    @Test
    void aBrokerStoppedAndRestartedInMidStreamLosesNothing() throws Exception {
        String topic = newTopic();
        KafkaEventBus bus = TestBuses.configured("outage", dir, broker.bootstrapServers(), topic);
        bus.start();
        long acknowledgedAtStop;
        try {
            publish(bus, 0, 100);
            Conditions.await(() -> bus.statistics().delivered() == 100, READ, "the first 100 events acknowledged");
            broker.beginStop();
            publish(bus, 100, 200);
            broker.awaitStopped();
            // The broker process has exited: it acknowledges nothing more (a response already read may still be
            // counted a moment later, which only loosens the bound below).
            acknowledgedAtStop = bus.statistics().delivered();
            publish(bus, 200, 400);
            assertTrue(bus.statistics().pending() > 0, "the outage is felt: events wait in the spool");
        } finally {
            broker.startBroker();
        }
        Conditions.await(() -> bus.statistics().pending() == 0, READ, "the spool drained after the restart");
        publish(bus, 400, 600);
        List<ConsumerRecord<byte[], byte[]>> records = broker.consume(topic, 600, READ);
        bus.stop();

        Delivered delivered = assertEveryEventInOrder(records, 600);
        assertEquals(0, bus.statistics().pending());
        List<Integer> duplicated = delivered.duplicated();
        System.out.printf(Locale.ROOT, "BrokerMatrixIT Kafka %s outage: published=600 read=%d acknowledged at the stop=%d of 200, "
                + "duplicates=%d %s%n", version, delivered.distinct(), acknowledgedAtStop, duplicated.size(), duplicated);
        String copies = "events read twice: " + duplicated + ", " + acknowledgedAtStop + " of 200 acknowledged at the stop";
        assertTrue(duplicated.stream().allMatch(n -> n >= 100 && n < 200),
                "only events sent in the last moments before the stop may come twice; " + copies);
        assertEquals(duplicated.size(), Set.copyOf(duplicated).size(), "no event three times; " + copies);
        assertTrue(duplicated.size() <= 200 - acknowledgedAtStop, "no more copies than events unacknowledged at the stop; " + copies);
    }

    /**
     * The built jar, with its relocated 4.4.0 client, in a simulated CloudStack 4.20 management server
     * (one harness JVM): every category published before and after start(), each event read back
     * once, each key in publish order, the client's own version line in the server's log.
     */
    @Test
    void theBuiltJarInAManagementServerDeliversEveryCategoryOnceInPerKeyOrder() throws Exception {
        ServerRun run = new ServerRun(Era.CS_4_20, "matrix-" + version, broker);
        for (int seq = 1; seq <= 50; seq++) {
            String phase = seq <= 10 ? "before-start" : "after-start";
            String vm = "vm-" + (seq % 4);
            switch (seq % CATEGORIES.size()) {
                case 0:
                    run.events.add(ServerRun.action(phase, "VM.START", "VirtualMachine", vm, seq, "Completed"));
                    break;
                case 1:
                    run.events.add(ServerRun.alert(phase, "ALERT.MEMORY", seq));
                    break;
                default:
                    run.events.add(ServerRun.plain(phase, CATEGORIES.get(seq % CATEGORIES.size()), "VM.UPDATE", "VirtualMachine", vm, seq));
            }
        }
        run.execute();

        run.assertRecords();
        run.assertLogging("kafkaEventBus", "log4j2");
        assertEquals(Set.copyOf(CATEGORIES), run.records.stream().map(r -> header(r, "category")).collect(Collectors.toSet()));
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
