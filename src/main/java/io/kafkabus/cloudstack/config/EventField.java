package io.kafkabus.cloudstack.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** An event field that filters match on and topic templates name. */
public enum EventField {
    CATEGORY("category"),
    TYPE("type"),
    /** The description's top-level {@code status}: an ActionEvent's Scheduled, Started, Completed or Created. */
    STATUS("status"),
    RESOURCE_TYPE("resourceType");

    /** As written in the properties file. */
    public final String configName;

    EventField(String configName) {
        this.configName = configName;
    }

    /** Accepted in any case. */
    static Optional<EventField> named(String written) {
        return Arrays.stream(values()).filter(f -> f.configName.equalsIgnoreCase(written)).findFirst();
    }

    static String names() {
        return Arrays.stream(values()).map(f -> f.configName).collect(Collectors.joining(", "));
    }
}
