package io.kafkabus.cloudstack.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Whether the properties file holds secrets that every user of the host may read. The install
 * makes it 0640 root:cloud; a copy made with the usual umask (022) is 0644, readable by all.
 */
public final class ReadableSecrets {
    /** A value that is only a config provider reference ({@code ${file:/path:key}}) holds no secret itself. */
    private static final Pattern REFERENCE = Pattern.compile("\\s*\\$\\{[^}]*}\\s*");

    private ReadableSecrets() {
    }

    /**
     * What to tell the operator when {@code file} holds a secret (a password-type key,
     * {@code sasl.jaas.config}...) and its POSIX permissions let others read it; empty otherwise,
     * and on file systems without POSIX permissions.
     */
    public static Optional<String> warning(PropertiesFile file) {
        Optional<Path> path = file.path();
        List<String> secretKeys = secretKeys(file.entries());
        if (path.isEmpty() || secretKeys.isEmpty()) {
            return Optional.empty();
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(path.get());
        } catch (UnsupportedOperationException | IOException e) {
            return Optional.empty();
        }
        if (!permissions.contains(PosixFilePermission.OTHERS_READ)) {
            return Optional.empty();
        }
        Path location = path.get();
        return Optional.of(location + " holds secrets (" + String.join(", ", secretKeys) + ") and every user of this host can read it (mode "
                + PosixFilePermissions.toString(permissions) + "); make it readable by root and the management server's group only: "
                + "chmod 640 " + location + " && chown root:cloud " + location);
    }

    private static List<String> secretKeys(Map<String, String> entries) {
        return entries.entrySet().stream()
                .filter(e -> ProducerProperties.isSecret(e.getKey()) && !e.getValue().isBlank() && !REFERENCE.matcher(e.getValue()).matches())
                .map(Map.Entry::getKey).sorted().collect(Collectors.toList());
    }
}
