package io.kafkabus.cloudstack.spool;

import java.util.ArrayDeque;

import io.kafkabus.cloudstack.routing.RoutedRecord;

/**
 * The records appended last, kept in memory up to a byte bound, in sequence order: a reader keeping
 * up with the writers takes them from here instead of reading back and decoding what was just
 * written. Consecutive only: once a record did not fit (the reader fell behind, Kafka is away),
 * none is kept until the reader has taken every one kept, and the rest is read from disk. Each
 * carries where its frame ends on disk, so that reading from disk goes on right after it.
 * Thread-safe: records come in under the spool's write lock, and are taken by the one reader.
 */
final class RecentRecords {
    /** A record kept, and where its frame ends on disk. */
    static final class Kept {
        final SpooledRecord record;
        final long segmentBase;
        final long frameEnd;
        final int frameBytes;

        Kept(SpooledRecord record, long segmentBase, long frameEnd, int frameBytes) {
            this.record = record;
            this.segmentBase = segmentBase;
            this.frameEnd = frameEnd;
            this.frameBytes = frameBytes;
        }
    }

    private final long maxBytes;
    private final ArrayDeque<Kept> kept = new ArrayDeque<>();
    private long bytes;
    /** A record was left out: keep none until the reader has taken every one kept. */
    private boolean overflowed;

    /** @param maxBytes most frame bytes kept; 0 keeps none */
    RecentRecords(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Record {@code sequence} was written to segment {@code segmentBase}, its frame ending at {@code frameEnd}. */
    synchronized void add(long sequence, RoutedRecord record, long segmentBase, long frameEnd, int frameBytes) {
        if (overflowed && !kept.isEmpty()) {
            return;
        }
        if (bytes + frameBytes > maxBytes || !kept.isEmpty() && kept.peekLast().record.sequence() != sequence - 1) {
            overflowed = true;
            return;
        }
        overflowed = false;
        kept.addLast(new Kept(new SpooledRecord(sequence, record), segmentBase, frameEnd, frameBytes));
        bytes += frameBytes;
    }

    /** Record {@code sequence} if kept, else null; records kept below it are let go. */
    synchronized Kept take(long sequence) {
        for (Kept first = kept.peekFirst(); first != null && first.record.sequence() <= sequence; first = kept.peekFirst()) {
            kept.pollFirst();
            bytes -= first.frameBytes;
            if (first.record.sequence() == sequence) {
                return first;
            }
        }
        return null;
    }
}
