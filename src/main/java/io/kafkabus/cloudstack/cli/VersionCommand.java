package io.kafkabus.cloudstack.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;

import io.kafkabus.cloudstack.config.ClassNames;
import io.kafkabus.cloudstack.event.EnvelopeJson;
import io.kafkabus.cloudstack.spool.SpoolFormat;

/** {@code --version}: which plugin, which bundled Kafka client, which spool and envelope formats. */
final class VersionCommand implements Command {
    @Override
    public String name() {
        return "version";
    }

    @Override
    public String summary() {
        return "print the plugin's version, its bundled Kafka client's, and the spool and envelope format versions";
    }

    @Override
    public String arguments() {
        return "";
    }

    @Override
    public String description() {
        return "Prints the plugin version, the version of the Kafka client bundled (relocated) in the jar, the\n"
                + "spool's on-disk format version (a spool written in a newer format is refused, never read as\n"
                + "damage) and the version of the JSON envelope it publishes. Also: java -jar <jar> --version.\n"
                + "Exit code: 0.";
    }

    @Override
    public List<Option> options() {
        return List.of();
    }

    @Override
    public int run(CommandLine line, Console console) {
        String pluginVersion = VersionCommand.class.getPackage().getImplementationVersion();
        console.println("cloudstack-kafka-event-bus " + (pluginVersion == null ? "(development build)" : pluginVersion));
        console.println("kafka-clients " + kafkaClientVersion() + " (bundled, relocated to "
                + ClassNames.clientPackage() + ")");
        console.println("spool format " + SpoolFormat.VERSION);
        console.println("envelope version " + EnvelopeJson.ENVELOPE_VERSION);
        return ExitCode.OK;
    }

    /**
     * The bundled client's version, from the resource it reads its own version from (the build
     * relocates this name with the client, so the jar's copy is found, never the server's).
     */
    private static String kafkaClientVersion() {
        try (InputStream in = VersionCommand.class.getResourceAsStream("/kafka/kafka-version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
