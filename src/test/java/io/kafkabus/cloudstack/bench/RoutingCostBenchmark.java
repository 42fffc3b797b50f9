package io.kafkabus.cloudstack.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

import org.apache.cloudstack.framework.events.Event;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.event.CloudStackEvents;
import io.kafkabus.cloudstack.event.DescriptionProcessor;
import io.kafkabus.cloudstack.event.EventEnvelope;
import io.kafkabus.cloudstack.event.ManagementServer;
import io.kafkabus.cloudstack.metrics.BusMetrics;
import io.kafkabus.cloudstack.routing.EventFilter;
import io.kafkabus.cloudstack.routing.RecordRouter;
import io.kafkabus.cloudstack.testing.SampleDescriptions;

/**
 * What the bus does per event on CloudStack's thread before the spool, step by step, in
 * nanoseconds: the filter, the description (redaction), and the whole of event -> envelope ->
 * filter -> record. No broker: {@code mvn -q test-compile exec:exec@routing-bench}, output in
 * {@code target/benchmark/routing-cost.md}. Each row is the median of {@code BENCH_ROUNDS} rounds
 * of {@code BENCH_OPS} operations, after one round of warm-up.
 */
public final class RoutingCostBenchmark {
    /** Keeps results alive, so the JIT cannot drop the work measured. */
    private static volatile int sink;

    private final int ops;
    private final int rounds;

    RoutingCostBenchmark(int ops, int rounds) {
        this.ops = ops;
        this.rounds = rounds;
    }

    public static void main(String[] args) throws Exception {
        Path out = Paths.get(System.getProperty("bench.out", "target/benchmark"));
        System.out.println(run(out));
    }

    static String run(Path out) throws Exception {
        RoutingCostBenchmark bench = new RoutingCostBenchmark(setting("BENCH_OPS", 1_000_000), setting("BENCH_ROUNDS", 5));
        String table = bench.table();
        Files.createDirectories(out);
        Files.writeString(out.resolve("routing-cost.md"), table);
        return table;
    }

    private static int setting(String name, int fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null ? fallback : Integer.parseInt(value);
    }

    private String table() throws Exception {
        EventBusConfig readme = config("filter.include", "category=ActionEvent status=Completed, category=AlertEvent",
                "filter.exclude", "type=ALERT.USAGE*", "topic.template", "cloudstack.${category}.${type}");
        EventBusConfig plain = config();
        CloudStackEvents events = new CloudStackEvents(Clock.systemUTC(), new DescriptionProcessor(true, List.of(), List.of()),
                ManagementServer.local());
        Event action = event("ActionEvent", "VM.START", "VirtualMachine", "6f1b8f0e-3c2a-4d6e-9a51-2f8e0c7d9b14", actionDescription());
        Event job = event("AsyncJobEvent", "complete", "None", "", SampleDescriptions.vpnUserAdded());
        Event alert = event("AlertEvent", "ALERT.MEMORY", null, null, "{\"subject\":\"memory low\",\"podId\":1,\"dataCenterId\":1}");
        EventEnvelope[] mix = {events.toEnvelope(action), events.toEnvelope(job), events.toEnvelope(alert)};
        EventFilter filter = new EventFilter(readme);
        EventFilter none = new EventFilter(plain);
        DescriptionProcessor redacting = new DescriptionProcessor(true, List.of(), List.of());
        RecordRouter router = new RecordRouter(readme);

        StringBuilder table = new StringBuilder("| step (per event) | ns, median | ns, fastest round | ns, slowest round |\n|---|---|---|---|\n");
        row(table, "filter: README example (2 include rules, 1 exclude), over action/job/alert", i -> filter.accepts(mix[i % 3]) ? 1 : 0);
        row(table, "filter: no rules", i -> none.accepts(mix[i % 3]) ? 1 : 0);
        row(table, "description, " + action.getDescription().length() + " B ActionEvent (nothing to redact)",
                i -> redacting.process(action.getDescription()).hashCode());
        row(table, "description, " + job.getDescription().length() + " B AsyncJobEvent (session key and password redacted)",
                i -> redacting.process(job.getDescription()).hashCode());
        row(table, "event -> envelope -> filter -> record, ActionEvent, template topic", i -> {
            EventEnvelope envelope = events.toEnvelope(action);
            return filter.accepts(envelope) ? router.route(envelope).valueSize() : 0;
        });
        BusMetrics metrics = new BusMetrics();
        row(table, "publish() timed for JMX: two clock readings, one latency histogram record", i -> {
            metrics.publishTook(System.nanoTime());
            return i;
        });
        return table.toString();
    }

    private void row(StringBuilder table, String step, IntUnaryOperator operation) {
        measure(operation);
        double[] results = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            results[r] = measure(operation);
        }
        Arrays.sort(results);
        table.append(String.format("| %s | %.0f | %.0f | %.0f |%n", step, results[rounds / 2], results[0], results[rounds - 1]));
    }

    private double measure(IntUnaryOperator operation) {
        int kept = 0;
        long start = System.nanoTime();
        for (int i = 0; i < ops; i++) {
            kept += operation.applyAsInt(i);
        }
        long elapsed = System.nanoTime() - start;
        sink = kept;
        return (double) elapsed / ops;
    }

    private static EventBusConfig config(String... keyValues) throws Exception {
        Map<String, String> raw = new HashMap<>(Map.of("bootstrap.servers", "localhost:9092"));
        for (int i = 0; i < keyValues.length; i += 2) {
            raw.put(keyValues[i], keyValues[i + 1]);
        }
        return EventBusConfig.parse(raw, "benchmark", "bench");
    }

    private static Event event(String category, String type, String resourceType, String resourceUuid, String description) {
        Event event = new Event("management-server", category, type, resourceType, resourceUuid);
        event.setDescription(description);
        return event;
    }

    /** An ActionEvent description of about 800 bytes, shaped as CloudStack writes them. */
    private static String actionDescription() throws IOException {
        List<String> fields = new ArrayList<>(List.of("\"user\":\"f484a624-6b93-11e7-81e3-06565200012c\"",
                "\"account\":\"f4849ae2-6b93-11e7-81e3-06565200012c\"", "\"event\":\"VM.START\"", "\"status\":\"Completed\"",
                "\"entity\":\"com.cloud.vm.VirtualMachine\"", "\"entityuuid\":\"6f1b8f0e-3c2a-4d6e-9a51-2f8e0c7d9b14\"",
                "\"description\":\"Successfully completed starting Vm. Vm Id: 42\"", "\"eventDateTime\":\"2026-11-22 00:28:22 +0000\"",
                "\"VirtualMachine\":\"6f1b8f0e-3c2a-4d6e-9a51-2f8e0c7d9b14\"", "\"Account\":\"f4849ae2-6b93-11e7-81e3-06565200012c\"",
                "\"Domain\":\"8a90b067-6b93-11e7-81e3-06565200012c\"", "\"ServiceOffering\":\"c2b1f4e8-7d6a-4b3c-9e2f-8a7b6c5d4e3f\"",
                "\"DataCenter\":\"6f1a2c3d-0b4e-4d8a-9c7e-1a2b3c4d5e6f\"", "\"VirtualMachineTemplate\":\"0e5c9a6b-3f2d-11ef-8a1c-1e00d7000376\"",
                "\"Network\":\"9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a\"", "\"Host\":\"1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f\""));
        return "{" + String.join(",", fields) + "}";
    }
}
