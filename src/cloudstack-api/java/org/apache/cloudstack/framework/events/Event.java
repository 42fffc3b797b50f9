package org.apache.cloudstack.framework.events;

public class Event {
    private String eventCategory;
    private String eventType;
    private String eventSource;
    private String resourceType;
    private String resourceUUID;
    private String description;
    private Long eventId; // since 4.20
    private String eventUuid; // since 4.20
    private Long resourceAccountId; // since 4.20
    private String resourceAccountUuid; // since 4.20
    private Long resourceDomainId; // since 4.20

    public Event(String eventSource, String eventCategory, String eventType, String resourceType, String resourceUUID) {
        this.eventSource = eventSource;
        this.eventCategory = eventCategory;
        this.eventType = eventType;
        this.resourceType = resourceType;
        this.resourceUUID = resourceUUID;
    }

    public String getEventCategory() { return eventCategory; }
    public void setEventCategory(String eventCategory) { this.eventCategory = eventCategory; }
    public String getEventType() { return eventType; }
    public void setEventType(String eventType) { this.eventType = eventType; }
    public String getEventSource() { return eventSource; }
    void setEventSource(String eventSource) { this.eventSource = eventSource; }
    public String getResourceType() { return resourceType; }
    public void setResourceType(String resourceType) { this.resourceType = resourceType; }
    public String getResourceUUID() { return resourceUUID; }
    public void setResourceUUID(String resourceUUID) { this.resourceUUID = resourceUUID; }
    public String getDescription() { return description; }
    public void setDescription(String description) { this.description = description; }
    // The real class stores Gson's JSON of the object; String.valueOf is enough to compile against.
    public void setDescription(Object description) { this.description = String.valueOf(description); }
    public Long getEventId() { return eventId; } // since 4.20
    public void setEventId(Long eventId) { this.eventId = eventId; } // since 4.20
    public String getEventUuid() { return eventUuid; } // since 4.20
    public void setEventUuid(String eventUuid) { this.eventUuid = eventUuid; } // since 4.20
    public Long getResourceAccountId() { return resourceAccountId; } // since 4.20
    public void setResourceAccountId(Long resourceAccountId) { this.resourceAccountId = resourceAccountId; } // since 4.20
    public String getResourceAccountUuid() { return resourceAccountUuid; } // since 4.20
    public void setResourceAccountUuid(String resourceAccountUuid) { this.resourceAccountUuid = resourceAccountUuid; } // since 4.20
    public Long getResourceDomainId() { return resourceDomainId; } // since 4.20
    public void setResourceDomainId(Long resourceDomainId) { this.resourceDomainId = resourceDomainId; } // since 4.20
}
