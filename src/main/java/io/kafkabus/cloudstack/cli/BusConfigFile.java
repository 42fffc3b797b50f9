package io.kafkabus.cloudstack.cli;

import java.nio.file.Path;
import java.nio.file.Paths;

import javax.naming.ConfigurationException;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.config.PropertiesFile;

/**
 * The {@code --config FILE} option of the commands that read {@code kafka.producer.properties}: the
 * file read and validated by the bus's own code, so a command connects and routes exactly as the bus.
 */
final class BusConfigFile {
    static final String DEFAULT = PropertiesFile.STANDARD_PATH.toString();
    static final Option OPTION = Option.withValue("config", "FILE", "the bus's properties file (default " + DEFAULT + ")");
    /** The bus name CloudStack 4.20+ gives the bus: it makes the default client.id, as on the server. */
    private static final String BUS_NAME = "kafkaEventBus";

    private BusConfigFile() {
    }

    /** The configuration in the file {@code --config} names, or the default file. */
    static EventBusConfig load(CommandLine line) throws CommandFailedException {
        Path file = Paths.get(line.value(OPTION.name, DEFAULT));
        try {
            return EventBusConfig.read(file, BUS_NAME).orElseThrow(() -> new CommandFailedException(
                    "no properties file at " + file.toAbsolutePath() + " (give one with --config FILE)"));
        } catch (ConfigurationException e) {
            throw new CommandFailedException(e.getMessage());
        }
    }
}
