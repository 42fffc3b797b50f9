package io.kafkabus.cloudstack.delivery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Topics found missing or unwritable, remembered for a while: their later records are set aside at
 * once instead of each holding up every other topic for a metadata wait. Added to from Kafka's
 * callbacks (the producer's thread), read by the sender's.
 */
final class UnwritableTopics {
    /** How long a topic found missing or unwritable stays so before it is tried again. */
    static final long RECHECK_MS = 60_000;

    private final Map<String, Finding> found = new ConcurrentHashMap<>();

    private static final class Finding {
        final String reason;
        final long sinceMs;

        Finding(String reason, long sinceMs) {
            this.reason = reason;
            this.sinceMs = sinceMs;
        }
    }

    void add(String topic, String reason, long nowMs) {
        found.put(topic, new Finding(reason, nowMs));
    }

    /** Why {@code topic} was found unwritable less than {@link #RECHECK_MS} ago, else null. */
    String whyUnwritable(String topic, long nowMs) {
        Finding finding = found.get(topic);
        if (finding == null) {
            return null;
        }
        if (nowMs - finding.sinceMs >= RECHECK_MS) {
            found.remove(topic, finding);
            return null;
        }
        return finding.reason;
    }
}
