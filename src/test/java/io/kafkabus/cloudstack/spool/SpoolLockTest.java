package io.kafkabus.cloudstack.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
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

    /**
     * A second bus of this JVM on the same directory (the bus wired twice) is refused without the
     * lock file being opened: closing a handle of it would drop the first bus's lock for the whole
     * process, and another process could then take the directory.
     */
    @Test
    void aSecondBusOfThisJvmIsRefusedAndTheFirstKeepsItsLock() throws Exception {
        try (SpoolLock first = SpoolLock.acquire(dir, "bus first of process 1@host")) {
            SpoolLockedException refused = assertThrows(SpoolLockedException.class,
                    () -> SpoolLock.acquire(dir, "bus second of process 1@host"));
            assertEquals("spool directory " + dir + " is in use by bus first of process 1@host", refused.getMessage());
            assertEquals("held by bus first of process 1@host", probeFromAnotherProcess());
        }
        assertEquals("free", probeFromAnotherProcess());
        try (SpoolLock again = SpoolLock.acquire(dir, "bus third of process 1@host")) {
            assertEquals("held by bus third of process 1@host", probeFromAnotherProcess(), "released at close, taken again");
        }
    }

    /** What another process finds: {@link SpoolOwner}, as the command line asks it. */
    private String probeFromAnotherProcess() throws Exception {
        Process child = new ProcessBuilder(new File(System.getProperty("java.home"), "bin/java").getPath(),
                "-cp", System.getProperty("java.class.path"), SpoolLockTest.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, child.waitFor());
        return out;
    }

    /** The other process of {@link #probeFromAnotherProcess()}. */
    public static void main(String[] args) throws Exception {
        System.out.println(SpoolOwner.of(Path.of(args[0])).map(owner -> "held by " + owner).orElse("free"));
    }
}
