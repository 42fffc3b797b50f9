package io.kafkabus.cloudstack.config;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.naming.ConfigurationException;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.kafkabus.cloudstack.event.ManagementServer;

/**
 * The bus's configuration: its own keys, declared once in {@link #PLUGIN_KEYS}, and every other key
 * of {@code kafka.producer.properties} passed to the Kafka producer, over the defaults declared in
 * {@link #PRODUCER_DEFAULTS}. Immutable.
 */
public final class EventBusConfig {

    public static final String TOPIC = "topic";
    public static final String CATEGORY_TOPICS = "category.topics";
    public static final String TYPE_TOPICS = "type.topics";
    public static final String TOPIC_TEMPLATE = "topic.template";
    public static final String STATE_TOPIC = "state.topic";
    public static final String TOPIC_CREATE = "topic.create";
    public static final String TOPIC_CREATE_PARTITIONS = "topic.create.partitions";
    public static final String TOPIC_CREATE_REPLICATION_FACTOR = "topic.create.replication.factor";
    public static final String FILTER_INCLUDE = "filter.include";
    public static final String FILTER_EXCLUDE = "filter.exclude";
    public static final String KEY_FIELDS = "key.fields";
    public static final String VALUE_FORMAT = "value.format";
    public static final String REDACT_ENABLED = "redact.enabled";
    public static final String REDACT_FIELDS_EXTRA = "redact.fields.extra";
    public static final String DESCRIPTION_EXPAND_FIELDS = "description.expand.fields";
    public static final String SPOOL_ENABLED = "spool.enabled";
    public static final String SPOOL_DIR = "spool.dir";
    public static final String SPOOL_MAX_BYTES = "spool.max.bytes";
    public static final String SPOOL_SEGMENT_BYTES = "spool.segment.bytes";
    public static final String SPOOL_FSYNC = "spool.fsync";
    public static final String SPOOL_FSYNC_INTERVAL_MS = "spool.fsync.interval.ms";
    public static final String SPOOL_FSYNC_TIMEOUT_MS = "spool.fsync.timeout.ms";
    public static final String MEMORY_BUFFER_MAX_BYTES = "memory.buffer.max.bytes";
    public static final String STOP_TIMEOUT_MS = "stop.timeout.ms";
    public static final String STATS_LOG_INTERVAL_MS = "stats.log.interval.ms";
    public static final String DEAD_LETTER_TOPIC = "dead.letter.topic";
    public static final String SUBSCRIBERS_SOURCE = "subscribers.source";
    public static final String SUBSCRIBERS_QUEUE_MAX_EVENTS = "subscribers.queue.max.events";
    /** Without a properties file, subscribers still get a queue of this size. */
    public static final int SUBSCRIBERS_QUEUE_MAX_EVENTS_DEFAULT = 10_000;

