package io.kafkabus.cloudstack.delivery;

import java.util.List;
import java.util.TreeMap;

/**
 * What the sender has handed to the producer and not yet heard back about. Its watermark, the
 * lowest sequence number not yet known delivered, is what the spool may discard below.
 * Callbacks arrive on the producer's thread, sends on the sender's: every method is synchronized.
 */
final class AckTracker {
    /** Sequence number to publish time (ms) of records sent and not answered yet. */
    private final TreeMap<Long, Long> unsettled = new TreeMap<>();
    /** The same, of records Kafka refused for now, until the sender rewinds. */
    private final TreeMap<Long, Long> failed = new TreeMap<>();
    /** One past the highest sequence number sent. */
    private long nextUnsent;

    synchronized void sent(long sequence, long timestampMs) {
        unsettled.put(sequence, timestampMs);
        nextUnsent = Math.max(nextUnsent, sequence + 1);
    }

    /** Delivered, or given up on. Returns the new watermark. */
    synchronized long completed(long sequence) {
        unsettled.remove(sequence);
        notifyAll();
        return watermark();
    }

    /** Kafka refused it for now; it must be sent again. */
    synchronized void failed(long sequence) {
        Long timestamp = unsettled.remove(sequence);
        if (timestamp != null) {
            failed.put(sequence, timestamp);
        }
        notifyAll();
    }

    /** Waits up to {@code timeoutMs} for every record sent to be delivered or failed. */
    synchronized boolean awaitAnswered(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        long remaining = timeoutMs;
        while (!unsettled.isEmpty() && remaining > 0) {
            wait(remaining);
            remaining = (deadline - System.nanoTime()) / 1_000_000;
        }
        return unsettled.isEmpty();
    }

    /** Nothing sent is waiting for Kafka's answer or to be sent again. */
    synchronized boolean settled() {
        return unsettled.isEmpty() && failed.isEmpty();
    }

    synchronized long watermark() {
        long lowest = nextUnsent;
        if (!unsettled.isEmpty()) {
            lowest = Math.min(lowest, unsettled.firstKey());
        }
        if (!failed.isEmpty()) {
            lowest = Math.min(lowest, failed.firstKey());
        }
        return lowest;
    }

    /** Forgets everything after the watermark: the sender reads from there again. */
    synchronized void rewind() {
        long watermark = watermark();
        unsettled.clear();
        failed.clear();
        nextUnsent = watermark;
    }

    /** Publish time of the oldest record sent and not delivered, or -1. */
    synchronized long oldestTimestampMs() {
        long oldest = -1;
        for (TreeMap<Long, Long> map : List.of(unsettled, failed)) {
            for (long timestamp : map.values()) {
                oldest = oldest < 0 ? timestamp : Math.min(oldest, timestamp);
            }
        }
        return oldest;
    }
}
