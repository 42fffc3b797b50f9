package io.kafkabus.cloudstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.testing.LogCapture;
import io.kafkabus.cloudstack.testing.Ports;
import io.kafkabus.cloudstack.testing.TestBuses;

/** The start-up and stop lines say what really happened: which spool is in use, and what was lost. */
class LifecycleLinesTest {
    @TempDir
    Path dir;

    @Test
    void theConfiguredLineNamesTheMemorySpoolAndWhyWhenTheSpoolDirectoryCannotBeUsed() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("spool"), "a file where the spool directory should be");
        try (LogCapture log = LogCapture.attach(Level.INFO, "io.kafkabus.cloudstack")) {
            KafkaEventBus bus = TestBuses.configured("fallbackBus", dir, "127.0.0.1:" + Ports.closed(), "events");
            bus.stop();
            List<String> configured = log.messages().stream()
                    .filter(m -> m.startsWith("Kafka event bus fallbackBus configured from")).collect(Collectors.toList());
            assertEquals(1, configured.size(), log.messages().toString());
            assertTrue(configured.get(0).contains(", spool=memory, as the spool directory " + notADirectory.resolve("fallbackBus")
                    + " cannot be used ("), configured.get(0));
        }
    }

    @Test
    void eventsHeldOnlyInMemoryAreCountedAsLostAtStop() throws Exception {
        try (LogCapture log = LogCapture.attach(Level.WARN, "io.kafkabus.cloudstack")) {
            KafkaEventBus bus = TestBuses.configured("memoryBus", dir, "127.0.0.1:" + Ports.closed(), "events",
                    "spool.enabled", "false", "max.block.ms", "200", "stop.timeout.ms", "500");
            bus.start();
            for (int n = 0; n < 3; n++) {
                bus.publish(TestBuses.numbered(n, 2));
            }
            bus.stop();
            assertTrue(log.messages().contains("Kafka event bus memoryBus: 3 event(s) Kafka had not acknowledged are lost: "
                    + "the spool is memory (spool.enabled=false)"), log.messages().toString());
        }
    }

    @Test
    void aDiskSpoolKeepsWhatIsLeftAtStopAndSaysNothingIsLost() throws Exception {
        try (LogCapture log = LogCapture.attach(Level.WARN, "io.kafkabus.cloudstack")) {
            KafkaEventBus bus = TestBuses.configured("diskBus", dir, "127.0.0.1:" + Ports.closed(), "events",
                    "max.block.ms", "200", "stop.timeout.ms", "500");
            bus.start();
            bus.publish(TestBuses.numbered(0, 1));
            bus.stop();
            assertEquals(1, bus.statistics().pending());
            assertTrue(log.messages().stream().noneMatch(m -> m.contains("are lost")), log.messages().toString());
        }
    }
}
