package io.kafkabus.cloudstack;

import static io.kafkabus.cloudstack.testing.Conditions.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.naming.ConfigurationException;

import org.apache.cloudstack.framework.events.Event;
import org.apache.cloudstack.framework.events.EventBusException;
import org.apache.cloudstack.framework.events.EventSubscriber;
import org.apache.cloudstack.framework.events.EventTopic;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.subscription.SubscriberStatistics;
import io.kafkabus.cloudstack.testing.KafkaCluster;
import io.kafkabus.cloudstack.testing.LogCapture;
import io.kafkabus.cloudstack.testing.TestBuses;

/**
 * subscribe() and unsubscribe() as a CloudStack component or plugin uses them: which events each
 * subscriber gets, on which thread, and what one subscriber's failure or slowness does to the others.
 */
class SubscribersTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final EventTopic EVERYTHING = new EventTopic("*", "*", "*", "*", "*");

    @TempDir
    Path dir;
    private final List<KafkaEventBus> buses = new ArrayList<>();

    @AfterEach
    void stopBuses() {
        buses.forEach(KafkaEventBus::stop);
    }

    /** Records what it receives, and on which thread; events are told apart by their description. */
    private static class Recorder implements EventSubscriber {
        final List<Event> events = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(Event event) {
            threads.add(Thread.currentThread().getName());
            events.add(event);
        }

        List<String> labels() {
            return events.stream().map(Event::getDescription).collect(Collectors.toList());
        }

        boolean got(String label) {
            return labels().contains(label);
        }
    }

    /** A bus without a properties file: Kafka disabled, as before an operator configures it. */
    private KafkaEventBus disabledBus(String name) throws ConfigurationException {
        KafkaEventBus bus = new KafkaEventBus();
        bus.setPropertiesFile(dir.resolve("absent").toString());
        bus.configure(name, Map.of());
        bus.start();
        buses.add(bus);
        return bus;
    }

    private KafkaEventBus kafkaBus(String name, Path busDir, String topic, String... extra) throws ConfigurationException {
        KafkaEventBus bus = TestBuses.configured(name, busDir, KafkaCluster.shared().bootstrapServers(), topic, extra);
        bus.start();
        buses.add(bus);
        return bus;
    }

    private static Event event(String source, String category, String type, String resourceType, String uuid, String label) {
        Event event = new Event(source, category, type, resourceType, uuid);
        event.setDescription(label);
        return event;
    }

    private static Event numbered(int n) {
        return event("management-server", "ActionEvent", "VM.START", "VirtualMachine", "vm-" + n, "e" + n);
    }

    private static List<String> labels(int from, int to) {
        return IntStream.range(from, to).mapToObj(n -> "e" + n).collect(Collectors.toList());
    }

    @Test
    void eachSubscriberReceivesExactlyTheEventsItsTopicSelectsByCloudStacksRulesInPublishOrder() throws Exception {
        KafkaEventBus bus = disabledBus("matchingBus");
        List<Event> published = List.of(
                event("management-server", "ActionEvent", "VM.START", "VirtualMachine", "vm-1", "e0"),
                event("management-server", "ActionEvent", "VM.STOP", "VirtualMachine", "vm-2", "e1"),
                event("management-server", "AlertEvent", "ALERT.MEMORY", null, null, "e2"),
                event("management-server", "ActionEvent", "vm-start", "VirtualMachine", "vm-2", "e3"),
                event("management-server", null, "VM.START", null, "vm-3", "e4"),
                event("usage-server", "UsageEvent", "VM.CREATE", "VirtualMachine", "vm-2", "e5"),
                event("management-server", "ResourceStateEvent", "StartRequested", "VirtualMachine", "VM-2", "e6"));
        // EventTopic's arguments: category, type, resource type, resource UUID, source.
        Map<EventTopic, List<String>> expected = new LinkedHashMap<>();
        expected.put(EVERYTHING, labels(0, 7));
        expected.put(new EventTopic(null, "", null, "", null), labels(0, 7));
        expected.put(new EventTopic("ActionEvent", "VM.START", null, null, null), List.of("e0", "e3", "e4"));
        expected.put(new EventTopic("actionevent", "vm-start", "virtualmachine", "*", "management.server"), List.of("e0", "e3", "e4"));
        expected.put(new EventTopic(null, null, null, "vm-2", null), List.of("e1", "e2", "e3", "e5", "e6"));
        expected.put(new EventTopic("AlertEvent", "*", "*", "*", "*"), List.of("e2", "e4"));
        expected.put(new EventTopic("*", "*", "*", "*", "usage-server"), List.of("e5"));
        expected.put(new EventTopic("ResourceStateEvent", "StartRequested", "VirtualMachine", "vm-2", "management-server"),
                List.of("e6"));
        Map<EventTopic, Recorder> subscribers = new LinkedHashMap<>();
        for (EventTopic topic : expected.keySet()) {
            Recorder recorder = new Recorder();
            bus.subscribe(topic, recorder);
            subscribers.put(topic, recorder);
        }
        for (Event event : published) {
            bus.publish(event);
        }
        // Null fields match every topic: once each subscriber has this one, it has all it will get.
        bus.publish(event(null, null, null, null, null, "end"));
        for (Recorder recorder : subscribers.values()) {
            await(() -> recorder.got("end"), WAIT, "the last event reached every subscriber");
        }
        subscribers.forEach((topic, recorder) -> {
            List<String> expectedLabels = new ArrayList<>(expected.get(topic));
            expectedLabels.add("end");
            assertEquals(expectedLabels, recorder.labels(), "events of the topic " + topic.getEventCategory() + "/"
                    + topic.getEventType() + "/" + topic.getResourceType() + "/" + topic.getResourceUUID() + "/" + topic.getEventSource());
        });
        assertTrue(published.get(0) == subscribers.get(EVERYTHING).events.get(0), "the event object as published");
    }

    @Test
    void withKafkaDisabledSubscribersStillReceiveOnABusThreadNeverThePublishers() throws Exception {
        KafkaEventBus bus = disabledBus("disabledBus");
        Recorder recorder = new Recorder();
        bus.subscribe(EVERYTHING, recorder);
        for (int n = 0; n < 3; n++) {
            bus.publish(numbered(n));
        }
        await(() -> recorder.events.size() == 3, WAIT, "the events reached the subscriber");
        assertEquals(labels(0, 3), recorder.labels());
        String publisher = Thread.currentThread().getName();
        for (String thread : recorder.threads) {
            assertTrue(thread.startsWith("kafka-event-bus-subscriber-disabledBus-"), thread);
            assertFalse(thread.equals(publisher), thread);
        }
        assertEquals(3, bus.subscriberStatistics().delivered());
        assertEquals(0, bus.statistics().accepted(), "Kafka is disabled: nothing counted there");
    }

    @Test
    void afterUnsubscribeReturnsTheSubscriberIsNeverCalledAgainEvenWithEventsQueuedForIt() throws Exception {
        KafkaEventBus bus = disabledBus("unsubscribeBus");
        CountDownLatch inFirstCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> calls = new CopyOnWriteArrayList<>();
        UUID id = bus.subscribe(EVERYTHING, event -> {
            calls.add(event.getDescription());
            inFirstCall.countDown();
            awaitQuietly(release);
        });
        Recorder sentinel = new Recorder();
        bus.subscribe(EVERYTHING, sentinel);
        bus.publish(numbered(0));
        assertTrue(inFirstCall.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        for (int n = 1; n < 5; n++) {
            bus.publish(numbered(n)); // queued behind the call in progress
        }
        Thread unsubscriber = new Thread(() -> assertDoesNotThrow(() -> bus.unsubscribe(id, null)));
        unsubscriber.start();
        await(() -> unsubscriber.getState() == Thread.State.TIMED_WAITING, WAIT, "unsubscribe waits for the call in progress");
        release.countDown();
        unsubscriber.join(WAIT.toMillis());
        assertFalse(unsubscriber.isAlive());
        for (int n = 5; n < 10; n++) {
            bus.publish(numbered(n));
        }
        await(() -> sentinel.events.size() == 10, WAIT, "the sentinel got every event");
        assertEquals(List.of("e0"), calls, "none of the queued events, nor any later one");
        assertEquals(1, bus.subscriberStatistics().subscribers());

        EventBusException again = assertThrows(EventBusException.class, () -> bus.unsubscribe(id, null));
        assertEquals("Kafka event bus unsubscribeBus has no subscriber with id " + id
                + " (unsubscribed already, or subscribed to another bus)", again.getMessage());
        assertEquals("Kafka event bus unsubscribeBus cannot unsubscribe a null subscriber id",
                assertThrows(EventBusException.class, () -> bus.unsubscribe(null, sentinel)).getMessage());
        assertEquals("Kafka event bus unsubscribeBus cannot subscribe: the EventTopic is null",
                assertThrows(EventBusException.class, () -> bus.subscribe(null, sentinel)).getMessage());
        assertEquals("Kafka event bus unsubscribeBus cannot subscribe: the EventSubscriber is null",
                assertThrows(EventBusException.class, () -> bus.subscribe(EVERYTHING, null)).getMessage());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aThrowingSubscriberHarmsNothingAndKeepsReceiving() throws Exception {
        String topic = "subscribers-" + UUID.randomUUID();
        KafkaCluster.shared().createTopic(topic, 1);
        try (LogCapture log = LogCapture.attach(Level.WARN, "io.kafkabus.cloudstack")) {
            KafkaEventBus bus = kafkaBus("throwingBus", dir, topic);
            List<String> thrower = new CopyOnWriteArrayList<>();
            bus.subscribe(EVERYTHING, event -> {
                thrower.add(event.getDescription());
                throw new IllegalStateException("subscriber bug");
            });
            Recorder good = new Recorder();
            bus.subscribe(EVERYTHING, good);
            for (int n = 0; n < 20; n++) {
                Event event = numbered(n);
                assertDoesNotThrow(() -> bus.publish(event));
            }
            await(() -> good.events.size() == 20 && thrower.size() == 20, WAIT, "both subscribers got every event");
            assertEquals(labels(0, 20), good.labels());
            assertEquals(labels(0, 20), thrower, "the thrower still gets the events after its failures");
            assertEquals(20, KafkaCluster.shared().consume(topic, 20, WAIT).size(), "Kafka got every event");
            SubscriberStatistics statistics = bus.subscriberStatistics();
            assertEquals(20, statistics.failed());
            assertEquals(20, statistics.delivered());
            List<String> warnings = log.messages().stream().filter(m -> m.contains(" threw ")).collect(Collectors.toList());
            assertEquals(1, warnings.size(), "once, then rate-limited: " + log.messages());
            assertTrue(warnings.get(0).startsWith("Kafka event bus throwingBus: subscriber " + SubscribersTest.class.getName()
                    + "$$Lambda"), warnings.get(0));
            assertTrue(warnings.get(0).contains(" threw java.lang.IllegalStateException at " + SubscribersTest.class.getName()),
                    warnings.get(0));
            assertTrue(warnings.get(0).endsWith("handling an event (counted in failed); it keeps receiving later events"),
                    warnings.get(0));
            assertFalse(warnings.get(0).contains("subscriber bug"), "not the message, which may quote the event");
        }
    }

    @Test
    void aBlockedSubscriberDelaysNeitherPublishingNorOthersAndMissesOnlyWhatItsQueueCannotHold() throws Exception {
        String topic = "subscribers-" + UUID.randomUUID();
        KafkaCluster.shared().createTopic(topic, 1);
        try (LogCapture log = LogCapture.attach(Level.WARN, "io.kafkabus.cloudstack")) {
            KafkaEventBus bus = kafkaBus("blockedBus", dir, topic, "subscribers.queue.max.events", "5");
            CountDownLatch blocked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Recorder slow = new Recorder() {
                @Override
                public void onEvent(Event event) {
                    super.onEvent(event);
                    blocked.countDown();
                    awaitQuietly(release);
                }
            };
            bus.subscribe(EVERYTHING, slow);
            Recorder good = new Recorder();
            bus.subscribe(EVERYTHING, good);
            bus.publish(numbered(0));
            assertTrue(blocked.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            for (int n = 1; n < 50; n++) {
                Event event = numbered(n);
                assertTimeoutPreemptively(Duration.ofSeconds(1), () -> bus.publish(event), "publish() does not wait for it");
                int published = n + 1;
                // Each in turn, as the other subscriber's queue is as small.
                await(() -> good.events.size() == published, WAIT, "the other subscriber got event " + n);
            }
            assertEquals(labels(0, 50), good.labels());
            assertEquals(44, bus.subscriberStatistics().dropped(), "beyond the one in progress and the 5 queued");
            release.countDown();
            await(() -> slow.events.size() == 6, WAIT, "the slow subscriber got what its queue held");
            bus.publish(event(null, null, null, null, null, "end"));
            await(() -> slow.got("end"), WAIT, "the slow subscriber, freed, gets new events again");
            List<String> warnings = log.messages().stream().filter(m -> m.contains("does not keep up"))
                    .collect(Collectors.toList());
            assertEquals(List.of("Kafka event bus blockedBus: subscriber " + slow.getClass().getName() + " does not keep up: "
                    + "its queue of subscribers.queue.max.events=5 events is full, so new events are dropped for it (counted in "
                    + "dropped); make its onEvent return faster or raise subscribers.queue.max.events"), warnings);
            assertEquals(51, KafkaCluster.shared().consume(topic, 51, WAIT).size(), "Kafka got every event");
            List<String> expected = labels(0, 6);
            expected.add("end");
            assertEquals(expected, slow.labels(), "the first six, in order, nothing beyond its queue, then the next one");
        }
    }

    @Test
    void stopEndsEverySubscriberThreadAndRefusesNewSubscribers() throws Exception {
        String topic = "subscribers-" + UUID.randomUUID();
        KafkaCluster.shared().createTopic(topic, 1);
        KafkaEventBus bus = kafkaBus("stoppingBus", dir, topic, "subscribers.source", "kafka");
        for (int n = 0; n < 3; n++) {
            bus.subscribe(EVERYTHING, new Recorder());
        }
        assertEquals(4, busThreads("stoppingBus").size(), "three subscribers and the Kafka reader: " + busThreads("stoppingBus"));
        bus.stop();
        bus.stop();
        assertEquals(List.of(), busThreads("stoppingBus"));
        assertEquals("Kafka event bus stoppingBus is stopped: it takes no more subscribers",
                assertThrows(EventBusException.class, () -> bus.subscribe(EVERYTHING, new Recorder())).getMessage());
    }

    private static List<String> busThreads(String busName) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("kafka-event-bus-subscriber-" + busName + "-")).collect(Collectors.toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"envelope", "cloudevents-binary", "cloudevents-structured"})
    void withTheKafkaSourceASubscriberGetsEveryServersEventsEachOnce(String valueFormat) throws Exception {
        String topic = "subscribers-" + UUID.randomUUID();
        KafkaCluster.shared().createTopic(topic, 3);
        KafkaEventBus serverA = kafkaBus("serverA", dir.resolve("a"), topic, "subscribers.source", "kafka",
                "value.format", valueFormat);
        KafkaEventBus serverB = kafkaBus("serverB", dir.resolve("b"), topic, "value.format", valueFormat);
        Recorder recorder = new Recorder();
        serverA.subscribe(new EventTopic("ActionEvent", "*", "*", "*", "*"), recorder);
        Event fromA = event("management-server", "ActionEvent", "VM.START", "VirtualMachine", "vm-a", "{\"n\":\"a0\"}");
        serverA.publish(fromA);
        for (int n = 0; n < 5; n++) {
            serverB.publish(event("management-server", "ActionEvent", "VM.STOP", "VirtualMachine", "vm-" + n,
                    "{\"n\":\"b" + n + "\"}"));
        }
        serverB.publish(event("management-server", "AlertEvent", "ALERT.MEMORY", null, null, "{\"n\":\"alert\"}"));
        await(() -> recorder.events.size() >= 6, WAIT, "both servers' events reached the subscriber on A");
        serverA.publish(event("management-server", "ActionEvent", "VM.START", "VirtualMachine", "vm-a", "{\"n\":\"end\"}"));
        await(() -> recorder.got("{\"n\":\"end\"}"), WAIT, "the last event reached the subscriber");
        assertEquals(List.of("{\"n\":\"a0\"}", "{\"n\":\"b0\"}", "{\"n\":\"b1\"}", "{\"n\":\"b2\"}", "{\"n\":\"b3\"}",
                "{\"n\":\"b4\"}", "{\"n\":\"end\"}"), recorder.labels().stream().sorted().collect(Collectors.toList()),
                "each event once, the alert not selected");
        Event received = recorder.events.stream().filter(e -> e.getResourceUUID().equals("vm-a")).findFirst().orElseThrow();
        assertEquals(List.of("management-server", "ActionEvent", "VM.START", "VirtualMachine", "vm-a"),
                List.of(received.getEventSource(), received.getEventCategory(), received.getEventType(),
                        received.getResourceType(), received.getResourceUUID()));
        assertEquals(0, serverA.subscriberStatistics().unreadable());
    }

    @Test
    void theKafkaSourceNeedsEventsThatSayTheirCategoryAndType() {
        ConfigurationException refused = assertThrows(ConfigurationException.class, () -> EventBusConfig.parse(
                Map.of("bootstrap.servers", "localhost:9", "subscribers.source", "kafka", "value.format", "description"),
                "test.properties", "bus"));
        assertEquals("Invalid Kafka event bus configuration in test.properties: subscribers.source=kafka needs value.format "
                + "envelope, cloudevents-binary or cloudevents-structured: with value.format=description a record does not say "
                + "its event's category and type, so it cannot be handed back to subscribers; change either key",
                refused.getMessage());
    }
}
