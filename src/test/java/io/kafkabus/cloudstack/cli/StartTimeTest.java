package io.kafkabus.cloudstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class StartTimeTest {
    private static final Instant NOW = Instant.parse("2026-12-02T04:00:00Z");

    @Test
    void anAgeCountsBackFromNow() throws Exception {
        assertEquals(Instant.parse("2026-12-02T03:59:30Z"), StartTime.parse("30s", NOW));
        assertEquals(Instant.parse("2026-12-02T03:50:00Z"), StartTime.parse("10m", NOW));
        assertEquals(Instant.parse("2026-12-02T02:00:00Z"), StartTime.parse("2h", NOW));
        assertEquals(Instant.parse("2026-12-01T04:00:00Z"), StartTime.parse("1d", NOW));
        assertEquals(Instant.parse("2026-12-02T03:59:59.123Z"), StartTime.parse("1s", NOW.plusNanos(123_456_789)),
                "to the millisecond, as record timestamps");
    }

    @Test
    void anIsoTimeIsTakenAsWrittenWithItsOffset() throws Exception {
        assertEquals(Instant.parse("2026-12-02T03:00:00.250Z"), StartTime.parse("2026-12-02T03:00:00.250Z", NOW));
        assertEquals(Instant.parse("2026-12-02T03:00:00Z"), StartTime.parse("2026-12-02T04:00:00+01:00", NOW));
    }

    @Test
    void anythingElseIsAUsageErrorShowingWhatIsAccepted() {
        UsageException e = assertThrows(UsageException.class, () -> StartTime.parse("yesterday", NOW));
        assertTrue(e.getMessage().startsWith("tail: --from yesterday: expected an ISO-8601 time"), e.getMessage());
        assertThrows(UsageException.class, () -> StartTime.parse("10w", NOW));
        assertThrows(UsageException.class, () -> StartTime.parse("2026-12-02T03:00:00", NOW), "no zone: ambiguous");
    }
}
