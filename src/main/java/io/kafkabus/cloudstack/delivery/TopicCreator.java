package io.kafkabus.cloudstack.delivery;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkabus.cloudstack.config.ClientProperties;
import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.logging.ErrorText;
import io.kafkabus.cloudstack.logging.RateLimitedLogger;

/**
 * With {@code topic.create=true}: creates each topic the sender is about to send to, when missing,
 * through Kafka's Admin API, before the first send to it with each producer (a producer made after
 * a failure checks again, so a topic deleted meanwhile comes back). The state topic is created
 * compacted. Runs on the sender thread only, each Admin call bounded by {@code max.block.ms}; a
 * failure never holds events back: they are sent all the same, and what Kafka then says about the
 * topic is reported as without this class.
 */
final class TopicCreator {
    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);
    /** After a failure that may cure itself (Kafka away, say), the topic's creation waits this long before it is tried again. */
    static final long RETRY_MS = 30_000;
    /** An Admin call gets at least this long: max.block.ms may be 0, which no call could meet. */
    private static final long SHORTEST_CALL_MS = 1_000;

    private final String busName;
    private final Map<String, Object> adminProperties;
    private final Function<Map<String, Object>, Admin> adminFactory;
    private final Optional<Integer> partitions;
    private final Optional<Short> replicationFactor;
    private final EventBusConfig config;
    private final int callTimeoutMs;
    private final RateLimitedLogger problems;
    private final Time time;
    /** Made at the first topic to create; closed, from any thread, by {@link #close}. */
    private final AtomicReference<Admin> admin = new AtomicReference<>();
    /** The producer {@link #settled} is about; sender thread only, as are the fields below. */
    private Producer<?, ?> settledFor;
    /** Topics found existing, created, or not ours to create, since {@link #settledFor} was made. */
    private final Set<String> settled = new HashSet<>();
    /** Topics whose creation failed, to when it may be tried again. */
    private final Map<String, Long> retryAtMs = new HashMap<>();

    TopicCreator(String busName, EventBusConfig config, Function<Map<String, Object>, Admin> adminFactory,
                 RateLimitedLogger problems, Time time) {
        this.busName = busName;
        this.adminProperties = ClientProperties.derived(config.producerProperties(), AdminClientConfig.configNames(), "admin");
        this.adminFactory = adminFactory;
        this.partitions = config.topicCreatePartitions() < 0 ? Optional.empty() : Optional.of(config.topicCreatePartitions());
        this.replicationFactor = config.topicCreateReplicationFactor() < 0
                ? Optional.empty() : Optional.of(config.topicCreateReplicationFactor());
        this.config = config;
        this.callTimeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(SHORTEST_CALL_MS, config.maxBlock().toMillis()));
        this.problems = problems;
        this.time = time;
    }

    /**
     * Creates {@code topic} if it is missing, unless that was settled since {@code producer} was
     * made, or a failed attempt was less than {@link #RETRY_MS} ago.
     */
    void beforeFirstSend(String topic, Producer<?, ?> producer) throws InterruptedException {
        if (producer != settledFor) {
            settledFor = producer;
            settled.clear();
        }
        if (settled.contains(topic) || time.milliseconds() < retryAtMs.getOrDefault(topic, Long.MIN_VALUE)) {
            return;
        }
        if (create(topic)) {
            settled.add(topic);
            retryAtMs.remove(topic);
        } else {
            retryAtMs.put(topic, time.milliseconds() + RETRY_MS);
        }
    }

    /** True once the topic exists, or may not be created by this principal (the operator was told). */
    private boolean create(String topic) throws InterruptedException {
        Admin client = admin();
        if (client == null) {
            return false;
        }
        NewTopic newTopic = new NewTopic(topic, partitions, replicationFactor);
        boolean compacted = topic.equals(config.stateTopic());
        if (compacted) {
            newTopic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        }
        try {
            client.createTopics(List.of(newTopic), new CreateTopicsOptions().timeoutMs(callTimeoutMs))
                    .all().get(callTimeoutMs, TimeUnit.MILLISECONDS);
            LOG.info("Kafka event bus {}: created topic {} ({}{})", busName, topic, createdAs(), compacted ? ", compacted" : "");
            return true;
        } catch (ExecutionException e) {
            return refused(client, topic, e.getCause());
        } catch (TimeoutException e) {
            LOG.debug("Kafka event bus {}: no answer within {} ms to creating topic {}; tried again later",
                    busName, callTimeoutMs, topic);
            return false;
        }
    }

    /** What Kafka's refusal to create {@code topic} means: true when nothing is left to try for it. */
    private boolean refused(Admin client, String topic, Throwable error) throws InterruptedException {
        if (error instanceof TopicExistsException) {
            if (topic.equals(config.stateTopic())) {
                warnUnlessCompacted(client, topic);
            }
            return true;
        }
        if (error instanceof TopicAuthorizationException || error instanceof ClusterAuthorizationException) {
            problems.warn("Kafka event bus " + busName + ": the bus may not create topic " + topic + " (Kafka's ACLs "
                    + "deny its principal CREATE); grant it CREATE on the cluster or on that topic, or create the topic "
                    + "yourself (" + TopicCommands.create(config, topic) + ") and set topic.create=false; events are sent all the same",
                    ErrorText.describe(error));
            return true;
        }
        if (error instanceof ApiException && !(error instanceof RetriableException) && !(error instanceof AuthenticationException)) {
            // A request no retry cures as it stands (a replication factor above the brokers' count, a broker's
            // topic policy, a broker too old for the broker's defaults): the operator has to change something.
            problems.warn("Kafka event bus " + busName + ": Kafka refused to create topic " + topic + " ("
                    + createdAs() + "); check topic.create.partitions and topic.create.replication.factor, "
                    + "or create the topic yourself; tried again later", ErrorText.describe(error));
            return false;
        }
        // Kafka away or slow, or credentials refused: the sends report those themselves.
        LOG.debug("Kafka event bus {}: cannot create topic {} now; tried again later: {}", busName, topic,
                ErrorText.describe(error));
        return false;
    }

    /** A state topic that deletes by age loses the states of resources that did not change for that long. */
    private void warnUnlessCompacted(Admin client, String topic) throws InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        ConfigEntry policy;
        try {
            Config topicConfig = client.describeConfigs(List.of(resource), new DescribeConfigsOptions().timeoutMs(callTimeoutMs))
                    .all().get(callTimeoutMs, TimeUnit.MILLISECONDS).get(resource);
            policy = topicConfig == null ? null : topicConfig.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        } catch (ExecutionException | TimeoutException e) {
            // Not allowed to read it (no DESCRIBE_CONFIGS), say: nothing to tell, the topic takes events.
            LOG.debug("Kafka event bus {}: cannot read the configuration of topic {}: {}", busName, topic,
                    ErrorText.describe(e instanceof ExecutionException ? e.getCause() : e));
            return;
        }
        if (policy != null && !List.of(policy.value().replace(" ", "").split(",")).contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            problems.warn("Kafka event bus " + busName + ": the state topic " + topic + " exists but is not compacted ("
                    + "cleanup.policy=" + policy.value() + "), so it loses the state of resources that did not change for "
                    + "its retention instead of keeping each one's latest; compact it: " + TopicCommands.compact(config, topic), null);
        }
    }

    private Admin admin() {
        Admin current = admin.get();
        if (current != null) {
            return current;
        }
        try {
            current = adminFactory.apply(adminProperties);
        } catch (KafkaException e) {
            // No bootstrap host resolves yet, say: the producer reports that itself.
            LOG.debug("Kafka event bus {}: cannot create the Kafka admin client now: {}", busName, ErrorText.describe(e));
            return null;
        }
        admin.set(current);
        return current;
    }

    /**
     * Closes the Admin client, giving it up to {@code timeout}; a call waiting on Kafka fails at
     * once. Safe from any thread: stop() ends a waiting call with it. A later call makes a new client.
     */
    void close(Duration timeout) {
        Admin current = admin.getAndSet(null);
        if (current == null) {
            return;
        }
        try {
            current.close(timeout);
        } catch (RuntimeException e) {
            LOG.warn("Kafka event bus {}: closing the Kafka admin client failed: {}", busName, ErrorText.describe(e));
        }
    }

    private String createdAs() {
        return "partitions " + partitions.map(String::valueOf).orElse("(broker default)")
                + ", replication factor " + replicationFactor.map(String::valueOf).orElse("(broker default)");
    }
}
