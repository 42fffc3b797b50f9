package io.kafkabus.cloudstack.delivery;

import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/** Makes the sender's producers: Kafka's own in service, a {@code MockProducer} in tests. */
@FunctionalInterface
interface ProducerFactory {
    ProducerFactory KAFKA = KafkaProducer::new;

    Producer<byte[], byte[]> create(Map<String, Object> properties);
}
