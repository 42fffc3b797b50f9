package io.kafkabus.cloudstack.logging;

import org.apache.log4j.Logger;
import org.apache.log4j.Priority;
import org.slf4j.event.Level;

/** Forwards to log4j 1.2 (CloudStack 4.19 and earlier). */
final class Log4j1Logger extends ForwardingLogger {
    private static final long serialVersionUID = 1L;

    private final transient Logger logger;

    Log4j1Logger(String name) {
        super(name);
        this.logger = Logger.getLogger(name);
    }

    @Override
    boolean isEnabled(Level level) {
        return logger.isEnabledFor(toLog4j(level));
    }

    @Override
    void write(Level level, String message, Throwable throwable) {
        logger.log(ENTRY_CLASS, toLog4j(level), message, throwable);
    }

    private static Priority toLog4j(Level level) {
        switch (level) {
            case ERROR:
                return org.apache.log4j.Level.ERROR;
            case WARN:
                return org.apache.log4j.Level.WARN;
            case INFO:
                return org.apache.log4j.Level.INFO;
            case DEBUG:
                return org.apache.log4j.Level.DEBUG;
            default:
                return org.apache.log4j.Level.TRACE;
        }
    }
}
