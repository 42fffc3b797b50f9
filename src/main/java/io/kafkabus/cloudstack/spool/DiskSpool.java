package io.kafkabus.cloudstack.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

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
 */
public final class DiskSpool implements Spool {
    static final String LOCK_FILE = "spool.lock";
    private static final String CHECKPOINT_FILE = "checkpoint";
    private static final long CHECKPOINT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Path directory;
    private final long maxBytes;
    private final int segmentBytes;
    private final FsyncPolicy fsyncPolicy;
    private final long fsyncIntervalNanos;
    private final long fsyncTimeoutNanos;
    private final FileChannel lockChannel;
    private final RecoveryReport recovery;
    /** Base sequence of the first segment this run wrote. */
    private final long firstOwnSegment;

    /** Base sequence to file: every segment on disk, the active one last. */
    private final ConcurrentSkipListMap<Long, Path> segments;
    private final AtomicLong sizeBytes;
    private final AtomicLong acknowledgedBefore;
    private final AtomicLong fsyncTimeouts = new AtomicLong();

    private final ReentrantLock writeLock = new ReentrantLock();
    private final Condition appended = writeLock.newCondition();
    private final Condition synced = writeLock.newCondition();
    private volatile ActiveSegment active;
    /** Full segments the syncer has yet to force and close. */
    private final List<FileChannel> rolled = new ArrayList<>();
    private volatile long lastWritten;
    private long nextSequence;
    private long lastSynced;
    private boolean closed;
    private final Thread syncer;

    // The reader's state: the sender thread's alone.
    private SegmentFile.Reader cursor;
    private long cursorBase = -1;
    private long cursorNext;
    private long readDamage;
    private long checkpointed;
    private long lastCheckpointNanos;

    /** The segment being appended to, and how far whole frames are written. */
    private static final class ActiveSegment {
        final long baseSequence;
        final FileChannel channel;
        volatile long written;

        ActiveSegment(long baseSequence, FileChannel channel) {
            this.baseSequence = baseSequence;
            this.channel = channel;
        }
    }

