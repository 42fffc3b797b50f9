package org.apache.cloudstack.framework.events;

public class EventTopic {
    private final String eventCategory;
    private final String eventType;
    private final String resourceType;
    private final String resourceUUID;
    private final String eventSource;

    public EventTopic(String eventCategory, String eventType, String resourceType, String resourceUUID, String eventSource) {
        this.eventCategory = eventCategory;
        this.eventType = eventType;
        this.resourceType = resourceType;
        this.resourceUUID = resourceUUID;
        this.eventSource = eventSource;
    }

    public String getEventCategory() { return eventCategory; }
    public String getEventType() { return eventType; }
    public String getResourceType() { return resourceType; }
    public String getResourceUUID() { return resourceUUID; }
    public String getEventSource() { return eventSource; }
}
