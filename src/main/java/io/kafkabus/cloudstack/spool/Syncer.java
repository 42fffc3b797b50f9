package io.kafkabus.cloudstack.spool;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkabus.cloudstack.config.FsyncPolicy;

/**
 * The named thread that forces appended records to disk, off the publishing threads: as soon as
 * something is written under {@link FsyncPolicy#ALWAYS} (one force then serves every append waiting
 * on it), every interval under {@link FsyncPolicy#INTERVAL}. A failing disk is retried after a
 * back-off (10 ms doubling up to 1 s), never in a spin. Stopped with a flag and a bounded join,
 * never interrupted: it may be in I/O.
 */
final class Syncer {
    private static final Logger LOG = LoggerFactory.getLogger(Syncer.class);
    static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What is synced. */
    interface Work {
        /** Forces everything written so far to disk; returns the highest sequence number now durable. */
        long sync() throws IOException;
    }

    private final FsyncPolicy policy;
    private final long intervalNanos;
    private final Work work;
    private final Thread thread;
    private final AtomicLong failures = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled on new work, and on stop. */
    private final Condition wake = lock.newCondition();
    private final Condition synced = lock.newCondition();
    private long lastWritten;
    private long lastSynced;
    private boolean idle;
    private boolean stopping;
    private volatile boolean died;

    Syncer(String threadName, FsyncPolicy policy, Duration interval, long lastSynced, Work work) {
        this.policy = policy;
        this.intervalNanos = interval.toNanos();
        this.work = work;
        this.lastWritten = lastSynced;
        this.lastSynced = lastSynced;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.setUncaughtExceptionHandler((t, e) -> {
            LOG.error("Spool sync thread {} died; the spool is no longer synced to disk", t.getName(), e);
            died = true;
        });
    }

    /** False once the thread died of an error it could not recover from. */
    boolean running() {
        return !died;
    }

    void start() {
        thread.start();
    }

    /** Record {@code sequence} is written and waits to be forced. */
    void written(long sequence) {
        lock.lock();
        try {
            lastWritten = Math.max(lastWritten, sequence);
            if (idle || policy == FsyncPolicy.ALWAYS) {
                wake.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code timeoutNanos} until {@code sequence} is on disk. An interrupt does not cut
     * the wait short; the caller's interrupt flag is as it was on return.
     *
     * @return whether {@code sequence} is on disk
     */
    boolean awaitSynced(long sequence, long timeoutNanos) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lock();
        try {
            while (lastSynced < sequence && !stopping) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                try {
                    synced.awaitNanos(remaining);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return lastSynced >= sequence;
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Syncs that failed since the start. */
    long failures() {
        return failures.get();
    }

    /** Stops the thread, waiting for it up to {@code joinTimeout} (without being cut short by an interrupt). */
    void stop(Duration joinTimeout) {
        lock.lock();
        try {
            stopping = true;
            wake.signalAll();
            synced.signalAll();
        } finally {
            lock.unlock();
        }
        joinUninterruptibly(thread, joinTimeout);
    }

    private void run() {
        long backoff = 0;
        while (awaitWork(backoff)) {
            try {
                long durable = work.sync();
                if (backoff > 0) {
                    LOG.info("Spool sync thread {}: syncing to disk works again", thread.getName());
                }
                backoff = 0;
                lock.lock();
                try {
                    lastSynced = Math.max(lastSynced, durable);
                    synced.signalAll();
                } finally {
                    lock.unlock();
                }
            } catch (IOException | RuntimeException e) {
                failures.incrementAndGet();
                if (backoff == 0) {
                    LOG.warn("Spool sync thread {}: cannot sync the spool to disk, retrying (back-off up to {} ms): {}",
                            thread.getName(), TimeUnit.NANOSECONDS.toMillis(MAX_BACKOFF_NANOS), e.toString());
                }
                backoff = nextBackoff(backoff);
            }
        }
    }

    /** The wait after a sync failed, given the wait after the previous failure (0: none). */
    static long nextBackoff(long previousNanos) {
        return previousNanos == 0 ? FIRST_BACKOFF_NANOS : Math.min(previousNanos * 2, MAX_BACKOFF_NANOS);
    }

    /** Waits out the back-off or the interval, then for something to sync; false once stopping. */
    private boolean awaitWork(long backoffNanos) {
        lock.lock();
        try {
            long pause = backoffNanos > 0 ? backoffNanos : policy == FsyncPolicy.INTERVAL ? intervalNanos : 0;
            long deadline = System.nanoTime() + pause;
            for (long remaining = pause; !stopping && remaining > 0; remaining = deadline - System.nanoTime()) {
                wake.awaitNanos(remaining);
            }
            idle = true;
            while (!stopping && lastWritten <= lastSynced) {
                wake.await();
            }
            idle = false;
            return !stopping;
        } catch (InterruptedException e) {
            // Nobody interrupts this thread; if someone did, it stops rather than spin.
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Joins {@code thread} for up to {@code timeout}; an interrupt is kept for the caller, not obeyed. */
    static void joinUninterruptibly(Thread thread, Duration timeout) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (long remaining = timeout.toNanos(); thread.isAlive() && remaining > 0; remaining = deadline - System.nanoTime()) {
                try {
                    TimeUnit.NANOSECONDS.timedJoin(thread, remaining);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
