package io.kafkabus.cloudstack.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.kafkabus.cloudstack.KafkaEventBus;
import io.kafkabus.cloudstack.testing.Ports;
import io.kafkabus.cloudstack.testing.TestBuses;

/**
 * {@code spool} of the built jar on spools a real bus wrote while its Kafka was unreachable: what
 * waits, --dump's JSON lines, a damaged record, and a spool in use by a running bus, left untouched.
 */
class SpoolCommandIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 5;

    @TempDir
    Path dir;

    /** A started bus whose Kafka is unreachable, holding {@link #EVENTS} events in its spool. */
    private KafkaEventBus busWithWaitingEvents() throws Exception {
        KafkaEventBus bus = TestBuses.configured("kafkaEventBus", dir, "localhost:" + Ports.closed(), "cloudstack-events",
                "stop.timeout.ms", "1000", "max.block.ms", "200");
        bus.start();
        for (int n = 0; n < EVENTS; n++) {
            bus.publish(TestBuses.numbered(n, 2));
        }
        return bus;
    }

    private Path busDir() {
        return dir.resolve("spool").resolve("kafkaEventBus");
    }

    private Path segment(Path busDir) throws IOException {
        try (Stream<Path> files = Files.list(busDir)) {
            return files.filter(f -> f.toString().endsWith(".seg")).sorted().collect(Collectors.toList()).get(0);
        }
    }

    private static String line(String out, String field) {
        return out.lines().filter(l -> l.startsWith("  " + field + ":")).findFirst().orElse("(no " + field + " line)");
    }

    @Test
    void showsTheEventsABusCouldNotDeliverAndDumpsThemAsJson() throws Exception {
        Instant before = Instant.now();
        KafkaEventBus bus = busWithWaitingEvents();
        Instant after = Instant.now();
        bus.stop();

        PluginCommand run = PluginCommand.run(TIMEOUT, "spool", busDir().toString());

        assertEquals(0, run.exitCode, run.toString());
        assertEquals("  waiting:        " + EVENTS + " event(s), " + Files.size(segment(busDir())) + " bytes (checkpoint: "
                + "delivered below 0)", line(run.out, "waiting"), run.toString());
        Matcher oldest = Pattern.compile("  oldest waiting: (\\S+) \\((\\d+)s ago\\)").matcher(line(run.out, "oldest waiting"));
        assertTrue(oldest.matches(), run.toString());
        Instant oldestTime = Instant.parse(oldest.group(1));
        assertTrue(!oldestTime.isBefore(before.minusMillis(1)) && !oldestTime.isAfter(after), oldestTime + " " + before);
        assertTrue(Long.parseLong(oldest.group(2)) < 30, run.toString());
        assertEquals("  segment files:  1, " + Files.size(segment(busDir())) + " bytes", line(run.out, "segment files"));
        assertEquals("  damaged:        none", line(run.out, "damaged"));
        assertTrue(line(run.out, "owner").startsWith("  owner:          not in use (last owner: bus kafkaEventBus of process "),
                run.toString());

        PluginCommand dump = PluginCommand.run(TIMEOUT, "spool", busDir().toString(), "--dump");

        assertEquals(0, dump.exitCode, dump.toString());
        assertEquals("", dump.err, dump.toString());
        List<String> lines = dump.out.lines().collect(Collectors.toList());
        assertEquals(EVENTS, lines.size(), dump.toString());
        for (int n = 0; n < EVENTS; n++) {
            JsonNode record = JSON.readTree(lines.get(n));
            assertEquals(n, record.get("sequence").asInt());
            assertEquals("cloudstack-events", record.get("topic").asText());
            assertEquals("resource-" + n % 2, record.get("key").asText());
            assertEquals("ActionEvent", record.get("headers").get("category").asText());
            assertEquals(record.get("headers").get("id").asText(), record.get("value").get("id").asText());
            assertEquals(n, record.get("value").get("description").get("n").asInt(), lines.get(n));
        }
    }

    @Test
    void aDamagedRecordIsCountedAndReported() throws Exception {
        busWithWaitingEvents().stop();
        Path segment = segment(busDir());
        long frame = Files.size(segment) / EVENTS; // the events are all of one size
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(2 * frame + frame / 2);
            int b = file.read();
            file.seek(2 * frame + frame / 2);
            file.write(b ^ 0xFF);
        }
        String damage = segment.getFileName() + " bytes " + 2 * frame + "-" + 3 * frame
                + ": 1 region(s), bad checksum or unreadable frame";

        PluginCommand run = PluginCommand.run(TIMEOUT, "spool", busDir().toString());

        assertEquals(0, run.exitCode, run.toString());
        assertTrue(line(run.out, "waiting").startsWith("  waiting:        " + (EVENTS - 1) + " event(s), "), run.toString());
        assertEquals("  damaged:        1 record region(s), skipped by the bus when it reads them", line(run.out, "damaged"));
        assertTrue(run.out.contains("\n    " + damage + "\n"), run.toString());

        PluginCommand dump = PluginCommand.run(TIMEOUT, "spool", busDir().toString(), "--dump");

        assertEquals(0, dump.exitCode, dump.toString());
        assertEquals("damaged: " + damage + "\n", dump.err);
        List<Integer> numbers = new ArrayList<>();
        for (String record : dump.out.split("\n")) {
            numbers.add(JSON.readTree(record).get("value").get("description").get("n").asInt());
        }
        assertEquals(List.of(0, 1, 3, 4), numbers);
    }

    @Test
    void aSpoolInUseByARunningBusNamesItsOwnerAndIsLeftAsItWas() throws Exception {
        KafkaEventBus bus = busWithWaitingEvents();
        try {
            Map<String, String> before = filesWithTimes(busDir());

            PluginCommand run = PluginCommand.run(TIMEOUT, "spool", busDir().toString());

            assertEquals(0, run.exitCode, run.toString());
            assertTrue(line(run.out, "owner").matches("  owner:          in use by bus kafkaEventBus of process \\d+@\\S+ since \\S+"),
                    run.toString());
            assertTrue(line(run.out, "waiting").startsWith("  waiting:        " + EVENTS + " event(s), "), run.toString());
            assertEquals(before, filesWithTimes(busDir()), "the command changed the spool of a running bus");
            assertFalse(run.err.contains("Exception"), run.toString());
            bus.publish(TestBuses.numbered(EVENTS, 2));
            assertEquals(EVENTS + 1, bus.statistics().pending(), "the bus still spools");
            assertTrue(bus.statistics().durable(), "the bus still spools on disk");
        } finally {
            bus.stop();
        }
    }

    /**
     * Each file's name, modification time, size and (but the lock file's) bytes. The lock file is
     * not opened: closing it in this JVM would drop the bus's lock (POSIX locks are per process).
     */
    private static Map<String, String> filesWithTimes(Path busDir) throws IOException {
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> listing = Files.list(busDir)) {
            for (Path file : listing.collect(Collectors.toList())) {
                String name = file.getFileName().toString();
                files.put(name, Files.getLastModifiedTime(file).toMillis() + " " + Files.size(file) + " "
                        + (name.equals("spool.lock") ? "" : new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)));
            }
        }
        return files;
    }
}
