package io.kafkabus.cloudstack.subscription;

import java.util.concurrent.atomic.LongAdder;

/** One bus's subscriber counters, updated from publishers' threads, subscriber threads and the Kafka reader. */
final class SubscriberCounters {
    final LongAdder delivered = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder unreadable = new LongAdder();
}
