package io.kafkabus.cloudstack.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.cloudstack.framework.events.Event;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.KafkaEventBus;
import io.kafkabus.cloudstack.testing.Conditions;
import io.kafkabus.cloudstack.testing.KafkaCluster;
import io.kafkabus.cloudstack.testing.SampleDescriptions;
import io.kafkabus.cloudstack.testing.TokenEndpoint;

/**
 * The built jar's relocated Kafka client logging in to a SASL/PLAIN broker (through
 * {@code java -jar <plugin jar> check}, which logs in as the bus does) with settings written as
 * Kafka's documentation writes them: the JAAS text kept out of the properties file by Kafka's
 * {@code file}, {@code env} and {@code directory} config providers, and Kafka's JVM-wide security
 * properties under their standard names and with standard class names.
 */
class RelocatedSecurityIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String PLAIN_LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String FILE_PROVIDER = "org.apache.kafka.common.config.provider.FileConfigProvider";
    private static final String JAAS = KafkaCluster.saslPlainClient(KafkaCluster.SASL_PASSWORD).get("sasl.jaas.config");
    /**
     * Every class-valued setting of the bus's clients (producer, admin, consumers) for which Kafka ships a
     * class, with one such class by its standard name. The login module of {@code sasl.jaas.config} and
     * {@code config.providers.<name>.class} are in the same run (the JAAS text read through the
     * FileConfigProvider); {@code key.serializer} and {@code value.serializer} the bus sets itself.
     */
    static final Map<String, String> STANDARD_CLASSES = standardClasses();
    private static KafkaCluster sasl;

    @TempDir
    Path dir;

    private static Map<String, String> standardClasses() {
        Map<String, String> classes = new LinkedHashMap<>();
        classes.put("sasl.login.class", "org.apache.kafka.common.security.authenticator.DefaultLogin");
        classes.put("sasl.login.callback.handler.class", "org.apache.kafka.common.security.authenticator.AbstractLogin$DefaultLoginCallbackHandler");
        classes.put("sasl.client.callback.handler.class", "org.apache.kafka.common.security.authenticator.SaslClientCallbackHandler");
        classes.put("sasl.oauthbearer.jwt.retriever.class", "org.apache.kafka.common.security.oauthbearer.DefaultJwtRetriever");
        classes.put("sasl.oauthbearer.jwt.validator.class", "org.apache.kafka.common.security.oauthbearer.DefaultJwtValidator");
        classes.put("ssl.engine.factory.class", "org.apache.kafka.common.security.ssl.DefaultSslEngineFactory");
        classes.put("partitioner.class", "org.apache.kafka.clients.producer.RoundRobinPartitioner");
        classes.put("metric.reporters", "org.apache.kafka.common.metrics.JmxReporter");
        return Collections.unmodifiableMap(classes);
    }

    @BeforeAll
    static void startBroker() {
        sasl = KafkaCluster.startSaslPlain();
    }

    @AfterAll
    static void stopBroker() {
        sasl.close();
    }

    /** A properties file for the SASL broker whose {@code sasl.jaas.config} is {@code jaas}, with {@code extra} settings. */
    private Path propertiesFile(String jaas, Map<String, String> extra) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>(KafkaCluster.saslPlainClient(KafkaCluster.SASL_PASSWORD));
        settings.put("sasl.jaas.config", jaas);
        settings.put("bootstrap.servers", sasl.bootstrapServers());
        settings.put("spool.dir", dir.resolve("spool").toString());
        settings.putAll(extra);
        StringBuilder text = new StringBuilder();
        settings.forEach((key, value) -> text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
        return Files.writeString(dir.resolve("kafka.producer.properties"), text);
    }

    /** The JAAS text in a secrets file of its own, read through Kafka's FileConfigProvider named by its standard name. */
    private Path jaasThroughFileProvider() throws IOException {
        Path secrets = Files.writeString(dir.resolve("kafka-secrets.properties"), "jaas=" + JAAS + "\n");
        return propertiesFile("${file:" + secrets + ":jaas}", Map.of("config.providers", "file",
                "config.providers.file.class", FILE_PROVIDER));
    }

    private static void assertLoggedIn(PluginCommand check) {
        assertEquals(0, check.exitCode, check.toString());
        assertTrue(check.out.contains("OK connected to Kafka cluster "), check.toString());
        assertFalse(check.out.contains(KafkaCluster.SASL_PASSWORD) || check.err.contains(KafkaCluster.SASL_PASSWORD), check.toString());
    }

    @Test
    void theJaasTextFromAFileProviderLogsIn() throws Exception {
        assertLoggedIn(PluginCommand.run(TIMEOUT, "check", jaasThroughFileProvider().toString()));
    }

    @Test
    void theJaasTextFromAnEnvironmentVariableLogsIn() throws Exception {
        Path file = propertiesFile("${env:KAFKA_EVENT_BUS_JAAS}", Map.of("config.providers", "env",
                "config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider"));
        assertLoggedIn(PluginCommand.run(TIMEOUT, List.of(), Map.of("KAFKA_EVENT_BUS_JAAS", JAAS), "check", file.toString()));
    }

    @Test
    void theJaasTextFromADirectoryOfSecretFilesLogsIn() throws Exception {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("jaas"), JAAS);
        Path file = propertiesFile("${directory:" + secrets + ":jaas}", Map.of("config.providers", "directory",
                "config.providers.directory.class", "org.apache.kafka.common.config.provider.DirectoryConfigProvider"));
        assertLoggedIn(PluginCommand.run(TIMEOUT, "check", file.toString()));
    }

    @Test
    void automaticConfigProvidersAllowsAndRefusesByStandardName() throws Exception {
        Path file = jaasThroughFileProvider();
        assertLoggedIn(PluginCommand.run(TIMEOUT, List.of("-Dorg.apache.kafka.automatic.config.providers=" + FILE_PROVIDER),
                Map.of(), "check", file.toString()));

        PluginCommand refused = PluginCommand.run(TIMEOUT, List.of("-Dorg.apache.kafka.automatic.config.providers="
                + "org.apache.kafka.common.config.provider.EnvVarConfigProvider"), Map.of(), "check", file.toString());
        assertEquals(1, refused.exitCode, refused.toString());
        assertTrue(refused.out.contains(FILE_PROVIDER + " is not allowed. Update System property "
                + "'org.apache.kafka.automatic.config.providers' to allow " + FILE_PROVIDER), refused.toString());
    }

    @Test
    void aLoginModuleDisallowedByItsStandardNameIsRefusedAndOneAllowedLogsIn() throws Exception {
        Path file = propertiesFile(JAAS, Map.of());
        PluginCommand refused = PluginCommand.run(TIMEOUT, List.of("-Dorg.apache.kafka.disallowed.login.modules=" + PLAIN_LOGIN_MODULE),
                Map.of(), "check", file.toString());
        assertEquals(1, refused.exitCode, refused.toString());
        assertTrue(refused.out.contains("invalid value [hidden] for 'sasl.jaas.config': " + PLAIN_LOGIN_MODULE + " is not allowed."),
                refused.toString());

        assertLoggedIn(PluginCommand.run(TIMEOUT, List.of("-Dorg.apache.kafka.allowed.login.modules=" + PLAIN_LOGIN_MODULE),
                Map.of(), "check", file.toString()));
        PluginCommand notAllowed = PluginCommand.run(TIMEOUT, List.of("-Dorg.apache.kafka.allowed.login.modules="
                + "org.apache.kafka.common.security.scram.ScramLoginModule"), Map.of(), "check", file.toString());
        assertEquals(1, notAllowed.exitCode, notAllowed.toString());
        assertTrue(notAllowed.out.contains(PLAIN_LOGIN_MODULE + " is not allowed. Update System property "
                + "'org.apache.kafka.allowed.login.modules' to allow " + PLAIN_LOGIN_MODULE), notAllowed.toString());
    }

    @Test
    void aDisallowedLoginModuleInAConfigProvidersTextIsRefusedToo() throws Exception {
        PluginCommand refused = PluginCommand.run(TIMEOUT, List.of("-Dorg.apache.kafka.disallowed.login.modules=" + PLAIN_LOGIN_MODULE),
                Map.of(), "check", jaasThroughFileProvider().toString());
        assertEquals(1, refused.exitCode, refused.toString());
        assertTrue(refused.out.contains(PLAIN_LOGIN_MODULE + " is not allowed."), refused.toString());
    }

    /**
     * Each class of {@link #STANDARD_CLASSES}, named as Kafka documents it, is taken by the relocated
     * client: {@code check --send-test-event} logs in (login class, callback handlers and login module
     * on its path), writes the test event (partitioner, metric reporter) and reads it back. Without
     * the bus's mapping each name is "could not be found" in the jar. The SSL engine factory and the
     * OAuth retriever and validator are only parsed and made here (SASL/PLAIN without TLS);
     * ServerClasspathIT's OAuth-over-TLS run uses them.
     */
    @Test
    void everyClassValuedSettingTakesKafkasStandardClassName() throws Exception {
        Path secrets = Files.writeString(dir.resolve("kafka-secrets.properties"), "jaas=" + JAAS + "\n");
        Map<String, String> settings = new LinkedHashMap<>(STANDARD_CLASSES);
        settings.putAll(Map.of("config.providers", "file", "config.providers.file.class", FILE_PROVIDER, "topic", "standard-classes"));
        sasl.createTopic("standard-classes", 1);
        PluginCommand check = PluginCommand.run(TIMEOUT, "check", propertiesFile("${file:" + secrets + ":jaas}", settings).toString(),
                "--send-test-event");
        assertLoggedIn(check);
        assertTrue(check.out.contains("OK test event ") && check.out.contains(" written to topic standard-classes partition ")
                && check.out.contains(" and read back"), check.toString());
    }

    /**
     * Kafka ships no producer interceptor and no {@code security.providers} creator: third-party ones,
     * built against Kafka's standard interfaces, are refused at start-up naming what to do, as the
     * callback handler of {@link #aThirdPartyCallbackHandlerWorksOnceRelocatedWithTheClient} is (which
     * also shows that rebuilding the jar with them inside works). Without the check the interceptor
     * failed every producer and the provider creator was skipped with an ERROR, on TLS connections only.
     */
    @Test
    void thirdPartyInterceptorsAndSecurityProvidersBuiltAgainstStandardNamesAreRefused() throws Exception {
        Path thirdParty = Paths.get(System.getProperty("basedir", ".")).resolve("src/it/thirdparty");
        Path serverKafkaClients = Paths.get(System.getProperty("server.lib")).resolve("kafka-clients-2.7.0.jar");
        Path standard = dir.resolve("standard");
        TestCompiler.compile(List.of(thirdParty.resolve("AuditInterceptor.java"), thirdParty.resolve("ProviderCreator.java")),
                List.of(serverKafkaClients.toString()), standard);
        Map<String, String> refusals = Map.of(
                "interceptor.classes", "AuditInterceptor is a org.apache.kafka.clients.producer.ProducerInterceptor",
                "security.providers", "ProviderCreator is a org.apache.kafka.common.security.auth.SecurityProviderCreator");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            String name = refusal.getValue().substring(0, refusal.getValue().indexOf(' '));
            PluginCommand refused = checkWithClassPath(propertiesFile(JAAS, Map.of(refusal.getKey(), name)), standard, serverKafkaClients);
            assertEquals(1, refused.exitCode, refused.toString());
            assertTrue(refused.out.contains("invalid value " + name + " for '" + refusal.getKey() + "': " + refusal.getValue()
                    + " of another Kafka client, not of the Kafka client inside the plugin, which is relocated and cannot use it; "
                    + "rebuild the plugin jar with that class inside, relocated too (README: Third-party login modules and callback "
                    + "handlers)"), refused.toString());
        }
    }

    /**
     * Kafka's {@code org.apache.kafka.sasl.oauthbearer.allowed.files}, read by the relocated client under
     * that name. It governs the files of the JWT-bearer grant ({@code sasl.oauthbearer.assertion.file},
     * {@code ...assertion.private.key.file}, {@code ...assertion.template.file}; a {@code file:} token or
     * JWKS URL is governed by {@code allowed.urls}): the assertion file is refused unless listed;
     * listed, the client reads it and sends it to the token endpoint (which refuses the grant: no
     * OAUTHBEARER broker is needed to see that).
     */
    @Test
    void theOAuthAllowedFilesPropertyAppliesUnderItsStandardName() throws Exception {
        String assertion = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJidXMifQ.c2lnbmVk";
        Path assertionFile = Files.writeString(dir.resolve("assertion.jwt"), assertion);
        String property = "org.apache.kafka.sasl.oauthbearer.allowed.files";
        try (TokenEndpoint endpoint = TokenEndpoint.start("not-this-grant", "unused")) {
            Path file = propertiesFile("org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;", Map.of(
                    "sasl.mechanism", "OAUTHBEARER",
                    "sasl.login.callback.handler.class", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler",
                    "sasl.oauthbearer.jwt.retriever.class", "org.apache.kafka.common.security.oauthbearer.JwtBearerJwtRetriever",
                    "sasl.oauthbearer.token.endpoint.url", endpoint.tokenUrl(),
                    "sasl.oauthbearer.assertion.file", assertionFile.toString()));
            String allowedUrls = "-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=" + endpoint.tokenUrl();

            PluginCommand refused = PluginCommand.run(TIMEOUT, List.of(allowedUrls), Map.of(), "check", file.toString());
            assertEquals(1, refused.exitCode, refused.toString());
            assertTrue(refused.out.contains("PROBLEM a Kafka client cannot be made with these settings: KafkaException: Failed to "
                    + "create new KafkaAdminClient (cause: ConfigException: The class "
                    + "org.apache.kafka.common.security.oauthbearer.JwtBearerJwtRetriever defined in the sasl.oauthbearer.jwt.retriever.class "
                    + "configuration encountered an error on configure(): Invalid value " + assertionFile + " for configuration "
                    + "sasl.oauthbearer.assertion.file: The file cannot be accessed due to restrictions. Update the system property '"
                    + property + "' to allow the file to be accessed.)"), refused.toString());
            assertEquals(List.of(), endpoint.requests, "requests before the file was allowed");

            PluginCommand allowed = PluginCommand.run(TIMEOUT, List.of(allowedUrls, "-D" + property + "=" + assertionFile),
                    Map.of(), "check", file.toString());
            assertFalse(allowed.out.contains(property), allowed.toString());
            assertTrue(endpoint.requests.stream().anyMatch(form -> form.contains("assertion=" + assertion)),
                    endpoint.requests + "\n" + allowed);
        }
    }

    /**
     * {@code check} and {@code tail} of a secured file, with the right password and a wrong one,
     * print no secret: neither the password nor the JAAS text nor a key-store password, nor the
     * session key of an async job's event that {@code tail --json} prints.
     */
    @Test
    void checkAndTailOfASecuredFilePrintNoSecret() throws Exception {
        Map<String, String> keyStorePasswords = Map.of("ssl.keystore.password", "ks-Secret-7391", "ssl.truststore.password",
                "ts-Secret-2284", "ssl.key.password", "key-Secret-5120");
        Map<String, String> extra = new LinkedHashMap<>(keyStorePasswords);
        extra.put("topic", "secured-cli");
        extra.put("topic.create", "true");
        Path right = propertiesFile(JAAS, extra);
        Instant before = Instant.now();
        KafkaEventBus bus = new KafkaEventBus();
        bus.setPropertiesFile(right.toString());
        bus.configure("kafkaEventBus", Map.of());
        bus.start();
        try {
            Event job = new Event("management-server", "AsyncJobEvent", "complete", "VirtualMachine", "vm-7");
            job.setDescription(SampleDescriptions.vpnUserAdded());
            bus.publish(job);
            Conditions.await(() -> bus.statistics().delivered() == 1, TIMEOUT, "the async job's event delivered");
        } finally {
            bus.stop();
        }
        List<PluginCommand> runs = new ArrayList<>();
        runs.add(PluginCommand.run(TIMEOUT, "check", right.toString(), "--send-test-event"));
        runs.add(PluginCommand.run(TIMEOUT, "tail", "--config", right.toString(), "--from", before.toString(), "--max", "1", "--json"));
        assertTrue(runs.get(1).out.contains("\"sessionkey\":\"[redacted]\""), runs.get(1).toString());
        String wrongJaas = KafkaCluster.saslPlainClient("Wr0ng-Pass-8843").get("sasl.jaas.config");
        Path wrong = propertiesFile(wrongJaas, extra);
        runs.add(PluginCommand.run(TIMEOUT, "check", wrong.toString()));
        runs.add(PluginCommand.run(TIMEOUT, "tail", "--config", wrong.toString()));
        assertEquals(List.of(0, 0, 1, 1), runs.stream().map(run -> run.exitCode).collect(Collectors.toList()), runs.toString());

        List<String> secrets = new ArrayList<>(List.of(KafkaCluster.SASL_PASSWORD, JAAS, "Wr0ng-Pass-8843", wrongJaas,
                SampleDescriptions.SESSION_KEY));
        secrets.addAll(keyStorePasswords.values());
        for (PluginCommand run : runs) {
            for (String secret : secrets) {
                assertFalse(run.out.contains(secret) || run.err.contains(secret), secret + " printed: " + run);
            }
        }
    }

    @Test
    void kafkasLoginModuleInTheJvmsJaasFileIsRefusedNamingWhatToDo() throws Exception {
        Path jaasFile = Files.writeString(dir.resolve("jaas.conf"), "KafkaClient {\n  " + JAAS.replace(";", "") + ";\n};\n");
        Map<String, String> settings = new LinkedHashMap<>(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "bootstrap.servers", sasl.bootstrapServers(), "spool.dir", dir.resolve("spool").toString()));
        StringBuilder text = new StringBuilder();
        settings.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Path file = Files.writeString(dir.resolve("kafka.producer.properties"), text);

        PluginCommand refused = PluginCommand.run(TIMEOUT, List.of("-Djava.security.auth.login.config=" + jaasFile), Map.of(),
                "check", file.toString());
        assertEquals(1, refused.exitCode, refused.toString());
        assertTrue(refused.out.contains("login module " + PLAIN_LOGIN_MODULE + " of the JVM's JAAS file (java.security.auth.login.config="
                + jaasFile + ") cannot be used by the Kafka client inside the plugin, which is relocated: set 'sasl.jaas.config' in "
                + "the properties file instead"), refused.toString());
    }

    /**
     * A third-party callback handler built against Kafka's standard interface (as AWS MSK IAM's is)
     * cannot serve the relocated client; the same handler built against the relocated names, as
     * rebuilding the plugin jar with it inside makes it (README, "Third-party login modules and
     * callback handlers"), logs in. The JAAS text holds a wrong password: only the handler knows the right one.
     */
    @Test
    void aThirdPartyCallbackHandlerWorksOnceRelocatedWithTheClient() throws Exception {
        Path source = Paths.get(System.getProperty("basedir", ".")).resolve("src/it/thirdparty/CredentialsCallbackHandler.java");
        Path standard = dir.resolve("standard");
        Path serverKafkaClients = Paths.get(System.getProperty("server.lib")).resolve("kafka-clients-2.7.0.jar");
        TestCompiler.compile(List.of(source), List.of(serverKafkaClients.toString()), standard);
        Path relocatedSource = Files.createDirectories(dir.resolve("relocated-src")).resolve("CredentialsCallbackHandler.java");
        Files.writeString(relocatedSource, Files.readString(source).replace("org.apache.kafka.", "io.kafkabus.cloudstack.shaded.kafka."));
        Path relocated = dir.resolve("relocated");
        TestCompiler.compile(List.of(relocatedSource), List.of(System.getProperty("plugin.jar")), relocated);
        Path file = propertiesFile(KafkaCluster.saslPlainClient("not-the-password").get("sasl.jaas.config"),
                Map.of("sasl.client.callback.handler.class", "CredentialsCallbackHandler"));

        // Beside the jar, with the server's kafka-clients 2.7.0 that the standard interface comes from.
        PluginCommand refused = checkWithClassPath(file, standard, serverKafkaClients);
        assertEquals(1, refused.exitCode, refused.toString());
        assertTrue(refused.out.contains("invalid value CredentialsCallbackHandler for 'sasl.client.callback.handler.class': "
                + "CredentialsCallbackHandler is a org.apache.kafka.common.security.auth.AuthenticateCallbackHandler of another Kafka "
                + "client, not of the Kafka client inside the plugin, which is relocated and cannot use it; rebuild the plugin jar "
                + "with that class inside, relocated too"), refused.toString());
        // Without the server's kafka-clients the standard interface is not there at all.
        PluginCommand alone = checkWithClassPath(file, standard);
        assertEquals(1, alone.exitCode, alone.toString());
        assertTrue(alone.out.contains("CredentialsCallbackHandler needs org.apache.kafka.common.security.auth.AuthenticateCallbackHandler, "
                + "a class of another Kafka client, not of the Kafka client inside the plugin"), alone.toString());

        assertLoggedIn(checkWithClassPath(file, relocated));
    }

    /** {@code check FILE} with {@code extra} on the class path after the plugin jar, and the handler's credentials. */
    private static PluginCommand checkWithClassPath(Path file, Path... extra) {
        List<String> classPath = new java.util.ArrayList<>(List.of(System.getProperty("plugin.jar")));
        for (Path entry : extra) {
            classPath.add(entry.toString());
        }
        return PluginCommand.runMain(TIMEOUT, String.join(java.io.File.pathSeparator, classPath),
                List.of("-Dthirdparty.user=" + KafkaCluster.SASL_USER, "-Dthirdparty.password=" + KafkaCluster.SASL_PASSWORD),
                "check", file.toString());
    }
}
