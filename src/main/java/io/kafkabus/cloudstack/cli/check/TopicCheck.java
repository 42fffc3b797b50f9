package io.kafkabus.cloudstack.cli.check;

import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.delivery.TopicCommands;

/**
 * Every topic the configuration can route to: does it exist, or will it be created (by the bus with
 * {@code topic.create}, or by the brokers on first use), and may the bus's principal write to it.
 * Topics made by {@code topic.template} depend on the events and cannot be listed.
 */
final class TopicCheck {
    /** What a topic's authorized operations are when the brokers allow everything (no authorizer, say). */
    private static final Set<AclOperation> EVERY_TOPIC_OPERATION = EnumSet.of(AclOperation.READ, AclOperation.WRITE,
            AclOperation.CREATE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE,
            AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
    private static final String AUTO_CREATE = "auto.create.topics.enable";

    private final EventBusConfig config;
    private final Findings findings;
    private final String principal;
    private final long timeoutMs = CheckClients.CALL_TIMEOUT.toMillis();

    /** @param user the SASL user the bus logs in as, null when unknown */
    TopicCheck(EventBusConfig config, Findings findings, String user) {
        this.config = config;
        this.findings = findings;
        this.principal = "User:" + (user == null ? "<the bus's principal>" : user);
    }

    /** The topics the configuration names, in the order the routing tries them, then state and dead letters. */
    static Set<String> routedTopics(EventBusConfig config) {
        Set<String> topics = new LinkedHashSet<>(config.typeTopics().values());
        topics.addAll(config.categoryTopics().values());
        if (config.topicTemplate() == null) {
            // With a template, every event type.topics and category.topics leave goes to a topic it makes, never to topic.
            topics.add(config.topic());
        }
        for (String optional : List.of(config.stateTopic(), config.deadLetterTopic())) {
            if (!optional.isEmpty()) {
                topics.add(optional);
            }
        }
        return topics;
    }

    /** @return the topics that do not exist (yet) */
    Set<String> run(Admin admin, Collection<Node> brokers) throws InterruptedException {
        Set<String> topics = routedTopics(config);
        findings.progress("looking up topics " + String.join(", ", topics));
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics,
                new DescribeTopicsOptions().includeAuthorizedOperations(true).timeoutMs((int) timeoutMs)).topicNameValues();
        AutoCreation autoCreation = new AutoCreation(admin, brokers);
        Set<String> missing = new LinkedHashSet<>();
        for (String topic : topics) {
            try {
                exists(described.get(topic).get(timeoutMs, TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    missing.add(topic);
                    missing(topic, autoCreation);
                } else if (e.getCause() instanceof TopicAuthorizationException) {
                    findings.add(Finding.problem("this principal may not see topic " + topic + " (no DESCRIBE right): grant it "
                            + "WRITE and DESCRIBE on the topic (" + TopicCommands.allowWrite(config, topic, principal) + ")"));
                } else {
                    findings.add(Finding.warn("topic " + topic + " cannot be checked: " + e.getCause()));
                }
            } catch (TimeoutException e) {
                findings.add(Finding.warn("topic " + topic + " cannot be checked: no answer within " + timeoutMs + " ms"));
            }
        }
        if (config.topicTemplate() != null) {
            template(autoCreation);
        }
        return missing;
    }

    private void exists(TopicDescription topic) {
        String found = "topic " + topic.name() + " exists (" + topic.partitions().size() + " partition(s))";
        Set<AclOperation> allowed = topic.authorizedOperations();
        if (allowed == null) {
            findings.add(Finding.ok(found + "; whether the bus may write to it cannot be asked (the brokers do not say)"));
        } else if (allowed.containsAll(EVERY_TOPIC_OPERATION)) {
            findings.add(Finding.ok(found + " and may be written: the brokers allow every operation (no authorizer, "
                    + "or one allowing everyone)"));
        } else if (allowed.contains(AclOperation.WRITE)) {
            findings.add(Finding.ok(found + " and the bus's principal may write to it"));
        } else {
            findings.add(Finding.problem(found + " but the bus's principal may not write to it: grant it WRITE on the topic ("
                    + TopicCommands.allowWrite(config, topic.name(), principal) + ")"));
        }
    }

    private void missing(String topic, AutoCreation autoCreation) throws InterruptedException {
        if (config.topicCreate()) {
            findings.add(Finding.ok("topic " + topic + " does not exist yet; the bus creates it before its first event ("
                    + EventBusConfig.TOPIC_CREATE + "=true; needs the CREATE right)"));
            return;
        }
        Boolean brokersCreate = autoCreation.enabled();
        if (Boolean.TRUE.equals(brokersCreate)) {
            findings.add(Finding.ok("topic " + topic + " does not exist yet; the brokers create it on first use ("
                    + AUTO_CREATE + "=true, with the brokers' default partitions and replicas)"));
        } else {
            String brokers = brokersCreate == null ? "the brokers' " + AUTO_CREATE + " cannot be read, so it may not be created"
                    : "the brokers do not create topics on first use";
            findings.add(Finding.problem("topic " + topic + " does not exist and " + brokers + ": create it ("
                    + TopicCommands.create(config, topic) + ") or set " + EventBusConfig.TOPIC_CREATE + "=true"));
        }
    }

    private void template(AutoCreation autoCreation) throws InterruptedException {
        String topics = "topics made by " + EventBusConfig.TOPIC_TEMPLATE + "=" + config.topicTemplate()
                + " depend on the events and cannot be listed";
        if (config.topicCreate()) {
            findings.add(Finding.ok(topics + "; the bus creates each before its first event (" + EventBusConfig.TOPIC_CREATE
                    + "=true; needs the CREATE right, a prefixed ACL covers them)"));
            return;
        }
        Boolean brokersCreate = autoCreation.enabled();
        if (Boolean.TRUE.equals(brokersCreate)) {
            findings.add(Finding.ok(topics + "; the brokers create each on first use (" + AUTO_CREATE + "=true)"));
        } else {
            findings.add(Finding.warn(topics + ", and " + (brokersCreate == null ? "whether the brokers create them on first "
                    + "use cannot be read" : "the brokers do not create them on first use") + ": create them before events "
                    + "need them, or set " + EventBusConfig.TOPIC_CREATE + "=true"));
        }
    }

    /** The brokers' {@code auto.create.topics.enable}, asked once, when a topic needs it (only without topic.create). */
    private final class AutoCreation {
        private final Admin admin;
        private final Collection<Node> brokers;
        private boolean asked;
        private Boolean enabled;

        AutoCreation(Admin admin, Collection<Node> brokers) {
            this.admin = admin;
            this.brokers = brokers;
        }

        /** Null when it cannot be read (no DESCRIBE_CONFIGS on the cluster, say). */
        Boolean enabled() throws InterruptedException {
            if (!asked && !brokers.isEmpty()) {
                asked = true;
                ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, brokers.iterator().next().idString());
                try {
                    Config settings = admin.describeConfigs(List.of(broker), new DescribeConfigsOptions().timeoutMs((int) timeoutMs))
                            .all().get(timeoutMs, TimeUnit.MILLISECONDS).get(broker);
                    ConfigEntry entry = settings == null ? null : settings.get(AUTO_CREATE);
                    enabled = entry == null || entry.value() == null ? null : Boolean.valueOf(entry.value());
                } catch (ExecutionException | TimeoutException e) {
                    enabled = null;
                }
            }
            return enabled;
        }
    }
}
