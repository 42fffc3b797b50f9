package io.kafkabus.cloudstack.delivery;

import java.util.Arrays;

/**
 * What the sender has handed to the producer and what became of it, from the watermark (the lowest
 * sequence number not yet settled, below which the spool may discard) up to the highest sent.
 * After a failure the sender reads again from the watermark: records already settled are skipped,
 * so a resend repeats only what failed, in its original order. Callbacks arrive on the producer's
 * thread, sends on the sender's: every method is synchronized.
 *
 * <p>One slot per sequence number from the watermark on, in arrays used as a ring (no object per
 * record): sequence numbers are sent in increasing order, so the window is dense.
 */
final class AckTracker {
    /** Slot states; NONE is a sequence number never sent (not read, or settled without a send). */
    private static final byte NONE = 0;
    private static final byte IN_FLIGHT = 1;
    private static final byte FAILED = 2;
    private static final byte SETTLED = 3;

    private byte[] states = new byte[1024];
    private long[] timestamps = new long[1024];
    /** Failures about the record itself or its topic, the last one's reason. */
    private int[] refusals = new int[1024];
    private String[] lastRefusals = new String[1024];
    /** Ring index of the slot of sequence number {@link #base}. */
    private int head;
    /** Slots in use, from {@link #base}; the first, when any, is neither NONE nor SETTLED. */
    private int count;
    private long base;
    /** One past the highest sequence number sent or settled. */
    private long nextUnsent;
    private int inFlight;

    synchronized void sent(long sequence, long timestampMs) {
        int slot = slotCreating(sequence);
        if (states[slot] == NONE) {
            timestamps[slot] = timestampMs;
        }
        moveTo(slot, IN_FLIGHT);
        nextUnsent = Math.max(nextUnsent, sequence + 1);
    }

    /** Delivered, or given up on (perhaps without ever being sent). Returns the new watermark. */
    synchronized long settled(long sequence) {
        int slot = slotOf(sequence);
        if (slot >= 0) {
            moveTo(slot, SETTLED);
            trimHead();
        }
        nextUnsent = Math.max(nextUnsent, sequence + 1);
        notifyAll();
        return watermark();
    }

    /** Kafka did not take it: it is sent again after the rewind. */
    synchronized void failed(long sequence, Failure failure, String reason) {
        int slot = slotOf(sequence);
        if (slot >= 0 && states[slot] != NONE) {
            moveTo(slot, FAILED);
            if (failure.givesUpWhenRepeated()) {
                refusals[slot]++;
                lastRefusals[slot] = reason;
            }
        }
        notifyAll();
    }

    /** How often Kafka refused this record for a reason about the record or its topic. */
    synchronized int refusals(long sequence) {
        int slot = slotOf(sequence);
        return slot < 0 ? 0 : refusals[slot];
    }

    /** The reason of this record's last refusal, or null. */
    synchronized String lastRefusal(long sequence) {
        int slot = slotOf(sequence);
        return slot < 0 ? null : lastRefusals[slot];
    }

    /** True for a record delivered or given up on: reading it again after a rewind, skip it. */
    synchronized boolean isSettled(long sequence) {
        int slot = slotOf(sequence);
        return sequence < watermark() || slot >= 0 && states[slot] == SETTLED;
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
        return count == 0;
    }

    synchronized long watermark() {
        return count == 0 ? nextUnsent : base;
    }

    /** Publish time of the oldest record read and not settled (the one at the watermark), or -1. */
    synchronized long oldestTimestampMs() {
        return count == 0 ? -1 : timestamps[head];
    }

    /** The ring index of {@code sequence}'s slot, or -1 outside the window. */
    private int slotOf(long sequence) {
        long offset = sequence - base;
        return offset < 0 || offset >= count ? -1 : (int) ((head + offset) % states.length);
    }

    /** {@code sequence}'s slot, the window grown (with NONE slots) to take it. */
    private int slotCreating(long sequence) {
        if (count == 0) {
            base = sequence;
        }
        long needed = sequence - base + 1;
        if (needed > states.length) {
            grow((int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * states.length)));
        }
        while (count < needed) {
            int slot = (head + count) % states.length;
            states[slot] = NONE;
            refusals[slot] = 0;
            lastRefusals[slot] = null;
            count++;
        }
        return slotOf(sequence);
    }

    /** Drops settled and never-sent slots from the head: the watermark moves to the first unsettled record. */
    private void trimHead() {
        while (count > 0 && (states[head] == SETTLED || states[head] == NONE)) {
            lastRefusals[head] = null;
            head = (head + 1) % states.length;
            base++;
            count--;
        }
    }

    private void grow(int capacity) {
        byte[] newStates = new byte[capacity];
        long[] newTimestamps = new long[capacity];
        int[] newRefusals = new int[capacity];
        String[] newLastRefusals = new String[capacity];
        for (int i = 0; i < count; i++) {
            int from = (head + i) % states.length;
            newStates[i] = states[from];
            newTimestamps[i] = timestamps[from];
            newRefusals[i] = refusals[from];
            newLastRefusals[i] = lastRefusals[from];
        }
        Arrays.fill(lastRefusals, null);
        states = newStates;
        timestamps = newTimestamps;
        refusals = newRefusals;
        lastRefusals = newLastRefusals;
        head = 0;
    }

    private void moveTo(int slot, byte state) {
        if (states[slot] == IN_FLIGHT) {
            inFlight--;
        }
        if (state == IN_FLIGHT) {
            inFlight++;
        }
        states[slot] = state;
    }
}
