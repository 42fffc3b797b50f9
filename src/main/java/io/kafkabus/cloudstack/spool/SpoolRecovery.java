package io.kafkabus.cloudstack.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What an earlier run left in a spool directory, scanned at open: the segments still holding
 * undelivered records (wholly delivered ones are deleted), the sizes of those records, where
 * numbering goes on, and the damage found.
 */
final class SpoolRecovery {
    final Segments segments = new Segments();
    final PendingSizes pending;
    final RecoveryReport report;

    private SpoolRecovery(Path directory, int maxRecordBytes) throws IOException {
        long acknowledged = Checkpoint.read(directory);
        pending = new PendingSizes(acknowledged);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(directory)) {
            listing.filter(f -> SegmentFile.baseSequenceOf(f) >= 0).forEach(files::add);
        }
        files.sort(Comparator.comparingLong(SegmentFile::baseSequenceOf));
        long next = acknowledged;
        long pendingRecords = 0;
        long oldestPendingMs = -1;
        long damaged = 0;
        for (Path file : files) {
            long lastInFile = -1;
            long size;
            try (SegmentFile.Reader reader = new SegmentFile.Reader(file, maxRecordBytes)) {
                size = reader.size();
                for (SpooledRecord r = reader.next(size); r != null; r = reader.next(size)) {
                    lastInFile = Math.max(lastInFile, r.sequence());
                    if (r.sequence() >= acknowledged) {
                        pendingRecords++;
                        pending.add(r.sequence(), reader.lastFrameBytes());
                        oldestPendingMs = oldestPendingMs < 0 ? r.record().timestampMs() : oldestPendingMs;
                    }
                }
                damaged += reader.damagedRegions() + (reader.position() < size ? 1 : 0);
            }
            if (lastInFile < acknowledged) {
                Files.delete(file);
                continue;
            }
            segments.add(SegmentFile.baseSequenceOf(file), file, size);
            next = Math.max(next, lastInFile + 1);
        }
        report = new RecoveryReport(directory, acknowledged, next, pendingRecords, oldestPendingMs, damaged);
    }

    /** Scans {@code directory}; records claiming more than {@code maxRecordBytes} are damage. */
    static SpoolRecovery scan(Path directory, int maxRecordBytes) throws IOException {
        return new SpoolRecovery(directory, maxRecordBytes);
    }
}
