package io.kafkabus.cloudstack.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/** Creating and reading back topics of any broker, in this JVM ({@link KafkaCluster}) or another ({@link VersionedBroker}). */
public final class KafkaTopics {
    private KafkaTopics() {
    }

    /**
     * Creates the topic and returns once every partition's leader serves it, as a topic made ahead of
     * time is. Sooner, a producer's first batch can meet a partition not known yet, and the batch
     * behind it, sent meanwhile, be the first one the broker stores: the order a test asserts would
     * then depend on the broker's start-up rather than on the bus (see README, "Order"). A leader in
     * the metadata is not enough: a KRaft broker's metadata can name it before that broker has made
     * the partition's log (the first batch then got NOT_LEADER_OR_FOLLOWER, with Kafka 3.9.1 and
     * 4.4.0 processes), so each leader must also answer for its partition's end offset.
     */
    public static void create(Admin admin, String topic, int partitions, short replicationFactor, Map<String, String> topicConfig) {
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, replicationFactor).configs(topicConfig))).all().get();
            Conditions.await(() -> everyPartitionServed(admin, topic, partitions), Duration.ofSeconds(30),
                    "every partition of " + topic + " served by its leader");
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic, e);
        }
    }

    private static boolean everyPartitionServed(Admin admin, String topic, int partitions) {
        try {
            List<TopicPartitionInfo> described = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
            if (described.size() != partitions || !described.stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                return false;
            }
            admin.listOffsets(described.stream().collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()),
                    p -> OffsetSpec.latest()))).all().get();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false; // not known to, or not yet served by, the broker asked
        }
    }

    /**
     * Reads every partition of {@code topic} from the beginning until {@code expected} records came
     * or {@code timeout} passed, then a little longer to catch extra (duplicate) records. No consumer
     * group, so it works while brokers are missing. Every envelope or CloudEvent among them is
     * checked against the published JSON Schemas ({@link EnvelopeSchema}).
     */
    public static List<ConsumerRecord<byte[], byte[]>> consume(String bootstrapServers, String topic, int expected, Duration timeout) {
        return consume(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic, expected, timeout);
    }

    /** As {@link #consume(String, String, int, Duration)}, with the client settings given (bootstrap servers and security). */
    public static List<ConsumerRecord<byte[], byte[]>> consume(Map<String, ?> clientSettings, String topic, int expected,
                                                              Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = consume(clientSettings, topic, expected, timeout, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        records.forEach(record -> EnvelopeSchema.check(record.value()));
        return records;
    }

    /** As {@link #consume(String, String, int, Duration)}, reading keys and values with the deserializers given, unchecked. */
    public static <K, V> List<ConsumerRecord<K, V>> consume(String bootstrapServers, String topic, int expected, Duration timeout,
                                                            Deserializer<K> keys, Deserializer<V> values) {
        return consume(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic, expected, timeout, keys, values);
    }

    private static <K, V> List<ConsumerRecord<K, V>> consume(Map<String, ?> clientSettings, String topic, int expected,
                                                             Duration timeout, Deserializer<K> keys, Deserializer<V> values) {
        Properties props = new Properties();
        props.putAll(clientSettings);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, keys, values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // Whatever else is there (duplicates) shows up within one more short poll round.
            long settle = System.nanoTime() + Duration.ofMillis(500).toNanos();
            while (System.nanoTime() < settle) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }
}
