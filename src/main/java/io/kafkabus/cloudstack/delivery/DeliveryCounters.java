package io.kafkabus.cloudstack.delivery;

import java.util.concurrent.atomic.LongAdder;

/** The bus's event counters, updated from CloudStack's, the sender's and the producer's threads. */
final class DeliveryCounters {
    final LongAdder accepted = new LongAdder();
    final LongAdder filtered = new LongAdder();
    final LongAdder spooled = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder dropped = new LongAdder();
}
