package io.kafkabus.cloudstack.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** A count for a topic the bus creates: -1 (the broker's default) or at least 1. */
final class BrokerDefault {
    static final ConfigDef.Validator VALIDATOR = new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
            long count = ((Number) value).longValue();
            if (count != -1 && count < 1) {
                throw new ConfigException(name, value, "must be -1 (the broker's default) or at least 1");
            }
        }

        @Override
        public String toString() {
            return "-1 (the broker's default) or at least 1";
        }
    };

    private BrokerDefault() {
    }
}
