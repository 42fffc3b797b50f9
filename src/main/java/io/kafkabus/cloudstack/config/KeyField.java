package io.kafkabus.cloudstack.config;

/** A source of the record key, tried in the order {@code key.fields} lists them. */
public enum KeyField implements ConfigEnums.Spelled {
    /** The event's resource UUID. */
    RESOURCEUUID("resourceUuid"),
    /** The description's top-level {@code entityuuid} (ActionEvents). */
    ENTITYUUID("entityUuid"),
    /** The UUID of the account owning the resource (4.20+). */
    ACCOUNTUUID("accountUuid"),
    /** {@code category:type}, e.g. {@code AlertEvent:ALERT.MEMORY}: every event has one. */
    KIND("kind");

    private final String configValue;

    KeyField(String configValue) {
        this.configValue = configValue;
    }

    @Override
    public String configValue() {
        return configValue;
    }

    @Override
    public String toString() {
        return configValue;
    }
}
