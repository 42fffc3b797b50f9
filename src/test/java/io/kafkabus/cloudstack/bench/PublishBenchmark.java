package io.kafkabus.cloudstack.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.apache.cloudstack.framework.events.Event;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.kafkabus.cloudstack.KafkaEventBus;
import io.kafkabus.cloudstack.delivery.BusStatistics;
import io.kafkabus.cloudstack.demo.EmbeddedDemo;
import io.kafkabus.cloudstack.testing.KafkaCluster;

/**
 * How long {@code publish()} keeps CloudStack's thread, and what the bus delivers, against a real
 * broker in this JVM: N events (default 100,000) with {@code spool.fsync=interval} and
 * {@code always}, first with the broker up, then with it stopped (the spool absorbs the outage),
 * then the time to drain once it is back. Run with {@code mvn -q test-compile exec:exec@bench};
 * environment variables {@code BENCH_EVENTS}, {@code BENCH_WARMUP} and {@code BENCH_THREADS}
 * (publishing threads, default 1) change the run.
 */
public final class PublishBenchmark {
    private static final String TOPIC = "bench";

    private final KafkaCluster kafka;
    private final Path work;
    private final int events;
    private final int warmup;
    private final int threads;
    private final List<String> rows = new ArrayList<>();
    private int run;

    private PublishBenchmark(KafkaCluster kafka, Path work, int events, int warmup, int threads) {
        this.kafka = kafka;
        this.work = work;
        this.events = events;
        this.warmup = warmup;
        this.threads = threads;
    }

    public static void main(String[] args) {
        int exit = 0;
        try {
            run();
        } catch (Throwable e) {
            System.err.println("Benchmark failed: " + e);
            e.printStackTrace();
            exit = 1;
        }
        System.exit(exit);
    }

    private static void run() throws Exception {
        int events = setting("BENCH_EVENTS", 100_000);
        int warmup = setting("BENCH_WARMUP", 20_000);
        int threads = setting("BENCH_THREADS", 1);
        System.out.printf("== publish() benchmark: %,d events per run (after %,d warm-up), %d publishing thread(s) ==%n",
                events, warmup, threads);
        System.out.printf("   %s, %d cores, max heap %d MiB%n", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        Path work = Files.createTempDirectory("kafka-event-bus-bench-");
        KafkaCluster kafka = EmbeddedDemo.quietly(() -> KafkaCluster.start(1));
        try {
            kafka.createTopic(TOPIC, 3);
            System.out.printf("   broker %s; heap used with the broker alone: %d MiB%n", kafka.bootstrapServers(), heapUsedAfterGcMiB());
            PublishBenchmark bench = new PublishBenchmark(kafka, work, events, warmup, threads);
            bench.scenario("interval", true);
            bench.scenario("always", true);
            bench.scenario("interval", false);
            bench.scenario("always", false);
            bench.printSummary();
        } finally {
            EmbeddedDemo.quietly(() -> {
                kafka.close();
                return null;
            });
            EmbeddedDemo.deleteRecursively(work);
        }
    }

    /** One bus, warmed up, then {@link #events} publishes measured, the broker up or stopped. */
    private void scenario(String fsync, boolean brokerUp) throws Exception {
        String name = "fsync=" + fsync + ", broker " + (brokerUp ? "up" : "DOWN");
        System.out.println();
        System.out.println("-- " + name);
        Path properties = work.resolve("bench-" + ++run + ".properties");
        Files.writeString(properties, "bootstrap.servers=" + kafka.bootstrapServers() + "\n"
                + "topic=" + TOPIC + "\n"
                + "spool.dir=" + work.resolve("spool-" + run) + "\n"
                + "spool.fsync=" + fsync + "\n");
        KafkaEventBus bus = new KafkaEventBus();
        bus.setPropertiesFile(properties.toString());
        bus.configure("bench" + run, Map.of());
        bus.start();
        int broker = kafka.brokerIds().get(0);
        long recordsBefore = recordsInTopic();
        try {
            publish(bus, warmup);
            await(bus, warmup, Duration.ofMinutes(5));
            if (!brokerUp) {
                kafka.stopBroker(broker);
                System.out.println("   broker stopped");
            }
            resetPeakHeap();
            long[] latencies = new long[events];
            long start = System.nanoTime();
            publish(bus, latencies);
            long publishEnd = System.nanoTime();
            long publishNanos = publishEnd - start;
            BusStatistics afterPublish = bus.statistics();
            long peakHeap = peakHeapMiB();
            Arrays.sort(latencies);
            double throughput = events / (publishNanos / 1e9);
            System.out.printf("   publish(): p50 %s  p99 %s  p99.9 %s  max %s µs; %,.0f events/s (%.2f s for %,d)%n",
                    micros(latencies, 0.50), micros(latencies, 0.99), micros(latencies, 0.999), micros(latencies, 1.0),
                    throughput, publishNanos / 1e9, events);
            System.out.printf("   right after: pending %,d, spool %,d MiB, dropped %d; heap peak %d MiB%n",
                    afterPublish.pending(), afterPublish.spoolBytes() >> 20, afterPublish.dropped(), peakHeap);

            long drainStart = publishEnd;
            long liveHeap = 0;
            if (!brokerUp) {
                // With the outage's events all waiting: they are on disk, not on the heap.
                liveHeap = heapUsedAfterGcMiB();
                System.out.printf("   heap used after GC, %,d events waiting for Kafka: %d MiB%n", afterPublish.pending(), liveHeap);
                drainStart = System.nanoTime();
                kafka.startBroker(broker);
                System.out.println("   broker started again");
            }
            BusStatistics done = await(bus, warmup + (long) events, Duration.ofMinutes(10));
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            if (brokerUp) {
                liveHeap = heapUsedAfterGcMiB();
                System.out.printf("   heap used after GC, everything delivered: %d MiB%n", liveHeap);
            }
            double endToEnd = (System.nanoTime() - start) / 1e9;
            System.out.printf("   %s: %.2f s (all %,d acknowledged %.2f s after the first publish: %,.0f events/s end to end)%n",
                    brokerUp ? "delivered the rest" : "drained after the broker came back", drainSeconds, events, endToEnd,
                    events / endToEnd);
            System.out.println("   " + done);
            long duplicates = recordsInTopic() - recordsBefore - (warmup + (long) events);
            System.out.printf("   records in Kafka beyond the events published (redeliveries, same id): %,d%n", duplicates);
            rows.add(String.format(Locale.ROOT, "| %-9s | %-6s | %6s | %6s | %7s | %7s | %,9.0f | %8.2f | %9d | %9d | %10d |",
                    fsync, brokerUp ? "up" : "down", micros(latencies, 0.50), micros(latencies, 0.99), micros(latencies, 0.999),
                    micros(latencies, 1.0), throughput, drainSeconds, peakHeap, liveHeap, duplicates));
        } finally {
            bus.stop();
        }
    }

    private void publish(KafkaEventBus bus, int count) throws Exception {
        publish(bus, new long[count]);
    }

    /** Publishes {@code latencies.length} events from {@link #threads} threads, recording each publish() in ns. */
    private void publish(KafkaEventBus bus, long[] latencies) throws Exception {
        int count = latencies.length;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) count * t / threads);
            int to = (int) ((long) count * (t + 1) / threads);
            Thread publisher = new Thread(() -> {
                try {
                    for (int i = from; i < to; i++) {
                        Event event = event(i);
                        long begin = System.nanoTime();
                        bus.publish(event);
                        latencies[i] = System.nanoTime() - begin;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }, "publisher-" + t);
            publisher.start();
        }
        done.await();
        if (failure.get() != null) {
            throw new IllegalStateException("publish() failed", failure.get());
        }
    }

