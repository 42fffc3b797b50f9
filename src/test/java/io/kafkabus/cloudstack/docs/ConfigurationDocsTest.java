package io.kafkabus.cloudstack.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.naming.ConfigurationException;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.docs.ConfigurationDocs.Entry;
import io.kafkabus.cloudstack.docs.ConfigurationDocs.Section;
import io.kafkabus.cloudstack.testing.KeyStores;

/**
 * README.md's configuration tables and conf/kafka.producer.properties must say what
 * {@link EventBusConfig#PLUGIN_KEYS} and {@link EventBusConfig#PRODUCER_DEFAULTS} declare: every
 * key, with the same type, default, valid values and doc text, and no key that is not declared.
 * On failure the message lists every difference and the text to paste (also printed by
 * {@link ConfigurationDocs#main}).
 */
class ConfigurationDocsTest {
    private static final Pattern COMMENTED_ENTRY = Pattern.compile("^#([A-Za-z][A-Za-z0-9._-]*)=(.*)$");
    private static final Pattern TYPE_LINE = Pattern.compile("^# Type: (\\S+); valid values: (.*)$");

    private static Path projectDir;
    private static List<String> readme;
    private static List<String> conf;

    @BeforeAll
    static void read() throws IOException {
        projectDir = Paths.get(System.getProperty("basedir", System.getProperty("user.dir")));
        readme = Files.readAllLines(projectDir.resolve("README.md"), StandardCharsets.UTF_8);
        conf = Files.readAllLines(projectDir.resolve("conf/kafka.producer.properties"), StandardCharsets.UTF_8);
    }

