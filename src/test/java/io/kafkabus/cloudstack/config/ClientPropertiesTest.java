package io.kafkabus.cloudstack.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

class ClientPropertiesTest {
    /** What an operator may set for the bus's producer: an interceptor of producer records. */
    public static final class AuditingInterceptor implements ProducerInterceptor<byte[], byte[]> {
        @Override public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) { return record; }
        @Override public void onAcknowledgement(RecordMetadata metadata, Exception exception) { }
        @Override public void close() { }
        @Override public void configure(Map<String, ?> configs) { }
    }

    private static final Map<String, Object> PRODUCER = Map.of(
            "bootstrap.servers", "localhost:9092",
            "client.id", "cloudstack-event-bus-host-bus",
            "security.protocol", "SASL_PLAINTEXT",
            "config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider",
            "interceptor.classes", AuditingInterceptor.class.getName(),
            "acks", "all");

    /**
     * The readers of the command line and of the subscribers connect as the producer does, but a
     * producer interceptor is no consumer interceptor: passed on, it would stop every reader from
     * being made.
     */
    @Test
    void aByteReaderConnectsAsTheProducerWithoutItsInterceptorsAndNeverCommits() {
        Map<String, Object> reader = ClientProperties.byteReader(PRODUCER, "tail");
        assertEquals("localhost:9092", reader.get("bootstrap.servers"));
        assertEquals("SASL_PLAINTEXT", reader.get("security.protocol"));
        assertEquals("org.apache.kafka.common.config.provider.FileConfigProvider", reader.get("config.providers.file.class"));
        assertEquals("cloudstack-event-bus-host-bus-tail", reader.get("client.id"));
        assertEquals(false, reader.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
        assertFalse(reader.containsKey("interceptor.classes"), reader.toString());
        assertFalse(reader.containsKey("acks"), "a producer-only key: " + reader);

        Map<String, Object> plaintext = ClientProperties.byteReader(Map.of("bootstrap.servers", "localhost:9092",
                "client.id", "bus", "interceptor.classes", AuditingInterceptor.class.getName()), "tail");
        new KafkaConsumer<byte[], byte[]>(plaintext).close();
    }
}
