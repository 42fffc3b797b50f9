package io.kafkabus.cloudstack.spool;

import io.kafkabus.cloudstack.routing.RoutedRecord;

/** A record with its place in the spool. */
public final class SpooledRecord {
    private final long sequence;
    private final RoutedRecord record;

    SpooledRecord(long sequence, RoutedRecord record) {
        this.sequence = sequence;
        this.record = record;
    }

    public long sequence() {
        return sequence;
    }

    public RoutedRecord record() {
        return record;
    }
}
