package io.kafkabus.cloudstack.spool;

/** The spool reached its size bound; the record was not stored. */
public final class SpoolFullException extends Exception {
    private static final long serialVersionUID = 1L;

    SpoolFullException(long sizeBytes, long maxBytes) {
        super("spool full: " + sizeBytes + " of " + maxBytes + " bytes hold events Kafka has not acknowledged yet");
    }
}
