package io.kafkabus.cloudstack.delivery;

/** An event the bus could not keep (spool full, unwritable or closed); it was counted as dropped. */
public final class EventDroppedException extends Exception {
    private static final long serialVersionUID = 1L;

    EventDroppedException(String message) {
        super(message);
    }
}
