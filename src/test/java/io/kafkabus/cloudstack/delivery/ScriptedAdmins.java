package io.kafkabus.cloudstack.delivery;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeConfigsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.internals.KafkaFutureImpl;

/**
 * Makes Kafka {@link Admin} clients whose topic creation answers as the test says. Kafka's own
 * MockAdminClient is in kafka-clients' test jar, which this build does not have; and Admin declares
 * a hundred methods, so each client is a proxy answering the three TopicCreator uses
 * (createTopics, describeConfigs, close). As Kafka's client does, closing one fails the calls it
 * has not answered.
 */
final class ScriptedAdmins implements Function<Map<String, Object>, Admin> {
    /** The properties each client was made with, in order. */
    private final List<Map<String, Object>> made = new ArrayList<>();
    private final List<NewTopic> createRequests = new ArrayList<>();
    private final List<String> describedTopics = new ArrayList<>();
    /** Calls not answered yet, failed at close. */
    private final List<KafkaFutureImpl<?>> waiting = new ArrayList<>();
    private int closed;
    /** Thrown by the next apply() calls, one each. */
    private final List<RuntimeException> makeFailures = new ArrayList<>();
    /** Given each topic to create: null to create it, an exception to fail with, {@link #NO_ANSWER} to wait for close. */
    private volatile Function<NewTopic, Throwable> createAnswer = topic -> null;
    private volatile String cleanupPolicy = TopicConfig.CLEANUP_POLICY_COMPACT;
    private volatile RuntimeException closeFailure;

    /** A create answer: Kafka never answers, as when it is away and the call's timeout is long. */
    static final Throwable NO_ANSWER = new Throwable("no answer");

    @Override
    public synchronized Admin apply(Map<String, Object> properties) {
        if (!makeFailures.isEmpty()) {
            throw makeFailures.remove(0);
        }
        made.add(new HashMap<>(properties));
        return (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "createTopics":
                            return createTopics(cast(args[0]));
                        case "describeConfigs":
                            return describeConfigs(cast(args[0]));
                        case "close":
                            close();
                            return null;
                        case "toString":
                            return "scripted admin client";
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            throw new UnsupportedOperationException("not used by the bus: " + method);
                    }
                });
    }

    @SuppressWarnings("unchecked")
    private static <T> Collection<T> cast(Object collection) {
        return (Collection<T>) collection;
    }

    private synchronized CreateTopicsResult createTopics(Collection<NewTopic> topics) {
        Map<String, KafkaFuture<CreateTopicsResult.TopicMetadataAndConfig>> futures = new HashMap<>();
        for (NewTopic topic : topics) {
            createRequests.add(topic);
            KafkaFutureImpl<CreateTopicsResult.TopicMetadataAndConfig> future = new KafkaFutureImpl<>();
            Throwable answer = createAnswer.apply(topic);
            if (answer == NO_ANSWER) {
                waiting.add(future);
            } else if (answer != null) {
                future.completeExceptionally(answer);
            } else {
                future.complete(null);
            }
            futures.put(topic.name(), future);
        }
        return new CreateTopicsResult(futures) { };
    }

    private synchronized DescribeConfigsResult describeConfigs(Collection<ConfigResource> resources) {
        Map<ConfigResource, KafkaFuture<Config>> futures = new HashMap<>();
        for (ConfigResource resource : resources) {
            describedTopics.add(resource.name());
            futures.put(resource, KafkaFuture.completedFuture(
                    new Config(List.of(new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy)))));
        }
        return new DescribeConfigsResult(futures) { };
    }

    private synchronized void close() {
        closed++;
        waiting.forEach(future -> future.completeExceptionally(new TimeoutException("The AdminClient thread has exited.")));
        waiting.clear();
        if (closeFailure != null) {
            throw closeFailure;
        }
    }

    void answerCreates(Function<NewTopic, Throwable> answer) {
        this.createAnswer = answer;
    }

    /** The cleanup.policy describeConfigs gives every topic. */
    void cleanupPolicy(String policy) {
        this.cleanupPolicy = policy;
    }

    synchronized void failNextMake(RuntimeException failure) {
        makeFailures.add(failure);
    }

    void failClose(RuntimeException failure) {
        this.closeFailure = failure;
    }

    synchronized List<Map<String, Object>> made() {
        return new ArrayList<>(made);
    }

    synchronized List<NewTopic> createRequests() {
        return new ArrayList<>(createRequests);
    }

    synchronized List<String> describedTopics() {
        return new ArrayList<>(describedTopics);
    }

    synchronized int closed() {
        return closed;
    }
}
