package io.kafkabus.cloudstack.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code tail --from TIME}: an ISO-8601 time, or an age ({@code 90s}, {@code 10m}, {@code 2h}, {@code 1d}) before now. */
final class StartTime {
    private static final Pattern AGE = Pattern.compile("(\\d{1,9})([smhd])");

    private StartTime() {
    }

    static Instant parse(String text, Instant now) throws UsageException {
        Matcher age = AGE.matcher(text.trim());
        if (age.matches()) {
            // Milliseconds, as record timestamps.
            return now.minus(ago(Long.parseLong(age.group(1)), age.group(2))).truncatedTo(ChronoUnit.MILLIS);
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new UsageException("tail: --from " + text + ": expected an ISO-8601 time (2026-12-02T03:00:00Z, "
                    + "2026-12-02T04:00:00+01:00) or an age before now (90s, 10m, 2h, 1d)");
        }
    }

    private static Duration ago(long amount, String unit) {
        switch (unit) {
            case "s": return Duration.ofSeconds(amount);
            case "m": return Duration.ofMinutes(amount);
            case "h": return Duration.ofHours(amount);
            default: return Duration.ofDays(amount);
        }
    }
}
