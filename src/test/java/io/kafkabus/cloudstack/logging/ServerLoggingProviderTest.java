package io.kafkabus.cloudstack.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.log4j.AppenderSkeleton;
import org.apache.log4j.spi.LoggingEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkabus.cloudstack.testing.LogCapture;

class ServerLoggingProviderTest {
    private static final String PLUGIN_LOGGER = "io.kafkabus.cloudstack.logging.test.Sample";
    private static final String KAFKA_LOGGER = "org.apache.kafka.clients.producer.SampleForLoggingTest";
    private static final String RELOCATED_KAFKA_LOGGER = "io.kafkabus.cloudstack.shaded.kafka.clients.producer.SampleForLoggingTest";

    private LogCapture capture;
    private LoggerContext context;
    private Configuration configuration;

    @BeforeEach
    void captureTestLoggers() {
        capture = LogCapture.attach(Level.INFO, PLUGIN_LOGGER, KAFKA_LOGGER);
        context = capture.context();
        configuration = context.getConfiguration();
    }

    @AfterEach
    void removeTestLoggers() {
        capture.close();
    }

    @Test
    void slf4jBindsToThisProviderWhichForwardsToLog4j2() {
        assertInstanceOf(ForwardingLoggerFactory.class, LoggerFactory.getILoggerFactory());
        assertSame(Backend.LOG4J2, ((ForwardingLoggerFactory) LoggerFactory.getILoggerFactory()).backend());

        Logger logger = LoggerFactory.getLogger(PLUGIN_LOGGER);
        logger.info("bus {} configured from {}", "kafkaEventBus", "a file");
        logger.warn("three {} {} {}", 1, 2, 3);

        assertEquals(2, capture.events.size());
        LogEvent info = capture.events.get(0);
        assertEquals(PLUGIN_LOGGER, info.getLoggerName());
        assertEquals(Level.INFO, info.getLevel());
        assertEquals("bus kafkaEventBus configured from a file", info.getMessage().getFormattedMessage());
        assertEquals(Level.WARN, capture.events.get(1).getLevel());
        assertEquals("three 1 2 3", capture.events.get(1).getMessage().getFormattedMessage());
    }

    @Test
    void theCallerIsTheLocationNotTheBridge() {
        LoggerFactory.getLogger(PLUGIN_LOGGER).info("where am I");

        assertEquals(1, capture.sources.size());
        StackTraceElement source = capture.sources.get(0);
        assertNotNull(source);
        assertEquals(ServerLoggingProviderTest.class.getName(), source.getClassName());
        assertEquals("theCallerIsTheLocationNotTheBridge", source.getMethodName());
    }

    @Test
    void throwablesAreForwardedAsThrowables() {
        Logger logger = LoggerFactory.getLogger(PLUGIN_LOGGER);
        IllegalStateException problem = new IllegalStateException("boom");
        logger.error("failed", problem);
        logger.warn("bus {} failed", "b1", problem);

        assertEquals(2, capture.events.size());
        assertSame(problem, capture.events.get(0).getThrown());
        assertEquals("bus b1 failed", capture.events.get(1).getMessage().getFormattedMessage());
        assertSame(problem, capture.events.get(1).getThrown());
    }

    @Test
    void disabledLevelsAreNeitherFormattedNorForwarded() {
        Logger logger = LoggerFactory.getLogger(PLUGIN_LOGGER);
        AtomicInteger formatted = new AtomicInteger();
        Object expensive = new Object() {
            @Override
            public String toString() {
                formatted.incrementAndGet();
                return "expensive";
            }
        };

        assertFalse(logger.isDebugEnabled());
        assertFalse(logger.isTraceEnabled());
        assertTrue(logger.isInfoEnabled());
        logger.debug("value {}", expensive);
        logger.trace("values {} {} {}", expensive, expensive, expensive);
        logger.atDebug().addArgument(expensive).log("value {}");

        assertEquals(0, formatted.get());
        assertTrue(capture.events.isEmpty());
    }

    @Test
    void levelsAreAskedOfTheServerEachTimeNotCached() {
        Logger logger = LoggerFactory.getLogger(PLUGIN_LOGGER);
        assertFalse(logger.isDebugEnabled());

        configuration.getLoggerConfig(PLUGIN_LOGGER).setLevel(Level.DEBUG);
        context.updateLoggers();
        assertTrue(logger.isDebugEnabled());
        logger.debug("now {}", "visible");

        assertEquals(1, capture.events.size());
        assertEquals(Level.DEBUG, capture.events.get(0).getLevel());
    }

