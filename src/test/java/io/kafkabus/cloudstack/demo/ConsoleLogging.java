package io.kafkabus.cloudstack.demo;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * A minimal SLF4J provider for the demo and the benchmark, chosen with
 * {@code -Dslf4j.provider=io.kafkabus.cloudstack.demo.ConsoleLogging}: the plugin's own log lines
 * ({@code io.kafkabus.*}) at {@code -Dconsole.log.plugin} (default INFO) and above, everything else
 * (the in-process broker, the Kafka clients) at {@code -Dconsole.log.other} (default ERROR) and
 * above, one line each on standard output. The test class path has no SLF4J binding of its own,
 * and the unit tests keep it that way: only JVMs started with the property use this one.
 */
public final class ConsoleLogging implements SLF4JServiceProvider {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final ConcurrentHashMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, ConsoleLogger::new);
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // Nothing to set up.
    }

    private static Level threshold(String name) {
        boolean plugin = name.startsWith("io.kafkabus.");
        String configured = System.getProperty(plugin ? "console.log.plugin" : "console.log.other", plugin ? "INFO" : "ERROR");
        if ("OFF".equalsIgnoreCase(configured)) {
            return null;
        }
        return Level.valueOf(configured.toUpperCase(Locale.ROOT));
    }

    /** Prints at or above its threshold, the logger's simple name as the source. */
    private static final class ConsoleLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;
        private final transient Level threshold;
        private final String shortName;

        ConsoleLogger(String name) {
            this.name = name;
            this.threshold = threshold(name);
            this.shortName = name.substring(name.lastIndexOf('.') + 1);
        }

        private boolean enabled(Level level) {
            return threshold != null && level.toInt() >= threshold.toInt();
        }

        @Override
        public boolean isTraceEnabled() {
            return enabled(Level.TRACE);
        }

        @Override
        public boolean isDebugEnabled() {
            return enabled(Level.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return enabled(Level.INFO);
        }

        @Override
        public boolean isWarnEnabled() {
            return enabled(Level.WARN);
        }

        @Override
        public boolean isErrorEnabled() {
            return enabled(Level.ERROR);
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                                   Throwable throwable) {
            String message = MessageFormatter.basicArrayFormat(pattern, arguments);
            PrintStream out = System.out;
            synchronized (out) {
                out.printf("    %s %-5s [%s] %s%n", LocalTime.now().format(TIME), level, shortName, message);
                if (throwable != null) {
                    throwable.printStackTrace(out);
                }
            }
        }
    }
}
