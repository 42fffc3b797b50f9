package io.kafkabus.cloudstack.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;

import io.kafkabus.cloudstack.config.ClassNames;
import io.kafkabus.cloudstack.config.ClientProperties;
import io.kafkabus.cloudstack.config.EventBusConfig;

/**
 * {@code tail}: the bus's topics as they fill, one line an event. A consumer without a group
 * (assigned every partition, committing nothing), so it leaves no trace on the cluster; every call
 * to Kafka is bounded, so unreachable brokers end it within about 15 seconds.
 */
final class TailCommand implements Command {
    private static final Option CONFIG = BusConfigFile.OPTION;
    private static final Option TOPIC = Option.withValue("topic", "T", "read topic T instead of the configured ones (repeatable, or a comma list)");
    private static final Option FROM = Option.withValue("from", "TIME", "start at TIME: ISO-8601 (2026-12-02T03:00:00Z) or an age (10m, 2h); default: the end");
    private static final Option MAX = Option.withValue("max", "N", "end after printing N events");
    private static final Option CATEGORY = Option.withValue("category", "PATTERN", "only events of this category (exact or glob, any case)");
    private static final Option TYPE = Option.withValue("type", "PATTERN", "only events of this type, e.g. VM.*");
    private static final Option RESOURCE = Option.withValue("resource", "PATTERN", "only events whose resource type or UUID matches");
    private static final Option JSON = Option.flag("json", "print each record's value as published, one a line");
    /** Bounds each call to Kafka: with the steps before and after, unreachable brokers end the command within ~15 s. */
    private static final Duration KAFKA_CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(500);

    @Override
    public String name() {
        return "tail";
    }

    @Override
    public String summary() {
        return "print the events arriving on the bus's topics, one line each (or --json), with filters";
    }

    @Override
    public String arguments() {
        return "";
    }

    @Override
    public String description() {
        return "Reads the topics of the properties file (topic, the values of category.topics and type.topics,\n"
                + "state.topic; or those given with --topic) with the bus's brokers and security settings, and prints\n"
                + "one line per event: TIME CATEGORY TYPE RESOURCE-TYPE/UUID ID ('-' where the event has none; the\n"
                + "resource is not known with value.format=description). Starts at the end (new events only), or\n"
                + "--from a time. Uses no consumer group and commits nothing. Ctrl-C ends it.\n"
                + "Topics named by topic.template cannot be listed in advance: give them with --topic.\n"
                + "Exit codes: 0 ended by --max; 1 no properties file, brokers unreachable, login refused, a topic\n"
                + "missing; 2 wrong command line; 130 ended by Ctrl-C (after closing the consumer), as any program.";
    }

    @Override
    public List<Option> options() {
        return List.of(CONFIG, TOPIC, FROM, MAX, CATEGORY, TYPE, RESOURCE, JSON);
    }

    @Override
    public int run(CommandLine line, Console console) throws UsageException {
        if (!line.positional().isEmpty()) {
            throw new UsageException("tail: takes no argument, got " + line.positional() + " (the file goes with --config)");
        }
        Instant from = line.has(FROM.name) ? StartTime.parse(line.value(FROM.name, null), Instant.now()) : null;
        long max = max(line);
        TailFilter filter = new TailFilter(line.value(CATEGORY.name, null), line.value(TYPE.name, null),
                line.value(RESOURCE.name, null));
        try {
            EventBusConfig config = BusConfigFile.load(line);
            Set<String> topics = topics(line, config, console);
            return tail(config, topics, from, max, filter, line.has(JSON.name), console);
        } catch (CommandFailedException e) {
            console.error(e.getMessage());
            return ExitCode.PROBLEMS;
        }
    }

    private static long max(CommandLine line) throws UsageException {
        String text = line.value(MAX.name, null);
        if (text == null) {
            return Long.MAX_VALUE;
        }
        try {
            long max = Long.parseLong(text.trim());
            if (max > 0) {
                return max;
            }
        } catch (NumberFormatException e) {
            // the usage error below
        }
        throw new UsageException("tail: --max " + text + ": expected a number of events, at least 1");
    }

    /** The topics given with --topic, else every topic the configuration names. */
    private static Set<String> topics(CommandLine line, EventBusConfig config, Console console) {
        Set<String> topics = new LinkedHashSet<>();
        for (String given : line.values(TOPIC.name)) {
            for (String topic : given.split(",")) {
                if (!topic.isBlank()) {
                    topics.add(topic.trim());
                }
            }
        }
        if (!topics.isEmpty()) {
            return topics;
        }
        topics.add(config.topic());
        topics.addAll(config.categoryTopics().values());
        topics.addAll(config.typeTopics().values());
        if (!config.stateTopic().isEmpty()) {
            topics.add(config.stateTopic());
        }
        if (config.topicTemplate() != null) {
            console.error("note: " + EventBusConfig.TOPIC_TEMPLATE + "=" + config.topicTemplate()
                    + " names topics per event; read those with --topic");
        }
        return topics;
    }

