package io.kafkabus.cloudstack.config;

/** When the spool forces what it wrote to disk. */
public enum FsyncPolicy {
    /** Before publish() returns (group commit: concurrent publishers share one fsync). */
    ALWAYS,
    /** On a timer: a power loss can cost the last interval, a process crash costs nothing. */
    INTERVAL;

    /** As written in the properties file. */
    @Override
    public String toString() {
        return ConfigEnums.configValue(this);
    }
}
