package io.kafkabus.cloudstack.config;

import java.util.Arrays;
import java.util.Locale;

/** What a record's value holds. */
public enum ValueFormat {
    /** A JSON object describing the event, its description nested inside. */
    ENVELOPE,
    /** The event's description text alone: what the upstream Kafka bus sends. */
    DESCRIPTION;

    String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static String[] configValues() {
        return Arrays.stream(values()).map(ValueFormat::configValue).toArray(String[]::new);
    }

    static ValueFormat fromConfigValue(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
