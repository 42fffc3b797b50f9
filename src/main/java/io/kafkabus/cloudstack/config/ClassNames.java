package io.kafkabus.cloudstack.config;

import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Inside the built jar the Kafka client lives under a relocated package, but operators name its
 * classes (a {@code sasl.jaas.config} login module, a {@code config.providers} class) by their
 * standard names, and read them so in messages and logger names. This maps between the two.
 */
public final class ClassNames {
    // Built from parts so that the jar's relocation, which rewrites such literals, leaves it alone.
    private static final String STANDARD_PREFIX = String.join(".", "org", "apache", "kafka") + ".";
    /** Where the jar relocates the Kafka client (the pom's shaded.prefix). */
    private static final String RELOCATED_PREFIX = "io.kafkabus.cloudstack.shaded.kafka.";
    private static final String RUNTIME_PREFIX = runtimePrefix();

    private ClassNames() {
    }

    /**
     * {@code text} (a message, a stack trace line) with every relocated Kafka class name written back
     * as the standard {@code org.apache.kafka...} name the operator knows.
     */
    public static String standardNames(String text) {
        return text == null ? null : text.replace(RELOCATED_PREFIX, STANDARD_PREFIX);
    }

    /** Whether {@code name} (a class or logger name, standard as {@link #standardNames} gives it) is the Kafka client's. */
    public static boolean isKafkaName(String name) {
        return name.startsWith(STANDARD_PREFIX);
    }

    /** The package the Kafka client loaded here lives in: relocated in the jar, its own name in unit tests. */
    public static String clientPackage() {
        return RUNTIME_PREFIX.substring(0, RUNTIME_PREFIX.length() - 1);
    }

    /** The Kafka client's package by its standard name, which its loggers are named under wherever it lives. */
    public static String standardClientPackage() {
        return STANDARD_PREFIX.substring(0, STANDARD_PREFIX.length() - 1);
    }

    /** Whether the Kafka client loaded here is the jar's relocated one (unit tests run the standard one). */
    static boolean clientRelocated() {
        return !RUNTIME_PREFIX.equals(STANDARD_PREFIX);
    }

    /** {@code value} with every standard Kafka class name replaced by the one loaded here. */
    static String relocate(String value) {
        if (value == null || !clientRelocated()) {
            return value;
        }
        return value.replace(STANDARD_PREFIX, RUNTIME_PREFIX);
    }

    private static String runtimePrefix() {
        String name = ProducerConfig.class.getName();
        return name.substring(0, name.length() - "clients.producer.ProducerConfig".length());
    }
}
