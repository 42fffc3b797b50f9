package io.kafkabus.cloudstack;

import static io.kafkabus.cloudstack.testing.Conditions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.testing.Delivered;
import io.kafkabus.cloudstack.testing.KafkaTopics;
import io.kafkabus.cloudstack.testing.LogCapture;
import io.kafkabus.cloudstack.testing.SecretSearch;
import io.kafkabus.cloudstack.testing.SecureBroker;
import io.kafkabus.cloudstack.testing.TestBuses;
import io.kafkabus.cloudstack.testing.TestPki;
import io.kafkabus.cloudstack.testing.TokenEndpoint;

/**
 * The bus publishes through each security mode of a real broker, configured as the provider's
 * documentation writes the client settings, and a consumer with the very same settings reads the
 * events back. No secret of the mode (password, JAAS text, private key, client secret, OAuth token)
 * shows in anything the bus or its client logged, at DEBUG, nor in the bus's statistics or MBeans.
 */
class SecurityModesTest {
    static final String ALLOWED_URLS = "org.apache.kafka.sasl.oauthbearer.allowed.urls";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int EVENTS = 3;
    private static final String SCRAM_256_USER = "aiven-user";
    private static final String SCRAM_256_PASSWORD = "scram256-secret-91af";
    private static final String SCRAM_512_USER = "strimzi-user";
    private static final String SCRAM_512_PASSWORD = "scram512-secret-3e07";
    private static final String OAUTH_CLIENT = "confluent-client";
    private static final String OAUTH_SECRET = "oauth-secret-5d88";
    private static final String BUS = "secureBus";
    private static final Pattern JAAS_PASSWORD = Pattern.compile("password=['\"]([^'\"]+)['\"]");

    @TempDir
    static Path shared;
    @TempDir
    Path dir;
    private static TokenEndpoint oauth;
    private static SecureBroker broker;
    private static String allowedUrlsBefore;

    @BeforeAll
    static void startBroker() {
        oauth = TokenEndpoint.start(OAUTH_CLIENT, OAUTH_SECRET);
        allowedUrlsBefore = System.setProperty(ALLOWED_URLS, oauth.allowedUrls());
        broker = SecureBroker.start(shared.resolve("broker"), oauth);
        broker.setScramPassword(ScramMechanism.SCRAM_SHA_256, SCRAM_256_USER, SCRAM_256_PASSWORD);
        broker.setScramPassword(ScramMechanism.SCRAM_SHA_512, SCRAM_512_USER, SCRAM_512_PASSWORD);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
        if (allowedUrlsBefore == null) {
            System.clearProperty(ALLOWED_URLS);
        } else {
            System.setProperty(ALLOWED_URLS, allowedUrlsBefore);
        }
        oauth.close();
    }

    @Test
    void tlsWithServerAuthentication() throws Exception {
        // AWS MSK's TLS listener (port 9094): the client only trusts the brokers' CA.
        deliversThrough(SecureBroker.TLS,
                "security.protocol", "SSL",
                "ssl.truststore.location", broker.trustStore().toString(),
                "ssl.truststore.password", SecureBroker.STORE_PASSWORD);
    }

    @Test
    void confluentCloudSaslPlain() throws Exception {
        // Confluent Cloud's "Java client" snippet, with the test CA in place of the public one its brokers use.
        deliversThrough(SecureBroker.SASL_TLS,
                "security.protocol", "SASL_SSL",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username='"
                        + SecureBroker.PLAIN_USER + "' password='" + SecureBroker.PLAIN_PASSWORD + "';",
                "sasl.mechanism", "PLAIN",
                "client.dns.lookup", "use_all_dns_ips",
                "acks", "all",
                "ssl.truststore.location", broker.trustStore().toString(),
                "ssl.truststore.password", SecureBroker.STORE_PASSWORD);
    }

