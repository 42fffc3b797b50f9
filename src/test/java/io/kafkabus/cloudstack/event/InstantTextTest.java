package io.kafkabus.cloudstack.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;

class InstantTextTest {

    @Test
    void writesWhatIsoInstantWritesForEveryMillisecondShape() {
        List<Instant> instants = List.of(Instant.EPOCH, Instant.parse("2026-11-22T10:15:30.123Z"),
                Instant.parse("2026-11-22T10:15:30Z"), Instant.parse("2026-11-22T10:15:30.100Z"),
                Instant.parse("2026-11-22T10:15:30.010Z"), Instant.parse("2026-11-22T10:15:30.001Z"),
                Instant.parse("2026-12-31T23:59:59.999Z"), Instant.parse("1969-12-31T23:59:59.500Z"),
                Instant.parse("+10000-01-01T00:00:00.042Z"));
        for (Instant instant : instants) {
            assertEquals(DateTimeFormatter.ISO_INSTANT.format(instant), InstantText.of(instant));
        }
    }

    @Test
    void aRunOfMillisecondsAcrossSecondsMatchesIsoInstant() {
        Instant start = Instant.parse("2026-11-22T10:15:29.990Z");
        for (int ms = 0; ms < 2_100; ms++) {
            Instant instant = start.plus(ms, ChronoUnit.MILLIS);
            assertEquals(DateTimeFormatter.ISO_INSTANT.format(instant), InstantText.of(instant));
        }
    }
}
