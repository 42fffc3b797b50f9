package io.kafkabus.cloudstack.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.Test;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.event.EventEnvelope;

class TopicChooserTest {
    static TopicChooser chooser(String... keyValues) throws Exception {
        Map<String, String> raw = new HashMap<>(Map.of("bootstrap.servers", "kafka:9092", "topic", "cloudstack"));
        for (int i = 0; i < keyValues.length; i += 2) {
            raw.put(keyValues[i], keyValues[i + 1]);
        }
        return new TopicChooser(EventBusConfig.parse(raw, "test", "bus"));
    }

    private static EventEnvelope event(String category, String type, String resourceType) {
        return EventEnvelope.builder("id", Instant.EPOCH).category(category).type(type).resourceType(resourceType).build();
    }

    @Test
    void typeTopicsThenCategoryTopicsThenTheTemplateThenTheTopic() throws Exception {
        TopicChooser chooser = chooser("type.topics", "VM.START:vm-start,VM.*:vm-events", "category.topics",
                "ActionEvent:actions,AlertEvent:alerts", "topic.template", "cloudstack.${category}.${type}");
        assertEquals("vm-start", chooser.topicOf(event("ActionEvent", "VM.START", "VirtualMachine")), "first match wins");
        assertEquals("vm-events", chooser.topicOf(event("UsageEvent", "VM.CREATE", null)));
        assertEquals("actions", chooser.topicOf(event("ActionEvent", "VOLUME.CREATE", "Volume")));
        assertEquals("cloudstack.ResourceStateEvent.StartRequested", chooser.topicOf(event("ResourceStateEvent", "StartRequested", null)));
        assertEquals("cloudstack", chooser("category.topics", "AlertEvent:alerts").topicOf(event("ActionEvent", "X", null)));
    }

    @Test
    void templateValuesAreMadeLegalTopicNamesThatStayDistinct() throws Exception {
        TopicChooser chooser = chooser("topic.template", "cs-${resourceType}");
        assertEquals("cs-com.cloud.vm.UserVmVO", chooser.topicOf(event("UsageEvent", "VM.CREATE", "com.cloud.vm.UserVmVO")));
        assertEquals("cs-none", chooser.topicOf(event("AlertEvent", "ALERT.MEMORY", null)), "a missing value");
        String spaced = chooser.topicOf(event("X", "Y", "Host Tag"));
        String underscored = chooser.topicOf(event("X", "Y", "Host_Tag"));
        String dotted = chooser.topicOf(event("X", "Y", "Host.Tag"));
        assertEquals("cs-Host-Tag-07f78412", spaced, "as the README says");
        assertEquals("cs-Host-Tag-34ab34d8", underscored, "as the README says");
        assertNotEquals(spaced, underscored, "different values never share a topic");
        assertEquals("cs-Host.Tag", dotted);
        for (String topic : new String[] {spaced, underscored, dotted}) {
            Topic.validate(topic);
            assertTrue(!topic.contains("_"), "'_' would collide with '.' in Kafka's metric names: " + topic);
        }
    }

    @Test
    void anOverlongTopicIsCutAndMarkedWithTheWholeNamesChecksum() throws Exception {
        TopicChooser chooser = chooser("topic.template", "cloudstack.${type}");
        String a = chooser.topicOf(event("X", "A".repeat(300), null));
        String b = chooser.topicOf(event("X", "A".repeat(301), null));
        assertEquals(TopicChooser.MAX_TOPIC_LENGTH, a.length());
        assertNotEquals(a, b);
        Topic.validate(a);
        assertEquals("cloudstack.none", chooser.topicOf(event("X", null, null)));
        assertTrue(chooser.topicOf(event("X", "..", null)).matches("cloudstack\\.\\.\\.-[0-9a-f]{8}"));
    }
}
