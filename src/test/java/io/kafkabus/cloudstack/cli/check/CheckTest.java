package io.kafkabus.cloudstack.cli.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.delivery.Diagnosis;
import io.kafkabus.cloudstack.testing.KafkaCluster;
import io.kafkabus.cloudstack.testing.Ports;

/** What {@code check} finds, run in this JVM (the built jar's runs are in CheckCommandIT). */
class CheckTest {
    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();
    private final List<String> progress = new ArrayList<>();

    @Test
    void brokersThatAcceptConnectionsButNeverAnswerCostSecondsNotMinutes() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            long start = System.nanoTime();
            boolean fine = check(Map.of("bootstrap.servers", "127.0.0.1:" + silent.getLocalPort()), Optional.empty());

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertFalse(fine);
            assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "took " + took);
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("PROBLEM " + Diagnosis.NO_METADATA + ": ")), lines.toString());
            assertEquals(List.of("resolving and connecting to bootstrap.servers 127.0.0.1:" + silent.getLocalPort(),
                    "connecting to the Kafka cluster as the bus does (security.protocol=PLAINTEXT)"), progress);
        }
    }

    @Test
    void anUnknownKeyIsAWarningNamingTheNearestKnownKey() throws Exception {
        check(Map.of("bootstrap.servers", "127.0.0.1:" + Ports.closed(), "topik", "events"), Optional.empty());

        assertTrue(lines.contains("WARN unknown key 'topik' in " + dir.resolve("kafka.producer.properties")
                + " (nearest known key: 'topic'); it is passed to the Kafka producer, which ignores keys it does not know"),
                lines.toString());
    }

    @Test
    void aFileHoldingSecretsThatEveryUserMayReadIsAWarningWithTheFix() throws Exception {
        Path file = Files.writeString(dir.resolve("kafka.producer.properties"), "bootstrap.servers=127.0.0.1:" + Ports.closed()
                + "\nspool.dir=" + dir + "\nssl.truststore.password=ts-7731\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Check.run(file, Optional.empty(), false, lines::add, progress::add);

        assertTrue(lines.contains("WARN the properties file " + file + " holds secrets (ssl.truststore.password) and every user of "
                + "this host can read it (mode rw-r--r--); make it readable by root and the management server's group only: "
                + "chmod 640 " + file + " && chown root:cloud " + file), lines.toString());
        assertFalse(lines.toString().contains("ts-7731"), lines.toString());
    }

    @Test
    void aMissingFileIsAProblemAndNothingElseIsChecked() throws Exception {
        assertFalse(Check.run(dir.resolve("nothing-here.properties"), Optional.empty(), false, lines::add, progress::add));

        assertEquals(List.of("PROBLEM no file " + dir.resolve("nothing-here.properties") + ": the bus would be disabled; copy "
                + "the plugin's conf/kafka.producer.properties there and set bootstrap.servers, or name the file to check",
                "SUMMARY 1 problem(s), 0 warning(s): the bus would not work as configured; fix the PROBLEM lines and run check "
                        + "again"), lines);
    }

    @Test
    void aDisabledSpoolIsAWarningThatEventsWaitInMemory() throws Exception {
        check(Map.of("bootstrap.servers", "127.0.0.1:" + Ports.closed(), "spool.enabled", "false"), Optional.empty());

        assertTrue(lines.contains("WARN spool.enabled=false: events wait in memory only (up to memory.buffer.max.bytes=33554432 "
                + "bytes) and are lost when the management server stops before Kafka has them; set spool.enabled=true to keep "
                + "them on disk"), lines.toString());
    }

    @Test
    void theSpoolsOfBothBusNamesAreCheckedWhereTheyExistAndNothingIsLeftBehind() throws Exception {
        Path spool = dir.resolve("spool");
        Files.createDirectories(spool.resolve("kafkaEventBus"));
        Files.createDirectories(spool.resolve("kafkaEventBusCore"));
        Files.writeString(spool.resolve("kafkaEventBusCore/00000000000000000000.seg"), "events");
        List<Path> before = tree(spool);

        check(Map.of("bootstrap.servers", "127.0.0.1:" + Ports.closed(), "spool.dir", spool.toString()), Optional.empty());

        String user = System.getProperty("user.name");
        for (String bus : List.of("kafkaEventBus", "kafkaEventBusCore")) {
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("OK spool directory " + spool.resolve(bus).toAbsolutePath()
                    + " is writable by user " + user + ", ")), lines.toString());
        }
        assertEquals(before, tree(spool), "the check changed the spool directory");
    }

    @Test
    void theBusOptionPicksOneSpoolAndAMissingOneIsNotCreated() throws Exception {
        Path spool = dir.resolve("spool");
        check(Map.of("bootstrap.servers", "127.0.0.1:" + Ports.closed(), "spool.dir", spool.toString()),
                Optional.of("kafkaEventBusCore"));

        assertTrue(lines.stream().anyMatch(line -> line.startsWith("OK spool directory " + spool.resolve("kafkaEventBusCore")
                + " does not exist yet; the bus creates it at start: user " + System.getProperty("user.name") + " may write in "
                + dir + ", ")), lines.toString());
        assertFalse(lines.stream().anyMatch(line -> line.contains("spool/kafkaEventBus ")), lines.toString());
        assertFalse(Files.exists(spool));
    }

    @Test
    void aDiskWithLessRoomThanTheSpoolMayTakeIsAWarning() throws Exception {
        check(Map.of("bootstrap.servers", "127.0.0.1:" + Ports.closed(), "spool.dir", dir.toString(),
                "spool.max.bytes", Long.toString(Long.MAX_VALUE / 2)), Optional.empty());

        assertTrue(lines.stream().anyMatch(line -> line.startsWith("WARN the disk of spool directory " + dir.resolve("kafkaEventBus")
                + " has less room than spool.max.bytes (")
                && line.endsWith("): a long Kafka outage fills the disk before the spool is full, and new events are then "
                + "dropped; free space, or lower spool.max.bytes")), lines.toString());
    }

    @Test
    void everyRoutedTopicIsCheckedAndTemplateTopicsAreSaidToBeCreatedOnFirstUse() throws Exception {
        KafkaCluster kafka = KafkaCluster.shared();
        kafka.createTopic("check-alerts", 1);
        boolean fine = check(Map.of("bootstrap.servers", kafka.bootstrapServers(), "spool.dir", dir.toString(),
                "category.topics", "AlertEvent:check-alerts", "topic.template", "check.${category}",
                "state.topic", "check-state", "dead.letter.topic", "check-dead"), Optional.empty());

        assertTrue(fine, lines.toString());
        assertEquals(List.of("looking up topics check-alerts, check-state, check-dead"), progress.subList(2, 3));
        assertTrue(lines.contains("OK topic check-alerts exists (1 partition(s)) and may be written: the brokers allow every "
                + "operation (no authorizer, or one allowing everyone)"), lines.toString());
        for (String missing : List.of("check-state", "check-dead")) {
            assertTrue(lines.contains("OK topic " + missing + " does not exist yet; the brokers create it on first use "
                    + "(auto.create.topics.enable=true, with the brokers' default partitions and replicas)"), lines.toString());
        }
        assertTrue(lines.contains("OK topics made by topic.template=check.${category} depend on the events and cannot be listed; "
                + "the brokers create each on first use (auto.create.topics.enable=true)"), lines.toString());
        assertFalse(lines.stream().anyMatch(line -> line.contains("topic cloudstack ")), "topic is never used with a template");
    }

    /** Checks a file of {@code settings}, its spool under the test's directory unless they say otherwise. */
    private boolean check(Map<String, String> settings, Optional<String> bus) throws Exception {
        Map<String, String> withSpool = new LinkedHashMap<>(settings);
        withSpool.putIfAbsent("spool.dir", dir.toString());
        StringBuilder text = new StringBuilder();
        withSpool.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Path file = Files.writeString(dir.resolve("kafka.producer.properties"), text);
        return Check.run(file, bus, false, lines::add, progress::add);
    }

    private static List<Path> tree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
