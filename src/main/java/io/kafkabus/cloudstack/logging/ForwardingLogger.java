package io.kafkabus.cloudstack.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An slf4j logger that forwards to one logger of the server's logging system. slf4j's
 * {@link AbstractLogger} asks {@link #isEnabled} before anything is formatted, so disabled levels
 * cost one check in the back end. Markers are not forwarded.
 */
abstract class ForwardingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    /**
     * The class the application's call enters: back ends that find the caller's class and line
     * skip the frames up to and including it.
     */
    static final String ENTRY_CLASS = AbstractLogger.class.getName();

    ForwardingLogger(String name) {
        this.name = name;
    }

    abstract boolean isEnabled(Level level);

    /** Writes one formatted message; the level was checked already. */
    abstract void write(Level level, String message, Throwable throwable);

    @Override
    protected final void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
                                                     Throwable throwable) {
        forward(level, messagePattern, MessageFormatter.basicArrayFormat(messagePattern, arguments), throwable);
    }

    /** Writes one message; a logger that filters by the message's pattern overrides this. */
    void forward(Level level, String messagePattern, String message, Throwable throwable) {
        write(level, message, throwable);
    }

    @Override
    protected final String getFullyQualifiedCallerName() {
        return ENTRY_CLASS;
    }

    @Override
    public final boolean isTraceEnabled() {
        return isEnabled(Level.TRACE);
    }

    @Override
    public final boolean isDebugEnabled() {
        return isEnabled(Level.DEBUG);
    }

    @Override
    public final boolean isInfoEnabled() {
        return isEnabled(Level.INFO);
    }

    @Override
    public final boolean isWarnEnabled() {
        return isEnabled(Level.WARN);
    }

    @Override
    public final boolean isErrorEnabled() {
        return isEnabled(Level.ERROR);
    }
}
