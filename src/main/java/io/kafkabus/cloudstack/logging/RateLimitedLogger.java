package io.kafkabus.cloudstack.logging;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Logs a recurring problem once, then again only after a period with how often it recurred. The
 * period doubles at each report while the problem lasts (1, 2, 4, 8, then every 15 minutes by
 * default), so a day-long outage gives about a hundred lines per problem, not one per event; a
 * problem quiet for the longest period starts again from the first.
 */
public final class RateLimitedLogger {
    static final Duration FIRST_PERIOD = Duration.ofMinutes(1);
    static final Duration LONGEST_PERIOD = Duration.ofMinutes(15);
    static final int MAX_PROBLEMS = 1000;

    private final Logger log;
    private final long firstPeriodNanos;
    private final long longestPeriodNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private volatile LoggedProblem latest = LoggedProblem.NONE;

    /** When one problem was last seen and logged, how often it recurred since, its period. Guarded by itself. */
    private static final class Window {
        boolean seen;
        long lastSeenNanos;
        long lastLoggedNanos;
        long periodNanos;
        long suppressed;
    }

    /** Logs to {@code log}, with the default periods. */
    public RateLimitedLogger(Logger log) {
        this(log, FIRST_PERIOD, LONGEST_PERIOD, System::nanoTime);
    }

    RateLimitedLogger(Logger log, Duration firstPeriod, Duration longestPeriod, LongSupplier nanoTime) {
        this.log = log;
        this.firstPeriodNanos = firstPeriod.toNanos();
        this.longestPeriodNanos = Math.max(firstPeriodNanos, longestPeriod.toNanos());
        this.nanoTime = nanoTime;
    }

    /**
     * The latest problem given to this logger, its repeats held back from the log included (so its
     * time is that of the latest occurrence); {@link LoggedProblem#NONE} before the first.
     */
    public LoggedProblem latest() {
        return latest;
    }

    /** Logs {@code problem: detail} at WARN, unless {@code problem} was logged within its period. */
    public void warn(String problem, String detail) {
        log(Level.WARN, problem, withDetail(problem, detail), null);
    }

    /** Logs {@code problem: detail} at ERROR, unless {@code problem} was logged within its period. */
    public void error(String problem, String detail) {
        log(Level.ERROR, problem, withDetail(problem, detail), null);
    }

    /**
     * Logs {@code line} (and {@code thrown}) at ERROR, or else at WARN, unless the problem keyed by
     * {@code problem} was logged within its period.
     */
    void log(Level level, String problem, String line, Throwable thrown) {
        latest = new LoggedProblem(line, System.currentTimeMillis());
        long suppressed = occurrence(problem);
        if (suppressed < 0) {
            return;
        }
        String text = suppressed == 0 ? line : line + " (" + suppressed + " more since last logged)";
        if (level == Level.ERROR) {
            log.error("{}", text, thrown);
        } else {
            log.warn("{}", text, thrown);
        }
    }

    private static String withDetail(String problem, String detail) {
        return detail == null || detail.isEmpty() ? problem : problem + ": " + detail;
    }

    /** Counts one occurrence: -1 when it is not to be logged, else how many were not logged since the last report. */
    private long occurrence(String problem) {
        if (windows.size() >= MAX_PROBLEMS) {
            // Only messages built by concatenation, not by pattern, can have this many keys: forget, rather than grow.
            windows.clear();
        }
        Window window = windows.computeIfAbsent(problem, p -> new Window());
        long now = nanoTime.getAsLong();
        synchronized (window) {
            boolean returned = !window.seen || now - window.lastSeenNanos >= longestPeriodNanos;
            window.seen = true;
            window.lastSeenNanos = now;
            if (returned) {
                window.periodNanos = firstPeriodNanos;
            } else if (now - window.lastLoggedNanos < window.periodNanos) {
                window.suppressed++;
                return -1;
            } else {
                window.periodNanos = Math.min(2 * window.periodNanos, longestPeriodNanos);
            }
            window.lastLoggedNanos = now;
            long suppressed = window.suppressed;
            window.suppressed = 0;
            return suppressed;
        }
    }
}
