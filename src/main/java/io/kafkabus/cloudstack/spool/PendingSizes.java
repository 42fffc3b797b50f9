package io.kafkabus.cloudstack.spool;

/**
 * The frame sizes of the records not yet acknowledged, one int each in a growable ring indexed by
 * sequence number, so that the spool's size bound counts what waits for Kafka, not what lingers in
 * segment files after delivery. A record missing from the run (damaged on disk) counts 0. Thread-safe.
 */
final class PendingSizes {
    private int[] ring = new int[64];
    /** Index in {@link #ring} of the record numbered {@link #base}. */
    private int head;
    private int count;
    /** The oldest pending record's sequence number (or the next one's, when none is pending). */
    private long base;
    private long bytes;

    PendingSizes(long acknowledgedBefore) {
        this.base = acknowledgedBefore;
    }

    /**
     * Counts record {@code sequence} of {@code frameBytes}. Records come in increasing order; those
     * skipped in between count 0; one already acknowledged or counted is ignored.
     */
    synchronized void add(long sequence, int frameBytes) {
        if (sequence < base + count) {
            return;
        }
        if (count == 0) {
            base = sequence;
        }
        while (base + count < sequence) {
            push(0);
        }
        push(frameBytes);
    }

    /** Forgets every record below {@code sequence}. */
    synchronized void acknowledgeBefore(long sequence) {
        while (count > 0 && base < sequence) {
            bytes -= ring[head];
            head = (head + 1) % ring.length;
            count--;
            base++;
        }
        base = Math.max(base, sequence);
    }

    /** Bytes of the records counted and not yet acknowledged. */
    synchronized long bytes() {
        return bytes;
    }

    /** Records counted and not yet acknowledged (gaps included). */
    synchronized int count() {
        return count;
    }

    private void push(int frameBytes) {
        if (count == ring.length) {
            int[] larger = new int[ring.length * 2];
            for (int i = 0; i < count; i++) {
                larger[i] = ring[(head + i) % ring.length];
            }
            ring = larger;
            head = 0;
        }
        ring[(head + count) % ring.length] = frameBytes;
        count++;
        bytes += frameBytes;
    }
}
