package io.kafkabus.cloudstack;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.naming.ConfigurationException;

import org.apache.cloudstack.framework.events.Event;
import org.apache.cloudstack.framework.events.EventBus;
import org.apache.cloudstack.framework.events.EventBusException;
import org.apache.cloudstack.framework.events.EventSubscriber;
import org.apache.cloudstack.framework.events.EventTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloud.utils.component.ComponentLifecycle;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.config.PropertiesFile;
import io.kafkabus.cloudstack.config.ReadableSecrets;
import io.kafkabus.cloudstack.delivery.BusStatistics;
import io.kafkabus.cloudstack.delivery.EventDelivery;
import io.kafkabus.cloudstack.delivery.EventDroppedException;
import io.kafkabus.cloudstack.event.CloudStackEvents;
import io.kafkabus.cloudstack.event.DescriptionProcessor;
import io.kafkabus.cloudstack.event.EventEnvelope;
import io.kafkabus.cloudstack.event.ManagementServer;
import io.kafkabus.cloudstack.metrics.BusMetrics;
import io.kafkabus.cloudstack.routing.EventFilter;
import io.kafkabus.cloudstack.routing.RecordRouter;
import io.kafkabus.cloudstack.routing.RoutedRecord;
import io.kafkabus.cloudstack.spool.SpoolLockedException;
import io.kafkabus.cloudstack.subscription.SubscriberStatistics;
import io.kafkabus.cloudstack.subscription.Subscriptions;

/**
 * CloudStack's event bus, publishing to Kafka. Wired by Spring XML, configured from
 * {@code kafka.producer.properties}. {@link #publish} stores the event and returns at once: a
 * sender thread delivers it, so CloudStack never waits on Kafka. Subscribers get events on threads
 * of the bus, never the publisher's (see {@link Subscriptions}).
 */
