package io.kafkabus.cloudstack.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static io.kafkabus.cloudstack.jar.ServerRun.action;
import static io.kafkabus.cloudstack.jar.ServerRun.alert;
import static io.kafkabus.cloudstack.jar.ServerRun.plain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.event.ManagementServer;
import io.kafkabus.cloudstack.jar.ServerRun.Era;
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
 * the plugin jar ({@link ServerRun}: {@code src/it/java}'s harness plays the server, this test reads
 * back what reached the in-JVM broker and the server's log). BrokerMatrixIT runs the same against
 * broker processes of other Kafka releases.
 */
class ServerClasspathIT {
    /** The start of an entry of the harness server's log: its time stamp. */
    private static final Pattern LOG_ENTRY = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} ");
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static final int OUTAGE_LINES = 20;
    private static final String OAUTH_CLIENT = "jar-client";
    private static final String OAUTH_SECRET = "jar-client-secret-8e1f";

    private static Path pluginJar;
    private static KafkaCluster kafka;

    @BeforeAll
    static void locate() {
        pluginJar = ServerRun.pluginJar();
        kafka = KafkaCluster.shared();
    }

    @Test
    void cloudStack420LoadsTheJarsOwnEventModule() throws Exception {
        ServerRun run = new ServerRun(Era.CS_4_20, Era.CS_4_20.version, kafka);
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
        ServerRun run = new ServerRun(Era.CS_4_19, Era.CS_4_19.version, kafka);
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
            ServerRun run = new ServerRun(Era.CS_4_20, "4.20-sasl-file-provider", sasl);
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
        ServerRun run = new ServerRun(Era.CS_4_20, "4.20-outage", kafka);
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
    private static List<String> assertEachProblemLoggedOnce(ServerRun run, String what) {
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
            ServerRun run = oauthRun("4.20-oauth", oauth, broker);
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
                    run.topic, 2, ServerRun.CONSUME_TIMEOUT).size(), run.describe());
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
            ServerRun run = oauthRun("4.20-oauth-outage", oauth, broker);
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
    private static ServerRun oauthRun(String name, TokenEndpoint oauth, SecureBroker broker) throws IOException {
        ServerRun run = new ServerRun(Era.CS_4_20, name, kafka);
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
            ServerRun run = new ServerRun(Era.CS_4_20, "4.20-scram-rotation", kafka);
            run.readBack = false;
            broker.createTopic(run.topic);
            Path secrets = Files.createDirectories(run.dir.resolve("secrets")).resolve("kafka-secrets.properties");
            Files.writeString(secrets, "password=previous-scram-secret-c41d\n");
            run.jvmOptions.add("-Dharness.run.until.delivered.ms=" + ServerRun.CONSUME_TIMEOUT.toMillis());
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
                Conditions.await(() -> run.logSoFar().contains(refused), ServerRun.CHILD_TIMEOUT,
                        "the bus refused with the old password\n" + run.dir);
                Files.writeString(secrets, "password=rotated-scram-secret-2f7a\n");
            };
            run.execute();

            run.records = KafkaTopics.consume(Map.of("bootstrap.servers", broker.bootstrapServers(SecureBroker.INTERNAL)),
                    run.topic, run.events.size(), ServerRun.CONSUME_TIMEOUT);
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

    @Test
    void aLoginModuleNamedByItsStandardNameWorksInTheRelocatedClient() throws Exception {
        Path classes = relocationChecks(ServerRun.workDir().resolve("login-module"));
        Process check = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classes + java.io.File.pathSeparator + pluginJar, "LoginModuleCheck")
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(ServerRun.CHILD_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), output);
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
        Path dir = ServerRun.workDir().resolve("oauth-resources");
        Path classes = relocationChecks(dir);
        Path tokenFile = Files.writeString(Files.createDirectories(dir).resolve("token.jwt"), "not-a-token");
        String property = "org.apache.kafka.sasl.oauthbearer.allowed.urls";
        for (String endpoint : List.of("http://127.0.0.1:" + Ports.closed() + "/token", tokenFile.toUri().toString())) {
            String refused = oauthCheck(classes, endpoint);
            assertTrue(refused.startsWith("REFUSED") && refused.contains("Update the system property '" + property + "'"), refused);
            String allowed = oauthCheck(classes, endpoint, "-D" + property + "=" + endpoint);
            assertFalse(allowed.contains(property), allowed);
        }
    }

    /** The programs of src/it/relocation compiled against the jar alone, into {@code dir}/classes ({@code dir} emptied first). */
    private static Path relocationChecks(Path dir) throws IOException {
        Utils.delete(dir.toFile());
        Path classes = dir.resolve("classes");
        TestCompiler.compile(TestCompiler.sources(ServerRun.basedir().resolve("src/it/relocation")), List.of(pluginJar.toString()), classes);
        return classes;
    }

    /** What OAuthResourceCheck printed for the token endpoint {@code endpoint}, run on the jar alone with {@code options}. */
    private static String oauthCheck(Path classes, String endpoint, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", classes + java.io.File.pathSeparator + pluginJar, "OAuthResourceCheck", endpoint));
        Process check = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(ServerRun.CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS), output);
        assertTrue(output.contains("REFUSED") || output.contains("PRODUCER CREATED"), command + "\n" + output);
        return output.lines().filter(line -> line.startsWith("REFUSED") || line.startsWith("PRODUCER")).findFirst().orElse(output);
    }
}
