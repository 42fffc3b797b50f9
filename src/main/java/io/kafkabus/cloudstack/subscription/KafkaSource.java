package io.kafkabus.cloudstack.subscription;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.cloudstack.framework.events.Event;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkabus.cloudstack.config.ClientProperties;
import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.logging.RateLimitedLogger;

/**
 * With {@code subscribers.source=kafka}: one thread ({@code kafka-event-bus-subscriber-<bus>-kafka})
 * reading the bus's topics ({@code topic}, and those of {@code category.topics} and
 * {@code type.topics}) and handing each event to the subscribers. Partitions are assigned, not
 * subscribed in a group: each server reads every partition, needs no group ACL and leaves no
 * committed offsets behind; it starts at the events published since the bus was configured (by
 * record time) and keeps its position in memory, so an outage delays events but loses none while
 * the server runs. Partitions are looked up again every minute, which also picks up topics created later.
 */
final class KafkaSource {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSource.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long REDISCOVER_MS = 60_000;
    private static final long RETRY_MS = 5_000;
    private static final Duration CLOSE = Duration.ofSeconds(1);

    private final String busName;
    private final List<String> topics;
    private final Map<String, Object> consumerProperties;
    private final java.util.function.Consumer<Event> sink;
    private final SubscriberCounters counters;
    private final RateLimitedLogger problems;
    private final long fromTimestampMs = System.currentTimeMillis();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Thread thread;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    KafkaSource(EventBusConfig config, String busName, java.util.function.Consumer<Event> sink, SubscriberCounters counters,
                RateLimitedLogger problems) {
        this.busName = busName;
        Set<String> read = new LinkedHashSet<>();
        read.add(config.topic());
        read.addAll(config.categoryTopics().values());
        read.addAll(config.typeTopics().values());
        this.topics = List.copyOf(read);
        this.consumerProperties = consumerProperties(config);
        this.sink = sink;
        this.counters = counters;
        this.problems = problems;
        this.thread = new Thread(this::run, "kafka-event-bus-subscriber-" + busName + "-kafka");
        this.thread.setDaemon(true);
        this.thread.setUncaughtExceptionHandler((t, e) -> LOG.error("Kafka event bus {}: the thread {} reading Kafka for "
                + "subscribers died; they receive no more events until the management server restarts", busName, t.getName(), e));
    }

    /** The producer's connection and security settings, as a consumer without a group reading raw bytes. */
    private static Map<String, Object> consumerProperties(EventBusConfig config) {
        Map<String, Object> properties = ClientProperties.byteReader(config.producerProperties(), "subscribers");
        // Only when the position fell out of the topic's retention: the oldest left is the least lost.
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return properties;
    }

    void start() {
        thread.start();
        LOG.info("Kafka event bus {}: subscribers receive the events of every management server, read from {}", busName, topics);
    }

    private void run() {
        Set<TopicPartition> assigned = new HashSet<>();
        long nextDiscoveryMs = 0;
        while (stopping.getCount() > 0) {
            try {
                if (consumer == null) {
                    consumer = new KafkaConsumer<>(ClientProperties.resolved(consumerProperties));
                    if (stopping.getCount() == 0) {
                        // stop() may have looked for a consumer to wake before this one existed.
                        break;
                    }
                }
                if (System.currentTimeMillis() >= nextDiscoveryMs) {
                    assignNewPartitions(assigned);
                    nextDiscoveryMs = System.currentTimeMillis() + REDISCOVER_MS;
                }
                if (assigned.isEmpty()) {
                    stopping.await(RETRY_MS, TimeUnit.MILLISECONDS);
                    nextDiscoveryMs = 0;
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    hand(record);
                }
            } catch (WakeupException e) {
                // stop() woke a call waiting on Kafka: the loop ends.
            } catch (KafkaException e) {
                problems.warn("Kafka event bus " + busName + ": cannot read the bus's topics for subscribers "
                        + "(subscribers.source=kafka); retried every " + RETRY_MS / 1000 + " s, events published meanwhile "
                        + "are read once it works", e.toString());
                pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    /** Assigns the partitions not assigned yet, each from the first record published since the bus was configured. */
    private void assignNewPartitions(Set<TopicPartition> assigned) {
        List<TopicPartition> found = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic);
            for (PartitionInfo partition : partitions == null ? List.<PartitionInfo>of() : partitions) {
                TopicPartition topicPartition = new TopicPartition(topic, partition.partition());
                if (!assigned.contains(topicPartition)) {
                    found.add(topicPartition);
                }
            }
        }
        if (found.isEmpty()) {
            return;
        }
        Set<TopicPartition> all = new HashSet<>(assigned);
        all.addAll(found);
        consumer.assign(all);
        // Ends first: a partition with no record from that time on yet starts at its end as it was before the search.
        Map<TopicPartition, Long> ends = consumer.endOffsets(found);
        Map<TopicPartition, Long> since = new HashMap<>();
        found.forEach(partition -> since.put(partition, fromTimestampMs));
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(since);
        for (TopicPartition partition : found) {
            OffsetAndTimestamp start = starts.get(partition);
            consumer.seek(partition, start == null ? ends.get(partition) : start.offset());
        }
        assigned.addAll(found);
    }

    private void hand(ConsumerRecord<byte[], byte[]> record) {
        Event event;
        try {
            event = RecordEvents.event(record.value());
        } catch (IOException e) {
            counters.unreadable.increment();
            problems.warn("Kafka event bus " + busName + ": a record of topic " + record.topic() + " is not an event of "
                    + "the bus, so subscribers do not get it (counted in unreadable); is another producer writing to it?",
                    "partition " + record.partition() + " offset " + record.offset() + ": " + e.getMessage());
            return;
        }
        sink.accept(event);
    }

    /** After a failure; the consumer, if made, is kept, and goes on from the positions it reached. */
    private void pause() {
        try {
            stopping.await(RETRY_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void close() {
        KafkaConsumer<byte[], byte[]> closing = consumer;
        if (closing != null) {
            try {
                closing.close(CloseOptions.timeout(CLOSE));
            } catch (KafkaException e) {
                LOG.warn("Kafka event bus {}: closing the Kafka consumer of subscribers failed: {}", busName, e.toString());
            }
        }
    }

    /** Ends the thread, waking a call waiting on Kafka, and waits until {@code deadlineNanos} (System.nanoTime) for it. */
    void stop(long deadlineNanos) {
        stopping.countDown();
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
