package io.kafkabus.cloudstack.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.apache.cloudstack.framework.events.Event;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class EnvelopeJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-22T10:15:30.123456Z");
    private static final CloudStackEvents EVENTS = new CloudStackEvents(Clock.fixed(NOW, ZoneOffset.UTC));

    static Event event(String category, String type, String resourceType, String resourceUuid, String description) {
        Event event = new Event("management-server", category, type, resourceType, resourceUuid);
        event.setDescription(description);
        return event;
    }

    private static JsonNode envelopeOf(Event event) throws IOException {
        return JSON.readTree(EnvelopeJson.write(EVENTS.toEnvelope(event)));
    }

    @Test
    void anActionEventBecomesAnEnvelopeWithItsDescriptionNested() throws Exception {
        JsonNode json = envelopeOf(event("ActionEvent", "VM.START", "VirtualMachine", "vm-1",
                "{\"status\":\"Completed\",\"entityuuid\":\"vm-1\",\"size\":12345678901234567890,\"ratio\":0.1000}"));
        assertEquals(1, json.get("envelopeVersion").asInt());
        assertEquals("management-server", json.get("source").asText());
        assertEquals("ActionEvent", json.get("category").asText());
        assertEquals("VM.START", json.get("type").asText());
        assertEquals("VirtualMachine", json.get("resourceType").asText());
        assertEquals("vm-1", json.get("resourceUuid").asText());
        assertEquals("2026-11-22T10:15:30.123Z", json.get("timestamp").asText(), "ISO-8601 UTC, milliseconds");
        assertEquals(36, json.get("id").asText().length(), "a UUID when CloudStack gives no eventUuid");
        assertEquals("Completed", json.get("description").get("status").asText());
        String raw = new String(EnvelopeJson.write(EVENTS.toEnvelope(event("ActionEvent", "VM.START", "VirtualMachine", "vm-1",
                "{\"size\":12345678901234567890,\"ratio\":0.1000}"))), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(raw.contains("\"description\":{\"size\":12345678901234567890,\"ratio\":0.1000}"), "numbers kept digit for digit: " + raw);
        assertFalse(json.has("eventId") || json.has("accountId") || json.has("domainId"), "4.20 fields only when known");
    }

    @Test
    void cloudStack420FieldsAreUsedWhenPresent() throws Exception {
        Event event = event("ActionEvent", "VM.START", "VirtualMachine", "vm-1", "{}");
        event.setEventUuid("4b8c1a9e-0000-4000-8000-000000000001");
        event.setEventId(42L);
        event.setResourceAccountId(7L);
        event.setResourceAccountUuid("acc-uuid");
        event.setResourceDomainId(1L);
        JsonNode json = envelopeOf(event);
        assertEquals("4b8c1a9e-0000-4000-8000-000000000001", json.get("id").asText());
        assertEquals(42, json.get("eventId").asLong());
        assertEquals(7, json.get("accountId").asLong());
        assertEquals("acc-uuid", json.get("accountUuid").asText());
        assertEquals(1, json.get("domainId").asLong());
    }

    @Test
    void descriptionsThatAreNotAJsonObjectStayText() throws Exception {
        for (String text : List.of("plain words", "[1,2,3]", "42", "{\"a\":1} trailing", "{broken", "  ", "{\"a\":1}{\"b\":2}")) {
            JsonNode json = envelopeOf(event("AlertEvent", "ALERT.MEMORY", null, null, text));
            assertTrue(json.get("description").isTextual(), text);
            assertEquals(text, json.get("description").asText());
        }
        JsonNode absent = envelopeOf(event(null, null, null, null, null));
        assertTrue(absent.get("description").isNull() && absent.get("category").isNull() && absent.get("resourceUuid").isNull());
    }

    @Test
    void unicodeAndControlCharactersSurviveTheRoundTrip() throws Exception {
        String text = "VM \u00e9t\u00e9 \u4e91 \uD83D\uDE80 tab\t nul\u0000 bell\u0007 quote\" backslash\\ newline\n";
        JsonNode asText = envelopeOf(event("ActionEvent", "VM.CREATE", "VirtualMachine", "vm-\u00e9", text));
        assertEquals(text, asText.get("description").asText());
        assertEquals("vm-\u00e9", asText.get("resourceUuid").asText());
        String object = "{\"name\":\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                .replace("\t", "\\t").replace("\u0000", "\\u0000").replace("\u0007", "\\u0007") + "\"}";
        assertEquals(text, envelopeOf(event("ActionEvent", "VM.CREATE", null, null, object)).get("description").get("name").asText());
    }

    @Test
    void aLoneSurrogateStillGivesValidJson() throws Exception {
        JsonNode json = envelopeOf(event("ActionEvent", "X", null, null, "broken \uD83D pair"));
        assertTrue(json.get("description").asText().startsWith("broken "));
    }

    @Test
    void anObjectDescriptionIsCopiedAsItIsWhitespaceAndAll() throws Exception {
        String object = "  {\"a\" : [1, 2.50],\n \"b\":{\"c\":null}} ";
        String raw = new String(EnvelopeJson.write(EVENTS.toEnvelope(event("ActionEvent", "X", null, null, object))),
                StandardCharsets.UTF_8);
        assertTrue(raw.endsWith(",\"description\":" + object + "}"), raw);
        assertEquals(JSON.readTree(object), JSON.readTree(raw).get("description"));
    }

    @Test
    void aLoneSurrogateInsideAnObjectDescriptionBecomesAQuestionMarkAndTheObjectIsKept() throws Exception {
        JsonNode json = envelopeOf(event("ActionEvent", "X", null, null, "{\"note\":\"broken \uD83D pair\"}"));
        assertEquals("broken ? pair", json.get("description").get("note").asText());
    }

    @Test
    void absurdlyDeepJsonIsKeptAsTextInsteadOfFailing() throws Exception {
        String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        JsonNode json = envelopeOf(event("ActionEvent", "X", null, null, deep));
        assertEquals(deep, json.get("description").asText());
    }

    @Test
    void aGetterThatThrowsLeavesItsFieldEmptyAndTheRestIsPublished() throws Exception {
        Event broken = new Event("management-server", "ActionEvent", "VM.STOP", "VirtualMachine", "vm-2") {
            @Override
            public String getDescription() {
                throw new IllegalStateException("lazy load failed");
            }
        };
        JsonNode json = envelopeOf(broken);
        assertEquals("VM.STOP", json.get("type").asText());
        assertTrue(json.get("description").isNull());
    }

    @Test
    void theSeedFixturesNestTheirDescriptionUnchanged() throws Exception {
        for (String line : fixtureLines()) {
            JsonNode json = envelopeOf(event("ActionEvent", "ACCOUNT.CREATE", "Account", "x", line));
            assertEquals(JSON.readTree(line), json.get("description"));
        }
    }

    @Test
    void statusAndTheManagementServerComeBeforeTheDescription() throws Exception {
        CloudStackEvents events = new CloudStackEvents(Clock.fixed(NOW, ZoneOffset.UTC),
                new DescriptionProcessor(true, List.of(), List.of()), ManagementServer.of("ms-1.example", 32986556793223L));
        String raw = new String(EnvelopeJson.write(events.toEnvelope(event("ActionEvent", "VM.START", "VirtualMachine", "vm-1",
                "{\"status\":\"Completed\",\"entityuuid\":\"vm-1\"}"))), StandardCharsets.UTF_8);
        assertTrue(raw.endsWith(",\"timestamp\":\"2026-11-22T10:15:30.123Z\",\"status\":\"Completed\","
                + "\"managementServerHost\":\"ms-1.example\",\"managementServerId\":32986556793223,"
                + "\"description\":{\"status\":\"Completed\",\"entityuuid\":\"vm-1\"}}"), raw);
        assertEquals(1, JSON.readTree(raw).get("envelopeVersion").asInt(), "added fields do not bump the version");
    }

    @Test
    void unknownStatusAndMsidAreLeftOut() throws Exception {
        CloudStackEvents events = new CloudStackEvents(Clock.fixed(NOW, ZoneOffset.UTC),
                new DescriptionProcessor(true, List.of(), List.of()), ManagementServer.of("ms-1", null));
        JsonNode json = JSON.readTree(EnvelopeJson.write(events.toEnvelope(event("AlertEvent", "ALERT.MEMORY", null, null,
                "{\"subject\":\"low memory\",\"job\":{\"status\":\"nested\"}}"))));
        assertFalse(json.has("status") || json.has("managementServerId"), json.toString());
        assertEquals("ms-1", json.get("managementServerHost").asText());
    }

    @Test
    void theBusRedactsByDefaultAndTheTruncatedFormCarriesOnlyRedactedText() throws Exception {
        String description = "{\"cmdInfo\":{\"sessionkey\":\"Xk3b9\",\"name\":\"web\"},\"status\":\"IN_PROGRESS\"}";
        EventEnvelope envelope = EVENTS.toEnvelope(event("AsyncJobEvent", "submit", "VirtualMachine", "vm-1", description));
        assertFalse(new String(EnvelopeJson.write(envelope), StandardCharsets.UTF_8).contains("Xk3b9"));
        assertFalse(envelope.description().contains("Xk3b9"));
        JsonNode truncated = JSON.readTree(EnvelopeJson.writeTruncated(envelope, envelope.description().substring(0, 30)));
        assertEquals(envelope.description().length(), truncated.get("descriptionLength").asInt());
        assertEquals("IN_PROGRESS", truncated.get("status").asText());
    }

    @Test
    void theDefaultConstructorNamesThisServer() throws Exception {
        JsonNode json = envelopeOf(event("ActionEvent", "VM.START", null, null, "{}"));
        assertEquals(ManagementServer.local().host(), json.get("managementServerHost").asText());
        assertEquals(ManagementServer.local().id(), json.get("managementServerId").asLong());
    }

    /** The shared fixtures beside the repository, else the copy in test resources. */
    static List<String> fixtureLines() throws IOException {
        Path shared = Path.of("..", "shared", "fixtures", "seed-events.json");
        Path copy = Path.of("src", "test", "resources", "fixtures", "seed-events.json");
        List<String> lines = Files.readAllLines(Files.exists(shared) ? shared : copy);
        lines.removeIf(String::isBlank);
        assertEquals(3, lines.size());
        return lines;
    }
}
