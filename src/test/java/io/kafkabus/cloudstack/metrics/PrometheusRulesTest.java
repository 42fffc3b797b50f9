package io.kafkabus.cloudstack.metrics;

import static io.kafkabus.cloudstack.testing.Conditions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.cloudstack.framework.events.EventTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.KafkaEventBus;
import io.kafkabus.cloudstack.event.ManagementServer;
import io.kafkabus.cloudstack.testing.KafkaCluster;
import io.kafkabus.cloudstack.testing.TestBuses;
import io.prometheus.jmx.JmxCollector;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * conf/prometheus-jmx-exporter.yaml, run by the Prometheus JMX exporter's own collector against
 * this JVM's MBeans after real traffic: what Prometheus would scrape.
 */
class PrometheusRulesTest {
    private static final Path RULES = Paths.get(System.getProperty("basedir", System.getProperty("user.dir")),
            "conf", "prometheus-jmx-exporter.yaml");

    @TempDir
    Path dir;

    @Test
    void theRulesExportTheBusCountersStateLatencyAndItsProducersMetrics() throws Exception {
        KafkaCluster kafka = KafkaCluster.shared();
        String busName = "promBus-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "prom-" + busName;
        kafka.createTopic(topic, 1);
        KafkaEventBus bus = TestBuses.configured(busName, dir, kafka.bootstrapServers(), topic);
        AtomicInteger received = new AtomicInteger();
        bus.subscribe(new EventTopic(null, null, null, null, null), event -> received.incrementAndGet());
        bus.start();
        int events = 30;
        for (int n = 0; n < events; n++) {
            bus.publish(TestBuses.numbered(n, 3));
        }
        await(() -> bus.statistics().delivered() == events && received.get() == events, Duration.ofSeconds(30),
                "every event delivered, to Kafka and to the subscriber");

        PrometheusRegistry registry = new PrometheusRegistry();
        new JmxCollector(RULES.toFile()).register(registry);
        List<String> lines = scrape(registry);
        long numericAttributes = Arrays.stream(ManagementFactory.getPlatformMBeanServer()
                .getMBeanInfo(BusMetrics.objectName(busName)).getAttributes())
                .filter(attribute -> !attribute.getType().equals(String.class.getName())).count();
        bus.stop();

        String bus1 = "{bus=\"" + busName + "\"}";
        assertTrue(lines.contains("cloudstack_kafka_event_bus_accepted_total" + bus1 + " 30.0"), String.join("\n", lines));
        assertTrue(lines.contains("cloudstack_kafka_event_bus_delivered_total" + bus1 + " 30.0"));
        assertTrue(lines.contains("cloudstack_kafka_event_bus_spooled_total" + bus1 + " 30.0"));
        assertTrue(lines.contains("cloudstack_kafka_event_bus_dead_lettered_total" + bus1 + " 0.0"));
        assertTrue(lines.contains("cloudstack_kafka_event_bus_pending" + bus1 + " 0.0"));
        assertTrue(lines.contains("cloudstack_kafka_event_bus_kafka_taking_events" + bus1 + " 1.0"));
        assertTrue(lines.contains("cloudstack_kafka_event_bus_sender_running" + bus1 + " 1.0"));
        assertTrue(lines.contains("cloudstack_kafka_event_bus_oldest_undelivered_age_seconds" + bus1 + " 0.0"));
        assertTrue(lines.contains("cloudstack_kafka_event_bus_last_error_timestamp_seconds" + bus1 + " 0.0"));
        assertTrue(lines.contains("cloudstack_kafka_event_bus_publish_latency_window_calls" + bus1 + " 30.0"));
        assertTrue(lines.contains("cloudstack_kafka_event_bus_subscribers" + bus1 + " 1.0"));
        assertTrue(lines.contains("cloudstack_kafka_event_bus_subscriber_delivered_total" + bus1 + " 30.0"));
        assertTrue(lines.contains("cloudstack_kafka_event_bus_subscriber_dropped_total" + bus1 + " 0.0"));
        assertTrue(lines.stream().anyMatch(line -> line.matches("# TYPE cloudstack_kafka_event_bus_delivered(_total)? counter")),
                "a counter, as Prometheus types it: " + lines.stream().filter(line -> line.startsWith("# TYPE")).collect(Collectors.toList()));
        double p50 = value(lines, "cloudstack_kafka_event_bus_publish_latency_seconds{bus=\"" + busName + "\",quantile=\"0.5\"}");
        double p999 = value(lines, "cloudstack_kafka_event_bus_publish_latency_seconds{bus=\"" + busName + "\",quantile=\"0.999\"}");
        double max = value(lines, "cloudstack_kafka_event_bus_publish_latency_max_seconds" + bus1);
        assertTrue(0 < p50 && p50 <= p999 && p999 <= max && max < 1, p50 + " " + p999 + " " + max + ": in seconds");

        assertEquals(numericAttributes, lines.stream().filter(line -> line.startsWith("cloudstack_kafka_event_bus_")
                && line.contains("bus=\"" + busName + "\"")).count(), "one series for each number the MBean shows");

        String client = "{client_id=\"cloudstack-event-bus-" + ManagementServer.local().host() + "-" + busName + "\"}";
        // Not exact counts: a retried batch is counted again, and a producer the bus replaced took its counts with it.
        assertTrue(value(lines, "cloudstack_kafka_producer_record_send_total" + client) > 0, String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("cloudstack_kafka_producer_record_error_total" + client + " ")),
                "the producer's error counter is exported too");
        assertTrue(value(lines, "cloudstack_kafka_producer_request_latency_avg" + client) > 0);
        assertTrue(value(lines, "cloudstack_kafka_producer_buffer_available_bytes" + client) > 0);
    }

    /** What Prometheus would read from the exporter's endpoint, line by line. */
    private static List<String> scrape(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(text, registry.scrape(), EscapingScheme.ALLOW_UTF8);
        return List.of(text.toString(StandardCharsets.UTF_8).split("\n"));
    }

    private static double value(List<String> lines, String series) {
        List<String> matching = lines.stream().filter(line -> line.startsWith(series + " ")).collect(Collectors.toList());
        assertEquals(1, matching.size(), series + " in\n" + String.join("\n", lines));
        return Double.parseDouble(matching.get(0).substring(series.length() + 1));
    }
}
