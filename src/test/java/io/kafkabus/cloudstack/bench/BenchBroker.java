package io.kafkabus.cloudstack.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import io.kafkabus.cloudstack.demo.EmbeddedDemo;
import io.kafkabus.cloudstack.testing.KafkaCluster;

/**
 * The benchmark's Kafka: one KRaft broker in a JVM of its own, so that the benchmark's heap,
 * allocation and pauses are the clients' alone. Driven line by line on standard input
 * ({@code create TOPIC PARTITIONS}, {@code stop}, {@code start}, {@code quit}); answers {@code ok}
 * or {@code error: ...}, after {@code ready BOOTSTRAP_SERVERS} at start.
 */
public final class BenchBroker {
    private BenchBroker() {
    }

    public static void main(String[] args) throws Exception {
        KafkaCluster kafka = EmbeddedDemo.quietly(() -> KafkaCluster.start(1));
        int broker = kafka.brokerIds().get(0);
        System.out.println("ready " + kafka.bootstrapServers());
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = commands.readLine(); line != null && !line.equals("quit"); line = commands.readLine()) {
            String[] words = line.trim().split("\\s+");
            try {
                switch (words[0]) {
                    case "create": kafka.createTopic(words[1], Integer.parseInt(words[2])); break;
                    case "stop": kafka.stopBroker(broker); break;
                    case "start": kafka.startBroker(broker); break;
                    default: throw new IllegalArgumentException("unknown command " + line);
                }
                System.out.println("ok");
            } catch (Exception e) {
                System.out.println("error: " + e);
            }
        }
        EmbeddedDemo.quietly(() -> {
            kafka.close();
            return null;
        });
        System.exit(0);
    }
}
