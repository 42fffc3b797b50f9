package io.kafkabus.cloudstack.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender's cursor over the spool, in sequence order: records just appended are taken from
 * memory ({@link RecentRecords}) while the reader keeps up; the rest is read from the segments,
 * finished ones to their end, the active one as far as whole frames are written. A segment file
 * removed by hand is skipped (counted, and taken off the size accounting) and reading goes on with
 * the next one. Used by the one reader thread only, except for the counters.
 */
final class SpoolReader implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolReader.class);

    private final Segments segments;
    private final SegmentAppender appender;
    private final RecentRecords recent;
    private final int maxRecordBytes;
    /** Base sequence of the first segment this run wrote: damage before it is in the recovery report. */
    private final long firstOwnSegment;
    private SegmentFile.Reader cursor;
    /** Base of the segment the cursor is on (its file may be missing), or -1 before a seek. */
    private long cursorBase = -1;
    /** The cursor's segment's size once it is no longer written to (read once), else -1. */
    private long finishedSize = -1;
    /** With no cursor open: the segment and byte where the last record taken from memory ends, else -1. */
    private long resumeBase = -1;
    private long resumeAt;
    /** False before the first read and after a rewind: the next read starts at the oldest unacknowledged record. */
    private boolean positioned;
    private long nextSequence;
    private long lastMissingBase = -1;
    private volatile long damaged;
    private final AtomicLong missing = new AtomicLong();

    SpoolReader(Segments segments, SegmentAppender appender, RecentRecords recent, int maxRecordBytes, long firstOwnSegment) {
        this.segments = segments;
        this.appender = appender;
        this.recent = recent;
        this.maxRecordBytes = maxRecordBytes;
        this.firstOwnSegment = firstOwnSegment;
    }

    /** The sequence number the next record read must have at least. */
    long nextSequence() {
        return nextSequence;
    }

    /**
     * The next intact record at or after the cursor (placed at {@code acknowledgedBefore} after a
     * rewind), or null when none is written yet ({@code lastWritten} is the last record appended).
     */
    SpooledRecord next(long acknowledgedBefore, long lastWritten) throws IOException {
        if (!positioned) {
            nextSequence = acknowledgedBefore;
            positioned = true;
        }
        if (nextSequence > lastWritten) {
            return null;
        }
        RecentRecords.Kept kept = recent.take(nextSequence);
        if (kept != null) {
            close();
            resumeBase = kept.segmentBase;
            resumeAt = kept.frameEnd;
            nextSequence = kept.record.sequence() + 1;
            return kept.record;
        }
        if (cursorBase < 0 && !openAtNextSequence()) {
            return null;
        }
        while (true) {
            SegmentAppender.Active writing = appender.active();
            boolean complete = writing.base() != cursorBase;
            if (cursor != null) {
                if (complete && finishedSize < 0) {
                    finishedSize = cursor.size();
                }
                long limit = complete ? finishedSize : writing.written();
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

    /** Opens the cursor where {@link #nextSequence} is: after the last record taken from memory, else by sequence. */
    private boolean openAtNextSequence() throws IOException {
        Segments.Segment resume = resumeBase < 0 ? null : segments.at(resumeBase);
        if (resume != null) {
            open(resume);
            if (cursor != null) {
                cursor.skipTo(resumeAt);
            }
            return true;
        }
        Segments.Segment segment = segments.holding(nextSequence);
        if (segment == null) {
            return false;
        }
        open(segment);
        return true;
    }

    private void open(Segments.Segment segment) throws IOException {
        close();
        cursorBase = segment.base;
        finishedSize = -1;
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
        positioned = false;
        resumeBase = -1;
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
