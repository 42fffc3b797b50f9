package io.kafkabus.cloudstack.cli.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.SaslConfigs;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.logging.ErrorText;

/**
 * The command line's {@code check}: will the bus work after the restart? The file as the bus reads
 * it, its spool directory, the brokers and the login, the topics, and optionally a test event, each
 * finding one line. Later steps need the earlier ones: without a valid file nothing else is
 * checked, without a reachable broker no topic.
 */
public final class Check {
    /** The bus's name in the jar's own Spring XML (CloudStack 4.20 and later). */
    public static final String BUS = "kafkaEventBus";
    /** The bus's name in the XML for CloudStack 4.19 and earlier. */
    public static final String CORE_BUS = "kafkaEventBusCore";
    private static final Duration ADMIN_CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private Check() {
    }

    /**
     * Runs every check and prints its findings and a summary line.
     *
     * @param file          the properties file, read as the bus reads it
     * @param bus           the bus whose spool to check; empty: each of {@link #BUS} and {@link #CORE_BUS}
     *                      whose spool directory exists, else {@link #BUS}
     * @param sendTestEvent also send a test event and read it back
     * @param out           receives each result line
     * @param progress      receives what is done next, before each step that may take over a second
     * @return true when nothing was found that would keep the bus from working (warnings aside)
     */
    public static boolean run(Path file, Optional<String> bus, boolean sendTestEvent, Consumer<String> out,
                              Consumer<String> progress) throws InterruptedException {
        Findings findings = new Findings(out, progress);
        Optional<EventBusConfig> config = ConfigCheck.run(file, bus.orElse(BUS), findings);
        if (config.isPresent()) {
            new SpoolCheck(config.get(), findings).run(bus.map(List::of).orElseGet(() -> busesOf(config.get().spoolDir())));
            kafka(config.get(), sendTestEvent, findings);
        }
        out.accept(findings.summary());
        return !findings.problemFound();
    }

    private static List<String> busesOf(Path spoolDir) {
        List<String> existing = List.of(BUS, CORE_BUS).stream().filter(name -> Files.isDirectory(spoolDir.resolve(name)))
                .collect(Collectors.toList());
        return existing.isEmpty() ? List.of(BUS) : existing;
    }

    private static void kafka(EventBusConfig config, boolean sendTestEvent, Findings findings) throws InterruptedException {
        BrokerCheck brokers = new BrokerCheck(config, findings);
        if (!brokers.reachable()) {
            return;
        }
        Admin admin;
        Set<String> missing;
        try {
            admin = Admin.create(CheckClients.admin(config));
        } catch (KafkaException e) {
            findings.add(Finding.problem("a Kafka client cannot be made with these settings: " + ErrorText.describe(e)));
            return;
        }
        try {
            Collection<Node> cluster = brokers.connect(admin);
            if (cluster.isEmpty()) {
                return;
            }
            missing = new TopicCheck(config, findings, BrokerCheck.user(config.producerProperties().get(SaslConfigs.SASL_JAAS_CONFIG)))
                    .run(admin, cluster);
        } finally {
            admin.close(ADMIN_CLOSE_TIMEOUT);
        }
        if (sendTestEvent && missing.contains(config.topic())) {
            findings.add(Finding.warn("no test event sent: topic " + config.topic() + " does not exist yet (see above), and "
                    + "the check creates no topic"));
        } else if (sendTestEvent) {
            new TestEvent(config, findings).run();
        }
    }
}
