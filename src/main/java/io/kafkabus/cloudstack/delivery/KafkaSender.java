package io.kafkabus.cloudstack.delivery;

import java.io.IOException;
import java.time.Duration;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkabus.cloudstack.logging.ErrorText;
import io.kafkabus.cloudstack.logging.RateLimitedLogger;
import io.kafkabus.cloudstack.routing.RoutedRecord;
import io.kafkabus.cloudstack.spool.Spool;
import io.kafkabus.cloudstack.spool.SpooledRecord;

/**
 * The one thread that moves records from the spool to Kafka, in spool order. A record leaves the
 * spool only once Kafka acknowledged it, or refused it for good. When a send fails, the producer is
 * closed at once, so that nothing behind the failed record reaches Kafka ahead of it; once every
 * outstanding record is answered, the sender reads again from the oldest unsettled one and sends
 * what failed, skipping what was delivered. A record refused twice for a reason about itself or its
 * topic is given up: counted, logged, and sent to the dead letter topic when there is one.
 */
final class KafkaSender {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSender.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** Refusals about a record itself after which it is given up. */
    static final int REFUSALS_TO_GIVE_UP = 2;
    /** While stopping: with records outstanding, no acknowledgment for this long and no connection, Kafka is away. */
    static final long STOP_STALL_MS = 1_000;
    private static final long PAUSE_SLICE_MS = 50;

    private final String busName;
    private final Spool spool;
    private final ProducerHandle producers;
    private final DeliveryCounters counters;
    private final RateLimitedLogger problems;
    private final Housekeeping housekeeping;
    private final DeadLetters deadLetters;
    private final Diagnosis diagnosis;
    /** Null unless topic.create is on. */
    private final TopicCreator topicCreator;
    private final UnwritableTopics unwritableTopics = new UnwritableTopics();
    private final Time time;
    private final AckTracker tracker = new AckTracker();
    private final Thread thread;

    /** stop() began: send what is left until done, stalled or past the deadline. */
    private volatile boolean closing;
    private volatile long closingSinceMs;
    private volatile long drainDeadlineMs;
    /** stop() gave up waiting: end now. */
    private volatile boolean forced;
    /** A send failed: send nothing more until every outstanding record is answered, then read again. */
    private volatile boolean recovering;
    private volatile Failure roundFailure;
    /** The first error of the current failed round, explained to the operator once the round is over. */
    private volatile Throwable roundError;
    private volatile int failedRounds;
    private volatile long lastAcknowledgedMs;
    /** False from a failed send (or a producer that could not be made) until Kafka next acknowledges a record. */
    private volatile boolean lastAnswerAcknowledged = true;
    /** The latest attempt to make a producer failed (sender thread only). */
    private boolean noProducer;
    private volatile boolean died;
    private SpooledRecord pending;
    private volatile long pendingTimestampMs = -1;

    KafkaSender(String busName, Spool spool, ProducerHandle producers, DeliveryCounters counters,
                RateLimitedLogger problems, Housekeeping housekeeping, DeadLetters deadLetters, Diagnosis diagnosis,
                TopicCreator topicCreator, Time time) {
        this.busName = busName;
        this.spool = spool;
        this.producers = producers;
        this.counters = counters;
        this.problems = problems;
        this.housekeeping = housekeeping;
        this.deadLetters = deadLetters;
        this.diagnosis = diagnosis;
        this.topicCreator = topicCreator;
        this.time = time;
        this.thread = new Thread(this::run, "kafka-event-bus-sender-" + busName);
        this.thread.setDaemon(true);
        this.thread.setUncaughtExceptionHandler((t, e) -> {
            LOG.error("Kafka event bus {}: the sender thread {} died; events are kept in the spool but not sent "
                    + "until the management server restarts", busName, t.getName(), e);
            died = true;
        });
    }

    void start() {
        thread.start();
    }

    /**
     * Sends what the spool holds until it is empty, Kafka stops taking events, or {@code timeout}
     * passed; then closes the producer and ends the thread. What is not acknowledged stays in the
     * spool. Past the deadline the producer is closed under a send that waits on Kafka, which ends it.
     *
     * @return whether the thread ended, so that the spool it reads may be closed
     */
    boolean stop(Duration timeout) {
        closingSinceMs = time.milliseconds();
        drainDeadlineMs = closingSinceMs + timeout.toMillis();
        closing = true;
        long realDeadline = System.nanoTime() + timeout.toNanos();
        while (thread.isAlive() && time.milliseconds() < drainDeadlineMs && System.nanoTime() < realDeadline) {
            join(PAUSE_SLICE_MS);
            if (stalled(time.milliseconds())) {
                // Kafka is not answering: close the producer, which also ends a send waiting on its metadata.
                producers.abort();
            }
        }
        if (!join(PAUSE_SLICE_MS)) {
            forced = true;
            producers.abort();
            if (topicCreator != null) {
                // Also ends a topic creation waiting on Kafka.
                topicCreator.close(Duration.ZERO);
            }
            return join(5_000);
        }
        return true;
    }

