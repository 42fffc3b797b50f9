package io.kafkabus.cloudstack.delivery;

import static io.kafkabus.cloudstack.testing.Conditions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.cloudstack.framework.events.Event;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.utils.Time;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import io.kafkabus.cloudstack.KafkaEventBus;
import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.logging.RateLimitedLogger;
import io.kafkabus.cloudstack.testing.Delivered;
import io.kafkabus.cloudstack.testing.KafkaCluster;
import io.kafkabus.cloudstack.testing.LogCapture;
import io.kafkabus.cloudstack.testing.SampleDescriptions;
import io.kafkabus.cloudstack.testing.TestBuses;

/** topic.create against a real broker that does not create topics by itself. */
class TopicCreationBrokerTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static KafkaCluster kafka;
    private static Admin admin;

    @TempDir
    Path dir;
    private KafkaEventBus bus;

    @BeforeAll
    static void cluster() {
        kafka = KafkaCluster.start(1, Map.of("auto.create.topics.enable", "false"));
        admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    }

    @AfterAll
    static void closeCluster() {
        admin.close();
        kafka.close();
    }

    @AfterEach
    void stopBus() {
        if (bus != null) {
            bus.stop();
        }
    }

    @Test
    void theBusCreatesTheTopicItSendsToWithThePartitionsConfiguredAndDeliversToIt() throws Exception {
        String topic = "created-" + UUID.randomUUID();
        bus = TestBuses.configured("creating", dir, kafka.bootstrapServers(), topic,
                "topic.create", "true", "topic.create.partitions", "3");
        bus.start();
        for (int n = 0; n < 10; n++) {
            bus.publish(TestBuses.numbered(n, 4));
        }
        await(() -> bus.statistics().delivered() == 10, WAIT, "the events acknowledged by Kafka");

        Delivered read = new Delivered(kafka.consume(topic, 10, WAIT));
        assertEquals(10, read.distinct());
        assertEquals(3, describe(topic).partitions().size());
    }

    @Test
    void withoutTopicCreateTheBusCreatesNoTopic() throws Exception {
        String topic = "not-created-" + UUID.randomUUID();
        // A short max.block.ms: the producer's wait for the missing topic's metadata ends soon.
        bus = TestBuses.configured("not-creating", dir, kafka.bootstrapServers(), topic, "max.block.ms", "1000");
        bus.start();
        bus.publish(TestBuses.numbered(0, 1));

        await(() -> bus.statistics().failed() == 1, WAIT, "the event refused for its missing topic");
        assertFalse(admin.listTopics().names().get().contains(topic));
    }

    @Test
    void templateTopicsAndTheCompactedStateTopicAreCreatedAsEventsRouteToThem() throws Exception {
        String prefix = "templated-" + UUID.randomUUID().toString().substring(0, 8);
        String stateTopic = prefix + "-state";
        bus = TestBuses.configured("creatingState", dir, kafka.bootstrapServers(), prefix, "topic.create", "true",
                "topic.create.partitions", "3", "topic.template", prefix + ".${category}", "state.topic", stateTopic);
        bus.start();
        Event running = new Event("management-server", "ResourceStateEvent", "OperationSucceeded", "VirtualMachine", "vm-1");
        running.setDescription(SampleDescriptions.vmState("Starting", "Running", "postStateTransitionEvent"));
        bus.publish(running);
        await(() -> bus.statistics().delivered() == 2, WAIT, "the event on its topic and on the state topic");

        assertEquals(1, kafka.consume(prefix + ".ResourceStateEvent", 1, WAIT).size());
        List<ConsumerRecord<byte[], byte[]>> state = kafka.consume(stateTopic, 1, WAIT);
        assertEquals("vm-1", new String(state.get(0).key(), StandardCharsets.UTF_8));
        assertEquals(3, describe(stateTopic).partitions().size());
        assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, cleanupPolicy(stateTopic));
        assertEquals(TopicConfig.CLEANUP_POLICY_DELETE, cleanupPolicy(prefix + ".ResourceStateEvent"), "only the state topic");
    }

    @Test
    void anExistingStateTopicThatIsNotCompactedIsReportedWithTheFix() throws Exception {
        String stateTopic = "state-" + UUID.randomUUID();
        kafka.createTopic(stateTopic, 1, (short) 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE));
        TopicCreator creator = creator("state.topic", stateTopic);
        try (LogCapture log = LogCapture.attach(Level.WARN, "io.kafkabus.cloudstack")) {
            creator.beforeFirstSend(stateTopic, new MockProducer<>());
            assertEquals(1, log.messages().size(), log.messages().toString());
            assertTrue(log.messages().get(0).endsWith("--alter --entity-type topics --entity-name " + stateTopic
                    + " --add-config cleanup.policy=compact"), log.messages().get(0));
        } finally {
            creator.close(Duration.ofSeconds(5));
        }
        assertEquals(TopicConfig.CLEANUP_POLICY_DELETE, cleanupPolicy(stateTopic), "left as it was: the operator decides");
    }

    private static TopicCreator creator(String... extra) throws Exception {
        Map<String, String> properties = new HashMap<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "topic.create", "true"));
        for (int i = 0; i < extra.length; i += 2) {
            properties.put(extra[i], extra[i + 1]);
        }
        return new TopicCreator("broker-test", EventBusConfig.parse(properties, "test", "broker-test"), Admin::create,
                new RateLimitedLogger(LoggerFactory.getLogger(TopicCreationBrokerTest.class)), Time.SYSTEM);
    }

    private static TopicDescription describe(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    }

    private static String cleanupPolicy(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource).get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
    }
}
