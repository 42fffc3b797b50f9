package io.kafkabus.cloudstack.delivery;

/** A snapshot of one bus's counters since it was configured. Immutable. */
public final class BusStatistics {
    private final long accepted;
    private final long filtered;
    private final long spooled;
    private final long delivered;
    private final long failed;
    private final long deadLettered;
    private final long dropped;
    private final long pending;
    private final long spoolBytes;
    private final boolean durable;
    private final long oldestUndeliveredAgeMs;
    private final long damaged;
    private final long missingSegments;
    private final long unsyncedAppends;
    private final long syncFailures;
    private final boolean senderRunning;
    private final boolean syncerRunning;

    BusStatistics(long accepted, long filtered, long spooled, long delivered, long failed, long deadLettered, long dropped, long pending,
                  long spoolBytes, boolean durable, long oldestUndeliveredAgeMs, long damaged, long missingSegments,
                  long unsyncedAppends, long syncFailures, boolean senderRunning, boolean syncerRunning) {
        this.accepted = accepted;
        this.filtered = filtered;
        this.spooled = spooled;
        this.delivered = delivered;
        this.failed = failed;
        this.deadLettered = deadLettered;
        this.dropped = dropped;
        this.pending = pending;
        this.spoolBytes = spoolBytes;
        this.durable = durable;
        this.oldestUndeliveredAgeMs = oldestUndeliveredAgeMs;
        this.damaged = damaged;
        this.missingSegments = missingSegments;
        this.unsyncedAppends = unsyncedAppends;
        this.syncFailures = syncFailures;
        this.senderRunning = senderRunning;
        this.syncerRunning = syncerRunning;
    }

    /** A disabled bus's statistics: nothing counted. */
    public static BusStatistics none() {
        return new BusStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0, false, 0, 0, 0, 0, 0, true, true);
    }

    /** Events handed to publish(). */
    public long accepted() { return accepted; }
    /** Events the filters kept off their topic (they may still have gone to state.topic). */
    public long filtered() { return filtered; }
    /** Records stored in the spool, to be sent: one per event, two for an event also sent to state.topic. */
    public long spooled() { return spooled; }
    /** Records Kafka acknowledged (a record replayed after a crash counts again). */
    public long delivered() { return delivered; }
    /** Events that could not be turned into a record, or that Kafka refused for good and no dead letter topic kept. */
    public long failed() { return failed; }
    /** Events Kafka refused for good that went to the dead letter topic instead. */
    public long deadLettered() { return deadLettered; }
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
    /** Spool segment files found removed by hand and skipped. */
    public long missingSegments() { return missingSegments; }
    /** Events publish() returned from before the disk confirmed them, with spool.fsync=always. */
    public long unsyncedAppends() { return unsyncedAppends; }
    /** Disk syncs of the spool that failed. */
    public long syncFailures() { return syncFailures; }
    /** Whether the sender thread is alive (false: it died; the log says why). */
    public boolean senderRunning() { return senderRunning; }
    /** Whether the spool's disk sync thread is alive (false: it died; the log says why). */
    public boolean syncerRunning() { return syncerRunning; }

    @Override
    public String toString() {
        return "accepted=" + accepted + " filtered=" + filtered + " spooled=" + spooled + " delivered=" + delivered + " failed=" + failed
                + " deadLettered=" + deadLettered + " dropped=" + dropped + " pending=" + pending
                + " spoolBytes=" + spoolBytes + " spool=" + (durable ? "disk" : "memory")
                + " oldestUndeliveredAgeMs=" + oldestUndeliveredAgeMs + " damaged=" + damaged
                + " missingSegments=" + missingSegments + " unsyncedAppends=" + unsyncedAppends
                + " syncFailures=" + syncFailures + " sender=" + (senderRunning ? "running" : "dead") + " syncer=" + (syncerRunning ? "running" : "dead");
    }
}
