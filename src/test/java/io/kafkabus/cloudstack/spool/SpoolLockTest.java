package io.kafkabus.cloudstack.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolLockTest {
    @TempDir
    Path dir;

    /** The command line's probe holds the lock for an instant: a bus starting then must still get it. */
    @Test
    void aLockHeldForAnInstantDoesNotKeepABusOut() throws Exception {
        Files.writeString(dir.resolve(SpoolLock.FILE), "bus old of process 1@host");
        ScheduledExecutorService releaser = Executors.newSingleThreadScheduledExecutor();
        try (FileChannel probe = FileChannel.open(dir.resolve(SpoolLock.FILE), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock held = probe.lock(0, Long.MAX_VALUE, true);
            releaser.schedule(() -> {
                held.release();
                return null;
            }, 30, TimeUnit.MILLISECONDS);
            try (SpoolLock lock = SpoolLock.acquire(dir, "bus new of process 2@host")) {
                assertEquals("bus new of process 2@host", Files.readString(dir.resolve(SpoolLock.FILE), StandardCharsets.UTF_8));
            }
        } finally {
            releaser.shutdownNow();
        }
    }
}
