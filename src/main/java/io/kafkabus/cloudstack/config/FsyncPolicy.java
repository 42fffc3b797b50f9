package io.kafkabus.cloudstack.config;

import java.util.Arrays;
import java.util.Locale;

/** When the spool forces what it wrote to disk. */
public enum FsyncPolicy {
    /** Before publish() returns (group commit: concurrent publishers share one fsync). */
    ALWAYS,
    /** On a timer: a power loss can cost the last interval, a process crash costs nothing. */
    INTERVAL;

    String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static String[] configValues() {
        return Arrays.stream(values()).map(FsyncPolicy::configValue).toArray(String[]::new);
    }

    static FsyncPolicy fromConfigValue(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
