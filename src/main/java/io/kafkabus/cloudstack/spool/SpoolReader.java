package io.kafkabus.cloudstack.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender's cursor over the segments, in sequence order: finished segments to their end, the
 * active one as far as whole frames are written. A segment file removed by hand is skipped
 * (counted, and taken off the size accounting) and reading goes on with the next one. Used by the
 * one reader thread only, except for the counters.
 */
final class SpoolReader implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolReader.class);

    private final Segments segments;
    private final SegmentAppender appender;
    private final int maxRecordBytes;
    /** Base sequence of the first segment this run wrote: damage before it is in the recovery report. */
    private final long firstOwnSegment;
    private SegmentFile.Reader cursor;
    /** Base of the segment the cursor is on (its file may be missing), or -1 before a seek. */
    private long cursorBase = -1;
    private long nextSequence;
    private long lastMissingBase = -1;
    private volatile long damaged;
    private final AtomicLong missing = new AtomicLong();

    SpoolReader(Segments segments, SegmentAppender appender, int maxRecordBytes, long firstOwnSegment) {
        this.segments = segments;
        this.appender = appender;
        this.maxRecordBytes = maxRecordBytes;
        this.firstOwnSegment = firstOwnSegment;
    }

    /** The sequence number the next record read must have at least. */
    long nextSequence() {
        return nextSequence;
    }

    /**
     * The next intact record at or after the cursor (placed at {@code acknowledgedBefore} after a
     * rewind), or null when none is written yet.
     */
    SpooledRecord next(long acknowledgedBefore) throws IOException {
        if (cursorBase < 0 && !seek(acknowledgedBefore)) {
            return null;
        }
        while (true) {
            SegmentAppender.Active writing = appender.active();
            boolean complete = writing.base() != cursorBase;
            if (cursor != null) {
                long limit = complete ? cursor.size() : writing.written();
                SpooledRecord record = cursor.next(limit);
                if (record != null) {
                    if (record.sequence() < nextSequence) {
                        continue;
                    }
                    nextSequence = record.sequence() + 1;
                    return record;
                }
                if (!complete) {
                    return null;
                }
                if (cursorBase >= firstOwnSegment) {
                    damaged += cursor.damagedRegions() + (cursor.position() < limit ? 1 : 0);
                }
            } else if (!complete) {
                return null; // the active segment's file is gone: what comes next goes to the next segment
            }
            Segments.Segment following = segments.following(cursorBase);
            if (following == null) {
                return null;
            }
            open(following);
        }
    }

    private boolean seek(long sequence) throws IOException {
        Segments.Segment segment = segments.holding(sequence);
        if (segment == null) {
            return false;
        }
        open(segment);
        nextSequence = sequence;
        return true;
    }

    private void open(Segments.Segment segment) throws IOException {
        close();
        cursorBase = segment.base;
        try {
            cursor = new SegmentFile.Reader(segment.file, maxRecordBytes);
        } catch (NoSuchFileException e) {
            if (segment.base != lastMissingBase) {
                lastMissingBase = segment.base;
                missing.incrementAndGet();
                LOG.warn("Spool segment {} is missing (removed by hand?): the events it held are skipped", segment.file);
            }
            if (segment.base != appender.active().base()) {
                segments.remove(segment.base);
            }
        }
    }

    /** Moves the cursor back: the next read starts at the oldest record not yet acknowledged. */
    void rewind() {
        try {
            close();
        } catch (IOException e) {
            cursor = null;
        }
    }

    /** Damaged regions skipped in segments this run wrote. */
    long damaged() {
        return damaged;
    }

    /** Segment files found missing. */
    long missing() {
        return missing.get();
    }

    @Override
    public void close() throws IOException {
        SegmentFile.Reader open = cursor;
        cursor = null;
        cursorBase = -1;
        if (open != null) {
            open.close();
        }
    }
}
