package io.kafkabus.cloudstack.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkabus.cloudstack.logging.ErrorText;
import io.kafkabus.cloudstack.logging.RateLimitedLogger;

/**
 * The sender's current producer: made when first needed, aborted when a send fails (so that no
 * later record overtakes the failed one), closed with a bound at stop. Never interrupts a thread:
 * closing the producer is what wakes a send waiting on Kafka.
 */
final class ProducerHandle {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerHandle.class);

    private final String busName;
    private final ProducerFactory factory;
    private final Map<String, Object> properties;
    private final RateLimitedLogger problems;
    private final Diagnosis diagnosis;
    private final Time time;
    /** How long a new producer may take to connect before its silence means Kafka is away: its max.block.ms. */
    private final long connectGraceMs;
    private volatile long createdMs;
    private final AtomicReference<Producer<byte[], byte[]>> current = new AtomicReference<>();

    /** @param connectGrace how long a new producer may take to connect: its max.block.ms */
    ProducerHandle(String busName, ProducerFactory factory, Map<String, Object> properties, Duration connectGrace,
                   RateLimitedLogger problems, Diagnosis diagnosis, Time time) {
        this.busName = busName;
        this.factory = factory;
        this.properties = properties;
        this.problems = problems;
        this.diagnosis = diagnosis;
        this.time = time;
        this.connectGraceMs = connectGrace.toMillis();
    }

    /** The producer to send with, made now if need be; null when it cannot be made yet (logged). */
    Producer<byte[], byte[]> get() {
        Producer<byte[], byte[]> producer = current.get();
        if (producer != null) {
            return producer;
        }
        try {
            producer = factory.create(properties);
        } catch (KafkaException e) {
            // A bootstrap host that does not resolve yet, say: try again rather than give up.
            Diagnosis.Explanation why = diagnosis.ofCreation(e);
            problems.warn("Kafka event bus " + busName + ": " + why.sentence + "; the producer is made again later", why.detail);
            return null;
        }
        createdMs = time.milliseconds();
        current.set(producer);
        return producer;
    }

    /**
     * Closes {@code producer} at once if it is still the current one: what it holds fails and is
     * sent again by a new producer. Safe from any thread, the producer's own callbacks included.
     */
    void abort(Producer<byte[], byte[]> producer) {
        if (producer != null && current.compareAndSet(producer, null)) {
            closeQuietly(producer, Duration.ZERO);
        }
    }

    /**
     * Whether the current producer holds an open connection to a broker (its {@code connection-count}
     * metric), or is too new to tell: while either holds, Kafka may be reachable, however slowly.
     */
    boolean connectedOrConnecting() {
        Producer<byte[], byte[]> producer = current.get();
        if (producer == null) {
            return false;
        }
        if (time.milliseconds() - createdMs < connectGraceMs) {
            return true;
        }
        for (Map.Entry<MetricName, ? extends Metric> metric : producer.metrics().entrySet()) {
            if (metric.getKey().name().equals("connection-count") && metric.getKey().group().equals("producer-metrics")) {
                Object value = metric.getValue().metricValue();
                return value instanceof Number && ((Number) value).doubleValue() > 0;
            }
        }
        return false;
    }

    /** False once {@code producer} was aborted or closed: its failures are the abort's doing. */
    boolean isCurrent(Producer<byte[], byte[]> producer) {
        return current.get() == producer;
    }

    /** Aborts whatever producer is current; wakes a send waiting on Kafka metadata. */
    void abort() {
        abort(current.get());
    }

    /** Closes the current producer, giving it up to {@code timeout} to finish what it holds. */
    void close(Duration timeout) {
        Producer<byte[], byte[]> producer = current.getAndSet(null);
        if (producer != null) {
            closeQuietly(producer, timeout);
        }
    }

    private void closeQuietly(Producer<byte[], byte[]> producer, Duration timeout) {
        try {
            producer.close(timeout);
        } catch (RuntimeException e) {
            LOG.warn("Kafka event bus {}: closing the Kafka producer failed: {}", busName, ErrorText.describe(e));
        }
    }
}
