package io.kafkabus.cloudstack.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.testing.Conditions;
import io.kafkabus.cloudstack.testing.KafkaCluster;
import io.kafkabus.cloudstack.testing.Ports;

/**
 * {@code java -jar <plugin jar> check}, run as a process against a real broker that creates no topic on
 * first use, a SASL/PLAIN broker, addresses nowhere, a malformed file, and spool directories that
 * cannot be used: its lines and exit code, as an operator sees them.
 */
class CheckCommandIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String TOPIC = "cloudstack-events";
    private static KafkaCluster broker;
    private static KafkaCluster saslBroker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBrokers() {
        broker = KafkaCluster.start(1, Map.of("auto.create.topics.enable", "false"));
        broker.createTopic(TOPIC, 2);
        saslBroker = KafkaCluster.startSaslPlain();
    }

    @AfterAll
    static void stopBrokers() {
        broker.close();
        saslBroker.close();
    }

    @Test
    void aGoodFileAgainstARealBrokerIsOkAndTheTestEventComesBack() {
        Path spoolDir = dir.resolve("spool");
        PluginCommand run = PluginCommand.run(TIMEOUT, "check", file(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "topic", TOPIC, "spool.dir", spoolDir.toString())).toString(), "--send-test-event");

        assertEquals(0, run.exitCode, run.toString());
        assertTrue(run.out.contains("OK broker address " + broker.bootstrapServers() + " (accepts connections)\n"), run.toString());
        assertTrue(run.out.contains("OK connected to Kafka cluster "), run.toString());
        assertTrue(run.out.contains("OK topic " + TOPIC + " exists (2 partition(s)) and may be written: the brokers allow every "
                + "operation (no authorizer, or one allowing everyone)\n"), run.toString());
        assertTrue(run.out.contains("OK spool directory " + spoolDir + "/kafkaEventBus does not exist yet; the bus creates it at start"),
                run.toString());
        assertTrue(run.out.matches("(?s).*OK test event [-0-9a-f]{36} written to topic " + TOPIC
                + " partition \\d offset \\d+ and read back, round trip \\d+ ms; .*"), run.toString());
        assertTrue(run.out.endsWith("SUMMARY 0 problem(s), 0 warning(s): nothing found that would stop the bus\n"), run.toString());
        assertTrue(run.err.contains("... resolving and connecting to bootstrap.servers"), run.toString());
        assertEquals("root".equals(System.getProperty("user.name")), run.err.startsWith("... running as root: files and "
                + "directories are checked with root's rights, not the management server's"), run.toString());
        assertFalse(Files.exists(spoolDir), "the check created the spool directory: " + run);
        assertOnlyProgressOnStandardError(run);

        List<ConsumerRecord<byte[], byte[]>> records = broker.consume(TOPIC, 1, Duration.ofSeconds(10));
        assertEquals(1, records.size());
        assertEquals("true", header(records.get(0), "kafka-event-bus-check"));
        assertEquals("KafkaEventBusCheck", header(records.get(0), "category"));
        assertEquals("CHECK.TEST", header(records.get(0), "type"));
    }

    @Test
    void aMissingTopicIsAProblemUnlessTheBusCreatesIt() {
        Map<String, String> settings = Map.of("bootstrap.servers", broker.bootstrapServers(), "topic", "missing-topic",
                "spool.dir", dir.toString());
        PluginCommand missing = PluginCommand.run(TIMEOUT, "check", file(settings).toString());

        assertEquals(1, missing.exitCode, missing.toString());
        assertTrue(missing.out.contains("PROBLEM topic missing-topic does not exist and the brokers do not create topics on first "
                + "use: create it (kafka-topics.sh --bootstrap-server " + broker.bootstrapServers() + " --create --if-not-exists "
                + "--topic missing-topic) or set topic.create=true\n"), missing.toString());
        assertTrue(missing.out.contains("SUMMARY 1 problem(s), 0 warning(s): the bus would not work as configured"), missing.toString());

        Map<String, String> creating = new LinkedHashMap<>(settings);
        creating.put("topic.create", "true");
        PluginCommand created = PluginCommand.run(TIMEOUT, "check", file(creating).toString(), "--send-test-event");
        assertEquals(0, created.exitCode, created.toString());
        assertTrue(created.out.contains("OK topic missing-topic does not exist yet; the bus creates it before its first event "
                + "(topic.create=true; needs the CREATE right)\n"), created.toString());
        assertTrue(created.out.contains("WARN no test event sent: topic missing-topic does not exist yet (see above), and the "
                + "check creates no topic\n"), created.toString());
    }

    @Test
    void addressesWhereNoBrokerIsAreProblemsWithinTwentySeconds() {
        int closedPort = Ports.closed();
        PluginCommand refused = PluginCommand.run(TIMEOUT, "check", file(Map.of("bootstrap.servers",
                "127.0.0.1:" + closedPort + ",kafka1.no-such-domain-kafkabus:9092", "spool.dir", dir.toString())).toString(),
                "--send-test-event");

        assertEquals(1, refused.exitCode, refused.toString());
        assertTrue(refused.took.compareTo(Duration.ofSeconds(20)) < 0, refused.toString());
        assertOnlyProgressOnStandardError(refused);
        assertTrue(refused.out.contains("PROBLEM broker address 127.0.0.1:" + closedPort + " (connection refused): no Kafka broker "
                + "is reachable; is the broker running, the port right, a firewall in the way?\n"), refused.toString());
        assertTrue(refused.out.contains("PROBLEM broker address kafka1.no-such-domain-kafkabus:9092 (unknown host): no Kafka broker "
                + "is reachable; the host name does not resolve: fix it in bootstrap.servers, or DNS\n"), refused.toString());

        PluginCommand example = PluginCommand.run(TIMEOUT, "check", file(Map.of("bootstrap.servers", "nowhere.invalid:9092",
                "spool.dir", dir.toString())).toString());
        assertEquals(1, example.exitCode, example.toString());
        assertTrue(example.took.compareTo(Duration.ofSeconds(20)) < 0, example.toString());
        assertTrue(example.out.startsWith("PROBLEM Invalid Kafka event bus configuration in " + dir.resolve("kafka.producer.properties")
                + ": invalid value nowhere.invalid:9092 for 'bootstrap.servers': nowhere.invalid is an example name that never "
                + "resolves (RFC 2606): set the host:port of your Kafka brokers (the management server would not start with "
                + "this file)\n"), example.toString());
    }

    @Test
    void aWrongPasswordIsSaidPlainlyWithoutTheSecretAndTheRightOneIsOk() {
        String wrongPassword = "Wr0ng-Secret-4711";
        Map<String, String> wrong = new LinkedHashMap<>(KafkaCluster.saslPlainClient(wrongPassword));
        wrong.put("bootstrap.servers", saslBroker.bootstrapServers());
        wrong.put("spool.dir", dir.toString());
        PluginCommand refused = PluginCommand.run(TIMEOUT, "check", file(wrong).toString());

        assertEquals(1, refused.exitCode, refused.toString());
        assertTrue(refused.out.contains("PROBLEM Kafka refused the bus's SASL credentials (check sasl.mechanism and the user and "
                + "password in sasl.jaas.config): security.protocol=SASL_PLAINTEXT, sasl.mechanism=PLAIN, user "
                + KafkaCluster.SASL_USER + "; SaslAuthenticationException: "), refused.toString());
        for (String secret : List.of(wrongPassword, "PlainLoginModule", "password=")) {
            assertFalse(refused.out.contains(secret) || refused.err.contains(secret), secret + " printed: " + refused);
        }
        assertOnlyProgressOnStandardError(refused);

        Map<String, String> right = new LinkedHashMap<>(wrong);
        right.putAll(KafkaCluster.saslPlainClient(KafkaCluster.SASL_PASSWORD));
        PluginCommand accepted = PluginCommand.run(TIMEOUT, "check", file(right).toString());
        assertEquals(0, accepted.exitCode, accepted.toString());
        assertTrue(accepted.out.contains("OK connected to Kafka cluster "), accepted.toString());
        assertTrue(accepted.out.contains(" with security.protocol=SASL_PLAINTEXT, sasl.mechanism=PLAIN, user " + KafkaCluster.SASL_USER
                + "\n"), accepted.toString());
    }

    @Test
    void aTopicThePrincipalMayNotWriteToIsAProblemNamingTheAclToAdd() throws Exception {
        try (Admin admin = saslBroker.superUserAdmin()) {
            admin.createTopics(List.of(new NewTopic("denied-alerts", 1, (short) 1))).all().get();
            // Once a topic has ACLs, only what they allow is allowed: everything, then WRITE denied.
            ResourcePattern topic = new ResourcePattern(ResourceType.TOPIC, "denied-alerts", PatternType.LITERAL);
            String user = "User:" + KafkaCluster.SASL_USER;
            AclBinding all = new AclBinding(topic, new AccessControlEntry(user, "*", AclOperation.ALL, AclPermissionType.ALLOW));
            AclBinding denied = new AclBinding(topic, new AccessControlEntry(user, "*", AclOperation.WRITE, AclPermissionType.DENY));
            admin.createAcls(List.of(all, denied)).all().get();
            Conditions.await(() -> aclSeen(admin, all) && aclSeen(admin, denied), Duration.ofSeconds(10), "the ACLs on the broker");
        }
        Map<String, String> settings = new LinkedHashMap<>(KafkaCluster.saslPlainClient(KafkaCluster.SASL_PASSWORD));
        settings.put("bootstrap.servers", saslBroker.bootstrapServers());
        settings.put("spool.dir", dir.toString());
        settings.put("category.topics", "AlertEvent:denied-alerts");
        PluginCommand run = PluginCommand.run(TIMEOUT, "check", file(settings).toString());

        assertEquals(1, run.exitCode, run.toString());
        assertTrue(run.out.contains("PROBLEM topic denied-alerts exists (1 partition(s)) but the bus's principal may not write to "
                + "it: grant it WRITE on the topic (kafka-acls.sh --bootstrap-server " + saslBroker.bootstrapServers() + " --add "
                + "--allow-principal User:" + KafkaCluster.SASL_USER + " --operation Write --operation Describe --topic "
                + "denied-alerts)\n"), run.toString());
    }

    private static boolean aclSeen(Admin admin, AclBinding acl) {
        try {
            return admin.describeAcls(acl.toFilter()).values().get().contains(acl);
        } catch (InterruptedException | ExecutionException e) {
            return false;
        }
    }

    @Test
    void aMalformedFileNamesTheKeyAndTheReason() {
        PluginCommand run = PluginCommand.run(TIMEOUT, "check", file(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "spool.max.bytes", "lots")).toString());

        assertEquals(1, run.exitCode, run.toString());
        assertTrue(run.out.startsWith("PROBLEM Invalid Kafka event bus configuration in " + dir.resolve("kafka.producer.properties")
                + ": Invalid value lots for configuration spool.max.bytes: Not a number of type LONG"), run.toString());
        assertTrue(run.out.endsWith("SUMMARY 1 problem(s), 0 warning(s): the bus would not work as configured; fix the PROBLEM "
                + "lines and run check again\n"), run.toString());
    }

    @Test
    void aSpoolDirectoryThatCannotBeCreatedIsAProblem() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("a-file"), "");
        PluginCommand run = PluginCommand.run(TIMEOUT, "check", file(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "topic", TOPIC, "spool.dir", notADirectory.resolve("spool").toString())).toString());

        assertEquals(1, run.exitCode, run.toString());
        assertTrue(run.out.contains("PROBLEM spool directory " + notADirectory.resolve("spool/kafkaEventBus") + " cannot be created: "
                + notADirectory + " is not a directory; the bus would keep events in memory only; change spool.dir\n"), run.toString());
    }

    @Test
    void aSpoolDirectoryHeldByARunningBusNamesItsOwner() throws IOException {
        Path busDirectory = Files.createDirectories(dir.resolve("spool/kafkaEventBusCore"));
        String owner = "bus kafkaEventBusCore of process 4242@ms1 since 2026-12-02T03:00:00Z";
        try (RandomAccessFile lockFile = new RandomAccessFile(busDirectory.resolve("spool.lock").toFile(), "rw");
             FileLock lock = lockFile.getChannel().lock()) {
            lockFile.write(owner.getBytes(StandardCharsets.UTF_8));
            PluginCommand run = PluginCommand.run(TIMEOUT, "check", file(Map.of("bootstrap.servers", broker.bootstrapServers(),
                    "topic", TOPIC, "spool.dir", dir.resolve("spool").toString())).toString());

            assertEquals(0, run.exitCode, run.toString());
            assertTrue(run.out.contains("OK spool directory " + busDirectory + " is in use by a running bus: " + owner + "; fine if "
                    + "that is this management server, about to be restarted"), run.toString());
            assertTrue(lock.isValid(), "the check took the lock away");
            assertEquals(List.of("spool.lock"), Files.list(busDirectory).map(p -> p.getFileName().toString())
                    .collect(Collectors.toList()), "the check left files behind");
        }
    }

    @Test
    void helpDocumentsTheChecksTheExitCodesAndTheCloudUser() {
        PluginCommand run = PluginCommand.run(TIMEOUT, "check", "--help");
        assertEquals(0, run.exitCode, run.toString());
        assertTrue(run.out.contains("sudo -u cloud java -jar /usr/share/cloudstack-management/lib/<plugin jar> check"), run.toString());
        assertTrue(run.out.contains("Exit codes: 0 nothing found that would stop the bus"), run.toString());
        assertTrue(run.out.contains("--send-test-event"), run.toString());
    }

    /** The Kafka client's own log lines stay off: standard error holds the "... step" lines only. */
    private static void assertOnlyProgressOnStandardError(PluginCommand run) {
        assertTrue(run.err.lines().allMatch(line -> line.startsWith("... ")), run.toString());
    }

    private Path file(Map<String, String> settings) {
        StringBuilder text = new StringBuilder();
        settings.forEach((key, value) -> text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
        try {
            return Files.writeString(dir.resolve("kafka.producer.properties"), text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return record.headers().lastHeader(name) == null ? null
                : new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
