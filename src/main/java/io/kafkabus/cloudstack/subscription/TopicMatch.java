package io.kafkabus.cloudstack.subscription;

import org.apache.cloudstack.framework.events.Event;
import org.apache.cloudstack.framework.events.EventTopic;

/**
 * Which events an {@link EventTopic} selects, by the rules of CloudStack's in-memory bus, so that a
 * subscriber moved onto this bus receives what it received there: for each of source, category,
 * type, resource type and resource UUID, a null or empty value on either side stands for
 * {@code *}, {@code *} on either side matches anything, and otherwise the two must be equal
 * ignoring case, {@code .} and {@code -} counting as the same character. Immutable.
 */
final class TopicMatch {
    private static final String ANY = "*";

    /** Each field of the topic, normalized; null where it matches anything. */
    private final String source;
    private final String category;
    private final String type;
    private final String resourceType;
    private final String resourceUuid;

    TopicMatch(EventTopic topic) {
        this.source = normalized(topic.getEventSource());
        this.category = normalized(topic.getEventCategory());
        this.type = normalized(topic.getEventType());
        this.resourceType = normalized(topic.getResourceType());
        this.resourceUuid = normalized(topic.getResourceUUID());
    }

    boolean matches(Event event) {
        return field(source, event.getEventSource()) && field(category, event.getEventCategory())
                && field(type, event.getEventType()) && field(resourceType, event.getResourceType())
                && field(resourceUuid, event.getResourceUUID());
    }

    /** Null for a wildcard, else the value with {@code .} as {@code -}. */
    private static String normalized(String value) {
        if (value == null || value.isEmpty() || value.equals(ANY)) {
            return null;
        }
        return value.replace('.', '-');
    }

    private static boolean field(String wanted, String actual) {
        if (wanted == null) {
            return true;
        }
        String given = normalized(actual);
        return given == null || given.equalsIgnoreCase(wanted);
    }
}
