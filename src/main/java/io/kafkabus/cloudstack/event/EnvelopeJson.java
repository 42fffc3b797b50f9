package io.kafkabus.cloudstack.event;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * The JSON form of an {@link EventEnvelope}: one object, core fields always present (null when
 * CloudStack gave none), 4.20+ fields, the description's status and the management server only
 * when known, and the description last: nested as a JSON object when it is one (its bytes copied as
 * they are, so numbers pass through digit for digit), else kept as a string. The schema
 * {@code schema/cloudstack-event-envelope.schema.json} in the jar describes it.
 */
public final class EnvelopeJson {
    /** Bumped when a field changes meaning or disappears; added fields do not bump it. */
    public static final int ENVELOPE_VERSION = 1;

    private static final byte[] DESCRIPTION_FIELD = JsonObjects.lastField("description");


    private EnvelopeJson() {
    }

    /** The envelope as UTF-8 JSON. */
    public static byte[] write(EventEnvelope envelope) {
        byte[] descriptionObject = envelope.descriptionJson();
        return descriptionObject == null ? write(envelope, envelope.description(), -1) : write(envelope, descriptionObject);
    }

    /**
     * The envelope with its description replaced by {@code keptPrefix} (a prefix of its text, which
     * is already redacted) and marked as truncated, for events larger than Kafka accepts.
     */
    public static byte[] writeTruncated(EventEnvelope envelope, String keptPrefix) {
        int originalChars = envelope.description() == null ? 0 : envelope.description().length();
        return write(envelope, keptPrefix, originalChars);
    }

    /** With the description as text, ending with the truncation marks when {@code originalChars >= 0}. */
    private static byte[] write(EventEnvelope e, String description, int originalChars) {
        return JsonObjects.object(json -> {
            writeFields(json, e);
            json.writeStringField("description", description);
            if (originalChars >= 0) {
                json.writeBooleanField("descriptionTruncated", true);
                json.writeNumberField("descriptionLength", originalChars);
            }
        }, 256 + (description == null ? 0 : description.length()));
    }

    /** With the description object's bytes, checked by {@link DescriptionProcessor}, copied in as they are. */
    private static byte[] write(EventEnvelope e, byte[] descriptionObject) {
        return JsonObjects.objectEndingWith(json -> writeFields(json, e), DESCRIPTION_FIELD, descriptionObject);
    }

    /** Every field but the description. */
    private static void writeFields(JsonGenerator json, EventEnvelope e) throws IOException {
        json.writeNumberField("envelopeVersion", ENVELOPE_VERSION);
        json.writeStringField("id", e.id());
        json.writeStringField("source", e.source());
        json.writeStringField("category", e.category());
        json.writeStringField("type", e.type());
        json.writeStringField("resourceType", e.resourceType());
        json.writeStringField("resourceUuid", e.resourceUuid());
        json.writeStringField("timestamp", InstantText.of(e.timestamp()));
        writeIfKnown(json, "eventId", e.eventId());
        writeIfKnown(json, "accountId", e.accountId());
        writeIfKnown(json, "accountUuid", e.accountUuid());
        writeIfKnown(json, "domainId", e.domainId());
        writeIfKnown(json, "status", e.status());
        writeIfKnown(json, "managementServerHost", e.managementServerHost());
        writeIfKnown(json, "managementServerId", e.managementServerId());
    }

    private static void writeIfKnown(JsonGenerator json, String field, Long value) throws IOException {
        if (value != null) {
            json.writeNumberField(field, value);
        }
    }

    private static void writeIfKnown(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }
}
