package io.kafkabus.cloudstack.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the built jar ({@code mvn package}, system property {@code plugin.jar}) holds: the plugin,
 * its dependencies only under the relocation prefix, none of CloudStack's classes, and what the
 * management server needs to find the plugin and its logging.
 */
class BuiltJarContentsIT {
    private static final String SHADED = "io/kafkabus/cloudstack/shaded/";
    private static final String OWN = "io/kafkabus/cloudstack/";
    /** Where a management server on CloudStack 4.19 and earlier runs: Java 11. */
    private static final int JAVA_11 = 55;

    private static Path path;
    private static JarFile jar;
    private static List<String> names;

    @BeforeAll
    static void open() throws IOException {
        path = Paths.get(System.getProperty("plugin.jar", "target/plugin.jar-property-not-set.jar"));
        assertTrue(Files.isRegularFile(path), "built jar not found: " + path + " (run mvn verify)");
        jar = new JarFile(path.toFile());
        names = Collections.list(jar.entries()).stream().map(JarEntry::getName).collect(Collectors.toList());
    }

    @AfterAll
    static void close() throws IOException {
        if (jar != null) {
            jar.close();
        }
    }

    @Test
    void noDependencyOrCloudStackClassIsAtItsOriginalName() {
        List<String> forbidden = List.of("org/apache/kafka/", "com/fasterxml/", "org/apache/cloudstack/", "com/cloud/",
                "org/slf4j/", "net/jpountz/", "org/lz4/", "kafka/", "org/jose4j/");
        List<String> found = new ArrayList<>();
        for (String name : names) {
            // Also inside multi-release folders (META-INF/versions/N/...), which relocation does not reach.
            String unversioned = name.startsWith("META-INF/versions/") ? name.replaceFirst("^META-INF/versions/[0-9]+/", "") : name;
            for (String prefix : forbidden) {
                if (unversioned.startsWith(prefix)) {
                    found.add(name);
                }
            }
        }
        assertEquals(List.of(), found);
        assertEquals(List.of(), names.stream().filter(n -> n.endsWith("module-info.class")).collect(Collectors.toList()));
    }

    @Test
    void dependenciesAreThereRelocated() throws IOException {
        for (String entry : List.of(
                SHADED + "kafka/clients/producer/KafkaProducer.class",
                SHADED + "kafka/common/config/provider/FileConfigProvider.class",
                SHADED + "jackson/databind/ObjectMapper.class",
                SHADED + "jackson/core/JsonFactory.class",
                SHADED + "slf4j/LoggerFactory.class",
                SHADED + "slf4j/spi/SLF4JServiceProvider.class",
                SHADED + "lz4/lz4/LZ4Factory.class",
                SHADED + "lz4/xxhash/XXHashFactory.class",
                // What the client's OAuth login (sasl.oauthbearer.token.endpoint.url) loads; kafka-clients does not declare it.
                SHADED + "jose4j/jwt/consumer/JwtConsumer.class")) {
            assertNotNull(jar.getJarEntry(entry), entry);
        }
        Properties version = properties(SHADED + "kafka/kafka-version.properties");
        assertEquals(System.getProperty("shipped.kafka.version", "4.4.0"), version.getProperty("version"));
        assertEquals(System.getProperty("shipped.kafka.version", "4.4.0"), manifest().getMainAttributes().getValue("Kafka-Client-Version"));
    }

    /**
     * Every system property the bundled client and its jose4j read under a name that looks like their
     * packages (found with {@code javap -c} on the jar: the constants loaded before {@code System.getProperty}
     * and {@code Boolean.getBoolean}), which the relocation would rewrite but for the pom's excludes.
     * (jose4j's {@code org.jose4j.jwe.kdf.ConcatenationKeyDerivationFunctionWithSha256} is also a class's
     * name, so it moves with the class; the client uses no JWE.)
     */
    @Test
    void theClientsSystemPropertiesKeepTheirStandardNames() {
        List<String> properties = List.of("org.apache.kafka.automatic.config.providers", "org.apache.kafka.disallowed.login.modules",
                "org.apache.kafka.allowed.login.modules", "org.apache.kafka.sasl.oauthbearer.allowed.urls",
                "org.apache.kafka.sasl.oauthbearer.allowed.files", "org.jose4j.jws.default-allow-none",
                "org.jose4j.jws.getPayload-skip-verify", "org.jose4j.jws.use-legacy-rsapss-alg-names", "org.jose4j.zip.decompress-max-bytes");
        List<String> readers = new ArrayList<>();
        for (String name : names) {
            if (!name.startsWith(SHADED) || !name.endsWith(".class")) {
                continue;
            }
            byte[] bytes = read(name);
            for (String property : properties) {
                String relocated = property.replace("org.apache.kafka.", "io.kafkabus.cloudstack.shaded.kafka.")
                        .replace("org.jose4j.", "io.kafkabus.cloudstack.shaded.jose4j.");
                assertTrue(indexOf(bytes, ascii(relocated)) < 0, name + " reads a relocated system property: " + relocated);
                if (indexOf(bytes, ascii(property)) >= 0) {
                    readers.add(property);
                }
            }
        }
        assertEquals(properties, properties.stream().filter(readers::contains).collect(Collectors.toList()),
                "system properties some class reads");
    }

