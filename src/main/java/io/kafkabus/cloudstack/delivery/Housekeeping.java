package io.kafkabus.cloudstack.delivery;

import java.io.IOException;
import java.time.Duration;

import org.apache.kafka.common.utils.Time;

import io.kafkabus.cloudstack.logging.RateLimitedLogger;
import io.kafkabus.cloudstack.spool.Spool;

/** The sender's chores between sends: the spool's upkeep, and the periodic summary line when due. */
final class Housekeeping {
    private final String busName;
    private final Spool spool;
    private final RateLimitedLogger problems;
    private final Time time;
    private final long summaryPeriodMs;
    private final Runnable summary;
    private long lastSummaryMs;

    Housekeeping(String busName, Spool spool, RateLimitedLogger problems, Time time, Duration summaryPeriod, Runnable summary) {
        this.busName = busName;
        this.spool = spool;
        this.problems = problems;
        this.time = time;
        this.summaryPeriodMs = summaryPeriod.isZero() ? Long.MAX_VALUE : summaryPeriod.toMillis();
        this.summary = summary;
        this.lastSummaryMs = time.milliseconds();
    }

    void run() {
        try {
            spool.maintain();
        } catch (IOException e) {
            problems.warn("Kafka event bus " + busName + ": cannot record delivery progress in the spool", e.toString());
        }
        long now = time.milliseconds();
        if (now - lastSummaryMs >= summaryPeriodMs) {
            lastSummaryMs = now;
            summary.run();
        }
    }
}
