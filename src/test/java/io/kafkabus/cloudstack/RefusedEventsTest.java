package io.kafkabus.cloudstack;

import static io.kafkabus.cloudstack.testing.Conditions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.cloudstack.framework.events.Event;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.delivery.BusStatistics;
import io.kafkabus.cloudstack.testing.Delivered;
import io.kafkabus.cloudstack.testing.KafkaCluster;
import io.kafkabus.cloudstack.testing.LogCapture;
import io.kafkabus.cloudstack.testing.TestBuses;

/**
 * Records a real broker will never take (stale or future timestamps, a topic that does not exist)
 * go to the dead letter topic with the reason, and never hold up the events behind them.
 */
class RefusedEventsTest {
    private static final Duration READ = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aBacklogTooOldForItsTopicGoesToTheDeadLetterTopicAndNewEventsFlow() throws Exception {
        KafkaCluster kafka = KafkaCluster.shared();
        String topic = "stale-" + UUID.randomUUID();
        String deadLetters = topic + "-dlt";
        kafka.createTopic(topic, 3, (short) 1, Map.of("message.timestamp.before.max.ms", "2000"));
        kafka.createTopic(deadLetters, 1);
        KafkaEventBus bus = TestBuses.configured("staleBus", dir, kafka.bootstrapServers(), topic,
                "dead.letter.topic", deadLetters);
        for (int n = 0; n < 5; n++) {
            bus.publish(TestBuses.numbered(n, 2)); // before start(): the backlog
        }
        long publishedMs = System.currentTimeMillis();
        await(() -> System.currentTimeMillis() > publishedMs + 3000, Duration.ofSeconds(10), "the backlog grew stale");
        bus.start();
        for (int n = 5; n < 10; n++) {
            bus.publish(TestBuses.numbered(n, 2));
        }

        Delivered delivered = new Delivered(kafka.consume(topic, 5, READ));
        List<ConsumerRecord<byte[], byte[]>> refused = kafka.consume(deadLetters, 5, READ);
        bus.stop();

        assertEquals(Set.of(5, 6, 7, 8, 9), delivered.numbers());
        assertEquals(List.of(), delivered.keysOutOfOrder());
        Delivered deadLettered = new Delivered(refused);
        assertEquals(Set.of(0, 1, 2, 3, 4), deadLettered.numbers());
        assertEquals(List.of(), deadLettered.keysOutOfOrder(), "the dead letter topic keeps each resource's order too");
        for (ConsumerRecord<byte[], byte[]> record : refused) {
            assertEquals(topic, header(record, "dead.letter.original.topic"));
            String reason = header(record, "dead.letter.reason");
            assertTrue(reason.contains("InvalidTimestampException") || reason.contains("InvalidRecordException"), reason);
        }
        BusStatistics statistics = bus.statistics();
        assertEquals(5, statistics.deadLettered());
        assertEquals(5, statistics.delivered());
        assertEquals(0, statistics.pending());
    }

    @Test
    void aManagementServerClockHoursAheadDoesNotWedgeTheBus() throws Exception {
        KafkaCluster kafka = KafkaCluster.shared();
        String topic = "future-" + UUID.randomUUID();
        String deadLetters = topic + "-dlt";
        kafka.createTopic(topic, 1);
        kafka.createTopic(deadLetters, 1);
        // Kafka 4 brokers refuse records more than an hour ahead of their own clock by default.
        KafkaEventBus fastClock = new KafkaEventBus(Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));
        fastClock.setPropertiesFile(TestBuses.writeProperties(dir.resolve("fast"), kafka.bootstrapServers(), topic,
                "dead.letter.topic", deadLetters).toString());
        fastClock.configure("fastClockBus", Map.of());
        fastClock.start();
        fastClock.publish(TestBuses.numbered(0, 1));
        fastClock.publish(TestBuses.numbered(1, 1));

        List<ConsumerRecord<byte[], byte[]>> refused = kafka.consume(deadLetters, 2, READ);
        await(() -> fastClock.statistics().pending() == 0, READ, "nothing left waiting");
        fastClock.stop();

        assertEquals(Set.of(0, 1), new Delivered(refused).numbers());
        // Alone in its batch a record fails with InvalidTimestampException, with others InvalidRecordException.
        assertTrue(header(refused.get(0), "dead.letter.reason").contains("is out of range"),
                header(refused.get(0), "dead.letter.reason"));
        assertEquals(0, kafka.consume(topic, 0, Duration.ofSeconds(1)).size());
        assertEquals(2, fastClock.statistics().deadLettered());
    }

    @Test
    void aMissingTopicWithAutoCreationOffDoesNotHoldUpTheOtherTopics() throws Exception {
        try (KafkaCluster kafka = KafkaCluster.start(1, Map.of("auto.create.topics.enable", "false"));
             LogCapture log = LogCapture.attach(Level.WARN, "io.kafkabus.cloudstack")) {
            String topic = "events-" + UUID.randomUUID();
            String deadLetters = topic + "-dlt";
            kafka.createTopic(topic, 3);
            kafka.createTopic(deadLetters, 1);
            KafkaEventBus bus = TestBuses.configured("missingTopicBus", dir, kafka.bootstrapServers(), topic,
                    "category.topics", "AlertEvent:alerts-nobody-created", "dead.letter.topic", deadLetters,
                    "max.block.ms", "1000");
            bus.start();
            for (int n = 0; n < 20; n++) {
                bus.publish(n % 4 == 0 ? alert(n) : TestBuses.numbered(n, 3));
            }

            Delivered delivered = new Delivered(kafka.consume(topic, 15, READ));
            List<ConsumerRecord<byte[], byte[]>> refused = kafka.consume(deadLetters, 5, READ);
            bus.stop();

            Set<Integer> actions = new TreeSet<>();
            for (int n = 0; n < 20; n++) {
                if (n % 4 != 0) {
                    actions.add(n);
                }
            }
            assertEquals(actions, delivered.numbers());
            assertEquals(List.of(), delivered.keysOutOfOrder());
            assertEquals(Set.of(0, 4, 8, 12, 16), new Delivered(refused).numbers());
            String reason = header(refused.get(0), "dead.letter.reason");
            assertEquals("topic alerts-nobody-created does not exist and the cluster does not create topics "
                    + "automatically: create it", reason);
            assertEquals(5, bus.statistics().deadLettered());
            List<String> refusals = log.messages().stream()
                    .filter(m -> m.startsWith("Kafka event bus missingTopicBus: Kafka refused events of topic "
                            + "alerts-nobody-created for good; they go to the dead letter topic " + deadLetters + ": event id="))
                    .collect(Collectors.toList());
            assertEquals(1, refusals.size(), "said once (rate-limited): " + log.messages());
            assertTrue(refusals.get(0).endsWith("topic alerts-nobody-created does not exist and the cluster does not "
                    + "create topics automatically: create it"), refusals.get(0));
        }
    }

    private static Event alert(int n) {
        Event event = new Event("management-server", "AlertEvent", "ALERT.MEMORY", null, null);
        event.setDescription("{\"n\":" + n + ",\"subject\":\"memory low\"}");
        return event;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
