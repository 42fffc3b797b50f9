package io.kafkabus.cloudstack.spool;

import java.io.IOException;
import java.time.Duration;

import io.kafkabus.cloudstack.routing.RoutedRecord;

/**
 * Where accepted events wait until Kafka has them. Records get consecutive sequence numbers in the
 * order they are appended; one reader (the sender) takes them in that order and acknowledges them
 * once Kafka has; only acknowledged records are ever discarded.
 */
public interface Spool extends AutoCloseable {

    /**
     * Stores {@code record}. Called on CloudStack's threads: returns without waiting on Kafka, and
     * waits on the disk only as the durability policy says.
     *
     * @return the record's sequence number
     * @throws SpoolFullException when the spool's size bound is reached (the record is not stored)
     * @throws IOException        when the record could not be written (the record is not stored)
     */
    long append(RoutedRecord record) throws SpoolFullException, IOException;

    /** Runs what {@link #append} runs on {@code sample}, storing nothing: the first real append costs no set-up. */
    void warmUp(RoutedRecord sample);

    /** The next record after the read cursor, waiting up to {@code timeout}; null if none came. */
    SpooledRecord poll(Duration timeout) throws InterruptedException, IOException;

    /** Moves the read cursor back to the oldest record not yet acknowledged. */
    void rewind();

    /** Every record with a sequence number below {@code sequence} is in Kafka (or given up on). */
    void acknowledgeBefore(long sequence);

    /** Reader-thread housekeeping: discards what is acknowledged, records progress. */
    void maintain() throws IOException;

    /** Bytes held, on disk or in memory (delivered records included until their segment goes). */
    long sizeBytes();

    /** Bytes of the records not yet acknowledged: what the size bound is measured against. */
    long pendingBytes();

    /** Records appended and not yet acknowledged. */
    long pendingRecords();

    /** Records found damaged (bad checksum, torn write) and skipped, since the spool was opened. */
    long damagedRecords();

    /** Appends that returned before the disk confirmed them, under {@code spool.fsync=always}. */
    long unsyncedAppends();

    /** Disk syncs that failed (each retried after a back-off). */
    long syncFailures();

    /** Segment files found removed (by hand) and skipped, with the records they held. */
    long missingSegments();

    /** False once a thread of the spool's own (the disk syncer) died; the log says why. */
    boolean threadsRunning();

    /** True when appended records survive a restart. */
    boolean durable();

    /** Releases files and threads; unacknowledged records stay for the next open (if durable). */
    @Override
    void close() throws IOException;
}
