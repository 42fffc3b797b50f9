package org.apache.cloudstack.framework.events;

import java.util.UUID;

public interface EventBus {
    String getName(); // since 4.20

    void publish(Event event) throws EventBusException;

    UUID subscribe(EventTopic topic, EventSubscriber subscriber) throws EventBusException;

    void unsubscribe(UUID subscriberId, EventSubscriber subscriber) throws EventBusException;
}
