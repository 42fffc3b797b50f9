package io.kafkabus.cloudstack.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.KafkaEventBus;
import io.kafkabus.cloudstack.testing.Delivered;
import io.kafkabus.cloudstack.testing.KafkaCluster;
import io.kafkabus.cloudstack.testing.TestBuses;

/**
 * Kafka going away and coming back, with the spool in between. Each test prints what it saw
 * (published, read, duplicates, worst publish() latency) for the release notes.
 */
class OutageRecoveryTest {
    private static final Duration READ = Duration.ofSeconds(60);
    private static KafkaCluster kafka;
    private static int broker;

    @TempDir
    Path dir;
    private String topic;

    @BeforeAll
    static void cluster() {
        kafka = KafkaCluster.start(1);
        broker = kafka.brokerIds().get(0);
    }

    @AfterAll
    static void closeCluster() {
        kafka.close();
    }

    @BeforeEach
    void topic() {
        topic = "outage-" + UUID.randomUUID();
        kafka.createTopic(topic, 3);
    }

    @AfterEach
    void brokerBackUp() {
        if (!brokerRunning) {
            kafka.startBroker(broker);
            brokerRunning = true;
        }
    }

    private boolean brokerRunning = true;

    private void stopBroker() {
        kafka.stopBroker(broker);
        brokerRunning = false;
    }

    private void startBroker() {
        kafka.startBroker(broker);
        brokerRunning = true;
    }

    /** Publishes events {@code from..to-1}, returning the slowest publish() in microseconds. */
    private static long publish(KafkaEventBus bus, int from, int to) throws Exception {
        long worst = 0;
        for (int n = from; n < to; n++) {
            long start = System.nanoTime();
            bus.publish(TestBuses.numbered(n, 10));
            worst = Math.max(worst, System.nanoTime() - start);
        }
        return worst / 1000;
    }

    private static void report(String scenario, int published, Delivered delivered, long worstPublishMicros) {
        System.out.printf("[scenario] %s: published=%d read=%d duplicates=%d worstPublishDuringOutage=%dus%n",
                scenario, published, delivered.distinct(), delivered.duplicates(), worstPublishMicros);
    }

    private static void assertAllInOrder(Delivered delivered, int published) {
        assertEquals(Set.of(), delivered.missingOf(published), "events lost");
        assertEquals(published, delivered.distinct());
        assertEquals(List.of(), delivered.keysOutOfOrder(), "per-resource order");
    }

    @Test
    void aBrokerOutageInTheMiddleOfAStreamLosesNothing() throws Exception {
        KafkaEventBus bus = TestBuses.configured("midStream", dir, kafka.bootstrapServers(), topic);
        bus.start();
        publish(bus, 0, 300);
        stopBroker();
        long worst = publish(bus, 300, 600);
        assertTrue(bus.statistics().pending() > 0, "the outage is felt: events wait in the spool");
        startBroker();
        publish(bus, 600, 900);
        Delivered delivered = new Delivered(kafka.consume(topic, 900, READ));
        bus.stop();
        report("broker stopped mid-stream", 900, delivered, worst);
        assertAllInOrder(delivered, 900);
        // Never waiting on Kafka means microseconds; a bound far below max.block.ms (5 s) proves it.
        assertTrue(worst < 1_000_000, "publish() waited " + worst + " us during the outage");
    }

    @Test
    void aBrokerUnreachableAtStartUpGetsEverythingOnceItIsBack() throws Exception {
        stopBroker();
        KafkaEventBus bus = TestBuses.configured("coldStart", dir, kafka.bootstrapServers(), topic);
        bus.start();
        long worst = publish(bus, 0, 200);
        startBroker();
        Delivered delivered = new Delivered(kafka.consume(topic, 200, READ));
        bus.stop();
        report("broker unreachable at start-up", 200, delivered, worst);
        assertAllInOrder(delivered, 200);
    }

    /**
     * With the broker stopped, a bus named {@code name} takes {@code count} events and is stopped:
     * they all stay in its spool. Returns the slowest publish() in microseconds.
     */
    private long spoolWhileKafkaIsDown(String name, int count) throws Exception {
        stopBroker();
        KafkaEventBus bus = TestBuses.configured(name, dir, kafka.bootstrapServers(), topic, "stop.timeout.ms", "200");
        bus.start();
        long worst = publish(bus, 0, count);
        long stopping = System.nanoTime();
        bus.stop();
        // Bounded by stop.timeout.ms (200 ms) plus closing: stop() never hangs on an absent Kafka.
        assertTrue(System.nanoTime() - stopping < Duration.ofSeconds(5).toNanos(), "stop() took too long");
        assertEquals(count, bus.statistics().pending(), "stop() could not deliver: all of it stays spooled");
        return worst;
    }

    /** With the broker back, starts a bus named {@code name} and publishes events {@code from..to-1} through it. */
    private KafkaEventBus resumeWithKafkaBack(String name, int from, int to) throws Exception {
        startBroker();
        KafkaEventBus bus = TestBuses.configured(name, dir, kafka.bootstrapServers(), topic);
        bus.start();
        publish(bus, from, to);
        return bus;
    }

    @Test
    void aBacklogSurvivesARestartOfTheBus() throws Exception {
        long worst = spoolWhileKafkaIsDown("restarted", 500);
        KafkaEventBus after = resumeWithKafkaBack("restarted", 500, 600);
        Delivered delivered = new Delivered(kafka.consume(topic, 600, READ));
        after.stop();
        report("bus stopped and started again with a backlog", 600, delivered, worst);
        assertAllInOrder(delivered, 600);
        assertEquals(0, after.statistics().pending());
    }

    @Test
    void theBacklogOfABusNoLongerWiredIsAdoptedAsAfterAnUpgradeTo420() throws Exception {
        spoolWhileKafkaIsDown("kafkaEventBusCore", 300);
        KafkaEventBus module420 = resumeWithKafkaBack("kafkaEventBus", 300, 400);
        Delivered delivered = new Delivered(kafka.consume(topic, 400, READ));
        module420.stop();
        report("upgrade 4.19 -> 4.20 with a backlog in the old bus's spool", 400, delivered, 0);
        assertAllInOrder(delivered, 400);
        assertEquals(0, module420.statistics().pending());
    }

    @Test
    void aDamagedSpoolRecordIsSkippedAndReportedTheRestDelivered() throws Exception {
        spoolWhileKafkaIsDown("damaged", 100);
        Path segment;
        try (Stream<Path> files = Files.list(dir.resolve("spool").resolve("damaged"))) {
            segment = files.filter(f -> f.toString().endsWith(".seg")).sorted().collect(Collectors.toList()).get(0);
        }
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            long middle = file.length() / 2;
            file.seek(middle);
            file.write(~file.read());
        }

        KafkaEventBus after = resumeWithKafkaBack("damaged", 100, 100);
        Delivered delivered = new Delivered(kafka.consume(topic, 99, READ));
        after.stop();
        report("corrupted spool segment", 100, delivered, 0);
        assertEquals(99, delivered.distinct(), "one record damaged, the 99 around it delivered");
        assertEquals(1, delivered.missingOf(100).size());
        assertEquals(List.of(), delivered.keysOutOfOrder());
        assertEquals(1, after.statistics().damaged());
    }
}
