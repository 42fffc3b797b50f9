package io.kafkabus.cloudstack.logging;

import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.slf4j.event.Level;

/** Forwards to java.util.logging, when the server has neither log4j. */
final class JulLogger extends ForwardingLogger {
    private static final long serialVersionUID = 1L;

    private final transient Logger logger;

    JulLogger(String name) {
        super(name);
        this.logger = Logger.getLogger(name);
    }

    @Override
    boolean isEnabled(Level level) {
        return logger.isLoggable(toJul(level));
    }

    @Override
    void write(Level level, String message, Throwable throwable) {
        LogRecord record = new LogRecord(toJul(level), message);
        record.setLoggerName(getName());
        // Known without walking the stack: logger names are class names.
        record.setSourceClassName(getName());
        record.setThrown(throwable);
        logger.log(record);
    }

    private static java.util.logging.Level toJul(Level level) {
        switch (level) {
            case ERROR:
                return java.util.logging.Level.SEVERE;
            case WARN:
                return java.util.logging.Level.WARNING;
            case INFO:
                return java.util.logging.Level.INFO;
            case DEBUG:
                return java.util.logging.Level.FINE;
            default:
                return java.util.logging.Level.FINEST;
        }
    }
}
