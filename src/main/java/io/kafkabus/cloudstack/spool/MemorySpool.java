package io.kafkabus.cloudstack.spool;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.kafkabus.cloudstack.routing.RoutedRecord;

/**
 * A bounded spool in memory, for when the disk spool is turned off or cannot be opened: outages
 * up to its bound lose nothing, a restart loses what it holds.
 */
public final class MemorySpool implements Spool {
    private final long maxBytes;
    private final ConcurrentSkipListMap<Long, SpooledRecord> records = new ConcurrentSkipListMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private long nextSequence;
    private long sizeBytes;
    private long acknowledgedBefore;
    private long cursor;
    private boolean closed;

    public MemorySpool(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public long append(RoutedRecord record) throws SpoolFullException {
        long size = RecordCodec.encodedSize(record);
        lock.lock();
        try {
            if (sizeBytes + size > maxBytes || closed) {
                throw new SpoolFullException(sizeBytes, maxBytes);
            }
            long sequence = nextSequence++;
            records.put(sequence, new SpooledRecord(sequence, record));
            sizeBytes += size;
            appended.signalAll();
            return sequence;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void warmUp(RoutedRecord sample) {
        RecordCodec.encodedSize(sample);
    }

    @Override
    public SpooledRecord poll(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                Map.Entry<Long, SpooledRecord> next = records.ceilingEntry(Math.max(cursor, acknowledgedBefore));
                if (next != null) {
                    cursor = next.getKey() + 1;
                    return next.getValue();
                }
                if (remaining <= 0 || closed) {
                    return null;
                }
                remaining = appended.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void rewind() {
        lock.lock();
        try {
            cursor = acknowledgedBefore;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void acknowledgeBefore(long sequence) {
        lock.lock();
        try {
            acknowledgedBefore = Math.max(acknowledgedBefore, sequence);
            Map<Long, SpooledRecord> delivered = records.headMap(acknowledgedBefore);
            for (SpooledRecord record : delivered.values()) {
                sizeBytes -= RecordCodec.encodedSize(record.record());
            }
            delivered.clear();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void maintain() {
        // Acknowledging already freed the memory.
    }

    @Override
    public long sizeBytes() {
        lock.lock();
        try {
            return sizeBytes;
        } finally {
            lock.unlock();
        }
    }

    /** The same as {@link #sizeBytes}: acknowledging frees a record at once. */
    @Override
    public long pendingBytes() {
        return sizeBytes();
    }

    @Override
    public long pendingRecords() {
        return records.size();
    }

    @Override
    public long damagedRecords() {
        return 0;
    }

    @Override
    public long unsyncedAppends() {
        return 0;
    }

    @Override
    public long syncFailures() {
        return 0;
    }

    @Override
    public long missingSegments() {
        return 0;
    }

    @Override
    public boolean threadsRunning() {
        return true;
    }

    @Override
    public boolean durable() {
        return false;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            appended.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
