package io.kafkabus.cloudstack.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
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

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Utils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.kafkabus.cloudstack.testing.TestKafka;

/**
 * One run of the built jar in a simulated management server: a child JVM whose class path is what
 * the server would give (its kafka-clients 2.7.0 with its slf4j-api and lz4, Jackson 2.13 and
 * Spring 5.3 from {@code server.lib}, the era's logging back end, the era's CloudStack API classes,
 * a config directory like {@code /etc/cloudstack/management}, and the plugin jar), in which
 * {@code src/it/java}'s harness plays the server (module loading, lifecycle, publishing) with its
 * bus sending to any {@link TestKafka}; then what reached Kafka and the server's log, for the test
 * to check. Its files are under {@code target/it-server-classpath/<name>/}.
 */
final class ServerRun {
    static final Duration CHILD_TIMEOUT = Duration.ofMinutes(3);
    private static final String SINCE_4_20 = "// since 4.20";
    static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Era, List<Path>> COMPILED = new EnumMap<>(Era.class);

    final Era era;
    final Path dir;
    final TestKafka kafka;
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

    /** Something the test does to the running server's surroundings, as an operator would. */
    @FunctionalInterface
    interface OperatorAction {
        void run() throws Exception;
    }

    /** A run named {@code name} (its directory under target/it-server-classpath) whose bus sends to {@code kafka}. */
    ServerRun(Era era, String name, TestKafka kafka) throws IOException {
        this.era = era;
        this.kafka = kafka;
        this.dir = workDir().resolve(name);
        this.loggingConfig = era.loggingConfig();
        this.topic = "it-server-classpath-" + era.version.replace('.', '-') + "-" + UUID.randomUUID().toString().substring(0, 8);
        Utils.delete(dir.toFile());
        Files.createDirectories(dir);
        producerProperties.put("bootstrap.servers", kafka.bootstrapServers());
        producerProperties.put("topic", topic);
        producerProperties.put("spool.dir", dir.resolve("spool").toString());
        producerProperties.put("stop.timeout.ms", "30000");
        producerProperties.put("linger.ms", "5");
    }

