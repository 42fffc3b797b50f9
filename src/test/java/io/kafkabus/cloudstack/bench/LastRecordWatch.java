package io.kafkabus.cloudstack.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A consumer reading a topic from its current end, on a thread of its own, until it has read
 * {@code expected} records: when it read the last one is where every contender's clock stops.
 */
final class LastRecordWatch implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final long expected;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean closing;
    private volatile long lastReadNanos;
    private volatile long records;
    private volatile long valueBytes;
    private volatile Throwable error;

    LastRecordWatch(String bootstrapServers, String topic, long expected) {
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.expected = expected;
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(30))); // fixes the start before anything is sent
        this.thread = new Thread(this::run, "bench-consumer");
        thread.start();
    }

    private void run() {
        try {
            while (!closing && records < expected) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    valueBytes += record.value().length;
                    if (++records == expected) {
                        lastReadNanos = System.nanoTime();
                        done.countDown();
                    }
                }
            }
        } catch (Throwable e) {
            error = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
            done.countDown();
        }
    }

    long threadId() {
        return thread.getId();
    }

    /** {@link System#nanoTime()} when the last expected record was read. */
    long awaitLastRead(Duration timeout) throws InterruptedException {
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || lastReadNanos == 0) {
            throw new IllegalStateException("the consumer read " + records + " of " + expected + " records within "
                    + timeout + (error == null ? "" : ": " + error));
        }
        return lastReadNanos;
    }

    /** Mean value size of the records read. */
    long meanValueBytes() {
        return records == 0 ? 0 : valueBytes / records;
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        thread.join(10_000);
    }
}
