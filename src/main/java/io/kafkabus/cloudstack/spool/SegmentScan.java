package io.kafkabus.cloudstack.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One read-only pass over a segment file, from its first byte to its end: each intact record, and
 * each stretch of bytes that held none (a torn write, a bad checksum). What recovery reads at open
 * and what the command line's {@link SpoolInspection} shows, from the same code.
 */
final class SegmentScan {
    /** What the pass finds, in file order. */
    interface Visitor {
        void record(SpooledRecord record, int frameBytes) throws IOException;

        /**
         * Bytes {@code [from, to)} of the file held no intact record: {@code regions} damaged
         * stretches; {@code atEnd} when they run to the file's end, where a torn write is.
         */
        default void damaged(long from, long to, long regions, boolean atEnd) {
        }
    }

    final long bytes;
    /** The highest sequence number of the file's intact records, or -1 if it has none. */
    final long lastSequence;
    final long damagedRegions;

    private SegmentScan(long bytes, long lastSequence, long damagedRegions) {
        this.bytes = bytes;
        this.lastSequence = lastSequence;
        this.damagedRegions = damagedRegions;
    }

    /**
     * Reads {@code file}; records claiming more than {@code maxRecordBytes} are damage.
     *
     * @throws SpoolFormatException at a frame or record a newer version of the plugin wrote
     */
    static SegmentScan of(Path file, int maxRecordBytes, Visitor visitor) throws IOException {
        try (SegmentFile.Reader reader = new SegmentFile.Reader(file, maxRecordBytes)) {
            long size = reader.size();
            long lastSequence = -1;
            long intactFrom = 0;
            long regionsReported = 0;
            for (SpooledRecord r = reader.next(size); r != null; r = reader.next(size)) {
                long frameStart = reader.position() - reader.lastFrameBytes();
                if (reader.damagedRegions() > regionsReported) {
                    visitor.damaged(intactFrom, frameStart, reader.damagedRegions() - regionsReported, false);
                    regionsReported = reader.damagedRegions();
                }
                lastSequence = Math.max(lastSequence, r.sequence());
                visitor.record(r, reader.lastFrameBytes());
                intactFrom = reader.position();
            }
            // Fewer bytes left than a frame header: a write torn early in its header.
            long total = reader.damagedRegions() + (reader.position() < size ? 1 : 0);
            if (total > regionsReported) {
                visitor.damaged(intactFrom, size, total - regionsReported, true);
            }
            return new SegmentScan(size, lastSequence, total);
        }
    }

    /** The segment files of {@code directory}, oldest first. */
    static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.filter(f -> SegmentFile.baseSequenceOf(f) >= 0)
                    .sorted(Comparator.comparingLong(SegmentFile::baseSequenceOf)).collect(Collectors.toList());
        }
    }
}
