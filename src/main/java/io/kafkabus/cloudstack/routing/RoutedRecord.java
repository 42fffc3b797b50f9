package io.kafkabus.cloudstack.routing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A record ready for Kafka: topic, key, value, headers and timestamp, all as the bytes that will be
 * sent. What the spool stores and the sender sends. Immutable.
 */
public final class RoutedRecord {
    private final String topic;
    private final byte[] key;
    private final byte[] value;
    private final Map<String, byte[]> headers;
    private final long timestampMs;

    public RoutedRecord(String topic, byte[] key, byte[] value, Map<String, byte[]> headers, long timestampMs) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.key = key == null ? null : key.clone();
        this.value = Objects.requireNonNull(value, "value").clone();
        Map<String, byte[]> copy = new LinkedHashMap<>();
        headers.forEach((name, bytes) -> copy.put(name, bytes.clone()));
        this.headers = Collections.unmodifiableMap(copy);
        this.timestampMs = timestampMs;
    }

    public String topic() { return topic; }
    /** Null when the event names no resource and no kind (see {@link RecordRouter}). */
    public byte[] key() { return key == null ? null : key.clone(); }
    public byte[] value() { return value.clone(); }
    public int valueSize() { return value.length; }
    /** Header name to value, in sending order. The arrays are copies. */
    public Map<String, byte[]> headers() {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        headers.forEach((name, bytes) -> copy.put(name, bytes.clone()));
        return copy;
    }
    /** The event's publish time, used as the record's timestamp. */
    public long timestampMs() { return timestampMs; }

    /** The {@code id} header: the event's stable id, for de-duplication downstream. */
    public String eventId() {
        byte[] id = headers.get(RecordRouter.HEADER_ID);
        return id == null ? null : new String(id, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RoutedRecord)) {
            return false;
        }
        RoutedRecord other = (RoutedRecord) o;
        if (!topic.equals(other.topic) || timestampMs != other.timestampMs || !Arrays.equals(key, other.key)
                || !Arrays.equals(value, other.value) || !headers.keySet().equals(other.headers.keySet())) {
            return false;
        }
        return headers.entrySet().stream().allMatch(h -> Arrays.equals(h.getValue(), other.headers.get(h.getKey())));
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, timestampMs, Arrays.hashCode(key), Arrays.hashCode(value));
    }
}
