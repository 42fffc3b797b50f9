package io.kafkabus.cloudstack.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import io.kafkabus.cloudstack.testing.LogCapture;

class RateLimitedLoggerTest {
    private static final String LOGGER = "io.kafkabus.cloudstack.delivery.RateLimitedLoggerTest.sample";

    @Test
    void aRecurringProblemIsLoggedOncePerPeriodWithItsCount() {
        AtomicLong now = new AtomicLong();
        RateLimitedLogger problems = new RateLimitedLogger(LoggerFactory.getLogger(LOGGER), Duration.ofSeconds(60), now::get);
        try (LogCapture log = LogCapture.attach(Level.INFO, LOGGER)) {
            for (int i = 0; i < 1000; i++) {
                problems.warn("Kafka is away", "attempt " + i);
            }
            problems.error("spool full", null);
            now.addAndGet(Duration.ofSeconds(61).toNanos());
            problems.warn("Kafka is away", "attempt 1000");
            assertEquals(List.of("Kafka is away: attempt 0", "spool full",
                    "Kafka is away: attempt 1000 (999 more since last logged)"), log.messages());
            assertEquals(Level.ERROR, log.events.get(1).getLevel());
        }
    }
}
