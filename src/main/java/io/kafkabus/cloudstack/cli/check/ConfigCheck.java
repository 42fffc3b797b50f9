package io.kafkabus.cloudstack.cli.check;

import java.nio.file.Path;
import java.util.Optional;

import javax.naming.ConfigurationException;

import org.apache.kafka.clients.CommonClientConfigs;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.config.PropertiesFile;
import io.kafkabus.cloudstack.config.ReadableSecrets;

/**
 * The file, read and validated by the bus's own code ({@link PropertiesFile}, {@link EventBusConfig}),
 * so that it passes here exactly when the bus would accept it at start-up.
 */
final class ConfigCheck {
    private ConfigCheck() {
    }

    /** The configuration as the bus {@code busName} would have it; empty when the bus would refuse or not find the file. */
    static Optional<EventBusConfig> run(Path file, String busName, Findings findings) {
        try {
            Optional<EventBusConfig> found = EventBusConfig.read(file, busName);
            if (found.isEmpty()) {
                findings.add(Finding.problem("no file " + file.toAbsolutePath() + ": the bus would be disabled; copy the "
                        + "plugin's conf/kafka.producer.properties there and set bootstrap.servers, or name the file to check"));
                return Optional.empty();
            }
            EventBusConfig config = found.get();
            findings.add(Finding.ok(config.source() + " is valid as the bus reads it (bootstrap.servers="
                    + String.join(",", config.bootstrapServers()) + ", " + CommonClientConfigs.SECURITY_PROTOCOL_CONFIG + "="
                    + config.producerProperties().getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                            CommonClientConfigs.DEFAULT_SECURITY_PROTOCOL) + ")"));
            config.unknownKeyWarnings().forEach(warning -> findings.add(Finding.warn(warning)));
            PropertiesFile.find(file, null).flatMap(ReadableSecrets::warning)
                    .ifPresent(exposed -> findings.add(Finding.warn("the properties file " + exposed)));
            return Optional.of(config);
        } catch (ConfigurationException e) {
            findings.add(Finding.problem(e.getMessage() + " (the management server would not start with this file)"));
            return Optional.empty();
        }
    }
}
