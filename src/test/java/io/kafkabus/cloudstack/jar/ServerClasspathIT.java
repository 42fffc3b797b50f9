package io.kafkabus.cloudstack.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;


import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.kafkabus.cloudstack.event.ManagementServer;
import io.kafkabus.cloudstack.testing.Conditions;
import io.kafkabus.cloudstack.testing.KafkaCluster;
import io.kafkabus.cloudstack.testing.KafkaTopics;
import io.kafkabus.cloudstack.testing.Ports;
import io.kafkabus.cloudstack.testing.SecureBroker;
import io.kafkabus.cloudstack.testing.TokenEndpoint;

/**
 * The built jar in a management server's class path, once per CloudStack era, each in a child JVM
 * whose class path is what the server would give: its kafka-clients 2.7.0 (with its slf4j-api and
 * lz4), Jackson 2.13 and Spring 5.3 (from {@code server.lib}), the era's logging back end, the
 * era's CloudStack API classes, a config directory (like {@code /etc/cloudstack/management}) and
 * the plugin jar. {@code src/it/java}'s harness plays the server (module loading, lifecycle,
 * publishing); this test, beside the in-JVM broker, reads back what reached Kafka and the server's
 * log.
 */
class ServerClasspathIT {
    private static final String SINCE_4_20 = "// since 4.20";
    private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The start of an entry of the harness server's log: its time stamp. */
    private static final Pattern LOG_ENTRY = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} ");
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static final int OUTAGE_LINES = 20;
    private static final String OAUTH_CLIENT = "jar-client";
    private static final String OAUTH_SECRET = "jar-client-secret-8e1f";

    private static Path basedir;
    private static Path pluginJar;
    private static Path serverLib;
    private static Path workDir;
    private static KafkaCluster kafka;

    @BeforeAll
    static void locate() {
        basedir = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        pluginJar = Paths.get(required("plugin.jar"));
        serverLib = Paths.get(required("server.lib"));
        workDir = basedir.resolve("target").resolve("it-server-classpath");
        assertTrue(Files.isRegularFile(pluginJar), "built jar not found: " + pluginJar);
        assertTrue(Files.isDirectory(serverLib), "server class path not copied: " + serverLib);
        kafka = KafkaCluster.shared();
    }

    @Test
    void cloudStack420LoadsTheJarsOwnEventModule() throws Exception {
        Run run = new Run(Era.CS_4_20);
        run.events.add(action("before-start", "VM.CREATE", "VirtualMachine", "vm-1", 1, "Created").eventUuid("a0000000-0000-4000-8000-000000000001", 101L));
        run.events.add(action("before-start", "VOLUME.CREATE", "Volume", "vol-1", 2, "Created"));
        run.events.add(action("before-start", "VM.START", "VirtualMachine", "vm-1", 3, "Scheduled").eventUuid("a0000000-0000-4000-8000-000000000003", 103L));
        run.events.add(action("after-start", "VM.START", "VirtualMachine", "vm-1", 4, "Completed").eventUuid("a0000000-0000-4000-8000-000000000004", 104L));
        run.events.add(alert("after-start", "ALERT.MEMORY", 5));
        run.events.add(plain("after-start", "ResourceStateEvent", "StopRequested", "VirtualMachine", "vm-2", 6));
        run.events.add(action("after-start", "VOLUME.DELETE", "Volume", "vol-1", 7, "Completed"));
        run.events.add(alert("after-start", "ALERT.MEMORY", 8));
        run.events.add(action("after-start", "VM.STOP", "VirtualMachine", "vm-1", 9, "Completed").eventUuid("a0000000-0000-4000-8000-000000000009", 109L));
        run.execute();

        run.assertHarness("API EventBus.getName=true Event.getEventUuid=true");
        run.assertHarness("MODULE LOADED event parent=core xml=[]");
        run.assertHarness("MODULE LOADED kafka-event-bus parent=event xml=[spring-kafka-event-bus-context.xml]");
        run.assertHarness("CONFIGURE kafka-event-bus kafkaEventBus name=kafkaEventBus returned true");
        run.assertHarness("BUS kafka-event-bus kafkaEventBus io.kafkabus.cloudstack.KafkaEventBus name=kafkaEventBus");
        run.assertHarness("CORE-BUSES []");
        assertEquals(1, run.harnessLines("BUS ").size(), "buses: " + run.harnessLines("BUS "));
        run.assertRecords();
        run.assertLogging("kafkaEventBus", "log4j2");
        // JMX, as jconsole sees the server: the bus's MBean, and the relocated producer's metrics still under kafka.producer.
        List<String> mbeans = run.harnessLines("MBEAN ");
        assertEquals(2, mbeans.size(), run.describe());
        Matcher bus = Pattern.compile("MBEAN com\\.cloud:type=KafkaEventBus,name=kafkaEventBus Delivered=(\\d+) Pending=0 "
                + "KafkaTakingEvents=true").matcher(mbeans.get(0));
        assertTrue(bus.matches(), mbeans.toString());
        Matcher producer = Pattern.compile("MBEAN kafka\\.producer:type=producer-metrics,client-id=cloudstack-event-bus-"
                + Pattern.quote(ManagementServer.local().host()) + "-kafkaEventBus record-send-total=(\\d+)\\.0").matcher(mbeans.get(1));
        // Visible and counting; not an exact count (a retried batch counts again, a replaced producer took its counts).
        assertTrue(producer.matches() && Long.parseLong(producer.group(1)) > 0, mbeans.toString());
        // The server's configuration sets org.apache.kafka.common.config (and ProducerConfig) to WARN: the client's INFO dump of its settings must not show.
        assertFalse(run.log.contains("ProducerConfig values:"), run.describe());
    }

    @Test
    void cloudStack419SkipsTheEventModuleAndUsesTheCoreXml() throws Exception {
        Run run = new Run(Era.CS_4_19);
        // Kafka's standard class names in the properties file, resolved to the relocated client's classes.
        Path bootstrap = run.dir.resolve("secrets").resolve("kafka-bootstrap.properties");
        Files.createDirectories(bootstrap.getParent());
        Files.writeString(bootstrap, "servers=" + kafka.bootstrapServers() + "\n");
        run.producerProperties.put("config.providers", "file");
        run.producerProperties.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        run.producerProperties.put("bootstrap.servers", "${file:" + bootstrap + ":servers}");
        run.events.add(action("before-start", "ACCOUNT.CREATE", "Account", "acct-1", 1, "Created"));
        run.events.add(alert("before-start", "ALERT.COMPUTE.HOST", 2));
        run.events.add(action("after-start", "USER.CREATE", "User", "user-1", 3, "Created"));
        run.events.add(action("after-start", "ACCOUNT.UPDATE", "Account", "acct-1", 4, "Completed"));
        run.events.add(plain("after-start", "AsyncJobEvent", "complete", "VirtualMachine", "vm-9", 5));
        run.events.add(alert("after-start", "ALERT.COMPUTE.HOST", 6));
        run.events.add(action("after-start", "ACCOUNT.DELETE", "Account", "acct-1", 7, "Completed"));
        run.execute();

        run.assertHarness("API EventBus.getName=false Event.getEventUuid=false");
        run.assertHarness("MODULE SKIPPED kafka-event-bus parent=event");
        run.assertHarness("MODULE LOADED core parent= xml=[spring-event-bus-context.xml]");
        run.assertHarness("CONFIGURE core kafkaEventBusCore name=kafkaEventBusCore returned true");
        run.assertHarness("BUS core kafkaEventBusCore io.kafkabus.cloudstack.KafkaEventBus name=kafkaEventBusCore all=[kafkaEventBusCore]");
        assertFalse(run.stdout.contains("MODULE LOADED event"), run.describe());
        run.assertRecords();
        run.assertLogging("kafkaEventBusCore", "log4j 1.2");
        // The Kafka client's dump of its settings reached log4j 1.2 under a standard logger name (the server turned that
        // logger up to DEBUG, so the client's lines pass unfiltered): it compresses with lz4
        // and found the brokers through the file config provider.
        assertTrue(Pattern.compile("(?m)^\\S+ \\S+ INFO  \\[org\\.apache\\.kafka\\.[\\w.]+\\] \\([^)]*\\) ProducerConfig values:").matcher(run.log).find(),
                run.describe());
        assertTrue(run.log.contains("\tcompression.type = lz4"), run.describe());
        assertTrue(run.log.contains("\tconfig.providers = [file]"), run.describe());
        assertTrue(run.log.contains("\tbootstrap.servers = [" + kafka.bootstrapServers() + "]"), run.describe());
    }

    /**
     * A SASL/PLAIN login whose JAAS text is kept out of kafka.producer.properties, in a secrets file
     * read through Kafka's FileConfigProvider, both named as Kafka's documentation names them. (The
     * server's kafka-clients 2.7.0 has a class of the login module's standard name, so this run cannot
     * tell which one logged in; RelocatedSecurityIT, on the jar alone, can.)
     */
    @Test
    void cloudStack420LogsInWithTheJaasTextOfASecretsFileReadThroughTheStandardFileConfigProvider() throws Exception {
        try (KafkaCluster sasl = KafkaCluster.startSaslPlain()) {
            Run run = new Run(Era.CS_4_20, "4.20-sasl-file-provider", sasl);
            run.producerProperties.putAll(KafkaCluster.saslPlainClient(KafkaCluster.SASL_PASSWORD));
            Path secrets = Files.createDirectories(run.dir.resolve("secrets")).resolve("kafka-secrets.properties");
            Files.writeString(secrets, "jaas=" + run.producerProperties.get("sasl.jaas.config") + "\n");
            run.producerProperties.put("sasl.jaas.config", "${file:" + secrets + ":jaas}");
            run.producerProperties.put("config.providers", "file");
            run.producerProperties.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
            run.readBack = false;
            run.events.add(action("after-start", "VM.CREATE", "VirtualMachine", "vm-1", 1, "Created"));
            run.events.add(action("after-start", "VM.START", "VirtualMachine", "vm-1", 2, "Completed"));
            run.execute();

            assertEquals(List.of("MBEAN com.cloud:type=KafkaEventBus,name=kafkaEventBus Delivered=2 Pending=0 KafkaTakingEvents=true"),
                    run.harnessLines("MBEAN com.cloud:"), run.describe());
            assertFalse(run.log.contains(KafkaCluster.SASL_PASSWORD) || run.stdout.contains(KafkaCluster.SASL_PASSWORD), run.describe());
        }
    }

    /**
     * Kafka unreachable for {@link #OUTAGE} with the server's logging as CloudStack ships it (log4j2,
     * INFO, nothing set for Kafka): what the bundled client and the bus add to management-server.log.
     * Unfiltered, the client alone wrote 8 to 13 lines a second and its 120-line settings dump at
     * every producer creation.
     */
    @Test
    void aKafkaOutageCostsTheServerLogOneLinePerProblem() throws Exception {
        Run run = new Run(Era.CS_4_20, "4.20-outage");
        run.loggingConfig = "log4j-cloud-default.xml";
        run.runFor = OUTAGE;
        int closedPort = Ports.closed();
        run.producerProperties.put("bootstrap.servers", "127.0.0.1:" + closedPort);
        run.readBack = false;
        run.producerProperties.put("stop.timeout.ms", "1000");
        run.events.add(action("before-start", "VM.CREATE", "VirtualMachine", "vm-1", 1, "Created"));
        run.events.add(action("after-start", "VM.START", "VirtualMachine", "vm-1", 2, "Completed"));
        run.execute();

        List<String> entries = assertEachProblemLoggedOnce(run, "outage");
        // The outage is told: by the client (its own words, once) and by the bus.
        assertEquals(1, entries.stream().filter(l -> l.contains(" WARN  [org.apache.kafka.clients.NetworkClient] ")
                && l.contains("Connection to node -1 (") && l.contains(") could not be established.")).count(), run.describe());
        assertTrue(entries.stream().anyMatch(l -> l.contains(" WARN  [io.kafkabus.cloudstack.delivery.")
                && l.endsWith("Kafka event bus kafkaEventBus: no Kafka broker is reachable; events wait in the spool and "
                + "are retried: bootstrap.servers 127.0.0.1:" + closedPort + " (connection refused)")), run.describe());
    }

    /**
     * The server ran {@link #OUTAGE} with a problem that lasted throughout, logging as CloudStack ships
     * it: no INFO chatter of the client, its settings dumped once at most, each problem (the client's
     * and the bus's) logged once in the window, and a log whose size does not grow with time.
     *
     * @return the log's entries
     */
    private static List<String> assertEachProblemLoggedOnce(Run run, String what) {
        List<String> lines = run.log.lines().collect(Collectors.toList());
        List<String> entries = lines.stream().filter(l -> LOG_ENTRY.matcher(l).lookingAt()).collect(Collectors.toList());
        System.out.printf(Locale.ROOT, "ServerClasspathIT %s of %d s: %d lines (%d entries) in management-server.log%n",
                what, OUTAGE.toSeconds(), lines.size(), entries.size());
        assertEquals(List.of("RAN " + OUTAGE.toMillis() + " ms"), run.harnessLines("RAN "), run.describe());
        assertEquals(List.of(), entries.stream().filter(l -> l.contains(" INFO  [org.apache.kafka.")).collect(Collectors.toList()),
                "the client's INFO chatter\n" + run.describe());
        assertTrue(lines.stream().filter(l -> l.contains("ProducerConfig values:")).count() <= 1, run.describe());
        // Each problem once in this window: the next report of a problem comes a minute later at the earliest.
        Map<String, Long> repeated = entries.stream().map(ServerClasspathIT::problemOf)
                .collect(Collectors.groupingBy(p -> p, LinkedHashMap::new, Collectors.counting()));
        repeated.values().removeIf(count -> count == 1);
        assertEquals(Map.of(), repeated, run.describe());
        // The server's start line, the bus's start and stop lines (configured, spool recovered, started,
        // stopped, events left) and one line per distinct problem: nothing that grows with time.
        assertTrue(lines.size() <= OUTAGE_LINES, lines.size() + " lines\n" + run.describe());
        return entries;
    }

    /**
     * OAUTHBEARER client credentials through the relocated client, the trap-rich mode: Kafka's standard
     * callback handler name in the file, jose4j (which kafka-clients does not declare) bundled,
     * {@code org.apache.kafka.sasl.oauthbearer.allowed.urls} read under its standard name, over TLS, through
     * Kafka's SSL engine factory and its client-credentials JWT retriever and client JWT validator named
     * by their standard names.
     */
    @Test
    void cloudStack420PublishesWithOAuthClientCredentialsOverTls(@TempDir Path secure) throws Exception {
        try (TokenEndpoint oauth = TokenEndpoint.start(OAUTH_CLIENT, OAUTH_SECRET);
             SecureBroker broker = SecureBroker.start(secure.resolve("broker"), oauth)) {
            Run run = oauthRun("4.20-oauth", oauth, broker);
            // Class-valued settings that only this mode uses, by their standard names (RelocatedSecurityIT has the rest).
            run.producerProperties.put("ssl.engine.factory.class", "org.apache.kafka.common.security.ssl.DefaultSslEngineFactory");
            run.producerProperties.put("sasl.oauthbearer.jwt.retriever.class",
                    "org.apache.kafka.common.security.oauthbearer.ClientCredentialsJwtRetriever");
            run.producerProperties.put("sasl.oauthbearer.jwt.validator.class", "org.apache.kafka.common.security.oauthbearer.ClientJwtValidator");
            run.events.add(action("after-start", "VM.START", "VirtualMachine", "vm-1", 1, "Completed"));
            run.events.add(action("after-start", "VM.STOP", "VirtualMachine", "vm-1", 2, "Completed"));
            run.execute();

            assertEquals(1, oauth.issued.size(), "tokens issued to the bus\n" + run.describe());
            assertTrue(run.harnessLines("STATS ").stream().allMatch(s -> s.contains(" delivered=2 ") && s.contains(" pending=0 ")),
                    run.describe());
            assertEquals(2, KafkaTopics.consume(Map.of("bootstrap.servers", broker.bootstrapServers(SecureBroker.INTERNAL)),
                    run.topic, 2, CONSUME_TIMEOUT).size(), run.describe());
            assertFalse(run.log.contains(OAUTH_SECRET) || run.stdout.contains(OAUTH_SECRET), run.describe());
        }
    }

    /**
     * The OAuth token endpoint down for {@link #OUTAGE}: the client fails to log in at each producer the
     * bus makes, and unfiltered logs a stack trace per attempt; the server's log gets one line per
     * problem, the bus's naming the endpoint, and no secret.
     */
    @Test
    void anOAuthTokenEndpointOutageCostsTheServerLogOneLinePerProblem(@TempDir Path secure) throws Exception {
        try (TokenEndpoint oauth = TokenEndpoint.start(OAUTH_CLIENT, OAUTH_SECRET);
             SecureBroker broker = SecureBroker.start(secure.resolve("broker"), oauth)) {
            oauth.stop();
            Run run = oauthRun("4.20-oauth-outage", oauth, broker);
            run.loggingConfig = "log4j-cloud-default.xml";
            run.runFor = OUTAGE;
            // stop.timeout.ms as shipped (10 s): a producer being made ends with its login's retries (10 s), and no other is tried.
            run.producerProperties.remove("stop.timeout.ms");
            run.events.add(action("after-start", "VM.START", "VirtualMachine", "vm-1", 1, "Completed"));
            run.execute();

            List<String> entries = assertEachProblemLoggedOnce(run, "OAuth token endpoint outage");
            assertEquals(1, entries.stream().filter(l -> l.contains(" WARN  [io.kafkabus.cloudstack.delivery.")
                    && l.contains("Kafka event bus kafkaEventBus: the bus got no OAuth token from its token endpoint (")
                    && l.contains("sasl.oauthbearer.token.endpoint.url " + oauth.tokenUrl() + "; ")).count(), run.describe());
            assertTrue(run.harnessLines("STATS ").stream().allMatch(s -> s.contains(" delivered=0 ") && s.contains(" pending=1 ")),
                    run.describe());
            assertEquals(List.of(), oauth.issued, run.describe());
            assertFalse(run.log.contains(OAUTH_SECRET) || run.stdout.contains(OAUTH_SECRET) || run.stderr.contains(OAUTH_SECRET),
                    run.describe());
        }
    }

    /** A 4.20 server whose bus logs in with OAuth client credentials at {@code oauth}, to {@code broker}'s SASL_SSL listener. */
    private Run oauthRun(String name, TokenEndpoint oauth, SecureBroker broker) throws IOException {
        Run run = new Run(Era.CS_4_20, name);
        run.readBack = false;
        broker.createTopic(run.topic);
        run.jvmOptions.add("-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=" + oauth.allowedUrls());
        run.producerProperties.put("bootstrap.servers", broker.bootstrapServers(SecureBroker.SASL_TLS));
        run.producerProperties.put("security.protocol", "SASL_SSL");
        run.producerProperties.put("sasl.mechanism", "OAUTHBEARER");
        run.producerProperties.put("sasl.login.callback.handler.class",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler");
        run.producerProperties.put("sasl.oauthbearer.token.endpoint.url", oauth.tokenUrl());
        run.producerProperties.put("sasl.oauthbearer.client.credentials.client.id", OAUTH_CLIENT);
        run.producerProperties.put("sasl.oauthbearer.client.credentials.client.secret", OAUTH_SECRET);
        run.producerProperties.put("sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
        run.producerProperties.put("ssl.truststore.location", broker.trustStore().toString());
        run.producerProperties.put("ssl.truststore.password", SecureBroker.STORE_PASSWORD);
        return run;
    }

    /**
     * SASL/SCRAM-SHA-512 over TLS, the user made through the Admin API (as Strimzi's and MSK's tooling
     * do), its password read through Kafka's FileConfigProvider, and rotated: the cluster has the new
     * password while the secrets file still holds the old one, so the bus is refused; the operator
     * writes the new one into the file, and the running server delivers everything, with no restart.
     */
    @Test
    void cloudStack420DeliversOverScramSha512OnceTheOperatorWritesTheRotatedPasswordIntoTheSecretsFile(@TempDir Path secure)
            throws Exception {
        try (SecureBroker broker = SecureBroker.start(secure.resolve("broker"), null)) {
            broker.setScramPassword(ScramMechanism.SCRAM_SHA_512, "strimzi-user", "rotated-scram-secret-2f7a");
            Run run = new Run(Era.CS_4_20, "4.20-scram-rotation");
            run.readBack = false;
            broker.createTopic(run.topic);
            Path secrets = Files.createDirectories(run.dir.resolve("secrets")).resolve("kafka-secrets.properties");
            Files.writeString(secrets, "password=previous-scram-secret-c41d\n");
            run.jvmOptions.add("-Dharness.run.until.delivered.ms=" + CONSUME_TIMEOUT.toMillis());
            run.producerProperties.put("bootstrap.servers", broker.bootstrapServers(SecureBroker.SASL_TLS));
            run.producerProperties.put("security.protocol", "SASL_SSL");
            run.producerProperties.put("sasl.mechanism", "SCRAM-SHA-512");
            run.producerProperties.put("config.providers", "file");
            run.producerProperties.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
            run.producerProperties.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                    + "username=\"strimzi-user\" password=\"${file:" + secrets + ":password}\";");
            run.producerProperties.put("ssl.truststore.location", broker.trustStore().toString());
            run.producerProperties.put("ssl.truststore.password", SecureBroker.STORE_PASSWORD);
            run.events.add(action("before-start", "VM.CREATE", "VirtualMachine", "vm-1", 1, "Created"));
            run.events.add(action("after-start", "VM.START", "VirtualMachine", "vm-1", 2, "Completed"));
            run.events.add(action("after-start", "VM.START", "VirtualMachine", "vm-2", 3, "Completed"));
            run.events.add(action("after-start", "VM.STOP", "VirtualMachine", "vm-1", 4, "Completed"));
            String refused = " WARN  [io.kafkabus.cloudstack.delivery.EventDelivery] (kafka-event-bus-sender-kafkaEventBus) Kafka event bus "
                    + "kafkaEventBus: Kafka refused the bus's SASL credentials (check sasl.mechanism and the user and password in "
                    + "sasl.jaas.config); events wait in the spool and are retried: SaslAuthenticationException: Authentication failed "
                    + "during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512";
            run.whileRunning = () -> {
                Conditions.await(() -> run.logSoFar().contains(refused), CHILD_TIMEOUT,
                        "the bus refused with the old password\n" + run.dir);
                Files.writeString(secrets, "password=rotated-scram-secret-2f7a\n");
            };
            run.execute();

            run.records = KafkaTopics.consume(Map.of("bootstrap.servers", broker.bootstrapServers(SecureBroker.INTERNAL)),
                    run.topic, run.events.size(), CONSUME_TIMEOUT);
            run.assertRecords();
            assertEquals(1, run.log.lines().filter(l -> l.endsWith(refused)).count(), "one line for the outage\n" + run.describe());
            for (String secret : List.of("previous-scram-secret-c41d", "rotated-scram-secret-2f7a", SecureBroker.STORE_PASSWORD)) {
                assertFalse(run.log.contains(secret) || run.stdout.contains(secret) || run.stderr.contains(secret), run.describe());
            }
        }
    }

    /** A log entry with its time stamp and numbers (ports, counts, times) blanked: what it says. */
    private static String problemOf(String entry) {
        return LOG_ENTRY.matcher(entry).replaceFirst("").replaceAll("\\(\\S+\\) ", "").replaceAll("[0-9]+", "#");
    }

    // ---------------------------------------------------------------------------------------------

    enum Era {
        CS_4_20("4.20", "log4j2", "-Dlog4j2.configurationFile="),
        CS_4_19("4.19", "log4j1", "-Dlog4j.configuration=file:");

        final String version;
        final String loggingDir;
        final String loggingOption;

        Era(String version, String loggingDir, String loggingOption) {
            this.version = version;
            this.loggingDir = loggingDir;
            this.loggingOption = loggingOption;
        }

        String loggingConfig() {
            return this == CS_4_20 ? "log4j-cloud.xml" : "log4j-cloud.properties";
        }
    }

    /** One event the harness publishes, and what the test expects of its record. */
    static final class Spec {
        final String phase;
        final String category;
        final String type;
        final String resourceType;
        final String resourceUuid;
        final String description;
        final int seq;
        String eventUuid;
        Long eventId;
        Long accountId;
        String accountUuid;
        Long domainId;

        Spec(String phase, String category, String type, String resourceType, String resourceUuid, String description, int seq) {
            this.phase = phase;
            this.category = category;
            this.type = type;
            this.resourceType = resourceType;
            this.resourceUuid = resourceUuid;
            this.description = description;
            this.seq = seq;
        }

        /** 4.20's stable id and owner fields. */
        Spec eventUuid(String uuid, long id) {
            this.eventUuid = uuid;
            this.eventId = id;
            this.accountId = 2L;
            this.accountUuid = "acc00000-0000-4000-8000-000000000002";
            this.domainId = 1L;
            return this;
        }

        String key() {
            return resourceUuid != null ? resourceUuid : category + ":" + type;
        }

        String line() {
            return Stream.of(phase, category, type, resourceType, resourceUuid, description, eventUuid,
                            text(eventId), text(accountId), accountUuid, text(domainId))
                    .map(v -> v == null ? "~" : URLEncoder.encode(v, StandardCharsets.UTF_8))
                    .collect(Collectors.joining("\t"));
        }

        private static String text(Long value) {
            return value == null ? null : value.toString();
        }
    }

    private static Spec action(String phase, String type, String resourceType, String uuid, int seq, String status) {
        String description = "{\"user\":\"u-admin\",\"account\":\"a-admin\",\"event\":\"" + type + "\",\"status\":\"" + status
                + "\",\"entity\":\"" + resourceType + "\",\"entityuuid\":\"" + uuid + "\",\"description\":\"seq " + seq
                + "\",\"eventDateTime\":\"2026-11-22 10:00:0" + (seq % 10) + " +0000\",\"seq\":" + seq + "}";
        return new Spec(phase, "ActionEvent", type, resourceType, uuid, description, seq);
    }

    private static Spec alert(String phase, String type, int seq) {
        String description = "{\"event\":\"" + type + "\",\"dataCenterId\":1,\"podId\":null,\"subject\":\"alert seq " + seq
                + "\",\"body\":\"\",\"eventDateTime\":\"2026-11-22 10:00:00 +0000\",\"seq\":" + seq + "}";
        return new Spec(phase, "AlertEvent", type, null, null, description, seq);
    }

    /** A description that is not JSON: the envelope keeps it as text. */
    private static Spec plain(String phase, String category, String type, String resourceType, String uuid, int seq) {
        return new Spec(phase, category, type, resourceType, uuid, "not json: seq=" + seq + " \"quoted\"\ttab", seq);
    }

    /** Something the test does to the running server's surroundings, as an operator would. */
    @FunctionalInterface
    interface OperatorAction {
        void run() throws Exception;
    }

    /** One era's run: its files under target/, the child JVM, and what came out. */
    final class Run {
        final Era era;
        final Path dir;
        final KafkaCluster cluster;
        final String topic;
        final List<Spec> events = new ArrayList<>();
        final Map<String, String> producerProperties = new LinkedHashMap<>();
        String stdout = "";
        String stderr = "";
        String log = "";
        List<ConsumerRecord<byte[], byte[]>> records = List.of();
        long childMillis;

        /** The server's logging configuration, from src/it/resources. */
        String loggingConfig;
        /** How long the server runs after start() before it stops. */
        Duration runFor = Duration.ZERO;
        /** Whether the events are read back from the test's Kafka (not when the bus was pointed elsewhere). */
        boolean readBack = true;
        /** Options of the server's JVM beyond the harness's own (system properties, say). */
        final List<String> jvmOptions = new ArrayList<>();
        /** What the operator does while the server runs (the test's thread, before waiting for the server to end). */
        OperatorAction whileRunning = () -> { };

        Run(Era era) throws IOException {
            this(era, era.version);
        }

        Run(Era era, String name) throws IOException {
            this(era, name, kafka);
        }

        /** A run whose bus sends to {@code cluster} (read back only from the shared one). */
        Run(Era era, String name, KafkaCluster cluster) throws IOException {
            this.era = era;
            this.cluster = cluster;
            this.dir = workDir.resolve(name);
            this.loggingConfig = era.loggingConfig();
            this.topic = "it-server-classpath-" + era.version.replace('.', '-') + "-" + UUID.randomUUID().toString().substring(0, 8);
            deleteRecursively(dir);
            Files.createDirectories(dir);
            producerProperties.put("bootstrap.servers", cluster.bootstrapServers());
            producerProperties.put("topic", topic);
            producerProperties.put("spool.dir", dir.resolve("spool").toString());
            producerProperties.put("stop.timeout.ms", "30000");
            producerProperties.put("linger.ms", "5");
        }

        void execute() throws Exception {
            long started = System.nanoTime();
            Path api = compileApi();
            Path harness = compileHarness(api);
            Path conf = writeConfigDirectory();
            Path eventsFile = dir.resolve("events.txt");
            Files.write(eventsFile, events.stream().map(Spec::line).collect(Collectors.toList()), StandardCharsets.UTF_8);
            cluster.createTopic(topic, 3);
            long compiled = System.nanoTime();

            List<String> classpath = new ArrayList<>();
            classpath.add(conf.toString());
            classpath.add(api.toString());
            classpath.addAll(jars(serverLib));
            classpath.addAll(jars(serverLib.resolve(era.loggingDir)));
            classpath.add(harness.toString());
            classpath.add(pluginJar.toString());
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            List<String> command = new ArrayList<>(List.of(
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Djava.io.tmpdir=" + tmp,
                    "-Dserver.log.file=" + dir.resolve("management-server.log"),
                    "-Dharness.run.ms=" + runFor.toMillis(),
                    era.loggingOption + conf.resolve(era.loggingConfig())));
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, classpath),
                    "io.kafkabus.cloudstack.it.ManagementServerHarness", era.version, eventsFile.toString()));
            Files.write(dir.resolve("command.txt"), command, StandardCharsets.UTF_8);
            Process child = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectOutput(dir.resolve("harness.out").toFile())
                    .redirectError(dir.resolve("harness.err").toFile())
                    .start();
            try {
                whileRunning.run();
                boolean exited = child.waitFor(CHILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                readOutputs();
                assertTrue(exited, "the harness JVM did not finish within " + CHILD_TIMEOUT + "\n" + describe());
                assertEquals(0, child.exitValue(), "harness exit code\n" + describe());
            } finally {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
            long ran = System.nanoTime();
            records = readBack ? kafka.consume(topic, events.size(), CONSUME_TIMEOUT) : List.of();
            childMillis = TimeUnit.NANOSECONDS.toMillis(ran - compiled);
            System.out.printf(Locale.ROOT, "ServerClasspathIT %s: compile+setup %d ms, harness JVM %d ms, read back %d ms; %s; %s%n",
                    era.version, TimeUnit.NANOSECONDS.toMillis(compiled - started), childMillis,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - ran), harnessLines("LZ4 "), harnessLines("STATS "));
        }

        /** The server's log as written so far, while it runs. */
        String logSoFar() {
            try {
                return readIfThere(dir.resolve("management-server.log"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void readOutputs() throws IOException {
            stdout = readIfThere(dir.resolve("harness.out"));
            stderr = readIfThere(dir.resolve("harness.err"));
            log = readIfThere(dir.resolve("management-server.log"));
        }

        /** The era's CloudStack API classes, plus the module definitions the era's server jar has. */
        private Path compileApi() throws IOException {
            Path sources = basedir.resolve("src/cloudstack-api/java");
            if (era == Era.CS_4_19) {
                Path stripped = dir.resolve("api-src");
                for (Path source : javaFiles(sources)) {
                    Path target = stripped.resolve(sources.relativize(source).toString());
                    Files.createDirectories(target.getParent());
                    List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8).stream()
                            .filter(line -> !line.contains(SINCE_4_20)).collect(Collectors.toList());
                    Files.write(target, lines, StandardCharsets.UTF_8);
                }
                sources = stripped;
            }
            Path classes = dir.resolve("api-classes");
            TestCompiler.compile(javaFiles(sources), List.of(), classes);
            writeModule(classes, "core", "");
            if (era == Era.CS_4_20) {
                writeModule(classes, "event", "core");
            }
            return classes;
        }

        private Path compileHarness(Path api) throws IOException {
            List<String> classpath = new ArrayList<>();
            classpath.add(api.toString());
            classpath.addAll(jars(serverLib).stream().filter(j -> j.contains("spring-")).collect(Collectors.toList()));
            classpath.addAll(jars(serverLib.resolve("log4j2")));
            classpath.addAll(jars(serverLib.resolve("log4j1")));
            Path classes = dir.resolve("harness-classes");
            TestCompiler.compile(javaFiles(basedir.resolve("src/it/java")), classpath, classes);
            return classes;
        }

        private Path writeConfigDirectory() throws IOException {
            Path conf = Files.createDirectories(dir.resolve("conf"));
            StringBuilder properties = new StringBuilder("# written by ServerClasspathIT\n");
            producerProperties.forEach((k, v) -> properties.append(k).append('=').append(v).append('\n'));
            Files.writeString(conf.resolve("kafka.producer.properties"), properties.toString());
            Files.copy(basedir.resolve("src/it/resources").resolve(loggingConfig), conf.resolve(era.loggingConfig()));
            if (era == Era.CS_4_19) {
                // What the admin copies to /etc/cloudstack/management/META-INF/cloudstack/core/ on 4.19 and earlier.
                Path core = Files.createDirectories(conf.resolve("META-INF/cloudstack/core"));
                Files.copy(basedir.resolve("META-INF/cloudstack/core/spring-event-bus-context.xml"), core.resolve("spring-event-bus-context.xml"));
            }
            return conf;
        }

        // --- what came out ---------------------------------------------------------------------

        List<String> harnessLines(String prefix) {
            return stdout.lines().filter(l -> l.startsWith("HARNESS " + prefix)).map(l -> l.substring("HARNESS ".length()))
                    .collect(Collectors.toList());
        }

        void assertHarness(String line) {
            assertTrue(stdout.lines().anyMatch(l -> l.equals("HARNESS " + line)), "expected harness line: " + line + "\n" + describe());
        }

        void assertRecords() throws IOException {
            assertEquals(List.of(), harnessLines("PUBLISH-ERROR"), describe());
            assertEquals(List.of(), harnessLines("STOP-FAILED"), describe());
            assertEquals(List.of(), harnessLines("FAILED"), describe());
            assertEquals(1, harnessLines("STOP 1 ").size(), "stop(): " + harnessLines("STOP "));
            assertEquals(1, harnessLines("STOP 2 ").size(), "stop() again: " + harnessLines("STOP "));
            // lz4 (the default compression) works relocated, in pure Java: the jar has no JNI library for it.
            List<String> lz4 = harnessLines("LZ4 ");
            assertTrue(lz4.size() == 1 && lz4.get(0).startsWith("LZ4 factory=LZ4Factory:Java") && lz4.get(0).endsWith(" nativeLoaded=false"),
                    "lz4: " + lz4);
            assertTrue(harnessLines("STATS ").stream().allMatch(s -> s.contains(" delivered=" + events.size() + " ")
                    && s.contains(" dropped=0 ") && s.contains(" pending=0 ")), harnessLines("STATS ") + "\n" + describe());
            assertEquals(events.size(), records.size(), "records in " + topic + "\n" + describe());

            Map<Integer, Spec> bySeq = events.stream().collect(Collectors.toMap(s -> s.seq, s -> s));
            Set<String> ids = new HashSet<>();
            Map<String, List<Integer>> seenOrderByKey = new LinkedHashMap<>();
            List<ConsumerRecord<byte[], byte[]>> inOrder = new ArrayList<>(records);
            inOrder.sort(Comparator.comparingInt((ConsumerRecord<byte[], byte[]> r) -> r.partition()).thenComparingLong(ConsumerRecord::offset));
            for (ConsumerRecord<byte[], byte[]> record : inOrder) {
                JsonNode envelope = JSON.readTree(record.value());
                int seq = seqOf(envelope.get("description"));
                Spec spec = bySeq.get(seq);
                assertNotNull(spec, "unexpected record " + envelope);
                String what = "record of event seq " + seq + ": " + envelope;

                assertEquals(spec.key(), utf8(record.key()), "key of " + what);
                String id = header(record, "id");
                assertTrue(ids.add(id), "id " + id + " twice");
                assertEquals(spec.category, header(record, "category"), what);
                assertEquals(spec.type, header(record, "type"), what);
                assertEquals("management-server", header(record, "source"), what);

                assertEquals(1, envelope.get("envelopeVersion").asInt(), what);
                assertEquals(id, envelope.get("id").asText(), what);
                assertEquals("management-server", envelope.get("source").asText(), what);
                assertEquals(spec.category, envelope.get("category").asText(), what);
                assertEquals(spec.type, envelope.get("type").asText(), what);
                assertEquals(spec.resourceType, textOrNull(envelope.get("resourceType")), what);
                assertEquals(spec.resourceUuid, textOrNull(envelope.get("resourceUuid")), what);
                Instant timestamp = Instant.parse(envelope.get("timestamp").asText());
                assertEquals(timestamp.toEpochMilli(), record.timestamp(), what);
                JsonNode description = envelope.get("description");
                if (spec.description.startsWith("{")) {
                    assertTrue(description.isObject(), what);
                    assertEquals(JSON.readTree(spec.description), description, what);
                } else {
                    assertEquals(spec.description, description.asText(), what);
                }
                if (spec.eventUuid != null) {
                    assertEquals(spec.eventUuid, id, "4.20's eventUuid is the id: " + what);
                    assertEquals(spec.eventId.longValue(), envelope.get("eventId").asLong(), what);
                    assertEquals(spec.accountId.longValue(), envelope.get("accountId").asLong(), what);
                    assertEquals(spec.accountUuid, envelope.get("accountUuid").asText(), what);
                    assertEquals(spec.domainId.longValue(), envelope.get("domainId").asLong(), what);
                } else {
                    assertTrue(UUID_TEXT.matcher(id).matches(), "a made-up UUID id: " + what);
                    assertNull(envelope.get("eventId"), what);
                    assertNull(envelope.get("accountUuid"), what);
                }
                seenOrderByKey.computeIfAbsent(spec.key(), k -> new ArrayList<>()).add(seq);
            }
            for (Map.Entry<String, List<Integer>> key : seenOrderByKey.entrySet()) {
                List<Integer> published = events.stream().filter(s -> s.key().equals(key.getKey())).map(s -> s.seq).collect(Collectors.toList());
                assertEquals(published, key.getValue(), "order of key " + key.getKey());
            }
        }

        void assertLogging(String busName, String backend) {
            assertFalse(log.isEmpty(), "nothing in the server's log\n" + describe());
            // The server's own line: its configuration is in force.
            assertLogLine("INFO ", "com.cloud.utils.server.ServerDaemon", "Harness management server (CloudStack " + era.version + ") starting");
            // The plugin's own lines.
            assertLogLine("DEBUG", "io.kafkabus.cloudstack.logging.ServerLoggingProvider", "The Kafka event bus plugin logs through " + backend);
            assertLogLine("INFO ", "io.kafkabus.cloudstack.KafkaEventBus", "Kafka event bus " + busName + " configured from ");
            assertLogLine("INFO ", "io.kafkabus.cloudstack.KafkaEventBus", "Kafka event bus " + busName + " started");
            assertLogLine("INFO ", "io.kafkabus.cloudstack.delivery.EventDelivery", "Kafka event bus " + busName + " stopped: ");
            // The relocated Kafka client's lines, under Kafka's own logger names, where the server turned its logger up.
            Pattern kafkaVersion = Pattern.compile("(?m)^\\S+ \\S+ INFO  \\[org\\.apache\\.kafka\\.[\\w.$]+\\] \\([^)]*\\) Kafka version: "
                    + Pattern.quote(System.getProperty("shipped.kafka.version", "4.4.0")) + "$");
            assertTrue(kafkaVersion.matcher(log).find(), "Kafka version line\n" + describe());
            assertFalse(Pattern.compile("(?m)^\\S+ \\S+ [A-Z]+ +\\[io\\.kafkabus\\.cloudstack\\.shaded\\.").matcher(log).find(),
                    "relocated logger names\n" + describe());
            // Levels are the server's: nothing below INFO except where it asked for DEBUG.
            assertFalse(Pattern.compile("(?m)^\\S+ \\S+ (DEBUG|TRACE) \\[(?!io\\.kafkabus\\.cloudstack\\.logging\\.|"
                    + "org\\.apache\\.kafka\\.common\\.utils\\.internals\\.AppInfoParser\\]|org\\.apache\\.kafka\\.common\\.config\\.AbstractConfig\\])")
                    .matcher(log).find(),
                    "DEBUG lines the server did not ask for\n" + describe());
            // The relocated slf4j found its provider (it would say so otherwise), and the server's logging set-up is as it was.
            assertFalse(stdout.contains("SLF4J(") || stderr.contains("SLF4J("), "the plugin's slf4j complained\n" + describe());
            List<String> before = harnessLines("LOGCONFIG before ");
            assertEquals(1, before.size(), describe());
            String configuration = before.get(0).substring("LOGCONFIG before ".length());
            assertEquals(configuration, harnessLines("LOGCONFIG after-start ").get(0).substring("LOGCONFIG after-start ".length()));
            assertEquals(configuration, harnessLines("LOGCONFIG after-stop ").get(0).substring("LOGCONFIG after-stop ".length()));
            // The server's own Kafka client and Jackson are still the ones it brought.
            assertTrue(stdout.contains("HARNESS SERVER kafka-clients=" + System.getProperty("server.kafka.version", "2.7.0") + " jackson=2.13.5"),
                    describe());
        }

        private void assertLogLine(String level, String logger, String messageStart) {
            String marker = level + " [" + logger + "] (";
            boolean found = log.lines().anyMatch(l -> l.contains(marker) && l.substring(l.indexOf(") ", l.indexOf(marker)) + 2).startsWith(messageStart));
            assertTrue(found, "no " + level.trim() + " line of " + logger + " starting with '" + messageStart + "'\n" + describe());
        }

        String describe() {
            StringWriter text = new StringWriter();
            text.append("--- ").append(era.version).append(" in ").append(dir.toString()).append('\n');
            text.append("--- harness stdout:\n").append(tail(stdout)).append("--- harness stderr:\n").append(tail(stderr))
                    .append("--- management-server.log:\n").append(tail(log));
            return text.toString();
        }
    }

    @Test
    void aLoginModuleNamedByItsStandardNameWorksInTheRelocatedClient() throws Exception {
        Path dir = workDir.resolve("login-module");
        deleteRecursively(dir);
        Path classes = dir.resolve("classes");
        TestCompiler.compile(javaFiles(basedir.resolve("src/it/relocation")), List.of(pluginJar.toString()), classes);
        Process check = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classes + java.io.File.pathSeparator + pluginJar, "LoginModuleCheck")
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(CHILD_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), output);
        assertEquals(0, check.exitValue(), output);
        assertTrue(output.contains("PRODUCER CREATED"), output);
        assertTrue(output.contains("STANDARD NAME ABSENT"), "only the name mapping can have found the module: " + output);
    }

    /**
     * Kafka's {@code org.apache.kafka.sasl.oauthbearer.allowed.urls}, read by the relocated client
     * under that name: an OAuth token endpoint (http:, or a file: URL holding the token) not listed
     * is refused naming the property; one listed passes that check (and then fails further on:
     * nothing listens there, the file holds no JWT).
     */
    @Test
    void theOAuthAllowedUrlsPropertyAppliesUnderItsStandardName() throws Exception {
        Path dir = workDir.resolve("oauth-resources");
        deleteRecursively(dir);
        Path classes = dir.resolve("classes");
        TestCompiler.compile(javaFiles(basedir.resolve("src/it/relocation")), List.of(pluginJar.toString()), classes);
        Path tokenFile = Files.writeString(Files.createDirectories(dir).resolve("token.jwt"), "not-a-token");
        String property = "org.apache.kafka.sasl.oauthbearer.allowed.urls";
        for (String endpoint : List.of("http://127.0.0.1:" + Ports.closed() + "/token", tokenFile.toUri().toString())) {
            String refused = oauthCheck(classes, endpoint);
            assertTrue(refused.startsWith("REFUSED") && refused.contains("Update the system property '" + property + "'"), refused);
            String allowed = oauthCheck(classes, endpoint, "-D" + property + "=" + endpoint);
            assertFalse(allowed.contains(property), allowed);
        }
    }

    /** What OAuthResourceCheck printed for the token endpoint {@code endpoint}, run on the jar alone with {@code options}. */
    private static String oauthCheck(Path classes, String endpoint, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", classes + java.io.File.pathSeparator + pluginJar, "OAuthResourceCheck", endpoint));
        Process check = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS), output);
        assertTrue(output.contains("REFUSED") || output.contains("PRODUCER CREATED"), command + "\n" + output);
        return output.lines().filter(line -> line.startsWith("REFUSED") || line.startsWith("PRODUCER")).findFirst().orElse(output);
    }

    // --- helpers -----------------------------------------------------------------------------------

    private static void writeModule(Path classes, String name, String parent) throws IOException {
        Path folder = Files.createDirectories(classes.resolve("META-INF/cloudstack/" + name));
        Files.writeString(folder.resolve("module.properties"), "name=" + name + "\nparent=" + parent + "\n");
    }

    private static List<Path> javaFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
    }

    private static List<String> jars(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".jar")).sorted().map(Path::toString).collect(Collectors.toList());
        }
    }

    private static int seqOf(JsonNode description) {
        if (description.isObject()) {
            return description.get("seq").asInt();
        }
        Matcher m = Pattern.compile("seq=(\\d+)").matcher(description.asText());
        assertTrue(m.find(), "no seq in " + description);
        return Integer.parseInt(m.group(1));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : utf8(header.value());
    }

    private static String utf8(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static String tail(String text) {
        List<String> lines = text.lines().collect(Collectors.toList());
        int from = Math.max(0, lines.size() - 60);
        return (from > 0 ? "[" + from + " lines before]\n" : "") + String.join("\n", lines.subList(from, lines.size())) + "\n";
    }

    private static String readIfThere(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        assertNotNull(value, "system property " + property + " (set by the failsafe configuration in pom.xml)");
        return value;
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
