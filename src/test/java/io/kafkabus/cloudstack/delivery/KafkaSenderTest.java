package io.kafkabus.cloudstack.delivery;

import static io.kafkabus.cloudstack.testing.Conditions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.net.ssl.SSLHandshakeException;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.kafkabus.cloudstack.routing.RoutedRecord;
import io.kafkabus.cloudstack.testing.LogCapture;

/**
 * The sender's failure handling, driven record by record through Kafka's MockProducer: which
 * failures give a record up, which keep it, and that a resend never lets a later event of a
 * resource reach Kafka before an earlier one.
 */
class KafkaSenderTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final ScriptedProducers producers = new ScriptedProducers();
    private final List<EventDelivery> opened = new ArrayList<>();

    @AfterEach
    void stop() {
        opened.forEach(EventDelivery::stop);
    }

    @Test
    void aRecordRefusedTwiceGoesToTheDeadLetterTopicAndTheEventsBehindItMoveOn() throws Exception {
        EventDelivery delivery = started(Time.SYSTEM, "dead.letter.topic", "events-dlt");
        delivery.accept(List.of(record("events", "vm-1", 0)));
        delivery.accept(List.of(record("events", "vm-2", 1)));
        delivery.accept(List.of(record("events", "vm-1", 2)));

        Attempts attempts = new Attempts();
        producers.answerUntil(r -> attempts.count(r) >= 0 && r.topic().equals("events") && value(r).equals("0")
                        ? new InvalidTimestampException("Timestamp 1 of message is out of range") : null,
                () -> delivery.statistics().pending() == 0, () -> { });

        assertEquals(2, attempts.of("events", "0"), "refused twice, then given up");
        List<ProducerRecord<byte[], byte[]>> delivered = producers.delivered();
        assertEquals(List.of("events-dlt/0", "events/1", "events/2"), topicsAndValues(delivered));
        ProducerRecord<byte[], byte[]> deadLetter = delivered.get(0);
        assertEquals("vm-1", new String(deadLetter.key(), StandardCharsets.UTF_8));
        assertEquals("events", header(deadLetter, DeadLetters.HEADER_TOPIC));
        assertTrue(header(deadLetter, DeadLetters.HEADER_REASON).contains("InvalidTimestampException"),
                header(deadLetter, DeadLetters.HEADER_REASON));
        assertEquals("id-0", header(deadLetter, "id"));
        BusStatistics statistics = delivery.statistics();
        assertEquals(2, statistics.delivered());
        assertEquals(1, statistics.deadLettered());
        assertEquals(0, statistics.failed());
    }

    @Test
    void withoutADeadLetterTopicARefusedRecordIsCountedAsFailedAndNotRetried() throws Exception {
        EventDelivery delivery = started(Time.SYSTEM);
        delivery.accept(List.of(record("events", "vm-1", 0)));
        delivery.accept(List.of(record("events", "vm-1", 1)));
        Attempts attempts = new Attempts();
        producers.answerUntil(r -> attempts.count(r) >= 0 && value(r).equals("0") ? new InvalidTimestampException("out of range") : null,
                () -> delivery.statistics().pending() == 0, () -> { });
        assertEquals(2, attempts.of("events", "0"));
        assertEquals(List.of("events/1"), topicsAndValues(producers.delivered()));
        assertEquals(1, delivery.statistics().failed());
        assertEquals(1, delivery.statistics().delivered());
    }

    @Test
    void failuresThatCureThemselvesNeverGiveARecordUp() throws Exception {
        EventDelivery delivery = started(Time.SYSTEM, "dead.letter.topic", "events-dlt");
        delivery.accept(List.of(record("events", "vm-1", 0)));
        Attempts attempts = new Attempts();
        producers.answerUntil(r -> attempts.count(r) < 4 ? new NotEnoughReplicasException("too few in-sync replicas") : null,
                () -> delivery.statistics().delivered() == 1, () -> { });
        assertEquals(5, attempts.of("events", "0"));
        assertEquals(List.of("events/0"), topicsAndValues(producers.delivered()));
        assertEquals(0, delivery.statistics().failed());
        assertEquals(0, delivery.statistics().deadLettered());
    }

    @Test
    void aResendNeverPutsALaterEventOfAResourceAheadOfAnEarlierOne() throws Exception {
        EventDelivery delivery = started(Time.SYSTEM);
        delivery.accept(List.of(record("events", "vm-1", 0)));
        delivery.accept(List.of(record("events", "vm-2", 1)));
        delivery.accept(List.of(record("events", "vm-1", 2)));
        delivery.accept(List.of(record("events", "vm-2", 3)));
        await(() -> producers.sent().size() == 4, WAIT, "all four handed to the producer");

        // Record 1 shares a batch with a record the broker refused: Kafka fails it with a plain
        // KafkaException, once. Records 2 and 3 are already in the producer behind it.
        Attempts attempts = new Attempts();
        producers.answerUntil(r -> attempts.count(r) == 0 && value(r).equals("1")
                        ? new KafkaException("part of a batch which had one or more invalid records") : null,
                () -> delivery.statistics().pending() == 0, () -> { });

        assertEquals(List.of("events/0", "events/1", "events/2", "events/3"), topicsAndValues(producers.delivered()),
                "each event delivered once, in publish order");
        assertEquals(4, delivery.statistics().delivered());
    }

    @Test
    void anUnexpectedExceptionFromSendReplacesTheProducerInsteadOfStallingDelivery() throws Exception {
        producers.failSends(n -> n == 0 ? new IllegalStateException("the producer's I/O thread died") : null);
        EventDelivery delivery = started(Time.SYSTEM);
        delivery.accept(List.of(record("events", "vm-1", 0)));
        producers.answerUntil(r -> null, () -> delivery.statistics().delivered() == 1, () -> { });
        assertTrue(producers.producer(0).closed(), "the broken producer was closed");
        assertEquals(2, producers.producersCreated());
    }

    @Test
    void aMissingTopicIsGivenUpWithoutHoldingUpTheOtherTopics() throws Exception {
        ManualTime time = new ManualTime(1_000_000);
        // As Kafka's producer does once max.block.ms passed without the topic in the cluster's metadata.
        producers.failSendsTo("alerts", new TimeoutException("Topic alerts not present in metadata after 5000 ms.",
                new UnknownTopicOrPartitionException("This server does not host this topic-partition.")));
        EventDelivery delivery = started(time, "dead.letter.topic", "events-dlt");
        delivery.accept(List.of(record("alerts", null, 0)));
        delivery.accept(List.of(record("alerts", null, 1)));
        delivery.accept(List.of(record("events", "vm-1", 2)));

        producers.answerUntil(r -> null, () -> delivery.statistics().pending() == 0, time::advanceToNextWake);

        assertEquals(List.of("events-dlt/0", "events-dlt/1", "events/2"), topicsAndValues(producers.delivered()));
        assertEquals(2, producers.sent().stream().filter(r -> r.topic().equals("alerts")).count(),
                "the first alert was tried twice; the second never, its topic being known missing");
        assertEquals(2, delivery.statistics().deadLettered());
        assertEquals(1, delivery.statistics().delivered());
    }

    @Test
    void aTopicThisPrincipalMayNotWriteIsGivenUpAndCounted() throws Exception {
        producers.failSendsTo("secret-topic", new TopicAuthorizationException("Not authorized to access topics: [secret-topic]"));
        EventDelivery delivery = started(Time.SYSTEM);
        delivery.accept(List.of(record("secret-topic", "vm-1", 0)));
        delivery.accept(List.of(record("events", "vm-1", 1)));
        producers.answerUntil(r -> null, () -> delivery.statistics().pending() == 0, () -> { });
        assertEquals(List.of("events/1"), topicsAndValues(producers.delivered()));
        assertEquals(1, delivery.statistics().failed());
    }

    @Test
    void theOldestUndeliveredAgeKeepsGrowingWhileTheSenderBacksOff() throws Exception {
        ManualTime time = new ManualTime(1_000_000);
        EventDelivery delivery = started(time);
        delivery.accept(List.of(record("events", "vm-1", 0, 1_000_000)));
        delivery.accept(List.of(record("events", "vm-1", 1, 1_000_000)));
        Attempts attempts = new Attempts();
        producers.answerUntil(r -> attempts.count(r) == 0 ? new NotEnoughReplicasException("too few in-sync replicas") : null,
                () -> attempts.of("events", "0") > 0, () -> { });
        time.awaitSleeper();
        time.advance(40);

        // The sender waits out its back-off with both records unacknowledged.
        assertEquals(40, delivery.statistics().oldestUndeliveredAgeMs());
        assertEquals(2, delivery.statistics().pending());

        producers.answerUntil(r -> null, () -> delivery.statistics().pending() == 0, time::advanceToNextWake);
        assertEquals(0, delivery.statistics().oldestUndeliveredAgeMs());
    }

    @Test
    void aRefusedTlsHandshakeIsExplainedOnceWhileTheSenderKeepsRetrying() throws Exception {
        try (LogCapture log = LogCapture.attach(Level.WARN, "io.kafkabus.cloudstack")) {
            EventDelivery delivery = started(Time.SYSTEM);
            delivery.accept(List.of(record("events", "vm-1", 0)));
            Attempts attempts = new Attempts();
            producers.answerUntil(r -> attempts.count(r) < 3 ? new SslAuthenticationException("SSL handshake failed",
                            new SSLHandshakeException("PKIX path building failed")) : null,
                    () -> delivery.statistics().delivered() == 1, () -> { });
            assertEquals(List.of("Kafka event bus sender-test: " + Diagnosis.TLS + "; events wait in the spool and are "
                    + "retried: SslAuthenticationException: SSL handshake failed (cause: SSLHandshakeException: "
                    + "PKIX path building failed)"), log.messages(), "three refusals, one line");
        }
    }

    @Test
    void aProducerThatCannotBeCreatedYetIsRetried() throws Exception {
        producers.failNextCreate(new KafkaException("Failed to construct kafka producer: No resolvable bootstrap urls"));
        EventDelivery delivery = started(Time.SYSTEM);
        delivery.accept(List.of(record("events", "vm-1", 0)));
        producers.answerUntil(r -> null, () -> delivery.statistics().delivered() == 1, () -> { });
        assertEquals(1, producers.producersCreated(), "made at the second try");
    }

    private EventDelivery started(Time time, String... extra) throws Exception {
        EventDelivery delivery = EventDelivery.open(InMemoryBuses.config("sender-test", extra),
                "sender-test", producers, time);
        opened.add(delivery);
        delivery.start();
        return delivery;
    }

    /** How often each record (by topic and value) was answered so far. */
    private static final class Attempts {
        private final Map<String, Integer> counts = new ConcurrentHashMap<>();

        /** Counts this attempt; returns how many came before it. */
        int count(ProducerRecord<byte[], byte[]> record) {
            return counts.merge(record.topic() + "/" + value(record), 1, Integer::sum) - 1;
        }

        int of(String topic, String value) {
            return counts.getOrDefault(topic + "/" + value, 0);
        }
    }

    static RoutedRecord record(String topic, String key, int n) {
        return record(topic, key, n, System.currentTimeMillis());
    }

    static RoutedRecord record(String topic, String key, int n, long timestampMs) {
        return new RoutedRecord(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                Integer.toString(n).getBytes(StandardCharsets.UTF_8), Map.of("id", ("id-" + n).getBytes(StandardCharsets.UTF_8)),
                timestampMs);
    }

    private static String value(ProducerRecord<byte[], byte[]> record) {
        assertNotNull(record);
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    private static List<String> topicsAndValues(List<ProducerRecord<byte[], byte[]>> records) {
        Function<ProducerRecord<byte[], byte[]>, String> name = r -> r.topic() + "/" + value(r);
        return records.stream().map(name).collect(Collectors.toList());
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        assertNotNull(record.headers().lastHeader(name), "header " + name);
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
