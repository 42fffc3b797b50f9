package io.kafkabus.cloudstack.subscription;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.cloudstack.framework.events.Event;
import org.apache.cloudstack.framework.events.EventBusException;
import org.apache.cloudstack.framework.events.EventSubscriber;
import org.apache.cloudstack.framework.events.EventTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.config.SubscriberSource;
import io.kafkabus.cloudstack.logging.RateLimitedLogger;

/**
 * The subscribers of one bus and the delivery of events to them. Each subscriber has a queue and
 * a thread of its own ({@code kafka-event-bus-subscriber-<bus>-<n>}); offering an event costs the
 * publisher a volatile read when nobody subscribed, and a non-blocking queue offer per subscriber
 * whose topic selects it otherwise. Subscribers get the events published on this server
 * ({@code subscribers.source=local}, also when the bus has no properties file) or those of every
 * server read back from Kafka ({@code subscribers.source=kafka}). Thread-safe.
 */
public final class Subscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);
    private static final Subscription[] NONE = new Subscription[0];
    /** The longest unsubscribe() waits for a call of the subscriber's onEvent in progress. */
    static final Duration UNSUBSCRIBE_WAIT = Duration.ofSeconds(5);
    /** The longest stop() waits for subscribers to take what is queued for them, then for the Kafka reader. */
    static final Duration STOP_WAIT = Duration.ofSeconds(2);

    private final Supplier<String> busName;
    private final SubscriberCounters counters = new SubscriberCounters();
    private final RateLimitedLogger problems = new RateLimitedLogger(LOG);
    private final AtomicInteger threadNumbers = new AtomicInteger();
    /** Guarded by this. */
    private final Map<UUID, Subscription> byId = new LinkedHashMap<>();
    /** What publishers read: a copy of byId's values, replaced as a whole. */
    private volatile Subscription[] current = NONE;
    private volatile int queueCapacity = EventBusConfig.SUBSCRIBERS_QUEUE_MAX_EVENTS_DEFAULT;
    /** Null unless subscribers.source=kafka. */
    private volatile KafkaSource kafkaSource;
    /** Guarded by this. */
    private boolean stopped;

    /** Subscriptions of the bus whose name {@code busName} gives (it can change until the bus is configured). */
    public Subscriptions(Supplier<String> busName) {
        this.busName = busName;
    }

    /**
     * Applies the bus's settings: the queue size of later subscriptions, and with
     * {@code subscribers.source=kafka} starts reading the bus's topics, from the events published from now on.
     */
    public synchronized void configure(EventBusConfig config) {
        queueCapacity = config.subscribersQueueMaxEvents();
        if (config.subscribersSource() == SubscriberSource.KAFKA && kafkaSource == null && !stopped) {
            KafkaSource source = new KafkaSource(config, busName.get(), this::offer, counters, problems);
            source.start();
            kafkaSource = source;
        }
    }

    public UUID subscribe(EventTopic topic, EventSubscriber subscriber) throws EventBusException {
        if (topic == null || subscriber == null) {
            throw new EventBusException("Kafka event bus " + busName.get() + " cannot subscribe: "
                    + (subscriber == null ? "the EventSubscriber" : "the EventTopic") + " is null");
        }
        String bus = busName.get();
        Subscription subscription = new Subscription(new TopicMatch(topic), subscriber, bus, queueCapacity,
                "kafka-event-bus-subscriber-" + bus + "-" + threadNumbers.incrementAndGet(), counters, problems);
        UUID id = UUID.randomUUID();
        synchronized (this) {
            if (stopped) {
                throw new EventBusException("Kafka event bus " + bus + " is stopped: it takes no more subscribers");
            }
            subscription.start();
            byId.put(id, subscription);
            current = byId.values().toArray(NONE);
        }
        LOG.info("Kafka event bus {}: {} subscribed (id {}, thread {})", bus, subscription.subscriberClass(), id,
                subscription.threadName());
        return id;
    }

    /**
     * Ends the subscription {@code id}: once this returns, its subscriber's onEvent is not called
     * again, and events still queued for it are discarded. A call in progress on the subscriber's
     * thread is waited for, up to {@link #UNSUBSCRIBE_WAIT}, unless it is that call which unsubscribes.
     */
    public void unsubscribe(UUID id) throws EventBusException {
        if (id == null) {
            throw new EventBusException("Kafka event bus " + busName.get() + " cannot unsubscribe a null subscriber id");
        }
        Subscription removed;
        synchronized (this) {
            removed = byId.remove(id);
            if (removed != null) {
                current = byId.values().toArray(NONE);
            }
        }
        if (removed == null) {
            throw new EventBusException("Kafka event bus " + busName.get() + " has no subscriber with id " + id
                    + " (unsubscribed already, or subscribed to another bus)");
        }
        removed.deactivate(UNSUBSCRIBE_WAIT.toMillis());
        LOG.info("Kafka event bus {}: {} unsubscribed (id {})", busName.get(), removed.subscriberClass(), id);
    }

    /**
     * Hands an event published on this server to the subscribers it concerns, unless they read
     * every server's events from Kafka (then this one reaches them that way, once). Never blocks.
     */
    public void offerPublished(Event event) {
        if (kafkaSource == null) {
            offer(event);
        }
    }

    private void offer(Event event) {
        if (event == null) {
            return;
        }
        for (Subscription subscription : current) {
            subscription.offer(event);
        }
    }

    /**
     * Stops the Kafka reader, lets every subscriber take what is queued for it within
     * {@link #STOP_WAIT}, then ends their threads, discarding what is left. Idempotent; never throws.
     */
    public void stop() {
        Subscription[] ending;
        KafkaSource source;
        synchronized (this) {
            stopped = true;
            ending = current;
            byId.clear();
            current = NONE;
            source = kafkaSource;
        }
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        if (source != null) {
            source.stop(deadline);
        }
        for (Subscription subscription : ending) {
            subscription.finish();
        }
        for (Subscription subscription : ending) {
            if (!subscription.awaitEnd(deadline)) {
                subscription.deactivate(0);
            }
        }
    }

    public SubscriberStatistics statistics() {
        return new SubscriberStatistics(current.length, counters.delivered.sum(), counters.dropped.sum(),
                counters.failed.sum(), counters.unreadable.sum());
    }
}
