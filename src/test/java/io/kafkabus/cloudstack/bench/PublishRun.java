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
 * released at once, timing every call, and counts the bytes the JVM's threads allocated meanwhile
 * (all of them but those listed to leave out, such as the watching consumer).
 */
final class PublishRun {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    final long startNanos;
    final long endNanos;
    /** publish() durations in ns, sorted. */
    final long[] latencies;
    private final long publisherAllocated;
    private final Map<Long, Long> allocatedBefore;

    private PublishRun(long startNanos, long endNanos, long[] latencies, long publisherAllocated, Map<Long, Long> allocatedBefore) {
        this.startNanos = startNanos;
        this.endNanos = endNanos;
        this.latencies = latencies;
        this.publisherAllocated = publisherAllocated;
        this.allocatedBefore = allocatedBefore;
    }

    static PublishRun run(Contender contender, Workload workload, int from, int count, int threads) throws Exception {
        long[] latencies = new long[count];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        LongAdder allocated = new LongAdder();
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int first = (int) ((long) count * t / threads);
            int last = (int) ((long) count * (t + 1) / threads);
            Thread publisher = new Thread(() -> {
                long allocatedAtStart = THREADS.getCurrentThreadAllocatedBytes();
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
                    done.countDown();
                }
            }, "bench-publisher-" + t);
            publisher.start();
        }
        Map<Long, Long> before = allocatedByThread();
        long start = System.nanoTime();
        go.countDown();
        done.await();
        long end = System.nanoTime();
        if (failure.get() != null) {
            throw new IllegalStateException("publish() failed", failure.get());
        }
        Arrays.sort(latencies);
        return new PublishRun(start, end, latencies, allocated.sum(), before);
    }

    /**
     * Bytes allocated per event since the run began: the publishers', and every other live
     * thread's but {@code leftOut}'s (threads that ended meanwhile are not counted).
     */
    long allocatedPerEvent(long... leftOut) {
        long total = publisherAllocated;
        Map<Long, Long> now = allocatedByThread();
        now.remove(Thread.currentThread().getId()); // the benchmark's own thread: it only waited
        for (long id : leftOut) {
            now.remove(id);
        }
        for (Map.Entry<Long, Long> thread : now.entrySet()) {
            total += thread.getValue() - allocatedBefore.getOrDefault(thread.getKey(), 0L);
        }
        return total / latencies.length;
    }

    private static Map<Long, Long> allocatedByThread() {
        long[] ids = THREADS.getAllThreadIds();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        Map<Long, Long> byThread = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0 && !isPublisher(ids[i])) {
                byThread.put(ids[i], bytes[i]);
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