    private DiskSpool(Path directory, long maxBytes, int segmentBytes, FsyncPolicy fsyncPolicy, Duration fsyncInterval,
                      Duration fsyncTimeout, FileChannel lockChannel, Recovered recovered, String threadName) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.fsyncPolicy = fsyncPolicy;
        this.fsyncIntervalNanos = fsyncInterval.toNanos();
        this.fsyncTimeoutNanos = fsyncTimeout.toNanos();
        this.lockChannel = lockChannel;
        this.segments = recovered.segments;
        this.sizeBytes = new AtomicLong(recovered.sizeBytes);
        this.acknowledgedBefore = new AtomicLong(recovered.report.acknowledgedBefore());
        this.checkpointed = recovered.report.acknowledgedBefore();
        this.nextSequence = recovered.report.nextSequence();
        this.lastWritten = nextSequence - 1;
        this.lastSynced = lastWritten;
        this.recovery = recovered.report;
        this.firstOwnSegment = nextSequence;
        this.syncer = new Thread(this::syncLoop, threadName);
        this.syncer.setDaemon(true);
    }

    /**
     * Opens (creating if need be) the spool in {@code directory} and recovers what an earlier run
     * left: records not yet acknowledged are read again, in order, from the first.
     *
     * @param owner written into the lock file, so that a second bus can say who holds the directory
     * @throws SpoolLockedException when another bus holds the directory
     * @throws IOException          when the directory cannot be created, locked, read or written
     */
    public static DiskSpool open(Path directory, long maxBytes, int segmentBytes, FsyncPolicy fsyncPolicy,
                                 Duration fsyncInterval, Duration fsyncTimeout, String owner, String threadName)
            throws IOException {
        Files.createDirectories(directory);
        Path lockFile = directory.resolve(LOCK_FILE);
        FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new SpoolLockedException(directory, Files.readString(lockFile, StandardCharsets.UTF_8).trim());
        }
        try {
            lockChannel.truncate(0).write(ByteBuffer.wrap(owner.getBytes(StandardCharsets.UTF_8)), 0);
            DiskSpool spool = new DiskSpool(directory, maxBytes, segmentBytes, fsyncPolicy, fsyncInterval, fsyncTimeout,
                    lockChannel, recover(directory), threadName);
            spool.active = spool.createSegment(spool.nextSequence);
            spool.syncer.start();
            return spool;
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
    }

    /** What {@link #open} found: records an earlier run left undelivered, damage skipped. */
    public RecoveryReport recoveryReport() {
        return recovery;
    }

    @Override
    public long append(RoutedRecord record) throws SpoolFullException, IOException {
        long sequence;
        ByteBuffer frame = SegmentFile.unsealedFrame(record);
        int length = frame.remaining();
        writeLock.lock();
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
            SegmentFile.seal(frame, nextSequence);
            if (sizeBytes.get() + length > maxBytes) {
                throw new SpoolFullException(sizeBytes.get(), maxBytes);
            }
            ActiveSegment segment = active;
            if (segment.written > 0 && segment.written + length > segmentBytes) {
                segment = roll();
            }
            try {
                writeFully(segment.channel, frame, segment.written);
            } catch (IOException e) {
                // Leave no half frame behind: the next append starts at the same place.
                segment.channel.truncate(segment.written);
                throw e;
            }
            sequence = nextSequence++;
            segment.written += length;
            sizeBytes.addAndGet(length);
            lastWritten = sequence;
            appended.signalAll();
            if (fsyncPolicy == FsyncPolicy.ALWAYS) {
                awaitSynced(sequence);
            }
        } finally {
            writeLock.unlock();
        }
        return sequence;
    }

    /** Waits (holding no lock while the disk works) until the syncer has forced {@code sequence}. */
    private void awaitSynced(long sequence) {
        long remaining = fsyncTimeoutNanos;
        while (lastSynced < sequence && remaining > 0 && !closed) {
            try {
                remaining = synced.awaitNanos(remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (lastSynced < sequence) {
            fsyncTimeouts.incrementAndGet();
        }
    }

    /** Appends that returned before the disk confirmed them (spool.fsync.timeout.ms passed). */
    public long fsyncTimeouts() {
        return fsyncTimeouts.get();
    }

    /** Starts a new segment; the syncer forces and closes the full one, off the publishing thread. */
    private ActiveSegment roll() throws IOException {
        rolled.add(active.channel);
        active = createSegment(nextSequence);
        return active;
    }

    private ActiveSegment createSegment(long baseSequence) throws IOException {
        Path file = directory.resolve(SegmentFile.fileName(baseSequence));
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        segments.put(baseSequence, file);
        return new ActiveSegment(baseSequence, channel);
    }

    private void syncLoop() {
        while (true) {
            ActiveSegment segment;
            long target;
            List<FileChannel> finished;
            writeLock.lock();
            try {
                waitForWorkLocked();
                if (closed) {
                    return;
                }
                segment = active;
                target = lastWritten;
                finished = new ArrayList<>(rolled);
                rolled.clear();
            } finally {
                writeLock.unlock();
            }
            try {
                forceAndClose(finished);
                segment.channel.force(false);
            } catch (IOException e) {
                // Appends waiting on this sync time out and are counted (fsyncTimeouts).
                continue;
            }
            writeLock.lock();
            try {
                lastSynced = Math.max(lastSynced, target);
                synced.signalAll();
            } finally {
                writeLock.unlock();
            }
        }
    }

    private void waitForWorkLocked() {
        try {
            if (fsyncPolicy == FsyncPolicy.ALWAYS) {
                while (!closed && lastWritten <= lastSynced) {
                    appended.await();
                }
            } else {
                long remaining = fsyncIntervalNanos;
                while (!closed && remaining > 0) {
                    remaining = synced.awaitNanos(remaining);
                }
                while (!closed && lastWritten <= lastSynced) {
                    appended.await();
                }
            }
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    @Override
    public SpooledRecord poll(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            SpooledRecord next = readNext();
            if (next != null) {
                return next;
            }
            writeLock.lock();
            try {
                long remaining = deadline - System.nanoTime();
                if (closed || remaining <= 0) {
                    return null;
                }
                if (lastWritten < cursorNext) {
                    appended.awaitNanos(remaining);
                }
            } finally {
                writeLock.unlock();
            }
        }
    }

    /** The next intact record at or after the cursor, or null when none is written yet. */
    private SpooledRecord readNext() throws IOException {
        if (cursor == null && !seek(acknowledgedBefore.get())) {
            return null;
        }
        while (true) {
            ActiveSegment writing = active;
            boolean complete = writing.baseSequence != cursorBase;
            long limit = complete ? cursor.size() : writing.written;
            SpooledRecord record = cursor.next(limit);
            if (record != null) {
                if (record.sequence() < cursorNext) {
                    continue;
                }
                cursorNext = record.sequence() + 1;
                return record;
            }
            if (!complete) {
                return null;
            }
            Map.Entry<Long, Path> following = segments.higherEntry(cursorBase);
            if (following == null) {
                return null;
            }
            if (cursorBase >= firstOwnSegment) {
                // Damage in segments left by an earlier run is already in the recovery report.
                readDamage += cursor.damagedRegions() + (cursor.position() < limit ? 1 : 0);
            }
            openCursor(following.getKey(), following.getValue());
        }
    }

    /** Places the cursor on the first record at or after {@code sequence}; false if none is on disk yet. */
    private boolean seek(long sequence) throws IOException {
        Map.Entry<Long, Path> segment = segments.floorEntry(sequence);
        if (segment == null) {
            segment = segments.firstEntry();
        }
        if (segment == null) {
            return false;
        }
        openCursor(segment.getKey(), segment.getValue());
        cursorNext = sequence;
        return true;
    }

    private void openCursor(long base, Path file) throws IOException {
        closeCursor();
        try {
            cursor = new SegmentFile.Reader(file);
            cursorBase = base;
        } catch (NoSuchFileException e) {
            // Deleted as delivered between listing and opening: nothing in it is wanted.
            cursor = null;
            cursorBase = -1;
            throw e;
        }
    }

    private void closeCursor() throws IOException {
        if (cursor != null) {
            cursor.close();
            cursor = null;
            cursorBase = -1;
        }
    }

    @Override
    public void rewind() {
        try {
            closeCursor();
        } catch (IOException e) {
            cursor = null;
        }
    }

    @Override
    public void acknowledgeBefore(long sequence) {
        acknowledgedBefore.accumulateAndGet(sequence, Math::max);
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

    /** Deletes every segment, bar the active one, whose records all lie below {@code acknowledged}. */
    private void deleteDelivered(long acknowledged) throws IOException {
        for (Map.Entry<Long, Path> segment : segments.entrySet()) {
            Long followingBase = segments.higherKey(segment.getKey());
            if (followingBase == null || followingBase > acknowledged) {
                return;
            }
            long size = Files.size(segment.getValue());
            Files.deleteIfExists(segment.getValue());
            segments.remove(segment.getKey());
            sizeBytes.addAndGet(-size);
        }
    }

    private void writeCheckpoint(long acknowledged) throws IOException {
        Path temporary = directory.resolve(CHECKPOINT_FILE + ".tmp");
        Files.writeString(temporary, Long.toString(acknowledged), StandardCharsets.US_ASCII);
        Files.move(temporary, directory.resolve(CHECKPOINT_FILE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        checkpointed = acknowledged;
        lastCheckpointNanos = System.nanoTime();
    }

    @Override
    public long sizeBytes() {
        return sizeBytes.get();
    }

    @Override
    public long pendingRecords() {
        return Math.max(0, lastWritten + 1 - acknowledgedBefore.get());
    }

    @Override
    public long damagedRecords() {
        return recovery.damagedRegions() + readDamage;
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public void close() throws IOException {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            appended.signalAll();
            synced.signalAll();
        } finally {
            writeLock.unlock();
        }
        try {
            syncer.join(TimeUnit.NANOSECONDS.toMillis(fsyncTimeoutNanos) + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            ActiveSegment last = active;
            forceAndClose(rolled);
            last.channel.force(false);
            last.channel.close();
            closeCursor();
            long acknowledged = acknowledgedBefore.get();
            writeCheckpoint(acknowledged);
            deleteDelivered(acknowledged);
            if (last.written == 0) {
                Files.deleteIfExists(segments.remove(last.baseSequence));
            }
        } finally {
            lockChannel.close();
        }
    }

    private static void forceAndClose(List<FileChannel> channels) throws IOException {
        for (FileChannel channel : channels) {
            try (channel) {
                channel.force(false);
            }
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    private static long readCheckpoint(Path directory) {
        try {
            return Long.parseLong(Files.readString(directory.resolve(CHECKPOINT_FILE), StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            // Missing (first start) or unreadable: everything on disk is read again; duplicates, not loss.
            return 0;
        }
    }

    /** Segments left on disk by an earlier run, with what scanning them found. */
    private static final class Recovered {
        final ConcurrentSkipListMap<Long, Path> segments = new ConcurrentSkipListMap<>();
        long sizeBytes;
        RecoveryReport report;
    }

    private static Recovered recover(Path directory) throws IOException {
        long acknowledged = readCheckpoint(directory);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(directory)) {
            listing.filter(f -> SegmentFile.baseSequenceOf(f) >= 0).forEach(files::add);
        }
        files.sort((a, b) -> Long.compare(SegmentFile.baseSequenceOf(a), SegmentFile.baseSequenceOf(b)));
        Recovered recovered = new Recovered();
        long next = acknowledged;
        long pending = 0;
        long oldestPendingMs = -1;
        long damaged = 0;
        for (Path file : files) {
            long lastInFile = -1;
            long size;
            try (SegmentFile.Reader reader = new SegmentFile.Reader(file)) {
                size = reader.size();
                for (SpooledRecord r = reader.next(size); r != null; r = reader.next(size)) {
                    lastInFile = Math.max(lastInFile, r.sequence());
                    if (r.sequence() >= acknowledged) {
                        pending++;
                        oldestPendingMs = oldestPendingMs < 0 ? r.record().timestampMs() : oldestPendingMs;
                    }
                }
                damaged += reader.damagedRegions() + (reader.position() < size ? 1 : 0);
            }
            if (lastInFile < acknowledged) {
                Files.delete(file);
                continue;
            }
            recovered.segments.put(SegmentFile.baseSequenceOf(file), file);
            recovered.sizeBytes += size;
            next = Math.max(next, lastInFile + 1);
        }
        recovered.report = new RecoveryReport(directory, acknowledged, next, pending, oldestPendingMs, damaged);
        return recovered;
    }
}
