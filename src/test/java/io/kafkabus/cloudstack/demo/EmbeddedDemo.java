package io.kafkabus.cloudstack.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.apache.cloudstack.framework.events.Event;
import org.apache.cloudstack.framework.events.EventBus;
import org.apache.cloudstack.framework.events.EventBusException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.beans.factory.config.PropertyOverrideConfigurer;
import org.springframework.context.support.GenericXmlApplicationContext;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.kafkabus.cloudstack.KafkaEventBus;
import io.kafkabus.cloudstack.delivery.BusStatistics;
import io.kafkabus.cloudstack.demo.DemoEvents.DemoEvent;
import io.kafkabus.cloudstack.testing.Conditions;
import io.kafkabus.cloudstack.testing.KafkaCluster;

/**
 * The plugin end to end on one machine, with nothing installed but a JDK and Maven: a real Kafka
 * broker in this JVM, the bus wired from the jar's own Spring XML and driven the way CloudStack
 * drives it, one event of each kind CloudStack publishes, every record read back from Kafka; then
 * the broker stopped while events are published, and restarted: publish() keeps returning at once,
 * the spool grows and drains, and Kafka ends up with every event once, each resource's in order.
 * Run it with {@code mvn -q test-compile exec:exec@demo} (see README.md).
 */
public final class EmbeddedDemo {
    /** The XML CloudStack 4.20+ loads from the jar (module kafka-event-bus, parent event). */
    static final String MODULE_XML = "META-INF/cloudstack/kafka-event-bus/spring-kafka-event-bus-context.xml";
    static final String MODULE_PROPERTIES = "META-INF/cloudstack/kafka-event-bus/module.properties";
    static final String TOPIC = "cloudstack";
    static final String ALERT_TOPIC = "cloudstack-alerts";
    /** Events published while the broker is down, in rounds, the spool shown after each. */
    private static final int OUTAGE_ROUNDS = 3;
    private static final int EVENTS_PER_ROUND = 20;
    /** The longest any wait may take before the demo fails. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static int steps;

    private final KafkaCluster kafka;
    private final KafkaEventBus bus;
    private final int broker;
    /** The ids of every event published so far: what Kafka must hold, each once. */
    private final Set<String> publishedIds = new LinkedHashSet<>();

    private EmbeddedDemo(KafkaCluster kafka, KafkaEventBus bus) {
        this.kafka = kafka;
        this.bus = bus;
        this.broker = kafka.brokerIds().get(0);
    }

    public static void main(String[] args) {
        int exit = 0;
        try {
            run(Paths.get(System.getProperty("project.dir", System.getProperty("user.dir"))));
        } catch (Throwable e) {
            System.out.flush();
            System.err.println("Demo failed: " + e);
            e.printStackTrace();
            exit = 1;
        }
        // The broker's and the producer's threads are closed by now; exit regardless of stragglers.
        System.exit(exit);
    }

    private static void run(Path projectDir) throws Exception {
        long begin = System.nanoTime();
        System.out.println("== CloudStack Kafka event bus: embedded demo ==");
        Path work = Files.createTempDirectory("kafka-event-bus-demo-");
        KafkaCluster kafka = startKafka();
        try {
            Path properties = writeProperties(work, kafka.bootstrapServers());
            try (GenericXmlApplicationContext spring = wireBus(properties)) {
                new EmbeddedDemo(kafka, (KafkaEventBus) spring.getBean(EventBus.class)).show(projectDir);
            }
        } finally {
            quietly(kafka::close);
            deleteRecursively(work);
        }
        System.out.printf("== Done in %.1f s ==%n", seconds(begin));
    }

    private static KafkaCluster startKafka() throws Exception {
        step("Starting a single-broker Kafka (KRaft) in this JVM");
        long t = System.nanoTime();
        KafkaCluster kafka = quietly(() -> KafkaCluster.start(1));
        System.out.printf("      ready at %s in %.1f s%n", kafka.bootstrapServers(), seconds(t));
        kafka.createTopic(TOPIC, 3);
        kafka.createTopic(ALERT_TOPIC, 1);
        System.out.printf("      topics: %s (3 partitions), %s (1 partition)%n", TOPIC, ALERT_TOPIC);
        return kafka;
    }

