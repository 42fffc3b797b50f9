package io.kafkabus.cloudstack.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import javax.naming.ConfigurationException;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.SecurityConfig;

/**
 * Classes named in class-valued settings (callback handlers, interceptors, config providers...) that
 * were built against Kafka's standard names, as third-party ones are (AWS MSK IAM's
 * IAMClientCallbackHandler implements org.apache.kafka...AuthenticateCallbackHandler). The plugin's
 * Kafka client is relocated, so such a class can never serve it: said at start-up, with what to do,
 * rather than as a failure of every connection.
 */
final class StandardKafkaClasses {
    private static final ConfigDef PRODUCER = ProducerConfig.configDef();
    private static final String CONFIG_PROVIDER_CLASS = AbstractConfig.CONFIG_PROVIDERS_CONFIG + ".";
    private static final String ADVICE = "not of the Kafka client inside the plugin, which is relocated and cannot use it; "
            + "rebuild the plugin jar with that class inside, relocated too (README: Third-party login modules and callback handlers)";

    private StandardKafkaClasses() {
    }

    static void check(Map<String, Object> producerValues, String source) throws ConfigurationException {
        if (!ClassNames.clientRelocated()) {
            return;
        }
        for (Map.Entry<String, Object> entry : producerValues.entrySet()) {
            if (!(entry.getValue() instanceof String) || !classValued(entry.getKey())) {
                continue;
            }
            for (String name : ((String) entry.getValue()).split(",")) {
                String problem = name.isBlank() ? null : problem(name.trim());
                if (problem != null) {
                    throw EventBusConfig.invalidValue(source, entry.getKey(), entry.getValue(), problem);
                }
            }
        }
    }

    private static boolean classValued(String key) {
        ConfigDef.ConfigKey def = PRODUCER.configKeys().get(key);
        if (def != null) {
            // security.providers is a STRING of class names: Kafka only logs an ERROR for a creator it
            // cannot use, and only when it makes a TLS connection.
            return def.type == ConfigDef.Type.CLASS || key.equals(SecurityConfig.SECURITY_PROVIDERS_CONFIG)
                    || (def.type == ConfigDef.Type.LIST
                    && (key.endsWith(".classes") || key.equals(ProducerConfig.METRIC_REPORTER_CLASSES_CONFIG)));
        }
        return key.startsWith(CONFIG_PROVIDER_CLASS) && key.endsWith(".class");
    }

    private static String problem(String name) {
        Class<?> type;
        try {
            type = Class.forName(name, false, StandardKafkaClasses.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null; // Kafka's own check says so
        } catch (LinkageError e) {
            return name + " needs " + String.valueOf(e.getMessage()).replace('/', '.') + ", a class of another Kafka client, " + ADVICE;
        }
        String standard = standardSupertype(type);
        return standard == null ? null : name + " is a " + standard + " of another Kafka client, " + ADVICE;
    }

    /** The first of {@code type}'s superclasses and interfaces with a standard Kafka name; null when none has. */
    private static String standardSupertype(Class<?> type) {
        Deque<Class<?>> pending = new ArrayDeque<>();
        pending.add(type);
        while (!pending.isEmpty()) {
            Class<?> current = pending.poll();
            if (current != type && ClassNames.isKafkaName(current.getName())) {
                return current.getName();
            }
            if (current.getSuperclass() != null) {
                pending.add(current.getSuperclass());
            }
            pending.addAll(List.of(current.getInterfaces()));
        }
        return null;
    }
}
