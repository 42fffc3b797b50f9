package io.kafkabus.cloudstack.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;

/**
 * One KRaft node (broker and controller) in a JVM of its own, run from the Kafka jars on the test
 * class path, with a listener per security mode, each on 127.0.0.1:
 * <ul>
 * <li>{@code TLS}: SSL, server authentication only;</li>
 * <li>{@code MTLS}: SSL with {@code ssl.client.auth=required} (clients show a certificate of {@link #authority()});</li>
 * <li>{@code SASL_TLS}: SASL_SSL with PLAIN ({@link #PLAIN_USER}), SCRAM-SHA-256 and -512 (users made with
 * {@link #setScramPassword} through the Admin API), and OAUTHBEARER when started with a {@link TokenEndpoint};</li>
 * <li>any number of further SSL listeners with key stores of their own (a wrong certificate, say), and</li>
 * <li>{@code INTERNAL}: PLAINTEXT, for the broker's own traffic and the tests' Admin.</li>
 * </ul>
 * The broker's certificate is for {@code localhost} and {@code 127.0.0.1}. Its own process, so that the
 * security system properties it needs (OAuth's allowed URLs) and its restarts stay apart from the tests'.
 */
public final class SecureBroker implements AutoCloseable {
    public static final String STORE_PASSWORD = "store-pass-4b1e";
    public static final String PLAIN_USER = "plain-tenant";
    public static final String PLAIN_PASSWORD = "plain-secret-7c2d";
    public static final String TLS = "TLS";
    public static final String MTLS = "MTLS";
    public static final String SASL_TLS = "SASL_TLS";
    public static final String INTERNAL = "INTERNAL";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final TestPki authority;
    private final Path trustStore;
    private final Map<String, Integer> ports;
    private final Path serverProperties;
    private final List<String> jvmOptions;
    private Process process;

    private SecureBroker(Path dir, TestPki authority, Path trustStore, Map<String, Integer> ports, Path serverProperties,
                         List<String> jvmOptions) {
        this.dir = dir;
        this.authority = authority;
        this.trustStore = trustStore;
        this.ports = ports;
        this.serverProperties = serverProperties;
        this.jvmOptions = jvmOptions;
    }

    /** Starts a broker with the listeners above; {@code oauth} may be null (no OAUTHBEARER). */
    public static SecureBroker start(Path dir, TokenEndpoint oauth) {
        return start(dir, TestPki.authority("Test CA " + dir.getFileName()), oauth, Map.of());
    }

