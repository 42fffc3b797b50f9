package io.kafkabus.cloudstack.metrics;

/**
 * One bus's metrics over JMX, as {@code com.cloud:type=KafkaEventBus,name=<bus name>}. An MXBean:
 * every attribute is an open type (numbers, booleans, strings), so jconsole, jmxterm or the
 * Prometheus JMX exporter read it without the plugin's classes. Each read is live. Public only
 * because JMX requires it.
 */
public interface KafkaEventBusMXBean {
    /** Events handed to publish(). */
    long getAccepted();
    /** Events the filters kept off their topic. */
    long getFiltered();
    /** Records stored in the spool, to be sent. */
    long getSpooled();
    /** Records Kafka acknowledged. */
    long getDelivered();
    /** Events that could not become a record, or that Kafka refused for good without a dead letter topic. */
    long getFailed();
    /** Events Kafka refused for good that went to the dead letter topic. */
    long getDeadLettered();
    /** Events refused because the spool was full, unwritable or closed. */
    long getDropped();
    /** Events in the spool Kafka has not acknowledged yet. */
    long getPending();
    /** Bytes the spool holds. */
    long getSpoolBytes();
    /** Whether the spool is on disk (false: in memory). */
    boolean isDurable();
    /** Age of the oldest event not yet acknowledged; 0 when none waits. */
    long getOldestUndeliveredAgeMs();
    /** Damaged spool records skipped. */
    long getDamaged();
    /** Spool segment files found removed by hand. */
    long getMissingSegments();
    /** Events publish() returned from before the disk confirmed them, with spool.fsync=always. */
    long getUnsyncedAppends();
    /** Disk syncs of the spool that failed. */
    long getSyncFailures();
    /** Whether the sender thread is alive. */
    boolean isSenderRunning();
    /** Whether the spool's disk sync thread is alive. */
    boolean isSyncerRunning();

    /**
     * True while the sender thread is alive, no failure round is on and Kafka's latest answer was an
     * acknowledgment (also before the first send); false from a failed send, or a producer that
     * could not be made, until Kafka acknowledges again.
     */
    boolean isKafkaTakingEvents();
    /** The latest delivery problem the bus logged at WARN/ERROR (repeats the log holds back included); empty when none. */
    String getLastError();
    /** When {@link #getLastError()} last occurred, ISO-8601 in UTC; empty when never. */
    String getLastErrorTime();
    /** The same, in ms since the epoch; 0 when never. */
    long getLastErrorEpochMs();

    /** In-process subscribers registered with subscribe() now. */
    int getSubscribers();
    /** Events handed to subscribers' onEvent. */
    long getSubscriberDelivered();
    /** Events not given to a subscriber because its queue was full. */
    long getSubscriberDropped();
    /** onEvent calls that threw. */
    long getSubscriberFailed();
    /** With subscribers.source=kafka, records of the bus's topics that were not the bus's events. */
    long getSubscriberUnreadable();

    /** publish() calls in the latency window (the last 30 to 60 s). */
    long getPublishLatencyCount();
    /** Median publish() latency over the window, in microseconds; 0 without calls. */
    double getPublishLatencyP50Micros();
    /** 99th percentile of publish() latency over the window, in microseconds. */
    double getPublishLatencyP99Micros();
    /** 99.9th percentile of publish() latency over the window, in microseconds. */
    double getPublishLatencyP999Micros();
    /** Longest publish() over the window, in microseconds. */
    double getPublishLatencyMaxMicros();
}
