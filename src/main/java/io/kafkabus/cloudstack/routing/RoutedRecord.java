package io.kafkabus.cloudstack.routing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A record ready for Kafka: topic, key, value, headers and timestamp, all as the bytes that will be
 * sent. What the spool stores and the sender sends. Immutable: it takes the arrays and the header
 * map it is built from as its own (they are made for it and never changed afterwards), so that an
 * event's bytes are not copied on their way; what it hands out is copies or read-only views.
 */
public final class RoutedRecord {
    private final String topic;
    private final byte[] key;
    private final byte[] value;
    private final Map<String, byte[]> headers;
    private final long timestampMs;

    /**
     * @param key     taken as is, not copied: must not be changed afterwards
     * @param value   taken as is, not copied: must not be changed afterwards
     * @param headers header name to value, in sending order; taken as is, not copied: must not be changed afterwards
     */
    public RoutedRecord(String topic, byte[] key, byte[] value, Map<String, byte[]> headers, long timestampMs) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.key = key;
        this.value = Objects.requireNonNull(value, "value");
        this.headers = Collections.unmodifiableMap(headers);
        this.timestampMs = timestampMs;
    }

    public String topic() { return topic; }
    /** Null when the event names no resource and no kind (see {@link RecordRouter}). */
    public byte[] key() { return key == null ? null : key.clone(); }
    /** The key without a copy, read-only; null as {@link #key()}. */
    public ByteBuffer keyBuffer() { return key == null ? null : ByteBuffer.wrap(key).asReadOnlyBuffer(); }
    public byte[] value() { return value.clone(); }
    /** The value without a copy, read-only. */
    public ByteBuffer valueBuffer() { return ByteBuffer.wrap(value).asReadOnlyBuffer(); }
    public int valueSize() { return value.length; }
    /** Header name to value, in sending order. The arrays are copies. */
    public Map<String, byte[]> headers() {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        headers.forEach((name, bytes) -> copy.put(name, bytes.clone()));
        return copy;
    }
    public int headerCount() { return headers.size(); }

    /** Each header, in sending order, its value without a copy, read-only. */
    public void forEachHeader(BiConsumer<String, ByteBuffer> action) {
        headers.forEach((name, bytes) -> action.accept(name, ByteBuffer.wrap(bytes).asReadOnlyBuffer()));
    }

    /** The same record, key, value and headers shared, for {@code otherTopic}. */
    public RoutedRecord toTopic(String otherTopic) {
        return new RoutedRecord(otherTopic, key, value, headers, timestampMs);
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
