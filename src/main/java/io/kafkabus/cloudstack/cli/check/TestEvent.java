package io.kafkabus.cloudstack.cli.check;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.delivery.Diagnosis;
import io.kafkabus.cloudstack.event.DescriptionProcessor;
import io.kafkabus.cloudstack.event.EventEnvelope;
import io.kafkabus.cloudstack.event.ManagementServer;
import io.kafkabus.cloudstack.logging.ErrorText;
import io.kafkabus.cloudstack.routing.RecordRouter;
import io.kafkabus.cloudstack.routing.RoutedRecord;

/**
 * {@code --send-test-event}: one event, made by the bus's own envelope and routing code (so consumers
 * see the real shape, value format and headers), sent to {@code topic} with the bus's producer
 * settings, then read back from the partition and offset Kafka gave it, by a consumer in no group.
 * It is marked as a test: category {@value #CATEGORY}, type {@value #TYPE}, header {@value #HEADER}.
 */
final class TestEvent {
    static final String CATEGORY = "KafkaEventBusCheck";
    static final String TYPE = "CHECK.TEST";
    static final String HEADER = "kafka-event-bus-check";
    private static final String DESCRIPTION = "{\"description\":\"test event sent by the Kafka event bus plugin's check "
            + "command (--send-test-event); not a CloudStack event: ignore it\",\"event\":\"" + TYPE + "\"}";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final EventBusConfig config;
    private final Findings findings;
    private final long timeoutMs = CheckClients.CALL_TIMEOUT.toMillis();

    TestEvent(EventBusConfig config, Findings findings) {
        this.config = config;
        this.findings = findings;
    }

    void run() throws InterruptedException {
        findings.progress("sending a test event to topic " + config.topic() + " and reading it back");
        String id = UUID.randomUUID().toString();
        long start = System.nanoTime();
        RecordMetadata sent = send(record(id));
        if (sent == null) {
            return;
        }
        String where = "topic " + sent.topic() + " partition " + sent.partition() + " offset " + sent.offset();
        String readBack = readBack(id, new TopicPartition(sent.topic(), sent.partition()), sent.offset());
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String marked = "consumers of the topic see it too: category " + CATEGORY + ", type " + TYPE + ", header " + HEADER + "=true";
        if (readBack == null) {
            findings.add(Finding.ok("test event " + id + " written to " + where + " and read back, round trip " + tookMs
                    + " ms; " + marked));
        } else {
            // The bus only writes: a check that cannot read its event back has still shown that writing works.
            findings.add(Finding.warn("test event " + id + " written to " + where + " but not read back: " + readBack + "; "
                    + marked));
        }
    }

    private ProducerRecord<byte[], byte[]> record(String id) {
        ManagementServer server = ManagementServer.local();
        EventEnvelope envelope = EventEnvelope.builder(id, Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .source("management-server")
                .category(CATEGORY)
                .type(TYPE)
                .description(new DescriptionProcessor(config.redactEnabled(), config.redactFieldsExtra(),
                        config.descriptionExpandFields()).process(DESCRIPTION))
                .managementServer(server.host(), server.id())
                .build();
        RoutedRecord routed = new RecordRouter(config).route(envelope);
        RecordHeaders headers = new RecordHeaders();
        routed.forEachHeader((name, value) -> headers.add(name, Utils.toArray(value)));
        headers.add(HEADER, "true".getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(config.topic(), null, routed.timestampMs(), routed.key(), routed.value(), headers);
    }

    /** Kafka's acknowledgement, or null when it did not come (a finding says why). */
    private RecordMetadata send(ProducerRecord<byte[], byte[]> record) throws InterruptedException {
        Producer<byte[], byte[]> producer;
        try {
            producer = new KafkaProducer<>(CheckClients.producer(config));
        } catch (KafkaException e) {
            findings.add(Finding.problem("the bus's producer cannot be made with these settings: " + ErrorText.describe(e)));
            return null;
        }
        try {
            return producer.send(record).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            Throwable error = e instanceof ExecutionException ? e.getCause() : e;
            findings.add(Finding.problem("the test event was not taken by topic " + record.topic() + ": " + why(error, record.topic())));
            return null;
        } finally {
            producer.close(CLOSE_TIMEOUT);
        }
    }

    /** The topic's own refusal (missing, not writable) in those words, else the cause as the bus explains it. */
    private String why(Throwable error, String topic) {
        if (error.getCause() instanceof UnknownTopicOrPartitionException || error instanceof TopicAuthorizationException) {
            return Diagnosis.ofRefusal(error, topic);
        }
        Diagnosis.Explanation why = new Diagnosis(BrokerCheck.probe(config)).ofTransient(error);
        return why.sentence + "; " + why.detail;
    }

    /** Null when the event was read back, else why not. */
    private String readBack(String id, TopicPartition partition, long offset) {
        byte[] expectedId = id.getBytes(StandardCharsets.UTF_8);
        Consumer<byte[], byte[]> consumer;
        try {
            consumer = new KafkaConsumer<>(CheckClients.consumer(config));
        } catch (KafkaException e) {
            return e.toString();
        }
        try {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Header header = record.headers().lastHeader(RecordRouter.HEADER_ID);
                    if (record.offset() == offset && header != null && Arrays.equals(header.value(), expectedId)) {
                        return null;
                    }
                }
            }
            return "not found within " + timeoutMs + " ms";
        } catch (KafkaException e) {
            return e.toString();
        } finally {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        }
    }
}
