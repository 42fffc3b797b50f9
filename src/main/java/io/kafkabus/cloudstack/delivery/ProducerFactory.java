package io.kafkabus.cloudstack.delivery;

import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

import io.kafkabus.cloudstack.config.ClientProperties;

/** Makes the sender's producers: Kafka's own in service, a {@code MockProducer} in tests. */
@FunctionalInterface
interface ProducerFactory {
    ProducerFactory KAFKA = properties -> new KafkaProducer<>(ClientProperties.resolved(properties));

    Producer<byte[], byte[]> create(Map<String, Object> properties);
}
