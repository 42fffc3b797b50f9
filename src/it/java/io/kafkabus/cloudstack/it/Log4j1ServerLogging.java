package io.kafkabus.cloudstack.it;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import org.apache.log4j.Appender;
import org.apache.log4j.LogManager;
import org.apache.log4j.Logger;

/** CloudStack 4.19 and earlier: log4j 1.2, configured by the server (here through -Dlog4j.configuration). */
final class Log4j1ServerLogging implements ServerLogging {
    @Override
    public void info(String logger, String message) {
        Logger.getLogger(logger).info(message);
    }

    @Override
    public String describe() {
        Map<String, String> configured = new TreeMap<>();
        configured.put("<root>", describe(LogManager.getRootLogger()));
        for (Object each : Collections.list(LogManager.getCurrentLoggers())) {
            Logger logger = (Logger) each;
            if (logger.getLevel() != null || logger.getAllAppenders().hasMoreElements()) {
                configured.put(logger.getName(), describe(logger));
            }
        }
        return "repository=" + Integer.toHexString(System.identityHashCode(LogManager.getLoggerRepository()))
                + " threshold=" + LogManager.getLoggerRepository().getThreshold() + " loggers=" + configured;
    }

    private static String describe(Logger logger) {
        StringBuilder text = new StringBuilder(String.valueOf(logger.getLevel()));
        for (Object each : Collections.list(logger.getAllAppenders())) {
            Appender appender = (Appender) each;
            text.append(' ').append(appender.getName()).append('=').append(appender.getClass().getSimpleName())
                    .append('@').append(Integer.toHexString(System.identityHashCode(appender)));
        }
        return text.toString();
    }
}
