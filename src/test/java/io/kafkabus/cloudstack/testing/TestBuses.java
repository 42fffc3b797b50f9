package io.kafkabus.cloudstack.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import javax.naming.ConfigurationException;

import org.apache.cloudstack.framework.events.Event;

import io.kafkabus.cloudstack.KafkaEventBus;

/** Buses and events for tests: a properties file written on the fly, events numbered per resource. */
public final class TestBuses {
    private TestBuses() {
    }

    /**
     * Writes {@code kafka.producer.properties} into {@code dir} (spool under {@code dir/spool}) with
     * {@code extra} key/value pairs, and configures a bus named {@code name} from it.
     */
    public static KafkaEventBus configured(String name, Path dir, String bootstrapServers, String topic, String... extra)
            throws ConfigurationException {
        return configured(name, writeProperties(dir, bootstrapServers, topic, extra).toString());
    }

    /** A bus named {@code name}, configured from the properties file at {@code propertiesFile}. */
    public static KafkaEventBus configured(String name, String propertiesFile) throws ConfigurationException {
        KafkaEventBus bus = new KafkaEventBus();
        bus.setPropertiesFile(propertiesFile);
        bus.configure(name, Map.of());
        return bus;
    }

    /**
     * Writes a properties file readable by its owner and group only, as the README tells operators
     * (a file holding secrets that others may read gets a WARN, which tests counting WARNs do not expect).
     */
    public static Path writeProperties(Path dir, String bootstrapServers, String topic, String... extra) {
        StringBuilder text = new StringBuilder()
                .append("bootstrap.servers=").append(bootstrapServers).append('\n')
                .append("topic=").append(topic).append('\n')
                .append("spool.dir=").append(dir.resolve("spool")).append('\n')
                .append("stats.log.interval.ms=0\n");
        for (int i = 0; i < extra.length; i += 2) {
            text.append(extra[i]).append('=').append(extra[i + 1]).append('\n');
        }
        try {
            Files.createDirectories(dir);
            Path file = Files.writeString(dir.resolve("kafka.producer.properties"), text);
            if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An action event on resource {@code resource-<n % resources>}, carrying {@code n} in its
     * description so that order and loss can be checked.
     */
    public static Event numbered(int n, int resources) {
        String resource = "resource-" + (n % resources);
        Event event = new Event("management-server", "ActionEvent", "VM.START", "VirtualMachine", resource);
        event.setDescription("{\"n\":" + n + ",\"status\":\"Completed\",\"entityuuid\":\"" + resource + "\"}");
        return event;
    }
}
