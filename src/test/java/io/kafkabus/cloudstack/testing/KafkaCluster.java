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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka cluster (KRaft) running in this JVM, from Kafka's
 * own test kit. {@link #shared()} is one single-broker cluster for the whole test run; tests that
 * stop brokers start their own.
 */
public final class KafkaCluster implements AutoCloseable {
    private static KafkaCluster shared;

    /** The test kit's client user on a {@link #startSaslPlain()} broker. */
    public static final String SASL_USER = JaasUtils.KAFKA_PLAIN_USER1;
    public static final String SASL_PASSWORD = JaasUtils.KAFKA_PLAIN_USER1_PASSWORD;

    private final KafkaClusterTestKit kit;

    private KafkaCluster(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    /**
     * The run-wide single-broker cluster, started on first use. It is never closed: it ends with
     * the test JVM, its files under the build directory. (While a shutdown hook closed it, one run's
     * test JVM exited non-zero after every test had passed; a broker halting the JVM on a late fault
     * is the likely cause, so nothing is shut down at exit any more.)
     */
    public static synchronized KafkaCluster shared() {
        if (shared == null) {
            shared = start(1);
        }
        return shared;
    }

    /** Starts {@code brokers} brokers with replication settings that fit their number. */
    public static KafkaCluster start(int brokers) {
        return start(brokers, Map.of());
    }

    /** As {@link #start(int)}, with broker settings of the test's own ({@code auto.create.topics.enable}, say). */
    public static KafkaCluster start(int brokers, Map<String, String> brokerConfig) {
        return start(brokers, brokerConfig, SecurityProtocol.PLAINTEXT);
    }

    /**
     * One broker whose clients must log in with SASL/PLAIN ({@link #SASL_USER} / {@link #SASL_PASSWORD});
     * the test kit sets up the broker's side (a JAAS file named in the JVM-wide
     * {@code java.security.auth.login.config}, read by brokers only).
     */
    public static KafkaCluster startSaslPlain() {
        return start(1, Map.of(), SecurityProtocol.SASL_PLAINTEXT);
    }

    /** The client settings that log in to a {@link #startSaslPlain()} broker with {@code password}. */
    public static Map<String, String> saslPlainClient(String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + SASL_USER
                        + "\" password=\"" + password + "\";");
    }

    private static KafkaCluster start(int brokers, Map<String, String> brokerConfig, SecurityProtocol protocol) {
        try {
            String replication = Integer.toString(Math.min(brokers, 3));
            // One node does both jobs; a multi-broker cluster gets a controller of its own, so that
            // stopping a broker never takes a controller with it.
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(brokers == 1)
                    .setNumBrokerNodes(brokers)
                    .setNumControllerNodes(1)
                    .setBrokerSecurityProtocol(protocol)
                    .setControllerSecurityProtocol(protocol)
                    .build())
                    .setConfigProp("offsets.topic.replication.factor", replication)
                    .setConfigProp("transaction.state.log.replication.factor", replication)
                    .setConfigProp("transaction.state.log.min.isr", Integer.toString(Math.min(brokers, 2)))
                    .setConfigProp("default.replication.factor", replication)
                    .setConfigProp("min.insync.replicas", Integer.toString(brokers >= 3 ? 2 : 1))
                    .setConfigProp("broker.session.timeout.ms", "2500")
                    .setConfigProp("broker.heartbeat.interval.ms", "500")
                    .setConfigProp("unstable.api.versions.enable", "false")
                    .setConfigProp("log.cleaner.dedupe.buffer.size", "2097152")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0");
            if (protocol != SecurityProtocol.PLAINTEXT) {
                // The kit turns an authorizer on with secured listeners; the users' own rights are not what is tested.
                builder.setConfigProp("allow.everyone.if.no.acl.found", "true");
            }
            brokerConfig.forEach(builder::setConfigProp);
            KafkaClusterTestKit kit = builder.build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            return new KafkaCluster(kit);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test Kafka cluster", e);
        }
    }

    /** An Admin client logged in as the cluster's super user (on {@link #startSaslPlain()}: to create topics and ACLs). */
    public Admin superUserAdmin() {
        return kit.admin();
    }

    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    /** Ids of the brokers. */
    public List<Integer> brokerIds() {
        return new ArrayList<>(kit.brokers().keySet());
    }

    /** Stops one broker (its controller keeps running): clients see it go away. */
    public void stopBroker(int id) {
        kit.brokers().get(id).shutdown();
        kit.brokers().get(id).awaitShutdown();
    }

    /** Starts a stopped broker again, on the same port. */
    public void startBroker(int id) {
        kit.brokers().get(id).startup();
    }

    public void createTopic(String topic, int partitions) {
        createTopic(topic, partitions, (short) 1);
    }

    public void createTopic(String topic, int partitions, short replicationFactor) {
        createTopic(topic, partitions, replicationFactor, Map.of());
    }

    /**
     * Creates the topic and returns once the brokers serve every partition's leader, as a topic made
     * ahead of time is. Sooner, a producer's first batch can meet a partition not known yet, and the
     * batch behind it, sent meanwhile, be the first one the broker stores: the order a test asserts
     * would then depend on the broker's start-up rather than on the bus (see README, "Order").
     */
    public void createTopic(String topic, int partitions, short replicationFactor, Map<String, String> topicConfig) {
        try (Admin admin = superUserAdmin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, replicationFactor).configs(topicConfig))).all().get();
            Conditions.await(() -> everyPartitionLed(admin, topic, partitions), Duration.ofSeconds(30),
                    "every partition of " + topic + " has a leader");
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic, e);
        }
    }

    private static boolean everyPartitionLed(Admin admin, String topic, int partitions) {
        try {
            List<TopicPartitionInfo> described = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
            return described.size() == partitions && described.stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false; // not known to the broker asked yet
        }
    }

    /** The partition leader of {@code topic}'s partition {@code partition}. */
    public int leaderOf(String topic, int partition) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().get(partition).leader().id();
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe topic " + topic, e);
        }
    }

    /**
     * Reads every partition of {@code topic} from the beginning until {@code expected} records came
     * or {@code timeout} passed, then a little longer to catch extra (duplicate) records. No consumer
     * group, so it works while brokers are missing. Every envelope or CloudEvent among them is
     * checked against the published JSON Schemas ({@link EnvelopeSchema}).
     */
    public List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected, Duration timeout) {
        return consume(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()), topic, expected, timeout);
    }

    /**
     * As {@link #consume(String, int, Duration)}, from any cluster, with the client settings given
     * (bootstrap servers and security).
     */
    public static List<ConsumerRecord<byte[], byte[]>> consume(Map<String, ?> clientSettings, String topic, int expected,
                                                              Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = consume(clientSettings, topic, expected, timeout, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        records.forEach(record -> EnvelopeSchema.check(record.value()));
        return records;
    }

    /** As {@link #consume(String, int, Duration)}, reading keys and values with the deserializers given, unchecked. */
    public <K, V> List<ConsumerRecord<K, V>> consume(String topic, int expected, Duration timeout, Deserializer<K> keys,
                                                     Deserializer<V> values) {
        return consume(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()), topic, expected, timeout, keys, values);
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

    @Override
    public void close() {
        try {
            kit.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot close the test Kafka cluster", e);
        }
    }
}
