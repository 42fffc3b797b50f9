package io.kafkabus.cloudstack.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.KafkaEventBus;
import io.kafkabus.cloudstack.testing.Conditions;
import io.kafkabus.cloudstack.testing.Delivered;
import io.kafkabus.cloudstack.testing.LogCapture;
import io.kafkabus.cloudstack.testing.TestBuses;
import io.kafkabus.cloudstack.testing.VersionedBroker;

/**
 * The idempotent producer (the bus's default) on the oldest broker of the matrix, 2.1.1, with an
 * authorizer: brokers before 2.8 require IDEMPOTENT_WRITE on the cluster, which WRITE on the topic
 * does not give. The bus says so in one line, keeps the events, and delivers them once the right is
 * granted, without a restart.
 */
@EnabledIfSystemProperty(named = "broker.matrix.versions", matches = ".*\\b2\\.1\\.1\\b.*")
class IdempotentWriteIT {
    private static final String VERSION = "2.1.1";
    private static final String PRINCIPAL = "User:ANONYMOUS";
    private static final ResourcePattern CLUSTER = new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static AclBinding clusterRight(AclOperation operation) {
        return new AclBinding(CLUSTER, new AccessControlEntry(PRINCIPAL, "*", operation, AclPermissionType.ALLOW));
    }

    @Test
    void withoutIdempotentWriteTheBusSaysWhichRightIsMissingAndDeliversOnceItIsGranted() throws Exception {
        String topic = "idempotent-write";
        try (VersionedBroker broker = VersionedBroker.start(VERSION, Paths.get(System.getProperty("broker.matrix.jars")),
                Paths.get(System.getProperty("java.io.tmpdir"), "broker-matrix", VERSION + "-acl"),
                Map.of("authorizer.class.name", "kafka.security.auth.SimpleAclAuthorizer", "allow.everyone.if.no.acl.found", "true"));
             Admin admin = broker.admin();
             LogCapture log = LogCapture.attach(Level.WARN, "io.kafkabus.cloudstack")) {
            broker.createTopic(topic, 3);
            // Once the cluster has ACLs, only what they allow is allowed on it: everything the broker and
            // the test need (the topic has none: everyone may write it), but not IDEMPOTENT_WRITE.
            admin.createAcls(List.of(clusterRight(AclOperation.ALTER), clusterRight(AclOperation.CREATE),
                    clusterRight(AclOperation.DESCRIBE), clusterRight(AclOperation.CLUSTER_ACTION))).all().get();

            KafkaEventBus bus = TestBuses.configured("oldBroker", dir, broker.bootstrapServers(), topic);
            bus.start();
            for (int n = 0; n < 50; n++) {
                bus.publish(TestBuses.numbered(n, 5));
            }
            String line = "Kafka event bus oldBroker: Kafka denied this principal a cluster-wide right (brokers before 2.8 "
                    + "require IDEMPOTENT_WRITE on the cluster for the idempotent producer); events wait in the spool and are retried: "
                    + "ClusterAuthorizationException: ";
            Conditions.await(() -> log.messages().stream().anyMatch(m -> m.startsWith(line)), WAIT, "the WARN naming the missing right");
            assertEquals(50, bus.statistics().pending(), "nothing delivered, all of it kept");

            admin.createAcls(List.of(clusterRight(AclOperation.IDEMPOTENT_WRITE))).all().get();
            Delivered delivered = new Delivered(broker.consume(topic, 50, WAIT));
            Conditions.await(() -> bus.statistics().pending() == 0, WAIT, "the spool drained");
            bus.stop();

            System.out.println("IdempotentWriteIT Kafka " + VERSION + ": " + log.messages().stream()
                    .filter(m -> m.startsWith(line)).findFirst().orElseThrow());
            assertEquals(Set.of(), delivered.missingOf(50), "events lost\n" + broker.log());
            assertEquals(List.of(), delivered.keysOutOfOrder());
        }
    }
}
