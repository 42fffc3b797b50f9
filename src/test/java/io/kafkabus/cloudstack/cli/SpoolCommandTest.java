package io.kafkabus.cloudstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.kafkabus.cloudstack.config.FsyncPolicy;
import io.kafkabus.cloudstack.routing.RoutedRecord;
import io.kafkabus.cloudstack.spool.DiskSpool;

/** {@code spool} as the operator reads it: the summary lines, --dump's JSON lines, and the exit codes. */
class SpoolCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PUBLISHED = Instant.parse("2026-12-02T04:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    private int exitCode;
    private String out;
    private String err;

    private void run(String... args) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        exitCode = Main.run(Arrays.asList(args), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        out = stdout.toString(StandardCharsets.UTF_8);
        err = stderr.toString(StandardCharsets.UTF_8);
    }

    /** Spools {@code values} in the bus directory {@code spool.dir/<bus>}, the first {@code delivered} acknowledged. */
    private Path spool(String bus, int delivered, String... values) throws Exception {
        Path busDir = dir.resolve(bus);
        try (DiskSpool spool = DiskSpool.open(busDir, 1L << 30, 1 << 20, DiskSpool.DEFAULT_MAX_RECORD_BYTES,
                FsyncPolicy.INTERVAL, Duration.ofMillis(50), Duration.ofSeconds(5), "bus " + bus + " of process 1@host since then",
                "test-fsync")) {
            for (int i = 0; i < values.length; i++) {
                spool.append(new RoutedRecord(i % 2 == 0 ? "cloudstack" : "cloudstack-alerts",
                        ("vm-" + i).getBytes(StandardCharsets.UTF_8), values[i].getBytes(StandardCharsets.UTF_8),
                        Map.of("id", ("id-" + i).getBytes(StandardCharsets.UTF_8)), PUBLISHED + i));
            }
            spool.acknowledgeBefore(delivered);
        }
        return busDir;
    }

    @Test
    void theSummarySaysWhatWaitsHowOldAndWhoOwnedIt() throws Exception {
        Path bus = spool("kafkaEventBus", 1, "{\"n\":0}", "{\"n\":1}", "{\"n\":2}");

        run("spool", bus.toString());

        assertEquals(0, exitCode, err);
        String[] lines = out.split("\n");
        assertEquals("spool " + bus, lines[0]);
        assertEquals("  owner:          not in use (last owner: bus kafkaEventBus of process 1@host since then)", lines[1]);
        assertEquals("  format:         1", lines[2]);
        assertTrue(lines[3].matches("  waiting:        2 event\\(s\\), \\d+ bytes \\(checkpoint: delivered below 1\\)"), lines[3]);
        assertTrue(lines[4].startsWith("  oldest waiting: 2026-12-02T04:00:00.001Z ("), lines[4]);
        assertTrue(lines[4].endsWith(" ago)"), lines[4]);
        assertEquals("  segment files:  1, " + Files.size(bus.resolve("00000000000000000000.seg")) + " bytes", lines[5]);
        assertEquals("  damaged:        none", lines[6]);
        assertEquals(7, lines.length, out);
    }

    @Test
    void spoolDirItselfShowsEachBusDirectoryInIt() throws Exception {
        spool("kafkaEventBus", 0, "{}");
        spool("kafkaEventBusCore", 0, "{}", "{}");
        Files.createDirectories(dir.resolve("not-a-bus"));

        run("spool", dir.toString());

        assertEquals(0, exitCode, err);
        List<String> headings = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("spool ")) {
                headings.add(line);
            }
        }
        assertEquals(List.of("spool " + dir.resolve("kafkaEventBus"), "spool " + dir.resolve("kafkaEventBusCore")), headings);
    }

    @Test
    void dumpPrintsTheWaitingEventsAsJsonLinesForJq() throws Exception {
        Path bus = spool("kafkaEventBus", 1, "{\"n\":0}", "{\"n\":1,\"description\":{\"a\":[1,2]}}", "Host h1 is down");

        run("spool", bus.toString(), "--dump");

        assertEquals(0, exitCode, err);
        String[] lines = out.split("\n");
        assertEquals(2, lines.length, out);
        JsonNode first = JSON.readTree(lines[0]);
        assertEquals(1, first.get("sequence").asLong());
        assertEquals("cloudstack-alerts", first.get("topic").asText());
        assertEquals("vm-1", first.get("key").asText());
        assertEquals("2026-12-02T04:00:00.001Z", first.get("timestamp").asText());
        assertEquals("id-1", first.get("headers").get("id").asText());
        assertEquals(2, first.get("value").get("description").get("a").get(1).asInt(), "JSON values are JSON");
        assertEquals("Host h1 is down", JSON.readTree(lines[1]).get("value").asText(), "other values are text");
        assertEquals("", err);
    }

    @Test
    void aMissingDirectoryOrOneWithoutASpoolIsExitCode1NamingIt() throws Exception {
        run("spool", dir.resolve("nowhere").toString());
        assertEquals(1, exitCode);
        assertEquals("no spool directory at " + dir.resolve("nowhere").toAbsolutePath() + "\n", err);

        run("spool", dir.toString());
        assertEquals(1, exitCode);
        assertEquals(dir + " is not a spool directory: neither it nor a directory in it holds spool.lock, checkpoint or"
                + " *.seg files\n", err);
    }

    @Test
    void withoutDirItReadsSpoolDirFromThePropertiesFile() throws Exception {
        spool("kafkaEventBus", 0, "{}");
        Path properties = Files.writeString(dir.resolve("kafka.producer.properties"),
                "bootstrap.servers=localhost:9\nspool.dir=" + dir + "\n");

        run("spool", "--config", properties.toString());

        assertEquals(0, exitCode, err);
        assertTrue(out.startsWith("spool " + dir.resolve("kafkaEventBus") + "\n"), out);

        run("spool", "--config", dir.resolve("missing.properties").toString());
        assertEquals(1, exitCode);
        assertEquals("no properties file at " + dir.resolve("missing.properties") + " (give one with --config FILE)\n", err);
    }

    @Test
    void aSpoolOfANewerFormatSaysSoAndNothingElseIsCounted() throws Exception {
        Path bus = spool("kafkaEventBus", 0, "{}");
        Files.writeString(bus.resolve("checkpoint"), "format=2\nacknowledgedBefore=0\n");

        run("spool", bus.toString());

        assertEquals(1, exitCode);
        assertEquals(List.of("spool " + bus,
                "  owner:          not in use (last owner: bus kafkaEventBus of process 1@host since then)",
                "  format:         not readable by this plugin: spool file " + bus.resolve("checkpoint") + " is of spool format 2,"
                        + " written by a newer version of the plugin; this version reads spool format 1 only. Its events are"
                        + " kept: install the newer version again to deliver them"), out.lines().collect(Collectors.toList()));
    }

    @Test
    void twoDirectoriesAreAUsageError() {
        run("spool", "a", "b");
        assertEquals(2, exitCode);
        assertEquals("spool: one argument expected, got [a, b]\n", err);
    }

    @Test
    void agesReadAsOperatorsSayThem() {
        assertEquals("45s", SpoolCommand.age(Duration.ofSeconds(45)));
        assertEquals("3m 12s", SpoolCommand.age(Duration.ofSeconds(192)));
        assertEquals("2h 5m", SpoolCommand.age(Duration.ofMinutes(125)));
        assertEquals("3d 4h", SpoolCommand.age(Duration.ofHours(76)));
    }
}
