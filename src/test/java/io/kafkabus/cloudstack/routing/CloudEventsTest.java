package io.kafkabus.cloudstack.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.kafkabus.cloudstack.config.ValueFormat;
import io.kafkabus.cloudstack.event.EnvelopeJson;
import io.kafkabus.cloudstack.event.EventEnvelope;

/** The CloudEvents value formats, record by record: headers and value byte for byte. */
class CloudEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ONE_MIB = 1 << 20;
    private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");

    private static RecordRouter router(ValueFormat format) {
        return RecordRouterTest.router("cloudstack", Map.of(), format);
    }

    private static EventEnvelope vmStart() {
        return EventEnvelope.builder("11111111-2222-4333-8444-555555555555", AT).source("management-server")
                .category("ActionEvent").type("VM.START").resourceType("VirtualMachine").resourceUuid("vm-42")
                .description("{\"status\":\"Completed\",\"entityuuid\":\"vm-42\"}").managementServer("ms1.example.org", 7L).build();
    }

    /** An alert: no resource, so no subject, and keyed by its kind; from a server whose name is not known. */
    private static EventEnvelope memoryAlert() {
        return EventEnvelope.builder("alert-1", AT).source("management-server").category("AlertEvent").type("ALERT.MEMORY")
                .description("{\"subject\":\"Low memory\"}").build();
    }

    /** The bus's own headers, which every format carries before any CloudEvents header. */
    private static Map<String, String> busHeaders(String id, String category, String type, String status) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("id", id);
        headers.put("category", category);
        headers.put("type", type);
        headers.put("source", "management-server");
        if (status != null) {
            headers.put("status", status);
        }
        return headers;
    }

    private static Map<String, String> headers(RoutedRecord record) {
        Map<String, String> text = new LinkedHashMap<>();
        record.headers().forEach((name, value) -> text.put(name, new String(value, StandardCharsets.UTF_8)));
        return text;
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void binaryModePutsTheAttributesInCeHeadersAndSendsTheEnvelopeUnchanged() {
        EventEnvelope envelope = vmStart();
        RoutedRecord record = router(ValueFormat.CLOUDEVENTS_BINARY).route(envelope);
        Map<String, String> expected = busHeaders("11111111-2222-4333-8444-555555555555", "ActionEvent", "VM.START", "Completed");
        expected.put("ce_specversion", "1.0");
        expected.put("ce_id", "11111111-2222-4333-8444-555555555555");
        expected.put("ce_source", "/cloudstack/management-server/ms1.example.org");
        expected.put("ce_type", "org.apache.cloudstack.ActionEvent.VM.START");
        expected.put("ce_time", "2026-01-02T03:04:05.678Z");
        expected.put("ce_subject", "vm-42");
        expected.put("ce_partitionkey", "vm-42");
        expected.put("content-type", "application/json");
        assertEquals(expected, headers(record));
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(headers(record).keySet()), "header order");
        assertEquals("vm-42", utf8(record.key()));
        assertArrayEquals(EnvelopeJson.write(envelope), record.value());
    }

    @Test
    void binaryModeForAnAlertHasNoSubjectAndItsKindAsPartitionKey() {
        EventEnvelope envelope = memoryAlert();
        RoutedRecord record = router(ValueFormat.CLOUDEVENTS_BINARY).route(envelope);
        Map<String, String> expected = busHeaders("alert-1", "AlertEvent", "ALERT.MEMORY", null);
        expected.put("ce_specversion", "1.0");
        expected.put("ce_id", "alert-1");
        expected.put("ce_source", "/cloudstack/management-server");
        expected.put("ce_type", "org.apache.cloudstack.AlertEvent.ALERT.MEMORY");
        expected.put("ce_time", "2026-01-02T03:04:05.678Z");
        expected.put("ce_partitionkey", "AlertEvent:ALERT.MEMORY");
        expected.put("content-type", "application/json");
        assertEquals(expected, headers(record));
        assertEquals("AlertEvent:ALERT.MEMORY", utf8(record.key()));
        assertArrayEquals(EnvelopeJson.write(envelope), record.value());
    }

    @Test
    void structuredModeSendsOneJsonObjectWithTheEnvelopeAsData() {
        EventEnvelope envelope = vmStart();
        RoutedRecord record = router(ValueFormat.CLOUDEVENTS_STRUCTURED).route(envelope);
        Map<String, String> expected = busHeaders("11111111-2222-4333-8444-555555555555", "ActionEvent", "VM.START", "Completed");
        expected.put("content-type", "application/cloudevents+json; charset=UTF-8");
        assertEquals(expected, headers(record));
        assertEquals("{\"specversion\":\"1.0\",\"id\":\"11111111-2222-4333-8444-555555555555\","
                + "\"source\":\"/cloudstack/management-server/ms1.example.org\",\"type\":\"org.apache.cloudstack.ActionEvent.VM.START\","
                + "\"time\":\"2026-01-02T03:04:05.678Z\",\"subject\":\"vm-42\",\"partitionkey\":\"vm-42\","
                + "\"datacontenttype\":\"application/json\",\"data\":" + utf8(EnvelopeJson.write(envelope)) + "}", utf8(record.value()));
        assertEquals("vm-42", utf8(record.key()));
    }

    @Test
    void structuredModeForAnAlertHasNoSubject() throws Exception {
        EventEnvelope envelope = memoryAlert();
        RoutedRecord record = router(ValueFormat.CLOUDEVENTS_STRUCTURED).route(envelope);
        assertEquals("application/cloudevents+json; charset=UTF-8", headers(record).get("content-type"));
        assertEquals("{\"specversion\":\"1.0\",\"id\":\"alert-1\",\"source\":\"/cloudstack/management-server\","
                + "\"type\":\"org.apache.cloudstack.AlertEvent.ALERT.MEMORY\",\"time\":\"2026-01-02T03:04:05.678Z\","
                + "\"partitionkey\":\"AlertEvent:ALERT.MEMORY\",\"datacontenttype\":\"application/json\","
                + "\"data\":" + utf8(EnvelopeJson.write(envelope)) + "}", utf8(record.value()));
        JsonNode event = JSON.readTree(record.value());
        assertEquals("Low memory", event.get("data").get("description").get("subject").asText());
    }

    @Test
    void missingPartsAreLeftOutOfTheAttributes() throws Exception {
        EventEnvelope bare = EventEnvelope.builder("bare", Instant.parse("2026-01-02T03:04:05Z")).type("VM.START").build();
        RoutedRecord record = router(ValueFormat.CLOUDEVENTS_STRUCTURED).route(bare);
        JsonNode event = JSON.readTree(record.value());
        assertEquals("org.apache.cloudstack.VM.START", event.get("type").asText());
        assertEquals("2026-01-02T03:04:05Z", event.get("time").asText(), "no fraction on a whole second, as the envelope");
        assertEquals(utf8(record.key()), event.get("partitionkey").asText(), "the record key, whatever it is");

        EventEnvelope nothing = EventEnvelope.builder("nothing", AT).resourceUuid(" ").build();
        RoutedRecord binary = router(ValueFormat.CLOUDEVENTS_BINARY).route(nothing);
        Map<String, String> headers = headers(binary);
        assertEquals("org.apache.cloudstack", headers.get("ce_type"));
        assertFalse(headers.containsKey("ce_subject"), "a blank resource is no subject: " + headers);
        assertFalse(headers.containsKey("ce_partitionkey"), "no key, no partition key: " + headers);
        JsonNode structured = JSON.readTree(router(ValueFormat.CLOUDEVENTS_STRUCTURED).route(nothing).value());
        assertFalse(structured.has("subject") || structured.has("partitionkey"), structured.toString());
    }

    @Test
    void theOtherFormatsHaveNoCloudEventsHeaders() {
        for (ValueFormat format : new ValueFormat[] {ValueFormat.ENVELOPE, ValueFormat.DESCRIPTION}) {
            Map<String, String> headers = headers(router(format).route(vmStart()));
            assertEquals(List.of("id", "category", "type", "source", "status"), new ArrayList<>(headers.keySet()), format.toString());
        }
    }

    @Test
    void anOversizedEventIsStillACloudEventAndFits() throws Exception {
        String description = "{\"body\":\"" + "\u00e9\u4e91".repeat(600_000) + "\"}";
        EventEnvelope huge = EventEnvelope.builder("huge", AT).category("AlertEvent").type("ALERT.X").description(description).build();

        RoutedRecord structured = router(ValueFormat.CLOUDEVENTS_STRUCTURED).route(huge);
        assertTrue(structured.valueSize() <= ONE_MIB - RecordRouter.FRAMING_BYTES, "fits: " + structured.valueSize());
        assertTrue(structured.valueSize() > ONE_MIB / 2, "keeps as much as fits: " + structured.valueSize());
        JsonNode event = JSON.readTree(structured.value());
        assertEquals("huge", event.get("id").asText());
        assertEquals("AlertEvent:ALERT.X", event.get("partitionkey").asText());
        assertTrue(event.get("data").get("descriptionTruncated").asBoolean());
        assertEquals(description.length(), event.get("data").get("descriptionLength").asInt());
        assertTrue(description.startsWith(event.get("data").get("description").asText()));
        assertEquals(String.valueOf(description.length()), headers(structured).get("truncated"));

        RoutedRecord binary = router(ValueFormat.CLOUDEVENTS_BINARY).route(huge);
        assertTrue(binary.valueSize() <= ONE_MIB - RecordRouter.FRAMING_BYTES, "fits: " + binary.valueSize());
        JsonNode data = JSON.readTree(binary.value());
        assertTrue(data.get("descriptionTruncated").asBoolean());
        assertEquals("huge", headers(binary).get("ce_id"));
        assertEquals(String.valueOf(description.length()), headers(binary).get("truncated"));
    }
}
