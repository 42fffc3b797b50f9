package io.kafkabus.cloudstack;

import static io.kafkabus.cloudstack.testing.SampleDescriptions.SESSION_KEY;
import static io.kafkabus.cloudstack.testing.SampleDescriptions.VPN_PASSWORD;
import static io.kafkabus.cloudstack.testing.SampleDescriptions.vmStarted;
import static io.kafkabus.cloudstack.testing.SampleDescriptions.vmState;
import static io.kafkabus.cloudstack.testing.SampleDescriptions.vpnUserAdded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.cloudstack.framework.events.Event;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.kafkabus.cloudstack.delivery.BusStatistics;
import io.kafkabus.cloudstack.testing.KafkaCluster;
import io.kafkabus.cloudstack.testing.TestBuses;

/**
 * Filters, topic routing, keys, the state topic and redaction together, as a consumer of each
 * topic sees them on a real broker.
 */
class RoutingDeliveryTest {
    private static final Duration READ = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private KafkaCluster kafka;
    private String prefix;

    @BeforeEach
    void topics() {
        kafka = KafkaCluster.shared();
        prefix = "routing-" + UUID.randomUUID().toString().substring(0, 8);
        for (String topic : List.of(prefix, prefix + "-vm", prefix + "-alerts", prefix + ".ActionEvent.VOLUME.CREATE",
                prefix + ".AsyncJobEvent.complete")) {
            kafka.createTopic(topic, 3);
        }
        kafka.createTopic(prefix + "-state", 3, (short) 1, Map.of("cleanup.policy", "compact"));
    }

    private static Event event(String category, String type, String resourceType, String resourceUuid, String description) {
        Event event = new Event("management-server", category, type, resourceType, resourceUuid);
        event.setDescription(description);
        return event;
    }

    @Test
    void eachTopicReceivesExactlyTheEventsRoutedToItWithTheirKeys() throws Exception {
        KafkaEventBus bus = TestBuses.configured("routingBus", dir, kafka.bootstrapServers(), prefix,
                "filter.include", "category=ActionEvent status=Completed, category=AlertEvent, category=AsyncJobEvent",
                "filter.exclude", "type=ALERT.USAGE*",
                "type.topics", "VM.*:" + prefix + "-vm",
                "category.topics", "AlertEvent:" + prefix + "-alerts",
                "topic.template", prefix + ".${category}.${type}",
                "state.topic", prefix + "-state");
        bus.start();
        bus.publish(event("ActionEvent", "VM.START", "VirtualMachine", "vm-1", vmStarted("Scheduled")));
        bus.publish(event("ActionEvent", "VM.START", "VirtualMachine", "vm-1", vmStarted("Completed")));
        bus.publish(event("ActionEvent", "VOLUME.CREATE", "Volume", null,
                "{\"event\":\"VOLUME.CREATE\",\"status\":\"Completed\",\"entityuuid\":\"vol-1\"}"));
        bus.publish(event("AlertEvent", "ALERT.MEMORY", null, null, "{\"subject\":\"memory low\",\"podId\":1}"));
        bus.publish(event("AlertEvent", "ALERT.USAGE.SANITY", null, null, "{\"subject\":\"usage\"}"));
        bus.publish(event("ResourceStateEvent", "StartRequested", "VirtualMachine", "vm-1", vmState("Stopped", "Starting",
                "preStateTransitionEvent")));
        bus.publish(event("ResourceStateEvent", "OperationSucceeded", "VirtualMachine", "vm-1", vmState("Starting", "Running",
                "postStateTransitionEvent")));
        bus.publish(event("ResourceStateEvent", "CreateRequested", "Volume", "vol-1",
                "{\"resource\":\"Volume\",\"id\":\"vol-1\",\"old-state\":\"Allocated\",\"new-state\":\"Creating\"}"));
        bus.publish(event("AsyncJobEvent", "complete", "None", "", vpnUserAdded()));

        assertEquals(List.of("vm-1 VM.START Completed"), read(prefix + "-vm", 1));
        assertEquals(List.of("vol-1 VOLUME.CREATE Completed"), read(prefix + ".ActionEvent.VOLUME.CREATE", 1),
                "no resource UUID: keyed by the description's entityuuid");
        assertEquals(List.of("AlertEvent:ALERT.MEMORY ALERT.MEMORY null"), read(prefix + "-alerts", 1));
        assertEquals(List.of("vm-1 OperationSucceeded postStateTransitionEvent", "vol-1 CreateRequested null"),
                read(prefix + "-state", 2), "filtered off the event topics, still the resources' state");
        List<ConsumerRecord<byte[], byte[]>> jobs = kafka.consume(prefix + ".AsyncJobEvent.complete", 1, READ);
        assertEquals(List.of(), read(prefix, 0), "nothing falls through to topic");
        bus.stop();

        assertEquals(1, jobs.size());
        String job = new String(jobs.get(0).value(), StandardCharsets.UTF_8);
        assertFalse(job.contains(SESSION_KEY) || job.contains(VPN_PASSWORD), job);
        JsonNode cmdInfo = JSON.readTree(job).get("description").get("cmdInfo");
        assertEquals("[redacted]", cmdInfo.get("sessionkey").asText());
        assertEquals("[redacted]", cmdInfo.get("password").asText());
        assertEquals("alice", cmdInfo.get("username").asText());
        assertEquals("AsyncJobEvent:complete", new String(jobs.get(0).key(), StandardCharsets.UTF_8),
                "no resource, entity or account UUID: keyed by kind");

        BusStatistics stats = bus.statistics();
        assertEquals(9, stats.accepted());
        assertEquals(5, stats.filtered(), "Scheduled, ALERT.USAGE.SANITY and the three state events");
        assertEquals(6, stats.spooled(), "4 events on their topics, 2 on the state topic");
        assertEquals(6, stats.delivered());
        assertEquals(0, stats.failed() + stats.dropped());
    }

    /** Each record of {@code topic} as "key type status", status from its header. */
    private List<String> read(String topic, int expected) {
        return kafka.consume(topic, expected, expected == 0 ? Duration.ofSeconds(1) : READ).stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8) + " " + header(r, "type") + " " + header(r, "status"))
                .sorted().collect(Collectors.toList());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void secretsAreRedactedBeforeTheSpoolSoTheyNeverReachTheDisk() throws Exception {
        // No broker at this address: the event stays in the spool, where the test can look for it.
        KafkaEventBus bus = TestBuses.configured("spoolSecretsBus", dir, "127.0.0.1:1", prefix, "value.format", "description");
        bus.publish(event("AsyncJobEvent", "complete", "None", "", vpnUserAdded()));
        bus.stop();
        assertEquals(1, bus.statistics().pending(), "kept in the spool");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir.resolve("spool"))) {
            files = walk.filter(Files::isRegularFile).collect(Collectors.toList());
        }
        StringBuilder bytes = new StringBuilder();
        for (Path file : files) {
            bytes.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        }
        String everything = bytes.toString();
        assertTrue(everything.contains("\"sessionkey\":\"[redacted]\""), "the event is in the spool: " + files);
        assertFalse(everything.contains(SESSION_KEY) || everything.contains(VPN_PASSWORD), "a secret reached the disk");
    }
}