    private static Path writeProperties(Path work, String bootstrapServers) throws IOException {
        Path properties = work.resolve("kafka.producer.properties");
        String settings = "bootstrap.servers=" + bootstrapServers + "\n"
                + "topic=" + TOPIC + "\n"
                + "category.topics=AlertEvent:" + ALERT_TOPIC + "\n"
                + "spool.dir=" + work.resolve("spool") + "\n"
                + "# the smallest segments (default 16 MiB), so that the spool's files are seen shrinking as it drains\n"
                + "spool.segment.bytes=65536\n";
        Files.writeString(properties, settings);
        step("Wrote " + properties + ":");
        settings.lines().forEach(line -> System.out.println("        " + line));
        return properties;
    }

    private static GenericXmlApplicationContext wireBus(Path properties) throws Exception {
        step("Wiring the bus from the jar's own Spring XML, classpath:" + MODULE_XML);
        System.out.println("      " + moduleDescription() + "; propertiesFile set by a PropertyOverrideConfigurer");
        GenericXmlApplicationContext spring = wire(properties);
        System.out.println("      EventBus beans: " + spring.getBeansOfType(EventBus.class).keySet());
        return spring;
    }

    private void show(Path projectDir) throws Exception {
        System.out.println("      configure() then start(), as CloudStack's lifecycle does:");
        bus.configure(bus.getName(), Map.of());
        bus.start();
        List<DemoEvent> events = DemoEvents.events(projectDir);
        publishEveryCategory(events);
        readThemBack(events.size());
        printStatistics("Bus statistics");

        stopBroker();
        List<Event> outage = publishDuringOutage();
        long spoolBytesOfOutage = bus.statistics().spoolBytes();
        long restart = startBroker();
        awaitDrained(restart, spoolBytesOfOutage);
        readEverythingBack(outage);

        printStatistics("Bus statistics, then stop() twice, as CloudStack does");
        bus.stop();
        bus.stop();
    }

    private void publishEveryCategory(List<DemoEvent> events) throws Exception {
        step("Publishing " + events.size() + " events, every category CloudStack publishes");
        for (DemoEvent e : events) {
            System.out.printf("      %-19s %-18s %-28s publish() returned in %,d µs%n", e.event().getEventCategory(),
                    e.event().getEventType(), e.label(), publishTimed(e.event()) / 1_000);
        }
        System.out.println("      (a cold JVM: these first calls include class loading and the interpreter;"
                + " exec:exec@bench measures the steady state)");
    }

    /** Reads the first events back; as the bus made their ids, those read are the ids published. */
    private void readThemBack(int published) throws InterruptedException {
        step("Reading them back from Kafka once the bus says they are delivered, by topic, partition and offset");
        Conditions.await(() -> bus.statistics().pending() == 0, PATIENCE, "the events to be delivered");
        ReadBack kafkaHolds = readAll();
        kafkaHolds.inLogOrder().forEach(EmbeddedDemo::print);
        if (kafkaHolds.size() != published || kafkaHolds.ids().size() != published) {
            throw new IllegalStateException("expected " + published + " records, read " + kafkaHolds.size()
                    + " with " + kafkaHolds.ids().size() + " distinct ids");
        }
        publishedIds.addAll(kafkaHolds.ids());
    }

    private void printStatistics(String title) {
        step(title);
        System.out.println("      " + bus.statistics());
    }

    private void stopBroker() throws Exception {
        step("Stopping the broker: Kafka is away");
        long t = System.nanoTime();
        quietly(() -> kafka.stopBroker(broker));
        System.out.printf("      broker %d stopped in %.1f s; %s%n", broker, seconds(t), connections());
    }

