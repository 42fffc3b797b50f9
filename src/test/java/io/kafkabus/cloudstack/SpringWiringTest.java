package io.kafkabus.cloudstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.cloudstack.framework.events.EventBus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.config.PropertyOverrideConfigurer;
import org.springframework.context.support.GenericXmlApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;

import com.cloud.utils.component.ComponentLifecycle;

import io.kafkabus.cloudstack.testing.KafkaCluster;
import io.kafkabus.cloudstack.testing.TestBuses;

/** Both shipped Spring XML files load with the server's Spring (5.3) and give a working bus. */
class SpringWiringTest {
    @TempDir
    Path dir;

    @Test
    void theJarsOwnModuleXmlGivesAWorkingBus() throws Exception {
        publishThrough(new ClassPathResource(
                "META-INF/cloudstack/kafka-event-bus/spring-kafka-event-bus-context.xml"), "kafkaEventBus");
    }

    @Test
    void theCoreXmlForCloudStack419GivesAWorkingBus() throws Exception {
        publishThrough(new FileSystemResource("META-INF/cloudstack/core/spring-event-bus-context.xml"), "kafkaEventBusCore");
    }

    @Test
    void theModuleHangsUnderTheEventModule() throws Exception {
        Properties module = new Properties();
        try (var in = getClass().getClassLoader().getResourceAsStream("META-INF/cloudstack/kafka-event-bus/module.properties")) {
            module.load(in);
        }
        assertEquals("kafka-event-bus", module.getProperty("name"), "CloudStack requires name == folder name");
        assertEquals("event", module.getProperty("parent"));
    }

    private void publishThrough(Resource xml, String expectedName) throws Exception {
        KafkaCluster kafka = KafkaCluster.shared();
        String topic = "spring-" + UUID.randomUUID();
        kafka.createTopic(topic, 1);
        Path properties = TestBuses.writeProperties(dir, kafka.bootstrapServers(), topic);
        try (GenericXmlApplicationContext context = new GenericXmlApplicationContext()) {
            Properties override = new Properties();
            override.setProperty(expectedName + ".propertiesFile", properties.toString());
            PropertyOverrideConfigurer configurer = new PropertyOverrideConfigurer();
            configurer.setProperties(override);
            context.addBeanFactoryPostProcessor(configurer);
            context.load(xml);
            context.refresh();
            Map<String, EventBus> buses = context.getBeansOfType(EventBus.class);
            assertEquals(List.of(expectedName), List.copyOf(buses.keySet()));
            EventBus bus = buses.get(expectedName);
            assertEquals(expectedName, bus.getName());
            ComponentLifecycle lifecycle = (ComponentLifecycle) bus;
            assertTrue(lifecycle.configure(lifecycle.getName(), lifecycle.getConfigParams()));
            assertTrue(lifecycle.start());
            bus.publish(TestBuses.numbered(1, 1));
            List<ConsumerRecord<byte[], byte[]>> records = kafka.consume(topic, 1, Duration.ofSeconds(30));
            assertTrue(lifecycle.stop());
            assertTrue(lifecycle.stop());
            assertEquals(1, records.size());
            assertEquals("resource-0", new String(records.get(0).key(), StandardCharsets.UTF_8));
        }
    }
}
