package io.kafkabus.cloudstack.routing;

import java.util.List;

import io.kafkabus.cloudstack.config.KeyField;
import io.kafkabus.cloudstack.event.EventEnvelope;

/**
 * The record key, from the first of {@code key.fields} the event has: one resource's events share a
 * key, so they land in one partition, in order.
 */
final class KeyChooser {
    private final KeyField[] fields;

    KeyChooser(List<KeyField> fields) {
        this.fields = fields.toArray(new KeyField[0]);
    }

    /** Null when the event has none of them. */
    String keyOf(EventEnvelope envelope) {
        for (KeyField field : fields) {
            String key = value(field, envelope);
            if (key != null && !key.isBlank()) {
                return key;
            }
        }
        return null;
    }

    private static String value(KeyField field, EventEnvelope envelope) {
        switch (field) {
            case RESOURCEUUID:
                return envelope.resourceUuid();
            case ENTITYUUID:
                return envelope.entityUuid();
            case ACCOUNTUUID:
                return envelope.accountUuid();
            case KIND:
                // Events of one kind without a resource (alerts) stay in order among themselves.
                return envelope.category() == null && envelope.type() == null ? null : envelope.category() + ":" + envelope.type();
            default:
                throw new IllegalArgumentException(field.name());
        }
    }
}
