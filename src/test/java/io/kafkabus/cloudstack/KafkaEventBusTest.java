package io.kafkabus.cloudstack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.cloudstack.framework.events.Event;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.testing.KafkaCluster;

class KafkaEventBusTest {
    @TempDir
    Path dir;

    @Test
    void publishedEventsArriveInKafka() throws Exception {
        KafkaCluster kafka = KafkaCluster.shared();
        kafka.createTopic("smoke", 1);
        Path props = dir.resolve("kafka.producer.properties");
        Files.writeString(props, "bootstrap.servers=" + kafka.bootstrapServers() + "\ntopic=smoke\nspool.dir=" + dir.resolve("spool") + "\n");
        KafkaEventBus bus = new KafkaEventBus();
        bus.setPropertiesFile(props.toString());
        bus.configure("smokeBus", Map.of());
        bus.start();
        for (int i = 0; i < 10; i++) {
            Event e = new Event("management-server", "ActionEvent", "VM.START", "VirtualMachine", "uuid-" + i);
            e.setDescription("{\"status\":\"Completed\",\"n\":" + i + "}");
            bus.publish(e);
        }
        List<ConsumerRecord<byte[], byte[]>> records = kafka.consume("smoke", 10, Duration.ofSeconds(30));
        bus.stop();
        bus.stop();
        records.forEach(r -> System.out.println(new String(r.value())));
        assertEquals(10, records.size());
        System.out.println(bus.statistics());
    }
}
