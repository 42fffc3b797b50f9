package io.kafkabus.cloudstack.delivery;

import static io.kafkabus.cloudstack.testing.Conditions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.event.ManagementServer;
import io.kafkabus.cloudstack.logging.RateLimitedLogger;
import io.kafkabus.cloudstack.testing.LogCapture;

/**
 * topic.create's failure paths, through Admin clients that answer as each test says: what is
 * created and how, what is said when it cannot be, when it is tried again, and that the sender
 * never waits for it longer than it should nor holds events back because of it.
 */
class TopicCreatorTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String JAAS_PASSWORD = "s3cr3t-jaas";
    private final ScriptedAdmins admins = new ScriptedAdmins();
    private final ScriptedProducers producers = new ScriptedProducers();
    private final ManualTime time = new ManualTime(1_000_000);
    private final Producer<byte[], byte[]> producer = new MockProducer<>();
    private final List<EventDelivery> opened = new ArrayList<>();
    private final LogCapture log = LogCapture.attach(Level.WARN, "io.kafkabus.cloudstack");

    @AfterEach
    void stop() {
        opened.forEach(EventDelivery::stop);
        log.close();
    }

    @Test
    void theAdminClientHasTheProducersConnectionAndSecuritySettingsAndAClientIdOfItsOwn() throws Exception {
        creator("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"" + JAAS_PASSWORD + "\";",
                "request.timeout.ms", "7000").beforeFirstSend("events", producer);

        Map<String, Object> properties = admins.made().get(0);
        assertEquals("localhost:9", properties.get("bootstrap.servers"));
        assertEquals("SASL_PLAINTEXT", properties.get("security.protocol"));
        assertEquals("PLAIN", properties.get("sasl.mechanism"));
        assertTrue(String.valueOf(properties.get("sasl.jaas.config")).contains(JAAS_PASSWORD));
        assertEquals("7000", properties.get("request.timeout.ms"));
        assertEquals("cloudstack-event-bus-" + ManagementServer.local().host() + "-creator-test-admin", properties.get("client.id"));
        assertTrue(AdminClientConfig.configNames().containsAll(properties.keySet()),
                "only keys the Admin client knows, so that it logs none as unused: " + properties.keySet());
        assertFalse(properties.containsKey("acks") || properties.containsKey("key.serializer"), properties.keySet().toString());
    }

    @Test
    void eachTopicIsCreatedOncePerProducerWithThePartitionsAndReplicationFactorConfigured() throws Exception {
        TopicCreator creator = creator("topic.create.partitions", "3", "topic.create.replication.factor", "2");
        creator.beforeFirstSend("events", producer);
        creator.beforeFirstSend("events", producer);
        creator.beforeFirstSend("alerts", producer);
        assertEquals(List.of("events", "alerts"), requestedNames());

        // A producer made after a failure checks again: the topic may have been deleted meanwhile.
        creator.beforeFirstSend("events", new MockProducer<>());
        assertEquals(List.of("events", "alerts", "events"), requestedNames());
        NewTopic events = admins.createRequests().get(0);
        assertEquals(3, events.numPartitions());
        assertEquals(2, events.replicationFactor());
        assertNull(events.configs());
        assertEquals(1, admins.made().size(), "one Admin client for them all");
    }

    @Test
    void withoutPartitionsOrReplicationFactorConfiguredTheBrokersDefaultsApply() throws Exception {
        creator().beforeFirstSend("events", producer);
        NewTopic events = admins.createRequests().get(0);
        assertEquals(-1, events.numPartitions(), "left to the broker's num.partitions");
        assertEquals(-1, events.replicationFactor(), "left to the broker's default.replication.factor");
    }

    @Test
    void theStateTopicIsCreatedCompacted() throws Exception {
        TopicCreator creator = creator("state.topic", "resource-state");
        creator.beforeFirstSend("resource-state", producer);
        creator.beforeFirstSend("events", producer);
        assertEquals(Map.of("cleanup.policy", "compact"), admins.createRequests().get(0).configs());
        assertNull(admins.createRequests().get(1).configs());
    }

    @Test
    void anExistingStateTopicThatIsNotCompactedGetsOneWarningWithTheFix() throws Exception {
        admins.answerCreates(topic -> new TopicExistsException("Topic '" + topic.name() + "' already exists."));
        admins.cleanupPolicy("delete");
        TopicCreator creator = creator("state.topic", "resource-state");
        creator.beforeFirstSend("resource-state", producer);
        creator.beforeFirstSend("resource-state", producer);
        creator.beforeFirstSend("events", producer);

        assertEquals(List.of("resource-state"), admins.describedTopics(), "only the state topic's policy matters");
        assertEquals(List.of("Kafka event bus creator-test: the state topic resource-state exists but is not compacted "
                + "(cleanup.policy=delete), so it loses the state of resources that did not change for its retention "
                + "instead of keeping each one's latest; compact it: kafka-configs.sh --bootstrap-server localhost:9 "
                + "--alter --entity-type topics --entity-name resource-state --add-config cleanup.policy=compact"), log.messages());
    }

    @Test
    void anExistingCompactedStateTopicIsFine() throws Exception {
        admins.answerCreates(topic -> new TopicExistsException("Topic '" + topic.name() + "' already exists."));
        admins.cleanupPolicy("compact,delete");
        creator("state.topic", "resource-state").beforeFirstSend("resource-state", producer);
        assertEquals(List.of("resource-state"), admins.describedTopics());
        assertEquals(List.of(), log.messages());
    }

    @ParameterizedTest
    @ValueSource(strings = {"topic", "cluster"})
    void aTopicThePrincipalMayNotCreateGetsOneWarningNamingTheTopicAndTheFix(String deniedOn) throws Exception {
        admins.answerCreates(topic -> deniedOn.equals("topic")
                ? new TopicAuthorizationException("Authorization failed.")
                : new ClusterAuthorizationException("Cluster authorization failed."));
        TopicCreator creator = creator("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"" + JAAS_PASSWORD + "\";",
                "topic.create.partitions", "3");
        creator.beforeFirstSend("events", producer);
        creator.beforeFirstSend("events", producer);
        creator.beforeFirstSend("events", new MockProducer<>());

        assertEquals(2, admins.createRequests().size(), "asked once per producer, not at each send");
        assertEquals(1, log.messages().size(), log.messages().toString());
        String line = log.messages().get(0);
        assertTrue(line.startsWith("Kafka event bus creator-test: the bus may not create topic events (Kafka's ACLs deny "
                + "its principal CREATE); grant it CREATE on the cluster or on that topic, or create the topic yourself "
                + "(kafka-topics.sh --bootstrap-server localhost:9 --create --if-not-exists --topic events --partitions 3) "
                + "and set topic.create=false; events are sent all the same: "), line);
        assertFalse(line.contains(JAAS_PASSWORD), line);
    }

    @Test
    void theCommandToCreateTheStateTopicByHandMakesItCompacted() throws Exception {
        admins.answerCreates(topic -> new TopicAuthorizationException("Authorization failed."));
        creator("state.topic", "resource-state", "topic.create.replication.factor", "3").beforeFirstSend("resource-state", producer);
        assertTrue(log.messages().get(0).contains("(kafka-topics.sh --bootstrap-server localhost:9 --create --if-not-exists "
                + "--topic resource-state --replication-factor 3 --config cleanup.policy=compact)"), log.messages().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"timeout", "credentials", "closed"})
    void failuresThatMayCureThemselvesAreQuietAndTriedAgainAfterTheBackOffNotBefore(String cause) throws Exception {
        Map<String, Throwable> failures = Map.of(
                "timeout", new TimeoutException("Timed out waiting for a node assignment. Call: createTopics"),
                "credentials", new SaslAuthenticationException("Authentication failed: Invalid username or password"),
                "closed", new KafkaException("The AdminClient thread is not accepting new calls."));
        admins.answerCreates(topic -> failures.get(cause));
        TopicCreator creator = creator();
        creator.beforeFirstSend("events", producer);
        time.advance(TopicCreator.RETRY_MS - 1);
        creator.beforeFirstSend("events", producer);
        assertEquals(1, admins.createRequests().size(), "not tried again before the back-off");

        time.advance(1);
        admins.answerCreates(topic -> null);
        creator.beforeFirstSend("events", producer);
        creator.beforeFirstSend("events", producer);
        assertEquals(2, admins.createRequests().size(), "tried again once the back-off passed, then settled");
        assertEquals(List.of(), log.messages(), "the sends report such causes themselves");
    }

    @Test
    void aCallKafkaDoesNotAnswerEndsAtItsBoundAndIsTriedAgainAfterTheBackOff() throws Exception {
        admins.answerCreates(topic -> ScriptedAdmins.NO_ANSWER);
        // max.block.ms=0 bounds nothing: the call still gets its shortest bound, a second.
        TopicCreator creator = creator("max.block.ms", "0");
        long started = System.nanoTime();
        creator.beforeFirstSend("events", producer);
        long waitedMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(waitedMs >= 1_000 && waitedMs < WAIT.toMillis(), "waited " + waitedMs + " ms");

        creator.beforeFirstSend("events", producer);
        assertEquals(1, admins.createRequests().size());
        time.advance(TopicCreator.RETRY_MS);
        admins.answerCreates(topic -> null);
        creator.beforeFirstSend("events", producer);
        assertEquals(2, admins.createRequests().size());
        assertEquals(List.of(), log.messages());
    }

    @Test
    void aRequestNoRetryCuresIsWarnedAboutAndTriedAgainAfterTheBackOff() throws Exception {
        admins.answerCreates(topic -> new InvalidReplicationFactorException("Unable to replicate the partition 3 time(s): "
                + "The target replication factor of 3 cannot be reached because only 1 broker(s) are registered."));
        TopicCreator creator = creator("topic.create.replication.factor", "3");
        creator.beforeFirstSend("events", producer);
        creator.beforeFirstSend("events", producer);
        assertEquals(List.of("Kafka event bus creator-test: Kafka refused to create topic events (partitions (broker "
                + "default), replication factor 3); check topic.create.partitions and topic.create.replication.factor, "
                + "or create the topic yourself; tried again later: InvalidReplicationFactorException: Unable to replicate "
                + "the partition 3 time(s): The target replication factor of 3 cannot be reached because only 1 broker(s) "
                + "are registered."), log.messages());

        time.advance(TopicCreator.RETRY_MS);
        creator.beforeFirstSend("events", producer);
        assertEquals(2, admins.createRequests().size());
    }

    @Test
    void anAdminClientThatCannotBeMadeYetIsMadeAgainAfterTheBackOff() throws Exception {
        admins.failNextMake(new KafkaException("Failed to create new KafkaAdminClient",
                new KafkaException("No resolvable bootstrap urls given in bootstrap.servers")));
        TopicCreator creator = creator();
        creator.beforeFirstSend("events", producer);
        creator.beforeFirstSend("events", producer);
        assertEquals(0, admins.made().size());

        time.advance(TopicCreator.RETRY_MS);
        creator.beforeFirstSend("events", producer);
        assertEquals(1, admins.made().size());
        assertEquals(List.of("events"), requestedNames());
        assertEquals(List.of(), log.messages(), "the producer reports a bootstrap host that does not resolve");
    }

    @Test
    void aFailingCloseIsLoggedAndTheNextCallMakesANewClient() throws Exception {
        admins.failClose(new IllegalStateException("already closing"));
        TopicCreator creator = creator();
        creator.beforeFirstSend("events", producer);
        creator.close(Duration.ZERO);
        assertEquals(List.of("Kafka event bus creator-test: closing the Kafka admin client failed: IllegalStateException: "
                + "already closing"), log.messages());

        creator.beforeFirstSend("alerts", producer);
        assertEquals(2, admins.made().size());
    }

    @Test
    void eventsAreSentWhenTheTopicMayNotBeCreatedAndStopClosesTheAdminClient() throws Exception {
        admins.answerCreates(topic -> new TopicAuthorizationException("Authorization failed."));
        EventDelivery delivery = started(Time.SYSTEM, "topic.create", "true");
        delivery.accept(List.of(KafkaSenderTest.record("events", "vm-1", 0)));
        delivery.accept(List.of(KafkaSenderTest.record("events", "vm-1", 1)));
        producers.answerUntil(r -> null, () -> delivery.statistics().delivered() == 2, () -> { });

        assertEquals(List.of("events"), requestedNames(), "the first send to the topic asked, the second did not");
        assertEquals(1, log.messages().size(), log.messages().toString());
        assertTrue(log.messages().get(0).contains("the bus may not create topic events"), log.messages().get(0));
        delivery.stop();
        assertEquals(1, admins.closed(), "stop closed the Admin client");
    }

    @Test
    void theDeadLetterTopicIsCreatedBeforeItsFirstRecord() throws Exception {
        EventDelivery delivery = started(Time.SYSTEM, "topic.create", "true", "dead.letter.topic", "events-dlt");
        delivery.accept(List.of(KafkaSenderTest.record("events", "vm-1", 0)));
        producers.answerUntil(r -> r.topic().equals("events") ? new InvalidTimestampException("out of range") : null,
                () -> delivery.statistics().deadLettered() == 1, () -> { });
        // "events" twice: the producer made after the first refusal checks its topic again.
        assertEquals(List.of("events", "events", "events-dlt"), requestedNames());
    }

    @Test
    void withoutTopicCreateNoAdminClientIsMade() throws Exception {
        EventDelivery delivery = started(Time.SYSTEM);
        delivery.accept(List.of(KafkaSenderTest.record("events", "vm-1", 0)));
        producers.answerUntil(r -> null, () -> delivery.statistics().delivered() == 1, () -> { });
        delivery.stop();
        assertEquals(0, admins.made().size());
    }

    @Test
    void stopEndsATopicCreationWaitingOnKafkaByClosingTheAdminClient() throws Exception {
        admins.answerCreates(topic -> ScriptedAdmins.NO_ANSWER);
        // A call bounded by a minute: only closing the Admin client ends it in time.
        EventDelivery delivery = started(Time.SYSTEM, "topic.create", "true", "max.block.ms", "60000", "stop.timeout.ms", "300");
        delivery.accept(List.of(KafkaSenderTest.record("events", "vm-1", 0)));
        await(() -> admins.createRequests().size() == 1, WAIT, "the sender asked to create the topic");

        long started = System.nanoTime();
        delivery.stop();
        long stoppedMs = (System.nanoTime() - started) / 1_000_000;

        assertEquals(1, admins.closed());
        assertTrue(stoppedMs < WAIT.toMillis(), "stop() took " + stoppedMs + " ms");
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("kafka-event-bus-sender-creator-test") && t.isAlive()), "the sender thread ended");
        assertEquals(List.of(), producers.interruptedSenders());
    }

    private TopicCreator creator(String... extra) throws Exception {
        Map<String, String> properties = new HashMap<>(Map.of("bootstrap.servers", "localhost:9", "topic.create", "true"));
        for (int i = 0; i < extra.length; i += 2) {
            properties.put(extra[i], extra[i + 1]);
        }
        return new TopicCreator("creator-test", EventBusConfig.parse(properties, "test", "creator-test"), admins,
                new RateLimitedLogger(LoggerFactory.getLogger(TopicCreatorTest.class)), time);
    }

    private EventDelivery started(Time clock, String... extra) throws Exception {
        EventDelivery delivery = EventDelivery.open(InMemoryBuses.config("creator-test", extra),
                "creator-test", producers, admins, clock);
        opened.add(delivery);
        delivery.start();
        return delivery;
    }

    private List<String> requestedNames() {
        return admins.createRequests().stream().map(NewTopic::name).collect(Collectors.toList());
    }
}
