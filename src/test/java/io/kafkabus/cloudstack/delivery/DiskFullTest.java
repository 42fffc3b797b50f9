package io.kafkabus.cloudstack.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.cloudstack.framework.events.EventBusException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.KafkaEventBus;
import io.kafkabus.cloudstack.config.FsyncPolicy;
import io.kafkabus.cloudstack.spool.DiskSpool;
import io.kafkabus.cloudstack.testing.TestBuses;

/**
 * A disk that fills up under the spool. The child JVM runs with a file-size limit ({@code ulimit -f}),
 * so its spool writes fail the way they do on a full disk; the JVM ignores the SIGXFSZ signal.
 */
class DiskFullTest {
    @TempDir
    Path dir;

    /** The child: publishes until the spool refuses, then once more, and reports. */
    public static void main(String[] args) throws Exception {
        KafkaEventBus bus = TestBuses.configured("diskFullBus", args[0]);
        bus.start();
        int accepted = 0;
        while (true) {
            try {
                bus.publish(TestBuses.numbered(accepted, 3));
                accepted++;
            } catch (EventBusException e) {
                System.out.println("DROPPED " + e.getMessage());
                break;
            }
        }
        try {
            bus.publish(TestBuses.numbered(accepted, 3));
            System.out.println("UNEXPECTED second publish accepted");
        } catch (EventBusException e) {
            System.out.println("DROPPED AGAIN");
        }
        System.out.println("ACCEPTED " + accepted);
        System.out.println("STATS " + bus.statistics());
        bus.stop();
    }

    @Test
    void aFullDiskIsAClearErrorAndWhatWasWrittenIsKept() throws Exception {
        // Nothing listens on port 1: everything stays in the spool.
        Path properties = TestBuses.writeProperties(dir, "127.0.0.1:1", "full",
                "stop.timeout.ms", "0");
        String java = new File(System.getProperty("java.home"), "bin/java").getPath();
        Process child = new ProcessBuilder("bash", "-c", "ulimit -f 256 && exec \"$0\" \"$@\"", java,
                "-cp", System.getProperty("java.class.path"), DiskFullTest.class.getName(), properties.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("DROPPED Kafka event bus diskFullBus: event dropped, the spool cannot be written"), output);
        assertTrue(output.contains("File too large"), output);
        assertTrue(output.contains("DROPPED AGAIN"), output);
        assertTrue(output.contains("dropped=2"), output);
        int accepted = Integer.parseInt(output.replaceAll("(?s).*ACCEPTED (\\d+).*", "$1"));
        assertTrue(accepted > 100, output);

        try (DiskSpool spool = DiskSpool.open(dir.resolve("spool").resolve("diskFullBus"), 1L << 30, 16 << 20,
                DiskSpool.DEFAULT_MAX_RECORD_BYTES, FsyncPolicy.INTERVAL, Duration.ofSeconds(1), Duration.ofSeconds(1), "test", "test-fsync")) {
            assertEquals(accepted, spool.recoveryReport().pendingRecords(), "every accepted event is intact on disk");
            assertEquals(0, spool.recoveryReport().damagedRegions(), "the failed write left no half record");
        }
    }
}
