package io.kafkabus.cloudstack.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WARN about a properties file that holds secrets and that every user of the host may read. */
class ReadableSecretsTest {
    @TempDir
    Path dir;

    private Optional<String> warningFor(String text, String mode) throws Exception {
        Path file = Files.writeString(dir.resolve("kafka.producer.properties"), text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return ReadableSecrets.warning(PropertiesFile.read(file));
    }

    @Test
    void aSecretInAFileOthersMayReadIsToldWithTheFixAndWithoutTheSecret() throws Exception {
        Path file = dir.resolve("kafka.producer.properties");
        assertEquals(Optional.of(file + " holds secrets (sasl.jaas.config, ssl.truststore.password) and every user of this host "
                        + "can read it (mode rw-r--r--); make it readable by root and the management server's group only: "
                        + "chmod 640 " + file + " && chown root:cloud " + file),
                warningFor("bootstrap.servers=kafka:9092\nssl.truststore.password=ts-7731\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";\n",
                        "rw-r--r--"));
    }

    @Test
    void theInstalledModeTheGroupMayReadIsQuiet() throws Exception {
        assertEquals(Optional.empty(), warningFor("ssl.keystore.password=ks-7731\n", "rw-r-----"));
    }

    @Test
    void aFileWithoutSecretsOrOnlyReferencesToThemIsQuiet() throws Exception {
        assertEquals(Optional.empty(), warningFor("bootstrap.servers=kafka:9092\ntopic=cloudstack\n", "rw-rw-rw-"));
        assertEquals(Optional.empty(), warningFor("config.providers=file\nsasl.jaas.config=${file:/etc/cloudstack/management/"
                + "kafka-secrets.properties:jaas}\nssl.keystore.password=\n", "rw-r--r--"));
    }

    @Test
    void theOAuthClientIdAndEndpointAreNotSecretsItsClientSecretIs() throws Exception {
        Path file = dir.resolve("kafka.producer.properties");
        assertEquals(Optional.of(file + " holds secrets (sasl.oauthbearer.client.credentials.client.secret) and every user of this host "
                        + "can read it (mode rw-r--r--); make it readable by root and the management server's group only: "
                        + "chmod 640 " + file + " && chown root:cloud " + file),
                warningFor("sasl.oauthbearer.token.endpoint.url=https://idp.example.net/oauth2/token\n"
                        + "sasl.oauthbearer.client.credentials.client.id=cloudstack\n"
                        + "sasl.oauthbearer.client.credentials.client.secret=s3cr3t\n"
                        + "sasl.oauthbearer.assertion.private.key.file=/etc/cloudstack/management/kafka/assertion.pem\n", "rw-r--r--"));
    }
}