    /**
     * As {@link #start(Path, TokenEndpoint)}, the broker's certificate signed by {@code authority}, with
     * further SSL listeners, each named by a key of {@code ownKeyStores} and presenting the PKCS#12 store
     * ({@link #STORE_PASSWORD}) its value names. The files are read again at {@link #restart()}: replace
     * them to give the listener another certificate.
     */
    public static SecureBroker start(Path dir, TestPki authority, TokenEndpoint oauth, Map<String, Path> ownKeyStores) {
        try {
            Files.createDirectories(dir);
            Path keyStore = authority.issue("broker", "localhost", "127.0.0.1").keyStore(dir.resolve("broker.p12"), STORE_PASSWORD);
            Path trustStore = authority.trustStore(dir.resolve("ca.p12"), STORE_PASSWORD);
            Map<String, String> protocols = new LinkedHashMap<>();
            protocols.put(INTERNAL, "PLAINTEXT");
            protocols.put("CONTROLLER", "PLAINTEXT");
            protocols.put(TLS, "SSL");
            protocols.put(MTLS, "SSL");
            protocols.put(SASL_TLS, "SASL_SSL");
            ownKeyStores.keySet().forEach(name -> protocols.put(name, "SSL"));
            Map<String, Integer> ports = new LinkedHashMap<>();
            protocols.keySet().forEach(name -> ports.put(name, Ports.closed()));

            Properties config = new Properties();
            config.put("process.roles", "broker,controller");
            config.put("node.id", "1");
            config.put("controller.quorum.voters", "1@127.0.0.1:" + ports.get("CONTROLLER"));
            config.put("controller.listener.names", "CONTROLLER");
            config.put("inter.broker.listener.name", INTERNAL);
            config.put("listeners", ports.entrySet().stream().map(e -> e.getKey() + "://127.0.0.1:" + e.getValue())
                    .collect(Collectors.joining(",")));
            config.put("advertised.listeners", ports.entrySet().stream().filter(e -> !e.getKey().equals("CONTROLLER"))
                    .map(e -> e.getKey() + "://127.0.0.1:" + e.getValue()).collect(Collectors.joining(",")));
            config.put("listener.security.protocol.map", protocols.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                    .collect(Collectors.joining(",")));
            config.put("log.dirs", dir.resolve("data").toString());
            config.put("offsets.topic.replication.factor", "1");
            config.put("transaction.state.log.replication.factor", "1");
            config.put("transaction.state.log.min.isr", "1");
            config.put("group.initial.rebalance.delay.ms", "0");
            // The 128 MiB default runs a small heap out of memory at start.
            config.put("log.cleaner.dedupe.buffer.size", "2097152");
            config.put("ssl.keystore.type", "PKCS12");
            config.put("ssl.keystore.location", keyStore.toString());
            config.put("ssl.keystore.password", STORE_PASSWORD);
            config.put("ssl.truststore.type", "PKCS12");
            config.put("ssl.truststore.location", trustStore.toString());
            config.put("ssl.truststore.password", STORE_PASSWORD);
            config.put("listener.name.mtls.ssl.client.auth", "required");
            ownKeyStores.forEach((name, store) -> config.put("listener.name." + name.toLowerCase(Locale.ROOT)
                    + ".ssl.keystore.location", store.toString()));
            String sasl = "listener.name." + SASL_TLS.toLowerCase(Locale.ROOT) + ".";
            config.put("sasl.enabled.mechanisms", oauth == null ? "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512"
                    : "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER");
            config.put(sasl + "plain.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required user_"
                    + PLAIN_USER + "=\"" + PLAIN_PASSWORD + "\";");
            for (String scram : List.of("scram-sha-256", "scram-sha-512")) {
                config.put(sasl + scram + ".sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            }
            List<String> jvmOptions = new ArrayList<>();
            if (oauth != null) {
                config.putAll(oauth.brokerSettings(SASL_TLS));
                jvmOptions.add("-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=" + oauth.allowedUrls());
            }
            Path serverProperties = dir.resolve("server.properties");
            try (var out = Files.newBufferedWriter(serverProperties)) {
                config.store(out, "SecureBroker");
            }
            format(serverProperties);
            SecureBroker broker = new SecureBroker(dir, authority, trustStore, ports, serverProperties, jvmOptions);
            broker.launch();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void format(Path serverProperties) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit = kafka.tools.StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
                serverProperties.toString()}, new PrintStream(output, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IllegalStateException("cannot format the broker's storage: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + dir,
                "-Dslf4j.provider=io.kafkabus.cloudstack.demo.ConsoleLogging", "-Dconsole.log.other=WARN"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "kafka.Kafka", serverProperties.toString()));
        Path log = dir.resolve("broker.log");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            Conditions.await(() -> !process.isAlive() || ready(), START_TIMEOUT, "the broker ready");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (AssertionError e) {
            // Reported below, with the broker's log.
        }
        if (!process.isAlive() || !ready()) {
            process.destroyForcibly();
            throw new IllegalStateException("the broker did not start; its log:\n" + Files.readString(log));
        }
    }

    /** Ready once the broker answers Admin requests on its internal listener (the others open before it). */
    private boolean ready() {
        for (int port : ports.values()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            } catch (IOException e) {
                return false;
            }
        }
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** {@code 127.0.0.1:port} of the listener named {@code listener}. */
    public String bootstrapServers(String listener) {
        return "127.0.0.1:" + ports.get(listener);
    }

    /** The authority that signed the broker's certificate, to issue client certificates with. */
    public TestPki authority() {
        return authority;
    }

    /** A PKCS#12 trust store ({@link #STORE_PASSWORD}) holding {@link #authority()}'s certificate. */
    public Path trustStore() {
        return trustStore;
    }

    /** An Admin client on the internal listener: no security, full rights. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(INTERNAL),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000"));
    }

    /** Creates (or changes the password of) SCRAM user {@code user} for {@code mechanism}, as {@code kafka-configs.sh} does. */
    public void setScramPassword(ScramMechanism mechanism, String user, String password) {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(mechanism, 4096), password))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set the SCRAM credentials of " + user, e);
        }
    }

    public void createTopic(String topic) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic, e);
        }
    }

    /** Stops the broker process and starts it again on the same ports, reading its key stores anew. */
    public void restart() {
        stopProcess();
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stopProcess() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stopProcess();
    }
}
