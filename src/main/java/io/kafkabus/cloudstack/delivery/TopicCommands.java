package io.kafkabus.cloudstack.delivery;

import java.util.stream.Collectors;

import io.kafkabus.cloudstack.config.EventBusConfig;

/**
 * The commands an operator runs to fix a topic, in the words of Kafka's own tools, for the bus's log
 * lines and the command line's {@code check}. Secured clusters add {@code --command-config}.
 */
public final class TopicCommands {
    private TopicCommands() {
    }

    /** Creates {@code topic} as {@code topic.create} would: its partitions and replicas, the state topic compacted. */
    public static String create(EventBusConfig config, String topic) {
        return "kafka-topics.sh --bootstrap-server " + servers(config) + " --create --if-not-exists --topic " + topic
                + (config.topicCreatePartitions() < 0 ? "" : " --partitions " + config.topicCreatePartitions())
                + (config.topicCreateReplicationFactor() < 0 ? "" : " --replication-factor " + config.topicCreateReplicationFactor())
                + (topic.equals(config.stateTopic()) ? " --config cleanup.policy=compact" : "");
    }

    /** Makes an existing {@code topic} compacted. */
    public static String compact(EventBusConfig config, String topic) {
        return "kafka-configs.sh --bootstrap-server " + servers(config) + " --alter --entity-type topics --entity-name "
                + topic + " --add-config cleanup.policy=compact";
    }

    /** Lets {@code principal} (e.g. {@code User:cloudstack}) send to {@code topic}. */
    public static String allowWrite(EventBusConfig config, String topic, String principal) {
        return "kafka-acls.sh --bootstrap-server " + servers(config) + " --add --allow-principal " + principal
                + " --operation Write --operation Describe --topic " + topic;
    }

    private static String servers(EventBusConfig config) {
        return config.bootstrapServers().stream().filter(server -> !server.isEmpty()).collect(Collectors.joining(","));
    }
}
