package io.kafkabus.cloudstack.metrics;

import java.time.Instant;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.kafkabus.cloudstack.delivery.EventDelivery;
import io.kafkabus.cloudstack.logging.LoggedProblem;
import io.kafkabus.cloudstack.subscription.SubscriberStatistics;

/** What JMX reads of one bus: its delivery's statistics and state, its subscribers', and its publish() latency, each read live. */
final class BusMonitor implements KafkaEventBusMXBean {
    private static final double NANOS_PER_MICRO = 1_000.0;

    private final EventDelivery delivery;
    private final Supplier<SubscriberStatistics> subscribers;
    private final LatencyHistogram publishLatency;
    private final LongSupplier nanoTime;

    BusMonitor(EventDelivery delivery, Supplier<SubscriberStatistics> subscribers, LatencyHistogram publishLatency,
               LongSupplier nanoTime) {
        this.delivery = delivery;
        this.subscribers = subscribers;
        this.publishLatency = publishLatency;
        this.nanoTime = nanoTime;
    }

    @Override public long getAccepted() { return delivery.statistics().accepted(); }
    @Override public long getFiltered() { return delivery.statistics().filtered(); }
    @Override public long getSpooled() { return delivery.statistics().spooled(); }
    @Override public long getDelivered() { return delivery.statistics().delivered(); }
    @Override public long getFailed() { return delivery.statistics().failed(); }
    @Override public long getDeadLettered() { return delivery.statistics().deadLettered(); }
    @Override public long getDropped() { return delivery.statistics().dropped(); }
    @Override public long getPending() { return delivery.statistics().pending(); }
    @Override public long getSpoolBytes() { return delivery.statistics().spoolBytes(); }
    @Override public boolean isDurable() { return delivery.statistics().durable(); }
    @Override public long getOldestUndeliveredAgeMs() { return delivery.statistics().oldestUndeliveredAgeMs(); }
    @Override public long getDamaged() { return delivery.statistics().damaged(); }
    @Override public long getMissingSegments() { return delivery.statistics().missingSegments(); }
    @Override public long getUnsyncedAppends() { return delivery.statistics().unsyncedAppends(); }
    @Override public long getSyncFailures() { return delivery.statistics().syncFailures(); }
    @Override public boolean isSenderRunning() { return delivery.statistics().senderRunning(); }
    @Override public boolean isSyncerRunning() { return delivery.statistics().syncerRunning(); }

    @Override public boolean isKafkaTakingEvents() { return delivery.kafkaTakingEvents(); }

    @Override public String getLastError() { return delivery.latestProblem().line(); }

    @Override
    public String getLastErrorTime() {
        LoggedProblem latest = delivery.latestProblem();
        return latest == LoggedProblem.NONE ? "" : Instant.ofEpochMilli(latest.epochMs()).toString();
    }

    @Override public long getLastErrorEpochMs() { return delivery.latestProblem().epochMs(); }

    @Override public int getSubscribers() { return subscribers.get().subscribers(); }
    @Override public long getSubscriberDelivered() { return subscribers.get().delivered(); }
    @Override public long getSubscriberDropped() { return subscribers.get().dropped(); }
    @Override public long getSubscriberFailed() { return subscribers.get().failed(); }
    @Override public long getSubscriberUnreadable() { return subscribers.get().unreadable(); }

    @Override public long getPublishLatencyCount() { return latency().count(); }
    @Override public double getPublishLatencyP50Micros() { return micros(latency().quantileNanos(0.5)); }
    @Override public double getPublishLatencyP99Micros() { return micros(latency().quantileNanos(0.99)); }
    @Override public double getPublishLatencyP999Micros() { return micros(latency().quantileNanos(0.999)); }
    @Override public double getPublishLatencyMaxMicros() { return micros(latency().maxNanos()); }

    private LatencyHistogram.Snapshot latency() {
        return publishLatency.snapshot(nanoTime.getAsLong());
    }

    private static double micros(long nanos) {
        return nanos / NANOS_PER_MICRO;
    }
}
