package io.kafkabus.cloudstack.spool;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One bus's ownership of a spool directory: an OS file lock on {@value #FILE}, which holds the
 * owner's description so that a second bus can say who has the directory. Taken and written without
 * interruptible I/O, so an interrupted caller neither fails nor loses the lock.
 */
final class SpoolLock implements Closeable {
    static final String FILE = "spool.lock";

    private final RandomAccessFile file;

    private SpoolLock(RandomAccessFile file) {
        this.file = file;
    }

    /**
     * @throws SpoolLockedException when another bus, in this JVM or another, holds the directory
     */
    static SpoolLock acquire(Path directory, String owner) throws IOException {
        Path lockFile = directory.resolve(FILE);
        RandomAccessFile file = new RandomAccessFile(lockFile.toFile(), "rw");
        try {
            FileLock lock;
            try {
                lock = file.getChannel().tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new SpoolLockedException(directory, Files.readString(lockFile, StandardCharsets.UTF_8).trim());
            }
            file.setLength(0);
            file.write(owner.getBytes(StandardCharsets.UTF_8));
            return new SpoolLock(file);
        } catch (IOException | RuntimeException e) {
            IoSteps.run(e, file::close);
            throw e;
        }
    }

    /** Releases the directory. */
    @Override
    public void close() throws IOException {
        file.close();
    }
}
