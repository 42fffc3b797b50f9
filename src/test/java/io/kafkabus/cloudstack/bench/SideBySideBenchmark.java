package io.kafkabus.cloudstack.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.kafkabus.cloudstack.demo.ClasspathFork;
import io.kafkabus.cloudstack.demo.EmbeddedDemo;

/**
 * The bus beside a bare KafkaProducer (the ceiling) and a producer used the way upstream's bus
 * uses it, in one run against one real local broker (in a JVM of its own), each timed from its
 * first publish until a consumer has read its last record. Rows: 1 and 16 publishing threads,
 * events of about 700 B and 5 KB, the bus with {@code spool.fsync} interval and always, with the
 * broker up and with it down (then the rate is the drain's, from the broker's restart). Then a
 * 1,000,000-event outage. Writes {@code side-by-side.md} and {@code .csv}, {@code outage.csv}
 * under {@code target/benchmark}. Run with {@code mvn -q test-compile exec:exec@bench}; see
 * {@link Settings} for what the environment can change.
 */
public final class SideBySideBenchmark {
    private static final Duration PATIENCE = Duration.ofMinutes(10);
    private static final int PARTITIONS = 3;

    /** Environment variables (or the system properties of the same name) that change the run. */
    private static final class Settings {
        /** Events per measured row of ~700 B events; 5 KB rows publish a quarter, fsync=always with one thread a tenth. */
        final int events = number("BENCH_EVENTS", 200_000);
        /** Events published (and delivered) before each row's measurement, scaled like {@link #events}. */
        final int warmup = number("BENCH_WARMUP", 20_000);
        /** Events of the outage run; 0 skips it. */
        final int outageEvents = number("BENCH_OUTAGE_EVENTS", 1_000_000);
        /** Times each row is measured; the run with the median delivered events/s is kept. */
        final int repeat = number("BENCH_REPEAT", 3);
        /** Only rows whose label contains this (e.g. "bus interval"), for profiling. */
        final String only = value("BENCH_ONLY", "");
        final List<Integer> sizes = numbers("BENCH_SIZES", "700,5000");
        final List<Integer> threads = numbers("BENCH_THREADS", "1,16");

        private static String value(String name, String defaultValue) {
            String value = System.getProperty(name, System.getenv(name));
            return value == null || value.isBlank() ? defaultValue : value.trim();
        }

        private static int number(String name, int defaultValue) {
            return Integer.parseInt(value(name, String.valueOf(defaultValue)).replace("_", ""));
        }

        private static List<Integer> numbers(String name, String defaultValue) {
            return Arrays.stream(value(name, defaultValue).split(",")).map(String::trim).map(Integer::parseInt)
                    .collect(Collectors.toList());
        }
    }

    /** One measured row. */
    private static final class Row {
        String contender;
        int threads;
        String fsync = "-";
        boolean brokerUp = true;
        long valueBytes;
        int events;
        double eventsPerSecond;
        /** The slowest and fastest of the row's runs. */
        double slowestRun;
        double fastestRun;
        double ofCeiling;
        PublishRun run;
        long allocatedPerEvent;
        double cpuMicrosPerEvent;
        double brokerCpuMicrosPerEvent;
        String cpuByThread;
        long liveHeapMiB;

        String label() {
            return contender + (fsync.equals("-") ? "" : " " + fsync) + ", " + threads + " thread(s), broker "
                    + (brokerUp ? "up" : "down");
        }
    }

    private final Settings settings;
    private final BrokerProcess broker;
    private final Path work;
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Double> ceilings = new HashMap<>();
    private int topics;

    private SideBySideBenchmark(Settings settings, BrokerProcess broker, Path work) {
        this.settings = settings;
        this.broker = broker;
        this.work = work;
    }

    public static void main(String[] args) {
        int exit = 0;
        try {
            run(Paths.get(System.getProperty("bench.out", "target/benchmark")));
        } catch (Throwable e) {
            System.err.println("Benchmark failed: " + e);
            e.printStackTrace();
            exit = 1;
        }
        System.exit(exit);
    }

