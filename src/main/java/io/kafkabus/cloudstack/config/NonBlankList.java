package io.kafkabus.cloudstack.config;

import java.util.List;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** A comma-separated list of names, none of them blank. */
final class NonBlankList {
    static final ConfigDef.Validator VALIDATOR = new ConfigDef.Validator() {
        @Override
        @SuppressWarnings("unchecked")
        public void ensureValid(String name, Object value) {
            for (String entry : (List<String>) value) {
                if (entry.isBlank()) {
                    throw new ConfigException(name, value, "holds an empty name (two commas in a row?)");
                }
            }
        }

        @Override
        public String toString() {
            return "comma-separated field names";
        }
    };

    private NonBlankList() {
    }
}
