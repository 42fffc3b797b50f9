package io.kafkabus.cloudstack;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.cloudstack.framework.events.Event;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.kafkabus.cloudstack.testing.TestBuses;

/**
 * The first publish() costs what the thousandth does: configure() has already loaded and set up
 * everything the publishing path uses. Measured in a class loader of its own, so that what other
 * tests loaded before does not hide what the first publish() would load in a fresh server.
 */
class FirstPublishTest {
    /** Loads a few JDK classes at most (lambdas, say); without the warm-up it is hundreds. */
    private static final long MOST_CLASSES_THE_FIRST_PUBLISH_LOADS = 10;

    @TempDir
    Path dir;

    @Test
    void theFirstPublishLoadsNothingConfigureDidNotAlreadyLoad() throws Exception {
        Path properties = TestBuses.writeProperties(dir, "127.0.0.1:1", "warm-up-test");
        try (URLClassLoader fresh = new URLClassLoader(codeSources(), ClassLoader.getPlatformClassLoader())) {
            Class<?> busClass = fresh.loadClass(KafkaEventBus.class.getName());
            Object bus = busClass.getConstructor().newInstance();
            busClass.getMethod("setPropertiesFile", String.class).invoke(bus, properties.toString());
            busClass.getMethod("configure", String.class, Map.class).invoke(bus, "warmBus", Map.of());
            Class<?> eventClass = fresh.loadClass(Event.class.getName());
            Constructor<?> newEvent = eventClass.getConstructor(String.class, String.class, String.class, String.class, String.class);
            Object event = newEvent.newInstance("management-server", "ActionEvent", "VM.STOP", "VirtualMachine", "vm-1");
            eventClass.getMethod("setDescription", String.class).invoke(event, "{\"status\":\"Completed\",\"n\":1}");

            ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
            long before = classes.getTotalLoadedClassCount();
            busClass.getMethod("publish", eventClass).invoke(bus, event);
            long loaded = classes.getTotalLoadedClassCount() - before;
            busClass.getMethod("stop").invoke(bus);

            assertTrue(loaded <= MOST_CLASSES_THE_FIRST_PUBLISH_LOADS, "the first publish() loaded " + loaded + " classes");
        }
    }

    /** The plugin, the CloudStack API it is compiled against, and its libraries: not the test classes or the broker. */
    private static URL[] codeSources() {
        return Stream.of(KafkaEventBus.class, Event.class, ObjectMapper.class, JsonFactory.class, JsonProperty.class,
                        KafkaProducer.class, LoggerFactory.class)
                .map(c -> c.getProtectionDomain().getCodeSource().getLocation())
                .distinct().toArray(URL[]::new);
    }
}
