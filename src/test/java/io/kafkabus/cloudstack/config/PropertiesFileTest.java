package io.kafkabus.cloudstack.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import javax.naming.ConfigurationException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PropertiesFileTest {
    @TempDir
    Path dir;

    @Test
    void anExplicitPathIsReadAndTheValuesKeptAsWritten() throws Exception {
        Path file = Files.writeString(dir.resolve("k.properties"), "# comment\nbootstrap.servers = h:9092\ntopic=\\u00e9v\n");
        PropertiesFile read = PropertiesFile.find(file, null).orElseThrow();
        assertEquals("h:9092", read.entries().get("bootstrap.servers"));
        assertEquals("\u00e9v", read.entries().get("topic"), "backslash-u escapes are decoded");
        assertEquals(file.toAbsolutePath().toString(), read.location());
    }

    /** A password with a Latin-1 byte (0xE9, 'é') reads as upstream read it, not as U+FFFD. */
    @Test
    void theBytesGiveTheValuesUpstreamGave() throws Exception {
        byte[] bytes = "ssl.truststore.password=caf\u00e9\ntopic=\u00c3\u00a9v\n".getBytes(StandardCharsets.ISO_8859_1);
        Path file = Files.write(dir.resolve("latin1.properties"), bytes);
        Properties upstream = new Properties();
        upstream.load(new ByteArrayInputStream(bytes));
        PropertiesFile read = PropertiesFile.find(file, null).orElseThrow();
        assertEquals("caf\u00e9", read.entries().get("ssl.truststore.password"));
        assertEquals(upstream.getProperty("ssl.truststore.password"), read.entries().get("ssl.truststore.password"));
        assertEquals(upstream.getProperty("topic"), read.entries().get("topic"), "UTF-8 bytes of 'é' are two Latin-1 characters, as upstream");
    }

    /** Not a missing file: one that is there but cannot be read stops start-up, naming the path and the reason. */
    @Test
    void aFileThatIsThereButCannotBeReadFailsNamingPathAndReason() throws Exception {
        Path notAFile = Files.createDirectory(dir.resolve("kafka.producer.properties"));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> PropertiesFile.find(notAFile, null));
        assertEquals("Invalid Kafka event bus configuration in " + notAFile + ": the file is there but cannot be read: "
                + "Is a directory", e.getMessage());
    }

    @Test
    void theClassPathIsSearchedLikeCloudStackDoes() throws Exception {
        Files.writeString(dir.resolve(PropertiesFile.DEFAULT_NAME), "bootstrap.servers=cp:9092\n");
        try (URLClassLoader configDir = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            PropertiesFile read = PropertiesFile.find(null, configDir).orElseThrow();
            assertEquals("cp:9092", read.entries().get("bootstrap.servers"));
            assertTrue(read.location().endsWith(PropertiesFile.DEFAULT_NAME), read.location());
        }
    }

    @Test
    void aMissingFileIsEmptyAndTheSearchedPlacesAreNamed() throws Exception {
        Path missing = dir.resolve("nowhere.properties");
        assertEquals(Optional.empty(), PropertiesFile.find(missing, null));
        assertEquals(List.of(missing.toAbsolutePath().toString()), PropertiesFile.searchedPlaces(missing));
        assertEquals(List.of("classpath:kafka.producer.properties", "/etc/cloudstack/management/kafka.producer.properties"),
                PropertiesFile.searchedPlaces(null));
    }

    @Test
    void aMalformedFileNamesItselfAndTheProblem() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.properties"), "bootstrap.servers=h:9092\ntopic=\\u00zz\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> PropertiesFile.find(file, null));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("Malformed"), e.getMessage());
    }
}