    /** The plugin's own keys. They are removed before the rest goes to the producer. */
    public static final ConfigDef PLUGIN_KEYS = new ConfigDef()
            .define(TOPIC, Type.STRING, "cloudstack", TopicNames.VALIDATOR, Importance.HIGH,
                    "Topic of every event that type.topics, category.topics and topic.template do not route elsewhere.")
            .define(TYPE_TOPICS, Type.LIST, "", TopicPairs.BY_TYPE.validator, Importance.MEDIUM,
                    "Per-type topics as TYPE:topic pairs, first match wins, e.g. VM.*:cloudstack-vm,ALERT.*:cloudstack-alerts; "
                            + "before category.topics.")
            .define(CATEGORY_TOPICS, Type.LIST, "", TopicPairs.BY_CATEGORY.validator, Importance.MEDIUM,
                    "Per-category topics as Category:topic pairs, e.g. AlertEvent:cloudstack-alerts,UsageEvent:cloudstack-usage; "
                            + "before topic.template.")
            .define(TOPIC_TEMPLATE, Type.STRING, "", TopicTemplate.VALIDATOR, Importance.MEDIUM,
                    "Topic made from the event's fields, e.g. cloudstack.${category}.${type}, for events type.topics and "
                            + "category.topics do not route; values are made legal topic names (see the README); empty: topic.")
            .define(STATE_TOPIC, Type.STRING, "", TopicNames.OPTIONAL_VALIDATOR, Importance.MEDIUM,
                    "Log-compacted topic that also receives every ResourceStateEvent with a resource UUID (VM post-transition "
                            + "events only), keyed by it: each resource's latest state; empty: none.")
            .define(TOPIC_CREATE, Type.BOOLEAN, false, Importance.MEDIUM,
                    "Create each topic the bus sends to (dead.letter.topic included), when missing, through Kafka's Admin API "
                            + "(state.topic compacted); needs the CREATE ACL.")
            .define(TOPIC_CREATE_PARTITIONS, Type.INT, -1, BrokerDefault.VALIDATOR, Importance.LOW,
                    "Partitions of the topics topic.create creates; -1: the broker's num.partitions.")
            .define(TOPIC_CREATE_REPLICATION_FACTOR, Type.SHORT, (short) -1, BrokerDefault.VALIDATOR, Importance.LOW,
                    "Replication factor of the topics topic.create creates; -1: the broker's default.replication.factor.")
            .define(FILTER_INCLUDE, Type.LIST, "", FilterRule.VALIDATOR, Importance.MEDIUM,
                    "Only events matching one of these rules are published, e.g. "
                            + "category=ActionEvent status=Completed,category=AlertEvent; empty: every event.")
            .define(FILTER_EXCLUDE, Type.LIST, "", FilterRule.VALIDATOR, Importance.MEDIUM,
                    "Events matching one of these rules are not published (counted as filtered), e.g. type=ALERT.USAGE* "
                            + "resourceType=Network.")
            .define(KEY_FIELDS, Type.LIST, "resourceUuid,entityUuid,accountUuid,kind", ConfigEnums.listValidator(KeyField.class),
                    Importance.MEDIUM,
                    "Record key: the first of these the event has; kind (category:type) always exists.")
            .define(VALUE_FORMAT, Type.STRING, ConfigEnums.configValue(ValueFormat.ENVELOPE), ConfigEnums.validator(ValueFormat.class),
                    Importance.HIGH,
                    "Record value: 'envelope' (JSON object, see the README), 'description' (the description text alone, as the "
                            + "upstream Kafka bus sends it), or the envelope as a CloudEvent in binary or structured mode.")
            .define(REDACT_ENABLED, Type.BOOLEAN, true, Importance.HIGH,
                    "Replace by \"[redacted]\" the value of every description field, at any depth and inside JSON held in "
                            + "strings, whose name contains sessionkey, password, passwd, signature, apikey, secretkey, secret, "
                            + "token, privatekey, accesskey, credential or userdata (ignoring case, '_', '-' and '.').")
            .define(REDACT_FIELDS_EXTRA, Type.LIST, "", NonBlankList.VALIDATOR, Importance.MEDIUM,
                    "More names to redact, matched the same way, e.g. ipaddress,macaddress.")
            .define(DESCRIPTION_EXPAND_FIELDS, Type.LIST, "", NonBlankList.VALIDATOR, Importance.LOW,
                    "Description fields whose value, JSON text in a string, is sent as the JSON it holds, e.g. "
                            + "cmdInfo,jobResult; empty: sent as CloudStack gave it.")
            .define(SPOOL_ENABLED, Type.BOOLEAN, true, Importance.HIGH,
                    "Write every event to a local disk spool before sending, so outages and restarts lose nothing; "
                            + "false keeps events in memory only.")
            .define(SPOOL_DIR, Type.STRING, "/var/lib/cloudstack/kafka-event-bus", new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "Directory of the spool; each bus keeps its files in a sub-directory named after the bus. "
                            + "Must be writable by the management server's user.")
            .define(SPOOL_MAX_BYTES, Type.LONG, 1L << 30, Range.atLeast(1L << 20), Importance.MEDIUM,
                    "Most bytes of events not yet acknowledged by Kafka the spool holds (at least twice spool.segment.bytes); "
                            + "when reached, new events are refused, counted and logged as dropped.")
            .define(SPOOL_SEGMENT_BYTES, Type.INT, 16 << 20, Range.between(64 << 10, 1 << 30), Importance.LOW,
                    "Size at which the spool starts a new segment file; a segment is deleted once all of it is delivered.")
            .define(SPOOL_FSYNC, Type.STRING, ConfigEnums.configValue(FsyncPolicy.INTERVAL), ConfigEnums.validator(FsyncPolicy.class),
                    Importance.HIGH,
                    "'always': publish() returns once the event is on disk (group commit); "
                            + "'interval': the spool is synced every spool.fsync.interval.ms.")
            .define(SPOOL_FSYNC_INTERVAL_MS, Type.LONG, 1000L, Range.between(1, 60_000), Importance.MEDIUM,
                    "With spool.fsync=interval, how often the spool is synced: the most a power loss can cost.")
            .define(SPOOL_FSYNC_TIMEOUT_MS, Type.LONG, 2000L, Range.atLeast(1), Importance.LOW,
                    "With spool.fsync=always, the longest publish() waits for the disk before returning anyway.")
            .define(MEMORY_BUFFER_MAX_BYTES, Type.LONG, 32L << 20, Range.atLeast(64L << 10), Importance.MEDIUM,
                    "Bound of the in-memory buffer used when the spool is disabled or its directory is unusable.")
            .define(STOP_TIMEOUT_MS, Type.LONG, 10_000L, Range.atLeast(0), Importance.MEDIUM,
                    "How long stop() waits for buffered events to reach Kafka; what is left stays in the spool for the next start.")
            .define(STATS_LOG_INTERVAL_MS, Type.LONG, 900_000L, Range.atLeast(0), Importance.LOW,
                    "How often the one-line delivery summary is logged; 0 turns it off.")
            .define(DEAD_LETTER_TOPIC, Type.STRING, "", TopicNames.OPTIONAL_VALIDATOR, Importance.MEDIUM,
                    "Topic that receives, with the reason in headers, each event Kafka refuses for good (too large, "
                            + "timestamp out of range, topic missing or not writable); empty: such events are counted and logged only.")
            .define(SUBSCRIBERS_SOURCE, Type.STRING, ConfigEnums.configValue(SubscriberSource.LOCAL),
                    ConfigEnums.validator(SubscriberSource.class), Importance.MEDIUM,
                    "What subscribers of this bus (CloudStack components, plugins) receive: 'local', this server's events as "
                            + "published; 'kafka', every server's events read back from topic, category.topics and type.topics.")
            .define(SUBSCRIBERS_QUEUE_MAX_EVENTS, Type.INT, SUBSCRIBERS_QUEUE_MAX_EVENTS_DEFAULT, Range.between(1, 1_000_000),
                    Importance.LOW,
                    "Events waiting for one subscriber; when its queue is full, new events are dropped for that subscriber "
                            + "only, counted and logged.");

