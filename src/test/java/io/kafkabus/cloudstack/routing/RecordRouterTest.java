package io.kafkabus.cloudstack.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.kafkabus.cloudstack.config.KeyField;
import io.kafkabus.cloudstack.config.ValueFormat;
import io.kafkabus.cloudstack.event.EventEnvelope;

class RecordRouterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ONE_MIB = 1 << 20;
    private final RecordRouter router = router("cloudstack", Map.of("AlertEvent", "cloudstack-alerts"), ValueFormat.ENVELOPE);

    /** Keyed as by default: resource, entity, account, kind. */
    static RecordRouter router(String topic, Map<String, String> categoryTopics, ValueFormat format) {
        return new RecordRouter(new TopicChooser(topic, Map.of(), categoryTopics, null),
                new KeyChooser(List.of(KeyField.RESOURCEUUID, KeyField.ENTITYUUID, KeyField.ACCOUNTUUID, KeyField.KIND)),
                format, ONE_MIB, "");
    }

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
        RecordRouter upstream = router("cloudstack", Map.of(), ValueFormat.DESCRIPTION);
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

        RecordRouter upstream = router("cloudstack", Map.of(), ValueFormat.DESCRIPTION);
        RoutedRecord text = upstream.route(envelope("AlertEvent", "ALERT.X", null, description));
        assertTrue(text.valueSize() <= ONE_MIB - RecordRouter.FRAMING_BYTES);
        assertTrue(description.startsWith(utf8(text.value())), "cut on a character boundary");
    }

    @Test
    void cuttingNeverSplitsASurrogatePair() throws Exception {
        String description = "\uD83D\uDE80".repeat(400_000);
        RoutedRecord record = router("t", Map.of(), ValueFormat.DESCRIPTION)
                .route(envelope("ActionEvent", "X", "r", description));
        String kept = utf8(record.value());
        assertTrue(!kept.isEmpty() && kept.length() % 2 == 0 && description.startsWith(kept));
    }

    @Test
    void theKeyIsTheFirstFieldOfKeyFieldsTheEventHas() {
        KeyChooser defaults = new KeyChooser(List.of(KeyField.RESOURCEUUID, KeyField.ENTITYUUID, KeyField.ACCOUNTUUID, KeyField.KIND));
        EventEnvelope.Builder alert = EventEnvelope.builder("id", Instant.EPOCH).category("AlertEvent").type("ALERT.MEMORY");
        assertEquals("AlertEvent:ALERT.MEMORY", defaults.keyOf(alert.build()));
        assertEquals("account-1", defaults.keyOf(alert.accountUuid("account-1").build()));
        assertEquals("entity-1", defaults.keyOf(alert.description("{\"entityuuid\":\"entity-1\"}").build()));
        assertEquals("vm-1", defaults.keyOf(alert.resourceUuid("vm-1").build()));
        assertEquals("entity-1", new KeyChooser(List.of(KeyField.ENTITYUUID, KeyField.RESOURCEUUID)).keyOf(alert.build()));
        assertEquals("AlertEvent:ALERT.MEMORY", new KeyChooser(List.of(KeyField.KIND)).keyOf(alert.build()));
        assertNull(new KeyChooser(List.of(KeyField.ACCOUNTUUID)).keyOf(envelope("ActionEvent", "VM.START", "vm", "{}")));
    }

    @Test
    void aResourcesNewStateAlsoGoesToTheStateTopicKeyedByTheResource() {
        RecordRouter router = new RecordRouter(new TopicChooser("cloudstack", Map.of(), Map.of(), null),
                new KeyChooser(List.of(KeyField.KIND)), ValueFormat.ENVELOPE, ONE_MIB, "cloudstack-state");
        EventEnvelope after = EventEnvelope.builder("id-2", Instant.EPOCH).category("ResourceStateEvent").type("FollowAgentPowerOnReport")
                .resourceType("VirtualMachine").resourceUuid("vm-1")
                .description("{\"resource\":\"VirtualMachine\",\"id\":\"vm-1\",\"old-state\":\"Stopped\",\"new-state\":\"Running\","
                        + "\"status\":\"postStateTransitionEvent\"}").build();
        RoutedRecord onTopic = router.route(after);
        RoutedRecord onState = router.routeState(after, onTopic);
        assertEquals("cloudstack", onTopic.topic());
        assertEquals("ResourceStateEvent:FollowAgentPowerOnReport", utf8(onTopic.key()));
        assertEquals("cloudstack-state", onState.topic());
        assertEquals("vm-1", utf8(onState.key()));
        assertEquals(utf8(onTopic.value()), utf8(onState.value()));
        assertEquals(onState, router.routeState(after, null), "the same record when the event was filtered off its topic");

        EventEnvelope before = EventEnvelope.builder("id-1", Instant.EPOCH).category("ResourceStateEvent").type("StartRequested")
                .resourceUuid("vm-1").description("{\"status\":\"preStateTransitionEvent\"}").build();
        assertNull(router.routeState(before, router.route(before)), "not yet committed: not the resource's state");
        assertNull(router.routeState(envelope("ResourceStateEvent", "OperationSucceeded", null, "{}"), null), "no resource");
        assertNull(router.routeState(envelope("ActionEvent", "VM.START", "vm-1", "{}"), null), "not a state event");
        assertNull(this.router.routeState(after, null), "no state.topic");
    }
}
