package io.kafkabus.cloudstack.spool;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One bus's ownership of a spool directory: an OS file lock on {@value #FILE}, which holds the
 * owner's description so that a second bus can say who has the directory. Taken and written without
 * interruptible I/O, so an interrupted caller neither fails nor loses the lock.
 */
final class SpoolLock implements Closeable {
    static final String FILE = "spool.lock";
    /**
     * Tries of the lock before the directory counts as another bus's, {@value #RETRY_PAUSE_MS} ms
     * apart: the command line's {@link #heldByAnotherProcess probe} holds it for microseconds, and a
     * bus starting at that instant must not take it for a running bus's.
     */
    private static final int TRIES = 6;
    private static final long RETRY_PAUSE_MS = 20;

    /**
     * The directories buses of this JVM hold, with their owners. Asked before the lock file is even
     * opened: on POSIX systems a process closing any handle of a file drops every lock it holds on it,
     * so a second bus of this JVM trying the file (a bus wired twice, or looking for unowned spools)
     * would, on closing it, silently free the first bus's directory for other processes.
     */
    private static final Map<Path, String> HELD_IN_THIS_JVM = new ConcurrentHashMap<>();

    private final RandomAccessFile file;
    private final Path held;
    private final String owner;

    private SpoolLock(RandomAccessFile file, Path held, String owner) {
        this.file = file;
        this.held = held;
        this.owner = owner;
    }

    /**
     * @throws SpoolLockedException when another bus, in this JVM or another, holds the directory
     */
    static SpoolLock acquire(Path directory, String owner) throws IOException {
        Path held = directory.toRealPath();
        String holder = HELD_IN_THIS_JVM.putIfAbsent(held, owner);
        if (holder != null) {
            throw new SpoolLockedException(directory, holder);
        }
        try {
            return acquireFile(directory, owner, held);
        } catch (IOException | RuntimeException e) {
            HELD_IN_THIS_JVM.remove(held, owner);
            throw e;
        }
    }

    private static SpoolLock acquireFile(Path directory, String owner, Path held) throws IOException {
        Path lockFile = directory.resolve(FILE);
        RandomAccessFile file = new RandomAccessFile(lockFile.toFile(), "rw");
        try {
            FileLock lock = tryLock(file.getChannel());
            for (int tries = 1; lock == null && tries < TRIES; tries++) {
                // Not interruptible: an interrupted caller just tries sooner.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_PAUSE_MS));
                lock = tryLock(file.getChannel());
            }
            if (lock == null) {
                throw new SpoolLockedException(directory, ownerText(directory));
            }
            file.setLength(0);
            file.write(owner.getBytes(StandardCharsets.UTF_8));
            return new SpoolLock(file, held, owner);
        } catch (IOException | RuntimeException e) {
            IoSteps.run(e, file::close);
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /**
     * Whether a process holds {@code directory}'s lock (false when it has no lock file), found
     * without writing anything: a shared lock is tried on a read-only handle and released at once.
     * A bus starting in that instant retries its own lock ({@link #TRIES}), so the probe never
     * keeps it out. Only for a process holding no spool lock of its own (the command line): on
     * POSIX systems closing any handle of the file drops every lock the process has on it.
     */
    static boolean heldByAnotherProcess(Path directory) throws IOException {
        Path lockFile = directory.resolve(FILE);
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ)) {
            FileLock probe;
            try {
                probe = channel.tryLock(0, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException e) {
                return true;
            }
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        }
    }

    /** The description its last owner wrote into the lock file, or "" if there is none. */
    static String ownerText(Path directory) throws IOException {
        Path lockFile = directory.resolve(FILE);
        return Files.exists(lockFile) ? Files.readString(lockFile, StandardCharsets.UTF_8).trim() : "";
    }

    /** Releases the directory. */
    @Override
    public void close() throws IOException {
        try {
            file.close();
        } finally {
            HELD_IN_THIS_JVM.remove(held, owner);
        }
    }
}
