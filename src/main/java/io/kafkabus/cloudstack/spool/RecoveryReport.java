package io.kafkabus.cloudstack.spool;

import java.nio.file.Path;
import java.time.Instant;

/** What opening a disk spool found. Immutable. */
public final class RecoveryReport {
    private final Path directory;
    private final long acknowledgedBefore;
    private final long nextSequence;
    private final long pendingRecords;
    private final long oldestPendingMs;
    private final long damagedRegions;

    RecoveryReport(Path directory, long acknowledgedBefore, long nextSequence, long pendingRecords, long oldestPendingMs,
                   long damagedRegions) {
        this.directory = directory;
        this.acknowledgedBefore = acknowledgedBefore;
        this.nextSequence = nextSequence;
        this.pendingRecords = pendingRecords;
        this.oldestPendingMs = oldestPendingMs;
        this.damagedRegions = damagedRegions;
    }

    public Path directory() { return directory; }
    /** The checkpoint: every record below this sequence number was delivered. */
    public long acknowledgedBefore() { return acknowledgedBefore; }
    public long nextSequence() { return nextSequence; }
    /** Intact records found that were not yet delivered; they are sent first. */
    public long pendingRecords() { return pendingRecords; }
    /** Stretches of damaged bytes (a torn write, a bad checksum) skipped, each at least one record. */
    public long damagedRegions() { return damagedRegions; }

    @Override
    public String toString() {
        return "spool " + directory + ": " + pendingRecords + " undelivered event(s) recovered"
                + (oldestPendingMs < 0 ? "" : ", oldest published " + Instant.ofEpochMilli(oldestPendingMs))
                + (damagedRegions == 0 ? "" : "; " + damagedRegions + " damaged record region(s) skipped (torn write or bad checksum)");
    }
}