    private static int tail(EventBusConfig config, Set<String> topics, Instant from, long max, TailFilter filter,
                            boolean json, Console console) throws CommandFailedException {
        String brokers = String.join(",", config.bootstrapServers());
        console.progress("connecting to " + brokers);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(config)) {
            List<TopicPartition> partitions = partitions(consumer, topics, brokers);
            consumer.assign(partitions);
            seek(consumer, partitions, from);
            console.progress("reading " + partitions.size() + " partition(s) of " + String.join(", ", topics)
                    + (from == null ? " from the end" : " from " + from) + "; Ctrl-C ends");
            return print(consumer, max, filter, json, console);
        } catch (AuthenticationException e) {
            throw new CommandFailedException("Kafka refused the login (security.protocol="
                    + config.producerProperties().getOrDefault("security.protocol", "PLAINTEXT") + ", sasl.mechanism="
                    + config.producerProperties().getOrDefault("sasl.mechanism", "GSSAPI") + "): " + kafkaReason(e)
                    + "; check the user and password in sasl.jaas.config");
        } catch (AuthorizationException e) {
            throw new CommandFailedException("Kafka refused to let this principal read: " + kafkaReason(e));
        } catch (TimeoutException e) {
            throw new CommandFailedException("cannot reach the Kafka brokers " + brokers + " within "
                    + KAFKA_CALL_TIMEOUT.getSeconds() + " s (" + kafkaReason(e) + "); check bootstrap.servers, the"
                    + " network and the brokers");
        } catch (KafkaException e) {
            throw new CommandFailedException("cannot read from Kafka (" + brokers + "): " + kafkaReason(e));
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(EventBusConfig config) {
        Map<String, Object> properties = ClientProperties.byteReader(config.producerProperties(), "tail");
        // Looking a topic up must never create it on a broker with auto.create.topics.enable.
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_CALL_TIMEOUT.toMillis());
        return new KafkaConsumer<>(ClientProperties.resolved(properties));
    }

    /** Every partition of {@code topics}; each must exist. */
    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, Set<String> topics, String brokers)
            throws CommandFailedException {
        Map<String, List<PartitionInfo>> existing = consumer.listTopics(KAFKA_CALL_TIMEOUT);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = existing.get(topic);
            if (infos == null) {
                throw new CommandFailedException("topic " + topic + " does not exist on " + brokers
                        + " (or this principal may not describe it)");
            }
            infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        return partitions;
    }

    /** Places each partition at the first record at or after {@code from}, else at its end; now, not at the first poll. */
    private static void seek(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Instant from) {
        consumer.seekToEnd(partitions);
        if (from != null) {
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(p -> times.put(p, from.toEpochMilli()));
            consumer.offsetsForTimes(times, KAFKA_CALL_TIMEOUT).forEach((partition, found) -> {
                if (found != null) {
                    consumer.seek(partition, found.offset());
                }
            });
        }
        partitions.forEach(p -> consumer.position(p, KAFKA_CALL_TIMEOUT));
    }

    /** Polls until {@code max} events are printed or Ctrl-C (which wakes the consumer up). */
    private static int print(KafkaConsumer<byte[], byte[]> consumer, long max, TailFilter filter, boolean json, Console console) {
        CountDownLatch ended = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            consumer.wakeup();
            try {
                ended.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tail-ctrl-c");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        long printed = 0;
        try {
            while (printed < max) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    TailedEvent event = TailedEvent.of(record.timestamp(), record.headers(), record.value());
                    if (printed < max && filter.accepts(event)) {
                        console.println(!json ? event.line()
                                : record.value() == null ? "null" : new String(record.value(), StandardCharsets.UTF_8));
                        printed++;
                    }
                }
            }
            Runtime.getRuntime().removeShutdownHook(onCtrlC);
            return ExitCode.OK;
        } catch (WakeupException e) {
            return ExitCode.OK; // Ctrl-C: the JVM is ending, with the signal's status
        } finally {
            ended.countDown();
        }
    }

    /** The exception's message, class names as the operator knows them (not relocated). */
    private static String kafkaReason(KafkaException e) {
        return ClassNames.standardNames(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
