package io.kafkabus.cloudstack.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    private static final long WINDOW_NANOS = LatencyHistogram.WINDOW.toNanos();
    private static final long MICRO = 1_000;

    private final LatencyHistogram histogram = new LatencyHistogram(LatencyHistogram.WINDOW);
    /** A manual clock, in nanoseconds, as System.nanoTime() would read; anywhere, negative too. */
    private long now = -7 * WINDOW_NANOS + 12_345;

    @Test
    void percentilesOfKnownDurationsAreWithinOneSixteenthAboveAndTheMaximumIsExact() {
        for (long micros = 1; micros <= 10_000; micros++) {
            histogram.record(micros * MICRO, now);
        }
        LatencyHistogram.Snapshot snapshot = histogram.snapshot(now);
        assertEquals(10_000, snapshot.count());
        assertWithin(5_000 * MICRO, snapshot.quantileNanos(0.5));
        assertWithin(9_900 * MICRO, snapshot.quantileNanos(0.99));
        assertWithin(9_990 * MICRO, snapshot.quantileNanos(0.999));
        assertEquals(10_000 * MICRO, snapshot.maxNanos());
        assertEquals(10_000 * MICRO, snapshot.quantileNanos(1.0), "never above the maximum");
    }

    @Test
    void aFewSlowCallsShowInTheTailNotTheMedian() {
        for (int i = 0; i < 995; i++) {
            histogram.record(3 * MICRO, now);
        }
        for (int i = 0; i < 5; i++) {
            histogram.record(80_000 * MICRO, now);
        }
        LatencyHistogram.Snapshot snapshot = histogram.snapshot(now);
        assertWithin(3 * MICRO, snapshot.quantileNanos(0.5));
        assertWithin(3 * MICRO, snapshot.quantileNanos(0.99));
        assertWithin(80_000 * MICRO, snapshot.quantileNanos(0.999));
    }

    @Test
    void eachDurationFallsInABucketAtMostOneSixteenthWideAndBucketsFollowEachOther() {
        for (long nanos = 0; nanos < 1L << 41; nanos = nanos * 3 / 2 + 1) {
            int bucket = LatencyHistogram.bucketOf(nanos);
            long upper = LatencyHistogram.upperBoundOf(bucket);
            long lower = bucket == 0 ? 0 : LatencyHistogram.upperBoundOf(bucket - 1) + 1;
            assertTrue(lower <= nanos && nanos <= upper, nanos + " in [" + lower + ", " + upper + "]");
            assertTrue(upper - lower <= Math.max(0, lower / 16), "bucket " + bucket + " is [" + lower + ", " + upper + "]");
        }
        assertEquals(LatencyHistogram.BUCKETS - 1, LatencyHistogram.bucketOf(Long.MAX_VALUE));
    }

    @Test
    void durationsCountForTheCurrentWindowAndTheOneBeforeThenAreForgotten() {
        histogram.record(100 * MICRO, now);
        advance(LatencyHistogram.WINDOW);
        histogram.record(200 * MICRO, now);
        LatencyHistogram.Snapshot both = histogram.snapshot(now);
        assertEquals(2, both.count());
        assertEquals(200 * MICRO, both.maxNanos());

        advance(LatencyHistogram.WINDOW);
        LatencyHistogram.Snapshot second = histogram.snapshot(now);
        assertEquals(1, second.count(), "the first window's call is older than two windows");
        assertWithin(200 * MICRO, second.quantileNanos(0.5));

        histogram.record(50 * MICRO, now);
        LatencyHistogram.Snapshot reused = histogram.snapshot(now);
        assertEquals(2, reused.count(), "the reused window starts from nothing");
        assertEquals(200 * MICRO, reused.maxNanos());
        assertWithin(50 * MICRO, reused.quantileNanos(0.5));

        advance(LatencyHistogram.WINDOW.multipliedBy(2));
        LatencyHistogram.Snapshot quiet = histogram.snapshot(now);
        assertEquals(0, quiet.count());
        assertEquals(0, quiet.quantileNanos(0.99));
        assertEquals(0, quiet.maxNanos());
    }

    @Test
    void aDurationMeasuredBeforeItsWindowWasReusedIsNotCountedInTheNewOne() {
        long measuredAt = now;
        advance(LatencyHistogram.WINDOW.multipliedBy(2));
        histogram.record(10 * MICRO, now);
        histogram.record(999 * MICRO, measuredAt);
        assertEquals(1, histogram.snapshot(now).count());
        assertEquals(10 * MICRO, histogram.snapshot(now).maxNanos());
    }

    private void advance(Duration duration) {
        now += duration.toNanos();
    }

    /** {@code actual} is the bucket bound above {@code expected}: at most 1/16 more. */
    private static void assertWithin(long expected, long actual) {
        assertTrue(expected <= actual && actual <= expected + expected / 16, "expected " + expected + " (+1/16), was " + actual);
    }
}