    private boolean join(long millis) {
        try {
            thread.join(Math.max(1, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /** False once the thread died of an error it could not recover from. */
    boolean running() {
        return !died;
    }

    /**
     * Whether Kafka is taking events: the thread is alive, no failure round is on, and Kafka's latest
     * answer was an acknowledgment (true before the first send, as no failure was seen).
     */
    boolean kafkaTakingEvents() {
        return !died && !recovering && lastAnswerAcknowledged;
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
        while (!finished()) {
            try {
                step();
            } catch (IOException | RuntimeException e) {
                // Reading the spool failed, or a bug: start again from the oldest unsettled record.
                LOG.debug("Kafka event bus {}: sender error", busName, e);
                problems.error("Kafka event bus " + busName + ": the sender hit an error and resends from the oldest "
                        + "unacknowledged event", ErrorText.describe(e));
                startRecovery(null, Failure.RESEND, e);
            } catch (InterruptedException e) {
                // Nothing interrupts this thread on purpose; the flags say when to end.
                Thread.interrupted();
            }
        }
        Duration left = Duration.ofMillis(Math.max(0, drainDeadlineMs - time.milliseconds()));
        producers.close(left);
        if (topicCreator != null) {
            topicCreator.close(left);
        }
        housekeeping.run();
    }

    private boolean finished() {
        if (forced) {
            return true;
        }
        if (!closing) {
            return false;
        }
        long now = time.milliseconds();
        if (spool.pendingRecords() == 0 || now >= drainDeadlineMs) {
            return true;
        }
        // Kafka is not taking events: what is left waits in the spool for the next start. Nor is another
        // producer tried: making one can block for seconds (an OAuth login retrying), past the deadline.
        return recovering && roundFailure == Failure.TRANSIENT || noProducer || stalled(now);
    }

    /**
     * Records are outstanding, Kafka acknowledged none of them for a while since stop() began, and
     * the producer, made long enough ago, is not even connected to a broker: Kafka is away, waiting
     * longer is pointless.
     */
    private boolean stalled(long now) {
        return !tracker.idle() && now - Math.max(closingSinceMs, lastAcknowledgedMs) >= STOP_STALL_MS
                && !producers.connectedOrConnecting();
    }

    /** One turn: housekeeping, then at most one record sent. */
    private void step() throws InterruptedException, IOException {
        housekeeping.run();
        if (recovering) {
            recover();
            return;
        }
        if (pending == null) {
            pending = spool.poll(POLL);
            pendingTimestampMs = pending == null ? -1 : pending.record().timestampMs();
            if (pending == null) {
                return;
            }
        }
        SpooledRecord next = pending;
        if (!tracker.isSettled(next.sequence())) {
            Producer<byte[], byte[]> producer = producers.get();
            noProducer = producer == null;
            if (recovering) {
                // A failure arrived meanwhile (its producer is aborted): nothing may overtake the failed record.
                return;
            }
            if (producer == null) {
                lastAnswerAcknowledged = false;
                pause(Backoff.delayMs(failedRounds++));
                return;
            }
            sendOrGiveUp(producer, next);
        }
        pending = null;
        pendingTimestampMs = -1;
    }

    private void sendOrGiveUp(Producer<byte[], byte[]> producer, SpooledRecord spooled) throws InterruptedException {
        RoutedRecord record = spooled.record();
        String refusal = tracker.refusals(spooled.sequence()) >= REFUSALS_TO_GIVE_UP
                ? tracker.lastRefusal(spooled.sequence())
                : unwritableTopics.whyUnwritable(record.topic(), time.milliseconds());
        if (refusal == null) {
            RecordHeaders headers = new RecordHeaders();
            record.forEachHeader((name, value) -> headers.add(name, Utils.toArray(value)));
            send(producer, spooled, new ProducerRecord<>(record.topic(), null, record.timestampMs(), record.key(),
                    record.value(), headers), false);
        } else if (deadLetters.topic() != null && !deadLetters.topic().equals(record.topic())) {
            problems.error("Kafka event bus " + busName + ": Kafka refused events of topic " + record.topic()
                    + " for good; they go to the dead letter topic " + deadLetters.topic(), refusalDetail(record, refusal));
            send(producer, spooled, deadLetters.deadLetterOf(record, refusal), true);
        } else {
            refusedForGood(spooled, refusal, "it is dropped (set dead.letter.topic to keep such events)");
        }
    }

    private void send(Producer<byte[], byte[]> producer, SpooledRecord spooled, ProducerRecord<byte[], byte[]> record,
                      boolean deadLetter) throws InterruptedException {
        if (topicCreator != null) {
            topicCreator.beforeFirstSend(record.topic(), producer);
        }
        tracker.sent(spooled.sequence(), spooled.record().timestampMs());
        try {
            producer.send(record, (metadata, error) -> onCompletion(producer, spooled, deadLetter, error));
        } catch (RuntimeException e) {
            // A closed or broken producer (any exception type): the record is answered all the same.
            onCompletion(producer, spooled, deadLetter, e);
        }
    }

    /** Kafka's answer about one record; on the producer's thread, or the sender's when send() failed. */
    private void onCompletion(Producer<byte[], byte[]> producer, SpooledRecord spooled, boolean deadLetter, Exception error) {
        if (error == null) {
            (deadLetter ? counters.deadLettered : counters.delivered).increment();
            lastAcknowledgedMs = time.milliseconds();
            lastAnswerAcknowledged = true;
            failedRounds = 0;
            spool.acknowledgeBefore(tracker.settled(spooled.sequence()));
            return;
        }
        Failure failure = Failure.of(error);
        String reason = Diagnosis.ofRefusal(error, spooled.record().topic());
        if (deadLetter && failure.givesUpWhenRepeated()) {
            refusedForGood(spooled, reason, "the dead letter topic " + deadLetters.topic() + " refused it too");
            return;
        }
        boolean aborted = !producers.isCurrent(producer);
        tracker.failed(spooled.sequence(), failure, reason);
        if (failure == Failure.TOPIC && tracker.refusals(spooled.sequence()) >= REFUSALS_TO_GIVE_UP) {
            unwritableTopics.add(spooled.record().topic(), reason, time.milliseconds());
        }
        startRecovery(producer, failure, error);
        if (failure == Failure.RESEND && !aborted && !(error instanceof KafkaException)) {
            problems.error("Kafka event bus " + busName + ": the Kafka producer failed unexpectedly; it is replaced "
                    + "and the events are sent again", ErrorText.describe(error));
        }
    }

    /** Stops sending behind a failure: the producer is closed, so later records fail too and keep their order. */
    private void startRecovery(Producer<byte[], byte[]> failedProducer, Failure failure, Throwable error) {
        lastAnswerAcknowledged = false;
        if (!recovering) {
            roundFailure = failure;
            roundError = error;
            recovering = true;
        }
        if (failedProducer == null) {
            producers.abort();
        } else {
            producers.abort(failedProducer);
        }
    }

    /** Once every outstanding record is answered: back off, then read again from the oldest unsettled record. */
    private void recover() throws InterruptedException {
        if (!tracker.awaitAnswered(POLL.toMillis())) {
            return;
        }
        if (roundFailure == Failure.TRANSIENT && !closing) {
            // Here, on the sender thread, once per round: explaining may probe the brokers.
            Diagnosis.Explanation why = diagnosis.ofTransient(roundError);
            problems.warn("Kafka event bus " + busName + ": " + why.sentence + "; events wait in the spool and are retried",
                    why.detail);
        }
        spool.rewind();
        pending = null;
        pendingTimestampMs = -1;
        pause(Backoff.delayMs(failedRounds++));
        recovering = false;
    }

    private void refusedForGood(SpooledRecord spooled, String reason, String outcome) {
        RoutedRecord record = spooled.record();
        counters.failed.increment();
        problems.error("Kafka event bus " + busName + ": Kafka refused events of topic " + record.topic()
                + " for good; they are not retried", refusalDetail(record, reason) + "; " + outcome);
        spool.acknowledgeBefore(tracker.settled(spooled.sequence()));
    }

    private static String refusalDetail(RoutedRecord record, String reason) {
        return "event id=" + record.eventId() + " (" + record.valueSize() + " bytes): " + reason;
    }

    /** Waits, ending early when stop() begins, so that its deadline is kept. */
    private void pause(long millis) {
        long until = time.milliseconds() + millis;
        for (long left = millis; left > 0 && !closing && !forced; left = until - time.milliseconds()) {
            time.sleep(Math.min(left, PAUSE_SLICE_MS));
        }
    }
}
