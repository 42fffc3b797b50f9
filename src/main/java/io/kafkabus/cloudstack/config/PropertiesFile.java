package io.kafkabus.cloudstack.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
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
 * is), else that directory itself. Read as the upstream Kafka bus reads it, with
 * {@link Properties#load(InputStream)}: ISO-8859-1, other characters as backslash-u escapes, so
 * the same bytes give the same values (a password with a Latin-1 byte keeps working).
 */
public final class PropertiesFile {
    public static final String DEFAULT_NAME = "kafka.producer.properties";
    /** Where a standard install keeps the file (its directory is also on the management server's class path). */
    public static final Path STANDARD_PATH = Paths.get("/etc/cloudstack/management", DEFAULT_NAME);

    private final String location;
    private final Path path;
    private final Map<String, String> entries;

    private PropertiesFile(String location, Path path, Map<String, String> entries) {
        this.location = location;
        this.path = path;
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** The file on disk; empty when it was read from elsewhere (inside a jar on the class path). */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
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
        places.add(STANDARD_PATH.toString());
        return places;
    }

    /**
     * @param explicitPath a path set in the Spring XML, or null to search
     * @param classLoader  where the class path is searched
     * @return the file, or empty when none of {@link #searchedPlaces} has it
     * @throws ConfigurationException when a file is there but cannot be read (a permission, a
     *         directory in its place: certain to keep the bus from working) or parsed
     */
    public static Optional<PropertiesFile> find(Path explicitPath, ClassLoader classLoader) throws ConfigurationException {
        if (explicitPath != null) {
            return Files.exists(explicitPath) ? Optional.of(read(explicitPath)) : Optional.empty();
        }
        URL resource = classLoader == null ? null : classLoader.getResource(DEFAULT_NAME);
        if (resource != null) {
            try (InputStream in = resource.openStream()) {
                return Optional.of(parse(in, resource.toString(), fileOf(resource)));
            } catch (IOException e) {
                throw unreadable(resource.toString(), e);
            }
        }
        return Files.exists(STANDARD_PATH) ? Optional.of(read(STANDARD_PATH)) : Optional.empty();
    }

    static PropertiesFile read(Path path) throws ConfigurationException {
        try (InputStream in = Files.newInputStream(path)) {
            return parse(in, path.toAbsolutePath().toString(), path.toAbsolutePath());
        } catch (IOException e) {
            throw unreadable(path.toAbsolutePath().toString(), e);
        }
    }

    private static Path fileOf(URL resource) {
        try {
            return "file".equals(resource.getProtocol()) ? Paths.get(resource.toURI()) : null;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static PropertiesFile parse(InputStream in, String location, Path path) throws ConfigurationException {
        Properties properties = new Properties();
        try {
            properties.load(in);
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
        return new PropertiesFile(location, path, entries);
    }

    private static ConfigurationException unreadable(String location, IOException e) {
        return EventBusConfig.invalid(location, "the file is there but cannot be read: " + osReason(e));
    }

    private static String osReason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied (the management server runs as " + System.getProperty("user.name") + ")";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return String.valueOf(e.getMessage());
    }
}
