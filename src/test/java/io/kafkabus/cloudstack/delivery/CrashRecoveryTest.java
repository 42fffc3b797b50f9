package io.kafkabus.cloudstack.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.KafkaEventBus;
import io.kafkabus.cloudstack.testing.Delivered;
import io.kafkabus.cloudstack.testing.KafkaCluster;
import io.kafkabus.cloudstack.testing.TestBuses;

/**
 * A management server killed with {@code kill -9} while publishing: a child JVM runs the bus
 * with {@code spool.fsync=always} and says which events publish() returned for; after the kill,
 * a new bus on the same spool must deliver every one of them.
 */
class CrashRecoveryTest {
    @TempDir
    Path dir;

    /** The child: publishes numbered events until killed, printing each number once publish() returned. */
    public static void main(String[] args) throws Exception {
        KafkaEventBus bus = TestBuses.configured(args[1], args[0]);
        bus.start();
        for (int n = 0; ; n++) {
            bus.publish(TestBuses.numbered(n, 10));
            System.out.println("PUBLISHED " + n);
        }
    }

    /**
     * {@code always} is the documented zero-loss setting; {@code interval} loses nothing either when
     * only the JVM dies, since every append reaches the OS before publish() returns.
     */
    @ParameterizedTest
    @ValueSource(strings = {"always", "interval"})
    void killMinus9MidStreamLosesNothingThatPublishReturnedFor(String fsync) throws Exception {
        KafkaCluster kafka = KafkaCluster.shared();
        String topic = "crash-" + UUID.randomUUID();
        kafka.createTopic(topic, 3);
        Path properties = TestBuses.writeProperties(dir, kafka.bootstrapServers(), topic, "spool.fsync", fsync);

        Process child = new ProcessBuilder(new File(System.getProperty("java.home"), "bin/java").getPath(),
                "-cp", System.getProperty("java.class.path"), CrashRecoveryTest.class.getName(), properties.toString(), "crashBus")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        Set<Integer> returned = new TreeSet<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("PUBLISHED ")) {
                    returned.add(Integer.parseInt(line.substring(10)));
                    if (returned.size() == 1000) {
                        // The running child owns the spool: a second bus on it, here in another process, is refused.
                        KafkaEventBus intruder = TestBuses.configured("crashBus", dir, kafka.bootstrapServers(), topic);
                        intruder.publish(TestBuses.numbered(-1, 1));
                        assertEquals(0, intruder.statistics().accepted(), "the second bus is disabled");
                        intruder.stop();
                    }
                    if (returned.size() == 2000) {
                        // SIGKILL, without closing our end of its output: what it printed is still read.
                        child.toHandle().destroyForcibly();
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(returned.size() >= 2000, "the child published before it was killed: " + returned.size());

        KafkaEventBus restarted = TestBuses.configured("crashBus", dir, kafka.bootstrapServers(), topic);
        restarted.start();
        Delivered delivered = new Delivered(kafka.consume(topic, returned.size(), Duration.ofSeconds(60)));
        restarted.stop();
        List<Integer> lost = new ArrayList<>(returned);
        lost.removeAll(delivered.numbers());
        System.out.printf("[scenario] kill -9 mid-stream, fsync=%s: publish() returned=%d read=%d duplicates=%d lost=%d%n",
                fsync, returned.size(), delivered.distinct(), delivered.duplicates(), lost.size());
        assertEquals(List.of(), lost);
        assertEquals(List.of(), delivered.keysOutOfOrder());
    }
}
