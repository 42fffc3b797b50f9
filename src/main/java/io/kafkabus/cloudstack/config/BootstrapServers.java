package io.kafkabus.cloudstack.config;

import java.util.List;
import java.util.Locale;

import javax.naming.ConfigurationException;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.utils.Utils;

/**
 * The form of {@code bootstrap.servers}: what can never connect fails start-up. Host names are not
 * resolved: a name that does not resolve yet may resolve later, and the producer retries it.
 */
final class BootstrapServers {
    private static final String KEY = ProducerConfig.BOOTSTRAP_SERVERS_CONFIG;
    /** Domains reserved for examples and invalid names (RFC 2606, RFC 6761): they never resolve. */
    private static final List<String> RESERVED_DOMAINS = List.of("example.com", "example.net", "example.org",
            "example", "invalid", "test");

    private BootstrapServers() {
    }

    static void check(List<String> servers, String source) throws ConfigurationException {
        String value = String.join(",", servers);
        for (String server : servers) {
            if (server.isEmpty()) {
                continue;
            }
            if (server.contains(";")) {
                throw EventBusConfig.invalidValue(source, KEY, value, "brokers are separated by ',' not ';'");
            }
            String host = Utils.getHost(server);
            Integer port = Utils.getPort(server);
            if (host == null || port == null) {
                throw EventBusConfig.invalidValue(source, KEY, value, server + " is not host:port (e.g. " + server + ":9092)");
            }
            if (port < 1 || port > 65535) {
                throw EventBusConfig.invalidValue(source, KEY, value, "port " + port + " of " + server + " is not between 1 and 65535");
            }
            if (reserved(host)) {
                throw EventBusConfig.invalidValue(source, KEY, value, host + " is an example name that never resolves "
                        + "(RFC 2606): set the host:port of your Kafka brokers");
            }
        }
    }

    private static boolean reserved(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        for (String domain : RESERVED_DOMAINS) {
            if (name.equals(domain) || name.endsWith("." + domain)) {
                return true;
            }
        }
        return false;
    }
}
