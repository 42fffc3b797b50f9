package io.kafkabus.cloudstack.cli.check;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import io.kafkabus.cloudstack.config.ClientProperties;
import io.kafkabus.cloudstack.config.EventBusConfig;

/**
 * Settings of the check's Kafka clients: the bus's own brokers, security and producer settings
 * (so they connect exactly as the bus does), with every wait bounded, so that unreachable or silent
 * brokers cost seconds, not the client's default minutes.
 */
final class CheckClients {
    /** The longest one Kafka call of the check waits for its answer. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final String CLIENT_ID_SUFFIX = "check";
    private static final int REQUEST_TIMEOUT_MS = 4_000;

    private CheckClients() {
    }

    static Map<String, Object> admin(EventBusConfig config) {
        Map<String, Object> properties = ClientProperties.derived(config.producerProperties(), AdminClientConfig.configNames(),
                CLIENT_ID_SUFFIX);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
        bounded(properties);
        return ClientProperties.resolved(properties);
    }

    /** The bus's producer settings, as it sends; only its waits are bounded. */
    static Map<String, Object> producer(EventBusConfig config) {
        Map<String, Object> properties = new HashMap<>(config.producerProperties());
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, config.producerProperties().get(CommonClientConfigs.CLIENT_ID_CONFIG)
                + "-" + CLIENT_ID_SUFFIX);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, CALL_TIMEOUT.toMillis());
        long linger = Long.parseLong(String.valueOf(properties.get(ProducerConfig.LINGER_MS_CONFIG)).trim());
        // The producer insists on delivery.timeout.ms >= linger.ms + request.timeout.ms.
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, linger + CALL_TIMEOUT.toMillis()));
        bounded(properties);
        return ClientProperties.resolved(properties);
    }

    /** A consumer in no group: it reads what the check wrote, assigned to its partition, and commits nothing. */
    static Map<String, Object> consumer(EventBusConfig config) {
        Map<String, Object> properties = ClientProperties.byteReader(config.producerProperties(), CLIENT_ID_SUFFIX + "-reader");
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
        bounded(properties);
        return ClientProperties.resolved(properties);
    }

    private static void bounded(Map<String, Object> properties) {
        properties.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        properties.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, 2_000L);
        properties.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, 3_000L);
        properties.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500L);
    }
}
