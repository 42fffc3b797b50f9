package io.kafkabus.cloudstack.config;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import javax.naming.ConfigurationException;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Checks the keys passed through to the producer with the producer's own definitions. Secrets are
 * hidden by their key: Kafka quotes only the value of the key it names, and a PASSWORD-typed value
 * prints as [hidden].
 */
final class ProducerProperties {
    private static final ConfigDef PRODUCER = ProducerConfig.configDef();
    /** Keys the producer does not declare (a config provider's, say) that still look like secrets. */
    private static final Pattern SECRET_LOOKING = Pattern.compile("(?i).*(password|secret|jaas|token|credential|key\\.pem|private).*");
    static final String HIDDEN = "[hidden]";

    private ProducerProperties() {
    }

    /** Kafka's own type says it for the keys it declares (a token endpoint's URL is none); the name for others. */
    static boolean isSecret(String key) {
        ConfigDef.ConfigKey def = PRODUCER.configKeys().get(key);
        return def == null ? SECRET_LOOKING.matcher(key).matches() : def.type == ConfigDef.Type.PASSWORD;
    }

    static String shown(String key, Object value) {
        return isSecret(key) ? HIDDEN : String.valueOf(value);
    }

    /** Type and validator of each key the producer declares, one at a time so the error names the key. */
    static void validateEach(Map<String, Object> values, String source) throws ConfigurationException {
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            ConfigDef.ConfigKey def = PRODUCER.configKeys().get(entry.getKey());
            if (def == null) {
                continue;
            }
            try {
                Object parsed = ConfigDef.parseType(def.name, entry.getValue(), def.type);
                if (def.validator != null) {
                    def.validator.ensureValid(def.name, parsed);
                }
            } catch (ConfigException e) {
                throw EventBusConfig.invalidValue(source, def.name, entry.getValue(),
                        isSecret(def.name) ? "expected " + def.type.name().toLowerCase(Locale.ROOT) : reason(e, def.name));
            }
        }
    }

    /** Rules that span keys (idempotence needs acks=all, a required key missing...). */
    static ProducerConfig validateTogether(Map<String, Object> values, String source) throws ConfigurationException {
        try {
            return new ProducerConfig(values);
        } catch (ConfigException e) {
            throw EventBusConfig.invalid(source, e.getMessage());
        }
    }

    /** Kafka's message without its "Invalid value X for configuration K: " preamble. */
    private static String reason(ConfigException e, String key) {
        String message = String.valueOf(e.getMessage());
        String marker = "for configuration " + key + ": ";
        int at = message.indexOf(marker);
        return at < 0 ? message : message.substring(at + marker.length());
    }
}
