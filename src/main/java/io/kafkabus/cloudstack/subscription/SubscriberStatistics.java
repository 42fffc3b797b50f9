package io.kafkabus.cloudstack.subscription;

/** A snapshot of one bus's subscriber counters since it was created. Immutable. */
public final class SubscriberStatistics {
    private final int subscribers;
    private final long delivered;
    private final long dropped;
    private final long failed;
    private final long unreadable;

    SubscriberStatistics(int subscribers, long delivered, long dropped, long failed, long unreadable) {
        this.subscribers = subscribers;
        this.delivered = delivered;
        this.dropped = dropped;
        this.failed = failed;
        this.unreadable = unreadable;
    }

    /** Subscriptions in force. */
    public int subscribers() { return subscribers; }
    /** Calls of a subscriber's onEvent that returned normally. */
    public long delivered() { return delivered; }
    /** Events not handed to a subscriber because its queue was full (one per subscriber that missed it). */
    public long dropped() { return dropped; }
    /** Calls of a subscriber's onEvent that threw. */
    public long failed() { return failed; }
    /** With subscribers.source=kafka: records of the bus's topics that were not an event of the bus, skipped. */
    public long unreadable() { return unreadable; }

    @Override
    public String toString() {
        return "subscribers=" + subscribers + " delivered=" + delivered + " dropped=" + dropped + " failed=" + failed
                + " unreadable=" + unreadable;
    }
}
