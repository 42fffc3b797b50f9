package io.kafkabus.cloudstack.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.naming.ConfigurationException;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import io.kafkabus.cloudstack.event.ManagementServer;

class EventBusConfigTest {
    private static final String FILE = "/etc/cloudstack/management/kafka.producer.properties";
    private static final String PREFIX = "Invalid Kafka event bus configuration in " + FILE + ": ";

    private static EventBusConfig parse(String... keyValues) throws ConfigurationException {
        Map<String, String> raw = new HashMap<>();
        raw.put("bootstrap.servers", "kafka1:9092,kafka2:9092");
        for (int i = 0; i < keyValues.length; i += 2) {
            raw.put(keyValues[i], keyValues[i + 1]);
        }
        return EventBusConfig.parse(raw, FILE, "busName");
    }

    private static ConfigurationException rejected(String... keyValues) {
        return assertThrows(ConfigurationException.class, () -> parse(keyValues));
    }

    @Test
    void safeProducerDefaultsApplyWhereTheFileIsSilent() throws Exception {
        Map<String, Object> producer = parse().producerProperties();
        assertEquals("all", producer.get("acks"));
        assertEquals(true, producer.get("enable.idempotence"));
        assertEquals("lz4", producer.get("compression.type"));
        assertEquals(5000L, producer.get("max.block.ms"));
        assertEquals(10L, producer.get("linger.ms"));
        assertEquals(Integer.MAX_VALUE, producer.get("delivery.timeout.ms"));
        assertEquals(List.of("kafka1:9092", "kafka2:9092"), parse().bootstrapServers(), "as the producer parses them");
        assertEquals(Duration.ofSeconds(5), parse().maxBlock());
        assertEquals(Duration.ofMillis(250), parse("max.block.ms", "250").maxBlock());
        assertEquals(EventBusConfig.defaultClientId(ManagementServer.local().host(), "busName"), producer.get("client.id"));
        assertEquals(ByteArraySerializer.class, producer.get("value.serializer"));
        assertFalse(producer.containsKey("topic"), "plugin keys are not passed to the producer");
    }

    @Test
    void pluginDefaultsMatchUpstreamAndAreDurable() throws Exception {
        EventBusConfig config = parse();
        assertEquals("cloudstack", config.topic());
        assertEquals(ValueFormat.ENVELOPE, config.valueFormat());
        assertTrue(config.spoolEnabled());
        assertEquals(FsyncPolicy.INTERVAL, config.fsyncPolicy());
        assertEquals(Path.of("/var/lib/cloudstack/kafka-event-bus"), config.spoolDir());
        assertEquals(1048576, config.maxRequestSize());
    }

    @Test
    void theDefaultClientIdNamesTheHostAndTheBusInCharactersSafeForJmxAndIsOverriddenByTheFile() throws Exception {
        assertEquals("cloudstack-event-bus-ms-1.cloud.internal-eventNotificationBus",
                EventBusConfig.defaultClientId("ms-1.cloud.internal", "eventNotificationBus"));
        assertEquals("cloudstack-event-bus-ms_1-my_bus_2_", EventBusConfig.defaultClientId("ms:1", "my bus,2*"));
        assertEquals("operators-id", parse("client.id", "operators-id").producerProperties().get("client.id"));
    }

    @Test
    void theFileWinsOverOurDefaults() throws Exception {
        EventBusConfig config = parse("linger.ms", "50", "compression.type", "gzip", "topic", "events",
                "category.topics", "AlertEvent:alerts, UsageEvent:usage", "value.format", "description",
                "spool.fsync", "always", "max.request.size", "2097152");
        assertEquals("50", config.producerProperties().get("linger.ms"));
        assertEquals("gzip", config.producerProperties().get("compression.type"));
        assertEquals("events", config.topic());
        assertEquals(Map.of("AlertEvent", "alerts", "UsageEvent", "usage"), config.categoryTopics());
        assertEquals(ValueFormat.DESCRIPTION, config.valueFormat());
        assertEquals(FsyncPolicy.ALWAYS, config.fsyncPolicy());
        assertEquals(2097152, config.maxRequestSize());
    }

