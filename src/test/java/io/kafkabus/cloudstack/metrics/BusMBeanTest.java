package io.kafkabus.cloudstack.metrics;

import static io.kafkabus.cloudstack.testing.Conditions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.cloudstack.framework.events.EventTopic;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.KafkaEventBus;
import io.kafkabus.cloudstack.delivery.BusStatistics;
import io.kafkabus.cloudstack.event.ManagementServer;
import io.kafkabus.cloudstack.testing.KafkaCluster;
import io.kafkabus.cloudstack.testing.LogCapture;
import io.kafkabus.cloudstack.testing.Ports;
import io.kafkabus.cloudstack.testing.TestBuses;

/** The bus's MBean and its producer's metrics, read the way jconsole or an exporter reads them: from the platform MBean server. */
class BusMBeanTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();
    private static final String JAAS_PASSWORD = "jmx-test-secret-7f3a";

    @TempDir
    Path dir;

    private static Object attribute(ObjectName name, String attribute) {
        try {
            return JMX.getAttribute(name, attribute);
        } catch (JMException e) {
            throw new AssertionError("cannot read " + name + " " + attribute, e);
        }
    }

    private static double micros(ObjectName name, String attribute) {
        return (Double) attribute(name, attribute);
    }

    @Test
    void afterRealTrafficTheMBeanShowsWhatWasPublishedAndDeliveredAndOrderedLatencies() throws Exception {
        KafkaCluster kafka = KafkaCluster.shared();
        String busName = "jmxBus-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "jmx-" + busName;
        kafka.createTopic(topic, 3);
        KafkaEventBus bus = TestBuses.configured(busName, dir, kafka.bootstrapServers(), topic);
        ObjectName name = new ObjectName("com.cloud:type=KafkaEventBus,name=" + busName);
        AtomicInteger received = new AtomicInteger();
        bus.subscribe(new EventTopic(null, null, null, null, null), event -> received.incrementAndGet());
        bus.start();
        int events = 200;
        for (int n = 0; n < events; n++) {
            bus.publish(TestBuses.numbered(n, 7));
        }
        await(() -> (Long) attribute(name, "Delivered") == events, WAIT, "the MBean counts every event delivered");
        assertEquals(events, kafka.consume(topic, events, WAIT).size());
        await(() -> received.get() == events, WAIT, "the subscriber gets every event");
        assertEquals(1, attribute(name, "Subscribers"));
        assertEquals((long) events, attribute(name, "SubscriberDelivered"));
        assertEquals(0L, attribute(name, "SubscriberDropped"));

        assertEquals((long) events, attribute(name, "Accepted"));
        assertEquals((long) events, attribute(name, "Spooled"));
        assertEquals(0L, attribute(name, "Pending"));
        assertEquals(0L, (Long) attribute(name, "Failed") + (Long) attribute(name, "Dropped"));
        assertEquals(true, attribute(name, "Durable"));
        assertEquals(true, attribute(name, "KafkaTakingEvents"));
        assertEquals("", attribute(name, "LastError"));
        assertEquals("", attribute(name, "LastErrorTime"));
        // Housekeeping may still trim the spool: the two readings agree once it is done.
        await(() -> statistics(bus, null).equals(statistics(bus, name)), WAIT, "every statistic, read live: "
                + statistics(bus, null) + " vs " + statistics(bus, name));

        assertEquals((long) events, attribute(name, "PublishLatencyCount"));
        double p50 = micros(name, "PublishLatencyP50Micros");
        double p99 = micros(name, "PublishLatencyP99Micros");
        double p999 = micros(name, "PublishLatencyP999Micros");
        double max = micros(name, "PublishLatencyMaxMicros");
        assertTrue(0 < p50 && p50 <= p99 && p99 <= p999 && p999 <= max, p50 + " " + p99 + " " + p999 + " " + max);

        ObjectName producer = new ObjectName("kafka.producer:type=producer-metrics,client-id=cloudstack-event-bus-"
                + ManagementServer.local().host() + "-" + busName);
        // Visible and counting. Not an exact count: a retried batch is counted again, and a producer the bus
        // replaced after a failure (a leader moving on a loaded machine) took its counts with it.
        double sent = (Double) attribute(producer, "record-send-total");
        assertTrue(sent > 0, "the producer's own metrics, under its client.id: record-send-total=" + sent);

        bus.stop();
        bus.stop();
        assertFalse(JMX.isRegistered(name), "unregistered at stop");
    }

    @Test
    void withKafkaUnreachableTheMBeanSaysKafkaIsNotTakingEventsAndShowsTheLastErrorWithoutSecrets() throws Exception {
        String busName = "jmxAway-" + UUID.randomUUID().toString().substring(0, 8);
        KafkaEventBus bus = TestBuses.configured(busName, dir, "localhost:" + Ports.closed(), "events",
                "spool.enabled", "false", "max.block.ms", "500", "stop.timeout.ms", "1000",
                "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"" + JAAS_PASSWORD + "\";");
        ObjectName name = new ObjectName("com.cloud:type=KafkaEventBus,name=" + busName);
        long before = System.currentTimeMillis();
        bus.start();
        bus.publish(TestBuses.numbered(1, 1));

        await(() -> !(Boolean) attribute(name, "KafkaTakingEvents") && !"".equals(attribute(name, "LastError")), WAIT,
                "KafkaTakingEvents false and a LastError");
        // Retries send again with a new producer (each waiting max.block.ms for Kafka): it stays false through them.
        long watchUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < watchUntil) {
            assertEquals(false, attribute(name, "KafkaTakingEvents"), "false between retries too, while Kafka is away");
            Thread.sleep(5);
        }
        String lastError = (String) attribute(name, "LastError");
        assertTrue(lastError.startsWith("Kafka event bus " + busName + ": "), lastError);
        long at = (Long) attribute(name, "LastErrorEpochMs");
        assertTrue(before <= at && at <= System.currentTimeMillis(), at + " not in the test's time");
        assertEquals(Instant.ofEpochMilli(at).toString(), attribute(name, "LastErrorTime"));
        assertEquals(1L, attribute(name, "Pending"));
        for (MBeanAttributeInfo info : JMX.getMBeanInfo(name).getAttributes()) {
            assertFalse(String.valueOf(attribute(name, info.getName())).contains(JAAS_PASSWORD), info.getName());
        }

        bus.stop();
        bus.stop();
        assertFalse(JMX.isRegistered(name), "unregistered at stop, Kafka away or not");
    }

    @Test
    void aSecondBusOfTheSameNameRunsWithoutAnMBeanAndSaysWhyOnce() throws Exception {
        String busName = "jmxTwice-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectName name = new ObjectName("com.cloud:type=KafkaEventBus,name=" + busName);
        KafkaEventBus first = TestBuses.configured(busName, dir.resolve("first"), "localhost:" + Ports.closed(), "events",
                "spool.enabled", "false");
        KafkaEventBus second;
        List<String> warnings;
        try (LogCapture log = LogCapture.attach(Level.WARN, BusMetrics.class.getName())) {
            second = TestBuses.configured(busName, dir.resolve("second"), "localhost:" + Ports.closed(), "events",
                    "spool.enabled", "false");
            warnings = log.messages();
        }
        assertEquals(List.of("Kafka event bus " + busName + ": cannot register its JMX MBean " + name
                + " (javax.management.InstanceAlreadyExistsException: " + name + "); the bus runs without it. If another "
                + "bus in this management server has the same name, give each bus its own name or remove the duplicate "
                + "definition; if a security manager refused, grant the plugin javax.management.MBeanPermission"), warnings);
        second.publish(TestBuses.numbered(1, 1));
        assertEquals(1, second.statistics().accepted(), "the second bus publishes all the same");

        second.stop();
        assertTrue(JMX.isRegistered(name), "stopping the second bus leaves the first bus's MBean alone");
        assertEquals(0L, attribute(name, "Accepted"), "the first bus's counters");
        first.stop();
        assertFalse(JMX.isRegistered(name));
    }

    /** Each public getter of {@link BusStatistics}: the statistics the MBean must show, each as an attribute. */
    private static List<Method> statisticGetters() {
        List<Method> getters = new ArrayList<>();
        for (Method method : BusStatistics.class.getDeclaredMethods()) {
            if (method.getParameterCount() == 0 && Modifier.isPublic(method.getModifiers())
                    && !Modifier.isStatic(method.getModifiers()) && !method.getName().equals("toString")) {
                getters.add(method);
            }
        }
        return getters;
    }

    /** The bus's statistics as "Attribute=value", sorted, read from the bus ({@code name} null) or from its MBean. */
    private static List<String> statistics(KafkaEventBus bus, ObjectName name) {
        BusStatistics statistics = bus.statistics();
        List<String> values = new ArrayList<>();
        for (Method getter : statisticGetters()) {
            String attribute = Character.toUpperCase(getter.getName().charAt(0)) + getter.getName().substring(1);
            try {
                values.add(attribute + "=" + (name == null ? getter.invoke(statistics) : attribute(name, attribute)));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        values.sort(null);
        return values;
    }
}
