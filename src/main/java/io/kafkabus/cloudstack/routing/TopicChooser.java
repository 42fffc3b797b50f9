package io.kafkabus.cloudstack.routing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.config.TopicTemplate;
import io.kafkabus.cloudstack.event.EventEnvelope;

/**
 * The topic of an event: the first {@code type.topics} pattern its type matches, else its
 * category's {@code category.topics} entry, else {@code topic.template} filled with its fields, else
 * {@code topic}.
 */
final class TopicChooser {
    /** Kafka's longest topic name. */
    static final int MAX_TOPIC_LENGTH = 249;
    /** Stands for a field the event does not have. */
    static final String MISSING_VALUE = "none";

    private final String defaultTopic;
    private final List<Map.Entry<Glob, String>> typeTopics;
    private final Map<String, String> categoryTopics;
    private final TopicTemplate template;

    TopicChooser(EventBusConfig config) {
        this(config.topic(), config.typeTopics(), config.categoryTopics(), config.topicTemplate());
    }

    TopicChooser(String defaultTopic, Map<String, String> typeTopics, Map<String, String> categoryTopics, TopicTemplate template) {
        this.defaultTopic = defaultTopic;
        this.typeTopics = typeTopics.entrySet().stream().map(e -> Map.entry(new Glob(e.getKey()), e.getValue()))
                .collect(Collectors.toUnmodifiableList());
        this.categoryTopics = categoryTopics;
        this.template = template;
    }

    String topicOf(EventEnvelope envelope) {
        for (Map.Entry<Glob, String> typeTopic : typeTopics) {
            if (typeTopic.getKey().matches(envelope.type())) {
                return typeTopic.getValue();
            }
        }
        String byCategory = envelope.category() == null ? null : categoryTopics.get(envelope.category());
        if (byCategory != null) {
            return byCategory;
        }
        return template == null ? defaultTopic : render(envelope);
    }

    private String render(EventEnvelope envelope) {
        StringBuilder topic = new StringBuilder(64);
        for (TopicTemplate.Part part : template.parts()) {
            topic.append(part.literal != null ? part.literal : legalValue(EventFields.value(part.field, envelope)));
        }
        return legalLength(topic.toString());
    }

    /**
     * A field's value as it goes into a topic name. Values made only of letters, digits, '.' and '-'
     * go in as they are. Any other character, '_' included (Kafka treats '.' and '_' as the same in
     * metric names, so 'a_b' and 'a.b' cannot both exist), becomes '-', and the value gets a suffix of
     * 8 hexadecimal digits of a checksum of its original text: two values that differ keep differing.
     */
    static String legalValue(String value) {
        if (value == null || value.isEmpty()) {
            return MISSING_VALUE;
        }
        boolean legal = true;
        for (int i = 0; i < value.length() && legal; i++) {
            legal = keptAsIs(value.charAt(i));
        }
        if (legal && !value.equals(".") && !value.equals("..")) {
            return value;
        }
        StringBuilder replaced = new StringBuilder(value.length() + 9);
        value.codePoints().forEach(c -> replaced.append(c < 128 && keptAsIs((char) c) ? (char) c : '-'));
        return replaced.append('-').append(checksum(value)).toString();
    }

    /** Over-long names keep their start and end with the checksum of the whole name. */
    static String legalLength(String topic) {
        if (topic.length() <= MAX_TOPIC_LENGTH) {
            return topic;
        }
        return topic.substring(0, MAX_TOPIC_LENGTH - 9) + '-' + checksum(topic);
    }

    private static boolean keptAsIs(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-');
    }

    private static String checksum(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }
}
