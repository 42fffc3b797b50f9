package io.kafkabus.cloudstack.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.databind.ObjectMapper;

/** What a consumer read, as {@link TestBuses#numbered} events: numbers, duplicates, order per key. */
public final class Delivered {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Integer> numbersInReadOrder = new ArrayList<>();
    private final Map<String, List<Integer>> firstSeenByKey = new LinkedHashMap<>();
    private final Set<String> ids = new HashSet<>();
    private final List<Integer> duplicated = new ArrayList<>();

    public Delivered(List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Header id = record.headers().lastHeader("id");
            String eventId = new String(id.value(), StandardCharsets.UTF_8);
            int n;
            try {
                n = JSON.readTree(record.value()).get("description").get("n").asInt();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!ids.add(eventId)) {
                duplicated.add(n);
                continue;
            }
            numbersInReadOrder.add(n);
            firstSeenByKey.computeIfAbsent(new String(record.key(), StandardCharsets.UTF_8), k -> new ArrayList<>()).add(n);
        }
    }

    /** Distinct events read. */
    public int distinct() {
        return ids.size();
    }

    /** Records read again with an id already seen. */
    public int duplicates() {
        return duplicated.size();
    }

    /** The numbers of the events read more than once, one entry per extra copy, in read order. */
    public List<Integer> duplicated() {
        return List.copyOf(duplicated);
    }

    public Set<Integer> numbers() {
        return new TreeSet<>(numbersInReadOrder);
    }

    /** Keys whose events were first read in an order other than the order they were published in. */
    public List<String> keysOutOfOrder() {
        List<String> bad = new ArrayList<>();
        firstSeenByKey.forEach((key, numbers) -> {
            for (int i = 1; i < numbers.size(); i++) {
                if (numbers.get(i) < numbers.get(i - 1)) {
                    bad.add(key + ": " + numbers);
                    return;
                }
            }
        });
        return bad;
    }

    /** The numbers in {@code 0..count-1} never read. */
    public Set<Integer> missingOf(int count) {
        Set<Integer> seen = numbers();
        Set<Integer> missing = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            if (!seen.contains(i)) {
                missing.add(i);
            }
        }
        return missing;
    }
}
