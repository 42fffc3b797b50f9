package io.kafkabus.cloudstack.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A list of {@code name:topic} pairs: {@code category.topics} (names are event categories) and
 * {@code type.topics} (names are event type patterns).
 */
final class TopicPairs {
    /** The event categories CloudStack publishes (its EventCategory names). */
    static final List<String> CATEGORIES = List.of("ActionEvent", "AlertEvent", "AsyncJobEvent", "ResourceStateEvent", "UsageEvent");

    static final TopicPairs BY_CATEGORY = new TopicPairs("Category:topic pairs; categories: " + String.join(", ", CATEGORIES),
            "AlertEvent:cloudstack-alerts", TopicPairs::category);
    static final TopicPairs BY_TYPE = new TopicPairs("TYPE:topic pairs; TYPE is an event type or a pattern of one (* and ?)",
            "VM.*:cloudstack-vm", Function.identity());

    private final String described;
    private final String example;
    /** The name as the bus keeps it; throws IllegalArgumentException, saying why, when it is not one. */
    private final Function<String, String> canonicalName;

    private TopicPairs(String described, String example, Function<String, String> canonicalName) {
        this.described = described;
        this.example = example;
        this.canonicalName = canonicalName;
    }

    final ConfigDef.Validator validator = new ConfigDef.Validator() {
        @Override
        @SuppressWarnings("unchecked")
        public void ensureValid(String key, Object value) {
            Map<String, String> seen = new LinkedHashMap<>();
            for (String pair : (List<String>) value) {
                int colon = pair.lastIndexOf(':');
                if (colon <= 0 || colon == pair.length() - 1) {
                    throw new ConfigException(key, pair, "expected " + described + ", e.g. " + example);
                }
                String name;
                try {
                    name = canonicalName.apply(pair.substring(0, colon).trim());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(key, pair, e.getMessage());
                }
                TopicNames.check(key, pair.substring(colon + 1).trim());
                if (seen.put(name, pair) != null) {
                    throw new ConfigException(key, pair, name + " is named twice");
                }
            }
        }

        @Override
        public String toString() {
            return "comma-separated " + described;
        }
    };

    /** Name to topic, in the order written, from pairs the validator accepted. */
    Map<String, String> parse(List<String> pairs) {
        Map<String, String> topics = new LinkedHashMap<>();
        for (String pair : pairs) {
            int colon = pair.lastIndexOf(':');
            topics.put(canonicalName.apply(pair.substring(0, colon).trim()), pair.substring(colon + 1).trim());
        }
        return Collections.unmodifiableMap(topics);
    }

    /** Category names are accepted in any case, as the other enumerated values are. */
    static String category(String written) {
        return CATEGORIES.stream().filter(written::equalsIgnoreCase).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "CloudStack has no event category " + written + "; its categories are " + String.join(", ", CATEGORIES)));
    }
}