    /** Publishes the VMs' actions in rounds, timing each call and showing the spool after each round. */
    private List<Event> publishDuringOutage() throws EventBusException {
        List<Event> events = DemoEvents.vmActions(OUTAGE_ROUNDS * EVENTS_PER_ROUND);
        step("Publishing " + events.size() + " events while Kafka is away: " + DemoEvents.VMS.size()
                + " VMs' actions in turn, in " + OUTAGE_ROUNDS + " rounds");
        long[] nanos = new long[events.size()];
        for (int round = 0; round < OUTAGE_ROUNDS; round++) {
            int from = round * EVENTS_PER_ROUND;
            for (int i = from; i < from + EVENTS_PER_ROUND; i++) {
                nanos[i] = publishTimed(events.get(i));
                publishedIds.add(events.get(i).getEventUuid());
            }
            System.out.printf("      round %d: %d calls, publish() %s   spool: %s%n", round + 1, EVENTS_PER_ROUND,
                    latencies(Arrays.copyOfRange(nanos, from, from + EVENTS_PER_ROUND)), spool(bus.statistics()));
        }
        System.out.printf("      all %d calls: publish() %s; none waited for Kafka%n", nanos.length, latencies(nanos));
        return events;
    }

    /** Starts the broker again; returns when that began, in {@link System#nanoTime()}. */
    private long startBroker() throws Exception {
        step("Starting the broker again");
        long start = System.nanoTime();
        quietly(() -> kafka.startBroker(broker));
        Conditions.await(this::acceptsConnections, PATIENCE, "the broker to accept connections");
        System.out.printf("      broker %d back in %.1f s; %s%n", broker, seconds(start), connections());
        return start;
    }

    /**
     * Until nothing is pending and the spool's files are smaller than the {@code spoolBytesOfOutage}
     * they took: the segment that was all delivered is deleted.
     */
    private void awaitDrained(long restart, long spoolBytesOfOutage) throws InterruptedException {
        step("The spool draining: the sender sends what waited, oldest first (times since the broker's restart)");
        Conditions.await(new SpoolProgress(bus, restart, spoolBytesOfOutage), PATIENCE, "the spool to drain");
        System.out.printf("      drained %.1f s after the broker's restart: nothing pending, the delivered segment"
                + " file deleted%n", seconds(restart));
    }

    private void readEverythingBack(List<Event> outage) {
        step("Reading everything back from Kafka, checking each record's id header");
        ReadBack kafkaHolds = readAll();
        System.out.println("      " + kafkaHolds.eachOnce(publishedIds));
        System.out.println("      The events of the outage in publish order (left to right, then down), one column per VM:"
                + " #n type partition@offset");
        PublishOrder.print(outage, kafkaHolds);
        System.out.println("      Why each resource's order holds: records are keyed by resourceUuid, one key always maps"
                + " to one partition,");
        System.out.println("      and one sender thread sends the spool in publish order through an idempotent producer,"
                + " whose retries");
        System.out.println("      neither reorder nor duplicate. The order is per resource only: a consumer of several"
                + " partitions interleaves them.");
    }

    private long publishTimed(Event event) throws EventBusException {
        long start = System.nanoTime();
        bus.publish(event);
        return System.nanoTime() - start;
    }

    private ReadBack readAll() {
        return ReadBack.readAll(kafka.bootstrapServers(), List.of(TOPIC, ALERT_TOPIC), PATIENCE);
    }

