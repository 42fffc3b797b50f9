package io.kafkabus.cloudstack.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.kafkabus.cloudstack.config.FsyncPolicy;

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
}
