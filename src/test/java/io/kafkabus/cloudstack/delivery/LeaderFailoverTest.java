package io.kafkabus.cloudstack.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.KafkaEventBus;
import io.kafkabus.cloudstack.testing.Delivered;
import io.kafkabus.cloudstack.testing.KafkaCluster;
import io.kafkabus.cloudstack.testing.TestBuses;

/** A three-broker cluster losing the leader of a partition in the middle of a stream. */
class LeaderFailoverTest {
    @TempDir
    Path dir;

    @Test
    void stoppingThePartitionLeaderMidStreamLosesNothing() throws Exception {
        try (KafkaCluster kafka = KafkaCluster.start(3)) {
            String topic = "failover";
            kafka.createTopic(topic, 3, (short) 3);
            KafkaEventBus bus = TestBuses.configured("failover", dir, kafka.bootstrapServers(), topic);
            bus.start();
            long worst = 0;
            int stopped = -1;
            for (int n = 0; n < 600; n++) {
                if (n == 200) {
                    stopped = kafka.leaderOf(topic, 0);
                    long stopping = System.nanoTime();
                    kafka.stopBroker(stopped);
                    System.out.printf("[scenario] broker %d stopped in %d ms%n", stopped, (System.nanoTime() - stopping) / 1_000_000);
                }
                long start = System.nanoTime();
                bus.publish(TestBuses.numbered(n, 10));
                worst = Math.max(worst, System.nanoTime() - start);
            }
            Delivered delivered = new Delivered(kafka.consume(topic, 600, Duration.ofSeconds(60)));
            bus.stop();
            kafka.startBroker(stopped);
            System.out.printf("[scenario] partition leader stopped mid-stream (3 brokers, RF 3, min ISR 2): published=600 "
                    + "read=%d duplicates=%d worstPublish=%dus%n", delivered.distinct(), delivered.duplicates(), worst / 1000);
            assertEquals(Set.of(), delivered.missingOf(600));
            assertEquals(600, delivered.distinct());
            assertEquals(List.of(), delivered.keysOutOfOrder());
        }
    }
}