    @Test
    void relocatedKafkaLoggersKeepKafkasStandardNames() {
        Logger relocated = LoggerFactory.getLogger(RELOCATED_KAFKA_LOGGER);
        assertEquals(KAFKA_LOGGER, relocated.getName());
        assertSame(relocated, LoggerFactory.getLogger(KAFKA_LOGGER));

        relocated.warn("Connection to node {} could not be established", -1);

        assertEquals(1, capture.events.size());
        assertEquals(KAFKA_LOGGER, capture.events.get(0).getLoggerName());
        assertEquals("Connection to node -1 could not be established", capture.events.get(0).getMessage().getFormattedMessage());
        assertEquals("io.kafkabus.cloudstack.Other", ForwardingLoggerFactory.standardName("io.kafkabus.cloudstack.Other"));
        assertEquals("io.kafkabus.cloudstack.shaded.jackson.X",
                ForwardingLoggerFactory.standardName("io.kafkabus.cloudstack.shaded.jackson.X"));
    }

    @Test
    void theServersConfigurationIsNeverReplaced() {
        Configuration before = context.getConfiguration();
        ServerLoggingProvider provider = new ServerLoggingProvider();
        provider.initialize();
        provider.getLoggerFactory().getLogger(PLUGIN_LOGGER).info("hello");

        assertSame(before, ((LoggerContext) LogManager.getContext(false)).getConfiguration());
        assertSame(Level.WARN, before.getRootLogger().getLevel());
    }

    @Test
    void log4j2IsPreferredThenLog4j1ThenJavaUtilLogging() {
        ClassLoader loader = getClass().getClassLoader();
        assertSame(Backend.LOG4J2, Backend.detect(loader));
        assertSame(Backend.LOG4J, Backend.detect(hiding(loader, "org.apache.logging.log4j.")));
        assertSame(Backend.JUL, Backend.detect(hiding(loader, "org.apache.logging.log4j.", "org.apache.log4j.")));
    }

    @Test
    void log4j1LoggersForwardWithLevelAndName() {
        String name = "io.kafkabus.cloudstack.logging.test.Log4j1";
        org.apache.log4j.Logger target = org.apache.log4j.Logger.getLogger(name);
        target.setLevel(org.apache.log4j.Level.INFO);
        target.setAdditivity(false);
        List<LoggingEvent> events = new CopyOnWriteArrayList<>();
        AppenderSkeleton appender = new AppenderSkeleton() {
            @Override
            protected void append(LoggingEvent event) {
                event.getLocationInformation();
                events.add(event);
            }

            @Override
            public void close() {
            }

            @Override
            public boolean requiresLayout() {
                return false;
            }
        };
        target.addAppender(appender);
        try {
            Logger logger = Backend.LOG4J.logger(name);
            AtomicInteger formatted = new AtomicInteger();
            logger.debug("hidden {}", new Object() {
                @Override
                public String toString() {
                    formatted.incrementAndGet();
                    return "x";
                }
            });
            assertFalse(logger.isDebugEnabled());
            IllegalStateException problem = new IllegalStateException("boom");
            logger.warn("bus {} failed", "b1", problem);

            assertEquals(0, formatted.get());
            assertEquals(1, events.size());
            LoggingEvent event = events.get(0);
            assertEquals(name, event.getLoggerName());
            assertEquals(org.apache.log4j.Level.WARN, event.getLevel());
            assertEquals("bus b1 failed", event.getRenderedMessage());
            assertSame(problem, event.getThrowableInformation().getThrowable());
            assertEquals(ServerLoggingProviderTest.class.getName(), event.getLocationInformation().getClassName());
        } finally {
            target.removeAppender(appender);
        }
    }

    @Test
    void javaUtilLoggingLoggersForwardWithLevelAndName() {
        String name = "io.kafkabus.cloudstack.logging.test.Jul";
        java.util.logging.Logger target = java.util.logging.Logger.getLogger(name);
        target.setLevel(java.util.logging.Level.INFO);
        target.setUseParentHandlers(false);
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        target.addHandler(handler);
        try {
            Logger logger = Backend.JUL.logger(name);
            assertFalse(logger.isDebugEnabled());
            logger.debug("hidden");
            logger.error("bus {} failed", "b1");

            assertEquals(1, records.size());
            assertEquals(name, records.get(0).getLoggerName());
            assertEquals(java.util.logging.Level.SEVERE, records.get(0).getLevel());
            assertEquals("bus b1 failed", records.get(0).getMessage());
            assertNull(records.get(0).getThrown());
        } finally {
            target.removeHandler(handler);
        }
    }

    /** A class loader that cannot see classes under the given prefixes. */
    private static ClassLoader hiding(ClassLoader parent, String... prefixes) {
        return new ClassLoader(parent) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                for (String prefix : prefixes) {
                    if (name.startsWith(prefix)) {
                        throw new ClassNotFoundException(name);
                    }
                }
                return super.loadClass(name, resolve);
            }
        };
    }
}
