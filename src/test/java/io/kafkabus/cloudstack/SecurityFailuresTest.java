package io.kafkabus.cloudstack;

import static io.kafkabus.cloudstack.testing.Conditions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.management.JMException;
import javax.management.ObjectName;

import org.apache.cloudstack.framework.events.EventBusException;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.metrics.BusMetrics;
import io.kafkabus.cloudstack.testing.Delivered;
import io.kafkabus.cloudstack.testing.KafkaTopics;
import io.kafkabus.cloudstack.testing.LogCapture;
import io.kafkabus.cloudstack.testing.SecureBroker;
import io.kafkabus.cloudstack.testing.TestBuses;
import io.kafkabus.cloudstack.testing.TestPki;
import io.kafkabus.cloudstack.testing.TokenEndpoint;

/**
 * Security failures against a real broker: each gives the operator one WARN naming its cause, the
 * events wait in the spool, and delivery resumes by itself once the cause is fixed on Kafka's side
 * (password set on the broker, broker certificate replaced, token endpoint back) or in the bus's
 * secrets file read through a config provider (a rotated password), with no secret in anything
 * logged meanwhile.
 */
class SecurityFailuresTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int EVENTS = 3;
    private static final String RETRIED = "; events wait in the spool and are retried: ";
    private static final String UNTRUSTED = "UNTRUSTED";
    private static final String WRONG_HOST = "WRONG_HOST";
    private static final String EXPIRED = "EXPIRED";
    private static final String SCRAM_USER = "msk-user";
    private static final String OLD_PASSWORD = "old-scram-secret-66f1";
    private static final String NEW_PASSWORD = "new-scram-secret-0c3b";
    private static final String ROTATED_USER = "strimzi-user";
    private static final String FIRST_PASSWORD = "first-scram-secret-91d4";
    private static final String SECOND_PASSWORD = "second-scram-secret-5ab0";
    private static final String OAUTH_CLIENT = "oauth-client";
    private static final String OAUTH_SECRET = "oauth-secret-e2a9";

    @TempDir
    static Path shared;
    @TempDir
    Path dir;
    private static TestPki authority;
    private static TokenEndpoint oauth;
    private static SecureBroker broker;
    private static String allowedUrlsBefore;
    private final List<KafkaEventBus> buses = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        authority = TestPki.authority("Failures CA");
        oauth = TokenEndpoint.start(OAUTH_CLIENT, OAUTH_SECRET);
        allowedUrlsBefore = System.setProperty(SecurityModesTest.ALLOWED_URLS, oauth.allowedUrls());
        Instant now = Instant.now();
        Map<String, Path> listeners = new LinkedHashMap<>();
        listeners.put(UNTRUSTED, TestPki.authority("Some other CA").issue("broker", "localhost", "127.0.0.1")
                .keyStore(shared.resolve("untrusted.p12"), SecureBroker.STORE_PASSWORD));
        listeners.put(WRONG_HOST, authority.issue("broker", "kafka.example.net")
                .keyStore(shared.resolve("wrong-host.p12"), SecureBroker.STORE_PASSWORD));
        listeners.put(EXPIRED, authority.issue("broker", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)),
                "localhost", "127.0.0.1").keyStore(shared.resolve("expired.p12"), SecureBroker.STORE_PASSWORD));
        broker = SecureBroker.start(shared.resolve("broker"), authority, oauth, listeners);
    }

    @AfterEach
    void stopBuses() {
        buses.forEach(KafkaEventBus::stop);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
        if (allowedUrlsBefore == null) {
            System.clearProperty(SecurityModesTest.ALLOWED_URLS);
        } else {
            System.setProperty(SecurityModesTest.ALLOWED_URLS, allowedUrlsBefore);
        }
        oauth.close();
    }

    @Test
    void aWrongScramPasswordIsNamedAndDeliveryResumesOnceTheBrokerHasTheBusPassword() throws Exception {
        // The operator rotated the password in the bus's file before the cluster: the broker still has the old one.
        broker.setScramPassword(ScramMechanism.SCRAM_SHA_512, SCRAM_USER, OLD_PASSWORD);
        try (LogCapture log = LogCapture.attach(Level.INFO, "io.kafkabus.cloudstack", "org.apache.kafka")) {
            BusRun run = new BusRun("scramBus", SecureBroker.SASL_TLS,
                    "security.protocol", "SASL_SSL",
                    "sasl.mechanism", "SCRAM-SHA-512",
                    "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                            + SCRAM_USER + "\" password=\"" + NEW_PASSWORD + "\";",
                    "ssl.truststore.location", broker.trustStore().toString(),
                    "ssl.truststore.password", SecureBroker.STORE_PASSWORD);
            run.awaitWarning(log, "Kafka event bus scramBus: Kafka refused the bus's SASL credentials (check sasl.mechanism and "
                    + "the user and password in sasl.jaas.config)" + RETRIED + "SaslAuthenticationException: Authentication "
                    + "failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512");
            broker.setScramPassword(ScramMechanism.SCRAM_SHA_512, SCRAM_USER, NEW_PASSWORD);
            run.awaitDelivered();
            assertNoSecret(log, OLD_PASSWORD, NEW_PASSWORD, SecureBroker.STORE_PASSWORD);
        }
    }

    @Test
    void untrustedWrongHostAndExpiredCertificatesAreEachNamedAndDeliveryResumesOnceTheBrokerHasAValidCertificate()
            throws Exception {
        try (LogCapture log = LogCapture.attach(Level.INFO, "io.kafkabus.cloudstack", "org.apache.kafka")) {
            Map<String, String> expected = Map.of(
                    UNTRUSTED, "Kafka's certificate is not signed by a CA the bus trusts (put the CA that signed the brokers' "
                            + "certificates in ssl.truststore.location or ssl.truststore.certificates)" + RETRIED
                            + "SslAuthenticationException: SSL handshake failed (cause: SunCertPathBuilderException: unable to "
                            + "find valid certification path to requested target)",
                    WRONG_HOST, "Kafka's certificate is not for the host name the bus connects to (use in bootstrap.servers, "
                            + "and in the brokers' advertised.listeners, names their certificates are for)" + RETRIED
                            + "SslAuthenticationException: SSL handshake failed (cause: CertificateException: No subject "
                            + "alternative names matching IP address 127.0.0.1 found)",
                    EXPIRED, "Kafka's certificate has expired or is not valid yet (renew the brokers' certificates, and check "
                            + "the clocks)" + RETRIED + "SslAuthenticationException: SSL handshake failed (cause: "
                            + "CertificateExpiredException: NotAfter: ");
            List<BusRun> runs = new ArrayList<>();
            for (String listener : List.of(UNTRUSTED, WRONG_HOST, EXPIRED)) {
                BusRun run = new BusRun(listener.toLowerCase() + "Bus", listener,
                        "security.protocol", "SSL",
                        "ssl.truststore.location", broker.trustStore().toString(),
                        "ssl.truststore.password", SecureBroker.STORE_PASSWORD);
                run.awaitWarning(log, "Kafka event bus " + run.name + ": " + expected.get(listener));
                runs.add(run);
            }
            // The broker's certificates replaced by valid ones, and the broker restarted: the buses carry on by themselves.
            Path valid = authority.issue("broker", "localhost", "127.0.0.1").keyStore(shared.resolve("valid.p12"),
                    SecureBroker.STORE_PASSWORD);
            for (String store : List.of("untrusted.p12", "wrong-host.p12", "expired.p12")) {
                Files.copy(valid, shared.resolve(store), StandardCopyOption.REPLACE_EXISTING);
            }
            broker.restart();
            for (BusRun run : runs) {
                run.awaitDelivered();
            }
            assertNoSecret(log, SecureBroker.STORE_PASSWORD);
        }
    }

    @Test
    void anOAuthTokenEndpointThatIsDownIsNamedAndDeliveryResumesOnceItIsBack() throws Exception {
        oauth.stop();
        try (LogCapture log = LogCapture.attach(Level.INFO, "io.kafkabus.cloudstack", "org.apache.kafka")) {
            BusRun run = new BusRun("oauthBus", SecureBroker.SASL_TLS, oauthClient());
            run.awaitWarning(log, "Kafka event bus oauthBus: the bus got no OAuth token from its token endpoint (is "
                    + "sasl.oauthbearer.token.endpoint.url up and reachable from the management server, and are the client id "
                    + "and secret right?); the producer is made again later: sasl.oauthbearer.token.endpoint.url "
                    + oauth.tokenUrl() + "; KafkaException: Failed to construct kafka producer (cause: LoginException: "
                    + "org.apache.kafka.common.KafkaException: java.net.ConnectException: Connection refused)");
            oauth.startServing();
            run.awaitDelivered();
            assertNoSecret(log, OAUTH_SECRET, SecureBroker.STORE_PASSWORD);
        } finally {
            oauth.startServing();
        }
    }

    @Test
    void aScramPasswordRotatedThroughAConfigProviderIsReadByTheNextProducerWithoutRestartingTheBus() throws Exception {
        broker.setScramPassword(ScramMechanism.SCRAM_SHA_512, ROTATED_USER, FIRST_PASSWORD);
        Path secrets = writeSecret(dir.resolve("secrets.properties"), FIRST_PASSWORD);
        try (LogCapture log = LogCapture.attach(Level.INFO, "io.kafkabus.cloudstack", "org.apache.kafka")) {
            BusRun run = new BusRun("rotatedBus", SecureBroker.SASL_TLS,
                    "security.protocol", "SASL_SSL",
                    "sasl.mechanism", "SCRAM-SHA-512",
                    "config.providers", "file",
                    "config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider",
                    "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                            + ROTATED_USER + "\" password=\"${file:" + secrets + ":password}\";",
                    // Closes the connection logged in with the first password soon, as a broker restart or network blip would.
                    "connections.max.idle.ms", "1000",
                    // The client checks for idle connections when its poll ends, at the latest after request.timeout.ms.
                    "request.timeout.ms", "2000",
                    "client.id", "rotated-bus",
                    "ssl.truststore.location", broker.trustStore().toString(),
                    "ssl.truststore.password", SecureBroker.STORE_PASSWORD);
            run.awaitDelivered();

            // The rotation starts at the cluster; the bus's next connection is refused.
            broker.setScramPassword(ScramMechanism.SCRAM_SHA_512, ROTATED_USER, SECOND_PASSWORD);
            ObjectName producerMetrics = new ObjectName("kafka.producer:type=producer-metrics,client-id=rotated-bus");
            await(() -> ((Number) jmx(producerMetrics, "connection-count")).intValue() == 0, WAIT,
                    "the connection made with the first password closed");
            run.publish(EVENTS);
            run.awaitWarning(log, "Kafka event bus rotatedBus: Kafka refused the bus's SASL credentials (check sasl.mechanism and "
                    + "the user and password in sasl.jaas.config)" + RETRIED + "SaslAuthenticationException: Authentication "
                    + "failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512");
            // Each producer's failure is the bus's latest problem again: three distinct times, three producers.
            ObjectName busMetrics = BusMetrics.objectName("rotatedBus");
            Set<Object> failedLogins = new HashSet<>();
            await(() -> failedLogins.add(jmx(busMetrics, "LastErrorEpochMs")) && failedLogins.size() >= 3,
                    WAIT, "three producers tried the first password");

            // The operator writes the new password into the secrets file: no restart, no configure().
            writeSecret(secrets, SECOND_PASSWORD);
            run.awaitDelivered();
            assertEquals(1, run.warnings(log).size(), "one line for the whole outage: " + run.warnings(log));
            assertNoSecret(log, FIRST_PASSWORD, SECOND_PASSWORD, SecureBroker.STORE_PASSWORD);
        }
    }

    /**
     * The token endpoint goes down after the bus logged in, and its token expires: the broker (which,
     * as Confluent Cloud does, ends a session when its token expires) refuses the expired token, the
     * events wait, and once the endpoint is back the client's own refresher (every 10 s) gets a new
     * token and the producer delivers. The operator is told by the client's lines (the refresh
     * failure, then {@code failed authentication due to: {"status":"invalid_token"}}); the bus's own
     * WARN comes only if a later send() meets the failure, which depends on timing (the producer
     * retries the batch it holds, and no send fails), so it is not asserted here.
     */
    @Test
    void anOAuthTokenThatCannotBeRefreshedKeepsTheEventsAndDeliveryResumesOnceTheEndpointIsBack() throws Exception {
        oauth.tokenLifetime(Duration.ofSeconds(3));
        try (LogCapture log = LogCapture.attach(Level.INFO, "io.kafkabus.cloudstack", "org.apache.kafka")) {
            BusRun run = new BusRun("refreshBus", SecureBroker.SASL_TLS, oauthClient(
                    // Refresh at half the token's life, however short.
                    "sasl.login.refresh.window.factor", "0.5",
                    "sasl.login.refresh.window.jitter", "0",
                    "sasl.login.refresh.min.period.seconds", "0",
                    "sasl.login.refresh.buffer.seconds", "0"));
            run.awaitDelivered();
            int tokens = oauth.issued.size();

            oauth.stop();
            Instant expiry = oauth.lastExpiry();
            await(() -> Instant.now().isAfter(expiry), WAIT, "the bus's last token expired");
            run.publish(EVENTS);
            String refused = "failed authentication due to: {\"status\":\"invalid_token\"}";
            await(() -> log.events.stream().anyMatch(e -> e.getLoggerName().equals("org.apache.kafka.clients.NetworkClient")
                    && e.getMessage().getFormattedMessage().endsWith(refused)), WAIT, "the broker refused the expired token");
            assertEquals(EVENTS, run.bus.statistics().pending(), run.bus.statistics().toString());

            oauth.startServing();
            run.awaitDelivered();
            assertTrue(oauth.issued.size() > tokens, "a new token fetched");
            assertNoSecret(log, OAUTH_SECRET, SecureBroker.STORE_PASSWORD);
        } finally {
            oauth.tokenLifetime(Duration.ofHours(1));
            oauth.startServing();
        }
    }

    /** {@code password=<password>} in {@code file}, readable by its owner only, replaced whole as an operator's tool would. */
    private static Path writeSecret(Path file, String password) throws IOException {
        Path written = Files.writeString(file.resolveSibling(file.getFileName() + ".new"), "password=" + password + "\n");
        if (Files.getFileStore(written).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
        }
        return Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** An attribute as JMX shows it. */
    private static Object jmx(ObjectName name, String attribute) {
        try {
            return ManagementFactory.getPlatformMBeanServer().getAttribute(name, attribute);
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A bus logging in with OAuth client credentials at the test's token endpoint, over TLS, retrying
     * its login for a second at most, with {@code more} settings.
     */
    private static String[] oauthClient(String... more) {
        List<String> settings = new ArrayList<>(List.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "OAUTHBEARER",
                "sasl.login.callback.handler.class", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler",
                "sasl.oauthbearer.token.endpoint.url", oauth.tokenUrl(),
                "sasl.oauthbearer.client.credentials.client.id", OAUTH_CLIENT,
                "sasl.oauthbearer.client.credentials.client.secret", OAUTH_SECRET,
                "sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;",
                "sasl.login.retry.backoff.max.ms", "1000",
                "ssl.truststore.location", broker.trustStore().toString(),
                "ssl.truststore.password", SecureBroker.STORE_PASSWORD));
        settings.addAll(List.of(more));
        return settings.toArray(new String[0]);
    }

    /** A bus publishing {@link #EVENTS} events through one listener, from a properties file of {@code settings}. */
    private final class BusRun {
        final String name;
        final String topic = "secure-" + UUID.randomUUID();
        final KafkaEventBus bus;
        private int published;
        private long deliveredBefore;

        BusRun(String name, String listener, String... settings) throws Exception {
            this.name = name;
            broker.createTopic(topic);
            Path file = TestBuses.writeProperties(dir.resolve(name), broker.bootstrapServers(listener), topic, settings);
            bus = TestBuses.configured(name, file.toString());
            buses.add(bus);
            bus.start();
            publish(EVENTS);
        }

        /** Publishes {@code count} more numbered events, on two resources (keys). */
        void publish(int count) throws EventBusException {
            deliveredBefore = bus.statistics().delivered();
            for (int n = published; n < published + count; n++) {
                bus.publish(TestBuses.numbered(n, 2));
            }
            published += count;
        }

        /** One WARN of this bus, starting with {@code prefix}, and the events still waiting. */
        void awaitWarning(LogCapture log, String prefix) throws InterruptedException {
            await(() -> warnings(log).stream().anyMatch(m -> m.startsWith(prefix)), WAIT, prefix);
            List<String> own = warnings(log);
            assertEquals(1, own.size(), "one line for the one cause: " + own);
            assertEquals(published - deliveredBefore, bus.statistics().pending(), bus.statistics().toString());
            assertEquals(deliveredBefore, bus.statistics().delivered());
        }

        List<String> warnings(LogCapture log) {
            return log.events.stream().filter(e -> e.getLevel().isMoreSpecificThan(Level.WARN))
                    .filter(e -> e.getLoggerName().startsWith("io.kafkabus.cloudstack"))
                    .map(e -> e.getMessage().getFormattedMessage())
                    .filter(m -> m.startsWith("Kafka event bus " + name + ":")).collect(Collectors.toList());
        }

        void awaitDelivered() throws InterruptedException {
            await(() -> bus.statistics().pending() == 0, WAIT, name + " delivers");
            Delivered delivered = new Delivered(KafkaTopics.consume(Map.of("bootstrap.servers",
                    broker.bootstrapServers(SecureBroker.INTERNAL)), topic, published, WAIT));
            assertEquals(Set.of(), delivered.missingOf(published));
            assertEquals(0, delivered.duplicates(), "each event once");
            assertEquals(List.of(), delivered.keysOutOfOrder());
        }
    }

    /** Nothing logged, by the bus or the client, messages and stack traces alike, holds any of {@code secrets}. */
    private static void assertNoSecret(LogCapture log, String... secrets) {
        for (LogEvent event : log.events) {
            StringWriter text = new StringWriter().append(event.getMessage().getFormattedMessage());
            if (event.getThrown() != null) {
                event.getThrown().printStackTrace(new PrintWriter(text));
            }
            for (String secret : secrets) {
                assertTrue(!text.toString().contains(secret), "a secret in " + event.getLoggerName() + ": " + text);
            }
        }
    }
}