    @Test
    void readmeTablesMatchTheDeclarations() {
        Map<String, Entry> documented = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String line : configurationSection()) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - (line.endsWith("|") ? 1 : 0)).split("\\|", -1);
            if (cells.length != 5) {
                problems.add("README row does not have 5 cells: " + line);
                continue;
            }
            String key = unquote(cells[0].trim());
            String shownDefault = cells[2].trim();
            String defaultValue = ConfigurationDocs.EMPTY_DEFAULT.equals(shownDefault) ? "" : unquote(shownDefault);
            if (documented.put(key, new Entry(null, key, cells[1].trim(), defaultValue, cells[3].trim(), cells[4].trim())) != null) {
                problems.add("README documents " + key + " twice");
            }
        }
        compare("README.md", documented, problems);
        if (!problems.isEmpty()) {
            StringBuilder expected = new StringBuilder();
            for (Section section : Section.values()) {
                expected.append("\nExpected table of ").append(section).append(":\n").append(ConfigurationDocs.readmeTable(section));
            }
            fail(String.join("\n", problems) + "\n" + expected);
        }
    }

    @Test
    void propertiesFileMatchesTheDeclarations() {
        List<String> problems = new ArrayList<>();
        Map<String, Entry> documented = new LinkedHashMap<>();
        for (Section section : Section.values()) {
            for (Entry entry : commentedEntries(sectionLines(section.marker), section, problems)) {
                if (documented.put(entry.key(), entry) != null) {
                    problems.add("conf/kafka.producer.properties documents " + entry.key() + " twice");
                }
            }
        }
        compare("conf/kafka.producer.properties", documented, problems);
        Map<String, Entry> declared = declared();
        for (Entry entry : documented.values()) {
            Entry expected = declared.get(entry.key());
            if (expected != null && expected.section() != entry.section()) {
                problems.add("conf/kafka.producer.properties: " + entry.key() + " belongs under '" + expected.section().marker + "'");
            }
        }
        if (!problems.isEmpty()) {
            StringBuilder expected = new StringBuilder();
            for (Section section : Section.values()) {
                expected.append('\n').append(ConfigurationDocs.propertiesSection(section));
            }
            fail(String.join("\n", problems) + "\n\nExpected sections:\n" + expected);
        }
    }

    /**
     * As shipped, the file sets bootstrap.servers only, to example hosts: an unedited copy must not
     * start a bus that can never deliver, but fail naming the key to edit.
     */
    @Test
    void shippedPropertiesFileSetsOnlyBootstrapServersAndIsRefusedUntilEdited() throws Exception {
        Map<String, String> active = activeEntries();
        assertEquals(Set.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG), active.keySet(),
                "conf/kafka.producer.properties must set bootstrap.servers and leave everything else commented out");
        ConfigurationException unedited = assertThrows(ConfigurationException.class,
                () -> EventBusConfig.parse(active, "/etc/cloudstack/management/kafka.producer.properties", "docs"));
        assertEquals("Invalid Kafka event bus configuration in /etc/cloudstack/management/kafka.producer.properties: "
                + "invalid value kafka1.example.com:9092,kafka2.example.com:9092,kafka3.example.com:9092 for "
                + "'bootstrap.servers': kafka1.example.com is an example name that never resolves (RFC 2606): "
                + "set the host:port of your Kafka brokers", unedited.getMessage());
        EventBusConfig.parse(edited(), "conf/kafka.producer.properties", "docs");
    }

    /** Uncommenting a default line changes nothing: the defaults shown are the ones in force. */
    @Test
    void uncommentedDefaultsChangeNothing() throws ConfigurationException {
        Map<String, String> bare = edited();
        Map<String, String> withDefaults = new HashMap<>(bare);
        for (Section section : Section.values()) {
            for (Entry entry : commentedEntries(sectionLines(section.marker), section, new ArrayList<>())) {
                withDefaults.put(entry.key(), entry.defaultValue());
            }
        }
        EventBusConfig plain = EventBusConfig.parse(bare, "bare", "docs");
        EventBusConfig explicit = EventBusConfig.parse(withDefaults, "with defaults", "docs");
        assertEquals(asText(plain.producerProperties()), asText(explicit.producerProperties()));
        assertEquals(plain.topic(), explicit.topic());
        assertEquals(plain.categoryTopics(), explicit.categoryTopics());
        assertEquals(plain.valueFormat(), explicit.valueFormat());
        assertEquals(plain.spoolEnabled(), explicit.spoolEnabled());
        assertEquals(plain.spoolDir(), explicit.spoolDir());
        assertEquals(plain.spoolMaxBytes(), explicit.spoolMaxBytes());
        assertEquals(plain.spoolSegmentBytes(), explicit.spoolSegmentBytes());
        assertEquals(plain.fsyncPolicy(), explicit.fsyncPolicy());
        assertEquals(plain.fsyncInterval(), explicit.fsyncInterval());
        assertEquals(plain.fsyncTimeout(), explicit.fsyncTimeout());
        assertEquals(plain.memoryBufferMaxBytes(), explicit.memoryBufferMaxBytes());
        assertEquals(plain.stopTimeout(), explicit.stopTimeout());
        assertEquals(plain.statsLogInterval(), explicit.statsLogInterval());
    }

    /**
     * The security examples name real producer keys (no plugin key hides there) and, uncommented, are
     * valid: their JAAS configurations parse and name login modules that load; their stores, once
     * there with the example's password, open.
     */
    @Test
    void securityExamplesAreValidProducerSettings(@TempDir Path stores) throws Exception {
        Map<String, String> examples = new LinkedHashMap<>();
        List<String> jaasConfigs = new ArrayList<>();
        for (String line : sectionLines(ConfigurationDocs.EXAMPLES_MARKER)) {
            Matcher m = COMMENTED_ENTRY.matcher(line);
            if (m.matches()) {
                examples.put(m.group(1), m.group(2));
                if (m.group(1).equals("sasl.jaas.config")) {
                    jaasConfigs.add(m.group(2));
                }
            }
        }
        assertTrue(jaasConfigs.stream().anyMatch(v -> v.startsWith("org.apache.kafka.common.security.plain.PlainLoginModule ")),
                "the examples show sasl.jaas.config with the standard PlainLoginModule name");
        for (String key : examples.keySet()) {
            assertTrue(ProducerConfig.configNames().contains(key), key + " in the security examples is not a producer key");
            assertTrue(!EventBusConfig.PLUGIN_KEYS.names().contains(key), key + " is a plugin key: document it in its section");
        }
        Map<String, String> uncommented = new HashMap<>(edited());
        uncommented.putAll(examples);
        for (String location : List.of("ssl.truststore.location", "ssl.keystore.location")) {
            Path store = stores.resolve(Paths.get(examples.get(location)).getFileName());
            KeyStores.emptyPkcs12(store, examples.get(location.replace("location", "password")));
            uncommented.put(location, store.toString());
        }
        EventBusConfig.parse(uncommented, "examples", "docs");
        for (String jaas : jaasConfigs) {
            uncommented.put("security.protocol", "SASL_SSL");
            uncommented.put("sasl.jaas.config", jaas);
            EventBusConfig.parse(uncommented, "examples", "docs");
        }
    }

    /** The compression types the docs leave out are indeed refused. */
    @Test
    void compressionTypesLeftOutOfTheDocsAreRefused() {
        for (String type : ConfigurationDocs.UNBUNDLED_COMPRESSION) {
            Map<String, String> config = new HashMap<>(edited());
            config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, type);
            try {
                EventBusConfig.parse(config, "compression", "docs");
                fail("compression.type=" + type + " was accepted, but the docs say it is not");
            } catch (ConfigurationException expected) {
                // as documented
            }
        }
    }

    /** Compares what a document says with what is declared; adds a line per difference. */
    private static void compare(String document, Map<String, Entry> documented, List<String> problems) {
        Map<String, Entry> declared = declared();
        for (Entry expected : declared.values()) {
            Entry actual = documented.get(expected.key());
            if (actual == null) {
                problems.add(document + " does not document " + expected.key());
                continue;
            }
            check(problems, document, expected.key(), "type", expected.type(), actual.type());
            check(problems, document, expected.key(), "default", expected.defaultValue(), actual.defaultValue());
            check(problems, document, expected.key(), "valid values", expected.validValues(), actual.validValues());
            check(problems, document, expected.key(), "doc", expected.doc(), actual.doc());
        }
        for (String key : documented.keySet()) {
            if (!declared.containsKey(key)) {
                problems.add(document + " documents " + key + ", which EventBusConfig does not declare");
            }
        }
    }

    private static void check(List<String> problems, String document, String key, String what, String expected, String actual) {
        if (!expected.equals(actual)) {
            problems.add(document + ": " + key + " " + what + " is \"" + actual + "\", declared \"" + expected + "\"");
        }
    }

    private static Map<String, Entry> declared() {
        Map<String, Entry> declared = new LinkedHashMap<>();
        ConfigurationDocs.entries().forEach(e -> declared.put(e.key(), e));
        return declared;
    }

    /** README.md from "## Configuration" to the next second-level heading. */
    private static List<String> configurationSection() {
        int start = readme.indexOf("## Configuration");
        assertTrue(start >= 0, "README.md has no '## Configuration' section");
        List<String> section = new ArrayList<>();
        for (int i = start + 1; i < readme.size() && !readme.get(i).startsWith("## "); i++) {
            section.add(readme.get(i));
        }
        return section;
    }

    /** The lines of conf/kafka.producer.properties after {@code marker}, up to the next marker. */
    private static List<String> sectionLines(String marker) {
        int start = conf.indexOf(marker);
        assertTrue(start >= 0, "conf/kafka.producer.properties has no line '" + marker + "'");
        List<String> lines = new ArrayList<>();
        for (int i = start + 1; i < conf.size() && !conf.get(i).startsWith("# ===== "); i++) {
            lines.add(conf.get(i));
        }
        return lines;
    }

    /** Each {@code #key=default} line with the comment block right above it: doc lines, then the type line. */
    private static List<Entry> commentedEntries(List<String> lines, Section section, List<String> problems) {
        List<Entry> entries = new ArrayList<>();
        List<String> block = new ArrayList<>();
        for (String line : lines) {
            Matcher entry = COMMENTED_ENTRY.matcher(line);
            if (entry.matches()) {
                String type = "";
                String valid = "";
                List<String> doc = new ArrayList<>();
                for (String comment : block) {
                    Matcher typeLine = TYPE_LINE.matcher(comment);
                    if (typeLine.matches()) {
                        type = typeLine.group(1);
                        valid = typeLine.group(2);
                    } else {
                        doc.add(comment.substring(1).trim());
                    }
                }
                if (type.isEmpty()) {
                    problems.add("conf/kafka.producer.properties: " + entry.group(1) + " has no '# Type: ...; valid values: ...' line");
                }
                entries.add(new Entry(section, entry.group(1), type, entry.group(2), valid, String.join(" ", doc)));
                block.clear();
            } else if (line.startsWith("#")) {
                block.add(line);
            } else {
                block.clear();
            }
        }
        return entries;
    }

    /** What a Properties reader sees in conf/kafka.producer.properties. */
    private static Map<String, String> activeEntries() {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(String.join("\n", conf)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Map<String, String> entries = new TreeMap<>();
        properties.stringPropertyNames().forEach(k -> entries.put(k, properties.getProperty(k)));
        return entries;
    }

    /** The shipped file with bootstrap.servers edited, as an operator does. */
    private static Map<String, String> edited() {
        Map<String, String> entries = activeEntries();
        entries.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka1.cloud.internal:9092,kafka2.cloud.internal:9092");
        return entries;
    }

    private static Map<String, String> asText(Map<String, Object> values) {
        Map<String, String> text = new TreeMap<>();
        values.forEach((k, v) -> text.put(k, v instanceof Class ? ((Class<?>) v).getName() : String.valueOf(v)));
        return text;
    }

    private static String unquote(String cell) {
        return cell.length() >= 2 && cell.startsWith("`") && cell.endsWith("`") ? cell.substring(1, cell.length() - 1) : cell;
    }
}
