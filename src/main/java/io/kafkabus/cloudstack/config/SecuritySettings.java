package io.kafkabus.cloudstack.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.naming.ConfigurationException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.spi.LoginModule;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.network.ConnectionMode;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.JaasUtils;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.ssl.SslFactory;

/**
 * TLS and SASL settings that can never work (a key store that is not there or does not open, a JAAS
 * configuration that does not parse or names no loadable login module), checked with Kafka's own
 * classes, as the producer would use them, so that they fail start-up instead of every connection.
 */
final class SecuritySettings {
    private static final List<String> KEY_STORE_KEYS = List.of(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG,
            SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, SslConfigs.SSL_KEY_PASSWORD_CONFIG,
            SslConfigs.SSL_KEYSTORE_KEY_CONFIG, SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG);
    private static final String JAAS_FORM = "expected <login module class> required <option>=\"<value>\" ...;";

    private SecuritySettings() {
    }

    static void check(ProducerConfig producer, String source) throws ConfigurationException {
        SecurityProtocol protocol = SecurityProtocol.forName(producer.getString(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG));
        if (protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL) {
            checkStores(producer.values(), source);
        }
        if (protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL) {
            checkJaas(producer, protocol, source);
        }
    }

    private static void checkStores(Map<String, ?> values, String source) throws ConfigurationException {
        String trustStore = (String) values.get(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG);
        String keyStore = (String) values.get(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG);
        checkReadable(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trustStore, source);
        checkReadable(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, keyStore, source);
        if (trustStore != null) {
            // Alone first, so that a failure is blamed on the right store.
            Map<String, Object> trustOnly = new HashMap<>(values);
            KEY_STORE_KEYS.forEach(key -> trustOnly.put(key, null));
            String failure = sslFailure(trustOnly);
            if (failure != null) {
                throw EventBusConfig.invalidValue(source, SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trustStore,
                        cannotOpen(values, SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG) + failure);
            }
        }
        String failure = sslFailure(values);
        if (failure != null && keyStore != null) {
            throw EventBusConfig.invalidValue(source, SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, keyStore,
                    cannotOpen(values, SslConfigs.SSL_KEYSTORE_TYPE_CONFIG,
                            SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG + " and " + SslConfigs.SSL_KEY_PASSWORD_CONFIG) + failure);
        }
        if (failure != null) {
            throw EventBusConfig.invalid(source, "the ssl.* settings cannot be used" + failure);
        }
    }

    private static String cannotOpen(Map<String, ?> values, String typeKey, String passwordKeys) {
        return "cannot be opened as a " + values.get(typeKey) + " store with " + passwordKeys
                + " (wrong password, wrong " + typeKey + ", or a damaged file?)";
    }

    private static void checkReadable(String key, String location, String source) throws ConfigurationException {
        if (location == null) {
            return;
        }
        Path path = Paths.get(location);
        if (!Files.exists(path)) {
            throw EventBusConfig.invalidValue(source, key, location, "no such file");
        }
        if (!Files.isRegularFile(path)) {
            throw EventBusConfig.invalidValue(source, key, location, "not a file");
        }
        if (!Files.isReadable(path)) {
            throw EventBusConfig.invalidValue(source, key, location, "permission denied: the management server's user ("
                    + System.getProperty("user.name") + ") cannot read it");
        }
    }

    /** Null when Kafka's SSL factory accepts {@code values}, else ": " and the root cause of its refusal. */
    private static String sslFailure(Map<String, ?> values) {
        try (SslFactory factory = new SslFactory(ConnectionMode.CLIENT)) {
            factory.configure(values);
            return null;
        } catch (KafkaException | IllegalArgumentException e) {
            return ": " + rootCause(e);
        }
    }

    private static void checkJaas(ProducerConfig producer, SecurityProtocol protocol, String source) throws ConfigurationException {
        Object jaas = producer.values().get(SaslConfigs.SASL_JAAS_CONFIG);
        List<AppConfigurationEntry> modules;
        try {
            // Without sasl.jaas.config this reads the JVM's JAAS file, as the producer would.
            modules = JaasContext.loadClientContext(producer.values()).configurationEntries();
        } catch (IllegalArgumentException | KafkaException | SecurityException e) {
            // SecurityException: the JVM's JAAS file (java.security.auth.login.config) does not parse.
            throw jaas == null
                    ? EventBusConfig.invalid(source, CommonClientConfigs.SECURITY_PROTOCOL_CONFIG + "=" + protocol + " needs '"
                            + SaslConfigs.SASL_JAAS_CONFIG + "', which is not set: " + e.getMessage())
                    : EventBusConfig.invalidValue(source, SaslConfigs.SASL_JAAS_CONFIG, jaas, e.getMessage() + "; " + JAAS_FORM);
        }
        for (AppConfigurationEntry module : modules) {
            String name = module.getLoginModuleName();
            if (jaas == null && ClassNames.clientRelocated() && ClassNames.isKafkaName(name)) {
                throw EventBusConfig.invalid(source, "login module " + name + " of the JVM's JAAS file ("
                        + JaasUtils.JAVA_LOGIN_CONFIG_PARAM + "=" + System.getProperty(JaasUtils.JAVA_LOGIN_CONFIG_PARAM)
                        + ") cannot be used by the Kafka client inside the plugin, which is relocated: set '"
                        + SaslConfigs.SASL_JAAS_CONFIG + "' in the properties file instead");
            }
            // A config provider gives the text as written, standard names unmapped: the producer is given them mapped.
            String problem = loginModuleProblem(ClassNames.relocate(name));
            if (problem != null) {
                throw EventBusConfig.invalidValue(source, SaslConfigs.SASL_JAAS_CONFIG, jaas, "login module " + name + " " + problem);
            }
        }
    }

    private static String loginModuleProblem(String className) {
        try {
            Class<?> type = Class.forName(className, false, SecuritySettings.class.getClassLoader());
            return LoginModule.class.isAssignableFrom(type) ? null : "is not a " + LoginModule.class.getName();
        } catch (ClassNotFoundException | LinkageError e) {
            return "is not a class the management server can load: check its spelling";
        }
    }

    /** The deepest cause: Kafka's own message says only which store failed. */
    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
