package io.kafkabus.cloudstack.spool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Who holds a spool directory now, asked from outside the bus (the command line) without disturbing
 * it: see {@link SpoolLock#heldByAnotherProcess}.
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
        if (!SpoolLock.heldByAnotherProcess(directory)) {
            return Optional.empty();
        }
        String owner = SpoolLock.ownerText(directory);
        return Optional.of(owner.isEmpty() ? "another process" : owner);
    }
}
