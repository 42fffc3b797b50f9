package io.kafkabus.cloudstack.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

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
            // A consumer knows interceptor.classes too, but the producer's interceptors are not consumer interceptors.
            if ((clientKeys.contains(key) || key.startsWith(CONFIG_PROVIDERS_PREFIX))
                    && !key.equals(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG)) {
                properties.put(key, value);
            }
        });
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG,
                producerProperties.get(CommonClientConfigs.CLIENT_ID_CONFIG) + "-" + clientIdSuffix);
        return properties;
    }

    /**
     * {@code properties} as a Kafka client is to be made with them: the {@code ${provider:...}}
     * references resolved now, by the config providers they name, and the standard Kafka class names
     * the providers gave (a login module in a {@code sasl.jaas.config} kept in a secrets file) mapped
     * onto the relocated client's, as the bus maps the names written in the properties file. Made
     * anew for each client, so that a rotated secret is read by the next one.
     */
    public static Map<String, Object> resolved(Map<String, Object> properties) {
        if (properties.values().stream().noneMatch(value -> value instanceof String && ((String) value).contains("${"))) {
            return properties;
        }
        Map<String, Object> resolved = new HashMap<>(new AbstractConfig(new ConfigDef(), properties, false).originals());
        resolved.replaceAll((key, value) -> value instanceof String && !value.equals(properties.get(key))
                ? ClassNames.relocate((String) value) : value);
        return resolved;
    }

    /**
     * A consumer reading the bus's records as bytes without ever committing (the command line's and
     * the subscribers' readers, which assign partitions and belong to no group).
     */
    public static Map<String, Object> byteReader(Map<String, Object> producerProperties, String clientIdSuffix) {
        Map<String, Object> properties = derived(producerProperties, ConsumerConfig.configNames(), clientIdSuffix);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return properties;
    }
}
