package io.kafkabus.cloudstack.event;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * ISO-8601 text of an instant with millisecond precision, exactly as
 * {@link DateTimeFormatter#ISO_INSTANT} writes it ({@code 2026-11-22T10:15:30.123Z}; no fraction on
 * a whole second), at a fraction of its cost: the text up to the seconds is made once per second.
 */
public final class InstantText {
    /** The seconds part of one second's text. Immutable, so threads may share the last one made. */
    private static final class Second {
        final long epochSecond;
        final String text;

        Second(long epochSecond) {
            this.epochSecond = epochSecond;
            String whole = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(epochSecond));
            this.text = whole.substring(0, whole.length() - 1); // without its "Z"
        }
    }

    private static volatile Second last = new Second(0);

    private InstantText() {
    }

    /** {@code instant}, truncated to milliseconds, as ISO_INSTANT text. */
    public static String of(Instant instant) {
        long epochSecond = instant.getEpochSecond();
        Second second = last;
        if (second.epochSecond != epochSecond) {
            second = new Second(epochSecond);
            last = second;
        }
        int millis = instant.getNano() / 1_000_000;
        if (millis == 0) {
            return second.text + "Z";
        }
        StringBuilder text = new StringBuilder(second.text.length() + 5).append(second.text).append('.');
        if (millis < 100) {
            text.append(millis < 10 ? "00" : "0");
        }
        return text.append(millis).append('Z').toString();
    }
}
