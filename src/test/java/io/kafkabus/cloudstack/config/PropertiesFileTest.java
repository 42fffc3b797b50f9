package io.kafkabus.cloudstack.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import javax.naming.ConfigurationException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PropertiesFileTest {
    @TempDir
    Path dir;

    @Test
    void anExplicitPathIsReadAndTheValuesKeptAsWritten() throws Exception {
        Path file = Files.writeString(dir.resolve("k.properties"), "# comment\nbootstrap.servers = h:9092\ntopic=événements\n");
        PropertiesFile read = PropertiesFile.find(file, null).orElseThrow();
        assertEquals("h:9092", read.entries().get("bootstrap.servers"));
        assertEquals("événements", read.entries().get("topic"), "read as UTF-8");
        assertEquals(file.toAbsolutePath().toString(), read.location());
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