    /**
     * Producer keys whose value, when the file does not set them, differs from what a bare Kafka
     * producer would do or matters enough to state. Validation is the producer's own.
     */
    public static final ConfigDef PRODUCER_DEFAULTS = new ConfigDef()
            .define(ProducerConfig.ACKS_CONFIG, Type.STRING, "all", Importance.HIGH,
                    "An event counts as delivered only once every in-sync replica has it.")
            .define(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Type.BOOLEAN, true, Importance.HIGH,
                    "Retries never duplicate or reorder events within a partition (kept on unless acks is not 'all').")
            .define(ProducerConfig.MAX_BLOCK_MS_CONFIG, Type.LONG, 5000L, Importance.MEDIUM,
                    "Bounds the sender thread's wait for metadata or buffer space; CloudStack's threads never wait on Kafka.")
            .define(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Type.INT, Integer.MAX_VALUE, Importance.MEDIUM,
                    "The producer retries for as long as Kafka is away; the spool, not a timeout, bounds what waits.")
            .define(ProducerConfig.RETRIES_CONFIG, Type.INT, 10, Importance.MEDIUM,
                    "Retries of a batch the cluster refused (a leader moving, too few in-sync replicas) before the bus is "
                            + "told: it logs the cause and resends with a new producer, never giving the event up.")
            .define(ProducerConfig.COMPRESSION_TYPE_CONFIG, Type.STRING, "lz4", Importance.MEDIUM,
                    "Compression of record batches: none, gzip or lz4 (snappy and zstd are not bundled).")
            .define(ProducerConfig.LINGER_MS_CONFIG, Type.LONG, 10L, Importance.LOW,
                    "Waits up to this long to batch events together.");

