package io.kafkabus.cloudstack.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.cloudstack.framework.events.Event;
import org.apache.cloudstack.framework.events.EventBus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.beans.factory.config.PropertyOverrideConfigurer;
import org.springframework.context.support.GenericXmlApplicationContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.kafkabus.cloudstack.KafkaEventBus;
import io.kafkabus.cloudstack.delivery.BusStatistics;
import io.kafkabus.cloudstack.testing.KafkaCluster;

/**
 * The plugin end to end on one machine, with nothing installed but a JDK and Maven: a real Kafka
 * broker in this JVM, the bus wired from the jar's own Spring XML and driven the way CloudStack
 * drives it, one event of each kind CloudStack publishes, and every record read back from Kafka.
 * Run it with {@code mvn -q test-compile exec:exec@demo} (see README.md).
 */
public final class EmbeddedDemo {
    /** The XML CloudStack 4.20+ loads from the jar (module kafka-event-bus, parent event). */
    static final String MODULE_XML = "META-INF/cloudstack/kafka-event-bus/spring-kafka-event-bus-context.xml";
    static final String MODULE_PROPERTIES = "META-INF/cloudstack/kafka-event-bus/module.properties";
    static final String TOPIC = "cloudstack";
    static final String ALERT_TOPIC = "cloudstack-alerts";
    private static final String SOURCE = "management-server";
    private static final DateTimeFormatter CLOUDSTACK_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private EmbeddedDemo() {
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

        step(1, "Starting a single-broker Kafka (KRaft) in this JVM");
        long t = System.nanoTime();
        KafkaCluster kafka = quietly(() -> KafkaCluster.start(1));
        try {
            System.out.printf("      ready at %s in %.1f s%n", kafka.bootstrapServers(), seconds(t));
            kafka.createTopic(TOPIC, 3);
            kafka.createTopic(ALERT_TOPIC, 1);
            System.out.printf("      topics: %s (3 partitions), %s (1 partition)%n", TOPIC, ALERT_TOPIC);

            Path properties = work.resolve("kafka.producer.properties");
            String settings = "bootstrap.servers=" + kafka.bootstrapServers() + "\n"
                    + "topic=" + TOPIC + "\n"
                    + "category.topics=AlertEvent:" + ALERT_TOPIC + "\n"
                    + "spool.dir=" + work.resolve("spool") + "\n";
            Files.writeString(properties, settings);
            step(2, "Wrote " + properties + ":");
            settings.lines().forEach(line -> System.out.println("        " + line));

            step(3, "Wiring the bus from the jar's own Spring XML, classpath:" + MODULE_XML);
            System.out.println("      " + moduleDescription() + "; propertiesFile set by a PropertyOverrideConfigurer");
            try (GenericXmlApplicationContext spring = wire(properties)) {
                Map<String, EventBus> buses = spring.getBeansOfType(EventBus.class);
                System.out.println("      EventBus beans: " + buses.keySet());
                KafkaEventBus bus = (KafkaEventBus) buses.values().iterator().next();
                System.out.println("      configure() then start(), as CloudStack's lifecycle does:");
                bus.configure(bus.getName(), Map.of());
                bus.start();

                List<DemoEvent> events = events(projectDir);
                step(4, "Publishing " + events.size() + " events, every category CloudStack publishes");
                for (DemoEvent e : events) {
                    long start = System.nanoTime();
                    bus.publish(e.event);
                    long micros = (System.nanoTime() - start) / 1_000;
                    System.out.printf("      %-19s %-18s %-28s publish() returned in %,d µs%n",
                            e.event.getEventCategory(), e.event.getEventType(), e.label, micros);
                }
                System.out.println("      (a cold JVM: these first calls include class loading and the interpreter;"
                        + " exec:exec@bench measures the steady state)");

                step(5, "Reading them back from Kafka");
                List<ConsumerRecord<byte[], byte[]>> records = consume(kafka.bootstrapServers(), events.size(), Duration.ofSeconds(60));
                records.sort(Comparator.comparing((ConsumerRecord<byte[], byte[]> r) -> r.topic())
                        .thenComparingInt(ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset));
                records.forEach(EmbeddedDemo::print);
                if (records.size() != events.size()) {
                    throw new IllegalStateException("expected " + events.size() + " records, read " + records.size());
                }

                step(6, "Bus statistics");
                BusStatistics stats = awaitDelivered(bus, events.size(), Duration.ofSeconds(30));
                System.out.println("      " + stats);

                step(7, "Stopping: stop() twice, as CloudStack does, then the broker");
                bus.stop();
                bus.stop();
            }
        } finally {
            quietly(() -> {
                kafka.close();
                return null;
            });
            deleteRecursively(work);
        }
        System.out.printf("== Done in %.1f s ==%n", seconds(begin));
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

    /** An event to publish, and what it shows. */
    static final class DemoEvent {
        final String label;
        final Event event;

        DemoEvent(String label, Event event) {
            this.label = label;
            this.event = event;
        }
    }

    /**
     * The three recorded ActionEvents, then a VM start as CloudStack reports it (async job, state
     * machine, action event with the 4.20 fields, usage), and an alert, which has no resource.
     */
    static List<DemoEvent> events(Path projectDir) throws IOException {
        List<DemoEvent> events = new ArrayList<>();
        int n = 0;
        for (String line : seedEvents(projectDir)) {
            JsonNode seed = JSON.readTree(line);
            String entity = seed.path("entity").asText("");
            Event e = new Event(SOURCE, "ActionEvent", seed.path("event").asText(),
                    entity.substring(entity.lastIndexOf('.') + 1), seed.path("entityuuid").asText(null));
            e.setDescription(line);
            events.add(new DemoEvent("(recorded, fixture " + ++n + ")", e));
        }

        String now = ZonedDateTime.now().format(CLOUDSTACK_TIME);
        String vm = "6f1b8f0e-3c2a-4d6e-9a51-2f8e0c7d9b14";
        String user = "f484a624-6b93-11e7-81e3-06565200012c";
        String account = "f4849ae2-6b93-11e7-81e3-06565200012c";
        String domain = "8a90b067-6b93-11e7-81e3-06565200012c";
        String zone = "c4b4a1f2-90a4-4b43-8d1b-5d0c2e6f7a31";
        String job = "0b6c8a52-8f1e-4f0a-b8a4-3d2e7c9f1a60";
        String command = "org.apache.cloudstack.api.command.user.vm.StartVMCmd";
        Map<String, Object> cmdInfo = map("id", vm, "response", "json", "httpmethod", "GET",
                "ctxUserId", "2", "ctxAccountId", "2", "ctxDetails", "{\"interface com.cloud.vm.VirtualMachine\":\"" + vm + "\"}");

        events.add(new DemoEvent("(job submitted)", event("AsyncJobEvent", "submit", "VirtualMachine", vm,
                map("command", command, "user", user, "account", account, "processStatus", "0", "resultCode", "0",
                        "instanceUuid", vm, "instanceType", "VirtualMachine", "commandEventType", "VM.START",
                        "jobId", job, "cmdInfo", cmdInfo, "status", "IN_PROGRESS"))));
        events.add(new DemoEvent("(pre-transition)", event("ResourceStateEvent", "StartRequested", "VirtualMachine", vm,
                map("resource", "VirtualMachine", "id", vm, "old-state", "Stopped", "new-state", "Starting",
                        "status", "preStateTransitionEvent", "eventDateTime", now))));
        events.add(new DemoEvent("(post-transition)", event("ResourceStateEvent", "OperationSucceeded", "VirtualMachine", vm,
                map("resource", "VirtualMachine", "id", vm, "old-state", "Starting", "new-state", "Running",
                        "status", "postStateTransitionEvent", "eventDateTime", now))));

        Event started = event("ActionEvent", "VM.START", "VirtualMachine", vm,
                map("user", user, "account", account, "event", "VM.START", "status", "Completed",
                        "entity", "com.cloud.vm.VirtualMachine", "entityuuid", vm,
                        "description", "Successfully completed starting Vm. Vm Id: 42", "eventDateTime", now,
                        "VirtualMachine", vm, "Account", account, "Domain", domain));
        // CloudStack 4.20+ also sets these; the bus reads them when present.
        started.setEventId(4242L);
        started.setEventUuid("9d5e2c31-7b8a-4f6d-a1e0-c3b2d4f5e6a7");
        started.setResourceAccountId(2L);
        started.setResourceAccountUuid(account);
        started.setResourceDomainId(1L);
        events.add(new DemoEvent("(4.20+, with eventUuid)", started));

        events.add(new DemoEvent("(job completed)", event("AsyncJobEvent", "complete", "VirtualMachine", vm,
                map("command", command, "user", user, "account", account, "processStatus", "0", "resultCode", "0",
                        "instanceUuid", vm, "instanceType", "VirtualMachine", "commandEventType", "VM.START",
                        "jobId", job, "jobResult", map("virtualmachine", map("id", vm, "name", "web-01", "state", "Running")),
                        "cmdInfo", cmdInfo, "status", "SUCCEEDED"))));
        String volume = "3e9d7a10-55c4-4c1b-9f0e-8a6b2d4c1e07";
        events.add(new DemoEvent("(resource type: a class)", event("UsageEvent", "VOLUME.CREATE", "com.cloud.storage.Volume", volume,
                map("account", account, "zone", zone, "event", "VOLUME.CREATE", "resource", "Volume", "id", volume,
                        "eventDateTime", now))));
        events.add(new DemoEvent("(no resource)", event("AlertEvent", "ALERT.MEMORY", null, null,
                map("event", "ALERT.MEMORY", "dataCenterId", zone, "podId", "7a0e6c4b-2d1f-4e8a-9b3c-5f6d7e8a9b0c",
                        "subject", "System Alert: Low Available Memory in cluster cluster-1 pod pod-1 of availability zone zone-1",
                        "body", "Available memory is below the 85% threshold: 7.5 GB of 64 GB free",
                        "eventDateTime", now))));
        return events;
    }

    /** The recorded events: shared/fixtures beside the project when there, else the test resources' copy. */
    static List<String> seedEvents(Path projectDir) throws IOException {
        Path shared = projectDir.resolve("../shared/fixtures/seed-events.json").normalize();
        String text;
        if (Files.isRegularFile(shared)) {
            text = Files.readString(shared);
        } else {
            try (InputStream in = EmbeddedDemo.class.getClassLoader().getResourceAsStream("fixtures/seed-events.json")) {
                if (in == null) {
                    throw new IllegalStateException("no seed events: neither " + shared
                            + " nor classpath:fixtures/seed-events.json (src/test/resources) exists");
                }
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return text.lines().map(String::trim).filter(l -> !l.isEmpty()).collect(Collectors.toList());
    }

    private static Event event(String category, String type, String resourceType, String resourceUuid, Map<String, Object> description) {
        Event e = new Event(SOURCE, category, type, resourceType, resourceUuid);
        try {
            // CloudStack stores Gson's JSON of a map; Jackson writes the same text for these values.
            e.setDescription(JSON.writeValueAsString(description));
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        return e;
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** Every record of both topics, from the beginning, until {@code expected} came or the time is up. */
    static List<ConsumerRecord<byte[], byte[]>> consume(String bootstrapServers, int expected, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC, ALERT_TOPIC));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
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

    private static BusStatistics awaitDelivered(KafkaEventBus bus, int expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        BusStatistics stats = bus.statistics();
        while ((stats.delivered() < expected || stats.pending() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            stats = bus.statistics();
        }
        return stats;
    }

    /** Runs {@code action} with standard output held back (the broker's start-up chatter); shown if it fails. */
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

    /** A supplier that may throw. */
    @FunctionalInterface
    public interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    private static void step(int number, String text) {
        System.out.println();
        System.out.println("[" + number + "] " + text);
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
