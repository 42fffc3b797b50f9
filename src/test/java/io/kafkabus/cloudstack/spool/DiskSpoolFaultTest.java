package io.kafkabus.cloudstack.spool;

import static io.kafkabus.cloudstack.testing.Conditions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.kafkabus.cloudstack.config.FsyncPolicy;
import io.kafkabus.cloudstack.routing.RoutedRecord;

/** The disk spool under faults: interrupted callers, failing syncs and rolls, files removed by hand. */
class DiskSpoolFaultTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int FRAME = SegmentFile.unsealedFrame(rec(0)).remaining();

    /** Records of one size (for up to 900 of them). */
    private static RoutedRecord rec(int n) {
        return DiskSpoolTest.record(100 + n);
    }

    @TempDir
    Path dir;

    private final FaultySegmentStore store = new FaultySegmentStore();

    /** A spool writing through the faulty store; everything is read back from disk, where the faults are. */
    private DiskSpool open(int segmentBytes, long maxBytes, FsyncPolicy policy, Duration fsyncTimeout) throws IOException {
        return DiskSpool.open(dir, maxBytes, segmentBytes, 1 << 20, policy, Duration.ofMillis(50), fsyncTimeout,
                "test owner", "test-fsync", store, 0);
    }

    private DiskSpool open(int segmentBytes, FsyncPolicy policy) throws IOException {
        return open(segmentBytes, 1L << 30, policy, WAIT);
    }

    private DiskSpool reopen() throws IOException {
        return DiskSpool.open(dir, 1L << 30, 64 << 10, 1 << 20, FsyncPolicy.INTERVAL, Duration.ofMillis(50), WAIT, "test owner",
                "test-fsync");
    }

    private static List<Long> drainSequences(Spool spool) throws Exception {
        List<Long> all = new ArrayList<>();
        for (SpooledRecord r = spool.poll(Duration.ofMillis(50)); r != null; r = spool.poll(Duration.ofMillis(50))) {
            all.add(r.sequence());
        }
        return all;
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(SegmentFile.SUFFIX)).sorted().collect(Collectors.toList());
        }
    }

    @ParameterizedTest
    @EnumSource(FsyncPolicy.class)
    void anInterruptedCallersRecordIsStoredItsFlagKeptAndTheSpoolUnharmed(FsyncPolicy policy) throws Exception {
        try (DiskSpool spool = open(4 * FRAME, policy)) {
            Thread.currentThread().interrupt();
            try {
                for (int i = 0; i < 10; i++) { // rolls segments too, on the interrupted thread
                    assertEquals(i, spool.append(rec(i)));
                    assertTrue(Thread.currentThread().isInterrupted(), "the caller's interrupt flag stays set");
                }
                SpooledRecord read = spool.poll(Duration.ZERO);
                assertNotNull(read, "an interrupted reader reads too");
                assertTrue(Thread.currentThread().isInterrupted());
            } finally {
                Thread.interrupted();
            }
            assertEquals(10, spool.append(rec(10)), "the next caller, not interrupted, appends normally");
            assertFalse(Thread.currentThread().isInterrupted(), "a clear flag stays clear");
            assertEquals(0, spool.unsyncedAppends(), "with fsync=always the interrupted caller waited for the disk too");
            spool.rewind();
            assertEquals(11, drainSequences(spool).size());
            spool.acknowledgeBefore(3);
            Thread.currentThread().interrupt();
            try {
                spool.close();
                assertTrue(Thread.currentThread().isInterrupted());
            } finally {
                Thread.interrupted();
            }
        }
        assertEquals(3, Checkpoint.read(dir), "an interrupted close still records progress");
        try (DiskSpool spool = reopen()) {
            assertEquals(8, spool.recoveryReport().pendingRecords());
            assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), drainSequences(spool));
        }
    }

    @Test
    void closeRecordsProgressAndReleasesTheLockEvenWhenForcingFails() throws Exception {
        DiskSpool spool = open(4 * FRAME, FsyncPolicy.INTERVAL);
        for (int i = 0; i < 10; i++) {
            spool.append(rec(i));
        }
        spool.acknowledgeBefore(6);
        store.failSync = true;
        IOException e = assertThrows(IOException.class, spool::close);
        assertTrue(e.toString().contains("simulated"), e.toString());
        assertEquals(6, Checkpoint.read(dir));
        try (DiskSpool again = reopen()) {
            assertEquals(List.of(6L, 7L, 8L, 9L), drainSequences(again));
        }
    }

    @Test
    void fullMeansUnacknowledgedBytesNotSegmentFiles() throws Exception {
        long max = 3L * (64 << 10);
        try (DiskSpool spool = open(64 << 10, max, FsyncPolicy.INTERVAL, WAIT)) {
            for (int i = 0; i < 5000; i++) {
                spool.append(DiskSpoolTest.record(i));
                assertEquals(i, spool.poll(Duration.ZERO).sequence());
                spool.acknowledgeBefore(i + 1);
            }
            assertEquals(0, spool.pendingBytes());
            assertTrue(spool.sizeBytes() > max, "delivered records still on disk are not what 'full' measures");
            SpoolFullException full = null;
            int stored = 0;
            while (full == null) {
                try {
                    spool.append(rec(stored++));
                } catch (SpoolFullException e) {
                    full = e;
                }
            }
            long pending = spool.pendingBytes();
            assertTrue(pending <= max && pending + FRAME > max, pending + " of " + max);
            assertEquals("spool full: " + pending + " of " + max + " bytes hold events Kafka has not acknowledged yet",
                    full.getMessage());
        }
    }

    @Test
    void pendingBytesAreRecoveredAtOpen() throws Exception {
        long pending;
        try (DiskSpool spool = open(64 << 10, FsyncPolicy.INTERVAL)) {
            for (int i = 0; i < 100; i++) {
                spool.append(rec(i));
            }
            spool.acknowledgeBefore(40);
            pending = spool.pendingBytes();
            assertEquals(60L * FRAME, pending);
        }
        try (DiskSpool spool = reopen()) {
            assertEquals(pending, spool.pendingBytes());
        }
    }

    @Test
    void aFailingSyncBacksOffAndIsCounted() throws Exception {
        try (DiskSpool spool = open(64 << 10, 1L << 30, FsyncPolicy.ALWAYS, Duration.ofMillis(100))) {
            store.failSync = true;
            spool.append(rec(0));
            assertEquals(1, spool.unsyncedAppends(), "returned after spool.fsync.timeout.ms without the disk");
            await(() -> store.syncAttempts.size() >= 5, WAIT, "five sync attempts");
            List<Long> at = store.syncAttempts;
            for (int i = 1; i < 5; i++) {
                long gapMs = (at.get(i) - at.get(i - 1)) / 1_000_000;
                long backoffMs = 10L << (i - 1);
                assertTrue(gapMs >= backoffMs - 1, "retry " + i + " after " + gapMs + " ms, not after a back-off of " + backoffMs);
            }
            assertTrue(spool.syncFailures() >= 4, "failures counted: " + spool.syncFailures());
            store.failSync = false;
            await(() -> store.syncsDone.get() > 0, WAIT, "the disk syncs again");
            spool.append(rec(1));
            assertEquals(1, spool.unsyncedAppends(), "once the disk is back appends are durable again");
        }
    }

    @Test
    void aFailedRollFailsOnlyThatAppendAndLeavesTheLiveSegmentWorking() throws Exception {
        RoutedRecord tiny = new RoutedRecord("t", null, new byte[0], Map.of(), 0);
        int tinyFrame = SegmentFile.unsealedFrame(tiny).remaining();
        try (DiskSpool spool = open(3 * FRAME + tinyFrame, FsyncPolicy.INTERVAL)) {
            for (int i = 0; i < 3; i++) {
                spool.append(rec(i));
            }
            store.failCreate = true;
            IOException e = assertThrows(IOException.class, () -> spool.append(rec(3)));
            assertTrue(e.getMessage().contains("Too many open files"), e.getMessage());
            int synced = store.syncsDone.get();
            await(() -> store.syncsDone.get() > synced, WAIT, "the syncer has run since the failed roll");
            assertEquals(3, spool.append(tiny), "the live segment was neither closed nor handed away");
            assertThrows(IOException.class, () -> spool.append(rec(4)));
            store.failCreate = false;
            assertEquals(4, spool.append(rec(4)), "the roll is tried again");
            assertEquals(5, spool.append(rec(5)));
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), drainSequences(spool));
        }
        try (DiskSpool spool = reopen()) {
            assertEquals(6, spool.recoveryReport().pendingRecords());
            assertEquals(0, spool.recoveryReport().damagedRegions());
        }
    }

    @Test
    void aSegmentRemovedByHandIsSkippedCountedAndTakenOffTheSize() throws Exception {
        try (DiskSpool spool = open(4 * FRAME, FsyncPolicy.INTERVAL)) {
            for (int i = 0; i < 12; i++) {
                spool.append(rec(i));
            }
            assertEquals(3, segmentFiles().size());
            long size = spool.sizeBytes();
            Files.delete(segmentFiles().get(1));
            assertEquals(List.of(0L, 1L, 2L, 3L, 8L, 9L, 10L, 11L), drainSequences(spool));
            assertEquals(1, spool.missingSegments());
            assertEquals(size - 4L * FRAME, spool.sizeBytes());
            spool.append(rec(12));
            assertEquals(12, spool.poll(WAIT).sequence(), "delivery goes on");
            spool.acknowledgeBefore(13);
            spool.maintain();
        }
    }

    @Test
    void theActiveSegmentRemovedByHandIsSkippedOnceTheNextSegmentStarts() throws Exception {
        try (DiskSpool spool = open(4 * FRAME, FsyncPolicy.INTERVAL)) {
            spool.append(rec(0));
            Files.delete(segmentFiles().get(0));
            assertEquals(List.of(), drainSequences(spool));
            assertEquals(1, spool.missingSegments());
            for (int i = 1; i < 6; i++) {
                spool.append(rec(i));
            }
            assertEquals(List.of(4L, 5L), drainSequences(spool));
            assertEquals(1, spool.missingSegments());
        }
    }

    @Test
    void withFsyncAlwaysTheDirectoryIsSyncedForEveryNewSegmentBeforeAppendReturns() throws Exception {
        try (DiskSpool spool = open(2 * FRAME, FsyncPolicy.ALWAYS)) {
            for (int i = 0; i < 7; i++) {
                spool.append(rec(i));
                List<Integer> syncs = store.directorySyncs;
                assertTrue(!syncs.isEmpty() && syncs.get(syncs.size() - 1) == store.created.get(),
                        "after append " + i + ": " + store.created.get() + " segment(s) created, directory synced for " + syncs);
            }
            assertEquals(4, store.created.get());
        }
    }

    @Test
    void aRecordLargerThanTheMaximumIsRefusedNamingItsSize() throws Exception {
        try (DiskSpool spool = DiskSpool.open(dir, 1L << 30, 64 << 10, 1000, FsyncPolicy.INTERVAL, Duration.ofMillis(50),
                WAIT, "test owner", "test-fsync")) {
            RoutedRecord large = new RoutedRecord("events", null, new byte[2000], Map.of(), 0);
            IOException e = assertThrows(IOException.class, () -> spool.append(large));
            assertTrue(e.getMessage().contains(RecordCodec.encodedSize(large) + " bytes") && e.getMessage().contains("1000"),
                    e.getMessage());
            assertEquals(0, spool.append(rec(0)));
            assertEquals(1, spool.pendingRecords());
        }
    }

    @Test
    void aSegmentThatCannotBeCreatedAtOpenReleasesTheDirectory() throws Exception {
        store.failCreate = true;
        assertThrows(IOException.class, () -> open(64 << 10, FsyncPolicy.INTERVAL));
        reopen().close();
    }
}
