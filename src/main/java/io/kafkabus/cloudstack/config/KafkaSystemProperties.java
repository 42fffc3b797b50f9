package io.kafkabus.cloudstack.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.security.JaasUtils;

/**
 * Kafka's JVM-wide security properties list classes by their standard names
 * ({@code -Dorg.apache.kafka.disallowed.login.modules=org.apache.kafka...PlainLoginModule}), and the
 * jar keeps the properties' own names (the pom's relocation excludes), but the relocated client
 * compares the lists with its relocated class names: a login module the operator forbade would
 * pass, one allowed would be refused, a config provider allowed would be refused. So each
 * standard Kafka name in these lists gets its relocated twin beside it. The server's own
 * kafka-clients (2.7.0) reads none of these properties; outside the jar nothing changes.
 * <p>
 * Kafka reads the properties each time it checks (a login, a config parse), so aligning them when
 * the bus reads its configuration, before it makes a client, is in time; an operator's later
 * {@code System.setProperty} is aligned by the next configuration read. Synchronized so that two
 * buses configuring at once do not both extend the list (each would add the same twins: harmless,
 * but untidy).
 */
final class KafkaSystemProperties {
    /** The properties that hold comma-separated class names. */
    static final List<String> CLASS_LISTS = List.of(AbstractConfig.AUTOMATIC_CONFIG_PROVIDERS_PROPERTY,
            JaasUtils.ALLOWED_LOGIN_MODULES_CONFIG, JaasUtils.DISALLOWED_LOGIN_MODULES_CONFIG);

    private KafkaSystemProperties() {
    }

    /** Gives the standard names in each of {@link #CLASS_LISTS} set in this JVM their relocated twins. */
    static synchronized void alignWithRelocation() {
        for (String property : CLASS_LISTS) {
            String value = System.getProperty(property);
            if (value != null) {
                String aligned = withTwins(value, ClassNames::relocate);
                if (!aligned.equals(value)) {
                    System.setProperty(property, aligned);
                }
            }
        }
    }

    /**
     * {@code list} (comma-separated class names) as written, followed by {@code relocate}'s twin of each
     * name that the list does not hold yet: the operator's text is only ever extended, and a list
     * extended once is left as it is.
     */
    static String withTwins(String list, UnaryOperator<String> relocate) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : list.split(",")) {
            names.add(name.trim());
        }
        StringBuilder extended = new StringBuilder(list);
        for (String name : List.copyOf(names)) {
            String twin = relocate.apply(name);
            if (names.add(twin)) {
                extended.append(',').append(twin);
            }
        }
        return extended.toString();
    }
}
