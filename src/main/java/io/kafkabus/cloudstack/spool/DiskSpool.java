package io.kafkabus.cloudstack.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.kafkabus.cloudstack.config.FsyncPolicy;
import io.kafkabus.cloudstack.routing.RoutedRecord;

/**
 * The durable spool: append-only segment files in one directory, owned through a file lock by one
 * bus at a time. Appends are written on the caller's thread, so a crash of the JVM loses nothing
 * written, and forced to disk by a syncer thread: before {@link #append} returns
 * ({@link FsyncPolicy#ALWAYS}; one fsync serves every append waiting on it) or on a timer
 * ({@link FsyncPolicy#INTERVAL}). Progress is kept in a checkpoint file, the sequence number below
 * which everything is acknowledged; segments wholly below it are deleted. Each start writes to a
 * new segment, so a torn tail left by a crash is never appended to.
 *
 * <p>No file operation of an append looks at the caller's interrupt flag, so an interrupted caller
 * stores its record like any other and cannot harm the spool for others. The parts: {@link SpoolLock},
 * {@link SpoolRecovery}, {@link SegmentAppender}, {@link Syncer}, {@link SpoolReader} (with {@link RecentRecords}),
 * {@link Checkpoint}, {@link PendingSizes}.
 */
public final class DiskSpool implements Spool {
    /** The largest record {@link #open(Path, long, int, FsyncPolicy, Duration, Duration, String, String)} takes. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 << 20;
    private static final long CHECKPOINT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final Duration SYNCER_STOP_GRACE = Duration.ofSeconds(1);
    /** How long the reader, woken by an append, lets more gather: one wake-up then serves a burst, not one event. */
    static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long UNREADABLE_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Frame bytes of the records just appended kept in memory for the reader: about 10,000 ordinary events. */
    static final long RECENT_MAX_BYTES = 8 << 20;
    /** Per publishing thread, the buffer its frames up to 64 KiB are encoded in: no allocation per append. */
    private static final ThreadLocal<ByteBuffer> FRAME_BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocate(64 << 10));

    private final Path directory;
    private final long maxBytes;
    private final int maxRecordBytes;
    private final FsyncPolicy fsyncPolicy;
    private final long fsyncTimeoutNanos;
    private final SegmentStore store;
    private final SpoolLock lock;
    private final RecoveryReport recovery;
    private final Segments segments;
    private final PendingSizes pending;
    private final SegmentAppender appender;
    private final Syncer syncer;
    private final RecentRecords recent;
    private final SpoolReader reader;
    private final AtomicLong acknowledgedBefore;
    private final AtomicLong unsyncedAppends = new AtomicLong();

    private final ReentrantLock writeLock = new ReentrantLock();
    private final Condition appended = writeLock.newCondition();
    private volatile long lastWritten;
    /** The reader waits for an append to wake it: only then do appends signal. Guarded by the write lock. */
    private boolean readerWaiting;
    private long nextSequence;
    private volatile boolean closed;

    // The reader thread's.
    private long checkpointed;
    private long lastCheckpointNanos;

    private DiskSpool(Path directory, long maxBytes, int segmentBytes, int maxRecordBytes, FsyncPolicy fsyncPolicy,
                      Duration fsyncInterval, Duration fsyncTimeout, SegmentStore store, SpoolLock lock,
                      SpoolRecovery recovered, String threadName, long recentMaxBytes) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.maxRecordBytes = maxRecordBytes;
        this.fsyncPolicy = fsyncPolicy;
        this.fsyncTimeoutNanos = fsyncTimeout.toNanos();
        this.store = store;
        this.lock = lock;
        this.recovery = recovered.report;
        this.segments = recovered.segments;
        this.pending = recovered.pending;
        this.acknowledgedBefore = new AtomicLong(recovery.acknowledgedBefore());
        this.checkpointed = recovery.acknowledgedBefore();
        this.nextSequence = recovery.nextSequence();
        this.lastWritten = nextSequence - 1;
        this.appender = new SegmentAppender(directory, store, segmentBytes, segments, writeLock);
        this.recent = new RecentRecords(recentMaxBytes);
        this.syncer = new Syncer(threadName, fsyncPolicy, fsyncInterval, lastWritten, appender::sync);
        this.reader = new SpoolReader(segments, appender, recent, maxRecordBytes, nextSequence);
    }

    /**
     * Opens (creating if need be) the spool in {@code directory} and recovers what an earlier run
     * left: records not yet acknowledged are read again, in order, from the first.
     *
     * @param maxBytes       most bytes of unacknowledged records held
     * @param maxRecordBytes largest record taken (its encoded bytes); on disk, a frame claiming more is damage
     * @param owner          written into the lock file, so that a second bus can say who holds the directory
     * @throws SpoolLockedException when another bus holds the directory
     * @throws IOException          when the directory cannot be created, locked, read or written
     */
    public static DiskSpool open(Path directory, long maxBytes, int segmentBytes, int maxRecordBytes,
                                 FsyncPolicy fsyncPolicy, Duration fsyncInterval, Duration fsyncTimeout, String owner,
                                 String threadName) throws IOException {
        return open(directory, maxBytes, segmentBytes, maxRecordBytes, fsyncPolicy, fsyncInterval, fsyncTimeout, owner,
                threadName, FileSegmentStore.INSTANCE, RECENT_MAX_BYTES);
    }

    /**
     * {@link #open} writing through {@code store} (tests make its operations fail), keeping up to
     * {@code recentMaxBytes} of just appended records in memory (0: the reader reads everything from disk).
     */
    static DiskSpool open(Path directory, long maxBytes, int segmentBytes, int maxRecordBytes, FsyncPolicy fsyncPolicy,
                          Duration fsyncInterval, Duration fsyncTimeout, String owner, String threadName,
                          SegmentStore store, long recentMaxBytes) throws IOException {
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be positive: " + maxRecordBytes);
        }
        Files.createDirectories(directory);
        SpoolLock lock = SpoolLock.acquire(directory, owner);
        DiskSpool spool = null;
        try {
            spool = new DiskSpool(directory, maxBytes, segmentBytes, maxRecordBytes, fsyncPolicy, fsyncInterval,
                    fsyncTimeout, store, lock, SpoolRecovery.scan(directory, maxRecordBytes), threadName, recentMaxBytes);
            spool.appender.start(spool.nextSequence);
            spool.syncer.start();
            return spool;
        } catch (IOException | RuntimeException | Error e) {
            if (spool != null) {
                IoSteps.run(e, spool.appender::close);
            }
            IoSteps.run(e, lock::close);
            throw e;
        }
    }

    /** What {@link #open} found: records an earlier run left undelivered, damage skipped. */
    public RecoveryReport recoveryReport() {
        return recovery;
    }

    @Override
    public long append(RoutedRecord record) throws SpoolFullException, IOException {
        ByteBuffer frame = SegmentFile.unsealedFrame(record, FRAME_BUFFER.get());
        int length = frame.remaining();
        if (length - SegmentFile.FRAME_OVERHEAD > maxRecordBytes) {
            throw new IOException("record of " + (length - SegmentFile.FRAME_OVERHEAD)
                    + " bytes is larger than the spool takes (" + maxRecordBytes + " bytes)");
        }
        long sequence;
        writeLock.lock();
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
            long pendingBytes = pending.bytes();
            if (pendingBytes + length > maxBytes) {
                throw new SpoolFullException(pendingBytes, maxBytes);
            }
            sequence = nextSequence;
            appender.append(SegmentFile.seal(frame, sequence), sequence);
            SegmentAppender.Active written = appender.active();
            recent.add(sequence, record, written.base(), written.written(), length);
            nextSequence++;
            pending.add(sequence, length);
            lastWritten = sequence;
            if (readerWaiting) {
                appended.signal();
            }
            syncer.written(sequence);
        } finally {
            writeLock.unlock();
        }
        if (fsyncPolicy == FsyncPolicy.ALWAYS && !syncer.awaitSynced(sequence, fsyncTimeoutNanos)) {
            unsyncedAppends.incrementAndGet();
        }
        return sequence;
    }

    @Override
    public void warmUp(RoutedRecord sample) {
        SegmentFile.seal(SegmentFile.unsealedFrame(sample), 0);
    }

    @Override
    public SpooledRecord poll(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            SpooledRecord next = reader.next(acknowledgedBefore.get(), lastWritten);
            if (next != null) {
                return next;
            }
            writeLock.lock();
            try {
                long remaining = deadline - System.nanoTime();
                if (closed || remaining <= 0) {
                    return null;
                }
                if (lastWritten >= reader.nextSequence()) {
                    // Written since the read above, or written but unreadable (its file removed by hand):
                    // look again soon, without spinning.
                    appended.awaitNanos(Math.min(remaining, UNREADABLE_RETRY_NANOS));
                } else if (awaitAppend(remaining) && !closed) {
                    appended.awaitNanos(Math.min(GATHER_NANOS, deadline - System.nanoTime()));
                }
            } finally {
                writeLock.unlock();
            }
        }
    }

    /** Waits up to {@code nanos} for an append to signal; whether one did. Holding the write lock. */
    private boolean awaitAppend(long nanos) throws InterruptedException {
        readerWaiting = true;
        try {
            return appended.awaitNanos(nanos) > 0;
        } finally {
            readerWaiting = false;
        }
    }

    @Override
    public void rewind() {
        reader.rewind();
    }

    @Override
    public void acknowledgeBefore(long sequence) {
        acknowledgedBefore.accumulateAndGet(sequence, Math::max);
        pending.acknowledgeBefore(sequence);
    }

    @Override
    public void maintain() throws IOException {
        long acknowledged = acknowledgedBefore.get();
        if (acknowledged == checkpointed || System.nanoTime() - lastCheckpointNanos < CHECKPOINT_EVERY_NANOS) {
            return;
        }
        writeCheckpoint(acknowledged);
        deleteDelivered(acknowledged);
    }

    private void writeCheckpoint(long acknowledged) throws IOException {
        Checkpoint.write(directory, acknowledged);
        checkpointed = acknowledged;
        lastCheckpointNanos = System.nanoTime();
    }

    /** Deletes every segment, bar the active one, whose records all lie below {@code acknowledged}. */
    private void deleteDelivered(long acknowledged) throws IOException {
        for (Segments.Segment segment = segments.first(); segment != null; ) {
            Segments.Segment following = segments.following(segment.base);
            if (following == null || following.base > acknowledged) {
                return;
            }
            store.delete(segment.file);
            segments.remove(segment.base);
            segment = following;
        }
    }

    @Override
    public long sizeBytes() {
        return segments.totalBytes();
    }

    @Override
    public long pendingBytes() {
        return pending.bytes();
    }

    @Override
    public long pendingRecords() {
        return Math.max(0, lastWritten + 1 - acknowledgedBefore.get());
    }

    @Override
    public long damagedRecords() {
        return recovery.damagedRegions() + reader.damaged();
    }

    @Override
    public long unsyncedAppends() {
        return unsyncedAppends.get();
    }

    @Override
    public long syncFailures() {
        return syncer.failures();
    }

    @Override
    public long missingSegments() {
        return reader.missing();
    }

    @Override
    public boolean threadsRunning() {
        return syncer.running();
    }

    @Override
    public boolean durable() {
        return true;
    }

    /**
     * Stops the syncer, forces and closes the segments, records progress and releases the
     * directory: each step whatever the others did; the first failure is thrown at the end.
     */
    @Override
    public void close() throws IOException {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            appended.signalAll();
        } finally {
            writeLock.unlock();
        }
        syncer.stop(Duration.ofNanos(fsyncTimeoutNanos).plus(SYNCER_STOP_GRACE));
        long acknowledged = acknowledgedBefore.get();
        IoSteps.runAll(appender::close, reader::close, () -> writeCheckpoint(acknowledged),
                () -> deleteDelivered(acknowledged), lock::close);
    }
}
