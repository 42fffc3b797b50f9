package io.kafkabus.cloudstack.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Publishes events {@code from..from+count} through a contender from {@code threads} threads
 * released at once, timing every call, and counts the bytes the JVM's threads allocated and the CPU
 * time they used meanwhile (all of them but those listed to leave out, such as the watching consumer).
 */
final class PublishRun {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    final long startNanos;
    final long endNanos;
    /** publish() durations in ns, sorted. */
    final long[] latencies;
    private final Usage publishers;
    private final Map<Long, Usage> before;

    /** What threads used: bytes allocated, CPU time. */
    private static final class Usage {
        final long allocated;
        final long cpuNanos;

        Usage(long allocated, long cpuNanos) {
            this.allocated = allocated;
            this.cpuNanos = cpuNanos;
        }
    }

    private PublishRun(long startNanos, long endNanos, long[] latencies, Usage publishers, Map<Long, Usage> before) {
        this.startNanos = startNanos;
        this.endNanos = endNanos;
        this.latencies = latencies;
        this.publishers = publishers;
        this.before = before;
    }

    static PublishRun run(Contender contender, Workload workload, int from, int count, int threads) throws Exception {
        long[] latencies = new long[count];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        LongAdder allocated = new LongAdder();
        LongAdder cpu = new LongAdder();
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int first = (int) ((long) count * t / threads);
            int last = (int) ((long) count * (t + 1) / threads);
            Thread publisher = new Thread(() -> {
                long allocatedAtStart = THREADS.getCurrentThreadAllocatedBytes();
                long cpuAtStart = THREADS.getCurrentThreadCpuTime();
                try {
                    go.await();
                    for (int i = first; i < last; i++) {
                        var event = workload.event(from + i);
                        long begin = System.nanoTime();
                        contender.publish(event);
                        latencies[i] = System.nanoTime() - begin;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    allocated.add(THREADS.getCurrentThreadAllocatedBytes() - allocatedAtStart);
                    cpu.add(THREADS.getCurrentThreadCpuTime() - cpuAtStart);
                    done.countDown();
                }
            }, "bench-publisher-" + t);
            publisher.start();
        }
        Map<Long, Usage> before = usageByThread();
        long start = System.nanoTime();
        go.countDown();
        done.await();
        long end = System.nanoTime();
        if (failure.get() != null) {
            throw new IllegalStateException("publish() failed", failure.get());
        }
        Arrays.sort(latencies);
        return new PublishRun(start, end, latencies, new Usage(allocated.sum(), cpu.sum()), before);
    }

    /**
     * Bytes allocated per event since the run began: the publishers', and every other live
     * thread's but {@code leftOut}'s (threads that ended meanwhile are not counted).
     */
    long allocatedPerEvent(long... leftOut) {
        return since(leftOut).allocated / latencies.length;
    }

    /** CPU time per event since the run began, in µs, counted as {@link #allocatedPerEvent}. */
    double cpuMicrosPerEvent(long... leftOut) {
        return since(leftOut).cpuNanos / 1e3 / latencies.length;
    }

    /** CPU µs per event of each thread (publishers together) since the run began, the busiest first. */
    String cpuByThread(long... leftOut) {
        Map<String, Double> byName = new java.util.TreeMap<>();
        byName.put("publishers", publishers.cpuNanos / 1e3 / latencies.length);
        usageNow(leftOut).forEach((id, usage) -> {
            var info = THREADS.getThreadInfo(id);
            double micros = (usage.cpuNanos - before.getOrDefault(id, new Usage(0, 0)).cpuNanos) / 1e3 / latencies.length;
            if (info != null && micros >= 0.05) {
                byName.merge(info.getThreadName().replaceAll(" \\|.*|-bench-t\\d+$", ""), micros, Double::sum);
            }
        });
        return byName.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .map(e -> String.format(java.util.Locale.ROOT, "%s %.1f", e.getKey(), e.getValue()))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private Usage since(long... leftOut) {
        long allocated = publishers.allocated;
        long cpu = publishers.cpuNanos;
        for (Map.Entry<Long, Usage> thread : usageNow(leftOut).entrySet()) {
            Usage then = before.getOrDefault(thread.getKey(), new Usage(0, 0));
            allocated += thread.getValue().allocated - then.allocated;
            cpu += thread.getValue().cpuNanos - then.cpuNanos;
        }
        return new Usage(allocated, cpu);
    }

    /** What each live thread but the publishers, this one (it only waited) and {@code leftOut} used so far. */
    private static Map<Long, Usage> usageNow(long... leftOut) {
        Map<Long, Usage> now = usageByThread();
        now.remove(Thread.currentThread().getId());
        for (long id : leftOut) {
            now.remove(id);
        }
        return now;
    }

    private static Map<Long, Usage> usageByThread() {
        long[] ids = THREADS.getAllThreadIds();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        Map<Long, Usage> byThread = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            long cpu = THREADS.getThreadCpuTime(ids[i]);
            if (bytes[i] >= 0 && cpu >= 0 && !isPublisher(ids[i])) {
                byThread.put(ids[i], new Usage(bytes[i], cpu));
            }
        }
        return byThread;
    }

    private static boolean isPublisher(long id) {
        var info = THREADS.getThreadInfo(id);
        return info != null && info.getThreadName().startsWith("bench-publisher-");
    }

    /** The {@code quantile} of the publish() durations, in µs. */
    double micros(double quantile) {
        int index = (int) Math.min(latencies.length - 1, Math.ceil(quantile * latencies.length) - 1);
        return latencies[Math.max(0, index)] / 1_000.0;
    }
}
