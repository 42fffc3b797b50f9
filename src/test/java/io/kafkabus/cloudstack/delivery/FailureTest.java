package io.kafkabus.cloudstack.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.DuplicateSequenceException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/** What each error Kafka's producer reports means for the record: the one place that decides. */
class FailureTest {
    @Test
    void conditionsThatCureThemselvesAreTransient() {
        assertEquals(Failure.TRANSIENT, Failure.of(new TimeoutException("Topic t not present in metadata after 5000 ms.")));
        assertEquals(Failure.TRANSIENT, Failure.of(new NotEnoughReplicasException("too few")));
        assertEquals(Failure.TRANSIENT, Failure.of(new NotLeaderOrFollowerException("moving")));
        assertEquals(Failure.TRANSIENT, Failure.of(new NetworkException("disconnected")));
        assertEquals(Failure.TRANSIENT, Failure.of(new SaslAuthenticationException("bad password")));
        assertEquals(Failure.TRANSIENT, Failure.of(new ClusterAuthorizationException("no IDEMPOTENT_WRITE")));
        assertFalse(Failure.TRANSIENT.givesUpWhenRepeated());
    }

    @Test
    void errorsAboutTheRecordItselfGiveItUpWhenRepeated() {
        assertEquals(Failure.RECORD, Failure.of(new RecordTooLargeException("too large")));
        assertEquals(Failure.RECORD, Failure.of(new InvalidTimestampException("out of range")));
        assertEquals(Failure.RECORD, Failure.of(new InvalidRecordException("out of range")));
        assertEquals(Failure.RECORD, Failure.of(new IllegalArgumentException("Invalid timestamp: -1")));
        assertEquals(Failure.RECORD, Failure.of(new UnknownServerException("any other non-retriable broker error")));
        assertTrue(Failure.RECORD.givesUpWhenRepeated());
    }

    @Test
    void aTopicMissingOrUnwritableIsAboutTheTopic() {
        assertEquals(Failure.TOPIC, Failure.of(new TimeoutException("Topic t not present in metadata after 5000 ms.",
                new UnknownTopicOrPartitionException("This server does not host this topic-partition."))));
        assertEquals(Failure.TOPIC, Failure.of(new TopicAuthorizationException("Not authorized to access topics: [t]")));
        assertEquals(Failure.TOPIC, Failure.of(new InvalidTopicException("bad name")));
        assertTrue(Failure.TOPIC.givesUpWhenRepeated());
    }

    @Test
    void whatIsNotAboutTheRecordIsSentAgain() {
        assertEquals(Failure.RESEND, Failure.of(new KafkaException("Failing batch since transaction was aborted")));
        assertEquals(Failure.RESEND, Failure.of(new KafkaException("Producer is closed forcefully.")));
        assertEquals(Failure.RESEND, Failure.of(new IllegalStateException("Cannot perform operation after producer has been closed")));
        assertEquals(Failure.RESEND, Failure.of(new NullPointerException()));
        assertFalse(Failure.RESEND.givesUpWhenRepeated());
    }

    @Test
    void aLostIdempotenceSessionIsResentByANewProducerNeverGivenUp() {
        // A broker restart can forget the producer's id or sequence: the record itself is fine.
        assertEquals(Failure.RESEND, Failure.of(new OutOfOrderSequenceException("The broker received an out of order sequence number.")));
        assertEquals(Failure.RESEND, Failure.of(new UnknownProducerIdException("This exception is raised by the broker if it could not locate the producer metadata.")));
        assertEquals(Failure.RESEND, Failure.of(new InvalidProducerEpochException("Producer attempted to produce with an old epoch.")));
        assertEquals(Failure.RESEND, Failure.of(new DuplicateSequenceException("duplicate")));
    }
}
