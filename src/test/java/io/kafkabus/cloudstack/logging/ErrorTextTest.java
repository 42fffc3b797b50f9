package io.kafkabus.cloudstack.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/** Errors as the operator reads them in a log line. */
class ErrorTextTest {
    @Test
    void descriptionsNameClassesSimplyAndGiveTheRootCause() {
        assertEquals("TimeoutException: Topic t not present in metadata after 5000 ms. (cause: "
                        + "UnknownTopicOrPartitionException: gone)",
                ErrorText.describe(new TimeoutException("Topic t not present in metadata after 5000 ms.",
                        new UnknownTopicOrPartitionException("gone"))));
        assertEquals("NullPointerException", ErrorText.describe(new NullPointerException()));
    }

    @Test
    void classesNamedInMessagesAreGivenTheirStandardNamesNotTheJarsRelocatedOnes() {
        assertEquals("KafkaException: Failed to construct kafka producer (cause: ClassNotFoundException: "
                        + "org.apache.kafka.common.security.plain.PlainLoginModul)",
                ErrorText.describe(new KafkaException("Failed to construct kafka producer", new ClassNotFoundException(
                        "io.kafkabus.cloudstack.shaded.kafka.common.security.plain.PlainLoginModul"))));
    }
}
