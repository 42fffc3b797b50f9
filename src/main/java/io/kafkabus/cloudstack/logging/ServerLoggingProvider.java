package io.kafkabus.cloudstack.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of the plugin's own (relocated) slf4j: the management server declares no
 * slf4j binding, so without this the plugin's and the Kafka client's log lines would go nowhere.
 * Loggers forward to the logging system the server already uses: log4j2 (CloudStack 4.20+),
 * else log4j 1.2 (4.19 and earlier), else java.util.logging. The server's logging configuration
 * is used as it is and never changed.
 *
 * <p>Found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/org.slf4j.spi.SLF4JServiceProvider}, whose name the jar's relocation
 * rewrites, so only the plugin's slf4j sees it.
 */
public final class ServerLoggingProvider implements SLF4JServiceProvider {
    private volatile ILoggerFactory loggerFactory;
    private final IMarkerFactory markerFactory = new BasicMarkerFactory();
    private final MDCAdapter mdcAdapter = new BasicMDCAdapter();

    @Override
    public void initialize() {
        Backend backend = Backend.detect(ServerLoggingProvider.class.getClassLoader());
        loggerFactory = new ForwardingLoggerFactory(backend);
        loggerFactory.getLogger(ServerLoggingProvider.class.getName())
                .debug("The Kafka event bus plugin logs through {}", backend.description());
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markerFactory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdcAdapter;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }
}
