package io.kafkabus.cloudstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's one command keeps working: a tiny run (a few thousand events, one size, one
 * thread count) against its own broker process writes every row to markdown and CSV.
 */
class SideBySideBenchmarkTest {
    private static final Map<String, String> TINY = Map.of("BENCH_EVENTS", "2000", "BENCH_WARMUP", "500",
            "BENCH_OUTAGE_EVENTS", "3000", "BENCH_SIZES", "700", "BENCH_THREADS", "1", "BENCH_REPEAT", "1");

    @TempDir
    Path out;

    @Test
    void aTinyRunWritesEveryRowAsMarkdownAndCsv() throws Exception {
        TINY.forEach(System::setProperty);
        try {
            SideBySideBenchmark.run(out);
        } finally {
            TINY.keySet().forEach(System::clearProperty);
        }
        List<String> csv = Files.readAllLines(out.resolve("side-by-side.csv"));
        assertEquals(7, csv.size(), "a header and six rows: " + csv);
        List<String> contenders = csv.subList(1, csv.size()).stream()
                .map(line -> String.join(" ", List.of(line.split(",")).subList(0, 4))).collect(Collectors.toList());
        assertEquals(List.of("bare producer (ceiling) 1 - up", "upstream-style producer 1 - up", "bus 1 interval up",
                "bus 1 interval down", "bus 1 always up", "bus 1 always down"), contenders);
        for (String line : csv.subList(1, csv.size())) {
            double ofCeiling = Double.parseDouble(line.split(",")[9]);
            assertTrue(ofCeiling > 0, line);
        }
        String markdown = Files.readString(out.resolve("side-by-side.md"));
        assertTrue(markdown.contains("| bus | 1 | interval | up |") && markdown.contains("| outage events |"), markdown);
        List<String> outage = Files.readAllLines(out.resolve("outage.csv"));
        assertTrue(outage.get(1).startsWith("3000,3000,"), "all 3,000 outage events were waiting: " + outage);
    }
}
