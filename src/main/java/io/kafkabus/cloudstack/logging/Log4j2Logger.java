package io.kafkabus.cloudstack.logging;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.spi.ExtendedLogger;
import org.apache.logging.log4j.util.ProviderUtil;
import org.slf4j.event.Level;

/** Forwards to log4j2's API (CloudStack 4.20+). */
final class Log4j2Logger extends ForwardingLogger {
    private static final long serialVersionUID = 1L;

    private final transient ExtendedLogger logger;

    Log4j2Logger(String name) {
        super(name);
        // The server's context, as LogManager.getLogger(name) would give it: nothing is configured here.
        this.logger = LogManager.getContext(false).getLogger(name);
    }

    /** Whether a log4j2 implementation (log4j-core, say) is there, rather than only its API. */
    static boolean hasImplementation() {
        try {
            return ProviderUtil.hasProviders();
        } catch (LinkageError e) {
            // An API version without this check: trust it.
            return true;
        }
    }

    @Override
    boolean isEnabled(Level level) {
        return logger.isEnabled(toLog4j(level));
    }

    @Override
    void write(Level level, String message, Throwable throwable) {
        logger.logIfEnabled(ENTRY_CLASS, toLog4j(level), null, (Message) new SimpleMessage(message), throwable);
    }

    private static org.apache.logging.log4j.Level toLog4j(Level level) {
        switch (level) {
            case ERROR:
                return org.apache.logging.log4j.Level.ERROR;
            case WARN:
                return org.apache.logging.log4j.Level.WARN;
            case INFO:
                return org.apache.logging.log4j.Level.INFO;
            case DEBUG:
                return org.apache.logging.log4j.Level.DEBUG;
            default:
                return org.apache.logging.log4j.Level.TRACE;
        }
    }
}
