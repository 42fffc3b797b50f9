package io.kafkabus.cloudstack.demo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.kafkabus.cloudstack.routing.RecordRouter;

/**
 * Every record of some topics, read from the beginning up to the end offsets Kafka reported when
 * reading began: what a consumer finds, duplicates included. No consumer group, so nothing waits
 * for a group to form.
 */
final class ReadBack {
    private final List<ConsumerRecord<byte[], byte[]>> records;
    /** Records by their {@code id} header, in read order; more than one is a duplicate. */
    private final Map<String, List<ConsumerRecord<byte[], byte[]>>> byId = new LinkedHashMap<>();

    private ReadBack(List<ConsumerRecord<byte[], byte[]>> records) {
        this.records = List.copyOf(records);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            byId.computeIfAbsent(id(record), id -> new ArrayList<>()).add(record);
        }
    }

    static ReadBack readAll(String bootstrapServers, List<String> topics, Duration timeout) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic, timeout).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topics + " to their end within " + timeout);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return new ReadBack(records);
    }

    int size() {
        return records.size();
    }

    /** The distinct ids read. */
    Set<String> ids() {
        return byId.keySet();
    }

    /** The records by topic, partition and offset. */
    List<ConsumerRecord<byte[], byte[]>> inLogOrder() {
        List<ConsumerRecord<byte[], byte[]>> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparing((ConsumerRecord<byte[], byte[]> r) -> r.topic())
                .thenComparingInt(ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset));
        return sorted;
    }

    /** The record of the event whose id is {@code id}; fails when there is none. */
    ConsumerRecord<byte[], byte[]> recordOf(String id) {
        List<ConsumerRecord<byte[], byte[]>> found = byId.get(id);
        if (found == null) {
            throw new IllegalStateException("no record with id " + id);
        }
        return found.get(0);
    }

    /**
     * Says that each event of {@code published} is there exactly once and nothing else is, or
     * fails naming the duplicates, the missing and the unexpected ids.
     */
    String eachOnce(Collection<String> published) {
        Set<String> duplicated = new TreeSet<>();
        byId.forEach((id, copies) -> {
            if (copies.size() > 1) {
                duplicated.add(id + " x" + copies.size());
            }
        });
        Set<String> missing = new TreeSet<>(published);
        missing.removeAll(byId.keySet());
        Set<String> unexpected = new TreeSet<>(byId.keySet());
        unexpected.removeAll(published);
        if (!duplicated.isEmpty() || !missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalStateException("not each event once: duplicated " + duplicated + ", missing " + missing
                    + ", unexpected " + unexpected);
        }
        return String.format("%d records read, %d distinct ids, the %d events published: each once (no duplicate,"
                + " none missing)", records.size(), byId.size(), published.size());
    }

    static String id(ConsumerRecord<byte[], byte[]> record) {
        Header id = record.headers().lastHeader(RecordRouter.HEADER_ID);
        if (id == null) {
            throw new IllegalStateException("a record without an id header: " + record);
        }
        return new String(id.value(), StandardCharsets.UTF_8);
    }
}
