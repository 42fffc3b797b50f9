package org.apache.cloudstack.framework.events;

public interface EventSubscriber {
    void onEvent(Event event);
}
