package io.kafkabus.cloudstack.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import javax.naming.ConfigurationException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.testing.KeyStores;

/** TLS and SASL settings that can never connect fail start-up, each naming its key, secrets hidden. */
class SecuritySettingsTest {
    private static final String FILE = "/etc/cloudstack/management/kafka.producer.properties";
    private static final String PREFIX = "Invalid Kafka event bus configuration in " + FILE + ": ";
    private static final String PLAIN = "org.apache.kafka.common.security.plain.PlainLoginModule";

    @TempDir
    Path dir;

    private static EventBusConfig parse(String... keyValues) throws ConfigurationException {
        Map<String, String> raw = new HashMap<>();
        raw.put("bootstrap.servers", "kafka1:9093");
        for (int i = 0; i < keyValues.length; i += 2) {
            raw.put(keyValues[i], keyValues[i + 1]);
        }
        return EventBusConfig.parse(raw, FILE, "bus");
    }

    private static String refused(String... keyValues) {
        return assertThrows(ConfigurationException.class, () -> parse(keyValues)).getMessage();
    }

    @Test
    void aTrustStoreThatIsNotThereIsRefused() {
        Path missing = dir.resolve("kafka.truststore.p12");
        assertEquals(PREFIX + "invalid value " + missing + " for 'ssl.truststore.location': no such file",
                refused("security.protocol", "SSL", "ssl.truststore.location", missing.toString(), "ssl.truststore.password", "pw"));
    }

    @Test
    void aKeyStoreThatIsADirectoryIsRefused() {
        assertEquals(PREFIX + "invalid value " + dir + " for 'ssl.keystore.location': not a file",
                refused("security.protocol", "SASL_SSL", "ssl.keystore.location", dir.toString(), "ssl.keystore.password", "pw",
                        "sasl.jaas.config", PLAIN + " required username=\"u\" password=\"p\";"));
    }

    @Test
    void aTrustStoreThatDoesNotOpenWithItsPasswordIsRefusedWithoutShowingIt() throws Exception {
        Path store = KeyStores.emptyPkcs12(dir.resolve("kafka.truststore.p12"), "right-password");
        assertEquals(PREFIX + "invalid value " + store + " for 'ssl.truststore.location': cannot be opened as a PKCS12 store "
                + "with ssl.truststore.password (wrong password, wrong ssl.truststore.type, or a damaged file?): "
                + "Failed PKCS12 integrity checking", refused("security.protocol", "SSL", "ssl.truststore.location",
                store.toString(), "ssl.truststore.password", "wrong-password", "ssl.truststore.type", "PKCS12"));
        parse("security.protocol", "SSL", "ssl.truststore.location", store.toString(), "ssl.truststore.password", "right-password",
                "ssl.truststore.type", "PKCS12");
    }

    @Test
    void aDamagedKeyStoreIsRefused() throws Exception {
        Path store = Files.write(dir.resolve("kafka.keystore.jks"), new byte[] {1, 2, 3, 4});
        assertEquals(PREFIX + "invalid value " + store + " for 'ssl.keystore.location': cannot be opened as a JKS store with "
                + "ssl.keystore.password and ssl.key.password (wrong password, wrong ssl.keystore.type, or a damaged file?): "
                + "java.io.EOFException", refused("security.protocol", "SSL", "ssl.keystore.location", store.toString(),
                "ssl.keystore.password", "pw", "ssl.keystore.type", "JKS"));
    }

    /** Stores are not used without TLS: a missing one cannot keep events from Kafka. */
    @Test
    void storesAreNotCheckedWithoutTls() throws Exception {
        parse("ssl.truststore.location", dir.resolve("absent.p12").toString(), "ssl.truststore.password", "pw");
    }

    @Test
    void aMalformedJaasConfigIsRefusedWithoutShowingIt() {
        assertEquals(PREFIX + "invalid value [hidden] for 'sasl.jaas.config': JAAS config entry not terminated by semi-colon; "
                + "expected <login module class> required <option>=\"<value>\" ...;",
                refused("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                        "sasl.jaas.config", PLAIN + " required username=\"u\" password=\"s3cr3t\""));
    }

    @Test
    void anUnknownLoginModuleIsRefusedByTheNameTheOperatorWrote() {
        assertEquals(PREFIX + "invalid value [hidden] for 'sasl.jaas.config': login module "
                + "org.apache.kafka.common.security.plain.PlainLoginModul is not a class the management server can load: "
                + "check its spelling", refused("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", PLAIN.substring(0, PLAIN.length() - 1) + " required username=\"u\" password=\"s3cr3t\";"));
        assertEquals(PREFIX + "invalid value [hidden] for 'sasl.jaas.config': login module java.lang.String is not a "
                + "javax.security.auth.spi.LoginModule", refused("security.protocol", "SASL_PLAINTEXT",
                "sasl.jaas.config", "java.lang.String required;"));
    }

    @Test
    void saslWithoutAnyJaasConfigurationIsRefused() {
        assertEquals(PREFIX + "security.protocol=SASL_PLAINTEXT needs 'sasl.jaas.config', which is not set: Could not find a 'KafkaClient' entry in the "
                + "JAAS configuration. System property 'java.security.auth.login.config' is not set",
                refused("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN"));
    }

    @Test
    void aWorkingSaslSetupIsAccepted() throws Exception {
        Path store = KeyStores.emptyPkcs12(dir.resolve("kafka.truststore.p12"), "change-me");
        parse("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "ssl.truststore.location", store.toString(),
                "ssl.truststore.password", "change-me", "sasl.jaas.config", PLAIN + " required username=\"u\" password=\"p\";");
    }
}
