package io.kafkabus.cloudstack.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.config.FsyncPolicy;

/**
 * The command line's read-only view of a spool: the same counts the bus's own recovery finds, the
 * damage it would skip, a newer format named, and not one byte or modification time changed.
 */
class SpoolInspectionTest {
    @TempDir
    Path dir;

    private final List<Long> waiting = new ArrayList<>();
    private final List<String> damage = new ArrayList<>();

    private DiskSpool open() throws IOException {
        return DiskSpool.open(dir, 1L << 30, 1 << 20, DiskSpool.DEFAULT_MAX_RECORD_BYTES, FsyncPolicy.INTERVAL,
                Duration.ofMillis(50), Duration.ofSeconds(5), "bus test of process 1@host", "test-fsync");
    }

    /** Ten records, the first four delivered; returns the bytes of the six waiting as the spool counts them. */
    private long tenRecordsFourDelivered() throws Exception {
        try (DiskSpool spool = open()) {
            for (int i = 0; i < 10; i++) {
                spool.append(DiskSpoolTest.record(i));
            }
            spool.acknowledgeBefore(4);
            return spool.pendingBytes();
        }
    }

    private SpoolInspection inspect() throws IOException {
        return SpoolInspection.inspect(dir, new SpoolInspection.Listener() {
            @Override
            public void waiting(SpooledRecord record) {
                waiting.add(record.sequence());
            }

            @Override
            public void damaged(Path file, long from, long to, long regions, boolean atEnd) {
                damage.add(file.getFileName() + " " + from + "-" + to + " " + regions + (atEnd ? " at end" : ""));
            }
        });
    }

    /** Every file's bytes and modification time. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path file : listing.collect(Collectors.toList())) {
                FileTime modified = Files.getLastModifiedTime(file);
                files.put(file.getFileName().toString(), modified.toMillis() + ":" + new String(Files.readAllBytes(file),
                        StandardCharsets.ISO_8859_1));
            }
        }
        return files;
    }

    private Path segment() throws IOException {
        return SegmentScan.files(dir).get(0);
    }

    @Test
    void showsTheEventsAfterTheCheckpointAsTheBusWouldRecoverThemAndChangesNothing() throws Exception {
        long pendingBytes = tenRecordsFourDelivered();
        Map<String, String> before = snapshot();

        SpoolInspection found = inspect();

        assertEquals(before, snapshot(), "no file written, truncated, deleted or touched");
        assertNull(found.formatProblem());
        assertFalse(found.inUse());
        assertEquals("bus test of process 1@host", found.owner());
        assertEquals(4, found.acknowledgedBefore());
        assertEquals(6, found.waitingRecords());
        assertEquals(List.of(4L, 5L, 6L, 7L, 8L, 9L), waiting);
        assertEquals(pendingBytes, found.waitingBytes());
        assertEquals(DiskSpoolTest.record(4).timestampMs(), found.oldestWaitingMs());
        assertEquals(1, found.segmentFiles());
        assertEquals(Files.size(segment()), found.segmentBytes());
        assertEquals(0, found.damagedRegions());
        try (DiskSpool spool = open()) {
            assertEquals(found.waitingRecords(), spool.recoveryReport().pendingRecords());
        }
    }

    @Test
    void aDamagedRecordIsCountedAndLocatedAsTheBusWouldSkipIt() throws Exception {
        tenRecordsFourDelivered();
        Path segment = segment();
        long frame = Files.size(segment) / 10;
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(6 * frame + frame / 2);
            int b = file.read();
            file.seek(6 * frame + frame / 2);
            file.write(b ^ 0xFF);
        }

        SpoolInspection found = inspect();

        assertEquals(1, found.damagedRegions());
        assertEquals(List.of(segment.getFileName() + " " + 6 * frame + "-" + 7 * frame + " 1"), damage);
        assertEquals(List.of(4L, 5L, 7L, 8L, 9L), waiting);
        try (DiskSpool spool = open()) {
            assertEquals(found.damagedRegions(), spool.recoveryReport().damagedRegions());
            assertEquals(found.waitingRecords(), spool.recoveryReport().pendingRecords());
        }
    }

    @Test
    void aTornTailIsDamageAtTheEndOfTheFile() throws Exception {
        tenRecordsFourDelivered();
        Path segment = segment();
        long size = Files.size(segment);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(size - 40);
        }

        SpoolInspection found = inspect();

        assertEquals(1, found.damagedRegions());
        assertEquals(List.of(segment.getFileName() + " " + size / 10 * 9 + "-" + (size - 40) + " 1 at end"), damage);
        assertEquals(5, found.waitingRecords());
    }

    @Test
    void aSpoolOfANewerFormatIsNamedAsSuchAndLeftAlone() throws Exception {
        tenRecordsFourDelivered();
        Files.writeString(dir.resolve(Checkpoint.FILE), "format=2\nacknowledgedBefore=4\n");
        Map<String, String> before = snapshot();

        SpoolInspection found = inspect();

        assertTrue(found.formatProblem().contains("is of spool format 2, written by a newer version of the plugin"),
                found.formatProblem());
        assertEquals(before, snapshot());
        assertEquals(List.of(), waiting);
    }

    @Test
    void aSpoolIsADirectoryWithALockFileACheckpointOrSegments() throws Exception {
        assertFalse(SpoolInspection.isSpool(dir));
        Files.writeString(dir.resolve(Checkpoint.FILE), "format=1\nacknowledgedBefore=0\n");
        assertTrue(SpoolInspection.isSpool(dir));
    }
}