    @Test
    void aWeakerAcksSetByTheOperatorTurnsIdempotenceOffInsteadOfFailing() throws Exception {
        Map<String, Object> producer = parse("acks", "1").producerProperties();
        assertEquals("1", producer.get("acks"));
        assertFalse(producer.containsKey("enable.idempotence"));
        ConfigurationException e = rejected("acks", "1", "enable.idempotence", "true");
        assertTrue(e.getMessage().contains("acks"), e.getMessage());
    }

    @Test
    void upstreamSerializerSettingsAreIgnoredAndReported() throws Exception {
        EventBusConfig config = parse("key.serializer", "org.apache.kafka.common.serialization.StringSerializer",
                "value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        assertEquals(ByteArraySerializer.class, config.producerProperties().get("key.serializer"));
        assertEquals(List.of("key.serializer", "value.serializer"), config.ignoredKeys().stream().sorted().collect(java.util.stream.Collectors.toList()));
    }

    @Test
    void anInvalidPluginValueNamesFileKeyValueAndReason() {
        ConfigurationException e = rejected("spool.fsync", "sometimes");
        assertTrue(e.getMessage().contains(FILE), e.getMessage());
        assertTrue(e.getMessage().contains("spool.fsync"), e.getMessage());
        assertTrue(e.getMessage().contains("sometimes"), e.getMessage());
        assertTrue(e.getMessage().contains("always"), "says what is allowed: " + e.getMessage());

        String bad = rejected("topic", "no spaces allowed").getMessage();
        assertTrue(bad.contains("topic") && bad.contains("no spaces allowed") && bad.contains("characters"), bad);
        String pair = rejected("category.topics", "AlertEvent").getMessage();
        assertTrue(pair.contains("category.topics") && pair.contains("Category:topic"), pair);
        String number = rejected("spool.max.bytes", "lots").getMessage();
        assertTrue(number.contains("spool.max.bytes") && number.contains("lots"), number);
    }

    @Test
    void anInvalidProducerValueNamesKeyValueAndReason() {
        String message = rejected("acks", "2").getMessage();
        assertTrue(message.contains(FILE) && message.contains("'acks'") && message.contains("2"), message);
        String missing = assertThrows(ConfigurationException.class,
                () -> EventBusConfig.parse(Map.of("topic", "x"), FILE, "bus")).getMessage();
        assertTrue(missing.contains("bootstrap.servers"), missing);
        String linger = rejected("linger.ms", "soon").getMessage();
        assertTrue(linger.contains("'linger.ms'") && linger.contains("soon"), linger);
    }

    @Test
    void compressionThatNeedsNativeLibrariesIsRefusedWithTheReason() {
        for (String codec : List.of("snappy", "zstd")) {
            String message = rejected("compression.type", codec).getMessage();
            assertTrue(message.contains("compression.type") && message.contains(codec) && message.contains("lz4"), message);
        }
    }

    @Test
    void secretsNeverAppearInErrors() {
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"s3cr3t-jaas\";";
        ConfigurationException e = rejected("sasl.jaas.config", jaas, "ssl.keystore.password", "s3cr3t-store",
                "security.protocol", "SASL_NOPE");
        assertTrue(e.getMessage().contains("security.protocol"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
        assertTrue(ProducerProperties.isSecret("sasl.jaas.config") && ProducerProperties.isSecret("ssl.truststore.password")
                && ProducerProperties.isSecret("my.provider.secret") && !ProducerProperties.isSecret("bootstrap.servers"));
    }

    /** Masking by key, not by text: a password "1" neither garbles nor reveals itself in the list of valid acks. */
    @Test
    void aSecretIsHiddenByItsKeyNotByReplacingItsTextInTheMessage() {
        assertEquals(PREFIX + "invalid value al for 'acks': String must be one of: all, -1, 0, 1",
                rejected("acks", "al", "ssl.truststore.password", "1").getMessage());
    }

    @Test
    void enumeratedValuesAreAcceptedInAnyCase() throws Exception {
        EventBusConfig config = parse("spool.fsync", "ALWAYS", "value.format", "Description");
        assertEquals(FsyncPolicy.ALWAYS, config.fsyncPolicy());
        assertEquals(ValueFormat.DESCRIPTION, config.valueFormat());
        assertEquals(PREFIX + "Invalid value sometimes for configuration spool.fsync: String must be one of "
                + "(case insensitive) [always, interval]", rejected("spool.fsync", "sometimes").getMessage());
    }

    @Test
    void categoryTopicsAcceptsOnlyCloudStacksCategoriesAndNamesThem() throws Exception {
        assertEquals(PREFIX + "Invalid value Alerts:cloudstack-alerts for configuration category.topics: CloudStack has "
                + "no event category Alerts; its categories are ActionEvent, AlertEvent, AsyncJobEvent, ResourceStateEvent, "
                + "UsageEvent", rejected("category.topics", "Alerts:cloudstack-alerts").getMessage());
        assertEquals(Map.of("AlertEvent", "alerts", "UsageEvent", "usage"),
                parse("category.topics", "alertevent:alerts,USAGEEVENT:usage").categoryTopics(),
                "spelled as CloudStack does, whatever the case written");
    }

    @Test
    void unknownKeysAreReportedWithTheNearestKnownKey() throws Exception {
        EventBusConfig config = parse("topik", "events", "bootstrap.server", "h:9092", "lingr.ms", "5",
                "config.providers", "file", "config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider",
                "metrics.context.zone", "z1", "key.serializer", "x", "spool.fsync", "always", "acks", "all");
        assertEquals(Map.of("topik", "topic", "bootstrap.server", "bootstrap.servers", "lingr.ms", "linger.ms"),
                config.unknownKeys());
        assertEquals("events", config.producerProperties().get("topik"), "still passed on: a plugin class may read it");
        assertEquals(3, UnknownKeys.editDistance("kitten", "sitting"));
    }

    @Test
    void standardKafkaClassNamesAreLeftAloneWhenTheClientIsNotRelocated() throws Exception {
        String provider = "org.apache.kafka.common.config.provider.FileConfigProvider";
        assertEquals(provider, ClassNames.relocate(provider));
        assertEquals("org.apache.kafka.common.errors.TimeoutException: Topic t not present in metadata",
                ClassNames.standardNames("io.kafkabus.cloudstack.shaded.kafka.common.errors.TimeoutException: Topic t not present in metadata"));
        assertEquals(provider, parse("config.providers", "file", "config.providers.file.class", provider)
                .producerProperties().get("config.providers.file.class"));
    }

    @Test
    void aSpoolBoundBelowTwoSegmentsIsRefusedNamingBothKeys() {
        String message = rejected("spool.max.bytes", "2097152", "spool.segment.bytes", "16777216").getMessage();
        assertTrue(message.contains(FILE) && message.contains("spool.max.bytes (2097152) must be at least twice "
                + "spool.segment.bytes (16777216)"), message);
    }

    @Test
    void aSpoolBoundOfTwoSegmentsIsEnoughAndADisabledSpoolIsNotChecked() throws Exception {
        assertEquals(2097152, parse("spool.max.bytes", "2097152", "spool.segment.bytes", "1048576").spoolMaxBytes());
        assertTrue(!parse("spool.enabled", "false", "spool.max.bytes", "1048576").spoolEnabled());
    }

    @Test
    void theDeadLetterTopicMustBeALegalNameOtherThanTheTopic() throws Exception {
        assertEquals("", parse().deadLetterTopic());
        assertEquals("cloudstack-dlt", parse("dead.letter.topic", "cloudstack-dlt").deadLetterTopic());
        String same = rejected("topic", "events", "dead.letter.topic", "events").getMessage();
        assertTrue(same.contains("dead.letter.topic (events) must differ from topic"), same);
        String illegal = rejected("dead.letter.topic", "no spaces please").getMessage();
        assertTrue(illegal.contains("dead.letter.topic"), illegal);
    }

    @Test
    void withoutIdempotenceOneRequestIsInFlightSoThatRetriesKeepOrder() throws Exception {
        assertEquals("1", parse("acks", "1").producerProperties().get("max.in.flight.requests.per.connection"));
        assertEquals("1", parse("enable.idempotence", "false").producerProperties().get("max.in.flight.requests.per.connection"));
        assertFalse(parse().producerProperties().containsKey("max.in.flight.requests.per.connection"),
                "the idempotent producer keeps Kafka's default of 5, which it orders itself");
        String message = rejected("acks", "1", "max.in.flight.requests.per.connection", "5").getMessage();
        assertTrue(message.contains("max.in.flight.requests.per.connection must be 1 when the producer is not idempotent"), message);
    }

    @Test
    void routingKeysAreParsedIntoTheirValues() throws Exception {
        EventBusConfig config = parse("filter.include", "category=ActionEvent status=Completed, category=AlertEvent",
                "filter.exclude", "type=VM.* resourceType=Volume", "type.topics", "VM.*:vm-events,NETWORK.*:net-events",
                "topic.template", "cloudstack.${category}.${type}", "state.topic", "cloudstack-state",
                "key.fields", "entityUuid,KIND", "value.format", "CloudEvents-Structured");
        assertEquals(2, config.filterInclude().size());
        assertEquals(Map.of(EventField.CATEGORY, "ActionEvent", EventField.STATUS, "Completed"), config.filterInclude().get(0).patterns());
        assertEquals(Map.of(EventField.TYPE, "VM.*", EventField.RESOURCE_TYPE, "Volume"), config.filterExclude().get(0).patterns());
        assertEquals(List.of("VM.*", "NETWORK.*"), List.copyOf(config.typeTopics().keySet()), "in the order written");
        assertEquals("cloudstack.${category}.${type}", config.topicTemplate().toString());
        assertEquals(4, config.topicTemplate().parts().size());
        assertEquals("cloudstack-state", config.stateTopic());
        assertEquals(List.of(KeyField.ENTITYUUID, KeyField.KIND), config.keyFields());
        assertEquals(ValueFormat.CLOUDEVENTS_STRUCTURED, config.valueFormat());
        assertEquals(List.of(KeyField.RESOURCEUUID, KeyField.ENTITYUUID, KeyField.ACCOUNTUUID, KeyField.KIND), parse().keyFields());
        assertTrue(parse().redactEnabled(), "redaction is on by default");
    }

    @Test
    void anInvalidTopicTemplateStopsStartUpNamingTheKeyAndWhy() {
        assertRejected("topic.template", "cloudstack.${category", "is not closed");
        assertRejected("topic.template", "cloudstack.${resourceUuid}", "no event field 'resourceUuid'");
        assertRejected("topic.template", "cloud stack.${type}", "holds a character a topic name cannot");
        assertRejected("topic.template", "cloudstack", "no ${field} placeholder");
    }

    @Test
    void invalidFilterRulesAndKeyFieldsStopStartUp() {
        assertRejected("filter.include", "category:ActionEvent", "expected field=pattern");
        assertRejected("filter.exclude", "severity=high", "no event field severity");
        assertRejected("filter.include", "type=A type=B", "type is named twice");
        assertRejected("key.fields", "resourceUuid,hostname", "key.fields");
        assertRejected("type.topics", "VM.*", "expected TYPE:topic pairs");
        assertRejected("type.topics", "VM.*:bad topic", "type.topics");
        assertRejected("category.topics", "VmEvent:vms", "CloudStack has no event category VmEvent");
        assertRejected("state.topic", "cloudstack", "must differ from topic");
        assertRejected("topic.create.partitions", "0", "-1 (the broker's default) or at least 1");
        assertRejected("redact.fields.extra", "ipaddress,,mac", "empty name");
    }

    private static void assertRejected(String key, String value, String reason) {
        ConfigurationException e = rejected(key, value);
        assertTrue(e.getMessage().startsWith(PREFIX), e.getMessage());
        assertTrue(e.getMessage().contains(key), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
