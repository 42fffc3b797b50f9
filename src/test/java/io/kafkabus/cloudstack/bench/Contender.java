package io.kafkabus.cloudstack.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.cloudstack.framework.events.Event;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.kafkabus.cloudstack.KafkaEventBus;
import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.delivery.BusStatistics;

/** What the benchmark publishes through: the bus, or a producer used directly. */
abstract class Contender implements AutoCloseable {
    /** Publishes one event; called from several threads at once. */
    abstract void publish(Event event) throws Exception;

    /** Waits until everything published so far is acknowledged by Kafka. */
    abstract void awaitAcknowledged(long published, Duration timeout) throws Exception;

    /** Events that did not make it, or the first error: checked after every row. */
    abstract String problems();

    /** The bus, configured from a kafka.producer.properties as an operator writes it. */
    static final class Bus extends Contender {
        private final KafkaEventBus bus = new KafkaEventBus();

        Bus(Path work, String name, String bootstrapServers, String topic, String fsync) throws Exception {
            Files.createDirectories(work);
            Path properties = work.resolve(name + ".properties");
            Files.writeString(properties, "bootstrap.servers=" + bootstrapServers + "\n" + "topic=" + topic + "\n"
                    + "spool.dir=" + work.resolve("spool") + "\n" + "spool.fsync=" + fsync + "\n"
                    + "spool.max.bytes=" + (4L << 30) + "\n");
            bus.setPropertiesFile(properties.toString());
            bus.configure(name, Map.of());
            bus.start();
        }

        @Override
        void publish(Event event) throws Exception {
            bus.publish(event);
        }

        BusStatistics statistics() {
            return bus.statistics();
        }

        @Override
        void awaitAcknowledged(long published, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (bus.statistics().delivered() < published || bus.statistics().pending() > 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not delivered within " + timeout + ": " + bus.statistics());
                }
                Thread.sleep(10);
            }
        }

        @Override
        String problems() {
            BusStatistics stats = bus.statistics();
            return stats.dropped() + stats.failed() == 0 ? null : stats.toString();
        }

        @Override
        public void close() {
            bus.stop();
        }
    }

    /**
     * The ceiling: a KafkaProducer with the bus's producer settings, sending the records the bus
     * would (same topic, keys and headers, a value of about the same bytes), with a callback.
     */
    static final class BareProducer extends Contender {
        private final Producer<byte[], byte[]> producer;
        private final String topic;
        private final AtomicReference<Exception> error = new AtomicReference<>();

        BareProducer(String bootstrapServers, String topic) throws Exception {
            Map<String, String> raw = new HashMap<>();
            raw.put("bootstrap.servers", bootstrapServers);
            raw.put("topic", topic);
            Map<String, Object> settings = EventBusConfig.parse(raw, "benchmark", "ceiling").producerProperties();
            this.producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
            this.topic = topic;
        }

        @Override
        void publish(Event event) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            headers.add("category", event.getEventCategory().getBytes(StandardCharsets.UTF_8));
            headers.add("type", event.getEventType().getBytes(StandardCharsets.UTF_8));
            headers.add("source", event.getEventSource().getBytes(StandardCharsets.UTF_8));
            String value = "{\"envelopeVersion\":1,\"source\":\"" + event.getEventSource() + "\",\"category\":\""
                    + event.getEventCategory() + "\",\"type\":\"" + event.getEventType() + "\",\"resourceType\":\""
                    + event.getResourceType() + "\",\"resourceUuid\":\"" + event.getResourceUUID()
                    + "\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"description\":" + event.getDescription() + "}";
            producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(),
                    event.getResourceUUID().getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), headers),
                    (metadata, e) -> {
                        if (e != null) {
                            error.compareAndSet(null, e);
                        }
                    });
        }

        @Override
        void awaitAcknowledged(long published, Duration timeout) {
            producer.flush();
        }

        @Override
        String problems() {
            return error.get() == null ? null : error.get().toString();
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(30));
        }
    }

    /**
     * A producer as upstream's Kafka bus uses it: the client's defaults, the resource UUID as key,
     * the description as value, {@code send()} without a callback.
     */
    static final class UpstreamStyle extends Contender {
        private final Producer<String, String> producer;
        private final String topic;

        UpstreamStyle(String bootstrapServers, String topic) {
            this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                    new StringSerializer(), new StringSerializer());
            this.topic = topic;
        }

        @Override
        void publish(Event event) {
            producer.send(new ProducerRecord<>(topic, event.getResourceUUID(), event.getDescription()));
        }

        @Override
        void awaitAcknowledged(long published, Duration timeout) {
            producer.flush();
        }

        @Override
        String problems() {
            return null; // upstream never learns: no callback
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(30));
        }
    }
}