    /** Two jars registering the module side by side break start-up: the build leaves one jar to copy. */
    @Test
    void theBuildLeavesOneJarToCopy() throws IOException {
        try (Stream<Path> listing = Files.list(path.getParent())) {
            List<String> jars = listing.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jar") && !n.endsWith("-tests.jar"))
                    .sorted().collect(Collectors.toList());
            assertEquals(List.of(path.getFileName().toString()), jars, "jars in " + path.getParent());
        }
    }

    @Test
    void theCloudStackModuleIsRegistered() throws IOException {
        Properties module = properties("META-INF/cloudstack/kafka-event-bus/module.properties");
        assertEquals("kafka-event-bus", module.getProperty("name"));
        assertEquals("event", module.getProperty("parent"));

        List<String> contexts = names.stream()
                .filter(n -> n.startsWith("META-INF/cloudstack/kafka-event-bus/") && n.endsWith("context.xml"))
                .collect(Collectors.toList());
        assertEquals(1, contexts.size(), "context XML files: " + contexts);
        String xml = new String(read(contexts.get(0)), StandardCharsets.UTF_8);
        assertTrue(xml.contains("class=\"io.kafkabus.cloudstack.KafkaEventBus\""), xml);
        assertNotNull(jar.getJarEntry(OWN + "KafkaEventBus.class"));
    }

    @Test
    void theRelocatedSlf4jFindsThePluginsLoggingProvider() throws IOException {
        String services = "META-INF/services/io.kafkabus.cloudstack.shaded.slf4j.spi.SLF4JServiceProvider";
        assertNotNull(jar.getJarEntry(services), services);
        List<String> providers = new String(read(services), StandardCharsets.UTF_8).lines()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
        assertEquals(List.of("io.kafkabus.cloudstack.logging.ServerLoggingProvider"), providers);
        assertNotNull(jar.getJarEntry(OWN + "logging/ServerLoggingProvider.class"));
        // The server's own slf4j (if any) must not see it.
        assertEquals(List.of(), names.stream().filter(n -> n.startsWith("META-INF/services/org.")).collect(Collectors.toList()));
    }

    @Test
    void everyClassRunsOnJava11() throws IOException {
        List<String> tooNew = new ArrayList<>();
        int ownClasses = 0;
        for (String name : names) {
            if (!name.endsWith(".class")) {
                continue;
            }
            if (name.startsWith(OWN) && !name.startsWith(SHADED)) {
                ownClasses++;
            }
            int major = classFileMajorVersion(read(name));
            if (major > JAVA_11) {
                tooNew.add(name + " (class file version " + major + ")");
            }
        }
        assertTrue(ownClasses > 20, "only " + ownClasses + " of the plugin's own classes");
        assertEquals(List.of(), tooNew);
    }

    @Test
    void noSnappyOrZstdAndNoNativeLibraries() {
        // Snappy and zstd are JNI-only; lz4's JNI cannot bind to relocated classes, so its libraries are left out too.
        List<String> found = names.stream()
                .filter(n -> {
                    String lower = n.toLowerCase(Locale.ROOT);
                    return lower.contains("xerial") || lower.contains("luben") || lower.contains("snappy/") || lower.contains("zstd/")
                            || lower.endsWith(".so") || lower.endsWith(".dll") || lower.endsWith(".dylib") || lower.endsWith(".jnilib");
                })
                .collect(Collectors.toList());
        assertEquals(List.of(), found);
    }

    private static Manifest manifest() throws IOException {
        Manifest manifest = jar.getManifest();
        assertNotNull(manifest, "the jar has no manifest");
        return manifest;
    }

    private static Properties properties(String entry) throws IOException {
        Properties properties = new Properties();
        properties.load(new ByteArrayInputStream(read(entry)));
        return properties;
    }

    private static byte[] read(String entry) {
        JarEntry found = jar.getJarEntry(entry);
        if (found == null) {
            fail("no " + entry + " in " + jar.getName());
        }
        try (InputStream in = jar.getInputStream(found)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int classFileMajorVersion(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        assertEquals(0xCAFEBABE, in.readInt());
        in.readUnsignedShort();
        return in.readUnsignedShort();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
