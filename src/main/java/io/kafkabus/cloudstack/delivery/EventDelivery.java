package io.kafkabus.cloudstack.delivery;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkabus.cloudstack.config.ClientProperties;
import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.logging.LoggedProblem;
import io.kafkabus.cloudstack.logging.RateLimitedLogger;
import io.kafkabus.cloudstack.routing.RoutedRecord;
import io.kafkabus.cloudstack.spool.DiskSpool;
import io.kafkabus.cloudstack.spool.MemorySpool;
import io.kafkabus.cloudstack.spool.OrphanedSpools;
import io.kafkabus.cloudstack.spool.Spool;
import io.kafkabus.cloudstack.spool.SpoolFullException;
import io.kafkabus.cloudstack.spool.SpoolLockedException;

/**
 * Gets routed records to Kafka: stores each in the spool on the publishing thread, and sends from
 * there on its own sender thread. Counts everything and says what went wrong, without ever
 * throwing at the publisher anything but {@link EventDroppedException}.
 */
public final class EventDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(EventDelivery.class);
    /** How long the sender waits for one broker address to accept a connection when finding out why none answers. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    /** Kafka's Admin client, as the topic creator makes one with {@code topic.create=true}. */
    private static final Function<Map<String, Object>, Admin> KAFKA_ADMIN = properties -> Admin.create(ClientProperties.resolved(properties));

    private final String busName;
    private final EventBusConfig config;
    private final Spool spool;
    private final String spoolInUse;
    private final DeliveryCounters counters = new DeliveryCounters();
    private final RateLimitedLogger problems = new RateLimitedLogger(LOG);
    private final KafkaSender sender;
    private final Time time;
    private boolean started;
    private volatile boolean stopped;

    private EventDelivery(String busName, EventBusConfig config, ChosenSpool chosen, ProducerFactory producerFactory,
                          Function<Map<String, Object>, Admin> adminFactory, Time time) {
        this.busName = busName;
        this.config = config;
        this.spool = chosen.spool;
        this.spoolInUse = chosen.description;
        this.time = time;
        Diagnosis diagnosis = new Diagnosis(new BrokerProbe(config.bootstrapServers(), PROBE_TIMEOUT),
                config.producerProperties().get(SaslConfigs.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL));
        ProducerHandle producers = new ProducerHandle(busName, producerFactory, config.producerProperties(),
                config.maxBlock(), problems, diagnosis, time);
        Housekeeping housekeeping = new Housekeeping(busName, spool, problems, time, config.statsLogInterval(), this::logSummary);
        TopicCreator topicCreator = config.topicCreate() ? new TopicCreator(busName, config, adminFactory, problems, time) : null;
        this.sender = new KafkaSender(busName, spool, producers, counters, problems, housekeeping,
                new DeadLetters(config.deadLetterTopic()), diagnosis, topicCreator, time);
    }

    /**
     * Opens the spool, so that events are kept from now on; nothing is sent before {@link #start}.
     * A disk spool that cannot be used falls back, loudly, to memory.
     *
     * @throws SpoolLockedException when another bus owns the spool directory
     */
    public static EventDelivery open(EventBusConfig config, String busName) throws SpoolLockedException {
        return open(config, busName, ProducerFactory.KAFKA, KAFKA_ADMIN, Time.SYSTEM);
    }

    /** As {@link #open(EventBusConfig, String)}, with the producers and the time it is given (tests). */
    static EventDelivery open(EventBusConfig config, String busName, ProducerFactory producerFactory, Time time)
            throws SpoolLockedException {
        return open(config, busName, producerFactory, KAFKA_ADMIN, time);
    }

    /** As {@link #open(EventBusConfig, String)}, with the producers, Admin clients and time it is given (tests). */
    static EventDelivery open(EventBusConfig config, String busName, ProducerFactory producerFactory,
                              Function<Map<String, Object>, Admin> adminFactory, Time time) throws SpoolLockedException {
        return new EventDelivery(busName, config, openSpool(config, busName), producerFactory, adminFactory, time);
    }

    /** The spool in use, and how the operator is told which one it is. */
    private static final class ChosenSpool {
        final Spool spool;
        final String description;

        ChosenSpool(Spool spool, String description) {
            this.spool = spool;
            this.description = description;
        }
    }

    private static ChosenSpool openSpool(EventBusConfig config, String busName) throws SpoolLockedException {
        if (!config.spoolEnabled()) {
            LOG.info("Kafka event bus {}: spool disabled by configuration; events wait in memory (up to {} bytes) "
                    + "and are lost if the server stops before Kafka has them", busName, config.memoryBufferMaxBytes());
            return new ChosenSpool(new MemorySpool(config.memoryBufferMaxBytes()),
                    "memory (" + EventBusConfig.SPOOL_ENABLED + "=false)");
        }
        Path directory = config.spoolDir().resolve(busName);
        try {
            DiskSpool spool = DiskSpool.open(directory, config.spoolMaxBytes(), config.spoolSegmentBytes(),
                    Math.max(DiskSpool.DEFAULT_MAX_RECORD_BYTES, config.maxRequestSize()), config.fsyncPolicy(), config.fsyncInterval(), config.fsyncTimeout(), owner(busName),
                    "kafka-event-bus-fsync-" + busName);
            if (spool.recoveryReport().damagedRegions() > 0) {
                LOG.warn("Kafka event bus {}: {}", busName, spool.recoveryReport());
            } else {
                LOG.info("Kafka event bus {}: {}", busName, spool.recoveryReport());
            }
            adoptOrphans(spool, directory, busName);
            return new ChosenSpool(spool, "disk " + directory);
        } catch (SpoolLockedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            LOG.error("Kafka event bus {}: cannot use the spool directory {} ({}); events wait in memory only (up to {} bytes) "
                    + "until this is fixed and the management server restarted", busName, directory, e, config.memoryBufferMaxBytes());
            return new ChosenSpool(new MemorySpool(config.memoryBufferMaxBytes()),
                    "memory, as the spool directory " + directory + " cannot be used (" + e + ")");
        }
    }

    private static void adoptOrphans(DiskSpool spool, Path directory, String busName) {
        try {
            for (String adopted : OrphanedSpools.adoptInto(spool, directory, owner(busName))) {
                LOG.warn("Kafka event bus {}: {} (unowned spools are left by a bus renamed or no longer wired, e.g. the "
                        + "4.19 core bus after an upgrade to 4.20; adopted events are sent first)", busName, adopted);
            }
        } catch (IOException e) {
            LOG.warn("Kafka event bus {}: cannot look for unowned spools beside {}: {}", busName, directory, e.toString());
        }
    }

    private static String owner(String busName) {
        return "bus " + busName + " of process " + ManagementFactory.getRuntimeMXBean().getName() + " since " + Instant.now();
    }

    /**
     * Keeps the records of one event for delivery: its topic's unless filtered out, and state.topic's
     * when it has one; none at all for an event filtered out. Called on CloudStack's threads.
     *
     * @throws EventDroppedException when one could not be kept; it is counted and logged
     */
    public void accept(List<RoutedRecord> records) throws EventDroppedException {
        counters.accepted.increment();
        if (!sender.running()) {
            problems.error("Kafka event bus " + busName + ": the sender thread has died; events are kept in the spool "
                    + "and sent after the management server restarts", null);
        }
        for (RoutedRecord record : records) {
            if (stopped) {
                throw dropped("Kafka event bus " + busName + ": event dropped, the bus is stopped", record);
            }
            try {
                spool.append(record);
                counters.spooled.increment();
            } catch (SpoolFullException e) {
                throw dropped("Kafka event bus " + busName + ": event dropped, " + e.getMessage()
                        + " (raise " + EventBusConfig.SPOOL_MAX_BYTES + " or bring Kafka back)", record);
            } catch (IOException e) {
                throw dropped("Kafka event bus " + busName + ": event dropped, the spool cannot be written: " + e, record);
            }
        }
    }

    /** Counts an event the filters keep off its topic; it is still passed to {@link #accept}, with its other records. */
    public void countFiltered() {
        counters.filtered.increment();
    }

    /** Loads and runs what {@link #accept} runs, short of storing {@code sample}. */
    public void warmUp(RoutedRecord sample) {
        spool.warmUp(sample);
    }

    private EventDroppedException dropped(String problem, RoutedRecord record) {
        counters.dropped.increment();
        problems.error(problem, "event id=" + record.eventId());
        return new EventDroppedException(problem);
    }

    /** An event that could not even become a record (null, say): counted as failed and logged. */
    public void countUnpublishable(String reason) {
        counters.accepted.increment();
        counters.failed.increment();
        problems.error("Kafka event bus " + busName + ": an event could not be published", reason);
    }

    /** Starts sending; events kept since {@link #open} (and left by earlier runs) go first. */
    public synchronized void start() {
        if (!started && !stopped) {
            started = true;
            sender.start();
        }
    }

    /**
     * Sends what remains for up to {@code stop.timeout.ms}, then closes the producer and the spool.
     * Safe to call more than once.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        boolean senderEnded = !started || sender.stop(config.stopTimeout());
        long lost = spool.durable() ? 0 : spool.pendingRecords();
        if (lost > 0) {
            LOG.warn("Kafka event bus {}: {} event(s) Kafka had not acknowledged are lost: the spool is {}",
                    busName, lost, spoolInUse);
        }
        if (!senderEnded) {
            // Closing the spool under a thread that still reads it could corrupt what it sends.
            LOG.error("Kafka event bus {}: the sender thread did not end; the spool is left open", busName);
            return;
        }
        try {
            spool.close();
        } catch (IOException e) {
            LOG.warn("Kafka event bus {}: closing the spool failed: {}", busName, e.toString());
        }
        LOG.info("Kafka event bus {} stopped: {}", busName, statistics());
    }

    /** Which spool holds the events: "disk <directory>", or "memory (why)". */
    public String spoolInUse() {
        return spoolInUse;
    }

    public BusStatistics statistics() {
        long oldest = sender.oldestUnacknowledgedMs();
        long pending = spool.pendingRecords();
        long age = oldest < 0 || pending == 0 ? 0 : Math.max(0, time.milliseconds() - oldest);
        return new BusStatistics(counters.accepted.sum(), counters.filtered.sum(), counters.spooled.sum(), counters.delivered.sum(),
                counters.failed.sum(), counters.deadLettered.sum(), counters.dropped.sum(), pending, spool.sizeBytes(),
                spool.durable(), age, spool.damagedRecords(), spool.missingSegments(), spool.unsyncedAppends(),
                spool.syncFailures(), sender.running(), spool.threadsRunning());
    }

    /** Whether Kafka is taking events now: see the README's Monitoring section for what makes it false. */
    public boolean kafkaTakingEvents() {
        return sender.kafkaTakingEvents();
    }

    /** The latest WARN or ERROR problem this bus reported, repeats held back from the log included. */
    public LoggedProblem latestProblem() {
        return problems.latest();
    }

    private void logSummary() {
        LOG.info("Kafka event bus {}: {}", busName, statistics());
    }
}
