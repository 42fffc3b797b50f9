package io.kafkabus.cloudstack.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

/**
 * The standard class names of Kafka's JVM-wide security properties get the relocated twins the jar's
 * client compares them with (here with a stand-in relocation: unit tests run the unrelocated
 * client; the built jar's tests are in {@code jar.RelocatedSecurityIT}).
 */
class KafkaSystemPropertiesTest {
    private static final UnaryOperator<String> RELOCATE = name -> name.replace("org.apache.kafka.", "shaded.kafka.");

    /** What the operator wrote stays, character for character (spaces, repeats, order): twins are only appended. */
    @Test
    void theOperatorsListIsOnlyExtendedWithTheTwinsOfItsStandardNames() {
        String written = " org.apache.kafka.common.security.plain.PlainLoginModule, com.example.Module,"
                + "org.apache.kafka.common.security.plain.PlainLoginModule";
        assertEquals(written + ",shaded.kafka.common.security.plain.PlainLoginModule", KafkaSystemProperties.withTwins(written, RELOCATE));
    }

    @Test
    void aListWithNothingToRelocateOrAlreadyAlignedIsLeftAsItIs() {
        assertEquals("none", KafkaSystemProperties.withTwins("none", RELOCATE));
        assertEquals("", KafkaSystemProperties.withTwins("", RELOCATE));
        String aligned = KafkaSystemProperties.withTwins("org.apache.kafka.common.config.provider.FileConfigProvider", RELOCATE);
        assertEquals("org.apache.kafka.common.config.provider.FileConfigProvider,shaded.kafka.common.config.provider.FileConfigProvider",
                aligned);
        assertEquals(aligned, KafkaSystemProperties.withTwins(aligned, RELOCATE));
    }
}
