package io.kafkabus.cloudstack.delivery;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * Logs a recurring problem once, then at most once per period with how often it recurred, so an
 * outage of hours gives a handful of lines, not one per event.
 */
final class RateLimitedLogger {
    private final Logger log;
    private final long periodNanos;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        final AtomicLong suppressed = new AtomicLong();
        volatile long lastLoggedNanos;
        volatile boolean logged;
    }

    RateLimitedLogger(Logger log, long period, TimeUnit unit) {
        this.log = log;
        this.periodNanos = unit.toNanos(period);
    }

    void warn(String problem, String detail) {
        if (shouldLog(problem)) {
            log.warn("{}{}", problem, suffix(problem, detail));
        }
    }

    void error(String problem, String detail) {
        if (shouldLog(problem)) {
            log.error("{}{}", problem, suffix(problem, detail));
        }
    }

    private boolean shouldLog(String problem) {
        Window window = windows.computeIfAbsent(problem, p -> new Window());
        long now = System.nanoTime();
        synchronized (window) {
            if (window.logged && now - window.lastLoggedNanos < periodNanos) {
                window.suppressed.incrementAndGet();
                return false;
            }
            window.logged = true;
            window.lastLoggedNanos = now;
            return true;
        }
    }

    private String suffix(String problem, String detail) {
        long suppressed = windows.get(problem).suppressed.getAndSet(0);
        return (detail == null || detail.isEmpty() ? "" : ": " + detail)
                + (suppressed == 0 ? "" : " (" + suppressed + " more since last logged)");
    }
}
