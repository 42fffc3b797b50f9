package io.kafkabus.cloudstack.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import io.kafkabus.cloudstack.config.FsyncPolicy;
import io.kafkabus.cloudstack.testing.Conditions;
import io.kafkabus.cloudstack.testing.LogCapture;

class SyncerTest {
    @Test
    void theBackOffDoublesFromTenMillisecondsUpToOneSecond() {
        long wait = 0;
        long[] expectedMs = {10, 20, 40, 80, 160, 320, 640, 1000, 1000};
        for (long ms : expectedMs) {
            wait = Syncer.nextBackoff(wait);
            assertEquals(TimeUnit.MILLISECONDS.toNanos(ms), wait);
        }
    }

    @Test
    void anInterruptedWaiterStillWaitsForTheDiskAndKeepsItsFlag() throws Exception {
        CountDownLatch syncing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Syncer syncer = new Syncer("test-syncer", FsyncPolicy.ALWAYS, Duration.ofSeconds(1), -1, () -> {
            syncing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return 0;
        });
        syncer.start();
        AtomicBoolean synced = new AtomicBoolean();
        AtomicBoolean flagKept = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            Thread.currentThread().interrupt();
            synced.set(syncer.awaitSynced(0, TimeUnit.SECONDS.toNanos(10)));
            flagKept.set(Thread.currentThread().isInterrupted());
        });
        syncer.written(0);
        assertTrue(syncing.await(5, TimeUnit.SECONDS));
        waiter.start();
        waiter.interrupt();
        assertTrue(waiter.isAlive(), "still waiting for the disk");
        release.countDown();
        waiter.join(5000);
        assertFalse(waiter.isAlive());
        assertTrue(synced.get());
        assertTrue(flagKept.get());
        syncer.stop(Duration.ofSeconds(5));
    }

    @Test
    void aSyncThreadKilledByAnErrorIsReportedWithItsStackTrace() throws Exception {
        try (LogCapture log = LogCapture.attach(Level.ERROR, "io.kafkabus.cloudstack")) {
            Syncer syncer = new Syncer("dying-syncer", FsyncPolicy.ALWAYS, Duration.ofSeconds(1), -1, () -> {
                throw new OutOfMemoryError("simulated");
            });
            assertTrue(syncer.running());
            syncer.start();
            syncer.written(0);
            Conditions.await(() -> !syncer.running(), Duration.ofSeconds(10), "the syncer reported dead");
            assertTrue(log.events.stream().anyMatch(e -> e.getThrown() instanceof OutOfMemoryError
                    && e.getMessage().getFormattedMessage().contains("dying-syncer died")), log.messages().toString());
            syncer.stop(Duration.ofSeconds(1));
        }
    }
}
