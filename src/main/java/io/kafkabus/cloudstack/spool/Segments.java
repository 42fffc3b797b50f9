package io.kafkabus.cloudstack.spool;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The segment files of a spool by base sequence number, with their sizes: what the reader walks,
 * maintenance deletes and {@code sizeBytes} sums. Sizes are kept here rather than asked of the file
 * system, so that a file removed by hand can still be taken off the total. Thread-safe.
 */
final class Segments {
    /** One segment file; only the writer (under its lock) grows it. */
    static final class Segment {
        final long base;
        final Path file;
        private volatile long bytes;

        Segment(long base, Path file, long bytes) {
            this.base = base;
            this.file = file;
            this.bytes = bytes;
        }

        long bytes() {
            return bytes;
        }
    }

    private final ConcurrentSkipListMap<Long, Segment> byBase = new ConcurrentSkipListMap<>();
    private final AtomicLong totalBytes = new AtomicLong();

    Segment add(long base, Path file, long bytes) {
        Segment segment = new Segment(base, file, bytes);
        byBase.put(base, segment);
        totalBytes.addAndGet(bytes);
        return segment;
    }

    /** {@code segment} grew by {@code bytes}; called by the one writer. */
    void grew(Segment segment, int bytes) {
        segment.bytes += bytes;
        totalBytes.addAndGet(bytes);
    }

    /** Forgets the segment (deleted, or found missing) and its bytes. */
    void remove(long base) {
        Segment removed = byBase.remove(base);
        if (removed != null) {
            totalBytes.addAndGet(-removed.bytes);
        }
    }

    /** The segment holding {@code sequence} if any is on disk, else the first, else null. */
    Segment holding(long sequence) {
        Map.Entry<Long, Segment> entry = byBase.floorEntry(sequence);
        if (entry == null) {
            entry = byBase.firstEntry();
        }
        return entry == null ? null : entry.getValue();
    }

    /** The segment starting at {@code base}, or null if there is none (any more). */
    Segment at(long base) {
        return byBase.get(base);
    }

    /** The segment after the one starting at {@code base}, or null. */
    Segment following(long base) {
        Map.Entry<Long, Segment> entry = byBase.higherEntry(base);
        return entry == null ? null : entry.getValue();
    }

    Segment first() {
        Map.Entry<Long, Segment> entry = byBase.firstEntry();
        return entry == null ? null : entry.getValue();
    }

    long totalBytes() {
        return totalBytes.get();
    }
}
