package io.kafkabus.cloudstack.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

import io.kafkabus.cloudstack.config.ClassNames;

/** One forwarding logger per name, named as operators know it (see {@link #standardName}). */
final class ForwardingLoggerFactory implements ILoggerFactory {
    private final Backend backend;
    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();

    ForwardingLoggerFactory(Backend backend) {
        this.backend = backend;
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(standardName(name), this::newLogger);
    }

    /** The Kafka client's loggers (named as after {@link #standardName}) are kept quiet: see {@link KafkaClientLogger}. */
    private Logger newLogger(String name) {
        ForwardingLogger server = backend.logger(name);
        return ClassNames.isKafkaName(name) ? new KafkaClientLogger(server) : server;
    }

    Backend backend() {
        return backend;
    }

    /**
     * The relocated Kafka client's logger names mapped back to {@code org.apache.kafka.*}, so that
     * the server's logging configuration for {@code org.apache.kafka} applies to them.
     */
    static String standardName(String name) {
        return ClassNames.standardNames(name);
    }
}
