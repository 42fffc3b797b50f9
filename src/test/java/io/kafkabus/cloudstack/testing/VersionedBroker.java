package io.kafkabus.cloudstack.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Utils;

/**
 * One Kafka broker of a given release in a process of its own, run from that release's jars as
 * Maven Central has them (copied to {@code <jars>/<version>/} by the {@code broker-matrix} profile,
 * see {@code src/test/brokers/pom.xml}). From 3.0 it is one KRaft node (broker and controller);
 * before, a ZooKeeper process runs beside it. Both bind 127.0.0.1 only, on ports fixed for the
 * broker's life (a restarted broker is back where its clients look for it), and keep their data and
 * logs in the directory given. Processes are ended by their own handles, never by name.
 */
public final class VersionedBroker implements TestKafka, AutoCloseable {
    /** How long a process may take to answer after launch; seen: 3-10 s on 2 busy cores. */
    private static final Duration READY = Duration.ofSeconds(90);
    private static final Duration STOP = Duration.ofSeconds(60);

    private final String version;
    private final Path jars;
    private final Path dir;
    private final int port;
    private final Process zookeeper;
    private Process broker;

    private VersionedBroker(String version, Path jars, Path dir, int port, Process zookeeper) {
        this.version = version;
        this.jars = jars;
        this.dir = dir;
        this.port = port;
        this.zookeeper = zookeeper;
    }

    /**
     * Starts Kafka {@code version} from the jars under {@code jarsRoot/version}, its files under
     * {@code dir} (emptied first); returns once it answers an Admin client.
     */
    public static VersionedBroker start(String version, Path jarsRoot, Path dir) throws IOException, InterruptedException {
        return start(version, jarsRoot, dir, Map.of());
    }

