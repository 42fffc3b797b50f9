package io.kafkabus.cloudstack.cli.check;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.security.auth.login.AppConfigurationEntry;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.delivery.BrokerProbe;
import io.kafkabus.cloudstack.delivery.Diagnosis;

/**
 * Are the brokers there, and do they let the bus in: each address of {@code bootstrap.servers}
 * resolved and connected to ({@link BrokerProbe}), then one Admin call, which completes the TLS and
 * SASL handshakes as the producer's connections do. Failures in {@link Diagnosis}'s words, the bus's own.
 */
final class BrokerCheck {
    /** How long one address may take to accept a TCP connection. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final EventBusConfig config;
    private final Findings findings;

    BrokerCheck(EventBusConfig config, Findings findings) {
        this.config = config;
        this.findings = findings;
    }

    /** True when at least one address accepts connections; each unreachable one is a finding. */
    boolean reachable() {
        findings.progress("resolving and connecting to bootstrap.servers " + String.join(",", config.bootstrapServers()));
        List<BrokerProbe.Outcome> outcomes = probe(config).probe();
        boolean any = outcomes.stream().anyMatch(outcome -> outcome.reachable);
        for (BrokerProbe.Outcome outcome : outcomes) {
            if (outcome.reachable) {
                findings.add(Finding.ok("broker address " + outcome));
            } else {
                String fix = outcome.result.equals(BrokerProbe.UNKNOWN_HOST)
                        ? "the host name does not resolve: fix it in bootstrap.servers, or DNS"
                        : "is the broker running, the port right, a firewall in the way?";
                findings.add(any ? Finding.warn("broker address " + outcome + ": " + fix + " (the bus uses the other addresses)")
                        : Finding.problem("broker address " + outcome + ": no Kafka broker is reachable; " + fix));
            }
        }
        return any;
    }

    /**
     * Logs in as the bus would and asks for the cluster's brokers.
     *
     * @return the brokers, empty when the cluster did not answer or refused the bus (a finding says why)
     */
    Collection<Node> connect(Admin admin) throws InterruptedException {
        findings.progress("connecting to the Kafka cluster as the bus does (" + login() + ")");
        long timeoutMs = CheckClients.CALL_TIMEOUT.toMillis();
        try {
            DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs));
            Collection<Node> nodes = cluster.nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
            String clusterId = cluster.clusterId().get(timeoutMs, TimeUnit.MILLISECONDS);
            findings.add(Finding.ok("connected to Kafka cluster " + clusterId + " (" + nodes.size() + " broker(s)) with "
                    + login()));
            return nodes;
        } catch (ExecutionException e) {
            failed(e.getCause());
        } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            findings.add(Finding.problem(Diagnosis.NO_METADATA + ": no answer within " + timeoutMs + " ms"));
        } catch (KafkaException e) {
            failed(e);
        }
        return List.of();
    }

    private void failed(Throwable error) {
        if (error instanceof org.apache.kafka.common.errors.TimeoutException) {
            findings.add(Finding.problem(Diagnosis.NO_METADATA + ": " + error.getMessage()));
            return;
        }
        // Diagnosis names the cause (TLS, SASL, rights); the login says which mechanism and user, never the password.
        Diagnosis.Explanation why = new Diagnosis(probe(config)).ofTransient(error);
        findings.add(Finding.problem(why.sentence + ": " + login() + "; " + why.detail));
    }

    /** Each address of {@code bootstrap.servers}, probed within {@link #PROBE_TIMEOUT}: for every diagnosis of the check. */
    static BrokerProbe probe(EventBusConfig config) {
        return new BrokerProbe(config.bootstrapServers(), PROBE_TIMEOUT);
    }

    /** How the bus logs in: protocol, and with SASL the mechanism and user. No secret. */
    String login() {
        Map<String, Object> producer = config.producerProperties();
        String protocol = String.valueOf(producer.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                CommonClientConfigs.DEFAULT_SECURITY_PROTOCOL)).trim();
        if (!protocol.toUpperCase(Locale.ROOT).startsWith("SASL")) {
            return CommonClientConfigs.SECURITY_PROTOCOL_CONFIG + "=" + protocol;
        }
        String mechanism = String.valueOf(producer.getOrDefault(SaslConfigs.SASL_MECHANISM, SaslConfigs.DEFAULT_SASL_MECHANISM)).trim();
        String user = user(producer.get(SaslConfigs.SASL_JAAS_CONFIG));
        return CommonClientConfigs.SECURITY_PROTOCOL_CONFIG + "=" + protocol + ", " + SaslConfigs.SASL_MECHANISM + "=" + mechanism
                + (user == null ? "" : ", user " + user);
    }

    /** The {@code username} option of the JAAS text, parsed by Kafka's own parser; null when there is none. */
    static String user(Object jaasConfig) {
        if (jaasConfig == null) {
            return null;
        }
        Password text = jaasConfig instanceof Password ? (Password) jaasConfig : new Password(String.valueOf(jaasConfig));
        try {
            for (AppConfigurationEntry entry : JaasContext.loadClientContext(Map.of(SaslConfigs.SASL_JAAS_CONFIG, text))
                    .configurationEntries()) {
                Object user = entry.getOptions().get("username");
                if (user != null) {
                    return String.valueOf(user);
                }
            }
        } catch (IllegalArgumentException | KafkaException e) {
            // The configuration check parsed it already; a text it accepted but this cannot read names no user.
        }
        return null;
    }
}