    /** Whether the broker's port takes a TCP connection. */
    private boolean acceptsConnections() {
        String[] hostPort = kafka.bootstrapServers().split(":");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 1_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private String connections() {
        return kafka.bootstrapServers() + (acceptsConnections() ? " accepts connections" : " refuses connections");
    }

    /** The median and the slowest of some durations, in microseconds. */
    private static String latencies(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("p50 %,d µs, max %,d µs", sorted[(sorted.length - 1) / 2] / 1_000, sorted[sorted.length - 1] / 1_000);
    }

    private static String spool(BusStatistics stats) {
        return String.format("pending=%d spoolBytes=%,d delivered=%d", stats.pending(), stats.spoolBytes(), stats.delivered());
    }

    /** The jar's module XML in a Spring context, the properties file path overriding the search. */
    static GenericXmlApplicationContext wire(Path propertiesFile) {
        GenericXmlApplicationContext spring = new GenericXmlApplicationContext();
        spring.load("classpath:" + MODULE_XML);
        Properties overrides = new Properties();
        overrides.setProperty("kafkaEventBus.propertiesFile", propertiesFile.toString());
        PropertyOverrideConfigurer override = new PropertyOverrideConfigurer();
        override.setProperties(overrides);
        spring.addBeanFactoryPostProcessor(override);
        spring.refresh();
        return spring;
    }

    private static String moduleDescription() throws IOException {
        Properties module = new Properties();
        try (InputStream in = EmbeddedDemo.class.getClassLoader().getResourceAsStream(MODULE_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException(MODULE_PROPERTIES + " is not on the class path");
            }
            module.load(in);
        }
        return "module.properties: name=" + module.getProperty("name") + ", parent=" + module.getProperty("parent");
    }

    private static void print(ConsumerRecord<byte[], byte[]> record) {
        System.out.println();
        System.out.printf("  %s / partition %d / offset %d   key=%s%n", record.topic(), record.partition(), record.offset(),
                record.key() == null ? "null" : new String(record.key(), StandardCharsets.UTF_8));
        List<String> headers = new ArrayList<>();
        for (Header h : record.headers()) {
            headers.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8));
        }
        System.out.println("    headers: " + String.join(", ", headers));
        String value = new String(record.value(), StandardCharsets.UTF_8);
        try {
            value = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(value));
        } catch (IOException notJson) {
            // Printed as it is.
        }
        System.out.println("    value:");
        value.lines().forEach(line -> System.out.println("      " + line));
    }

    /**
     * A condition that holds once nothing is pending and the spool's files are smaller than
     * {@code bytesBefore}, printing the spool every quarter second meanwhile and at the end.
     */
    private static final class SpoolProgress implements BooleanSupplier {
        private static final long INTERVAL_NANOS = 250_000_000L;
        private final KafkaEventBus bus;
        private final long start;
        private final long bytesBefore;
        private long nextPrint;

        SpoolProgress(KafkaEventBus bus, long start, long bytesBefore) {
            this.bus = bus;
            this.start = start;
            this.bytesBefore = bytesBefore;
        }

        @Override
        public boolean getAsBoolean() {
            BusStatistics stats = bus.statistics();
            boolean drained = stats.pending() == 0 && stats.spoolBytes() < bytesBefore;
            long now = System.nanoTime();
            if (drained || now >= nextPrint) {
                System.out.printf("      +%.2f s  %s%n", seconds(start), spool(stats));
                nextPrint = now + INTERVAL_NANOS;
            }
            return drained;
        }
    }

    /** Runs {@code action} with standard output held back (the broker's chatter); shown if it fails. */
    public static <T> T quietly(ThrowingSupplier<T> action) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream held = new ByteArrayOutputStream();
        System.setOut(new PrintStream(held, true, StandardCharsets.UTF_8));
        try {
            return action.get();
        } catch (Exception | Error e) {
            out.print(held.toString(StandardCharsets.UTF_8));
            throw e;
        } finally {
            System.setOut(out);
        }
    }

    /** As {@link #quietly(ThrowingSupplier)}, for an action without a result. */
    private static void quietly(Runnable action) throws Exception {
        quietly(() -> {
            action.run();
            return null;
        });
    }

    /** A supplier that may throw. */
    @FunctionalInterface
    public interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    private static void step(String text) {
        System.out.println();
        System.out.println("[" + ++steps + "] " + text);
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            Iterator<Path> deepestFirst = paths.sorted(Comparator.reverseOrder()).iterator();
            while (deepestFirst.hasNext()) {
                Files.deleteIfExists(deepestFirst.next());
            }
        } catch (IOException e) {
            System.err.println("Could not delete " + dir + ": " + e);
        }
    }
}
