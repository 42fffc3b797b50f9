package io.kafkabus.cloudstack.it;

import java.util.Map;
import java.util.TreeMap;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;

/** CloudStack 4.20+: log4j2, configured by the server (here through -Dlog4j2.configurationFile). */
final class Log4j2ServerLogging implements ServerLogging {
    @Override
    public void info(String logger, String message) {
        LogManager.getLogger(logger).info(message);
    }

    @Override
    public String describe() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        Map<String, String> loggers = new TreeMap<>();
        for (Map.Entry<String, LoggerConfig> logger : configuration.getLoggers().entrySet()) {
            loggers.put(logger.getKey().isEmpty() ? "<root>" : logger.getKey(),
                    logger.getValue().getLevel() + "" + logger.getValue().getAppenderRefs());
        }
        Map<String, String> appenders = new TreeMap<>();
        for (Map.Entry<String, Appender> appender : configuration.getAppenders().entrySet()) {
            appenders.put(appender.getKey(), appender.getValue().getClass().getSimpleName() + "@"
                    + Integer.toHexString(System.identityHashCode(appender.getValue())));
        }
        return "context=" + Integer.toHexString(System.identityHashCode(context))
                + " configuration=" + configuration.getName() + "@" + Integer.toHexString(System.identityHashCode(configuration))
                + " source=" + configuration.getConfigurationSource().getLocation()
                + " root=" + configuration.getRootLogger().getLevel()
                + " appenders=" + appenders + " loggers=" + loggers;
    }
}
