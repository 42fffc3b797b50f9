package io.kafkabus.cloudstack.delivery;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.DuplicateSequenceException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * What a failed send means for the record, decided in this one place from Kafka's exception
 * hierarchy. Only {@link #RECORD} and {@link #TOPIC}, when they repeat, make the bus give a record
 * up; everything else keeps it in the spool and sends it again.
 */
enum Failure {
    /** Kafka is away or busy (broker down, leader moving, too few replicas, credentials refused): wait, retry. */
    TRANSIENT(false),
    /** Not about this record (a batch-mate was refused, the producer was closed or lost its idempotence session): send it again. */
    RESEND(false),
    /** About the record itself (too large, timestamp out of range, invalid): no retry can cure it. */
    RECORD(true),
    /** Its topic does not exist (auto-creation off) or may not be written by this principal. */
    TOPIC(true);

    private final boolean aboutTheRecord;

    Failure(boolean aboutTheRecord) {
        this.aboutTheRecord = aboutTheRecord;
    }

    /** True when a repeat of this failure makes the bus give the record up. */
    boolean givesUpWhenRepeated() {
        return aboutTheRecord;
    }

    static Failure of(Throwable error) {
        if (error instanceof TimeoutException && error.getCause() instanceof UnknownTopicOrPartitionException) {
            // The cluster answered, without the topic: it does not exist and is not auto-created.
            return TOPIC;
        }
        if (error instanceof TopicAuthorizationException || error instanceof InvalidTopicException) {
            return TOPIC;
        }
        if (error instanceof AuthenticationException || error instanceof AuthorizationException) {
            // Credentials or cluster-wide rights: every record fails alike until the operator fixes them.
            return TRANSIENT;
        }
        if (error instanceof RetriableException) {
            return TRANSIENT;
        }
        if (error instanceof OutOfOrderSequenceException || error instanceof InvalidProducerEpochException
                || error instanceof DuplicateSequenceException || error instanceof InvalidPidMappingException
                || error instanceof ProducerFencedException) {
            // About the producer's idempotence session (lost on a broker restart, say), not the record: a new producer
            // starts a new session.
            return RESEND;
        }
        if (error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException
                || error instanceof InvalidRecordException || error instanceof InvalidTimestampException
                || error instanceof SerializationException || error instanceof IllegalArgumentException) {
            return RECORD;
        }
        if (error instanceof ApiException) {
            // Any other non-retriable error the broker returned about this record's request.
            return RECORD;
        }
        // A plain KafkaException ("part of a batch which had one or more invalid records", "producer
        // is closed forcefully") or an unexpected RuntimeException from a broken producer.
        return RESEND;
    }
}
