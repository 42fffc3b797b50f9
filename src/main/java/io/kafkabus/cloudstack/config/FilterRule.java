package io.kafkabus.cloudstack.config;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * One rule of {@code filter.include} or {@code filter.exclude}: {@code field=pattern} conditions,
 * separated by spaces, that an event matches when it matches all of them. A pattern is a value or
 * a glob ({@code *} any characters, {@code ?} one), compared ignoring case. Immutable.
 */
public final class FilterRule {
    static final ConfigDef.Validator VALIDATOR = new ConfigDef.Validator() {
        @Override
        @SuppressWarnings("unchecked")
        public void ensureValid(String key, Object value) {
            for (String rule : (List<String>) value) {
                parse(key, rule);
            }
        }

        @Override
        public String toString() {
            return "comma-separated rules, each one or more field=pattern separated by spaces; fields: " + EventField.names()
                    + "; patterns may use * and ?";
        }
    };

    private final Map<EventField, String> patterns;
    private final String text;

    private FilterRule(Map<EventField, String> patterns, String text) {
        this.patterns = Collections.unmodifiableMap(patterns);
        this.text = text;
    }

    static FilterRule parse(String key, String rule) {
        Map<EventField, String> patterns = new EnumMap<>(EventField.class);
        for (String condition : rule.trim().split("\\s+")) {
            int equals = condition.indexOf('=');
            if (equals <= 0 || equals == condition.length() - 1) {
                throw new ConfigException(key, rule, "expected field=pattern, e.g. category=ActionEvent status=Completed");
            }
            String name = condition.substring(0, equals);
            EventField field = EventField.named(name).orElseThrow(() -> new ConfigException(key, rule,
                    "no event field " + name + "; filters match on " + EventField.names()));
            if (patterns.put(field, condition.substring(equals + 1)) != null) {
                throw new ConfigException(key, rule, field.configName + " is named twice in one rule");
            }
        }
        return new FilterRule(patterns, rule.trim());
    }

    static List<FilterRule> parseAll(String key, List<String> rules) {
        return rules.stream().map(rule -> parse(key, rule)).collect(Collectors.toUnmodifiableList());
    }

    /** Field to pattern; an event matches the rule when it matches every one. */
    public Map<EventField, String> patterns() {
        return patterns;
    }

    /** As written. */
    @Override
    public String toString() {
        return text;
    }
}
