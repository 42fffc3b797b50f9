package io.kafkabus.cloudstack.config;

/** What a record's value holds. */
public enum ValueFormat {
    /** A JSON object describing the event, its description nested inside. */
    ENVELOPE,
    /** The event's description text alone: what the upstream Kafka bus sends. */
    DESCRIPTION;

    /** As written in the properties file. */
    @Override
    public String toString() {
        return ConfigEnums.configValue(this);
    }
}
