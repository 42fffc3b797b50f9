package io.kafkabus.cloudstack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.testing.LogCapture;
import io.kafkabus.cloudstack.testing.TestBuses;

/**
 * A downgrade: the bus finds its spool written by a newer version of the plugin (here the committed
 * format-1 fixture made to claim format 2). It says so and leaves the spool's events on disk.
 */
class SpoolDowngradeTest {
    private static final String SEGMENT = "00000000000000000000.seg";

    @TempDir
    Path dir;

    @Test
    void aSpoolOfANewerVersionIsReportedAndKept() throws Exception {
        Path spool = dir.resolve("spool").resolve("downgradedBus");
        Files.createDirectories(spool);
        Path fixture = Paths.get(Objects.requireNonNull(getClass().getResource("/spool-format-1")).toURI());
        try (Stream<Path> files = Files.list(fixture)) {
            for (Path file : files.collect(Collectors.toList())) {
                Files.copy(file, spool.resolve(file.getFileName()));
            }
        }
        try (RandomAccessFile segment = new RandomAccessFile(spool.resolve(SEGMENT).toFile(), "rw")) {
            segment.seek(3);
            segment.write('2');
        }
        byte[] written = Files.readAllBytes(spool.resolve(SEGMENT));

        try (LogCapture log = LogCapture.attach(Level.WARN, "io.kafkabus.cloudstack")) {
            KafkaEventBus bus = TestBuses.configured("downgradedBus", dir, "localhost:9", "events");
            bus.stop();
            List<String> errors = log.messages();
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0).startsWith("Kafka event bus downgradedBus: cannot use the spool directory " + spool
                    + " (io.kafkabus.cloudstack.spool.SpoolFormatException: spool file " + spool.resolve(SEGMENT)
                    + " is in spool format 2, written by a newer version of the plugin; this version reads spool format 1"
                    + " only. Its events are kept: install the newer version again to deliver them); events wait in memory"
                    + " only"), errors.get(0));
        }
        assertArrayEquals(written, Files.readAllBytes(spool.resolve(SEGMENT)), "the newer version's events are kept");
    }
}
