package io.kafkabus.cloudstack.delivery;

import java.util.HashMap;
import java.util.Map;

import io.kafkabus.cloudstack.config.EventBusConfig;

/** Configurations of buses for the fast delivery tests: no broker listens, nothing reaches the disk. */
final class InMemoryBuses {
    private InMemoryBuses() {
    }

    /**
     * A bus at localhost:9 (where nothing listens), topic {@code events}, its spool in memory, no
     * summary lines, stop() waiting 1 s; then {@code keyValues}, which win over those.
     */
    static EventBusConfig config(String busName, String... keyValues) throws Exception {
        Map<String, String> properties = new HashMap<>(Map.of("bootstrap.servers", "localhost:9", "topic", "events",
                "spool.enabled", "false", "stats.log.interval.ms", "0", "stop.timeout.ms", "1000"));
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return EventBusConfig.parse(properties, "test", busName);
    }
}
