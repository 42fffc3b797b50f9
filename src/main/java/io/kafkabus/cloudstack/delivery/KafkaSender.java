package io.kafkabus.cloudstack.delivery;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.InvalidRecordException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkabus.cloudstack.routing.RoutedRecord;
import io.kafkabus.cloudstack.spool.Spool;
import io.kafkabus.cloudstack.spool.SpooledRecord;

/**
 * The one thread that moves records from the spool to Kafka, in spool order. A record leaves the
 * spool only once Kafka acknowledged it. When Kafka refuses records for now, the sender waits for
 * every outstanding answer, then reads again from the oldest unacknowledged record (after a
 * back-off), so nothing is skipped and one resource's events are never overtaken by later ones;
 * records Kafka had already taken may then be sent twice, which the id header lets consumers drop.
 */
final class KafkaSender {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSender.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 30_000;

    private final String busName;
    private final Spool spool;
    private final Map<String, Object> producerProperties;
    private final DeliveryCounters counters;
    private final RateLimitedLogger problems;
    private final Runnable periodicTask;
    private final long periodNanos;
    private final AckTracker tracker = new AckTracker();
    private final Thread thread;

    private volatile long drainDeadlineNanos;
    private volatile boolean draining;
    private volatile boolean rewindRequested;
    private volatile boolean recreateProducer;
    private volatile long pendingTimestampMs = -1;
    private Producer<byte[], byte[]> producer;
    private SpooledRecord pending;
    private volatile long backoffMs;
    private long lastPeriodicNanos = System.nanoTime();