    private static final String[] VMS = new String[500];

    static {
        for (int i = 0; i < VMS.length; i++) {
            VMS[i] = UUID.nameUUIDFromBytes(("vm-" + i).getBytes()).toString();
        }
    }

    /** An ActionEvent the size of CloudStack's (about 500 bytes of description), 500 VMs in turn. */
    private static Event event(int i) {
        String vm = VMS[i % VMS.length];
        Event e = new Event("management-server", "ActionEvent", "VM.START", "VirtualMachine", vm);
        e.setDescription("{\"user\":\"f484a624-6b93-11e7-81e3-06565200012c\",\"account\":\"f4849ae2-6b93-11e7-81e3-06565200012c\","
                + "\"event\":\"VM.START\",\"status\":\"Completed\",\"entity\":\"com.cloud.vm.VirtualMachine\",\"entityuuid\":\"" + vm + "\","
                + "\"description\":\"Successfully completed starting Vm. Vm Id: " + i + "\",\"eventDateTime\":\"2026-11-22 10:00:00 +0000\","
                + "\"VirtualMachine\":\"" + vm + "\",\"Account\":\"54d5f55c-5311-48db-bbb8-c44c5175cb2a\","
                + "\"Domain\":\"8a90b067-6b93-11e7-81e3-06565200012c\",\"Role\":\"e767a39b-6b93-11e7-81e3-06565200012c\"}");
        return e;
    }

    /** Waits until {@code expected} events are delivered and none is pending. */
    private static BusStatistics await(KafkaEventBus bus, long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        BusStatistics stats = bus.statistics();
        while ((stats.delivered() < expected || stats.pending() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            stats = bus.statistics();
        }
        if (stats.delivered() < expected || stats.pending() > 0) {
            throw new IllegalStateException("not delivered within " + timeout + ": " + stats);
        }
        return stats;
    }

    /** Records in the benchmark topic (no transactions: end offsets count records). */
    private long recordsInTopic() {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).collect(Collectors.toList());
            return consumer.endOffsets(partitions, Duration.ofSeconds(30)).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private void printSummary() {
        System.out.println();
        System.out.printf("== Summary: %,d events per run; publish() latency in µs; drain s = from the last publish (broker up)"
                + " or the broker's restart (down) until Kafka acknowledged all;%n   heap in MiB, broker included: peak while"
                + " publishing (sum of the pools' peaks), live = after GC with the outage's events waiting (down) or all"
                + " delivered (up); duplicates = records in Kafka beyond the events published%n", events);
        System.out.println("| fsync     | broker |    p50 |    p99 |   p99.9 |     max |  events/s |  drain s | heap peak | heap live | duplicates |");
        System.out.println("|-----------|--------|--------|--------|---------|---------|-----------|----------|-----------|-----------|------------|");
        rows.forEach(System.out::println);
    }

    private static String micros(long[] sortedNanos, double quantile) {
        int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(quantile * sortedNanos.length) - 1);
        double micros = sortedNanos[Math.max(0, index)] / 1_000.0;
        return micros < 10 ? String.format(Locale.ROOT, "%.1f", micros) : String.format(Locale.ROOT, "%,.0f", micros);
    }

    private static long heapUsedAfterGcMiB() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return (runtime.totalMemory() - runtime.freeMemory()) >> 20;
    }

    private static void resetPeakHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peaks since {@link #resetPeakHeap} (an upper bound of the heap's peak). */
    private static long peakHeapMiB() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }

    private static int setting(String name, int defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : Integer.parseInt(value.trim().replace("_", ""));
    }
}
