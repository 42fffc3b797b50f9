package io.kafkabus.cloudstack.routing;

import io.kafkabus.cloudstack.config.EventField;
import io.kafkabus.cloudstack.event.EventEnvelope;

/** Reads the event field a filter or a topic template names. */
final class EventFields {
    private EventFields() {
    }

    /** Null when the event has no such value. */
    static String value(EventField field, EventEnvelope envelope) {
        switch (field) {
            case CATEGORY:
                return envelope.category();
            case TYPE:
                return envelope.type();
            case STATUS:
                return envelope.status();
            case RESOURCE_TYPE:
                return envelope.resourceType();
            default:
                throw new IllegalArgumentException(field.name());
        }
    }
}
