package io.kafkabus.cloudstack.it;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.cloudstack.framework.events.Event;
import org.apache.cloudstack.framework.events.EventBus;
import org.apache.cloudstack.framework.events.EventBusException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericXmlApplicationContext;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import com.cloud.utils.component.ComponentLifecycle;

/**
 * Plays a CloudStack management server around the built plugin jar, in a JVM whose class path is
 * shaped like the server's: loads the Spring modules the way CloudStack does, runs the component
 * lifecycle, and publishes events the way the era's publishers reach the bus.
 *
 * <p>Usage: {@code ManagementServerHarness <era: 4.20|4.19> <events file>} (with {@code -Dharness.run.ms=N}, the
 * server runs N ms after start() before it stops; with {@code -Dharness.run.until.delivered.ms=N}, until its
 * buses hold no event, at most N ms). Writes what it did to
 * standard output, one {@code HARNESS ...} line per fact, for the test that started it to check;
 * exits 0 when the run itself went through.
 *
 * <ul>
 * <li>4.20+: every {@code META-INF/cloudstack/*}{@code /module.properties} is read; each module whose
 * parent was loaded gets a child context of that parent built from its {@code *context.xml} files;
 * events go to every {@link EventBus} of the {@code event} module's context and the contexts below
 * it, one after another on the caller's thread, as CloudStack's EventDistributor does.</li>
 * <li>4.19-: same module loading, but there is no {@code event} module, so modules naming it as
 * parent are skipped; events go to the one bus {@code core} gives for the type (the primary one).</li>
 * </ul>
 */
public final class ManagementServerHarness {
    private static final String MODULES = "classpath*:META-INF/cloudstack/*/module.properties";
    private static final String EVENT_SOURCE = "management-server";
    /** How long, in ms, the server runs between publishing after start() and stop(); 0 by default. */
    private static final String RUN_FOR_PROPERTY = "harness.run.ms";
    /** At most how long, in ms, the server runs after start() waiting for its buses to deliver everything; 0 by default. */
    private static final String UNTIL_DELIVERED_PROPERTY = "harness.run.until.delivered.ms";
    private static final long MBEAN_WAIT_MS = 30_000;

    private final String era;
    private final ServerLogging logging;
    private final PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
    private final Map<String, ConfigurableApplicationContext> contexts = new LinkedHashMap<>();
    private final Map<String, String> parents = new TreeMap<>();
    private final List<ComponentLifecycle> components = new ArrayList<>();