    KafkaSender(String busName, Spool spool, Map<String, Object> producerProperties, DeliveryCounters counters,
                RateLimitedLogger problems, Duration period, Runnable periodicTask) {
        this.busName = busName;
        this.spool = spool;
        this.producerProperties = producerProperties;
        this.counters = counters;
        this.problems = problems;
        this.periodNanos = period.isZero() ? Long.MAX_VALUE : period.toNanos();
        this.periodicTask = periodicTask;
        this.thread = new Thread(this::run, "kafka-event-bus-sender-" + busName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Sends what the spool holds for up to {@code timeout}, then closes the producer and ends the
     * thread. What is not acknowledged by then stays in the spool.
     */
    void stop(Duration timeout) {
        drainDeadlineNanos = System.nanoTime() + timeout.toNanos();
        draining = true;
        LockSupport.unpark(thread);
        try {
            thread.join(Math.max(1, timeout.toMillis()));
            if (thread.isAlive()) {
                // Past the deadline and still waiting on Kafka (metadata, buffer space): wake it up.
                thread.interrupt();
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Publish time of the oldest record not yet acknowledged that the sender has read, or -1. */
    long oldestUnacknowledgedMs() {
        long inFlight = tracker.oldestTimestampMs();
        long waiting = pendingTimestampMs;
        if (inFlight < 0 || waiting < 0) {
            return Math.max(inFlight, waiting);
        }
        return Math.min(inFlight, waiting);
    }

    private void run() {
        try {
            while (!finished()) {
                try {
                    step();
                } catch (IOException | RuntimeException e) {
                    // Reading the spool failed, or a bug: start again from the oldest unacknowledged record.
                    problems.error("Kafka event bus " + busName + ": the sender hit an error and retries", e.toString());
                    rewindRequested = true;
                }
            }
        } catch (InterruptedException e) {
            // stop() woke us past its deadline: close up below.
        } finally {
            Thread.interrupted(); // a clear flag, so that closing is not cut short
            closeProducer(Duration.ofNanos(Math.max(0, drainDeadlineNanos - System.nanoTime())));
            housekeeping();
        }
    }

    /** One turn: housekeeping, then at most one record sent. */
    private void step() throws InterruptedException, IOException {
        housekeeping();
        if (rewindRequested) {
            rewindAfterFailure();
            return;
        }
        if (pending == null) {
            pending = spool.poll(POLL);
            pendingTimestampMs = pending == null ? -1 : pending.record().timestampMs();
        }
        if (pending == null) {
            return;
        }
        if (producer == null && !createProducer()) {
            pause(nextBackoff());
            return;
        }
        send(pending);
        pending = null;
        pendingTimestampMs = -1;
    }

    private boolean finished() {
        if (!draining) {
            return false;
        }
        return (spool.pendingRecords() == 0 && tracker.settled()) || System.nanoTime() >= drainDeadlineNanos;
    }

    private void housekeeping() {
        try {
            spool.maintain();
        } catch (IOException e) {
            problems.warn("Kafka event bus " + busName + ": cannot record delivery progress in the spool", e.toString());
        }
        if (System.nanoTime() - lastPeriodicNanos >= periodNanos) {
            lastPeriodicNanos = System.nanoTime();
            periodicTask.run();
        }
    }

    private boolean createProducer() {
        try {
            producer = new KafkaProducer<>(producerProperties);
            recreateProducer = false;
            return true;
        } catch (KafkaException e) {
            // A bootstrap host that does not resolve yet, say: try again rather than give up.
            problems.warn("Kafka event bus " + busName + ": cannot create the Kafka producer, will retry", rootMessage(e));
            return false;
        }
    }

    private void send(SpooledRecord spooled) {
        RoutedRecord record = spooled.record();
        long sequence = spooled.sequence();
        tracker.sent(sequence, record.timestampMs());
        RecordHeaders headers = new RecordHeaders();
        record.headers().forEach(headers::add);
        ProducerRecord<byte[], byte[]> producerRecord =
                new ProducerRecord<>(record.topic(), null, record.timestampMs(), record.key(), record.value(), headers);
        try {
            producer.send(producerRecord, (metadata, exception) -> onCompletion(spooled, exception));
        } catch (KafkaException e) {
            // The producer itself is unusable (closed, fatal state): start over with a new one.
            onFailure(sequence, e, true);
        }
    }

    private void onCompletion(SpooledRecord spooled, Exception exception) {
        long sequence = spooled.sequence();
        if (exception == null) {
            counters.delivered.increment();
            spool.acknowledgeBefore(tracker.completed(sequence));
            backoffMs = 0;
        } else if (refusedForGood(exception)) {
            counters.failed.increment();
            LOG.error("Kafka event bus {}: Kafka refused event id={} (topic {}, {} bytes) for good; it is not retried: {}",
                    busName, spooled.record().eventId(), spooled.record().topic(), spooled.record().valueSize(), exception.toString());
            spool.acknowledgeBefore(tracker.completed(sequence));
        } else {
            onFailure(sequence, exception, !(exception instanceof RetriableException));
        }
    }

    private void onFailure(long sequence, Exception exception, boolean producerUnusable) {
        tracker.failed(sequence);
        recreateProducer |= producerUnusable;
        rewindRequested = true;
        if (!draining) {
            problems.warn("Kafka event bus " + busName + ": Kafka did not take events, they wait in the spool and are retried",
                    rootMessage(exception));
        }
    }

    /** Errors about the record itself, which no retry can cure. */
    private static boolean refusedForGood(Exception exception) {
        return exception instanceof RecordTooLargeException || exception instanceof RecordBatchTooLargeException
                || exception instanceof InvalidTopicException || exception instanceof InvalidRecordException;
    }

    /** Waits for every outstanding answer, then reads again from the oldest unacknowledged record. */
    private void rewindAfterFailure() throws InterruptedException {
        if (!tracker.awaitAnswered(POLL.toMillis())) {
            return;
        }
        if (recreateProducer) {
            closeProducer(Duration.ZERO);
        }
        tracker.rewind();
        spool.rewind();
        pending = null;
        pendingTimestampMs = -1;
        rewindRequested = false;
        pause(nextBackoff());
    }

    private long nextBackoff() {
        backoffMs = backoffMs == 0 ? MIN_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        return backoffMs;
    }

    /** Sleeps, waking early when stop() begins so that the drain deadline is kept. */
    private void pause(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        if (draining) {
            until = Math.min(until, drainDeadlineNanos);
        }
        LockSupport.parkNanos(Math.max(0, until - System.nanoTime()));
    }

    private void closeProducer(Duration timeout) {
        if (producer != null) {
            try {
                producer.close(timeout);
            } catch (KafkaException e) {
                LOG.warn("Kafka event bus {}: closing the Kafka producer failed: {}", busName, e.toString());
            }
            producer = null;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e + " (" + root + ")";
    }
}
