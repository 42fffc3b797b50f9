package io.kafkabus.cloudstack.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * {@code topic.template}: literal text and {@code ${field}} placeholders, e.g.
 * {@code cloudstack.${category}.${type}}. Parsed into parts; rendering (and making the values legal
 * in a topic name) is the router's. Immutable.
 */
public final class TopicTemplate {
    static final ConfigDef.Validator VALIDATOR = new ConfigDef.Validator() {
        @Override
        public void ensureValid(String key, Object value) {
            if (!((String) value).isEmpty()) {
                parse(key, (String) value);
            }
        }

        @Override
        public String toString() {
            return "empty, or text legal in a topic name with ${field} placeholders; fields: " + EventField.names();
        }
    };

    /** Literal text, or the field whose value goes there. */
    public static final class Part {
        public final String literal;
        public final EventField field;

        private Part(String literal, EventField field) {
            this.literal = literal;
            this.field = field;
        }
    }

    private final List<Part> parts;
    private final String text;

    private TopicTemplate(List<Part> parts, String text) {
        this.parts = Collections.unmodifiableList(parts);
        this.text = text;
    }

    static TopicTemplate parse(String key, String template) {
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf("${", at);
            if (open < 0) {
                parts.add(literal(key, template, template.substring(at)));
                break;
            }
            if (open > at) {
                parts.add(literal(key, template, template.substring(at, open)));
            }
            int close = template.indexOf('}', open);
            if (close < 0) {
                throw new ConfigException(key, template, "a ${ is not closed by }");
            }
            String name = template.substring(open + 2, close);
            EventField field = EventField.named(name).orElseThrow(() -> new ConfigException(key, template,
                    "no event field '" + name + "'; templates may use ${" + String.join("}, ${", EventField.names().split(", ")) + "}"));
            parts.add(new Part(null, field));
            at = close + 1;
        }
        if (parts.stream().allMatch(p -> p.field == null)) {
            throw new ConfigException(key, template, "it has no ${field} placeholder; set topic instead");
        }
        return new TopicTemplate(parts, template);
    }

    private static Part literal(String key, String template, String text) {
        if (!text.chars().allMatch(TopicTemplate::legal)) {
            throw new ConfigException(key, template, "'" + text + "' holds a character a topic name cannot: only ASCII "
                    + "letters, digits, '.', '_' and '-' are legal");
        }
        return new Part(text, null);
    }

    /** A character Kafka accepts in a topic name. */
    public static boolean legal(int c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
    }

    public List<Part> parts() {
        return parts;
    }

    /** As written. */
    @Override
    public String toString() {
        return text;
    }
}
