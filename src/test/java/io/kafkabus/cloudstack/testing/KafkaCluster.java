package io.kafkabus.cloudstack.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
public final class KafkaCluster implements TestKafka, AutoCloseable {
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

    @Override
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

    @Override
    public void createTopic(String topic, int partitions) {
        createTopic(topic, partitions, (short) 1);
    }

    public void createTopic(String topic, int partitions, short replicationFactor) {
        createTopic(topic, partitions, replicationFactor, Map.of());
    }

    /** As {@link KafkaTopics#create}: returns once every partition has a leader. */
    public void createTopic(String topic, int partitions, short replicationFactor, Map<String, String> topicConfig) {
        try (Admin admin = superUserAdmin()) {
            KafkaTopics.create(admin, topic, partitions, replicationFactor, topicConfig);
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

    /** As {@link KafkaTopics#consume(String, String, int, Duration)}, from this cluster. */
    @Override
    public List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected, Duration timeout) {
        return KafkaTopics.consume(bootstrapServers(), topic, expected, timeout);
    }

    /** As {@link KafkaTopics#consume(String, String, int, Duration, Deserializer, Deserializer)}, from this cluster. */
    public <K, V> List<ConsumerRecord<K, V>> consume(String topic, int expected, Duration timeout, Deserializer<K> keys,
                                                     Deserializer<V> values) {
        return KafkaTopics.consume(bootstrapServers(), topic, expected, timeout, keys, values);
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
