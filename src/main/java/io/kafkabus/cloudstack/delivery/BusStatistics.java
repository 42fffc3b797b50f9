package io.kafkabus.cloudstack.delivery;

/** A snapshot of one bus's counters since it was configured. Immutable. */
public final class BusStatistics {
    private final long accepted;
    private final long spooled;
    private final long delivered;
    private final long failed;
    private final long dropped;
    private final long pending;
    private final long spoolBytes;
    private final boolean durable;
    private final long oldestUndeliveredAgeMs;
    private final long damaged;

    BusStatistics(long accepted, long spooled, long delivered, long failed, long dropped, long pending, long spoolBytes,
                  boolean durable, long oldestUndeliveredAgeMs, long damaged) {
        this.accepted = accepted;
        this.spooled = spooled;
        this.delivered = delivered;
        this.failed = failed;
        this.dropped = dropped;
        this.pending = pending;
        this.spoolBytes = spoolBytes;
        this.durable = durable;
        this.oldestUndeliveredAgeMs = oldestUndeliveredAgeMs;
        this.damaged = damaged;
    }

    /** A disabled bus's statistics: nothing counted. */
    public static BusStatistics none() {
        return new BusStatistics(0, 0, 0, 0, 0, 0, 0, false, 0, 0);
    }

    /** Events handed to publish(). */
    public long accepted() { return accepted; }
    /** Events stored in the spool, to be sent. */
    public long spooled() { return spooled; }
    /** Records Kafka acknowledged (a record replayed after a crash counts again). */
    public long delivered() { return delivered; }
    /** Events that could not be turned into a record, or that Kafka refused for good (too large for the topic, say). */
    public long failed() { return failed; }
    /** Events refused because the spool was full, unwritable or closed. */
    public long dropped() { return dropped; }
    /** Events in the spool that Kafka has not acknowledged yet. */
    public long pending() { return pending; }
    public long spoolBytes() { return spoolBytes; }
    /** Whether the spool is on disk (false: in memory, after a fallback or by configuration). */
    public boolean durable() { return durable; }
    /** Age of the oldest event not yet acknowledged, 0 when none waits. */
    public long oldestUndeliveredAgeMs() { return oldestUndeliveredAgeMs; }
    /** Damaged spool records skipped (torn writes, bad checksums). */
    public long damaged() { return damaged; }

    @Override
    public String toString() {
        return "accepted=" + accepted + " spooled=" + spooled + " delivered=" + delivered + " failed=" + failed
                + " dropped=" + dropped + " pending=" + pending + " spoolBytes=" + spoolBytes
                + " spool=" + (durable ? "disk" : "memory") + " oldestUndeliveredAgeMs=" + oldestUndeliveredAgeMs
                + " damaged=" + damaged;
    }
}
