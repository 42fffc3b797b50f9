package io.kafkabus.cloudstack.config;

/** What a record's value holds. */
public enum ValueFormat {
    /** A JSON object describing the event, its description nested inside. */
    ENVELOPE,
    /** The event's description text alone: what the upstream Kafka bus sends. */
    DESCRIPTION,
    /** CloudEvents 1.0, Kafka binding, binary mode: the envelope as data, attributes in ce_* headers. */
    CLOUDEVENTS_BINARY,
    /** CloudEvents 1.0, Kafka binding, structured mode: one application/cloudevents+json object, the envelope as data. */
    CLOUDEVENTS_STRUCTURED;

    /** As written in the properties file. */
    @Override
    public String toString() {
        return ConfigEnums.configValue(this);
    }
}
