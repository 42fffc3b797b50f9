package io.kafkabus.cloudstack.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import io.kafkabus.cloudstack.testing.LogCapture;

class RateLimitedLoggerTest {
    private static final String LOGGER = "io.kafkabus.cloudstack.logging.RateLimitedLoggerTest.sample";

    private final AtomicLong now = new AtomicLong();
    private final RateLimitedLogger problems = new RateLimitedLogger(LoggerFactory.getLogger(LOGGER),
            RateLimitedLogger.FIRST_PERIOD, RateLimitedLogger.LONGEST_PERIOD, now::get);

    @Test
    void aRecurringProblemIsLoggedOnceThenAfterItsPeriodWithItsCount() {
        try (LogCapture log = LogCapture.attach(Level.INFO, LOGGER)) {
            for (int i = 0; i < 1000; i++) {
                problems.warn("Kafka is away", "attempt " + i);
            }
            problems.error("spool full", null);
            advance(Duration.ofSeconds(61));
            problems.warn("Kafka is away", "attempt 1000");
            assertEquals(List.of("Kafka is away: attempt 0", "spool full",
                    "Kafka is away: attempt 1000 (999 more since last logged)"), log.messages());
            assertEquals(Level.ERROR, log.events.get(1).getLevel());
        }
    }

    @Test
    void theLatestProblemIsKeptWithItsTimeEvenWhenTheLogHoldsItsLineBack() {
        assertEquals(LoggedProblem.NONE, problems.latest());
        try (LogCapture log = LogCapture.attach(Level.INFO, LOGGER)) {
            long before = System.currentTimeMillis();
            problems.warn("Kafka is away", "attempt 1");
            problems.error("spool full", null);
            problems.warn("Kafka is away", "attempt 2");
            assertEquals(List.of("Kafka is away: attempt 1", "spool full"), log.messages());
            assertEquals("Kafka is away: attempt 2", problems.latest().line());
            assertTrue(before <= problems.latest().epochMs() && problems.latest().epochMs() <= System.currentTimeMillis());
        }
    }

    @Test
    void aProblemLastingADayIsLoggedAboutAHundredTimes() {
        try (LogCapture log = LogCapture.attach(Level.INFO, LOGGER)) {
            long seconds = Duration.ofDays(1).toSeconds();
            for (long second = 0; second < seconds; second++) {
                problems.warn("Kafka is away", null);
                advance(Duration.ofSeconds(1));
            }
            // At 0, 1, 3, 7 minutes, then every 15 (15, 30, ..., 1425): 4 + 95 lines.
            List<String> lines = log.messages();
            assertEquals(99, lines.size(), String.join("\n", lines));
            assertEquals(List.of("Kafka is away", "Kafka is away (59 more since last logged)",
                    "Kafka is away (119 more since last logged)", "Kafka is away (239 more since last logged)",
                    "Kafka is away (479 more since last logged)", "Kafka is away (899 more since last logged)"), lines.subList(0, 6));
            assertEquals("Kafka is away (899 more since last logged)", lines.get(98));
        }
    }

    @Test
    void aProblemBackAfterAQuietSpellIsLoggedAtOnceAndItsPeriodStartsAgain() {
        try (LogCapture log = LogCapture.attach(Level.INFO, LOGGER)) {
            for (int minute = 0; minute < 20; minute++) {
                problems.warn("Kafka is away", null);
                advance(Duration.ofMinutes(1));
            }
            // Logged at minutes 0, 1, 3, 7 and 15; the repeats at 16 to 19 are counted with the next line.
            assertEquals(5, log.messages().size(), String.join("\n", log.messages()));
            advance(RateLimitedLogger.LONGEST_PERIOD);
            problems.warn("Kafka is away", "again");
            advance(Duration.ofSeconds(30));
            problems.warn("Kafka is away", "again");
            advance(Duration.ofSeconds(31));
            problems.warn("Kafka is away", "again");
            assertEquals(List.of("Kafka is away: again (4 more since last logged)", "Kafka is away: again (1 more since last logged)"),
                    log.messages().subList(5, 7));
        }
    }

    @Test
    void pastItsBoundOfProblemsItForgetsThemRatherThanGrow() {
        try (LogCapture log = LogCapture.attach(Level.INFO, LOGGER)) {
            for (int i = 0; i <= RateLimitedLogger.MAX_PROBLEMS; i++) {
                problems.warn("problem " + i, null);
            }
            problems.warn("problem 0", null);
            problems.warn("problem 0", null);
            // Every problem once, problem 0 again once forgotten, and its repeat held back.
            assertEquals(RateLimitedLogger.MAX_PROBLEMS + 2, log.messages().size());
        }
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }
}