    void execute() throws Exception {
        long started = System.nanoTime();
        List<Path> compiled = compiled(era);
        Path api = compiled.get(0);
        Path harness = compiled.get(1);
        Path conf = writeConfigDirectory();
        Path eventsFile = dir.resolve("events.txt");
        Files.write(eventsFile, events.stream().map(Spec::line).collect(Collectors.toList()), StandardCharsets.UTF_8);
        kafka.createTopic(topic, 3);
        long setUp = System.nanoTime();

        List<String> classpath = new ArrayList<>();
        classpath.add(conf.toString());
        classpath.add(api.toString());
        classpath.addAll(jars(serverLib()));
        classpath.addAll(jars(serverLib().resolve(era.loggingDir)));
        classpath.add(harness.toString());
        classpath.add(pluginJar().toString());
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
        childMillis = TimeUnit.NANOSECONDS.toMillis(ran - setUp);
        System.out.printf(Locale.ROOT, "ServerRun %s (CloudStack %s): compile+set-up %d ms, harness JVM %d ms, read back %d ms; %s; %s%n",
                dir.getFileName(), era.version, TimeUnit.NANOSECONDS.toMillis(setUp - started), childMillis,
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

    /**
     * The era's API classes and the harness compiled against them, under
     * {@code target/it-server-classpath/classes-<era>/}: the same for every run of the era, so
     * compiled once per test JVM.
     */
    private static synchronized List<Path> compiled(Era era) throws IOException {
        List<Path> classes = COMPILED.get(era);
        if (classes == null) {
            Path root = workDir().resolve("classes-" + era.version);
            Utils.delete(root.toFile());
            Path api = compileApi(era, root);
            classes = List.of(api, compileHarness(api, root));
            COMPILED.put(era, classes);
        }
        return classes;
    }

    /** The era's CloudStack API classes, plus the module definitions the era's server jar has. */
    private static Path compileApi(Era era, Path root) throws IOException {
        Path sources = basedir().resolve("src/cloudstack-api/java");
        if (era == Era.CS_4_19) {
            Path stripped = root.resolve("api-src");
            for (Path source : TestCompiler.sources(sources)) {
                Path target = stripped.resolve(sources.relativize(source).toString());
                Files.createDirectories(target.getParent());
                List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8).stream()
                        .filter(line -> !line.contains(SINCE_4_20)).collect(Collectors.toList());
                Files.write(target, lines, StandardCharsets.UTF_8);
            }
            sources = stripped;
        }
        Path classes = root.resolve("api-classes");
        TestCompiler.compile(TestCompiler.sources(sources), List.of(), classes);
        writeModule(classes, "core", "");
        if (era == Era.CS_4_20) {
            writeModule(classes, "event", "core");
        }
        return classes;
    }

    private static Path compileHarness(Path api, Path root) throws IOException {
        List<String> classpath = new ArrayList<>();
        classpath.add(api.toString());
        classpath.addAll(jars(serverLib()).stream().filter(j -> j.contains("spring-")).collect(Collectors.toList()));
        classpath.addAll(jars(serverLib().resolve("log4j2")));
        classpath.addAll(jars(serverLib().resolve("log4j1")));
        Path classes = root.resolve("harness-classes");
        TestCompiler.compile(TestCompiler.sources(basedir().resolve("src/it/java")), classpath, classes);
        return classes;
    }

    private Path writeConfigDirectory() throws IOException {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        StringBuilder properties = new StringBuilder("# written by ServerRun\n");
        producerProperties.forEach((k, v) -> properties.append(k).append('=').append(v).append('\n'));
        Files.writeString(conf.resolve("kafka.producer.properties"), properties.toString());
        Files.copy(basedir().resolve("src/it/resources").resolve(loggingConfig), conf.resolve(era.loggingConfig()));
        if (era == Era.CS_4_19) {
            // What the admin copies to /etc/cloudstack/management/META-INF/cloudstack/core/ on 4.19 and earlier.
            Path core = Files.createDirectories(conf.resolve("META-INF/cloudstack/core"));
            Files.copy(basedir().resolve("META-INF/cloudstack/core/spring-event-bus-context.xml"), core.resolve("spring-event-bus-context.xml"));
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

    /** The project's directory. */
    static Path basedir() {
        return Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    }

    /** The built (shaded) plugin jar, as the failsafe configuration in pom.xml names it. */
    static Path pluginJar() {
        Path jar = Paths.get(required("plugin.jar"));
        assertTrue(Files.isRegularFile(jar), "built jar not found: " + jar);
        return jar;
    }

    /** The management server's own jars (kafka-clients 2.7.0, Jackson, Spring; a folder per logging back end). */
    private static Path serverLib() {
        Path lib = Paths.get(required("server.lib"));
        assertTrue(Files.isDirectory(lib), "server class path not copied: " + lib);
        return lib;
    }

    static Path workDir() {
        return basedir().resolve("target").resolve("it-server-classpath");
    }

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

    static Spec action(String phase, String type, String resourceType, String uuid, int seq, String status) {
        String description = "{\"user\":\"u-admin\",\"account\":\"a-admin\",\"event\":\"" + type + "\",\"status\":\"" + status
                + "\",\"entity\":\"" + resourceType + "\",\"entityuuid\":\"" + uuid + "\",\"description\":\"seq " + seq
                + "\",\"eventDateTime\":\"2026-11-22 10:00:0" + (seq % 10) + " +0000\",\"seq\":" + seq + "}";
        return new Spec(phase, "ActionEvent", type, resourceType, uuid, description, seq);
    }

    static Spec alert(String phase, String type, int seq) {
        String description = "{\"event\":\"" + type + "\",\"dataCenterId\":1,\"podId\":null,\"subject\":\"alert seq " + seq
                + "\",\"body\":\"\",\"eventDateTime\":\"2026-11-22 10:00:00 +0000\",\"seq\":" + seq + "}";
        return new Spec(phase, "AlertEvent", type, null, null, description, seq);
    }

    /** A description that is not JSON: the envelope keeps it as text. */
    static Spec plain(String phase, String category, String type, String resourceType, String uuid, int seq) {
        return new Spec(phase, category, type, resourceType, uuid, "not json: seq=" + seq + " \"quoted\"\ttab", seq);
    }

    private static void writeModule(Path classes, String name, String parent) throws IOException {
        Path folder = Files.createDirectories(classes.resolve("META-INF/cloudstack/" + name));
        Files.writeString(folder.resolve("module.properties"), "name=" + name + "\nparent=" + parent + "\n");
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
}
