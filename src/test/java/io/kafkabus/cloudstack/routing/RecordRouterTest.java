package io.kafkabus.cloudstack.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.kafkabus.cloudstack.config.ValueFormat;
import io.kafkabus.cloudstack.event.EventEnvelope;

class RecordRouterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ONE_MIB = 1 << 20;
    private final RecordRouter router = new RecordRouter("cloudstack", Map.of("AlertEvent", "cloudstack-alerts"),
            ValueFormat.ENVELOPE, ONE_MIB);

    private static EventEnvelope envelope(String category, String type, String resourceUuid, String description) {
        return EventEnvelope.builder("id-1", Instant.parse("2026-01-02T03:04:05.678Z")).source("management-server")
                .category(category).type(type).resourceType("VirtualMachine").resourceUuid(resourceUuid)
                .description(description).build();
    }

    private static String utf8(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void topicKeyHeadersAndTimestampFollowTheEvent() throws Exception {
        RoutedRecord record = router.route(envelope("ActionEvent", "VM.START", "vm-1", "{\"a\":1}"));
        assertEquals("cloudstack", record.topic());
        assertEquals("vm-1", utf8(record.key()));
        assertEquals("id-1", utf8(record.headers().get("id")));
        assertEquals("ActionEvent", utf8(record.headers().get("category")));
        assertEquals("VM.START", utf8(record.headers().get("type")));
        assertEquals("management-server", utf8(record.headers().get("source")));
        assertEquals(Instant.parse("2026-01-02T03:04:05.678Z").toEpochMilli(), record.timestampMs());
        assertEquals(1, JSON.readTree(record.value()).get("description").get("a").asInt());
    }

    @Test
    void categoriesCanHaveTheirOwnTopic() {
        assertEquals("cloudstack-alerts", router.route(envelope("AlertEvent", "ALERT.MEMORY", null, "{}")).topic());
        assertEquals("cloudstack", router.route(envelope("UsageEvent", "VM.CREATE", "vm", "{}")).topic());
        assertEquals("cloudstack", router.route(envelope(null, null, null, null)).topic());
    }

    @Test
    void eventsWithoutAResourceAreKeyedByTheirKind() {
        assertEquals("AlertEvent:ALERT.MEMORY", utf8(router.route(envelope("AlertEvent", "ALERT.MEMORY", null, "{}")).key()));
        assertEquals("AsyncJobEvent:submit", utf8(router.route(envelope("AsyncJobEvent", "submit", " ", "{}")).key()));
        assertNull(router.route(envelope(null, null, null, "{}")).key());
    }

    @Test
    void theUpstreamFormatSendsTheDescriptionAlone() {
        RecordRouter upstream = new RecordRouter("cloudstack", Map.of(), ValueFormat.DESCRIPTION, ONE_MIB);
        RoutedRecord record = upstream.route(envelope("ActionEvent", "VM.START", "vm-1", "{\"status\":\"Completed\"}"));
        assertEquals("{\"status\":\"Completed\"}", utf8(record.value()));
        assertEquals("vm-1", utf8(record.key()));
        assertEquals(0, upstream.route(envelope("ActionEvent", "VM.START", "vm-1", null)).valueSize());
    }

    @Test
    void anOversizedEventIsShortenedToFitAndSaysSo() throws Exception {
        String description = "{\"body\":\"" + "\u00e9\u4e91\u0001".repeat(400_000) + "\"}";
        RoutedRecord record = router.route(envelope("AlertEvent", "ALERT.X", null, description));
        assertTrue(record.valueSize() <= ONE_MIB - RecordRouter.FRAMING_BYTES, "fits: " + record.valueSize());
        assertTrue(record.valueSize() > ONE_MIB / 2, "keeps as much as fits: " + record.valueSize());
        JsonNode json = JSON.readTree(record.value());
        assertTrue(json.get("descriptionTruncated").asBoolean());
        assertEquals(description.length(), json.get("descriptionLength").asInt());
        assertTrue(description.startsWith(json.get("description").asText()));
        assertEquals(String.valueOf(description.length()), utf8(record.headers().get("truncated")));

        RecordRouter upstream = new RecordRouter("cloudstack", Map.of(), ValueFormat.DESCRIPTION, ONE_MIB);
        RoutedRecord text = upstream.route(envelope("AlertEvent", "ALERT.X", null, description));
        assertTrue(text.valueSize() <= ONE_MIB - RecordRouter.FRAMING_BYTES);
        assertTrue(description.startsWith(utf8(text.value())), "cut on a character boundary");
    }

    @Test
    void cuttingNeverSplitsASurrogatePair() throws Exception {
        String description = "\uD83D\uDE80".repeat(400_000);
        RoutedRecord record = new RecordRouter("t", Map.of(), ValueFormat.DESCRIPTION, ONE_MIB)
                .route(envelope("ActionEvent", "X", "r", description));
        String kept = utf8(record.value());
        assertTrue(!kept.isEmpty() && kept.length() % 2 == 0 && description.startsWith(kept));
    }
}
