package io.kafkabus.cloudstack.delivery;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait after a failed round: doubling from 100 ms to 30 s, with ±20 % jitter so that
 * the management servers of one cloud do not all retry in step. (Kafka's own ExponentialBackoff
 * left the client jar in 4.4.)
 */
final class Backoff {
    static final long INITIAL_MS = 100;
    static final long MAX_MS = 30_000;
    private static final double JITTER = 0.2;

    private Backoff() {
    }

    static long delayMs(int failedRounds) {
        double exact = Math.min(MAX_MS, INITIAL_MS * Math.pow(2, Math.min(failedRounds, 30)));
        return Math.round(exact * (1 - JITTER + 2 * JITTER * ThreadLocalRandom.current().nextDouble()));
    }
}
