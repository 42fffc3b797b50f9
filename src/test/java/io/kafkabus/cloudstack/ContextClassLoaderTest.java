package io.kafkabus.cloudstack;

import static io.kafkabus.cloudstack.testing.Conditions.await;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.testing.KafkaCluster;
import io.kafkabus.cloudstack.testing.TestBuses;

/**
 * CloudStack calls configure() and start() on threads whose context class loader is a web
 * application's, which need not see the plugin's classes; Kafka loads the classes its settings name
 * and JAAS its login modules through that loader.
 */
class ContextClassLoaderTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aBusStartedFromAThreadWhoseContextLoaderCannotSeeThePluginLogsInAndDelivers() throws Exception {
        try (KafkaCluster sasl = KafkaCluster.startSaslPlain();
             URLClassLoader blind = new URLClassLoader(new URL[0], null)) {
            List<String> settings = new ArrayList<>(List.of("topic.create", "true",
                    // A class-valued setting, loaded by name while the file is checked and again by the producer.
                    "partitioner.class", "org.apache.kafka.clients.producer.RoundRobinPartitioner"));
            KafkaCluster.saslPlainClient(KafkaCluster.SASL_PASSWORD).forEach((key, value) -> settings.addAll(List.of(key, value)));
            AtomicReference<KafkaEventBus> started = new AtomicReference<>();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread cloudStack = new Thread(() -> {
                try {
                    KafkaEventBus bus = TestBuses.configured("blindLoaderBus", dir, sasl.bootstrapServers(), "blind-loader",
                            settings.toArray(new String[0]));
                    bus.start();
                    bus.publish(TestBuses.numbered(1, 1));
                    started.set(bus);
                } catch (Throwable e) {
                    failed.set(e);
                }
            }, "web-app-thread");
            cloudStack.setContextClassLoader(blind);
            cloudStack.start();
            cloudStack.join();
            if (failed.get() != null) {
                throw new AssertionError("configure(), start() or publish() failed on a thread with a blind context loader", failed.get());
            }
            KafkaEventBus bus = started.get();
            try {
                await(() -> bus.statistics().delivered() == 1, WAIT, "the event delivered over SASL/PLAIN");
            } finally {
                bus.stop();
            }
        }
    }
}
