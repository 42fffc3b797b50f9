package io.kafkabus.cloudstack.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.apache.logging.log4j.core.filter.CompositeFilter;

/**
 * Collects what named loggers log, through log4j2 (where the plugin's slf4j calls go in tests),
 * from {@link #attach} until {@link #close}. The configuration's own appenders (the build's console)
 * meanwhile still get only what the configuration's levels let through: a capture at DEBUG of the
 * broker must not print its thousands of lines in the build log.
 */
public final class LogCapture extends AbstractAppender implements AutoCloseable {
    /** The events, in the order logged. */
    public final List<LogEvent> events = new CopyOnWriteArrayList<>();
    /** Where each event was logged from. */
    public final List<StackTraceElement> sources = new CopyOnWriteArrayList<>();
    private final LoggerContext context;
    /** Logger configurations this capture made, and the levels of those it borrowed. */
    private final List<String> created = new ArrayList<>();
    private final Map<LoggerConfig, Level> borrowed = new LinkedHashMap<>();
    /** The appender references this capture gave a level filter, as they were. */
    private final Map<LoggerConfig, List<AppenderRef>> quietened = new LinkedHashMap<>();

    private LogCapture(LoggerContext context) {
        super("log-capture", null, null, true, Property.EMPTY_ARRAY);
        this.context = context;
    }

    /** Captures {@code level} and above of each logger named (and of their descendants). */
    public static LogCapture attach(Level level, String... loggerNames) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        LogCapture capture = new LogCapture(context);
        capture.start();
        Configuration configuration = context.getConfiguration();
        capture.quietenConfiguredAppenders(configuration);
        configuration.addAppender(capture);
        for (String name : loggerNames) {
            LoggerConfig existing = configuration.getLoggers().get(name);
            if (existing != null) {
                capture.borrowed.put(existing, existing.getLevel());
                existing.setLevel(level);
                existing.addAppender(capture, null, null);
            } else {
                LoggerConfig logger = new LoggerConfig(name, level, true);
                logger.addAppender(capture, null, null);
                configuration.addLogger(name, logger);
                capture.created.add(name);
            }
        }
        context.updateLoggers();
        return capture;
    }

    /** Makes each configured appender pass only events its logger's configured level lets through. */
    private void quietenConfiguredAppenders(Configuration configuration) {
        Map<String, Level> configuredLevels = new LinkedHashMap<>();
        configuration.getLoggers().forEach((name, logger) -> configuredLevels.put(name, logger.getLevel()));
        Filter configuredLevel = new AbstractFilter() {
            @Override
            public Result filter(LogEvent event) {
                return event.getLevel().isMoreSpecificThan(levelOf(event.getLoggerName(), configuredLevels)) ? Result.NEUTRAL : Result.DENY;
            }
        };
        for (LoggerConfig logger : configuration.getLoggers().values()) {
            List<AppenderRef> refs = List.copyOf(logger.getAppenderRefs());
            if (refs.isEmpty()) {
                continue;
            }
            quietened.put(logger, refs);
            for (AppenderRef ref : refs) {
                Appender appender = configuration.getAppender(ref.getRef());
                logger.removeAppender(ref.getRef());
                logger.addAppender(appender, ref.getLevel(),
                        ref.getFilter() == null ? configuredLevel : CompositeFilter.createFilters(new Filter[] {ref.getFilter(), configuredLevel}));
            }
        }
    }

    /** The level the logger named gets from the nearest configured logger (log4j's dotted-name hierarchy). */
    private static Level levelOf(String loggerName, Map<String, Level> configuredLevels) {
        for (String name = loggerName; ; name = name.lastIndexOf('.') < 0 ? "" : name.substring(0, name.lastIndexOf('.'))) {
            Level level = configuredLevels.get(name);
            if (level != null || name.isEmpty()) {
                return level == null ? Level.ALL : level;
            }
        }
    }

    public LoggerContext context() {
        return context;
    }

    /** The formatted messages so far. */
    public List<String> messages() {
        return events.stream().map(e -> e.getMessage().getFormattedMessage()).collect(Collectors.toList());
    }

    @Override
    public void append(LogEvent event) {
        sources.add(event.getSource());
        events.add(event.toImmutable());
    }

    @Override
    public void close() {
        Configuration configuration = context.getConfiguration();
        created.forEach(configuration::removeLogger);
        borrowed.forEach((logger, level) -> {
            logger.removeAppender(getName());
            logger.setLevel(level);
        });
        quietened.forEach((logger, refs) -> refs.forEach(ref -> {
            Appender appender = configuration.getAppender(ref.getRef());
            logger.removeAppender(ref.getRef());
            logger.addAppender(appender, ref.getLevel(), ref.getFilter());
        }));
        configuration.getAppenders().remove(getName());
        context.updateLoggers();
        stop();
    }
}
