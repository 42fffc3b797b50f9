package io.kafkabus.cloudstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The routing benchmark's command keeps working: a tiny run writes a row per step. */
class RoutingCostBenchmarkTest {
    @TempDir
    Path out;

    @Test
    void aTinyRunWritesARowPerStep() throws Exception {
        Map<String, String> tiny = Map.of("BENCH_OPS", "2000", "BENCH_ROUNDS", "3");
        tiny.forEach(System::setProperty);
        try {
            RoutingCostBenchmark.run(out);
        } finally {
            tiny.keySet().forEach(System::clearProperty);
        }
        List<String> lines = Files.readAllLines(out.resolve("routing-cost.md"));
        assertEquals(8, lines.size(), "a header, its rule and six steps: " + lines);
        for (String row : lines.subList(2, lines.size())) {
            String[] cells = row.split("\\|");
            assertTrue(Double.parseDouble(cells[2].trim()) > 0, row);
        }
    }
}
