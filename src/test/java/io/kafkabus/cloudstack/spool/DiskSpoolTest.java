package io.kafkabus.cloudstack.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.config.FsyncPolicy;
import io.kafkabus.cloudstack.routing.RoutedRecord;

class DiskSpoolTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private DiskSpool open(int segmentBytes, long maxBytes, FsyncPolicy policy) throws IOException {
        return DiskSpool.open(dir, maxBytes, segmentBytes, DiskSpool.DEFAULT_MAX_RECORD_BYTES, policy, Duration.ofMillis(50), Duration.ofSeconds(5),
                "test owner", "test-fsync");
    }

    private DiskSpool open() throws IOException {
        return open(64 << 10, 1L << 30, FsyncPolicy.INTERVAL);
    }

    static RoutedRecord record(int n) {
        return new RoutedRecord("events", ("key-" + n % 7).getBytes(StandardCharsets.UTF_8),
                ("{\"n\":" + n + ",\"pad\":\"" + "x".repeat(200) + "\"}").getBytes(StandardCharsets.UTF_8),
                Map.of("id", ("id-" + n).getBytes(StandardCharsets.UTF_8)), 1_700_000_000_000L + n);
    }

    private static int number(SpooledRecord r) {
        return Integer.parseInt(r.record().eventId().substring(3));
    }

    /** Reads everything available now, in order. */
    private static List<SpooledRecord> drain(Spool spool) throws Exception {
        List<SpooledRecord> all = new ArrayList<>();
        for (SpooledRecord r = spool.poll(Duration.ofMillis(50)); r != null; r = spool.poll(Duration.ofMillis(50))) {
            all.add(r);
        }
        return all;
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(SegmentFile.SUFFIX)).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void recordsComeBackInOrderAndIntactAcrossSegments() throws Exception {
        try (DiskSpool spool = open()) {
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, spool.append(record(i)));
            }
            List<SpooledRecord> read = drain(spool);
            assertEquals(1000, read.size());
            for (int i = 0; i < read.size(); i++) {
                assertEquals(i, read.get(i).sequence());
                assertEquals(record(i), read.get(i).record());
            }
            assertTrue(segmentFiles().size() > 3, "a 64 KiB segment bound must roll the ~250 KB written");
        }
    }

    @Test
    void aReaderKeepingUpTakesWhatWasJustAppendedFromMemory() throws Exception {
        try (DiskSpool spool = open()) {
            for (int i = 0; i < 5; i++) {
                spool.append(record(i));
            }
            // Proof that nothing is read back from disk: the segment's file is gone, the records come all the same.
            Files.delete(segmentFiles().get(0));
            assertEquals(List.of(0, 1, 2, 3, 4), drain(spool).stream().map(DiskSpoolTest::number).collect(Collectors.toList()));
            assertEquals(0, spool.missingSegments());
        }
    }

    @Test
    void pastWhatMemoryKeepsTheRestIsReadFromDiskInOrderAndMemoryServesAgainOnceCaughtUp() throws Exception {
        int frame = SegmentFile.unsealedFrame(record(10)).remaining(); // records 0-9 are a little smaller
        try (DiskSpool spool = DiskSpool.open(dir, 1L << 30, 4 * frame, DiskSpool.DEFAULT_MAX_RECORD_BYTES, FsyncPolicy.INTERVAL,
                Duration.ofMillis(50), WAIT, "test owner", "test-fsync", FileSegmentStore.INSTANCE, 3L * frame)) {
            for (int i = 0; i < 10; i++) {
                spool.append(record(i)); // 0-2 kept in memory, 3-9 only on disk; segments 0-3, 4-7, 8-11, 12-
            }
            List<SpooledRecord> first = drain(spool);
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), first.stream().map(DiskSpoolTest::number).collect(Collectors.toList()));
            for (SpooledRecord r : first) {
                assertEquals(record(number(r)), r.record());
                assertEquals(number(r), r.sequence());
            }
            for (int i = 10; i < 13; i++) {
                spool.append(record(i));
            }
            Files.delete(segmentFiles().get(segmentFiles().size() - 1)); // 12 is in the active segment: read from memory
            assertEquals(List.of(10, 11, 12), drain(spool).stream().map(DiskSpoolTest::number).collect(Collectors.toList()));

            spool.acknowledgeBefore(5);
            spool.rewind();
            assertEquals(List.of(5, 6, 7, 8, 9, 10, 11), drain(spool).stream().map(DiskSpoolTest::number).collect(Collectors.toList()),
                    "a rewind reads from disk again, from the oldest unacknowledged record; record 12's segment is gone");
        }
    }

    @Test
    void pollWaitsForTheNextAppend() throws Exception {
        try (DiskSpool spool = open()) {
            assertNull(spool.poll(Duration.ofMillis(20)));
            Thread writer = new Thread(() -> {
                try {
                    spool.append(record(1));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            writer.start();
            SpooledRecord r = spool.poll(WAIT);
            writer.join();
            assertEquals(record(1), r.record());
        }
    }

    @Test
    void unacknowledgedRecordsAreReadAgainAfterReopening() throws Exception {
        try (DiskSpool spool = open()) {
            for (int i = 0; i < 500; i++) {
                spool.append(record(i));
            }
            assertEquals(500, drain(spool).size());
            spool.acknowledgeBefore(300);
        }
        try (DiskSpool spool = open()) {
            assertEquals(200, spool.recoveryReport().pendingRecords());
            assertEquals(300, spool.recoveryReport().acknowledgedBefore());
            List<SpooledRecord> again = drain(spool);
            assertEquals(200, again.size());
            assertEquals(300, number(again.get(0)));
            assertEquals(499, number(again.get(199)));
            assertEquals(500, spool.append(record(500)), "sequence numbers continue after a restart");
        }
    }

    @Test
    void deliveredSegmentsAreDeleted() throws Exception {
        try (DiskSpool spool = open()) {
            for (int i = 0; i < 1000; i++) {
                spool.append(record(i));
            }
            int before = segmentFiles().size();
            long bytesBefore = spool.sizeBytes();
            drain(spool);
            spool.acknowledgeBefore(1000);
            spool.maintain();
            assertEquals(1, segmentFiles().size(), "only the active segment is left of " + before);
            assertTrue(spool.sizeBytes() < bytesBefore / 3);
            assertEquals(0, spool.pendingRecords());
        }
        try (DiskSpool spool = open()) {
            assertEquals(0, spool.recoveryReport().pendingRecords());
            assertNull(spool.poll(Duration.ofMillis(20)));
        }
    }

    @Test
    void rewindReadsAgainFromTheOldestUnacknowledged() throws Exception {
        try (DiskSpool spool = open()) {
            for (int i = 0; i < 600; i++) {
                spool.append(record(i));
            }
            drain(spool);
            spool.acknowledgeBefore(250);
            spool.rewind();
            List<SpooledRecord> again = drain(spool);
            assertEquals(350, again.size());
            assertEquals(250, again.get(0).sequence());
        }
    }

    @Test
    void aDamagedRecordIsSkippedAndEverythingAroundItDelivered() throws Exception {
        try (DiskSpool spool = open(1 << 20, 1L << 30, FsyncPolicy.INTERVAL)) {
            for (int i = 0; i < 100; i++) {
                spool.append(record(i));
            }
        }
        Path segment = segmentFiles().get(0);
        long frame = Files.size(segment) / 100;
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            long inRecord50 = 50 * frame + frame / 2;
            file.seek(inRecord50);
            int b = file.read();
            file.seek(inRecord50);
            file.write(b ^ 0xFF);
        }
        try (DiskSpool spool = open()) {
            assertEquals(1, spool.recoveryReport().damagedRegions());
            assertEquals(99, spool.recoveryReport().pendingRecords());
            List<Integer> numbers = drain(spool).stream().map(DiskSpoolTest::number).collect(Collectors.toList());
            assertEquals(99, numbers.size());
            assertTrue(!numbers.contains(50) && numbers.contains(49) && numbers.contains(51));
        }
    }

    @Test
    void aTornTailIsDetectedAndTheSpoolCarriesOn() throws Exception {
        try (DiskSpool spool = open(1 << 20, 1L << 30, FsyncPolicy.INTERVAL)) {
            for (int i = 0; i < 10; i++) {
                spool.append(record(i));
            }
        }
        Path segment = segmentFiles().get(0);
        long size = Files.size(segment);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(size - 40); // a crash in the middle of writing the last record
        }
        try (DiskSpool spool = open()) {
            assertEquals(1, spool.recoveryReport().damagedRegions());
            assertEquals(9, spool.recoveryReport().pendingRecords());
            assertEquals(9, spool.append(record(10)), "the torn record's number is reused: it was never acknowledged");
            List<Integer> numbers = drain(spool).stream().map(DiskSpoolTest::number).collect(Collectors.toList());
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 10), numbers);
        }
    }

    @Test
    void aSecondOwnerIsRefusedWithTheFirstOwnersName() throws Exception {
        try (DiskSpool first = open()) {
            SpoolLockedException e = assertThrows(SpoolLockedException.class, this::open);
            assertTrue(e.getMessage().contains("test owner"), e.getMessage());
        }
        open().close(); // released on close
    }

    @Test
    void aFullSpoolRefusesNewRecordsAndKeepsTheOldOnes() throws Exception {
        try (DiskSpool spool = open(64 << 10, 1 << 20, FsyncPolicy.INTERVAL)) {
            int stored = 0;
            SpoolFullException full = null;
            while (full == null) {
                try {
                    spool.append(record(stored));
                    stored++;
                } catch (SpoolFullException e) {
                    full = e;
                }
            }
            assertTrue(spool.sizeBytes() <= 1 << 20);
            assertEquals(stored, drain(spool).size());
            spool.acknowledgeBefore(stored);
            spool.maintain();
            spool.append(record(stored)); // room again once delivered
        }
    }

    @Test
    void anUnusableDirectoryIsAClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        IOException e = assertThrows(IOException.class, () -> DiskSpool.open(file.resolve("spool"), 1 << 20, 1 << 16,
                DiskSpool.DEFAULT_MAX_RECORD_BYTES, FsyncPolicy.INTERVAL, Duration.ofSeconds(1), Duration.ofSeconds(1), "owner", "t"));
        assertTrue(e.toString().contains("not-a-directory"), e.toString());
    }

    @Test
    void fsyncAlwaysGroupCommitsConcurrentAppends() throws Exception {
        try (DiskSpool spool = open(1 << 20, 1L << 30, FsyncPolicy.ALWAYS)) {
            ExecutorService threads = Executors.newFixedThreadPool(8);
            Set<Long> sequences = ConcurrentHashMap.newKeySet();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int base = t * 1000;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        sequences.add(spool.append(record(base + i)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            threads.shutdown();
            assertEquals(1600, sequences.size());
            assertEquals(0, spool.unsyncedAppends(), "every append returned after its fsync");
            assertEquals(1600, drain(spool).size());
        }
    }
}
