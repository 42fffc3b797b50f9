package io.kafkabus.cloudstack.config;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import javax.naming.ConfigurationException;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Checks the keys passed through to the producer with the producer's own definitions, hiding secrets. */
final class ProducerProperties {
    private static final ConfigDef PRODUCER = ProducerConfig.configDef();
    /** Keys the producer does not declare (a config provider's, say) that still look like secrets. */
    private static final Pattern SECRET_LOOKING = Pattern.compile("(?i).*(password|secret|jaas|token|credential|key\\.pem|private).*");
    static final String HIDDEN = "[hidden]";

    private ProducerProperties() {
    }

    static boolean isSecret(String key) {
        ConfigDef.ConfigKey def = PRODUCER.configKeys().get(key);
        return (def != null && def.type == ConfigDef.Type.PASSWORD) || SECRET_LOOKING.matcher(key).matches();
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
                String problem = "invalid value " + shown(def.name, entry.getValue()) + " for '" + def.name + "': "
                        + (isSecret(def.name) ? "expected " + def.type.name().toLowerCase(Locale.ROOT) : reason(e, def.name));
                throw EventBusConfig.invalid(source, hideSecrets(problem, values));
            }
        }
    }

    /** Rules that span keys (idempotence needs acks=all, a required key missing...). */
    static ProducerConfig validateTogether(Map<String, Object> values, String source) throws ConfigurationException {
        try {
            return new ProducerConfig(values);
        } catch (ConfigException e) {
            throw EventBusConfig.invalid(source, hideSecrets(e.getMessage(), values));
        }
    }

    /** Kafka's message without its "Invalid value X for configuration K: " preamble. */
    private static String reason(ConfigException e, String key) {
        String message = String.valueOf(e.getMessage());
        String marker = "for configuration " + key + ": ";
        int at = message.indexOf(marker);
        return at < 0 ? message : message.substring(at + marker.length());
    }

    private static String hideSecrets(String message, Map<String, Object> values) {
        String hidden = String.valueOf(message);
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            String value = String.valueOf(entry.getValue());
            if (isSecret(entry.getKey()) && !value.isEmpty()) {
                hidden = hidden.replace(value, HIDDEN);
            }
        }
        return hidden;
    }
}
