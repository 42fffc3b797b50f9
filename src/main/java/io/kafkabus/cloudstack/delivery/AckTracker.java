package io.kafkabus.cloudstack.delivery;

import java.util.Iterator;
import java.util.TreeMap;

/**
 * What the sender has handed to the producer and what became of it, from the watermark (the lowest
 * sequence number not yet settled, below which the spool may discard) up to the highest sent.
 * After a failure the sender reads again from the watermark: records already settled are skipped,
 * so a resend repeats only what failed, in its original order. Callbacks arrive on the producer's
 * thread, sends on the sender's: every method is synchronized.
 */
final class AckTracker {
    private enum State { IN_FLIGHT, FAILED, SETTLED }

    /** One record at or above the watermark. */
    private static final class Entry {
        final long timestampMs;
        /** Null until first sent. */
        State state;
        /** Failures about the record itself or its topic, the last one's reason. */
        int refusals;
        String lastRefusal;

        Entry(long timestampMs) {
            this.timestampMs = timestampMs;
        }
    }

    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    /** One past the highest sequence number sent. */
    private long nextUnsent;
    private int inFlight;

    synchronized void sent(long sequence, long timestampMs) {
        moveTo(entries.computeIfAbsent(sequence, s -> new Entry(timestampMs)), State.IN_FLIGHT);
        nextUnsent = Math.max(nextUnsent, sequence + 1);
    }

    /** Delivered, or given up on (perhaps without ever being sent). Returns the new watermark. */
    synchronized long settled(long sequence) {
        Entry entry = entries.get(sequence);
        if (entry != null) {
            moveTo(entry, State.SETTLED);
        }
        nextUnsent = Math.max(nextUnsent, sequence + 1);
        for (Iterator<Entry> head = entries.values().iterator(); head.hasNext(); ) {
            if (head.next().state != State.SETTLED) {
                break;
            }
            head.remove();
        }
        notifyAll();
        return watermark();
    }

    /** Kafka did not take it: it is sent again after the rewind. */
    synchronized void failed(long sequence, Failure failure, String reason) {
        Entry entry = entries.get(sequence);
        if (entry != null) {
            moveTo(entry, State.FAILED);
            if (failure.givesUpWhenRepeated()) {
                entry.refusals++;
                entry.lastRefusal = reason;
            }
        }
        notifyAll();
    }

    /** How often Kafka refused this record for a reason about the record or its topic. */
    synchronized int refusals(long sequence) {
        Entry entry = entries.get(sequence);
        return entry == null ? 0 : entry.refusals;
    }

    /** The reason of this record's last refusal, or null. */
    synchronized String lastRefusal(long sequence) {
        Entry entry = entries.get(sequence);
        return entry == null ? null : entry.lastRefusal;
    }

    /** True for a record delivered or given up on: reading it again after a rewind, skip it. */
    synchronized boolean isSettled(long sequence) {
        Entry entry = entries.get(sequence);
        return sequence < watermark() || entry != null && entry.state == State.SETTLED;
    }

    /** Waits up to {@code timeoutMs} for every record sent to be answered. */
    synchronized boolean awaitAnswered(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        long remaining = timeoutMs;
        while (inFlight > 0 && remaining > 0) {
            wait(remaining);
            remaining = (deadline - System.nanoTime()) / 1_000_000;
        }
        return inFlight == 0;
    }

    /** Nothing sent is waiting for Kafka's answer or to be sent again. */
    synchronized boolean idle() {
        return entries.isEmpty();
    }

    synchronized long watermark() {
        return entries.isEmpty() ? nextUnsent : entries.firstKey();
    }

    /** Publish time of the oldest record read and not settled (the one at the watermark), or -1. */
    synchronized long oldestTimestampMs() {
        return entries.isEmpty() ? -1 : entries.firstEntry().getValue().timestampMs;
    }

    private void moveTo(Entry entry, State state) {
        if (entry.state == State.IN_FLIGHT) {
            inFlight--;
        }
        if (state == State.IN_FLIGHT) {
            inFlight++;
        }
        entry.state = state;
    }
}
