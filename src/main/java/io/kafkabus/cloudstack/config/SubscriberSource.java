package io.kafkabus.cloudstack.config;

/** Where the bus's in-process subscribers take their events from. */
public enum SubscriberSource {
    /** The events this management server publishes, handed over in memory as published. */
    LOCAL,
    /** The events every management server published, read back from the bus's own topics. */
    KAFKA;

    /** As written in the properties file. */
    @Override
    public String toString() {
        return ConfigEnums.configValue(this);
    }
}
