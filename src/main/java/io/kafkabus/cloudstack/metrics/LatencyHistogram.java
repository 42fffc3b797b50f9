package io.kafkabus.cloudstack.metrics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Durations over a recent period, recorded on CloudStack's publishing threads without a lock: two
 * windows of {@link #WINDOW} take turns, a snapshot reads the current one and the one before (so
 * the last 30 to 60 s). Each window counts durations in log-linear buckets, 16 per power of two
 * (a percentile is at most 1/16 above the true value, and never above the window's maximum); a
 * record is a bucket index computed with shifts, one atomic add and, for a new maximum, one
 * compare-and-set. A few records made exactly as a window is reused may be lost.
 * <p>
 * Written here because the jar's dependencies offer nothing this cheap: Kafka's own
 * {@code Sensor}/{@code Percentiles} synchronize every record on the sensor, and a histogram
 * library (HdrHistogram, a metrics framework) would be one more dependency to relocate.
 */
final class LatencyHistogram {
    static final Duration WINDOW = Duration.ofSeconds(30);
    private static final int SUB_BUCKET_BITS = 4;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    /** Durations up to 2^41 ns (about 36 minutes) get their own bucket; longer ones share the last. */
    private static final int MAX_EXPONENT = 40;
    static final int BUCKETS = SUB_BUCKETS + (MAX_EXPONENT - SUB_BUCKET_BITS + 1) * SUB_BUCKETS;

    private final long windowNanos;
    private final Window[] windows = {new Window(), new Window()};

    /** One window's counts; {@code period} says which one (time / window length) it holds. */
    private static final class Window {
        final AtomicLong period = new AtomicLong(Long.MIN_VALUE);
        final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
        final AtomicLong max = new AtomicLong();
    }

    LatencyHistogram(Duration window) {
        this.windowNanos = window.toNanos();
    }

    /** Counts one duration of {@code nanos}, measured at {@code nowNanos} (a {@link System#nanoTime()} reading). */
    void record(long nanos, long nowNanos) {
        long period = Math.floorDiv(nowNanos, windowNanos);
        Window window = windows[(int) (period & 1)];
        long held = window.period.get();
        if (held != period) {
            if (held > period) {
                // Measured before the window moved on, recorded after: too late to count.
                return;
            }
            if (window.period.compareAndSet(held, period)) {
                for (int i = 0; i < BUCKETS; i++) {
                    window.counts.set(i, 0);
                }
                window.max.set(0);
            }
        }
        long value = Math.max(0, nanos);
        window.counts.incrementAndGet(bucketOf(value));
        long max = window.max.get();
        while (value > max && !window.max.compareAndSet(max, value)) {
            max = window.max.get();
        }
    }

    /** What was recorded in the current window and the one before, as of {@code nowNanos}. */
    Snapshot snapshot(long nowNanos) {
        long period = Math.floorDiv(nowNanos, windowNanos);
        long[] counts = new long[BUCKETS];
        long max = 0;
        for (Window window : windows) {
            long held = window.period.get();
            if (held == period || held == period - 1) {
                for (int i = 0; i < BUCKETS; i++) {
                    counts[i] += window.counts.get(i);
                }
                max = Math.max(max, window.max.get());
            }
        }
        return new Snapshot(counts, max);
    }

    static int bucketOf(long nanos) {
        if (nanos < SUB_BUCKETS) {
            return (int) nanos;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(nanos);
        if (exponent > MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int subBucket = (int) (nanos >>> (exponent - SUB_BUCKET_BITS)) - SUB_BUCKETS;
        return SUB_BUCKETS + (exponent - SUB_BUCKET_BITS) * SUB_BUCKETS + subBucket;
    }

    /** The largest duration counted in bucket {@code index}. */
    static long upperBoundOf(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int exponent = (index - SUB_BUCKETS) / SUB_BUCKETS + SUB_BUCKET_BITS;
        int subBucket = (index - SUB_BUCKETS) % SUB_BUCKETS;
        return ((long) (SUB_BUCKETS + subBucket + 1) << (exponent - SUB_BUCKET_BITS)) - 1;
    }

    /** Counts read at one moment. Immutable. */
    static final class Snapshot {
        private final long[] counts;
        private final long total;
        private final long maxNanos;

        Snapshot(long[] counts, long maxNanos) {
            this.counts = counts;
            long sum = 0;
            for (long count : counts) {
                sum += count;
            }
            this.total = sum;
            this.maxNanos = maxNanos;
        }

        long count() { return total; }
        long maxNanos() { return maxNanos; }

        /** The duration {@code quantile} (0.5, 0.99...) of the records are at or below; 0 when none. */
        long quantileNanos(double quantile) {
            long rank = Math.max(1, (long) Math.ceil(quantile * total));
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return Math.min(upperBoundOf(i), maxNanos);
                }
            }
            return 0;
        }
    }
}
