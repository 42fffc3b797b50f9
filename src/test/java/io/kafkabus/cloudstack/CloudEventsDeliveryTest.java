package io.kafkabus.cloudstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.cloudstack.framework.events.Event;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.kafkabus.cloudstack.testing.KafkaCluster;
import io.kafkabus.cloudstack.testing.TestBuses;

/**
 * The CloudEvents value formats against a real broker, read back with the CloudEvents Java SDK's
 * Kafka deserializer as a CloudEvents consumer would: attribute headers in binary mode, the JSON
 * event format (registered by cloudevents-json-jackson) in structured mode.
 */
class CloudEventsDeliveryTest {
    private static final Duration READ = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VM_EVENT_ID = "11111111-2222-4333-8444-555555555555";

    @TempDir
    Path dir;
    private KafkaCluster kafka;
    private String topic;

    @BeforeEach
    void topic() {
        kafka = KafkaCluster.shared();
        topic = "ce-" + UUID.randomUUID();
        kafka.createTopic(topic, 3);
    }

    @Test
    void binaryModeIsReadBackAsCloudEvents() throws Exception {
        Map<String, ConsumerRecord<String, CloudEvent>> records = publishAndReadBack("cloudevents-binary");
        for (ConsumerRecord<String, CloudEvent> record : records.values()) {
            assertEquals("application/json", header(record, "content-type"));
            assertNotNull(header(record, "ce_specversion"), "attributes travel in ce_ headers");
        }
        checkEvents(records);
    }

    @Test
    void structuredModeIsReadBackAsCloudEvents() throws Exception {
        Map<String, ConsumerRecord<String, CloudEvent>> records = publishAndReadBack("cloudevents-structured");
        for (ConsumerRecord<String, CloudEvent> record : records.values()) {
            assertEquals("application/cloudevents+json; charset=UTF-8", header(record, "content-type"));
            assertNull(header(record, "ce_specversion"), "attributes travel in the value");
        }
        checkEvents(records);
    }

    /** Publishes a VM.START action event and a memory alert; their records by CloudEvents type. */
    private Map<String, ConsumerRecord<String, CloudEvent>> publishAndReadBack(String valueFormat) throws Exception {
        KafkaEventBus bus = TestBuses.configured("ceBus", dir, kafka.bootstrapServers(), topic, "value.format", valueFormat);
        bus.start();
        try {
            Event vmStart = new Event("management-server", "ActionEvent", "VM.START", "VirtualMachine", "vm-42");
            vmStart.setDescription("{\"status\":\"Completed\",\"entityuuid\":\"vm-42\",\"description\":\"starting VM\"}");
            vmStart.setEventUuid(VM_EVENT_ID);
            bus.publish(vmStart);
            Event alert = new Event("management-server", "AlertEvent", "ALERT.MEMORY", null, null);
            alert.setDescription("{\"subject\":\"Low memory\"}");
            bus.publish(alert);
            List<ConsumerRecord<String, CloudEvent>> records = consumeCloudEvents(2);
            assertEquals(2, records.size(), "both events, once each");
            Map<String, ConsumerRecord<String, CloudEvent>> byType = new LinkedHashMap<>();
            records.forEach(record -> byType.put(record.value().getType(), record));
            return byType;
        } finally {
            bus.stop();
        }
    }

    private static void checkEvents(Map<String, ConsumerRecord<String, CloudEvent>> records) throws Exception {
        assertEquals(List.of("org.apache.cloudstack.ActionEvent.VM.START", "org.apache.cloudstack.AlertEvent.ALERT.MEMORY"),
                records.keySet().stream().sorted().collect(Collectors.toList()));

        ConsumerRecord<String, CloudEvent> vmRecord = records.get("org.apache.cloudstack.ActionEvent.VM.START");
        CloudEvent vm = vmRecord.value();
        JsonNode vmData = checkCommon(vmRecord);
        assertEquals(VM_EVENT_ID, vm.getId());
        assertEquals("vm-42", vm.getSubject());
        assertEquals("vm-42", vm.getExtension("partitionkey"));
        assertEquals("ActionEvent", vmData.get("category").asText());
        assertEquals("VM.START", vmData.get("type").asText());
        assertEquals("starting VM", vmData.get("description").get("description").asText());

        ConsumerRecord<String, CloudEvent> alertRecord = records.get("org.apache.cloudstack.AlertEvent.ALERT.MEMORY");
        CloudEvent alert = alertRecord.value();
        JsonNode alertData = checkCommon(alertRecord);
        assertNull(alert.getSubject(), "an alert names no resource");
        assertEquals("AlertEvent:ALERT.MEMORY", alert.getExtension("partitionkey"));
        assertEquals("AlertEvent", alertData.get("category").asText());
        assertEquals("ALERT.MEMORY", alertData.get("type").asText());
        assertEquals("Low memory", alertData.get("description").get("subject").asText());
    }

    /** What every event has: attributes agreeing with the record and with the envelope carried as data. */
    private static JsonNode checkCommon(ConsumerRecord<String, CloudEvent> record) throws Exception {
        CloudEvent event = record.value();
        assertEquals(SpecVersion.V1, event.getSpecVersion());
        assertTrue(event.getSource().toString().matches("/cloudstack/management-server(/[^/]+)?"), event.getSource().toString());
        assertEquals("application/json", event.getDataContentType());
        assertEquals(record.key(), event.getExtension("partitionkey"), "partitionkey is the record key");
        assertNotNull(event.getData(), "the envelope is the data");
        JsonNode data = JSON.readTree(event.getData().toBytes());
        assertEquals(event.getId(), data.get("id").asText());
        assertEquals(header(record, "id"), event.getId(), "the bus's own headers stay");
        Instant time = event.getTime().toInstant();
        assertEquals(Instant.parse(data.get("timestamp").asText()), time);
        assertEquals(record.timestamp(), time.toEpochMilli());
        return data;
    }

    /**
     * The topic's records as bytes first (each value then checked against the published JSON
     * Schemas), then as a CloudEvents consumer reads them, with the SDK's deserializer.
     */
    private List<ConsumerRecord<String, CloudEvent>> consumeCloudEvents(int expected) {
        assertEquals(expected, kafka.consume(topic, expected, READ).size());
        return kafka.consume(topic, expected, READ, new StringDeserializer(), new CloudEventDeserializer());
    }

    private static String header(ConsumerRecord<String, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
