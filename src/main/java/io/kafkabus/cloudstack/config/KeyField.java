package io.kafkabus.cloudstack.config;

/** A source of the record key, tried in the order {@code key.fields} lists them. */
public enum KeyField {
    /** The event's resource UUID. */
    RESOURCEUUID,
    /** The description's top-level {@code entityuuid} (ActionEvents). */
    ENTITYUUID,
    /** The UUID of the account owning the resource (4.20+). */
    ACCOUNTUUID,
    /** {@code category:type}, e.g. {@code AlertEvent:ALERT.MEMORY}: every event has one. */
    KIND;

    @Override
    public String toString() {
        return ConfigEnums.configValue(this);
    }
}
