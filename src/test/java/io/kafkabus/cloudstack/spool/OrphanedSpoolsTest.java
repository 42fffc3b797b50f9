package io.kafkabus.cloudstack.spool;

import static io.kafkabus.cloudstack.spool.DiskSpoolTest.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.config.FsyncPolicy;
import io.kafkabus.cloudstack.routing.RoutedRecord;

class OrphanedSpoolsTest {
    @TempDir
    Path parent;

    private static DiskSpool open(Path directory, int maxRecordBytes) throws IOException {
        return DiskSpool.open(directory, 1L << 30, 64 << 10, maxRecordBytes, FsyncPolicy.INTERVAL, Duration.ofMillis(50),
                Duration.ofSeconds(5), "owner of " + directory.getFileName(), "test-fsync");
    }

    private static void fill(Path directory, RoutedRecord... records) throws Exception {
        try (DiskSpool spool = open(directory, DiskSpool.DEFAULT_MAX_RECORD_BYTES)) {
            for (RoutedRecord r : records) {
                spool.append(r);
            }
        }
    }

    private static boolean adoptThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("kafka-event-bus-adopt"));
    }

    @Test
    void aFailureWithOneSpoolLosesNothingClosesItAndDoesNotStopTheOthers() throws Exception {
        RoutedRecord tooLarge = new RoutedRecord("events", null, new byte[5000], Map.of(), 0);
        fill(parent.resolve("a"), record(1), tooLarge, record(2));
        fill(parent.resolve("b"), record(3), record(4));
        fill(parent.resolve("c"));
        try (DiskSpool running = open(parent.resolve("d"), 1 << 20);
             DiskSpool target = open(parent.resolve("own"), 2000)) {
            List<String> lines = OrphanedSpools.adoptInto(target, parent.resolve("own"), "adopter");
            assertEquals(2, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("adopted 1 of 3 undelivered event(s) from the unowned spool " + parent.resolve("a"))
                    && lines.get(0).contains("the rest waits there") && lines.get(0).contains("larger than the spool takes"),
                    lines.get(0));
            assertEquals("adopted 2 of 2 undelivered event(s) from the unowned spool " + parent.resolve("b"), lines.get(1));
            assertEquals(3, target.pendingRecords());
            assertEquals(record(1), target.poll(Duration.ZERO).record());
            assertEquals(record(3), target.poll(Duration.ZERO).record());
            assertEquals(record(4), target.poll(Duration.ZERO).record());
            assertFalse(adoptThreadAlive(), "every spool opened for adoption was closed");
        }
        try (DiskSpool a = open(parent.resolve("a"), DiskSpool.DEFAULT_MAX_RECORD_BYTES)) {
            assertEquals(2, a.recoveryReport().pendingRecords(), "what was not moved is still there");
            assertEquals(tooLarge, a.poll(Duration.ZERO).record());
            assertEquals(record(2), a.poll(Duration.ZERO).record());
        }
        try (DiskSpool b = open(parent.resolve("b"), 1 << 20)) {
            assertEquals(0, b.recoveryReport().pendingRecords(), "what was moved is gone from the orphan");
        }
    }

    @Test
    void aTargetThatCannotBeWrittenLeavesTheOrphanWholeAndUnlocked() throws Exception {
        fill(parent.resolve("a"), record(1), record(2));
        DiskSpool target = open(parent.resolve("own"), 1 << 20);
        target.close();
        List<String> lines = OrphanedSpools.adoptInto(target, parent.resolve("own"), "adopter");
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("adopted 0 of 2") && lines.get(0).contains("ClosedChannelException"), lines.get(0));
        assertFalse(adoptThreadAlive());
        try (DiskSpool a = open(parent.resolve("a"), 1 << 20)) {
            assertEquals(2, a.recoveryReport().pendingRecords());
        }
    }
}
