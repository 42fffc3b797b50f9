package io.kafkabus.cloudstack.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** {@code java -jar <plugin jar> --version}, the command-line overview, and a wrong command line. */
class VersionCommandIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void versionNamesThePluginTheBundledClientAndTheFormats() {
        PluginCommand run = PluginCommand.run(TIMEOUT, "--version");
        assertEquals(0, run.exitCode, run.toString());
        assertEquals("cloudstack-kafka-event-bus " + System.getProperty("project.version") + "\n"
                + "kafka-clients " + System.getProperty("shipped.kafka.version") + " (bundled, relocated to "
                + System.getProperty("shaded.prefix") + ".kafka)\n"
                + "spool format 1\n"
                + "envelope version 1\n", run.out, run.toString());
        assertEquals("", run.err, run.toString());
    }

    @Test
    void noCommandPrintsTheCommandsAndExitsWithTheUsageCode() {
        PluginCommand run = PluginCommand.run(TIMEOUT);
        assertEquals(2, run.exitCode, run.toString());
        assertTrue(run.out.contains("Usage: java -jar cloudstack-kafka-event-bus-"), run.toString());
        assertTrue(run.out.contains("  version "), run.toString());
    }

    @Test
    void anUnknownOptionIsAUsageErrorNamingIt() {
        PluginCommand run = PluginCommand.run(TIMEOUT, "version", "--frobnicate");
        assertEquals(2, run.exitCode, run.toString());
        assertEquals("version: unknown option --frobnicate (see version --help)\n", run.err, run.toString());
    }
}