    /** As {@link #start(String, Path, Path)}, with broker settings of the test's own (an authorizer, say). */
    public static VersionedBroker start(String version, Path jarsRoot, Path dir, Map<String, String> brokerSettings)
            throws IOException, InterruptedException {
        Path jars = jarsRoot.resolve(version);
        if (!Files.isDirectory(jars)) {
            throw new IllegalStateException("no jars of Kafka " + version + " in " + jars + ": run with -Pbroker-matrix");
        }
        Utils.delete(dir.toFile());
        Files.createDirectories(dir);
        int port = Ports.closed();
        Properties settings = new Properties();
        settings.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        settings.put("log.dirs", dir.resolve("data").toString());
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("group.initial.rebalance.delay.ms", "0");
        // The 128 MiB default runs the small heap below out of memory at start.
        settings.put("log.cleaner.dedupe.buffer.size", "2097152");
        int metadataPort = Ports.closed(); // ZooKeeper's, or the KRaft controller's
        Process zookeeper = usesZooKeeper(version) ? startZooKeeper(jars, dir, metadataPort) : null;
        VersionedBroker started = new VersionedBroker(version, jars, dir, port, zookeeper);
        try {
            if (zookeeper != null) {
                awaitListening(zookeeper, metadataPort, "ZooKeeper of Kafka " + version, dir.resolve("zookeeper.log"));
                settings.put("broker.id", "0");
                settings.put("listeners", "PLAINTEXT://127.0.0.1:" + port);
                settings.put("zookeeper.connect", "127.0.0.1:" + metadataPort);
            } else {
                settings.put("process.roles", "broker,controller");
                settings.put("node.id", "1");
                settings.put("controller.quorum.voters", "1@127.0.0.1:" + metadataPort);
                settings.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + metadataPort);
                settings.put("controller.listener.names", "CONTROLLER");
                settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            }
            settings.putAll(brokerSettings);
            Path serverFile = write(settings, dir.resolve("server.properties"));
            if (zookeeper == null) {
                format(jars, dir, serverFile);
            }
            started.startBroker();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            started.close();
            throw e;
        }
        return started;
    }

    /** Releases before 3.0 have no KRaft mode: they run on ZooKeeper. */
    private static boolean usesZooKeeper(String version) {
        return Integer.parseInt(version.substring(0, version.indexOf('.'))) < 3;
    }

    private static Process startZooKeeper(Path jars, Path dir, int port) throws IOException {
        Properties settings = new Properties();
        settings.put("dataDir", dir.resolve("zookeeper").toString());
        settings.put("clientPort", Integer.toString(port));
        settings.put("clientPortAddress", "127.0.0.1");
        settings.put("admin.enableServer", "false");
        settings.put("maxClientCnxns", "0");
        // ZooKeeper's JMX set-up wants log4j 1.2, which Kafka's pom leaves out.
        return launch(jars, dir.resolve("zookeeper.log"), List.of("-Xmx64m", "-Dzookeeper.jmx.log4j.disable=true"),
                "org.apache.zookeeper.server.ZooKeeperServerMain", write(settings, dir.resolve("zookeeper.properties")).toString());
    }

    private static void format(Path jars, Path dir, Path serverFile) throws IOException, InterruptedException {
        Path log = dir.resolve("format.log");
        Process tool = launch(jars, log, List.of("-Xmx128m"), "kafka.tools.StorageTool", "format",
                "-t", Uuid.randomUuid().toString(), "-c", serverFile.toString());
        if (!tool.waitFor(READY.toSeconds(), TimeUnit.SECONDS) || tool.exitValue() != 0) {
            tool.destroyForcibly();
            throw new IllegalStateException("formatting the storage failed:\n" + Files.readString(log));
        }
    }

    public String version() {
        return version;
    }

    /** Whether this broker keeps its metadata in ZooKeeper (a process beside it) rather than KRaft. */
    public boolean onZooKeeper() {
        return zookeeper != null;
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /**
     * Stops the broker process (SIGTERM: a clean shutdown, so a ZooKeeper broker gives up its
     * registration) and waits for it to exit: its port refuses connections until {@link #startBroker}.
     */
    public void stopBroker() throws InterruptedException {
        beginStop();
        awaitStopped();
    }

    /** Sends the broker process SIGTERM and returns at once: it shuts down while its clients go on. */
    public void beginStop() {
        broker.destroy();
    }

    /** Waits for the broker process to exit (after {@link #beginStop}), forcibly past a bound. */
    public void awaitStopped() throws InterruptedException {
        if (!broker.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
            broker.destroyForcibly().waitFor();
        }
    }

    /** Starts the broker process, on the same port and data; returns once it answers an Admin client. */
    public void startBroker() throws IOException, InterruptedException {
        Path log = dir.resolve("broker.log");
        broker = launch(jars, log, List.of("-Xmx256m"), "kafka.Kafka", dir.resolve("server.properties").toString());
        try (Admin admin = admin()) {
            awaitAlive(broker, () -> answers(admin), "Kafka " + version + " answering on " + bootstrapServers(), log);
        }
    }

    @Override
    public void createTopic(String topic, int partitions) {
        try (Admin admin = admin()) {
            KafkaTopics.create(admin, topic, partitions, (short) 1, Map.of());
        }
    }

    /** As {@link KafkaTopics#consume(String, String, int, Duration)}, from this broker. */
    @Override
    public List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected, Duration timeout) {
        return KafkaTopics.consume(bootstrapServers(), topic, expected, timeout);
    }

    /** The broker's own log so far, for a failure's message. */
    public String log() {
        return tail(dir.resolve("broker.log"));
    }

    /** Stops the broker and its ZooKeeper, if any; an interrupt is kept for the caller to see. */
    @Override
    public void close() {
        try {
            if (broker != null && broker.isAlive()) {
                stopBroker();
            }
            if (zookeeper != null) {
                zookeeper.destroy();
                if (!zookeeper.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
                    zookeeper.destroyForcibly().waitFor();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An Admin client of this broker, with short timeouts. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000", AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000"));
    }

    private static boolean answers(Admin admin) {
        try {
            return !admin.describeCluster().nodes().get().isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false; // not up yet
        }
    }

    private static Process launch(Path jars, Path log, List<String> jvmOptions, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(jars.resolve("*").toString());
        command.add(mainClass);
        command.addAll(List.of(args));
        Files.writeString(log, String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static void awaitListening(Process process, int port, String what, Path log) throws InterruptedException {
        awaitAlive(process, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        }, what + " listening on " + port, log);
    }

    /** Waits for {@code ready}, failing at once with the process's log if the process ends first. */
    private static void awaitAlive(Process process, BooleanSupplier ready, String what, Path log)
            throws InterruptedException {
        Conditions.await(() -> {
            if (!process.isAlive()) {
                throw new AssertionError(what + ": the process exited with " + process.exitValue() + "\n" + tail(log));
            }
            return ready.getAsBoolean();
        }, READY, what);
    }

    private static Path write(Properties settings, Path file) throws IOException {
        try (java.io.Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            settings.store(out, "written by " + VersionedBroker.class.getName());
        }
        return file;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

}
