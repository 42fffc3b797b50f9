package io.kafkabus.cloudstack.spool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kafkabus.cloudstack.config.FsyncPolicy;
import io.kafkabus.cloudstack.routing.RoutedRecord;

/**
 * The spool committed under {@value #RESOURCE}, written once in {@link SpoolFormat} 1 by this program
 * as a management server leaves it after an outage: the {@link #WRITTEN} records published in two
 * runs (so two segments, a new one per start), of which Kafka acknowledged the first
 * {@value #ACKNOWLEDGED} before the server stopped. It is kept to prove that later versions read it;
 * never write it again for format 1. Written with:
 * <pre>
 * mvn -o -q test-compile
 * java -cp target/classes:target/test-classes:$HOME/.m2/repository/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar \
 *      io.kafkabus.cloudstack.spool.SpoolFixture src/test/resources/spool-format-1
 * </pre>
 */
final class SpoolFixture {
    static final String RESOURCE = "spool-format-1";
    static final int ACKNOWLEDGED = 2;
    static final int FIRST_RUN = 3;
    static final List<RoutedRecord> WRITTEN = List.of(
            record(0, "cloudstack", "6f1b8f0e-3c2a-4d6e-9a51-2f8e0c7d9b14", "9d5e2c31-7b8a-4f6d-a1e0-c3b2d4f5e6a7",
                    "ActionEvent", "VM.START", "\"status\":\"Completed\""),
            record(1, "cloudstack-alerts", "AlertEvent:ALERT.MEMORY", "0b7d6a2e-5f41-4c3a-9e8d-7c6b5a4f3e21",
                    "AlertEvent", "ALERT.MEMORY", "\"description\":\"Memory is low: 95% used\""),
            record(2, "cloudstack", "c2d4e6f8-1a3b-4c5d-8e9f-0a1b2c3d4e5f", "3e5f7a9b-2c4d-4e6f-8a0b-1c2d3e4f5a6b",
                    "UsageEvent", "VOLUME.CREATE", "\"resourceType\":\"com.cloud.storage.Volume\""),
            record(3, "cloudstack", "6f1b8f0e-3c2a-4d6e-9a51-2f8e0c7d9b14", "5a7c9e1f-3b5d-4f7a-9c1e-2b4d6f8a0c3e",
                    "ResourceStateEvent", "StartRequested", "\"old-state\":\"Stopped\",\"new-state\":\"Starting\""),
            record(4, "cloudstack", "AsyncJobEvent:complete", "7c9e1a3b-5d7f-4a9c-8e2b-4d6f8a0c2e5a",
                    "AsyncJobEvent", "complete", "\"description\":\"Vm Id: 42, caf\u00e9 \u2713\""),
            record(5, "cloudstack-alerts", "AlertEvent:ALERT.MANAGEMENT", "9e1a3c5d-7f9b-4c1e-a3d5-6f8b0d2f4a7c",
                    "AlertEvent", "ALERT.MANAGEMENT", "\"description\":\"Management server node 10.1.1.2 is up\""));

    private SpoolFixture() {
    }

    /** The n-th record: headers and value as the bus makes them, shortened; published n seconds apart. */
    private static RoutedRecord record(int n, String topic, String key, String id, String category, String type, String more) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put("id", utf8(id));
        headers.put("category", utf8(category));
        headers.put("type", utf8(type));
        headers.put("source", utf8("management-server"));
        String value = "{\"envelopeVersion\":1,\"id\":\"" + id + "\",\"category\":\"" + category + "\",\"type\":\"" + type
                + "\"," + more + "}";
        return new RoutedRecord(topic, utf8(key), utf8(value), headers, 1_764_547_200_000L + n * 1000L);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static DiskSpool open(Path directory) throws IOException {
        return DiskSpool.open(directory, 1L << 20, 1 << 20, DiskSpool.DEFAULT_MAX_RECORD_BYTES, FsyncPolicy.ALWAYS,
                Duration.ofSeconds(1), Duration.ofSeconds(5), "bus kafkaEventBus (spool fixture)", "spool-fixture-fsync");
    }

    public static void main(String[] args) throws Exception {
        Path directory = Paths.get(args[0]);
        if (Files.exists(directory)) {
            throw new IOException(directory + " exists: the fixture is written once");
        }
        try (DiskSpool spool = open(directory)) {
            for (RoutedRecord record : WRITTEN.subList(0, FIRST_RUN)) {
                spool.append(record);
            }
        }
        try (DiskSpool spool = open(directory)) {
            for (RoutedRecord record : WRITTEN.subList(FIRST_RUN, WRITTEN.size())) {
                spool.append(record);
            }
            spool.acknowledgeBefore(ACKNOWLEDGED);
        }
    }
}
