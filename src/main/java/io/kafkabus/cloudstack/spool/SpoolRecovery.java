package io.kafkabus.cloudstack.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an earlier run left in a spool directory, scanned at open: the segments still holding
 * undelivered records (wholly delivered ones are deleted), the sizes of those records, where
 * numbering goes on, and the damage found.
 */
final class SpoolRecovery {
    final Segments segments = new Segments();
    final PendingSizes pending;
    final RecoveryReport report;
    private long pendingRecords;
    private long oldestPendingMs = -1;

    private SpoolRecovery(Path directory, int maxRecordBytes) throws IOException {
        long acknowledged = Checkpoint.read(directory);
        pending = new PendingSizes(acknowledged);
        long next = acknowledged;
        long damaged = 0;
        for (Path file : SegmentScan.files(directory)) {
            SegmentScan scan = SegmentScan.of(file, maxRecordBytes, (r, frameBytes) -> {
                if (r.sequence() >= acknowledged) {
                    pendingRecords++;
                    pending.add(r.sequence(), frameBytes);
                    oldestPendingMs = oldestPendingMs < 0 ? r.record().timestampMs() : oldestPendingMs;
                }
            });
            damaged += scan.damagedRegions;
            if (scan.lastSequence < acknowledged) {
                Files.delete(file);
                continue;
            }
            segments.add(SegmentFile.baseSequenceOf(file), file, scan.bytes);
            next = Math.max(next, scan.lastSequence + 1);
        }
        report = new RecoveryReport(directory, acknowledged, next, pendingRecords, oldestPendingMs, damaged);
    }

    /** Scans {@code directory}; records claiming more than {@code maxRecordBytes} are damage. */
    static SpoolRecovery scan(Path directory, int maxRecordBytes) throws IOException {
        return new SpoolRecovery(directory, maxRecordBytes);
    }
}