public class KafkaEventBus implements EventBus, ComponentLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventBus.class);
    static final String DEFAULT_NAME = "kafkaEventBus";

    private final Clock clock;
    private volatile String name = DEFAULT_NAME;
    private volatile Map<String, Object> configParams = Collections.emptyMap();
    private volatile int runLevel = RUN_LEVEL_COMPONENT_BOOTSTRAP;
    private volatile Path propertiesFile;
    /** Null until configured, and when disabled. */
    private volatile Pipeline pipeline;
    private final BusMetrics metrics = new BusMetrics();
    /** In-process subscribers: served also when the bus is disabled, as on 4.19 it is the server's only EventBus. */
    private final Subscriptions subscriptions = new Subscriptions(this::getName);

    public KafkaEventBus() {
        this(Clock.systemUTC());
    }

    /** A bus whose events are timestamped by {@code clock} (tests: a management server's clock running fast). */
    KafkaEventBus(Clock clock) {
        this.clock = clock;
    }

    /** What one configured bus publishes through: CloudStack event -> envelope -> filter -> routed records -> delivery. */
    private static final class Pipeline {
        final CloudStackEvents events;
        final EventFilter filter;
        final RecordRouter router;
        final EventDelivery delivery;

        Pipeline(CloudStackEvents events, EventFilter filter, RecordRouter router, EventDelivery delivery) {
            this.events = events;
            this.filter = filter;
            this.router = router;
            this.delivery = delivery;
        }

        /** The event's records: on its topic unless filtered out, and on state.topic when it is a resource's new state. */
        List<RoutedRecord> route(Event event) {
            EventEnvelope envelope = events.toEnvelope(event);
            RoutedRecord onTopic = null;
            if (filter.accepts(envelope)) {
                onTopic = router.route(envelope);
            } else {
                delivery.countFiltered();
            }
            RoutedRecord onStateTopic = router.routeState(envelope, onTopic);
            if (onStateTopic == null) {
                return onTopic == null ? List.of() : List.of(onTopic);
            }
            return onTopic == null ? List.of(onStateTopic) : List.of(onTopic, onStateTopic);
        }
    }

    /**
     * Reads the properties file and opens the spool. A missing file disables the bus (one WARN);
     * an invalid one fails here, so the operator sees it at start-up.
     */
    @Override
    public synchronized boolean configure(String name, Map<String, Object> params) throws ConfigurationException {
        // Kafka loads the classes its settings name (its own defaults too, in ProducerConfig's class
        // initializer) and JAAS its login modules through the context class loader. CloudStack's threads
        // carry a web application's, which need not see the plugin's classes; the bus's own threads,
        // created here, inherit the plugin's.
        Thread thread = Thread.currentThread();
        ClassLoader caller = thread.getContextClassLoader();
        thread.setContextClassLoader(KafkaEventBus.class.getClassLoader());
        try {
            return configureWithPluginClassLoader(name, params);
        } finally {
            thread.setContextClassLoader(caller);
        }
    }

    private boolean configureWithPluginClassLoader(String name, Map<String, Object> params) throws ConfigurationException {
        if (name != null && !name.isBlank()) {
            this.name = name;
        }
        if (params != null) {
            setConfigParams(params);
        }
        if (pipeline != null) {
            return true;
        }
        Optional<PropertiesFile> file = PropertiesFile.find(propertiesFile, KafkaEventBus.class.getClassLoader());
        if (file.isEmpty()) {
            LOG.warn("Kafka event bus {} is disabled: no {} found in {}", this.name, PropertiesFile.DEFAULT_NAME,
                    PropertiesFile.searchedPlaces(propertiesFile));
            return true;
        }
        ReadableSecrets.warning(file.get()).ifPresent(exposed -> LOG.warn("Kafka event bus {}: the properties file {}",
                this.name, exposed));
        EventBusConfig config = EventBusConfig.parse(file.get().entries(), file.get().location(), this.name);
        try {
            pipeline = warmedUp(new Pipeline(new CloudStackEvents(clock, new DescriptionProcessor(config.redactEnabled(),
                    config.redactFieldsExtra(), config.descriptionExpandFields()), ManagementServer.local()),
                    new EventFilter(config), new RecordRouter(config), EventDelivery.open(config, this.name)));
        } catch (SpoolLockedException e) {
            LOG.error("Kafka event bus {} is disabled: {}. Is the bus wired twice (core and event XML, or a copy of "
                    + "the jar's own XML)? Remove the duplicate definition.", this.name, e.getMessage());
            return true;
        }
        metrics.register(this.name, pipeline.delivery, subscriptions::statistics);
        subscriptions.configure(config);
        LOG.info("Kafka event bus {} configured from {}: bootstrap.servers={}, topic={}, value.format={}, spool={}",
                this.name, config.source(), config.producerProperties().get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG),
                config.topic(), config.valueFormat(), pipeline.delivery.spoolInUse());
        LOG.info("Kafka event bus {} routing: {}", this.name, describeRouting(config));
        if (!config.ignoredKeys().isEmpty()) {
            LOG.info("Kafka event bus {} ignores {} from {}: it always sends the bytes it serialized itself",
                    this.name, config.ignoredKeys(), config.source());
        }
        config.unknownKeyWarnings().forEach(warning -> LOG.warn("Kafka event bus {}: {}", this.name, warning));
        return true;
    }

    /** The routing keys in force, for the start-up log: what an operator checks first when events go missing. */
    private static String describeRouting(EventBusConfig config) {
        return EventBusConfig.TYPE_TOPICS + "=" + config.typeTopics() + ", " + EventBusConfig.CATEGORY_TOPICS + "="
                + config.categoryTopics() + ", " + EventBusConfig.TOPIC_TEMPLATE + "=" + (config.topicTemplate() == null ? ""
                : config.topicTemplate()) + ", " + EventBusConfig.STATE_TOPIC + "=" + config.stateTopic() + ", "
                + EventBusConfig.FILTER_INCLUDE + "=" + config.filterInclude() + ", " + EventBusConfig.FILTER_EXCLUDE + "="
                + config.filterExclude() + ", " + EventBusConfig.KEY_FIELDS + "=" + config.keyFields() + ", "
                + EventBusConfig.REDACT_ENABLED + "=" + config.redactEnabled() + ", " + EventBusConfig.TOPIC_CREATE + "="
                + config.topicCreate();
    }

    /**
     * Runs a sample event through the publishing path, up to the spool: the first publish() would
     * otherwise pay class loading and serializer set-up (about 100 ms) on a CloudStack thread.
     */
    private Pipeline warmedUp(Pipeline fresh) {
        Event sample = new Event("management-server", "ActionEvent", "VM.START", "VirtualMachine", "warm-up");
        // With a field to redact: the rewriting path is loaded too, not on the first job a user runs.
        sample.setDescription("{\"status\":\"Completed\",\"event\":\"VM.START\",\"cmdInfo\":{\"sessionkey\":\"warm-up\"}}");
        fresh.delivery.warmUp(fresh.router.route(fresh.events.toEnvelope(sample)));
        return fresh;
    }

    /** Starts delivering, events published since configure() first. Never throws. */
    @Override
    public boolean start() {
        Pipeline started = pipeline;
        if (started != null) {
            started.delivery.start();
            LOG.info("Kafka event bus {} started", name);
        }
        return true;
    }

    /** Delivers what it can within stop.timeout.ms, then closes. Idempotent; never throws. */
    @Override
    public boolean stop() {
        subscriptions.stop();
        Pipeline stopping = pipeline;
        if (stopping != null) {
            try {
                stopping.delivery.stop();
            } catch (RuntimeException e) {
                LOG.warn("Kafka event bus {}: error while stopping", name, e);
            }
        }
        metrics.unregister();
        return true;
    }

    /**
     * Stores the event for delivery and returns; never waits on Kafka and never throws a
     * RuntimeException.
     *
     * @throws EventBusException only when the event was dropped (spool full or unwritable, bus
     *                           stopped), so that CloudStack can log it too
     */
    @Override
    public void publish(Event event) throws EventBusException {
        subscriptions.offerPublished(event);
        Pipeline target = pipeline;
        if (target == null) {
            return;
        }
        if (event == null) {
            target.delivery.countUnpublishable("publish(null)");
            return;
        }
        long started = System.nanoTime();
        try {
            target.delivery.accept(target.route(event));
        } catch (EventDroppedException e) {
            throw new EventBusException(e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            target.delivery.countUnpublishable(e.toString());
        } finally {
            metrics.publishTook(started);
        }
    }

    /** Counters since configure(); all zero when the bus is disabled. */
    public BusStatistics statistics() {
        Pipeline current = pipeline;
        return current == null ? BusStatistics.none() : current.delivery.statistics();
    }

    /** The subscribers' counters since the bus was created. */
    public SubscriberStatistics subscriberStatistics() {
        return subscriptions.statistics();
    }

    /**
     * Delivers to {@code subscriber}, on a thread of its own, each later event {@code topic} selects
     * (CloudStack's matching rules; see {@link Subscriptions}).
     *
     * @throws EventBusException when {@code topic} or {@code subscriber} is null, or the bus is stopped
     */
    @Override
    public UUID subscribe(EventTopic topic, EventSubscriber subscriber) throws EventBusException {
        return subscriptions.subscribe(topic, subscriber);
    }

    /**
     * Once this returns, the subscriber's onEvent is not called again. {@code subscriber} is not
     * needed, as in CloudStack's own buses: the id says which subscription ends.
     *
     * @throws EventBusException when {@code subscriberId} is null or names no subscription of this bus
     */
    @Override
    public void unsubscribe(UUID subscriberId, EventSubscriber subscriber) throws EventBusException {
        subscriptions.unsubscribe(subscriberId);
    }

    /** An explicit path to the properties file, from the Spring XML; the search is skipped. */
    public void setPropertiesFile(String path) {
        this.propertiesFile = path == null || path.isBlank() ? null : Paths.get(path.trim());
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public void setName(String name) {
        this.name = name;
    }

    @Override
    public void setConfigParams(Map<String, Object> params) {
        this.configParams = Collections.unmodifiableMap(new HashMap<>(params));
    }

    @Override
    public Map<String, Object> getConfigParams() {
        return configParams;
    }

    @Override
    public int getRunLevel() {
        return runLevel;
    }

    @Override
    public void setRunLevel(int level) {
        this.runLevel = level;
    }
}
