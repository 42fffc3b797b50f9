package io.kafkabus.cloudstack.delivery;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * Logs a recurring problem once, then at most once per period with how often it recurred, so an
 * outage of hours gives a handful of lines, not one per event.
 */
final class RateLimitedLogger {
    private final Logger log;
    private final long periodNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    /** When one problem was last logged, and how often it recurred since. Guarded by itself. */
    private static final class Window {
        boolean logged;
        long lastLoggedNanos;
        long suppressed;
    }

    RateLimitedLogger(Logger log, Duration period) {
        this(log, period, System::nanoTime);
    }

    RateLimitedLogger(Logger log, Duration period, LongSupplier nanoTime) {
        this.log = log;
        this.periodNanos = period.toNanos();
        this.nanoTime = nanoTime;
    }

    void warn(String problem, String detail) {
        String line = lineToLog(problem, detail);
        if (line != null) {
            log.warn("{}", line);
        }
    }

    void error(String problem, String detail) {
        String line = lineToLog(problem, detail);
        if (line != null) {
            log.error("{}", line);
        }
    }

    /** The line to log now, or null while the problem's period has not passed since it was last logged. */
    private String lineToLog(String problem, String detail) {
        Window window = windows.computeIfAbsent(problem, p -> new Window());
        long now = nanoTime.getAsLong();
        long suppressed;
        synchronized (window) {
            if (window.logged && now - window.lastLoggedNanos < periodNanos) {
                window.suppressed++;
                return null;
            }
            window.logged = true;
            window.lastLoggedNanos = now;
            suppressed = window.suppressed;
            window.suppressed = 0;
        }
        return problem + (detail == null || detail.isEmpty() ? "" : ": " + detail)
                + (suppressed == 0 ? "" : " (" + suppressed + " more since last logged)");
    }
}
