package io.kafkabus.cloudstack.delivery;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.kafkabus.cloudstack.routing.RoutedRecord;

/**
 * The dead letter topic, when one is configured: where each record Kafka refused for good goes,
 * with why in its headers, so that nothing is lost without a trace.
 */
final class DeadLetters {
    static final String HEADER_REASON = "dead.letter.reason";
    static final String HEADER_TOPIC = "dead.letter.original.topic";
    static final String HEADER_TIMESTAMP = "dead.letter.original.timestamp";
    /** Null when no dead letter topic is configured. */
    private final String topic;

    DeadLetters(String topic) {
        this.topic = topic == null || topic.isEmpty() ? null : topic;
    }

    /** The dead letter topic, or null when refused records are only counted and logged. */
    String topic() {
        return topic;
    }

    /** {@code record} as sent to the dead letter topic: same key, value and headers, plus the reason. */
    ProducerRecord<byte[], byte[]> deadLetterOf(RoutedRecord record, String reason) {
        RecordHeaders headers = new RecordHeaders();
        record.headers().forEach(headers::add);
        headers.add(HEADER_REASON, utf8(reason));
        headers.add(HEADER_TOPIC, utf8(record.topic()));
        headers.add(HEADER_TIMESTAMP, utf8(Long.toString(record.timestampMs())));
        // No timestamp of its own: the original one may be what the broker refused.
        return new ProducerRecord<>(topic, null, null, record.key(), record.value(), headers);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
