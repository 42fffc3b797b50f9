package io.kafkabus.cloudstack.config;

import java.util.Arrays;
import java.util.Locale;

/** Enum-valued keys are written in lower case in the properties file. */
final class ConfigEnums {
    private ConfigEnums() {
    }

    static String configValue(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    static String[] configValues(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(ConfigEnums::configValue).toArray(String[]::new);
    }

    static <E extends Enum<E>> E fromConfigValue(Class<E> type, String value) {
        return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    }
}
