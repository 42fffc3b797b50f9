package io.kafkabus.cloudstack.spool;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
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
 *
 * <p>Appends and waits share no lock with the thread: an append only takes the lock to wake it
 * when it sleeps, and each completed force releases its waiters at once through a latch of its own,
 * so that many publishers waiting on the disk do not queue on one lock to leave (group commit).
 */
final class Syncer {
    private static final Logger LOG = LoggerFactory.getLogger(Syncer.class);
    static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

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
    /** Signalled on new work when the thread is {@link #idle}, and on stop. */
    private final Condition wake = lock.newCondition();
    /** Appends are written (under the spool's write lock) in sequence order: one writer at a time. */
    private volatile long lastWritten;
    private volatile long lastSynced;
    /** Counted down when the next force completes (then replaced), or on stop. */
    private volatile CountDownLatch nextSync = new CountDownLatch(1);
    /** The thread waits for an append to wake it. */
    private volatile boolean idle;
    private volatile boolean stopping;
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

    /** Record {@code sequence} is written and waits to be forced. Called by one writer at a time, in sequence order. */
    void written(long sequence) {
        lastWritten = sequence;
        if (idle) {
            lock.lock();
            try {
                wake.signal();
            } finally {
                lock.unlock();
            }
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
        try {
            while (true) {
                // The latch first: a force completing after this read counts it down, so none is missed.
                CountDownLatch sync = nextSync;
                long remaining = deadline - System.nanoTime();
                if (lastSynced >= sequence || stopping || remaining <= 0) {
                    return lastSynced >= sequence;
                }
                try {
                    sync.await(remaining, TimeUnit.NANOSECONDS);
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

    /** Syncs that failed since the start. */
    long failures() {
        return failures.get();
    }

    /** Stops the thread, waiting for it up to {@code joinTimeout} (without being cut short by an interrupt). */
    void stop(Duration joinTimeout) {
        stopping = true;
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        nextSync.countDown();
        joinUninterruptibly(thread, joinTimeout);
    }

    private void run() {
        long backoff = 0;
        long gather = 0;
        while (awaitWork(backoff, gather)) {
            try {
                long started = System.nanoTime();
                long before = lastSynced;
                long durable = work.sync();
                // Several appends per force: publishers are many, so the next force waits for theirs to join
                // it, up to half a force's time (as PostgreSQL's commit_delay); one at a time, no wait.
                gather = policy == FsyncPolicy.ALWAYS && durable - before > 1
                        ? Math.min((System.nanoTime() - started) / 2, MAX_GATHER_NANOS) : 0;
                if (backoff > 0) {
                    LOG.info("Spool sync thread {}: syncing to disk works again", thread.getName());
                }
                backoff = 0;
                // In this order: a waiter that sees the new latch sees the new lastSynced too.
                lastSynced = Math.max(lastSynced, durable);
                CountDownLatch completed = nextSync;
                nextSync = new CountDownLatch(1);
                completed.countDown();
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

    /**
     * Waits out the back-off or the interval, then for something to sync, then {@code gatherNanos}
     * for more; false once stopping.
     */
    private boolean awaitWork(long backoffNanos, long gatherNanos) {
        lock.lock();
        try {
            long pause = backoffNanos > 0 ? backoffNanos : policy == FsyncPolicy.INTERVAL ? intervalNanos : 0;
            long deadline = System.nanoTime() + pause;
            for (long remaining = pause; !stopping && remaining > 0; remaining = deadline - System.nanoTime()) {
                wake.awaitNanos(remaining);
            }
            // idle is set before lastWritten is read, and written() sets lastWritten before reading
            // idle: one of the two sees the other, so no append is left unsynced and unsignalled.
            idle = true;
            while (!stopping && lastWritten <= lastSynced) {
                wake.await();
            }
            idle = false;
            long gatherDeadline = System.nanoTime() + gatherNanos;
            for (long remaining = gatherNanos; !stopping && remaining > 0; remaining = gatherDeadline - System.nanoTime()) {
                wake.awaitNanos(remaining);
            }
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