    static void run(Path out) throws Exception {
        Settings settings = new Settings();
        Path work = Files.createTempDirectory("kafka-event-bus-bench-");
        String classpath = System.getProperty("java.class.path");
        // Run by Maven (exec@bench), this JVM has the plugin's client: the broker gets its own. Run by a test, both have the broker's.
        String brokerClasspath = System.getProperty("bench.broker.exclude") == null ? classpath : ClasspathFork.swap(classpath,
                List.of(System.getProperty("bench.broker.exclude")), List.of(System.getProperty("bench.broker.add")));
        System.out.println("== Side-by-side benchmark: " + machine());
        try (BrokerProcess broker = BrokerProcess.start("1g", brokerClasspath)) {
            System.out.println("   broker " + broker.bootstrapServers() + " in its own JVM (pid " + broker.pid() + ")");
            SideBySideBenchmark bench = new SideBySideBenchmark(settings, broker, work);
            for (int size : settings.sizes) {
                for (int threads : settings.threads) {
                    bench.rowsFor(new Workload(size), threads);
                }
            }
            String outage = settings.outageEvents > 0 ? bench.outage(new Workload(700), settings.outageEvents) : null;
            bench.write(out, outage);
        } finally {
            EmbeddedDemo.deleteRecursively(work);
        }
    }

    private void rowsFor(Workload workload, int threads) throws Exception {
        int events = workload.eventBytes() > 1000 ? settings.events / 4 : settings.events;
        int warmup = workload.eventBytes() > 1000 ? settings.warmup / 4 : settings.warmup;
        measure("bare producer (ceiling)", null, true, workload, threads, events, warmup);
        measure("upstream-style producer", null, true, workload, threads, events, warmup);
        for (String fsync : List.of("interval", "always")) {
            int rowEvents = fsync.equals("always") && threads == 1 ? events / 10 : events;
            measure("bus", fsync, true, workload, threads, rowEvents, warmup / (rowEvents < events ? 10 : 1));
            measure("bus", fsync, false, workload, threads, rowEvents, warmup / (rowEvents < events ? 10 : 1));
        }
    }

    private Contender contender(String name, String fsync, String topic) throws Exception {
        switch (name) {
            case "bare producer (ceiling)": return new Contender.BareProducer(broker.bootstrapServers(), topic);
            case "upstream-style producer": return new Contender.UpstreamStyle(broker.bootstrapServers(), topic);
            default: return new Contender.Bus(work.resolve(topic), "bench-" + topic, broker.bootstrapServers(), topic, fsync);
        }
    }

    /** One row, measured {@link Settings#repeat} times: the run with the median delivered events/s is kept. */
    private void measure(String name, String fsync, boolean brokerUp, Workload workload, int threads, int events, int warmup)
            throws Exception {
        List<Row> runs = new ArrayList<>();
        for (int i = 0; i < settings.repeat; i++) {
            Row run = measureOnce(name, fsync, brokerUp, workload, threads, events, warmup);
            if (run == null) {
                return;
            }
            runs.add(run);
        }
        runs.sort((a, b) -> Double.compare(a.eventsPerSecond, b.eventsPerSecond));
        Row row = runs.get(runs.size() / 2);
        row.slowestRun = runs.get(0).eventsPerSecond;
        row.fastestRun = runs.get(runs.size() - 1).eventsPerSecond;
        String key = workload.eventBytes() + "/" + threads;
        if (name.contains("ceiling")) {
            ceilings.put(key, row.eventsPerSecond);
        }
        row.ofCeiling = row.eventsPerSecond / ceilings.getOrDefault(key, Double.NaN);
        rows.add(row);
        System.out.println("   " + markdown(row) + (runs.size() > 1 ? " (median of " + runs.size() + ")" : ""));
    }

