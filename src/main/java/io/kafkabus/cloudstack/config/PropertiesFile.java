package io.kafkabus.cloudstack.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import javax.naming.ConfigurationException;

/**
 * Finds and reads {@code kafka.producer.properties} the way CloudStack finds its configuration
 * files: an explicit path if one is set, else the class path (where {@code /etc/cloudstack/management}
 * is), else that directory itself.
 */
public final class PropertiesFile {
    public static final String DEFAULT_NAME = "kafka.producer.properties";
    static final Path CONFIG_DIR = Paths.get("/etc/cloudstack/management");

    private final String location;
    private final Map<String, String> entries;

    private PropertiesFile(String location, Map<String, String> entries) {
        this.location = location;
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** Where the file was read from. */
    public String location() {
        return location;
    }

    public Map<String, String> entries() {
        return entries;
    }

    /** The places {@link #find} looks in, in order, for log lines. */
    public static List<String> searchedPlaces(Path explicitPath) {
        if (explicitPath != null) {
            return List.of(explicitPath.toAbsolutePath().toString());
        }
        List<String> places = new ArrayList<>();
        places.add("classpath:" + DEFAULT_NAME);
        places.add(CONFIG_DIR.resolve(DEFAULT_NAME).toString());
        return places;
    }

    /**
     * @param explicitPath a path set in the Spring XML, or null to search
     * @param classLoader  where the class path is searched
     * @return the file, or empty when none of {@link #searchedPlaces} has it
     * @throws ConfigurationException when a file is there but cannot be read or parsed
     */
    public static Optional<PropertiesFile> find(Path explicitPath, ClassLoader classLoader) throws ConfigurationException {
        if (explicitPath != null) {
            return Files.isRegularFile(explicitPath) ? Optional.of(read(explicitPath)) : Optional.empty();
        }
        URL resource = classLoader == null ? null : classLoader.getResource(DEFAULT_NAME);
        if (resource != null) {
            try (InputStream in = resource.openStream()) {
                return Optional.of(parse(in, resource.toString()));
            } catch (IOException e) {
                throw unreadable(resource.toString(), e);
            }
        }
        Path inConfigDir = CONFIG_DIR.resolve(DEFAULT_NAME);
        return Files.isRegularFile(inConfigDir) ? Optional.of(read(inConfigDir)) : Optional.empty();
    }

    static PropertiesFile read(Path path) throws ConfigurationException {
        try (InputStream in = Files.newInputStream(path)) {
            return parse(in, path.toAbsolutePath().toString());
        } catch (IOException e) {
            throw unreadable(path.toString(), e);
        }
    }

    private static PropertiesFile parse(InputStream in, String location) throws ConfigurationException {
        Properties properties = new Properties();
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw unreadable(location, e);
        } catch (IllegalArgumentException e) {
            // Properties says only "Malformed \\uxxxx encoding."
            throw EventBusConfig.invalid(location, "the file cannot be parsed: " + e.getMessage());
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            entries.put(key.trim(), properties.getProperty(key));
        }
        return new PropertiesFile(location, entries);
    }

    private static ConfigurationException unreadable(String location, IOException e) {
        return EventBusConfig.invalid(location, "the file cannot be read: " + e);
    }
}
