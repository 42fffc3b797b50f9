package io.kafkabus.cloudstack.subscription;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.cloudstack.framework.events.Event;
import org.apache.cloudstack.framework.events.EventSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.logging.RateLimitedLogger;

/**
 * One subscriber: its topic, a bounded queue, and the thread of its own that calls its
 * {@code onEvent}, so that its slowness or its exceptions reach neither publishers nor other
 * subscribers. The thread is never interrupted: it ends on flags, polling its queue.
 */
final class Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);
    /** How soon an idle thread sees that it is to end. */
    private static final long POLL_MS = 100;

    private final TopicMatch topic;
    private final EventSubscriber subscriber;
    private final String busName;
    /** What a full queue logs, made once: it is built and looked up on the publisher's thread at every drop. */
    private final String queueFullProblem;
    private final BlockingQueue<Event> queue;
    private final SubscriberCounters counters;
    private final RateLimitedLogger problems;
    private final Thread thread;
    /** Held while onEvent runs, so that deactivate() can wait for a call in progress. */
    private final ReentrantLock calling = new ReentrantLock();
    /** False once unsubscribed, stopped or dead: no onEvent call starts any more. */
    private volatile boolean active = true;
    /** False once the thread is to end when its queue is empty. */
    private volatile boolean running = true;

    Subscription(TopicMatch topic, EventSubscriber subscriber, String busName, int queueCapacity, String threadName,
                 SubscriberCounters counters, RateLimitedLogger problems) {
        this.topic = topic;
        this.subscriber = subscriber;
        this.busName = busName;
        this.queueFullProblem = "Kafka event bus " + busName + ": subscriber " + subscriber.getClass().getName()
                + " does not keep up: its queue of " + EventBusConfig.SUBSCRIBERS_QUEUE_MAX_EVENTS + "=" + queueCapacity
                + " events is full, so new events are dropped for it (counted in dropped); make its onEvent return faster "
                + "or raise " + EventBusConfig.SUBSCRIBERS_QUEUE_MAX_EVENTS;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.counters = counters;
        this.problems = problems;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.setUncaughtExceptionHandler((t, e) -> {
            active = false;
            queue.clear();
            LOG.error("Kafka event bus {}: subscriber thread {} died; {} receives no more events until it subscribes again",
                    busName, t.getName(), subscriberClass(), e);
        });
    }

    void start() {
        thread.start();
    }

    /** Queues {@code event} if the topic selects it; never blocks: a full queue drops it for this subscriber. */
    void offer(Event event) {
        if (!active || !topic.matches(event)) {
            return;
        }
        if (!queue.offer(event)) {
            counters.dropped.increment();
            problems.warn(queueFullProblem, null);
        }
    }

    private void run() {
        while (running || !queue.isEmpty()) {
            Event event;
            try {
                event = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // Not from the bus, which never interrupts: from the subscriber's own code. The flag is spent; go on.
                continue;
            }
            if (event != null) {
                deliver(event);
            }
        }
    }

    private void deliver(Event event) {
        calling.lock();
        try {
            if (!active) {
                return;
            }
            subscriber.onEvent(event);
            counters.delivered.increment();
        } catch (Exception | LinkageError | AssertionError e) {
            counters.failed.increment();
            // The class and where it was thrown, not the message: a parser's message can quote the event's description.
            StackTraceElement[] frames = e.getStackTrace();
            problems.warn("Kafka event bus " + busName + ": subscriber " + subscriberClass() + " threw "
                    + e.getClass().getName() + (frames.length == 0 ? "" : " at " + frames[0])
                    + " handling an event (counted in failed); it keeps receiving later events", null);
        } finally {
            calling.unlock();
        }
    }

    /**
     * Stops delivery: no onEvent call starts after this returns, and queued events are discarded.
     * Waits up to {@code callTimeoutMs} for a call in progress (not when called from inside it) to return.
     */
    void deactivate(long callTimeoutMs) {
        active = false;
        running = false;
        queue.clear();
        try {
            if (calling.tryLock(callTimeoutMs, TimeUnit.MILLISECONDS)) {
                calling.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lets the thread hand over what is queued, then end. */
    void finish() {
        running = false;
    }

    /** Waits until {@code deadlineNanos} (System.nanoTime) for the thread to end. */
    boolean awaitEnd(long deadlineNanos) {
        long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        try {
            thread.join(Math.max(1, leftMs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    String subscriberClass() {
        return subscriber.getClass().getName();
    }

    String threadName() {
        return thread.getName();
    }
}
