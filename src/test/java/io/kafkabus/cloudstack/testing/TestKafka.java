package io.kafkabus.cloudstack.testing;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A Kafka a test's bus sends to, wherever it runs: in this JVM ({@link KafkaCluster}) or as a
 * process of a given release ({@link VersionedBroker}). Topics are made and read back through it.
 */
public interface TestKafka {
    String bootstrapServers();

    /** As {@link KafkaTopics#create}: returns once every partition has a leader. */
    void createTopic(String topic, int partitions);

    /** As {@link KafkaTopics#consume(String, String, int, Duration)}. */
    List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected, Duration timeout);
}
