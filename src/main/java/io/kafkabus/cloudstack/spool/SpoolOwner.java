package io.kafkabus.cloudstack.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Who holds a spool directory now, asked from outside the bus (the command line) without disturbing
 * it: the lock file is opened read-only, never created or written, and tested with a shared lock that
 * is released at once. A bus opening the directory during those microseconds would find it in use,
 * the one trace the question can leave.
 */
public final class SpoolOwner {
    private SpoolOwner() {
    }

    /**
     * @return the owner's description (as the bus wrote it into the lock file) when a live process
     *         holds the directory; empty when none does, or the directory has no lock file
     * @throws IOException when the lock file is there but cannot be read
     */
    public static Optional<String> of(Path directory) throws IOException {
        Path lockFile = directory.resolve(SpoolLock.FILE);
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ)) {
            FileLock probe;
            try {
                probe = channel.tryLock(0, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException e) {
                probe = null; // held by this JVM
            }
            if (probe != null) {
                probe.release();
                return Optional.empty();
            }
            String owner = new String(Files.readAllBytes(lockFile), StandardCharsets.UTF_8).trim();
            return Optional.of(owner.isEmpty() ? "another process" : owner);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
