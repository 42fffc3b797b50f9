package io.kafkabus.cloudstack.event;

import java.time.Instant;
import java.util.Objects;

/**
 * One CloudStack event as the bus publishes it: CloudStack's fields plus an id and the time it was
 * published. Immutable; any field but {@link #id()} and {@link #timestamp()} may be null.
 */
public final class EventEnvelope {
    private final String id;
    private final String source;
    private final String category;
    private final String type;
    private final String resourceType;
    private final String resourceUuid;
    private final Instant timestamp;
    private final Long eventId;
    private final Long accountId;
    private final String accountUuid;
    private final Long domainId;
    private final String description;
    private final byte[] descriptionJson;
    private final String status;
    private final String entityUuid;
    private final String managementServerHost;
    private final Long managementServerId;

    private EventEnvelope(Builder b) {
        this.id = Objects.requireNonNull(b.id, "id");
        this.timestamp = Objects.requireNonNull(b.timestamp, "timestamp");
        this.source = b.source;
        this.category = b.category;
        this.type = b.type;
        this.resourceType = b.resourceType;
        this.resourceUuid = b.resourceUuid;
        this.eventId = b.eventId;
        this.accountId = b.accountId;
        this.accountUuid = b.accountUuid;
        this.domainId = b.domainId;
        this.description = b.description;
        this.descriptionJson = b.descriptionJson;
        this.status = b.status;
        this.entityUuid = b.entityUuid;
        this.managementServerHost = b.managementServerHost;
        this.managementServerId = b.managementServerId;
    }

    public static Builder builder(String id, Instant timestamp) {
        return new Builder(id, timestamp);
    }

    /** CloudStack's {@code eventUuid} (4.20+ action events), else a UUID made when the event was published. */
    public String id() { return id; }
    public String source() { return source; }
    public String category() { return category; }
    public String type() { return type; }
    public String resourceType() { return resourceType; }
    public String resourceUuid() { return resourceUuid; }
    /** When {@code publish()} was called. */
    public Instant timestamp() { return timestamp; }
    /** 4.20+: the database id of the event. */
    public Long eventId() { return eventId; }
    /** 4.20+: the account owning the resource. */
    public Long accountId() { return accountId; }
    public String accountUuid() { return accountUuid; }
    /** 4.20+: the domain owning the resource. */
    public Long domainId() { return domainId; }
    /** Normally a JSON object as text, but nothing guarantees it; secrets already redacted. */
    public String description() { return description; }
    /** The description's UTF-8 bytes when it is one JSON object, else null; not copied: never change it. */
    byte[] descriptionJson() { return descriptionJson; }
    /** The description's top-level {@code status} when it is text (an ActionEvent's Completed, say). */
    public String status() { return status; }
    /** The description's top-level {@code entityuuid} (ActionEvents). */
    public String entityUuid() { return entityUuid; }
    /** The host name of the management server that published the event. */
    public String managementServerHost() { return managementServerHost; }
    /** CloudStack's id of that management server (its msid), when known. */
    public Long managementServerId() { return managementServerId; }

    /** Fills an envelope field by field. */
    public static final class Builder {
        private final String id;
        private final Instant timestamp;
        private String source;
        private String category;
        private String type;
        private String resourceType;
        private String resourceUuid;
        private Long eventId;
        private Long accountId;
        private String accountUuid;
        private Long domainId;
        private String description;
        private byte[] descriptionJson;
        private String status;
        private String entityUuid;
        private String managementServerHost;
        private Long managementServerId;

        private Builder(String id, Instant timestamp) {
            this.id = id;
            this.timestamp = timestamp;
        }

        public Builder source(String value) { source = value; return this; }
        public Builder category(String value) { category = value; return this; }
        public Builder type(String value) { type = value; return this; }
        public Builder resourceType(String value) { resourceType = value; return this; }
        public Builder resourceUuid(String value) { resourceUuid = value; return this; }
        public Builder eventId(Long value) { eventId = value; return this; }
        public Builder accountId(Long value) { accountId = value; return this; }
        public Builder accountUuid(String value) { accountUuid = value; return this; }
        public Builder domainId(Long value) { domainId = value; return this; }
        /** A description as it is; {@link #description(Description)} is what the bus uses, redacting it. */
        public Builder description(String value) { return description(Description.unprocessed(value)); }
        public Builder description(Description value) {
            description = value.text();
            descriptionJson = value.jsonObject();
            status = value.status();
            entityUuid = value.entityUuid();
            return this;
        }
        public Builder managementServer(String host, Long id) {
            managementServerHost = host;
            managementServerId = id;
            return this;
        }

        public EventEnvelope build() {
            return new EventEnvelope(this);
        }
    }
}
