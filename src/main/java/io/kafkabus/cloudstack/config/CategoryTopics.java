package io.kafkabus.cloudstack.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** The {@code category.topics} list: {@code Category:topic} pairs. */
final class CategoryTopics {
    /** The event categories CloudStack publishes (its EventCategory names). */
    static final List<String> CATEGORIES = List.of("ActionEvent", "AlertEvent", "AsyncJobEvent", "ResourceStateEvent", "UsageEvent");

    static final ConfigDef.Validator VALIDATOR = new ConfigDef.Validator() {
        @Override
        @SuppressWarnings("unchecked")
        public void ensureValid(String name, Object value) {
            Map<String, String> seen = new LinkedHashMap<>();
            for (String pair : (List<String>) value) {
                int colon = pair.indexOf(':');
                if (colon <= 0 || colon == pair.length() - 1) {
                    throw new ConfigException(name, pair, "expected Category:topic, e.g. AlertEvent:cloudstack-alerts");
                }
                String written = pair.substring(0, colon).trim();
                String category = category(written).orElseThrow(() -> new ConfigException(name, pair,
                        "CloudStack has no event category " + written + "; its categories are " + String.join(", ", CATEGORIES)));
                TopicNames.check(name, pair.substring(colon + 1).trim());
                if (seen.put(category, pair) != null) {
                    throw new ConfigException(name, pair, "category " + category + " is named twice");
                }
            }
        }

        @Override
        public String toString() {
            return "comma-separated Category:topic pairs; categories: " + String.join(", ", CATEGORIES);
        }
    };

    private CategoryTopics() {
    }

    /** Category (as CloudStack spells it) to topic, from pairs the validator accepted. */
    static Map<String, String> parse(List<String> pairs) {
        Map<String, String> topics = new LinkedHashMap<>();
        for (String pair : pairs) {
            int colon = pair.indexOf(':');
            topics.put(category(pair.substring(0, colon).trim()).orElseThrow(), pair.substring(colon + 1).trim());
        }
        return Collections.unmodifiableMap(topics);
    }

    /** Category names are accepted in any case, as the other enumerated values are. */
    private static Optional<String> category(String written) {
        return CATEGORIES.stream().filter(written::equalsIgnoreCase).findFirst();
    }
}
