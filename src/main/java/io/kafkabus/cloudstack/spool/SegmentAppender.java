package io.kafkabus.cloudstack.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes frames to the active segment and rolls to a new one when it is full. A roll that fails
 * (too many open files, permissions) leaves the live segment as it was, and the next append tries
 * again. Full segments are forced and closed by {@link #sync}, on the syncer thread, off the
 * publishing threads. All but {@link #sync} and {@link #active} are called holding the spool's
 * write lock.
 */
final class SegmentAppender {
    /** The segment being appended to. */
    static final class Active {
        final Segments.Segment segment;
        final SegmentStore.Output output;

        Active(Segments.Segment segment, SegmentStore.Output output) {
            this.segment = segment;
            this.output = output;
        }

        long base() {
            return segment.base;
        }

        /** How far whole frames are written. */
        long written() {
            return segment.bytes();
        }
    }

    private final Path directory;
    private final SegmentStore store;
    private final int segmentBytes;
    private final Segments segments;
    private final ReentrantLock writeLock;
    private volatile Active active;
    /** Full segments yet to be forced and closed. */
    private final List<SegmentStore.Output> rolled = new ArrayList<>();
    private long lastWritten;
    private long segmentsCreated;
    /** How many of the segments created the directory is synced for; the syncer's. */
    private long directorySyncedFor;

    SegmentAppender(Path directory, SegmentStore store, int segmentBytes, Segments segments, ReentrantLock writeLock) {
        this.directory = directory;
        this.store = store;
        this.segmentBytes = segmentBytes;
        this.segments = segments;
        this.writeLock = writeLock;
    }

    /** Creates the first segment of this run, numbered from {@code nextSequence}. */
    void start(long nextSequence) throws IOException {
        lastWritten = nextSequence - 1;
        active = create(nextSequence);
    }

    Active active() {
        return active;
    }

    /**
     * Writes sealed {@code frame}, record {@code sequence}, whole or not at all.
     *
     * @throws IOException when it could not be written, or a new segment was needed and could not be created
     */
    void append(ByteBuffer frame, long sequence) throws IOException {
        int length = frame.remaining();
        Active segment = active.written() > 0 && active.written() + length > segmentBytes ? roll(sequence) : active;
        long at = segment.written();
        try {
            segment.output.write(frame.array(), frame.arrayOffset() + frame.position(), length, at);
        } catch (IOException e) {
            // Leave no half frame behind: the next append starts at the same place.
            IoSteps.run(e, () -> segment.output.truncate(at));
            throw e;
        }
        segments.grew(segment.segment, length);
        lastWritten = sequence;
    }

    private Active roll(long base) throws IOException {
        Active next = create(base);
        rolled.add(active.output);
        active = next;
        return next;
    }

    private Active create(long base) throws IOException {
        Path file = directory.resolve(SegmentFile.fileName(base));
        SegmentStore.Output output = store.create(file);
        segmentsCreated++;
        return new Active(segments.add(base, file, 0), output);
    }

    /**
     * Forces what is written to disk: full segments (then closed), the active one, and the
     * directory if segments were created since it was last synced.
     *
     * @return the sequence number of the last record now on disk
     */
    long sync() throws IOException {
        Active segment;
        long target;
        long created;
        List<SegmentStore.Output> full;
        writeLock.lock();
        try {
            segment = active;
            target = lastWritten;
            created = segmentsCreated;
            full = new ArrayList<>(rolled);
        } finally {
            writeLock.unlock();
        }
        for (SegmentStore.Output output : full) {
            output.sync();
            writeLock.lock();
            try {
                rolled.remove(output);
            } finally {
                writeLock.unlock();
            }
            output.close();
        }
        segment.output.sync();
        if (created > directorySyncedFor) {
            store.syncDirectory(directory);
            directorySyncedFor = created;
        }
        return target;
    }

    /**
     * Forces and closes every segment file, each step whatever the others did, and deletes the
     * active segment if nothing was written to it. Called once the syncer is stopped.
     */
    void close() throws IOException {
        IOException failure = null;
        List<SegmentStore.Output> full;
        Active last;
        writeLock.lock();
        try {
            full = new ArrayList<>(rolled);
            rolled.clear();
            last = active;
        } finally {
            writeLock.unlock();
        }
        for (SegmentStore.Output output : full) {
            failure = IoSteps.run(failure, output::sync);
            failure = IoSteps.run(failure, output::close);
        }
        if (last != null) {
            failure = IoSteps.run(failure, last.output::sync);
            failure = IoSteps.run(failure, last.output::close);
            if (last.written() == 0) {
                failure = IoSteps.run(failure, () -> {
                    store.delete(last.segment.file);
                    segments.remove(last.base());
                });
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
