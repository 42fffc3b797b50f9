package org.apache.cloudstack.framework.events;

public class EventBusException extends Exception {
    private static final long serialVersionUID = 1L;

    public EventBusException(String message) {
        super(message);
    }
}
