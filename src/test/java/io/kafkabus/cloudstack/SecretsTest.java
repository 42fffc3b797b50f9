package io.kafkabus.cloudstack;

import static io.kafkabus.cloudstack.testing.Conditions.await;
import static io.kafkabus.cloudstack.testing.SecretSearch.leaks;
import static io.kafkabus.cloudstack.testing.SecretSearch.logged;
import static io.kafkabus.cloudstack.testing.SecretSearch.stackTrace;
import static io.kafkabus.cloudstack.testing.SecretSearch.visibleState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.naming.ConfigurationException;

import org.apache.cloudstack.framework.events.Event;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.config.PropertiesFile;
import io.kafkabus.cloudstack.testing.KafkaCluster;
import io.kafkabus.cloudstack.testing.LogCapture;
import io.kafkabus.cloudstack.testing.Ports;
import io.kafkabus.cloudstack.testing.SampleDescriptions;
import io.kafkabus.cloudstack.testing.TestBuses;

/**
 * A secured bus (SASL/PLAIN, key-store passwords, an async job's session key) run through
 * configure, start, publish, a wrong password, Kafka away and stop, with everything an operator or
 * a monitoring system can see captured: every log line (messages and stack traces), exceptions,
 * {@code toString()} and statistics, every JMX attribute of the bus and of its producer. None may
 * hold a secret.
 */
class SecretsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String KEY_STORE_PASSWORD = "ks-Secret-7391";
    private static final String TRUST_STORE_PASSWORD = "ts-Secret-2284";
    private static final String KEY_PASSWORD = "key-Secret-5120";
    private static final String WRONG_PASSWORD = "Wr0ng-Pass-8843";
    private static KafkaCluster sasl;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        sasl = KafkaCluster.startSaslPlain();
    }

    @AfterAll
    static void stopBroker() {
        sasl.close();
    }

    /** The secrets of a bus logging in with {@code password}: what must never be shown. */
    private static Map<String, String> secrets(String password) {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("password", password);
        secrets.put("sasl.jaas.config", KafkaCluster.saslPlainClient(password).get("sasl.jaas.config"));
        secrets.put("ssl.keystore.password", KEY_STORE_PASSWORD);
        secrets.put("ssl.truststore.password", TRUST_STORE_PASSWORD);
        secrets.put("ssl.key.password", KEY_PASSWORD);
        secrets.put("sessionkey", SampleDescriptions.SESSION_KEY);
        return secrets;
    }

    private String[] securedSettings(String password) {
        List<String> settings = new ArrayList<>(List.of("topic.create", "true", "stop.timeout.ms", "2000",
                // Not used by SASL_PLAINTEXT, but accepted: a file prepared for SASL_SSL holds them.
                "ssl.keystore.password", KEY_STORE_PASSWORD, "ssl.truststore.password", TRUST_STORE_PASSWORD,
                "ssl.key.password", KEY_PASSWORD));
        KafkaCluster.saslPlainClient(password).forEach((key, value) -> settings.addAll(List.of(key, value)));
        return settings.toArray(new String[0]);
    }

    @Test
    void aSecuredRunShowsNoSecretInLogsExceptionsStatisticsOrJmx() throws Exception {
        List<String> seen = new ArrayList<>();
        Map<String, String> secrets = secrets(KafkaCluster.SASL_PASSWORD);
        secrets.put("wrong password", WRONG_PASSWORD);
        secrets.put("wrong password's sasl.jaas.config", KafkaCluster.saslPlainClient(WRONG_PASSWORD).get("sasl.jaas.config"));
        // Every logger of the JVM at DEBUG, the broker's too: the root and those log4j2-test.xml sets.
        try (LogCapture logs = LogCapture.attach(Level.DEBUG, "", "io.kafkabus", "org.apache.kafka", "kafka")) {
            // Delivered through SASL: an async job's event carrying the UI's session key.
            Path file = TestBuses.writeProperties(dir.resolve("good"), sasl.bootstrapServers(), "secrets-good",
                    securedSettings(KafkaCluster.SASL_PASSWORD));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            KafkaEventBus good = TestBuses.configured("secretsGood", file.toString());
            seen.add(String.valueOf(EventBusConfig.read(file, "secretsGood").orElseThrow()));
            good.start();
            Event job = new Event("management-server", "AsyncJobEvent", "complete", "VirtualMachine", "vm-7");
            job.setDescription(SampleDescriptions.vpnUserAdded());
            good.publish(job);
            await(() -> good.statistics().delivered() == 1, WAIT, "the async job event delivered over SASL");
            seen.addAll(visibleState(good, "secretsGood"));
            good.stop();
            seen.addAll(visibleState(good, "secretsGood"));

            // Refused: the bus's own WARN says why, naming neither the password nor the JAAS text.
            KafkaEventBus refused = TestBuses.configured("secretsWrong", dir.resolve("wrong"), sasl.bootstrapServers(),
                    "secrets-wrong", securedSettings(WRONG_PASSWORD));
            refused.start();
            refused.publish(job);
            await(() -> logs.messages().stream().anyMatch(m -> m.startsWith("Kafka event bus secretsWrong: Kafka refused the bus's SASL credentials")),
                    WAIT, "the bus's WARN about the refused login");
            seen.addAll(visibleState(refused, "secretsWrong"));
            refused.stop();

            // Kafka away.
            KafkaEventBus away = TestBuses.configured("secretsAway", dir.resolve("away"), "127.0.0.1:" + Ports.closed(),
                    "secrets-away", securedSettings(KafkaCluster.SASL_PASSWORD));
            away.start();
            away.publish(job);
            await(() -> logs.messages().stream().anyMatch(m -> m.startsWith("Kafka event bus secretsAway: no Kafka broker is reachable")),
                    WAIT, "the bus's WARN about Kafka away");
            seen.addAll(visibleState(away, "secretsAway"));
            away.stop();

            // Files that can never work: the exceptions that stop start-up.
            seen.add(stackTrace(assertThrows(ConfigurationException.class, () -> TestBuses.configured("secretsBadJaas",
                    dir.resolve("bad-jaas"), sasl.bootstrapServers(), "secrets-bad", "security.protocol", "SASL_PLAINTEXT",
                    "sasl.mechanism", "PLAIN", "sasl.jaas.config", secrets.get("sasl.jaas.config").replace(" required", "")))));
            seen.add(stackTrace(assertThrows(ConfigurationException.class, () -> TestBuses.configured("secretsBadStore",
                    dir.resolve("bad-store"), sasl.bootstrapServers(), "secrets-bad", "security.protocol", "SSL",
                    "ssl.truststore.location", dir.resolve("missing.p12").toString(), "ssl.truststore.password", TRUST_STORE_PASSWORD,
                    "ssl.keystore.password", KEY_STORE_PASSWORD, "ssl.key.password", KEY_PASSWORD))));

            seen.addAll(logged(logs));
            // What was looked at: the file's permissions told, a secured producer's settings dumped.
            assertTrue(logs.messages().contains("Kafka event bus secretsGood: the properties file " + file + " holds secrets "
                    + "(sasl.jaas.config, ssl.key.password, ssl.keystore.password, ssl.truststore.password) and every user of this host "
                    + "can read it (mode rw-r--r--); make it readable by root and the management server's group only: chmod 640 "
                    + file + " && chown root:cloud " + file), logs.messages().toString());
            assertTrue(seen.stream().anyMatch(text -> text.contains("sasl.jaas.config = [hidden]")), "the producer's settings dump");
        }
        assertEquals(List.of(), leaks(seen, secrets));
    }

    @Test
    void aPropertiesFileOnlyItsOwnersMayReadDrawsNoWarning() throws Exception {
        Path file = TestBuses.writeProperties(dir, sasl.bootstrapServers(), "secrets-quiet", securedSettings(KafkaCluster.SASL_PASSWORD));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        try (LogCapture logs = LogCapture.attach(Level.WARN, "io.kafkabus.cloudstack")) {
            KafkaEventBus bus = TestBuses.configured("secretsQuiet", file.toString());
            bus.stop();
            assertEquals(List.of(), logs.messages());
        }
        assertTrue(PropertiesFile.find(file, null).orElseThrow().path().isPresent());
    }
}
