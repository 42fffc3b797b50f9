package io.kafkabus.cloudstack.metrics;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import javax.management.JMException;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkabus.cloudstack.delivery.EventDelivery;
import io.kafkabus.cloudstack.subscription.SubscriberStatistics;

/**
 * One bus's metrics: times its publish() calls, and shows them with its delivery's counters as
 * the MXBean {@code com.cloud:type=KafkaEventBus,name=<bus name>} (CloudStack's own MBeans are in
 * the {@code com.cloud} domain) on the platform MBean server. The bus runs the same without it.
 */
public final class BusMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(BusMetrics.class);
    /** A bus name with none of these is a valid unquoted ObjectName value. */
    private static final Pattern NEEDS_QUOTES = Pattern.compile("[,=:\"*?\\\\\\n]");

    private final LatencyHistogram publishLatency = new LatencyHistogram(LatencyHistogram.WINDOW);
    private final AtomicReference<ObjectName> registered = new AtomicReference<>();

    /**
     * Counts one publish() begun at {@code startNanos} (a {@link System#nanoTime()} reading). On
     * CloudStack's thread: a clock reading and a few atomic operations, no lock.
     */
    public void publishTook(long startNanos) {
        long now = System.nanoTime();
        publishLatency.record(now - startNanos, now);
    }

    /**
     * Registers the MXBean of bus {@code busName}. When JMX refuses (the name taken by another bus
     * of this JVM, a security manager), logs one WARN and carries on.
     */
    public void register(String busName, EventDelivery delivery, Supplier<SubscriberStatistics> subscribers) {
        ObjectName name = null;
        try {
            name = objectName(busName);
            ManagementFactory.getPlatformMBeanServer().registerMBean(
                    new BusMonitor(delivery, subscribers, publishLatency, System::nanoTime), name);
            registered.set(name);
        } catch (JMException | RuntimeException e) {
            LOG.warn("Kafka event bus {}: cannot register its JMX MBean {} ({}); the bus runs without it. If another "
                    + "bus in this management server has the same name, give each bus its own name or remove the "
                    + "duplicate definition; if a security manager refused, grant the plugin javax.management.MBeanPermission",
                    busName, name == null ? busName : name, e.toString());
        }
    }

    /** Unregisters the MXBean, if this bus registered one. Idempotent; never throws. */
    public void unregister() {
        ObjectName name = registered.getAndSet(null);
        if (name == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException | RuntimeException e) {
            // Someone else unregistered it already: nothing is left behind.
            LOG.debug("Kafka event bus MBean {} was not unregistered", name, e);
        }
    }

    /** {@code com.cloud:type=KafkaEventBus,name=<bus name>}, the name quoted when it holds ObjectName syntax. */
    public static ObjectName objectName(String busName) throws MalformedObjectNameException {
        String value = NEEDS_QUOTES.matcher(busName).find() || busName.isEmpty() ? ObjectName.quote(busName) : busName;
        return new ObjectName("com.cloud:type=KafkaEventBus,name=" + value);
    }
}
