package io.kafkabus.cloudstack.config;

import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Inside the built jar the Kafka client lives under a relocated package, but operators name its
 * classes (a {@code sasl.jaas.config} login module, a {@code config.providers} class) by their
 * standard names. This maps those names onto the classes that are actually loaded.
 */
final class ClassNames {
    // Built from parts so that the jar's relocation, which rewrites such literals, leaves it alone.
    private static final String STANDARD_PREFIX = String.join(".", "org", "apache", "kafka") + ".";
    private static final String RUNTIME_PREFIX = runtimePrefix();

    private ClassNames() {
    }

    /** {@code value} with every standard Kafka class name replaced by the one loaded here. */
    static String relocate(String value) {
        if (value == null || RUNTIME_PREFIX.equals(STANDARD_PREFIX)) {
            return value;
        }
        return value.replace(STANDARD_PREFIX, RUNTIME_PREFIX);
    }

    private static String runtimePrefix() {
        String name = ProducerConfig.class.getName();
        return name.substring(0, name.length() - "clients.producer.ProducerConfig".length());
    }
}