    /** One run of a row: warm up, then publish and time until the consumer read the last record; null if filtered out. */
    private Row measureOnce(String name, String fsync, boolean brokerUp, Workload workload, int threads, int events, int warmup)
            throws Exception {
        Row row = new Row();
        row.contender = name;
        row.fsync = fsync == null ? "-" : fsync;
        row.brokerUp = brokerUp;
        row.threads = threads;
        row.events = events;
        if (!row.label().contains(settings.only)) {
            return null;
        }
        String topic = "t" + ++topics;
        broker.createTopic(topic, PARTITIONS);
        long baseline = heapUsedAfterGc();
        try (Contender contender = contender(name, fsync, topic)) {
            PublishRun.run(contender, workload, 0, warmup, threads);
            contender.awaitAcknowledged(warmup, PATIENCE);
            try (LastRecordWatch watch = new LastRecordWatch(broker.bootstrapServers(), topic, events)) {
                if (!brokerUp) {
                    broker.stopBroker();
                }
                long brokerCpu = broker.cpuNanos();
                row.run = PublishRun.run(contender, workload, warmup, events, threads);
                long clockStart = row.run.startNanos;
                if (!brokerUp) {
                    row.liveHeapMiB = (heapUsedAfterGc() - baseline) >> 20;
                    broker.startBroker();
                    clockStart = System.nanoTime();
                }
                long lastRead = watch.awaitLastRead(PATIENCE);
                row.allocatedPerEvent = row.run.allocatedPerEvent(watch.threadId());
                row.cpuMicrosPerEvent = row.run.cpuMicrosPerEvent(watch.threadId());
                row.cpuByThread = row.run.cpuByThread(watch.threadId());
                row.brokerCpuMicrosPerEvent = (broker.cpuNanos() - brokerCpu) / 1e3 / events;
                contender.awaitAcknowledged(warmup + (long) events, PATIENCE);
                if (brokerUp) {
                    row.liveHeapMiB = (heapUsedAfterGc() - baseline) >> 20;
                }
                row.valueBytes = watch.meanValueBytes();
                row.eventsPerSecond = events / ((lastRead - clockStart) / 1e9);
            }
            if (contender.problems() != null) {
                throw new IllegalStateException(row.label() + ": events lost: " + contender.problems());
            }
        }
        System.out.printf(Locale.ROOT, "     %,.0f events/s; publishing took %.2f s, publish() mean %.1f µs; CPU µs/event by thread: %s%n",
                row.eventsPerSecond, (row.run.endNanos - row.run.startNanos) / 1e9,
                Arrays.stream(row.run.latencies).average().orElse(0) / 1e3, row.cpuByThread);
        return row;
    }

    /** The bus, one thread, {@code events} published while the broker is down, then the drain. */
    private String outage(Workload workload, int events) throws Exception {
        String topic = "t" + ++topics;
        broker.createTopic(topic, PARTITIONS);
        System.out.printf("-- outage: %,d events of ~%d B published while the broker is down%n", events, workload.eventBytes());
        Path spool = work.resolve(topic);
        try (Contender.Bus bus = (Contender.Bus) contender("bus", "interval", topic)) {
            PublishRun.run(bus, workload, 0, settings.warmup, 1);
            bus.awaitAcknowledged(settings.warmup, PATIENCE);
            long before = heapUsedAfterGc();
            try (LastRecordWatch watch = new LastRecordWatch(broker.bootstrapServers(), topic, events)) {
                broker.stopBroker();
                PublishRun run = PublishRun.run(bus, workload, settings.warmup, events, 1);
                long growth = heapUsedAfterGc() - before;
                long spoolBytes = directorySize(spool);
                long pending = bus.statistics().pending();
                broker.startBroker();
                long restarted = System.nanoTime();
                long lastRead = watch.awaitLastRead(PATIENCE);
                bus.awaitAcknowledged(settings.warmup + (long) events, PATIENCE);
                double drain = events / ((lastRead - restarted) / 1e9);
                double ceiling = ceilings.getOrDefault(workload.eventBytes() + "/1", Double.NaN);
                String table = String.format(Locale.ROOT, "| %,d | %,d | %.1f | %,d | %.1f | %,.0f | %.0f %% | %s | %s |",
                        events, pending, growth / 1048576.0, spoolBytes >> 20, (run.endNanos - run.startNanos) / 1e9,
                        drain, 100 * drain / ceiling, micros(run.micros(0.99)), micros(run.micros(1.0)));
                System.out.println("   " + table);
                return table;
            }
        }
    }

