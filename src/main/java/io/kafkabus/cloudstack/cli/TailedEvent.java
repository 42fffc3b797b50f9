package io.kafkabus.cloudstack.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.kafkabus.cloudstack.routing.RecordRouter;

/**
 * What {@code tail} shows of one record: its time, and the event's category, type, resource and id,
 * from the record's headers (every value.format has them) and, for the resource, from the envelope
 * (the value, or a structured CloudEvent's data); with value.format=description the resource is
 * not known. Immutable.
 */
final class TailedEvent {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NONE = "-";

    final Instant time;
    final String category;
    final String type;
    final String resourceType;
    final String resourceUuid;
    final String id;

    private TailedEvent(Instant time, String category, String type, String resourceType, String resourceUuid, String id) {
        this.time = time;
        this.category = category;
        this.type = type;
        this.resourceType = resourceType;
        this.resourceUuid = resourceUuid;
        this.id = id;
    }

    static TailedEvent of(long timestampMs, Headers headers, byte[] value) {
        JsonNode envelope = envelope(value);
        return new TailedEvent(Instant.ofEpochMilli(timestampMs),
                first(header(headers, RecordRouter.HEADER_CATEGORY), field(envelope, "category")),
                first(header(headers, RecordRouter.HEADER_TYPE), field(envelope, "type")),
                field(envelope, "resourceType"), field(envelope, "resourceUuid"),
                first(header(headers, RecordRouter.HEADER_ID), field(envelope, "id")));
    }

    /** {@code TIME CATEGORY TYPE RESOURCE-TYPE/UUID ID}, {@code -} for what the event lacks. */
    String line() {
        String resource = resourceType == null && resourceUuid == null ? NONE
                : orNone(resourceType) + "/" + orNone(resourceUuid);
        return String.format("%-24s %-18s %-22s %s %s", time, orNone(category), orNone(type), resource, orNone(id));
    }

    /** The envelope in {@code value}: the value itself, or a structured CloudEvent's data; null for a bare description. */
    private static JsonNode envelope(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode json = JSON.readTree(value);
            if (json != null && json.has("envelopeVersion")) {
                return json;
            }
            if (json != null && json.has("specversion") && json.path("data").isObject()) {
                return json.get("data");
            }
        } catch (IOException e) {
            // a description that is not JSON
        }
        return null;
    }

    private static String field(JsonNode envelope, String name) {
        JsonNode field = envelope == null ? null : envelope.get(name);
        return field == null || field.isNull() ? null : field.asText();
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    private static String orNone(String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }
}
