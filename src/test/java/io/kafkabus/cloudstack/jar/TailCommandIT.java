package io.kafkabus.cloudstack.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.cloudstack.framework.events.Event;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.kafkabus.cloudstack.KafkaEventBus;
import io.kafkabus.cloudstack.testing.Conditions;
import io.kafkabus.cloudstack.testing.KafkaCluster;
import io.kafkabus.cloudstack.testing.Ports;
import io.kafkabus.cloudstack.testing.TestBuses;

/**
 * {@code tail} of the built jar against a real broker, reading what a real bus published: from a
 * time, from the end, filtered, as JSON; and against an unreachable address, a SASL broker with a
 * wrong and a right password, and a missing topic.
 */
class TailCommandIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENTS_TOPIC = "tail-it-events";
    private static final String ALERTS_TOPIC = "tail-it-alerts";
    private static final int ACTION_EVENTS = 12;
    private static final int RESOURCES = 4;

    @TempDir
    static Path dir;
    private static Path properties;
    private static Instant beforePublishing;
    /** The records the bus published, as Kafka holds them, by partition of the events topic, in offset order. */
    private static final Map<Integer, List<String>> ID_BY_PARTITION = new TreeMap<>();
    private static final Map<String, ConsumerRecord<byte[], byte[]>> RECORD_BY_ID = new HashMap<>();

    @BeforeAll
    static void publishThroughARealBus() throws Exception {
        KafkaCluster kafka = KafkaCluster.shared();
        kafka.createTopic(EVENTS_TOPIC, 3);
        kafka.createTopic(ALERTS_TOPIC, 1);
        properties = TestBuses.writeProperties(dir.resolve("bus"), kafka.bootstrapServers(), EVENTS_TOPIC,
                "category.topics", "AlertEvent:" + ALERTS_TOPIC);
        beforePublishing = Instant.now();
        publish(TestBuses.configured("kafkaEventBus", properties.toString()), ACTION_EVENTS + 2, () -> {
            List<Event> events = new ArrayList<>();
            for (int n = 0; n < ACTION_EVENTS; n++) {
                events.add(TestBuses.numbered(n, RESOURCES));
                if (n == 3 || n == 7) {
                    events.add(alert(n));
                }
            }
            return events;
        });
        for (ConsumerRecord<byte[], byte[]> record : kafka.consume(EVENTS_TOPIC, ACTION_EVENTS, Duration.ofSeconds(10))) {
            ID_BY_PARTITION.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(id(record));
            RECORD_BY_ID.put(id(record), record);
        }
        assertEquals(ACTION_EVENTS, RECORD_BY_ID.size());
    }

    private static Event alert(int n) {
        Event alert = new Event("management-server", "AlertEvent", "ALERT.MEMORY", null, null);
        alert.setDescription("{\"subject\":\"memory low " + n + "\"}");
        return alert;
    }

    private interface Events {
        List<Event> make();
    }

    /** Publishes through {@code bus}, started, and stops it once Kafka acknowledged {@code expected} records. */
    private static void publish(KafkaEventBus bus, int expected, Events events) throws Exception {
        bus.start();
        try {
            for (Event event : events.make()) {
                bus.publish(event);
            }
            Conditions.await(() -> bus.statistics().delivered() == expected, Duration.ofSeconds(20),
                    expected + " records delivered: " + bus.statistics());
        } finally {
            bus.stop();
        }
    }

    private static String id(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.headers().lastHeader("id").value(), StandardCharsets.UTF_8);
    }

    /** The columns of tail's lines: time, category, type, resource, id. */
    private static List<String[]> columns(PluginCommand run) {
        return run.out.lines().map(l -> l.split(" +")).collect(Collectors.toList());
    }

    private static PluginCommand tail(String... args) {
        List<String> all = new ArrayList<>(List.of("tail", "--config", properties.toString()));
        all.addAll(List.of(args));
        return PluginCommand.run(TIMEOUT, all.toArray(new String[0]));
    }

    @Test
    void fromATimeItPrintsEveryEventOfTheConfiguredTopicsInPartitionOrder() {
        PluginCommand run = tail("--from", beforePublishing.toString(), "--max", Integer.toString(ACTION_EVENTS + 2));

        assertEquals(0, run.exitCode, run.toString());
        List<String[]> lines = columns(run);
        assertEquals(ACTION_EVENTS + 2, lines.size(), run.toString());
        Map<Integer, List<String>> printedByPartition = new TreeMap<>();
        List<String> alerts = new ArrayList<>();
        for (String[] line : lines) {
            assertEquals(5, line.length, String.join(" ", line));
            ConsumerRecord<byte[], byte[]> record = RECORD_BY_ID.get(line[4]);
            if (record == null) {
                assertEquals(List.of("AlertEvent", "ALERT.MEMORY", "-"), List.of(line[1], line[2], line[3]));
                alerts.add(line[4]);
                continue;
            }
            assertEquals(Instant.ofEpochMilli(record.timestamp()).toString(), line[0]);
            assertEquals(List.of("ActionEvent", "VM.START", "VirtualMachine/" + new String(record.key(), StandardCharsets.UTF_8)),
                    List.of(line[1], line[2], line[3]));
            printedByPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(line[4]);
        }
        assertEquals(ID_BY_PARTITION, printedByPartition, "each partition's events once, in its order");
        assertEquals(2, alerts.stream().distinct().count(), "both alerts, from the category topic");
        assertTrue(run.err.contains("... reading 4 partition(s) of " + EVENTS_TOPIC + ", " + ALERTS_TOPIC + " from "
                + beforePublishing), run.toString());
    }

    @Test
    void filtersTakeCategoryTypeAndResourceAsExactValuesOrGlobsInAnyCase() {
        PluginCommand alerts = tail("--from", beforePublishing.toString(), "--category", "alertevent", "--max", "2");
        assertEquals(0, alerts.exitCode, alerts.toString());
        assertEquals(List.of("AlertEvent", "AlertEvent"), columns(alerts).stream().map(c -> c[1]).collect(Collectors.toList()));

        PluginCommand oneVm = tail("--from", beforePublishing.toString(), "--type", "vm.*", "--resource", "resource-1",
                "--max", "3");
        assertEquals(0, oneVm.exitCode, oneVm.toString());
        List<Integer> numbers = new ArrayList<>();
        for (String[] line : columns(oneVm)) {
            assertEquals("VirtualMachine/resource-1", line[3]);
            numbers.add(number(RECORD_BY_ID.get(line[4])));
        }
        assertEquals(List.of(1, 5, 9), numbers, "resource-1's events, in publish order");
    }

    @Test
    void jsonPrintsEachValueAsPublishedOneALine() throws Exception {
        PluginCommand run = tail("--topic", EVENTS_TOPIC, "--json", "--from", "1h", "--max", Integer.toString(ACTION_EVENTS));

        assertEquals(0, run.exitCode, run.toString());
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (String line : run.out.lines().collect(Collectors.toList())) {
            JsonNode value = JSON.readTree(line);
            byId.put(value.get("id").asText(), value);
        }
        assertEquals(RECORD_BY_ID.keySet(), byId.keySet());
        byId.forEach((id, value) -> assertEquals(new String(RECORD_BY_ID.get(id).value(), StandardCharsets.UTF_8),
                value.toString()));
    }

    @Test
    void byDefaultItStartsAtTheEnd() throws Exception {
        PluginCommand.Running running = PluginCommand.start("tail", "--config", properties.toString(), "--max", "1");
        PluginCommand run;
        try {
            Conditions.await(() -> running.errSoFar().contains(" from the end; Ctrl-C ends"), TIMEOUT, "tail positioned");
            publish(TestBuses.configured("kafkaEventBus", properties.toString()), 1,
                    () -> List.of(TestBuses.numbered(100, RESOURCES)));
        } finally {
            run = running.finish(TIMEOUT);
        }
        assertEquals(0, run.exitCode, run.toString());
        String[] line = columns(run).get(0);
        assertEquals(1, run.out.lines().count(), run.toString());
        assertEquals("VirtualMachine/resource-0", line[3], "the event published after it started, none before");
        assertFalse(RECORD_BY_ID.containsKey(line[4]));
    }

    @Test
    void anUnreachableBrokerEndsItWithin20Seconds() {
        int port = Ports.closed();
        Path unreachable = TestBuses.writeProperties(dir.resolve("unreachable"), "localhost:" + port, EVENTS_TOPIC);

        PluginCommand run = PluginCommand.run(TIMEOUT, "tail", "--config", unreachable.toString());

        assertEquals(1, run.exitCode, run.toString());
        assertTrue(run.took.compareTo(Duration.ofSeconds(20)) < 0, run.toString());
        assertEquals("... connecting to localhost:" + port + "\n"
                + "cannot reach the Kafka brokers localhost:" + port + " within 10 s (TimeoutException: Timeout expired while "
                + "fetching topic metadata); check bootstrap.servers, the network and the brokers\n", run.err,
                "one plain line, none of the Kafka client's own");
        assertEquals("", run.out);
    }

    @Test
    void aMissingTopicIsNamed() {
        PluginCommand run = tail("--topic", "tail-it-missing");

        assertEquals(1, run.exitCode, run.toString());
        assertTrue(run.err.endsWith("topic tail-it-missing does not exist on " + KafkaCluster.shared().bootstrapServers()
                + " (or this principal may not describe it)\n"), run.toString());
    }

    @Test
    void aWrongPasswordIsRefusedPlainlyWithoutTheSecretAndTheRightOneReads() throws Exception {
        try (KafkaCluster sasl = KafkaCluster.startSaslPlain()) {
            String wrongPassword = "not-the-password-5f2e";
            Path wrong = saslProperties("sasl-wrong", sasl, wrongPassword);

            PluginCommand refused = PluginCommand.run(TIMEOUT, "tail", "--config", wrong.toString());

            assertEquals(1, refused.exitCode, refused.toString());
            assertEquals("... connecting to " + sasl.bootstrapServers() + "\n"
                    + "Kafka refused the login (security.protocol=SASL_PLAINTEXT, sasl.mechanism=PLAIN): "
                    + "SaslAuthenticationException: Authentication failed: Invalid username or password; check the user and"
                    + " password in sasl.jaas.config\n", refused.err, refused.toString());
            String printed = refused.out + refused.err;
            assertFalse(printed.contains(wrongPassword) || printed.contains("PlainLoginModule"), refused.toString());

            Path right = saslProperties("sasl-right", sasl, KafkaCluster.SASL_PASSWORD);
            Instant before = Instant.now();
            publish(TestBuses.configured("kafkaEventBus", right.toString()), 2,
                    () -> List.of(TestBuses.numbered(0, 2), TestBuses.numbered(1, 2)));

            PluginCommand read = PluginCommand.run(TIMEOUT, "tail", "--config", right.toString(), "--from", before.toString(),
                    "--max", "2");

            assertEquals(0, read.exitCode, read.toString());
            assertEquals(List.of("VirtualMachine/resource-0", "VirtualMachine/resource-1"),
                    columns(read).stream().map(c -> c[3]).sorted().collect(Collectors.toList()));
            assertFalse((read.out + read.err).contains(KafkaCluster.SASL_PASSWORD), read.toString());
        }
    }

    private static Path saslProperties(String name, KafkaCluster sasl, String password) {
        List<String> extra = new ArrayList<>(List.of("topic.create", "true"));
        KafkaCluster.saslPlainClient(password).forEach((key, value) -> extra.addAll(List.of(key, value)));
        return TestBuses.writeProperties(dir.resolve(name), sasl.bootstrapServers(), "tail-it-sasl", extra.toArray(new String[0]));
    }

    private static int number(ConsumerRecord<byte[], byte[]> record) {
        try {
            return JSON.readTree(record.value()).get("description").get("n").asInt();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