    private void write(Path out, String outage) throws IOException {
        Files.createDirectories(out);
        List<String> md = new ArrayList<>();
        md.add("Measured " + LocalDate.now() + " on " + machine() + ", the broker in a JVM of its own on the same host.");
        md.add("Each row is the median of " + settings.repeat + " run(s) by delivered events/s, each timed from the first publish until"
                + " a consumer read the last record; 'down (drain)': published while the broker was down, timed from its restart."
                + " 'of ceiling': of the bare producer's rate with the same threads and event size. CPU: the publishing, bus and"
                + " producer threads' (client), the broker process's (broker).");
        md.add("");
        md.add("| contender | threads | spool.fsync | broker | value B | events | delivered events/s | runs' range | of ceiling | publish() p50 µs | p99 µs | p99.9 µs | max µs | allocated B/event | live heap MiB | client CPU µs/event | broker CPU µs/event |");
        md.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(row -> md.add(markdown(row)));
        if (outage != null) {
            md.add("");
            md.add("| outage events | pending | heap growth MiB | spool on disk MiB | publishing s | drain events/s | of ceiling | publish() p99 µs | max µs |");
            md.add("|---|---|---|---|---|---|---|---|---|");
            md.add(outage);
        }
        Files.write(out.resolve("side-by-side.md"), md);
        List<String> csv = new ArrayList<>();
        csv.add("contender,threads,fsync,broker,value_bytes,events,events_per_s,slowest_run_events_per_s,fastest_run_events_per_s,of_ceiling,p50_us,p99_us,p999_us,max_us,allocated_bytes_per_event,live_heap_mib,client_cpu_us_per_event,broker_cpu_us_per_event");
        rows.forEach(row -> csv.add(String.format(Locale.ROOT, "%s,%d,%s,%s,%d,%d,%.0f,%.0f,%.0f,%.3f,%.1f,%.1f,%.1f,%.1f,%d,%d,%.1f,%.1f",
                row.contender, row.threads, row.fsync, row.brokerUp ? "up" : "down", row.valueBytes, row.events,
                row.eventsPerSecond, row.slowestRun, row.fastestRun, row.ofCeiling, row.run.micros(0.5), row.run.micros(0.99), row.run.micros(0.999),
                row.run.micros(1.0), row.allocatedPerEvent, row.liveHeapMiB, row.cpuMicrosPerEvent, row.brokerCpuMicrosPerEvent)));
        Files.write(out.resolve("side-by-side.csv"), csv);
        if (outage != null) {
            Files.write(out.resolve("outage.csv"), List.of("events,pending,heap_growth_mib,spool_mib,publish_s,drain_events_per_s,of_ceiling,p99_us,max_us",
                    outage.replaceAll("[ ,%]", "").replace("|", ",").replaceAll("^,|,$", "")));
        }
        System.out.println();
        md.forEach(System.out::println);
        System.out.println();
        System.out.println("Written to " + out.toAbsolutePath() + " (side-by-side.md, side-by-side.csv" + (outage == null ? "" : ", outage.csv") + ")");
    }

    private static String markdown(Row row) {
        return String.format(Locale.ROOT, "| %s | %d | %s | %s | %,d | %,d | %,.0f | %,.0f-%,.0f | %.0f %% | %s | %s | %s | %s | %,d | %d | %.1f | %.1f |",
                row.contender, row.threads, row.fsync, row.brokerUp ? "up" : "down (drain)", row.valueBytes, row.events,
                row.eventsPerSecond, row.slowestRun, row.fastestRun, 100 * row.ofCeiling, micros(row.run.micros(0.5)), micros(row.run.micros(0.99)),
                micros(row.run.micros(0.999)), micros(row.run.micros(1.0)), row.allocatedPerEvent, row.liveHeapMiB,
                row.cpuMicrosPerEvent, row.brokerCpuMicrosPerEvent);
    }

    private static String micros(double micros) {
        return micros < 10 ? String.format(Locale.ROOT, "%.1f", micros) : String.format(Locale.ROOT, "%,.0f", micros);
    }

    private static long heapUsedAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long directorySize(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private static String machine() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return String.format(Locale.ROOT, "%d cores (%s), %d GiB RAM, %s %s, %s %s, heap max %d MiB",
                Runtime.getRuntime().availableProcessors(), cpuModel(), os.getTotalMemorySize() >> 30,
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Paths.get("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("cpu unknown");
        } catch (IOException | RuntimeException e) {
            return "cpu unknown";
        }
    }
}
