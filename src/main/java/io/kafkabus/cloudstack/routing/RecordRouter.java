package io.kafkabus.cloudstack.routing;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.config.ValueFormat;
import io.kafkabus.cloudstack.event.EnvelopeJson;
import io.kafkabus.cloudstack.event.EventEnvelope;

/**
 * Decides where an event goes and what is sent: the topic ({@link TopicChooser}), the key
 * ({@link KeyChooser}), the value (envelope JSON or the upstream description text) and the headers,
 * and, for a resource's new state, the record of {@code state.topic}. Events larger than Kafka
 * accepts are shortened to fit.
 */
public final class RecordRouter {
    public static final String HEADER_ID = "id";
    public static final String HEADER_CATEGORY = "category";
    public static final String HEADER_TYPE = "type";
    public static final String HEADER_SOURCE = "source";
    /** The description's top-level status (an ActionEvent's Completed, say), when it has one. */
    public static final String HEADER_STATUS = "status";
    /** Set, to the description's original length in characters, on events shortened to fit. */
    public static final String HEADER_TRUNCATED = "truncated";
    /** Room left in max.request.size for the record batch framing of one record. */
    static final int FRAMING_BYTES = 512;

    /** The category whose events {@code state.topic} receives. */
    static final String RESOURCE_STATE_CATEGORY = "ResourceStateEvent";
    /** A VM's state event sent before the database commits the transition: not yet its state. */
    static final String BEFORE_TRANSITION = "preStateTransitionEvent";

    private final TopicChooser topics;
    private final KeyChooser keys;
    private final ValueFormat valueFormat;
    private final int maxRequestSize;
    private final String stateTopic;

    public RecordRouter(EventBusConfig config) {
        this(new TopicChooser(config), new KeyChooser(config.keyFields()), config.valueFormat(), config.maxRequestSize(),
                config.stateTopic());
    }

    RecordRouter(TopicChooser topics, KeyChooser keys, ValueFormat valueFormat, int maxRequestSize, String stateTopic) {
        this.topics = topics;
        this.keys = keys;
        this.valueFormat = valueFormat;
        this.maxRequestSize = maxRequestSize;
        this.stateTopic = stateTopic;
    }

    /** The event's record for its topic. */
    public RoutedRecord route(EventEnvelope envelope) {
        return route(envelope, topics.topicOf(envelope), keys.keyOf(envelope));
    }

    /**
     * The event's record for {@code state.topic}, keyed by its resource, when it reports a resource's
     * new state and there is such a topic; else null.
     *
     * @param routed the event's record for its topic, when it has one: its value and headers are reused
     */
    public RoutedRecord routeState(EventEnvelope envelope, RoutedRecord routed) {
        if (stateTopic.isEmpty() || !RESOURCE_STATE_CATEGORY.equals(envelope.category()) || envelope.resourceUuid() == null
                || envelope.resourceUuid().isBlank() || BEFORE_TRANSITION.equals(envelope.status())) {
            return null;
        }
        if (routed == null || !envelope.resourceUuid().equals(keys.keyOf(envelope))) {
            return route(envelope, stateTopic, envelope.resourceUuid());
        }
        return routed.toTopic(stateTopic);
    }

    private RoutedRecord route(EventEnvelope envelope, String topic, String keyText) {
        byte[] key = utf8(keyText);
        Map<String, byte[]> headers = new LinkedHashMap<>();
        putHeader(headers, HEADER_ID, envelope.id());
        putHeader(headers, HEADER_CATEGORY, envelope.category());
        putHeader(headers, HEADER_TYPE, envelope.type());
        putHeader(headers, HEADER_SOURCE, envelope.source());
        putHeader(headers, HEADER_STATUS, envelope.status());
        CloudEvents.putHeaders(valueFormat, headers, envelope, key);
        int budget = maxRequestSize - FRAMING_BYTES - (key == null ? 0 : key.length) - headerBytes(headers);
        byte[] value = value(envelope, key);
        if (value.length > budget) {
            value = shortened(envelope, key, budget);
            putHeader(headers, HEADER_TRUNCATED, String.valueOf(envelope.description() == null ? 0 : envelope.description().length()));
        }
        return new RoutedRecord(topic, key, value, headers, envelope.timestamp().toEpochMilli());
    }

    private byte[] value(EventEnvelope envelope, byte[] key) {
        if (valueFormat == ValueFormat.DESCRIPTION) {
            return envelope.description() == null ? new byte[0] : utf8(envelope.description());
        }
        return wrapped(envelope, key, EnvelopeJson.write(envelope));
    }

    /** The envelope JSON as the value format sends it: as it is, or as a structured CloudEvent's data ({@link CloudEvents}). */
    private byte[] wrapped(EventEnvelope envelope, byte[] key, byte[] envelopeJson) {
        return valueFormat == ValueFormat.CLOUDEVENTS_STRUCTURED ? CloudEvents.structured(envelope, key, envelopeJson) : envelopeJson;
    }

    /** Keeps as much of the description as fits in {@code budget} bytes. */
    private byte[] shortened(EventEnvelope envelope, byte[] key, int budget) {
        String description = envelope.description() == null ? "" : envelope.description();
        int keptChars = description.length();
        while (true) {
            String prefix = prefix(description, keptChars);
            byte[] value = valueFormat == ValueFormat.DESCRIPTION ? utf8(prefix)
                    : wrapped(envelope, key, EnvelopeJson.writeTruncated(envelope, prefix));
            if (value.length <= budget || keptChars == 0) {
                return value;
            }
            // Scale down by the overshoot, with a margin: escaping and multi-byte characters make bytes and chars differ.
            keptChars = (int) Math.max(0, (long) keptChars * budget / value.length - 64);
        }
    }

    /** The first {@code chars} characters, one fewer rather than half a surrogate pair. */
    private static String prefix(String text, int chars) {
        int end = Math.min(chars, text.length());
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    private static int headerBytes(Map<String, byte[]> headers) {
        int bytes = 0;
        for (Map.Entry<String, byte[]> header : headers.entrySet()) {
            bytes += header.getKey().length() + header.getValue().length + 8;
        }
        return bytes;
    }

    private static void putHeader(Map<String, byte[]> headers, String name, String value) {
        if (value != null) {
            headers.put(name, utf8(value));
        }
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