    @Test
    void aivenScramSha256WithPemTrustStore() throws Exception {
        // Aiven: SASL_SSL, SCRAM-SHA-256, the project's ca.pem as a PEM trust store.
        Path caPem = Files.writeString(dir.resolve("ca.pem"), broker.authority().certificatePem());
        deliversThrough(SecureBroker.SASL_TLS,
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-256",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + SCRAM_256_USER + "\" password=\"" + SCRAM_256_PASSWORD + "\";",
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", caPem.toString());
    }

    @Test
    void strimziScramSha512WithPkcs12TrustStore() throws Exception {
        // Strimzi's KafkaUser with scram-sha-512, the cluster CA from its <cluster>-cluster-ca-cert secret (ca.p12).
        deliversThrough(SecureBroker.SASL_TLS,
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + SCRAM_512_USER + "\" password=\"" + SCRAM_512_PASSWORD + "\";",
                "ssl.truststore.location", broker.trustStore().toString(),
                "ssl.truststore.password", SecureBroker.STORE_PASSWORD,
                "ssl.truststore.type", "PKCS12");
    }

    @Test
    void strimziMutualTlsWithPkcs12KeyStore() throws Exception {
        // Strimzi's KafkaUser with tls authentication: user.p12 and its user.password.
        Path userP12 = broker.authority().issue("strimzi-tls-user").keyStore(dir.resolve("user.p12"), "user-p12-secret-0a4c");
        deliversThrough(SecureBroker.MTLS,
                "security.protocol", "SSL",
                "ssl.truststore.location", broker.trustStore().toString(),
                "ssl.truststore.password", SecureBroker.STORE_PASSWORD,
                "ssl.truststore.type", "PKCS12",
                "ssl.keystore.location", userP12.toString(),
                "ssl.keystore.password", "user-p12-secret-0a4c",
                "ssl.keystore.type", "PKCS12");
    }

    @Test
    void aivenMutualTlsWithInlinePem() throws Exception {
        // Aiven's service.cert, service.key and ca.pem pasted into the file, as Kafka's PEM settings take them.
        TestPki.Identity client = broker.authority().issue("aiven-service-user");
        deliversThrough(SecureBroker.MTLS,
                "security.protocol", "SSL",
                "ssl.keystore.type", "PEM",
                "ssl.keystore.certificate.chain", continued(client.certificateChainPem()),
                "ssl.keystore.key", continued(client.privateKeyPem()),
                "ssl.truststore.type", "PEM",
                "ssl.truststore.certificates", continued(broker.authority().certificatePem()));
    }

    @Test
    void aivenMutualTlsWithPemFiles() throws Exception {
        // The same as files: a PEM key store holds the key and the certificate chain.
        TestPki.Identity client = broker.authority().issue("aiven-service-user");
        Path keyStore = Files.writeString(dir.resolve("service.pem"), client.privateKeyPem() + client.certificateChainPem());
        Path caPem = Files.writeString(dir.resolve("ca.pem"), broker.authority().certificatePem());
        deliversThrough(SecureBroker.MTLS,
                "security.protocol", "SSL",
                "ssl.keystore.type", "PEM",
                "ssl.keystore.location", keyStore.toString(),
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", caPem.toString());
    }

    @Test
    void oauthBearerClientCredentials() throws Exception {
        // Confluent Cloud's OAuth snippet in Kafka 4.4's words (client id and secret as settings of their own).
        int tokensBefore = oauth.issued.size();
        deliversThrough(SecureBroker.SASL_TLS,
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "OAUTHBEARER",
                "sasl.login.callback.handler.class", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler",
                "sasl.oauthbearer.token.endpoint.url", oauth.tokenUrl(),
                "sasl.oauthbearer.client.credentials.client.id", OAUTH_CLIENT,
                "sasl.oauthbearer.client.credentials.client.secret", OAUTH_SECRET,
                "sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;",
                "ssl.truststore.location", broker.trustStore().toString(),
                "ssl.truststore.password", SecureBroker.STORE_PASSWORD);
        // The bus's producer and the test's consumer each logged in with a token of the endpoint's.
        assertEquals(2, oauth.issued.size() - tokensBefore);
    }

    /**
     * A PEM text as a properties file value, one line per PEM line: each ends in {@code \n\}, keeping
     * its line break. Continued with a bare backslash, the lines join with spaces, and Kafka (4.3.1)
     * then takes the chain's second certificate for the key's (seen here).
     */
    static String continued(String pem) {
        return pem.strip().replace("\n", "\\n\\\n");
    }

    /**
     * Publishes {@link #EVENTS} events with a bus configured with {@code settings} on the listener named
     * {@code listener}, and reads them back with a consumer configured from the same file.
     */
    private void deliversThrough(String listener, String... settings) throws Exception {
        String topic = "secure-" + UUID.randomUUID();
        broker.createTopic(topic);
        Path file = TestBuses.writeProperties(dir.resolve("conf"), broker.bootstrapServers(listener), topic, settings);
        int tokensBefore = oauth.issued.size();
        List<String> seen = new ArrayList<>();
        // The bus's and its Kafka client's every line, at DEBUG, as an operator chasing a problem would log them.
        try (LogCapture logs = LogCapture.attach(Level.DEBUG, "", "io.kafkabus", "org.apache.kafka")) {
            KafkaEventBus bus = TestBuses.configured(BUS, file.toString());
            bus.start();
            try {
                for (int n = 0; n < EVENTS; n++) {
                    bus.publish(TestBuses.numbered(n, 1));
                }
                await(() -> bus.statistics().pending() == 0, WAIT, "all acknowledged: " + bus.statistics());
                seen.addAll(SecretSearch.visibleState(bus, BUS));
            } finally {
                bus.stop();
            }
            seen.addAll(SecretSearch.logged(logs));
        }
        Delivered delivered = new Delivered(KafkaTopics.consume(clientSettings(file), topic, EVENTS, WAIT));
        assertEquals(Set.of(), delivered.missingOf(EVENTS));
        assertEquals(EVENTS, delivered.distinct());
        Map<String, String> secrets = secrets(settings);
        for (int n = tokensBefore; n < oauth.issued.size(); n++) {
            secrets.put("OAuth token " + n, oauth.issued.get(n));
        }
        assertEquals(List.of(), SecretSearch.leaks(seen, secrets));
    }

    /**
     * The secrets among {@code settings}: every password, JAAS text, inline private key and client
     * secret, and the passwords inside the JAAS text.
     */
    private static Map<String, String> secrets(String... settings) {
        Map<String, String> secrets = new HashMap<>();
        for (int i = 0; i < settings.length; i += 2) {
            String key = settings[i];
            String value = settings[i + 1];
            if (key.endsWith(".password") || key.endsWith(".secret") || key.equals("sasl.jaas.config")) {
                secrets.put(key, value);
            }
            if (key.equals("ssl.keystore.key")) {
                // A line of the key's Base64 body: how it would show in any rendering of the value.
                secrets.put(key, value.split("\\\\n\\\\\n")[1]);
            }
            Matcher jaasPassword = JAAS_PASSWORD.matcher(key.equals("sasl.jaas.config") ? value : "");
            if (jaasPassword.find()) {
                secrets.put("password in sasl.jaas.config", jaasPassword.group(1));
            }
        }
        return secrets;
    }

    /** The file's Kafka client settings: all but the bus's own keys. */
    private static Map<String, Object> clientSettings(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        Map<String, Object> settings = new HashMap<>();
        properties.stringPropertyNames().forEach(key -> settings.put(key, properties.getProperty(key)));
        List.of("topic", "spool.dir", "stats.log.interval.ms").forEach(settings::remove);
        return settings;
    }
}
