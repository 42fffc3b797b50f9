package io.kafkabus.cloudstack.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.apache.kafka.common.utils.Time;

/**
 * A clock that moves only when the test says: {@link #sleep} waits until the test has advanced the
 * time past its end, so a test can look at the bus while its sender waits out a back-off.
 */
final class ManualTime implements Time {
    private long nowMs;
    /** When each sleeping thread wakes. */
    private final List<Long> wakeTimes = new ArrayList<>();

    ManualTime(long startMs) {
        this.nowMs = startMs;
    }

    @Override
    public synchronized long milliseconds() {
        return nowMs;
    }

    @Override
    public synchronized long nanoseconds() {
        return nowMs * 1_000_000;
    }

    @Override
    public synchronized void sleep(long ms) {
        Long until = nowMs + ms;
        wakeTimes.add(until);
        notifyAll();
        try {
            while (nowMs < until) {
                wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            wakeTimes.remove(until);
        }
    }

    synchronized void advance(long ms) {
        nowMs += ms;
        notifyAll();
    }

    /** Moves the time to when the first sleeping thread wakes, if one sleeps. */
    synchronized void advanceToNextWake() {
        wakeTimes.stream().min(Long::compare).ifPresent(wake -> {
            nowMs = Math.max(nowMs, wake);
            notifyAll();
        });
    }

    /** Waits (in real time, bounded) until some thread sleeps on this clock. */
    synchronized void awaitSleeper() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (wakeTimes.isEmpty()) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError("nothing slept on the clock within 10 s");
            }
            wait(left);
        }
    }

    @Override
    public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs) {
        throw new UnsupportedOperationException("not used by the bus");
    }
}
