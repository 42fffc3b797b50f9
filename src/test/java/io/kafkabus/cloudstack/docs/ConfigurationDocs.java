package io.kafkabus.cloudstack.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

import io.kafkabus.cloudstack.config.EventBusConfig;

/**
 * The configuration reference, rendered from the ConfigDef data in {@link EventBusConfig}: the
 * rows of README.md's configuration tables and the entries of conf/kafka.producer.properties.
 * {@link ConfigurationDocsTest} holds both files to it; {@link #main} prints what to paste.
 */
public final class ConfigurationDocs {
    /** Which of the two declarations a key comes from. */
    public enum Section {
        /** {@link EventBusConfig#PLUGIN_KEYS}: the bus's own keys. */
        PLUGIN("Plugin settings"),
        /** {@link EventBusConfig#PRODUCER_DEFAULTS}: producer keys whose default the bus sets. */
        PRODUCER("Producer settings");

        /** The marker of the section in conf/kafka.producer.properties. */
        public final String marker;

        Section(String title) {
            this.marker = "# ===== " + title + " =====";
        }
    }

    /** One documented key, every field as text. */
    public record Entry(Section section, String key, String type, String defaultValue, String validValues, String doc) {
    }

    /** Marker of the commented security examples in conf/kafka.producer.properties. */
    public static final String EXAMPLES_MARKER = "# ===== Security examples =====";
    /** How an empty default is shown in README.md. */
    public static final String EMPTY_DEFAULT = "*empty*";
    /** Compression types the Kafka client knows but this plugin refuses (their native code is not bundled). */
    static final Set<String> UNBUNDLED_COMPRESSION = Set.of("snappy", "zstd");
    private static final int WIDTH = 100;

    private ConfigurationDocs() {
    }

    /** Every key, plugin keys first, each section in declaration order. */
    public static List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        for (ConfigDef.ConfigKey key : EventBusConfig.PLUGIN_KEYS.configKeys().values()) {
            entries.add(entry(Section.PLUGIN, key, validValues(key.validator, key.type)));
        }
        ConfigDef producer = ProducerConfig.configDef();
        for (ConfigDef.ConfigKey key : EventBusConfig.PRODUCER_DEFAULTS.configKeys().values()) {
            ConfigDef.ConfigKey kafkas = producer.configKeys().get(key.name);
            entries.add(entry(Section.PRODUCER, key, producerValidValues(key, kafkas)));
        }
        return entries;
    }

    private static Entry entry(Section section, ConfigDef.ConfigKey key, String validValues) {
        return new Entry(section, key.name, key.type.name().toLowerCase(Locale.ROOT),
                ConfigDef.convertToString(key.defaultValue, key.type), validValues, key.documentation);
    }

    private static String validValues(ConfigDef.Validator validator, ConfigDef.Type type) {
        if (validator != null) {
            return validator.toString();
        }
        return type == ConfigDef.Type.BOOLEAN ? "true or false" : "any " + type.name().toLowerCase(Locale.ROOT);
    }

    /** What the producer accepts (it validates these keys itself), less what the plugin refuses. */
    private static String producerValidValues(ConfigDef.ConfigKey ours, ConfigDef.ConfigKey kafkas) {
        if (ours.name.equals(ProducerConfig.COMPRESSION_TYPE_CONFIG)) {
            List<String> accepted = new ArrayList<>();
            for (String value : kafkas.validator.toString().replaceAll("[\\[\\]]", "").split(",\\s*")) {
                if (!UNBUNDLED_COMPRESSION.contains(value)) {
                    accepted.add(value);
                }
            }
            return "[" + String.join(", ", accepted) + "]";
        }
        return validValues(kafkas == null ? null : kafkas.validator, ours.type);
    }

    /** The README.md table of one section, header included. */
    public static String readmeTable(Section section) {
        StringBuilder table = new StringBuilder("| Key | Type | Default | Valid values | Description |\n|---|---|---|---|---|\n");
        for (Entry e : entries()) {
            if (e.section() == section) {
                table.append(readmeRow(e)).append('\n');
            }
        }
        return table.toString();
    }

    public static String readmeRow(Entry e) {
        String shownDefault = e.defaultValue().isEmpty() ? EMPTY_DEFAULT : "`" + e.defaultValue() + "`";
        return "| `" + e.key() + "` | " + e.type() + " | " + shownDefault + " | " + e.validValues() + " | " + e.doc() + " |";
    }

    /** The entries of one section of conf/kafka.producer.properties, its marker line first. */
    public static String propertiesSection(Section section) {
        StringBuilder text = new StringBuilder(section.marker).append('\n');
        for (Entry e : entries()) {
            if (e.section() == section) {
                text.append('\n').append(propertiesEntry(e));
            }
        }
        return text.toString();
    }

    /** The doc wrapped in comment lines, a line giving type and valid values, then {@code #key=default}. */
    public static String propertiesEntry(Entry e) {
        StringBuilder text = new StringBuilder();
        for (String line : wrap(e.doc(), WIDTH - 2)) {
            text.append("# ").append(line).append('\n');
        }
        text.append("# Type: ").append(e.type()).append("; valid values: ").append(e.validValues()).append('\n');
        text.append('#').append(e.key()).append('=').append(e.defaultValue()).append('\n');
        return text.toString();
    }

    /** Words of {@code text} in lines of at most {@code width} characters (longer words alone). */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** Prints the README tables and the properties-file sections, to paste after changing a key. */
    public static void main(String[] args) {
        for (Section section : Section.values()) {
            System.out.println("README.md, " + section + ":\n");
            System.out.println(readmeTable(section));
        }
        for (Section section : Section.values()) {
            System.out.println(propertiesSection(section));
        }
    }
}
