package io.kafkabus.cloudstack.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.AbstractConfig;

/**
 * Settings for a Kafka client other than the bus's producer (the topic creator's Admin client, the
 * command line's Admin and consumer), taken from the producer's: the same brokers, security and
 * config providers, so that they connect exactly as the bus does.
 */
public final class ClientProperties {
    private static final String CONFIG_PROVIDERS_PREFIX = AbstractConfig.CONFIG_PROVIDERS_CONFIG + ".";

    private ClientProperties() {
    }

    /**
     * The producer's settings that a client knowing {@code clientKeys} accepts (so that it logs no
     * "supplied but not used" line for the producer's own), with the client.id {@code <producer's>-<suffix>}.
     */
    public static Map<String, Object> derived(Map<String, Object> producerProperties, Set<String> clientKeys, String clientIdSuffix) {
        Map<String, Object> properties = new HashMap<>();
        producerProperties.forEach((key, value) -> {
            // The config.providers.<name>.* keys resolve the ${...} references a password may be written as.
            if (clientKeys.contains(key) || key.startsWith(CONFIG_PROVIDERS_PREFIX)) {
                properties.put(key, value);
            }
        });
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG,
                producerProperties.get(CommonClientConfigs.CLIENT_ID_CONFIG) + "-" + clientIdSuffix);
        return properties;
    }
}
