package io.kafkabus.cloudstack.routing;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.kafkabus.cloudstack.config.ValueFormat;
import io.kafkabus.cloudstack.event.EventEnvelope;
import io.kafkabus.cloudstack.event.InstantText;
import io.kafkabus.cloudstack.event.JsonObjects;

/**
 * CloudEvents 1.0 over Kafka, as the CloudEvents Kafka protocol binding lays it out, with the
 * envelope JSON as the event's data:
 * <ul>
 * <li>binary mode: the value is the envelope JSON unchanged, the attributes are {@code ce_*} headers
 * and {@code content-type} is the data's media type, {@code application/json};</li>
 * <li>structured mode: the value is one JSON event format object, attributes and {@code "data"} (the
 * envelope JSON object, its bytes copied in as they are), and {@code content-type} is
 * {@code application/cloudevents+json; charset=UTF-8}.</li>
 * </ul>
 * Attributes: {@code id} the envelope's id; {@code source}
 * {@code /cloudstack/management-server/<host>}; {@code type}
 * {@code org.apache.cloudstack.<category>.<type>}; {@code time} the publish time (RFC 3339, UTC,
 * milliseconds); {@code subject} the resource UUID, when there is one; {@code partitionkey} (the
 * Partitioning extension) the record key as text, when there is a key, so that a CloudEvents
 * producer's key mapper would key the event as the bus does; {@code datacontenttype}
 * {@code application/json}.
 */
final class CloudEvents {
    static final String SPEC_VERSION = "1.0";
    static final String CONTENT_TYPE_HEADER = "content-type";
    /** The data's media type: the envelope JSON, always UTF-8. */
    static final String DATA_CONTENT_TYPE = "application/json";
    /** The JSON event format's media type, as the Kafka binding writes it. */
    static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";
    /** The source of events from an unnamed management server; a named one is {@code <this>/<host>}. */
    static final String SOURCE = "/cloudstack/management-server";
    /** The prefix of every type: {@code <this>.<category>.<type>}. */
    static final String TYPE_PREFIX = "org.apache.cloudstack";
    /** The Kafka binding's prefix for attribute headers in binary mode. */
    static final String HEADER_PREFIX = "ce_";

    private static final byte[] DATA_FIELD = JsonObjects.lastField("data");
    // Never changed: records may share them (RoutedRecord hands out copies or read-only views only).
    private static final byte[] SPEC_VERSION_BYTES = utf8(SPEC_VERSION);
    private static final byte[] DATA_CONTENT_TYPE_BYTES = utf8(DATA_CONTENT_TYPE);
    private static final byte[] STRUCTURED_CONTENT_TYPE_BYTES = utf8(STRUCTURED_CONTENT_TYPE);

    private CloudEvents() {
    }

    /**
     * Adds the headers of {@code format}'s mode after those already in {@code headers}: the
     * attributes and the data's content type in binary mode, the event format's content type in
     * structured mode, nothing in the other formats.
     *
     * @param key the record key, null when there is none
     */
    static void putHeaders(ValueFormat format, Map<String, byte[]> headers, EventEnvelope envelope, byte[] key) {
        if (format == ValueFormat.CLOUDEVENTS_BINARY) {
            headers.put(HEADER_PREFIX + "specversion", SPEC_VERSION_BYTES);
            headers.put(HEADER_PREFIX + "id", utf8(envelope.id()));
            headers.put(HEADER_PREFIX + "source", utf8(source(envelope)));
            headers.put(HEADER_PREFIX + "type", utf8(type(envelope)));
            headers.put(HEADER_PREFIX + "time", utf8(time(envelope)));
            String subject = subject(envelope);
            if (subject != null) {
                headers.put(HEADER_PREFIX + "subject", utf8(subject));
            }
            if (key != null) {
                // The key's own bytes: the attribute is the key as text, and the key is UTF-8 text.
                headers.put(HEADER_PREFIX + "partitionkey", key);
            }
            headers.put(CONTENT_TYPE_HEADER, DATA_CONTENT_TYPE_BYTES);
        } else if (format == ValueFormat.CLOUDEVENTS_STRUCTURED) {
            headers.put(CONTENT_TYPE_HEADER, STRUCTURED_CONTENT_TYPE_BYTES);
        }
    }

    /**
     * The structured-mode value: the attributes, then {@code envelopeJson} (one JSON object) as
     * {@code data}, copied in as it is.
     *
     * @param key the record key, null when there is none
     */
    static byte[] structured(EventEnvelope envelope, byte[] key, byte[] envelopeJson) {
        return JsonObjects.objectEndingWith(json -> {
            json.writeStringField("specversion", SPEC_VERSION);
            json.writeStringField("id", envelope.id());
            json.writeStringField("source", source(envelope));
            json.writeStringField("type", type(envelope));
            json.writeStringField("time", time(envelope));
            String subject = subject(envelope);
            if (subject != null) {
                json.writeStringField("subject", subject);
            }
            if (key != null) {
                json.writeStringField("partitionkey", new String(key, StandardCharsets.UTF_8));
            }
            json.writeStringField("datacontenttype", DATA_CONTENT_TYPE);
        }, DATA_FIELD, envelopeJson);
    }

    /** {@code /cloudstack/management-server/<host>}, or without the host when it is not known. */
    static String source(EventEnvelope envelope) {
        String host = envelope.managementServerHost();
        return host == null || host.isBlank() ? SOURCE : SOURCE + "/" + host;
    }

    /** {@code org.apache.cloudstack.<category>.<type>}, leaving out what the event does not have. */
    static String type(EventEnvelope envelope) {
        StringBuilder type = new StringBuilder(TYPE_PREFIX);
        if (envelope.category() != null && !envelope.category().isBlank()) {
            type.append('.').append(envelope.category());
        }
        if (envelope.type() != null && !envelope.type().isBlank()) {
            type.append('.').append(envelope.type());
        }
        return type.toString();
    }

    /** The publish time as RFC 3339 text, in UTC, to the millisecond: the envelope's {@code timestamp}. */
    static String time(EventEnvelope envelope) {
        return InstantText.of(envelope.timestamp());
    }

    /** The resource's UUID, null when the event names none (the attribute must not be empty). */
    static String subject(EventEnvelope envelope) {
        String uuid = envelope.resourceUuid();
        return uuid == null || uuid.isBlank() ? null : uuid;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
