package io.kafkabus.cloudstack.event;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON form of an {@link EventEnvelope}: one object, core fields always present (null when
 * CloudStack gave none), 4.20+ fields only when known, and the description nested as a JSON object
 * when it is one, else kept as a string.
 */
public final class EnvelopeJson {
    /** Bumped when a field changes meaning or disappears; added fields do not bump it. */
    public static final int ENVELOPE_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Numbers pass through digit for digit.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private EnvelopeJson() {
    }

    /** The envelope as UTF-8 JSON. */
    public static byte[] write(EventEnvelope envelope) {
        return write(envelope, descriptionObject(envelope.description()), envelope.description(), -1);
    }

    /**
     * The envelope with its description replaced by {@code keptPrefix} (a prefix of its text) and
     * marked as truncated, for events larger than Kafka accepts.
     */
    public static byte[] writeTruncated(EventEnvelope envelope, String keptPrefix) {
        int originalChars = envelope.description() == null ? 0 : envelope.description().length();
        return write(envelope, null, keptPrefix, originalChars);
    }

    /** The description as a JSON object, or null when it is not exactly one. */
    static JsonNode descriptionObject(String description) {
        if (description == null || !description.stripLeading().startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(description);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static byte[] write(EventEnvelope e, JsonNode descriptionObject, String descriptionText, int originalChars) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (descriptionText == null ? 0 : descriptionText.length()));
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("envelopeVersion", ENVELOPE_VERSION);
            json.writeStringField("id", e.id());
            json.writeStringField("source", e.source());
            json.writeStringField("category", e.category());
            json.writeStringField("type", e.type());
            json.writeStringField("resourceType", e.resourceType());
            json.writeStringField("resourceUuid", e.resourceUuid());
            json.writeStringField("timestamp", DateTimeFormatter.ISO_INSTANT.format(e.timestamp()));
            writeIfKnown(json, "eventId", e.eventId());
            writeIfKnown(json, "accountId", e.accountId());
            if (e.accountUuid() != null) {
                json.writeStringField("accountUuid", e.accountUuid());
            }
            writeIfKnown(json, "domainId", e.domainId());
            if (descriptionObject != null) {
                json.writeFieldName("description");
                MAPPER.writeTree(json, descriptionObject);
            } else {
                json.writeStringField("description", descriptionText);
            }
            if (originalChars >= 0) {
                json.writeBooleanField("descriptionTruncated", true);
                json.writeNumberField("descriptionLength", originalChars);
            }
            json.writeEndObject();
        } catch (IOException ex) {
            // A ByteArrayOutputStream does not fail; Jackson declares it anyway.
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    private static void writeIfKnown(JsonGenerator json, String field, Long value) throws IOException {
        if (value != null) {
            json.writeNumberField(field, value);
        }
    }
}