    private static final Set<String> UNSUPPORTED_COMPRESSION = Set.of("snappy", "zstd");
    /** The bus always sends bytes it serialized itself; serializer settings of the upstream file are ignored. */
    private static final Set<String> IGNORED_PRODUCER_KEYS = Set.of(
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

    private final String source;
    private final String topic;
    private final Map<String, String> categoryTopics;
    private final Map<String, String> typeTopics;
    private final TopicTemplate topicTemplate;
    private final String stateTopic;
    private final boolean topicCreate;
    private final int topicCreatePartitions;
    private final short topicCreateReplicationFactor;
    private final List<FilterRule> filterInclude;
    private final List<FilterRule> filterExclude;
    private final List<KeyField> keyFields;
    private final ValueFormat valueFormat;
    private final boolean redactEnabled;
    private final List<String> redactFieldsExtra;
    private final List<String> descriptionExpandFields;
    private final boolean spoolEnabled;
    private final Path spoolDir;
    private final long spoolMaxBytes;
    private final int spoolSegmentBytes;
    private final FsyncPolicy fsyncPolicy;
    private final Duration fsyncInterval;
    private final Duration fsyncTimeout;
    private final long memoryBufferMaxBytes;
    private final Duration stopTimeout;
    private final Duration statsLogInterval;
    private final String deadLetterTopic;
    private final SubscriberSource subscribersSource;
    private final int subscribersQueueMaxEvents;
    private final int maxRequestSize;
    private final List<String> bootstrapServers;
    private final Duration maxBlock;
    private final Map<String, Object> producerProperties;
    private final List<String> ignoredKeys;
    private final Map<String, String> unknownKeys;

    private EventBusConfig(String source, AbstractConfig plugin, Map<String, Object> producerProperties,
                           ProducerConfig producer, List<String> ignoredKeys, Map<String, String> unknownKeys) {
        this.source = source;
        this.topic = plugin.getString(TOPIC);
        this.categoryTopics = TopicPairs.BY_CATEGORY.parse(plugin.getList(CATEGORY_TOPICS));
        this.typeTopics = TopicPairs.BY_TYPE.parse(plugin.getList(TYPE_TOPICS));
        String template = plugin.getString(TOPIC_TEMPLATE);
        this.topicTemplate = template.isEmpty() ? null : TopicTemplate.parse(TOPIC_TEMPLATE, template);
        this.stateTopic = plugin.getString(STATE_TOPIC);
        this.topicCreate = plugin.getBoolean(TOPIC_CREATE);
        this.topicCreatePartitions = plugin.getInt(TOPIC_CREATE_PARTITIONS);
        this.topicCreateReplicationFactor = plugin.getShort(TOPIC_CREATE_REPLICATION_FACTOR);
        this.filterInclude = FilterRule.parseAll(FILTER_INCLUDE, plugin.getList(FILTER_INCLUDE));
        this.filterExclude = FilterRule.parseAll(FILTER_EXCLUDE, plugin.getList(FILTER_EXCLUDE));
        this.keyFields = ConfigEnums.fromConfigValues(KeyField.class, plugin.getList(KEY_FIELDS));
        this.valueFormat = ConfigEnums.fromConfigValue(ValueFormat.class, plugin.getString(VALUE_FORMAT));
        this.redactEnabled = plugin.getBoolean(REDACT_ENABLED);
        this.redactFieldsExtra = List.copyOf(plugin.getList(REDACT_FIELDS_EXTRA));
        this.descriptionExpandFields = List.copyOf(plugin.getList(DESCRIPTION_EXPAND_FIELDS));
        this.spoolEnabled = plugin.getBoolean(SPOOL_ENABLED);
        this.spoolDir = Paths.get(plugin.getString(SPOOL_DIR));
        this.spoolMaxBytes = plugin.getLong(SPOOL_MAX_BYTES);
        this.spoolSegmentBytes = plugin.getInt(SPOOL_SEGMENT_BYTES);
        this.fsyncPolicy = ConfigEnums.fromConfigValue(FsyncPolicy.class, plugin.getString(SPOOL_FSYNC));
        this.fsyncInterval = Duration.ofMillis(plugin.getLong(SPOOL_FSYNC_INTERVAL_MS));
        this.fsyncTimeout = Duration.ofMillis(plugin.getLong(SPOOL_FSYNC_TIMEOUT_MS));
        this.memoryBufferMaxBytes = plugin.getLong(MEMORY_BUFFER_MAX_BYTES);
        this.stopTimeout = Duration.ofMillis(plugin.getLong(STOP_TIMEOUT_MS));
        this.statsLogInterval = Duration.ofMillis(plugin.getLong(STATS_LOG_INTERVAL_MS));
        this.deadLetterTopic = plugin.getString(DEAD_LETTER_TOPIC);
        this.subscribersSource = ConfigEnums.fromConfigValue(SubscriberSource.class, plugin.getString(SUBSCRIBERS_SOURCE));
        this.subscribersQueueMaxEvents = plugin.getInt(SUBSCRIBERS_QUEUE_MAX_EVENTS);
        this.maxRequestSize = producer.getInt(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        this.bootstrapServers = List.copyOf(producer.getList(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.maxBlock = Duration.ofMillis(producer.getLong(ProducerConfig.MAX_BLOCK_MS_CONFIG));
        this.producerProperties = Collections.unmodifiableMap(producerProperties);
        this.ignoredKeys = List.copyOf(ignoredKeys);
        this.unknownKeys = Collections.unmodifiableMap(new LinkedHashMap<>(unknownKeys));
    }

    /**
     * Reads and validates the properties file at {@code file} as the bus named {@code busName} would
     * (the command line's way in).
     *
     * @return empty when there is no such file
     * @throws ConfigurationException as {@link PropertiesFile#find} and {@link #parse}
     */
    public static Optional<EventBusConfig> read(Path file, String busName) throws ConfigurationException {
        Optional<PropertiesFile> found = PropertiesFile.find(file, null);
        return found.isEmpty() ? Optional.empty()
                : Optional.of(parse(found.get().entries(), found.get().location(), busName));
    }

    /**
     * Validates {@code raw} (the properties file's entries) for the bus named {@code busName}.
     *
     * @param source names the file in every error message
     * @throws ConfigurationException naming the file, the key, the value (hidden if secret) and why
     */
    public static EventBusConfig parse(Map<String, String> raw, String source, String busName) throws ConfigurationException {
        Map<String, String> pluginValues = new HashMap<>();
        Map<String, Object> producerValues = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<String, String> entry : raw.entrySet()) {
            String key = entry.getKey();
            if (PLUGIN_KEYS.names().contains(key)) {
                pluginValues.put(key, entry.getValue());
            } else if (IGNORED_PRODUCER_KEYS.contains(key)) {
                ignored.add(key);
            } else {
                producerValues.put(key, ClassNames.relocate(entry.getValue()));
            }
        }
        AbstractConfig plugin;
        try {
            plugin = new PluginConfig(pluginValues);
        } catch (ConfigException e) {
            throw invalid(source, e.getMessage());
        }
        KafkaSystemProperties.alignWithRelocation();
        StandardKafkaClasses.check(producerValues, source);
        ProducerProperties.validateEach(producerValues, source);
        String compression = String.valueOf(producerValues.getOrDefault(ProducerConfig.COMPRESSION_TYPE_CONFIG, "")).trim();
        if (UNSUPPORTED_COMPRESSION.contains(compression)) {
            throw invalidValue(source, ProducerConfig.COMPRESSION_TYPE_CONFIG, compression,
                    "snappy and zstd need native libraries this plugin does not bundle; use lz4 or gzip");
        }
        try {
            applyDefaults(producerValues, busName);
        } catch (ConfigException e) {
            throw invalid(source, e.getMessage());
        }
        ProducerConfig validated = ProducerProperties.validateTogether(producerValues, source);
        // On the parsed values: config providers have resolved their ${...} references by now.
        BootstrapServers.check(validated.getList(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG), source);
        SecuritySettings.check(validated, source);
        return new EventBusConfig(source, plugin, producerValues, validated, ignored, UnknownKeys.nearest(raw.keySet()));
    }

    /** The plugin's keys, parsed, with the rules that span several of them. */
    private static final class PluginConfig extends AbstractConfig {
        PluginConfig(Map<String, String> values) {
            super(PLUGIN_KEYS, values, false);
        }

        @Override
        protected Map<String, Object> postProcessParsedConfig(Map<String, Object> parsed) {
            long maxBytes = (Long) parsed.get(SPOOL_MAX_BYTES);
            int segmentBytes = (Integer) parsed.get(SPOOL_SEGMENT_BYTES);
            if ((Boolean) parsed.get(SPOOL_ENABLED) && maxBytes < 2L * segmentBytes) {
                throw new ConfigException(SPOOL_MAX_BYTES + " (" + maxBytes + ") must be at least twice "
                        + SPOOL_SEGMENT_BYTES + " (" + segmentBytes + "): the spool writes one segment while the sender "
                        + "may still need the one before; lower " + SPOOL_SEGMENT_BYTES + " or raise " + SPOOL_MAX_BYTES);
            }
            Object deadLetterTopic = parsed.get(DEAD_LETTER_TOPIC);
            if (deadLetterTopic.equals(parsed.get(TOPIC))) {
                throw new ConfigException(DEAD_LETTER_TOPIC + " (" + deadLetterTopic + ") must differ from " + TOPIC
                        + ": events refused by that topic would be sent back to it");
            }
            Object stateTopic = parsed.get(STATE_TOPIC);
            if (!"".equals(stateTopic) && (stateTopic.equals(parsed.get(TOPIC)) || stateTopic.equals(deadLetterTopic))) {
                throw new ConfigException(STATE_TOPIC + " (" + stateTopic + ") must differ from " + TOPIC + " and "
                        + DEAD_LETTER_TOPIC + ": it is compacted, so it keeps only the latest record of each key");
            }
            if (SubscriberSource.KAFKA.toString().equalsIgnoreCase(((String) parsed.get(SUBSCRIBERS_SOURCE)).trim())
                    && ValueFormat.DESCRIPTION.toString().equalsIgnoreCase(((String) parsed.get(VALUE_FORMAT)).trim())) {
                throw new ConfigException(SUBSCRIBERS_SOURCE + "=kafka needs " + VALUE_FORMAT + " envelope, cloudevents-binary "
                        + "or cloudevents-structured: with " + VALUE_FORMAT + "=description a record does not say its event's "
                        + "category and type, so it cannot be handed back to subscribers; change either key");
            }
            return Map.of();
        }
    }

    private static void applyDefaults(Map<String, Object> producerValues, String busName) throws ConfigException {
        boolean idempotenceSetByFile = producerValues.containsKey(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
        for (ConfigDef.ConfigKey key : PRODUCER_DEFAULTS.configKeys().values()) {
            producerValues.putIfAbsent(key.name, key.defaultValue);
        }
        // As Kafka does with its own default: a weaker acks set by the operator turns idempotence off instead of failing.
        String acks = String.valueOf(producerValues.get(ProducerConfig.ACKS_CONFIG)).trim();
        boolean acksAll = "all".equals(acks) || "-1".equals(acks);
        if (!idempotenceSetByFile && !acksAll) {
            producerValues.remove(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
        }
        boolean idempotent = acksAll && Boolean.parseBoolean(
                String.valueOf(producerValues.getOrDefault(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")).trim());
        if (!idempotent) {
            // Without idempotence, a retried request can land behind a later one: one request in flight keeps order.
            Object inFlight = producerValues.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
            if (inFlight != null && !"1".equals(String.valueOf(inFlight).trim())) {
                throw new ConfigException(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION + " must be 1 when the "
                        + "producer is not idempotent (acks=" + acks + " or enable.idempotence=false): with more requests "
                        + "in flight a retry can reorder one resource's events; remove the key or set acks=all");
            }
        }
        producerValues.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, defaultClientId(ManagementServer.local().host(), busName));
        producerValues.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerValues.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    }

    /**
     * {@code cloudstack-event-bus-<host>-<bus name>}, characters other than letters, digits, '.', '_'
     * and '-' made '_': distinct for each management server and bus, so that their producers' JMX
     * metrics (keyed by client.id) and broker quotas never clash.
     */
    static String defaultClientId(String host, String busName) {
        return ("cloudstack-event-bus-" + host + "-" + busName).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Class names in {@code reason} are given as the operator wrote them, not as relocated in the jar. */
    static ConfigurationException invalid(String source, String reason) {
        return new ConfigurationException("Invalid Kafka event bus configuration in " + source + ": "
                + ClassNames.standardNames(reason));
    }

    /** The value is shown as {@code [hidden]} when {@code key} holds a secret. */
    static ConfigurationException invalidValue(String source, String key, Object value, String reason) {
        return invalid(source, "invalid value " + ProducerProperties.shown(key, value) + " for '" + key + "': " + reason);
    }

    /** Where the configuration came from, for log lines. */
    public String source() { return source; }
    public String topic() { return topic; }
    /** Category to topic; categories not named use {@link #topicTemplate()}, else {@link #topic()}. */
    public Map<String, String> categoryTopics() { return categoryTopics; }
    /** Type pattern to topic, in the order written: the first match wins, before {@link #categoryTopics()}. */
    public Map<String, String> typeTopics() { return typeTopics; }
    /** Null when not set. */
    public TopicTemplate topicTemplate() { return topicTemplate; }
    /** The compacted current-state topic; empty when there is none. */
    public String stateTopic() { return stateTopic; }
    public boolean topicCreate() { return topicCreate; }
    /** -1: the broker's default. */
    public int topicCreatePartitions() { return topicCreatePartitions; }
    /** -1: the broker's default. */
    public short topicCreateReplicationFactor() { return topicCreateReplicationFactor; }
    /** Empty: every event is included. */
    public List<FilterRule> filterInclude() { return filterInclude; }
    public List<FilterRule> filterExclude() { return filterExclude; }
    /** Where the record key comes from, in fallback order. */
    public List<KeyField> keyFields() { return keyFields; }
    public ValueFormat valueFormat() { return valueFormat; }
    public boolean redactEnabled() { return redactEnabled; }
    /** Names redacted besides the built-in ones. */
    public List<String> redactFieldsExtra() { return redactFieldsExtra; }
    /** Description fields whose JSON text is sent as JSON. */
    public List<String> descriptionExpandFields() { return descriptionExpandFields; }
    public boolean spoolEnabled() { return spoolEnabled; }
    public Path spoolDir() { return spoolDir; }
    public long spoolMaxBytes() { return spoolMaxBytes; }
    public int spoolSegmentBytes() { return spoolSegmentBytes; }
    public FsyncPolicy fsyncPolicy() { return fsyncPolicy; }
    public Duration fsyncInterval() { return fsyncInterval; }
    public Duration fsyncTimeout() { return fsyncTimeout; }
    public long memoryBufferMaxBytes() { return memoryBufferMaxBytes; }
    public Duration stopTimeout() { return stopTimeout; }
    public Duration statsLogInterval() { return statsLogInterval; }
    /** Where events Kafka refuses for good go; empty when there is no such topic. */
    public String deadLetterTopic() { return deadLetterTopic; }
    public SubscriberSource subscribersSource() { return subscribersSource; }
    /** Bound of each subscriber's queue. */
    public int subscribersQueueMaxEvents() { return subscribersQueueMaxEvents; }
    /** The producer's {@code max.request.size}: larger events are shortened to fit. */
    public int maxRequestSize() { return maxRequestSize; }
    /** The producer's {@code bootstrap.servers}, each a host:port. */
    public List<String> bootstrapServers() { return bootstrapServers; }
    /** The producer's {@code max.block.ms}: also how long a new producer may take to connect. */
    public Duration maxBlock() { return maxBlock; }
    /** Everything the producer is created with (unmodifiable; secrets included, never log it). */
    public Map<String, Object> producerProperties() { return producerProperties; }

    /** Keys of the file that the bus ignores (the serializers), to be said once at start-up. */
    public List<String> ignoredKeys() { return ignoredKeys; }
    /**
     * Keys of the file that neither the bus nor the producer knows (typos, most likely), each with
     * the known key nearest to it. They are still passed to the producer: a custom plugin class may read them.
     */
    public Map<String, String> unknownKeys() { return unknownKeys; }

    /** What is said of each of {@link #unknownKeys()}: the WARN the bus logs at start-up, the line {@code check} prints. */
    public List<String> unknownKeyWarnings() {
        List<String> warnings = new ArrayList<>();
        unknownKeys.forEach((key, nearest) -> warnings.add("unknown key '" + key + "' in " + source + " (nearest known key: '"
                + nearest + "'); it is passed to the Kafka producer, which ignores keys it does not know"));
        return warnings;
    }
}
