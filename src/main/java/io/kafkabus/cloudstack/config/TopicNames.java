package io.kafkabus.cloudstack.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/** Kafka's own rules for a topic name, as a {@link ConfigDef.Validator}. */
final class TopicNames {
    static final ConfigDef.Validator VALIDATOR = new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
            check(name, (String) value);
        }

        @Override
        public String toString() {
            return "a legal Kafka topic name";
        }
    };

    /** Empty (none), or a legal topic name. */
    static final ConfigDef.Validator OPTIONAL_VALIDATOR = new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
            if (!((String) value).isEmpty()) {
                check(name, (String) value);
            }
        }

        @Override
        public String toString() {
            return "empty, or a legal Kafka topic name";
        }
    };

    private TopicNames() {
    }

    static void check(String key, String topic) {
        try {
            Topic.validate(topic);
        } catch (InvalidTopicException e) {
            throw new ConfigException(key, topic, e.getMessage());
        }
    }
}
