package io.kafkabus.cloudstack.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.CaseInsensitiveValidString;
import org.apache.kafka.common.config.ConfigException;

/** Enum-valued keys are documented in lower case and accepted in any case. */
final class ConfigEnums {
    private ConfigEnums() {
    }

    /** A constant written in the properties file otherwise than its name in lower case. */
    interface Spelled {
        String configValue();
    }

    static String configValue(Enum<?> constant) {
        if (constant instanceof Spelled) {
            return ((Spelled) constant).configValue();
        }
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Kafka's {@link CaseInsensitiveValidString} check, described with the values as documented: Kafka's
     * own description upper-cases them in no fixed order.
     */
    static ConfigDef.Validator validator(Class<? extends Enum<?>> type) {
        String[] values = Arrays.stream(type.getEnumConstants()).map(ConfigEnums::configValue).toArray(String[]::new);
        ConfigDef.Validator check = CaseInsensitiveValidString.in(values);
        String described = "(case insensitive) [" + String.join(", ", values) + "]";
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                try {
                    check.ensureValid(name, value);
                } catch (ConfigException e) {
                    throw new ConfigException(name, value, "String must be one of " + described);
                }
            }

            @Override
            public String toString() {
                return described;
            }
        };
    }

    static <E extends Enum<E>> E fromConfigValue(Class<E> type, String value) {
        return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** A non-empty list, each entry checked as {@link #validator} checks one value. */
    static ConfigDef.Validator listValidator(Class<? extends Enum<?>> type) {
        ConfigDef.Validator each = validator(type);
        return new ConfigDef.Validator() {
            @Override
            @SuppressWarnings("unchecked")
            public void ensureValid(String name, Object value) {
                List<String> values = (List<String>) value;
                if (values.isEmpty()) {
                    throw new ConfigException(name, value, "must name at least one of " + each);
                }
                values.forEach(v -> each.ensureValid(name, v));
            }

            @Override
            public String toString() {
                return "comma-separated, each " + each;
            }
        };
    }

    static <E extends Enum<E>> List<E> fromConfigValues(Class<E> type, List<String> values) {
        return values.stream().map(v -> fromConfigValue(type, v)).collect(Collectors.toUnmodifiableList());
    }
}