    private ManagementServerHarness(String era, ServerLogging logging) {
        this.era = era;
        this.logging = logging;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("4.20") || args[0].equals("4.19"))) {
            System.err.println("usage: ManagementServerHarness <4.20|4.19> <events file>");
            System.exit(64);
        }
        int status;
        try {
            // The server sets its logging up before any module is loaded, as CloudStack does.
            ServerLogging logging = args[0].equals("4.20") ? new Log4j2ServerLogging() : new Log4j1ServerLogging();
            status = new ManagementServerHarness(args[0], logging).run(readEvents(args[1]));
        } catch (Throwable e) {
            report("FAILED " + e);
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    private int run(List<EventSpec> events) throws Exception {
        logging.info("com.cloud.utils.server.ServerDaemon", "Harness management server (CloudStack " + era + ") starting");
        String loggingBefore = logging.describe();
        report("LOGCONFIG before " + loggingBefore);
        report("SERVER kafka-clients=" + staticValue("org.apache.kafka.common.utils.AppInfoParser", "getVersion")
                + " jackson=" + staticValue("com.fasterxml.jackson.databind.cfg.PackageVersion", "VERSION"));
        report("API EventBus.getName=" + hasMethod(EventBus.class, "getName")
                + " Event.getEventUuid=" + hasMethod(Event.class, "getEventUuid"));

        loadModules();
        List<EventBus> buses = findBuses();
        if (buses.isEmpty()) {
            report("FAILED no event bus");
            return 2;
        }

        // Publishers may run between configure() and start().
        publish(buses, events, "before-start");
        components.sort(Comparator.comparingInt(ComponentLifecycle::getRunLevel));
        for (ComponentLifecycle component : components) {
            report("START " + component.getName() + " returned " + component.start());
        }
        publish(buses, events, "after-start");
        report("LOGCONFIG after-start " + logging.describe());
        // A test that measures what a running server logs over a fixed time (an outage, say) keeps it up that long.
        long runFor = Long.getLong(RUN_FOR_PROPERTY, 0);
        if (runFor > 0) {
            Thread.sleep(runFor);
            report("RAN " + runFor + " ms");
        }
        // A test that fixes a cause of failure while the server runs (a rotated password, say) keeps it up until delivered.
        long untilDelivered = Long.getLong(UNTIL_DELIVERED_PROPERTY, 0);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName bus : server.queryNames(new ObjectName("com.cloud:type=KafkaEventBus,*"), null)) {
            awaitDelivered(bus, untilDelivered, () -> true);
        }
        reportMBeans();

        List<ComponentLifecycle> stopping = new ArrayList<>(components);
        java.util.Collections.reverse(stopping);
        for (int round = 1; round <= 2; round++) {
            for (ComponentLifecycle component : stopping) {
                try {
                    report("STOP " + round + " " + component.getName() + " returned " + component.stop());
                } catch (Throwable e) {
                    report("STOP-FAILED " + round + " " + component.getName() + " " + e);
                }
            }
        }
        for (EventBus bus : buses) {
            report("STATS " + busName(bus) + " " + invoke(bus, "statistics"));
        }
        report("LZ4 factory=" + staticValue("io.kafkabus.cloudstack.shaded.lz4.lz4.LZ4Factory", "fastestInstance")
                + " xxhash=" + staticValue("io.kafkabus.cloudstack.shaded.lz4.xxhash.XXHashFactory", "fastestInstance")
                + " nativeLoaded=" + staticValue("io.kafkabus.cloudstack.shaded.lz4.util.Native", "isLoaded"));
        List<ConfigurableApplicationContext> closing = new ArrayList<>(contexts.values());
        java.util.Collections.reverse(closing);
        closing.forEach(ConfigurableApplicationContext::close);
        report("LOGCONFIG after-stop " + logging.describe());
        report("DONE");
        return 0;
    }

    /**
     * What JMX shows of each bus and of its Kafka producer, as jconsole would read it from this JVM,
     * once the bus holds nothing more Kafka is taking (at most {@link #MBEAN_WAIT_MS}).
     */
    private static void reportMBeans() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName bus : server.queryNames(new ObjectName("com.cloud:type=KafkaEventBus,*"), null)) {
            awaitDelivered(bus, MBEAN_WAIT_MS, () -> (Boolean) server.getAttribute(bus, "KafkaTakingEvents"));
            report("MBEAN " + bus + " Delivered=" + server.getAttribute(bus, "Delivered") + " Pending="
                    + server.getAttribute(bus, "Pending") + " KafkaTakingEvents=" + server.getAttribute(bus, "KafkaTakingEvents"));
        }
        for (ObjectName producer : server.queryNames(new ObjectName("kafka.producer:type=producer-metrics,*"), null)) {
            // Only the producer's own: a TLS connection adds one naming its cipher and protocol under this type,
            // and a producer whose creation failed (no OAuth token) leaves one without it.
            boolean counts = Arrays.stream(server.getMBeanInfo(producer).getAttributes()).anyMatch(a -> a.getName().equals("record-send-total"));
            if (producer.getKeyPropertyList().size() == 2 && counts) {
                report("MBEAN " + producer + " record-send-total=" + server.getAttribute(producer, "record-send-total"));
            } else {
                report("MBEAN " + producer);
            }
        }
    }

    /** Waits until {@code bus} holds no event, for at most {@code timeoutMs}, and no longer than {@code worthWaiting} holds. */
    private static void awaitDelivered(ObjectName bus, long timeoutMs, Callable<Boolean> worthWaiting) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        long deadline = System.currentTimeMillis() + timeoutMs;
        while ((Long) server.getAttribute(bus, "Pending") > 0 && worthWaiting.call() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    /** CloudStack's module discovery: a module is loaded below its parent, or skipped when the parent is missing. */
    private void loadModules() throws IOException {
        for (Resource resource : resolver.getResources(MODULES)) {
            Properties module = new Properties();
            try (InputStream in = resource.getInputStream()) {
                module.load(in);
            }
            String name = module.getProperty("name", "").trim();
            String folder = folderOf(resource);
            if (!name.equals(folder)) {
                report("MODULE INVALID " + resource + ": name=" + name + " but folder " + folder);
                continue;
            }
            parents.put(name, module.getProperty("parent", "").trim());
        }
        for (Map.Entry<String, String> module : parents.entrySet()) {
            if (module.getValue().isEmpty()) {
                load(module.getKey(), null);
            }
        }
        for (Map.Entry<String, String> module : parents.entrySet()) {
            if (!contexts.containsKey(module.getKey())) {
                report("MODULE SKIPPED " + module.getKey() + " parent=" + module.getValue());
            }
        }
    }

    private void load(String name, ConfigurableApplicationContext parent) throws IOException {
        Resource[] xml = resolver.getResources("classpath*:META-INF/cloudstack/" + name + "/*context.xml");
        GenericXmlApplicationContext context = new GenericXmlApplicationContext();
        context.setDisplayName(name);
        context.setParent(parent);
        context.load(xml);
        context.refresh();
        contexts.put(name, context);
        List<String> files = new ArrayList<>();
        for (Resource resource : xml) {
            files.add(resource.getFilename());
        }
        report("MODULE LOADED " + name + " parent=" + parents.get(name) + " xml=" + files);
        // configure() runs as the module's context comes up; a failure here aborts the server's start.
        for (Map.Entry<String, ComponentLifecycle> bean : context.getBeansOfType(ComponentLifecycle.class).entrySet()) {
            ComponentLifecycle component = bean.getValue();
            try {
                boolean configured = component.configure(component.getName(), component.getConfigParams());
                report("CONFIGURE " + name + " " + bean.getKey() + " name=" + component.getName() + " returned " + configured);
            } catch (Exception e) {
                throw new IllegalStateException("configure() of " + bean.getKey() + " failed: the server would not start", e);
            }
            components.add(component);
        }
        for (Map.Entry<String, String> module : parents.entrySet()) {
            if (module.getValue().equals(name)) {
                load(module.getKey(), context);
            }
        }
    }

    private List<EventBus> findBuses() {
        List<EventBus> buses = new ArrayList<>();
        if (era.equals("4.20")) {
            if (!contexts.containsKey("event")) {
                throw new IllegalStateException("no event module");
            }
            for (Map.Entry<String, ConfigurableApplicationContext> module : contexts.entrySet()) {
                if (isAtOrBelow(module.getKey(), "event")) {
                    for (Map.Entry<String, EventBus> bean : module.getValue().getBeansOfType(EventBus.class).entrySet()) {
                        report("BUS " + module.getKey() + " " + bean.getKey() + " " + bean.getValue().getClass().getName()
                                + " name=" + busName(bean.getValue()));
                        buses.add(bean.getValue());
                    }
                }
            }
            report("CORE-BUSES " + contexts.get("core").getBeansOfType(EventBus.class).keySet());
        } else {
            EventBus bus = contexts.get("core").getBean(EventBus.class);
            report("BUS core " + contexts.get("core").getBeanNamesForType(EventBus.class)[0] + " "
                    + bus.getClass().getName() + " name=" + busName(bus) + " all=" + Arrays.toString(contexts.get("core").getBeanNamesForType(EventBus.class)));
            buses.add(bus);
        }
        return buses;
    }

    private boolean isAtOrBelow(String module, String ancestor) {
        for (String current = module; current != null && !current.isEmpty(); current = parents.get(current)) {
            if (current.equals(ancestor)) {
                return true;
            }
        }
        return false;
    }

    private void publish(List<EventBus> buses, List<EventSpec> events, String phase) throws Exception {
        int published = 0;
        for (EventSpec spec : events) {
            if (!spec.phase.equals(phase)) {
                continue;
            }
            Event event = spec.toEvent();
            // Like EventDistributor (4.20+): every bus in turn, on this thread, only EventBusException caught.
            for (EventBus bus : buses) {
                try {
                    bus.publish(event);
                } catch (EventBusException e) {
                    report("PUBLISH-ERROR " + busName(bus) + " " + e.getMessage());
                }
            }
            published++;
        }
        report("PUBLISHED " + phase + " " + published);
    }

    /** EventBus.getName() exists from 4.20 only; every bus is Named through ComponentLifecycle anyway. */
    private static String busName(EventBus bus) {
        return bus instanceof ComponentLifecycle ? ((ComponentLifecycle) bus).getName() : bus.toString();
    }

    private static String folderOf(Resource resource) throws IOException {
        String path = resource.getURL().toString();
        String withoutFile = path.substring(0, path.lastIndexOf('/'));
        return withoutFile.substring(withoutFile.lastIndexOf('/') + 1);
    }

    private static boolean hasMethod(Class<?> type, String name) {
        return Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals(name));
    }

    /** A static method's result or a static field's value of a class on the server's class path. */
    private static String staticValue(String className, String member) {
        try {
            Class<?> type = Class.forName(className);
            try {
                return String.valueOf(type.getMethod(member).invoke(null));
            } catch (NoSuchMethodException e) {
                return String.valueOf(type.getField(member).get(null));
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            return "unavailable(" + e + ")";
        }
    }

    private static String invoke(Object target, String method) {
        try {
            Method found = target.getClass().getMethod(method);
            return String.valueOf(found.invoke(target));
        } catch (ReflectiveOperationException e) {
            return "unavailable(" + e + ")";
        }
    }

    static void report(String line) {
        System.out.println("HARNESS " + line);
        System.out.flush();
    }

    private static List<EventSpec> readEvents(String file) throws IOException {
        List<EventSpec> events = new ArrayList<>();
        for (String line : Files.readAllLines(Paths.get(file), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                events.add(new EventSpec(line.split("\t", -1)));
            }
        }
        return events;
    }

    /**
     * One event to publish: tab-separated, URL-encoded fields, {@code ~} for null. Fields: phase,
     * category, type, resourceType, resourceUuid, description, and the 4.20-only eventUuid,
     * eventId, resourceAccountId, resourceAccountUuid, resourceDomainId.
     */
    private static final class EventSpec {
        final String phase;
        final String[] fields;

        EventSpec(String[] encoded) {
            if (encoded.length != 11) {
                throw new IllegalArgumentException("expected 11 fields, got " + encoded.length);
            }
            fields = new String[encoded.length];
            for (int i = 0; i < encoded.length; i++) {
                fields[i] = encoded[i].equals("~") ? null : URLDecoder.decode(encoded[i], StandardCharsets.UTF_8);
            }
            phase = fields[0];
        }

        Event toEvent() throws ReflectiveOperationException {
            Event event = new Event(EVENT_SOURCE, fields[1], fields[2], fields[3], fields[4]);
            event.setDescription(fields[5]);
            // The 4.20 setters, where this era's Event has them (the harness compiles against either).
            set(event, "setEventUuid", String.class, fields[6]);
            set(event, "setEventId", Long.class, fields[7] == null ? null : Long.valueOf(fields[7]));
            set(event, "setResourceAccountId", Long.class, fields[8] == null ? null : Long.valueOf(fields[8]));
            set(event, "setResourceAccountUuid", String.class, fields[9]);
            set(event, "setResourceDomainId", Long.class, fields[10] == null ? null : Long.valueOf(fields[10]));
            return event;
        }

        private static void set(Event event, String setter, Class<?> type, Object value) throws ReflectiveOperationException {
            if (value == null) {
                return;
            }
            try {
                Event.class.getMethod(setter, type).invoke(event, value);
            } catch (NoSuchMethodException e) {
                report("EVENT-FIELD-ABSENT " + setter);
            }
        }
    }
}
