package io.kafkabus.cloudstack.event;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.cloudstack.framework.events.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kafkabus.cloudstack.testing.EnvelopeSchema;

/** The published schemas (src/main/resources/schema) against what EnvelopeJson writes. */
class EnvelopeSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant WHOLE_SECOND = Instant.parse("2026-11-22T10:15:30Z");

    static Stream<byte[]> envelopes() throws Exception {
        CloudStackEvents plain = new CloudStackEvents(Clock.fixed(WHOLE_SECOND, ZoneOffset.UTC));
        CloudStackEvents expanding = new CloudStackEvents(Clock.systemUTC(),
                new DescriptionProcessor(true, List.of("username"), List.of("cmdInfo", "jobResult")), ManagementServer.of("ms-1", null));
        Event since420 = EnvelopeJsonTest.event("ActionEvent", "VM.START", "VirtualMachine", "vm-1",
                "{\"status\":\"Completed\",\"entityuuid\":\"vm-1\",\"size\":12345678901234567890}");
        since420.setEventUuid("4b8c1a9e-0000-4000-8000-000000000001");
        since420.setEventId(42L);
        since420.setResourceAccountId(7L);
        since420.setResourceAccountUuid("acc-uuid");
        since420.setResourceDomainId(1L);
        List<Event> events = new ArrayList<>(List.of(since420,
                EnvelopeJsonTest.event("AlertEvent", "ALERT.MEMORY", null, null, "free text, not JSON"),
                EnvelopeJsonTest.event(null, null, null, null, null),
                EnvelopeJsonTest.event("AsyncJobEvent", "complete", "VpnUser", "", DescriptionProcessorTest.olderAsyncJob()),
                EnvelopeJsonTest.event("AsyncJobEvent", "complete", "VpnUser", "v", DescriptionProcessorTest.currentAsyncJob()),
                EnvelopeJsonTest.event("ResourceStateEvent", "StartRequested", "VirtualMachine", "vm-\u00e9", "{\"status\":{\"not\":\"text\"}}")));
        for (String line : EnvelopeJsonTest.fixtureLines()) {
            events.add(EnvelopeJsonTest.event("ActionEvent", "USER.CREATE", "User", "u", line));
        }
        List<byte[]> values = new ArrayList<>();
        for (Event event : events) {
            values.add(EnvelopeJson.write(plain.toEnvelope(event)));
            values.add(EnvelopeJson.write(expanding.toEnvelope(event)));
        }
        EventEnvelope big = plain.toEnvelope(EnvelopeJsonTest.event("ActionEvent", "VM.START", "VirtualMachine", "vm-1",
                DescriptionProcessorTest.currentAsyncJob()));
        values.add(EnvelopeJson.writeTruncated(big, big.description().substring(0, 40)));
        return values.stream();
    }

    @ParameterizedTest
    @MethodSource("envelopes")
    void everyEnvelopeIsValid(byte[] envelope) {
        EnvelopeSchema.check(envelope);
    }

    @ParameterizedTest
    @MethodSource("envelopes")
    void everyEnvelopeIsValidDataOfAStructuredCloudEvent(byte[] envelope) throws Exception {
        ObjectNode event = JSON.createObjectNode().put("specversion", "1.0").put("id", "e-1")
                .put("source", "/cloudstack/management-server/ms-1").put("type", "org.apache.cloudstack.ActionEvent.VM.START")
                .put("time", "2026-11-22T10:15:30.123Z").put("subject", "vm-1").put("datacontenttype", "application/json");
        event.set("data", JSON.readTree(envelope));
        EnvelopeSchema.check(JSON.writeValueAsBytes(event));
    }

    @Test
    void brokenEnvelopesAndCloudEventsAreCaught() throws Exception {
        ObjectNode envelope = (ObjectNode) JSON.readTree(envelopes().findFirst().orElseThrow());
        for (String field : List.of("id", "timestamp", "description", "category", "resourceUuid")) {
            ObjectNode broken = envelope.deepCopy();
            broken.remove(field);
            assertThrows(AssertionError.class, () -> EnvelopeSchema.check(JSON.writeValueAsBytes(broken)), field);
        }
        ObjectNode version2 = envelope.deepCopy().put("envelopeVersion", 2);
        assertThrows(AssertionError.class, () -> EnvelopeSchema.check(JSON.writeValueAsBytes(version2)), "this schema is version 1's");
        ObjectNode numberDescription = envelope.deepCopy().put("description", 42);
        assertThrows(AssertionError.class, () -> EnvelopeSchema.check(JSON.writeValueAsBytes(numberDescription)));
        ObjectNode truncatedObject = envelope.deepCopy().put("descriptionTruncated", true).put("descriptionLength", 9);
        assertThrows(AssertionError.class, () -> EnvelopeSchema.check(JSON.writeValueAsBytes(truncatedObject)),
                "a truncated description is a string");
        ObjectNode withExtra = envelope.deepCopy().put("addedLater", "x");
        EnvelopeSchema.check(JSON.writeValueAsBytes(withExtra));

        ObjectNode cloudEvent = JSON.createObjectNode().put("specversion", "0.3").put("id", "e").put("source", "/x")
                .put("type", "t").put("time", "2026-11-22T10:15:30Z").put("datacontenttype", "application/json");
        cloudEvent.set("data", envelope);
        AssertionError error = assertThrows(AssertionError.class, () -> EnvelopeSchema.check(JSON.writeValueAsBytes(cloudEvent)));
        assertTrue(error.getMessage().contains("specversion"), error.getMessage());
        assertThrows(AssertionError.class, () -> EnvelopeSchema.check("{\"envelopeVersion\":1,".getBytes(StandardCharsets.UTF_8)));
        EnvelopeSchema.check("{\"not\":\"ours\"}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSchemasShipFromTheMainResources() throws Exception {
        URL classes = EnvelopeJson.class.getProtectionDomain().getCodeSource().getLocation();
        for (String name : List.of(EnvelopeSchema.ENVELOPE, EnvelopeSchema.CLOUDEVENT)) {
            URL schema = EnvelopeJson.class.getResource("/schema/" + name);
            assertNotNull(schema, name);
            assertTrue(schema.toString().startsWith(classes.toString()), schema + " is not beside " + classes);
            assertTrue(JSON.readTree(schema).get("$schema").asText().contains("2020-12"));
        }
    }
}
